// Package fakekittest runs one platform fake behind an httptest server for
// the platform fakes' own tests: a settable clock, counter-based ids, an Emit
// that records deliveries, and request helpers. Each platform's tests keep
// their own auth headers, wire views and error-shape checks.
package fakekittest

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// T0 is where every Harness clock starts.
var T0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

// Harness is the server side of a platform fake's tests. Build it with New,
// hand Env to the fake, then Serve the fake.
type Harness struct {
	T   *testing.T
	Srv *httptest.Server

	basePath string      // prefixed to every request path
	header   http.Header // headers Request sends

	mu         sync.Mutex
	now        time.Time
	ids        int
	deliveries []fakekit.Delivery
}

// New returns a Harness whose clock stands at T0.
func New(t *testing.T) *Harness {
	return &Harness{T: t, now: T0}
}

// Env returns the seams for the fake under test: the harness clock, ids
// "id-1", "id-2", … and an Emit that records each delivery.
func (h *Harness) Env(maxBody int64) fakekit.Env {
	return fakekit.Env{
		Now: func() time.Time {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.now
		},
		NewID: func() string {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.ids++
			return "id-" + strconv.Itoa(h.ids)
		},
		Emit: func(d fakekit.Delivery) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.deliveries = append(h.deliveries, d)
		},
		MaxBody: maxBody,
	}
}

// Serve starts fake behind an httptest server closed at the end of the test.
// Request and Raw prefix basePath to their paths; Request sends header.
func (h *Harness) Serve(fake http.Handler, basePath string, header http.Header) {
	h.basePath = basePath
	h.header = header
	h.Srv = httptest.NewServer(fake)
	h.T.Cleanup(h.Srv.Close)
}

// Advance moves the clock forward.
func (h *Harness) Advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

// TakeDeliveries returns and forgets the recorded deliveries.
func (h *Harness) TakeDeliveries() []fakekit.Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := h.deliveries
	h.deliveries = nil
	return d
}

// Topics returns the topics of ds in order.
func Topics(ds []fakekit.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Topic
	}
	return out
}

// Request sends an authenticated request; body is raw JSON ("" for none).
func (h *Harness) Request(method, path string, q url.Values, body string) (int, []byte) {
	h.T.Helper()
	return h.Raw(method, path, q, body, h.header.Clone())
}

// Raw sends a request with exactly the headers hdr and returns status and body.
func (h *Harness) Raw(method, path string, q url.Values, body string, hdr http.Header) (int, []byte) {
	h.T.Helper()
	u := h.Srv.URL + h.basePath + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.T.Fatal(err)
	}
	req.Header = hdr
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.T.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.T.Fatal(err)
	}
	return resp.StatusCode, b
}

// MustStatus sends a Request and fails unless it gets want; it returns the body.
func (h *Harness) MustStatus(want int, method, path string, q url.Values, body string) []byte {
	h.T.Helper()
	got, b := h.Request(method, path, q, body)
	if got != want {
		h.T.Fatalf("%s %s: status %d, want %d; body %s", method, path, got, want, b)
	}
	return b
}

// Decode unmarshals b into v or fails the test.
func Decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

// DecodeMap unmarshals b into a generic map or fails the test.
func DecodeMap(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	Decode(t, b, &m)
	return m
}

// MustErrorField sends a Request, fails unless it gets want and an error body
// whose string field is present and non-empty, and returns that string. The
// field names the platform's error shape ("message", "error_message", …).
func (h *Harness) MustErrorField(field string, want int, method, path string, q url.Values, body string) string {
	h.T.Helper()
	b := h.MustStatus(want, method, path, q, body)
	var e map[string]json.RawMessage
	var msg string
	if err := json.Unmarshal(b, &e); err != nil || json.Unmarshal(e[field], &msg) != nil || msg == "" {
		h.T.Fatalf("%s %s: error body %s lacks %s", method, path, b, field)
	}
	return msg
}
