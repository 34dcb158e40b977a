package loyaltytest_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// clock is a settable clock for WithClock.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func newClock() *clock { return &clock{t: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)} }

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// call is one plain HTTP request to the fake.
type call struct {
	method, path string
	header       http.Header
	body         any // []byte and string are sent as is, anything else as JSON
}

type reply struct {
	status int
	header http.Header
	body   []byte
}

func (r reply) json(t testing.TB, v any) {
	t.Helper()
	if err := json.Unmarshal(r.body, v); err != nil {
		t.Fatalf("decoding %q: %v", r.body, err)
	}
}

// obj decodes the body as a JSON object.
func (r reply) obj(t testing.TB) map[string]any {
	t.Helper()
	var m map[string]any
	r.json(t, &m)
	return m
}

// do sends c and fails the test on a transport error; call it only from the
// test's goroutine (it may call t.Fatal). Workers use send.
func do(t testing.TB, srv *loyaltytest.Server, c call) reply {
	t.Helper()
	r, err := send(srv, c)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// send is do without a testing.TB, for goroutines other than the test's,
// which must not call t.Fatal.
func send(srv *loyaltytest.Server, c call) (reply, error) {
	var body io.Reader
	switch b := c.body.(type) {
	case nil:
	case []byte:
		body = bytes.NewReader(b)
	case string:
		body = strings.NewReader(b)
	default:
		j, err := json.Marshal(b)
		if err != nil {
			return reply{}, err
		}
		body = bytes.NewReader(j)
	}
	req, err := http.NewRequest(c.method, srv.URL+c.path, body)
	if err != nil {
		return reply{}, err
	}
	for k, v := range c.header {
		req.Header[k] = v
	}
	if body != nil && req.Header.Get("Content-Type") == "" {
		req.Header.Set("Content-Type", "application/json")
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: %w", c.method, c.path, err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		return reply{}, fmt.Errorf("%s %s: reading the body: %w", c.method, c.path, err)
	}
	return reply{status: resp.StatusCode, header: resp.Header, body: b}, nil
}

func wantStatus(t testing.TB, r reply, status int) {
	t.Helper()
	if r.status != status {
		t.Fatalf("status %d, want %d; body %s", r.status, status, r.body)
	}
}

func bearer(tok string) http.Header { return http.Header{"Authorization": {"Bearer " + tok}} }

// qualifioToken gets a token from the fake with HTTP Basic client auth.
func qualifioToken(t testing.TB, srv *loyaltytest.Server) string {
	t.Helper()
	req, _ := http.NewRequest(http.MethodPost, srv.URL+contract.QualifioTokenPath,
		strings.NewReader(url.Values{"grant_type": {"client_credentials"}}.Encode()))
	req.Header.Set("Content-Type", "application/x-www-form-urlencoded")
	req.SetBasicAuth("id", "secret")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&tok); err != nil || tok.AccessToken == "" {
		t.Fatalf("token: status %d, err %v", resp.StatusCode, err)
	}
	return tok.AccessToken
}

// receiver is a webhook endpoint that records what it gets and answers the
// statuses of fail first, then 200.
type receiver struct {
	URL  string
	mu   sync.Mutex
	hdr  []http.Header
	url  []string
	body [][]byte
	fail []int
}

func newReceiver(t testing.TB, fail ...int) *receiver {
	rc := &receiver{fail: fail}
	hs := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		rc.mu.Lock()
		rc.hdr = append(rc.hdr, r.Header.Clone())
		rc.url = append(rc.url, r.URL.String())
		rc.body = append(rc.body, b)
		status := http.StatusOK
		if len(rc.fail) > 0 {
			status, rc.fail = rc.fail[0], rc.fail[1:]
		}
		rc.mu.Unlock()
		w.WriteHeader(status)
	}))
	t.Cleanup(hs.Close)
	rc.URL = hs.URL
	return rc
}

func (rc *receiver) count() int {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return len(rc.body)
}

func waitHooks(t testing.TB, srv *loyaltytest.Server) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.WaitForWebhooks(ctx); err != nil {
		t.Fatalf("WaitForWebhooks: %v", err)
	}
}
