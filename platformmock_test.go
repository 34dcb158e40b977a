package loyalty_test

import (
	"bytes"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// Where the mock mounts each platform: below the root, so that a request
// built with an absolute path misses and fails loudly (go-github's habit).
const (
	mockQualifioBase    = "/qualifio/api"
	mockQualifioToken   = "/qualifio/token"
	mockYotpoBase       = "/yotpo/api/v2"
	mockInfluenceIOBase = "/influenceio"
	mockMonterosaBase   = "/space"

	mockQualifioAccessToken = "mock-access-token"
	mockMonterosaToken      = "mock-user-jwt"
)

// exchange is one request a test expects and the answer it gets.
type exchange struct {
	Method string
	// Path is the escaped path relative to the platform's base URL, as
	// sent: "/management/members/a%2Fb".
	Path string
	// Query must equal the request's query (auth parameters aside); nil
	// means no query.
	Query url.Values
	// Header lists headers that must have exactly these values.
	Header map[string]string
	// Body is the JSON the request must carry, compared as JSON; empty
	// means no body.
	Body string

	Status     int // 200 when zero
	Resp       string
	RespHeader map[string]string
}

// platformMock serves the exchanges in order and fails the test on a
// request it did not expect, and at cleanup on one that never came.
type platformMock struct {
	t   *testing.T
	srv *httptest.Server

	mu   sync.Mutex
	want []exchange
	got  []*http.Request
}

func newPlatformMock(t *testing.T, want ...exchange) *platformMock {
	t.Helper()
	m := &platformMock{t: t, want: want}
	m.srv = httptest.NewServer(http.HandlerFunc(m.serve))
	t.Cleanup(func() {
		m.srv.Close()
		m.mu.Lock()
		defer m.mu.Unlock()
		if len(m.want) > 0 {
			t.Errorf("platform mock: %d expected request(s) never came, next %s %s", len(m.want), m.want[0].Method, m.want[0].Path)
		}
	})
	return m
}

// requests returns the API requests served (token requests aside).
func (m *platformMock) requests() []*http.Request {
	m.mu.Lock()
	defer m.mu.Unlock()
	return append([]*http.Request(nil), m.got...)
}

func (m *platformMock) serve(w http.ResponseWriter, r *http.Request) {
	if r.URL.Path == mockQualifioToken {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"`+mockQualifioAccessToken+`","token_type":"Bearer","expires_in":3600}`)
		return
	}
	body, _ := io.ReadAll(r.Body)
	m.mu.Lock()
	m.got = append(m.got, r)
	if len(m.want) == 0 {
		m.mu.Unlock()
		m.t.Errorf("platform mock: unexpected request %s %s", r.Method, r.URL.RequestURI())
		http.Error(w, "unexpected", http.StatusTeapot)
		return
	}
	x := m.want[0]
	m.want = m.want[1:]
	m.mu.Unlock()

	path := strings.TrimPrefix(r.URL.EscapedPath(), platformBase(r.URL.EscapedPath()))
	if r.Method != x.Method || path != x.Path {
		m.t.Errorf("platform mock: got %s %s, want %s %s", r.Method, path, x.Method, x.Path)
	}
	q := r.URL.Query()
	for _, k := range []string{"guid", "api_key"} { // Yotpo query auth, checked elsewhere
		q.Del(k)
	}
	if want := x.Query; (len(want) > 0 || len(q) > 0) && q.Encode() != want.Encode() {
		m.t.Errorf("platform mock: %s %s: query %q, want %q", x.Method, x.Path, q.Encode(), want.Encode())
	}
	for k, v := range x.Header {
		if got := r.Header.Get(k); got != v {
			m.t.Errorf("platform mock: %s %s: header %s = %q, want %q", x.Method, x.Path, k, got, v)
		}
	}
	switch {
	case x.Body == "" && len(body) > 0:
		m.t.Errorf("platform mock: %s %s: unexpected body %s", x.Method, x.Path, body)
	case x.Body != "" && !jsonEqual(body, []byte(x.Body)):
		m.t.Errorf("platform mock: %s %s: body\n got  %s\n want %s", x.Method, x.Path, body, x.Body)
	}
	for k, v := range x.RespHeader {
		w.Header().Set(k, v)
	}
	if x.Resp != "" && w.Header().Get("Content-Type") == "" {
		w.Header().Set("Content-Type", "application/json")
	}
	w.WriteHeader(max(x.Status, http.StatusOK))
	io.WriteString(w, x.Resp)
}

func platformBase(path string) string {
	for _, b := range []string{mockQualifioBase, mockYotpoBase, mockInfluenceIOBase, mockMonterosaBase} {
		if strings.HasPrefix(path, b+"/") {
			return b
		}
	}
	return ""
}

// jsonEqual compares two JSON documents, numbers as written: 1.250 is not
// 1.25, so that a money amount with the wrong digits fails.
func jsonEqual(a, b []byte) bool {
	decode := func(b []byte) (any, bool) {
		dec := json.NewDecoder(bytes.NewReader(b))
		dec.UseNumber()
		var v any
		return v, dec.Decode(&v) == nil
	}
	x, okx := decode(a)
	y, oky := decode(b)
	if !okx || !oky {
		return false
	}
	ja, _ := json.Marshal(x)
	jb, _ := json.Marshal(y)
	return string(ja) == string(jb)
}

// client returns a Client for platform p pointed at the mock, with
// fastRetry and, for Yotpo, no client-side rate limit; opts come last.
func (m *platformMock) client(p loyalty.Platform, opts ...loyalty.Option) *loyalty.Client {
	m.t.Helper()
	var o loyalty.Option
	switch p {
	case loyalty.Qualifio:
		o = loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "mock-id", ClientSecret: "mock-secret",
			BaseURL: m.srv.URL + mockQualifioBase, TokenURL: m.srv.URL + mockQualifioToken})
	case loyalty.Yotpo:
		o = loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "mock-guid", APIKey: "mock-key", BaseURL: m.srv.URL + mockYotpoBase, RateLimit: rate.Inf})
	case loyalty.InfluenceIO:
		o = loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "mock-key", BaseURL: m.srv.URL + mockInfluenceIOBase})
	case loyalty.Monterosa:
		o = loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: m.srv.URL + mockMonterosaBase,
			TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: mockMonterosaToken})})
	}
	c, err := loyalty.NewClient(append([]loyalty.Option{o, loyalty.WithRetryPolicy(fastRetry)}, opts...)...)
	if err != nil {
		m.t.Fatal(err)
	}
	return c
}

// hijackServer returns the URL of a server that reads each request whole
// and then closes the connection without answering.
func hijackServer(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		conn, _, err := w.(http.Hijacker).Hijack()
		if err == nil {
			conn.Close()
		}
	}))
	t.Cleanup(srv.Close)
	return srv.URL
}

// closedURL returns the URL of a loopback address that refuses connections.
func closedURL(t *testing.T) string {
	t.Helper()
	srv := httptest.NewServer(http.NotFoundHandler())
	u := srv.URL
	srv.Close()
	return u
}
