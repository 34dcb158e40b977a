package transport

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
)

// The hot path of every call: these pin what the benchmarks of the bench
// module found, so that a change that brings the allocations back fails.

func TestHeadersAuthenticateSetsCanonicalNames(t *testing.T) {
	h := NewHeaders(map[string]string{"X-GUID": "g", "x-api-key": "k"})
	req, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
	if err := h.Authenticate(req); err != nil {
		t.Fatal(err)
	}
	if got := req.Header["X-Guid"]; len(got) != 1 || got[0] != "g" {
		t.Errorf("X-Guid = %q", got)
	}
	if got := req.Header.Get("X-API-KEY"); got != "k" {
		t.Errorf("X-Api-Key = %q", got)
	}
	allocs := testing.AllocsPerRun(100, func() { _ = h.Authenticate(req) })
	if allocs > 0 { // the value slices are built once, in NewHeaders
		t.Errorf("Authenticate: %v allocations, want none", allocs)
	}
	// Appending to an attempt's header never writes into the shared values.
	req.Header.Add("X-Guid", "other")
	again, _ := http.NewRequest(http.MethodGet, "https://api.example/x", nil)
	_ = h.Authenticate(again)
	if got := again.Header["X-Guid"]; len(got) != 1 || got[0] != "g" {
		t.Errorf("after an append elsewhere, X-Guid = %q", got)
	}
}

func TestAttemptsBodyIsTheBufferedBodyOfItsResponse(t *testing.T) {
	ctx, a := WithAttempts(context.Background())
	base := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		return &http.Response{StatusCode: 200, Body: io.NopCloser(strings.NewReader(`{"a":1}`)), Header: http.Header{}, Request: r}, nil
	})
	req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "https://api.example/x", nil)
	resp, err := (&Buffer{Base: base, Max: 1 << 10, ErrorMax: 1 << 10}).RoundTrip(req)
	if err != nil {
		t.Fatal(err)
	}
	bb, ok := a.Body(resp).(*Buffered)
	if !ok || string(bb.Unread()) != `{"a":1}` {
		t.Fatalf("Body = %T %q, want the *Buffered of the answer", a.Body(resp), bb.Unread())
	}
	other := &http.Response{Body: io.NopCloser(strings.NewReader("x"))}
	if a.Body(other) != other.Body {
		t.Error("Body of another response is not its own Body")
	}
	buf := make([]byte, 3)
	if _, err := bb.Read(buf); err != nil || string(bb.Unread()) != `":1}` {
		t.Errorf("Unread after reading 3 bytes = %q", bb.Unread())
	}
}

func TestRuleAndAttemptsShareOneContextValue(t *testing.T) {
	ctx := WithRule(context.Background(), Rule{Route: "/x", Idempotent: true})
	ctx2, a := WithAttempts(ctx)
	if ctx2 != ctx {
		t.Error("WithAttempts right after WithRule added a context value")
	}
	if r, ok := ruleFrom(ctx2); !ok || r.Route != "/x" || attemptsFrom(ctx2) != a {
		t.Errorf("rule %+v %v, attempts %p want %p", r, ok, attemptsFrom(ctx2), a)
	}
	// A second call on the same context gets fresh Attempts, the Rule kept.
	ctx3, b := WithAttempts(ctx2)
	if b == a || attemptsFrom(ctx3) != b || attemptsFrom(ctx2) != a {
		t.Error("a second WithAttempts shares the first's Attempts")
	}
	if r, _ := ruleFrom(ctx3); r.Route != "/x" {
		t.Errorf("rule after a second WithAttempts: %+v", r)
	}
	// A Rule set later keeps the Attempts, and does not hand them out again.
	ctx4 := WithRule(ctx3, Rule{Route: "/y"})
	if attemptsFrom(ctx4) != b {
		t.Error("WithRule dropped the Attempts")
	}
	if _, c := WithAttempts(ctx4); c == b {
		t.Error("WithAttempts after WithRule reused Attempts already handed out")
	}
	allocs := testing.AllocsPerRun(100, func() {
		_, _ = WithAttempts(WithRule(context.Background(), Rule{}))
	})
	if allocs > 2 {
		t.Errorf("WithRule + WithAttempts: %v allocations, want at most 2", allocs)
	}
}

func TestAuthCopyLeavesTheCallersRequestAlone(t *testing.T) {
	for _, auth := range []Authenticator{NewHeaders(map[string]string{"X-API-KEY": "secret"}), Query{"api_key": "secret"}, BearerToken("secret")} {
		var sent *http.Request
		a := &Auth{Auth: auth, Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			sent = r
			return &http.Response{StatusCode: 200, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
		})}
		req, _ := http.NewRequest(http.MethodGet, "https://api.example/x?a=1", nil)
		req.Header.Set("Accept", "application/json")
		resp, err := a.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(sent.Header.Get("X-Api-Key")+sent.URL.RawQuery+sent.Header.Get("Authorization"), "secret") {
			t.Errorf("%T: the credential was not sent", auth)
		}
		if len(req.Header) != 1 || req.URL.RawQuery != "a=1" || resp.Request != req {
			t.Errorf("%T: the caller's request changed: %v %q", auth, req.Header, req.URL.RawQuery)
		}
	}
}

// readBody reads a body of known length into one slice of that size, and
// still reads what a body sends past its declared length, up to the cap.
func TestReadBody(t *testing.T) {
	for _, tc := range []struct {
		name    string
		body    string
		n, max  int64
		want    string
		wantErr error
	}{
		{"exact", "hello", 5, 100, "hello", nil},
		{"unknown length", "hello", -1, 100, "hello", nil},
		{"longer than declared", "hello world", 5, 100, "hello world", nil},
		{"longer than declared, capped", "hello world", 5, 8, "hello wo", nil},
		{"shorter than declared", "hel", 5, 100, "hel", io.ErrUnexpectedEOF},
		{"empty, declared 5", "", 5, 100, "", io.ErrUnexpectedEOF},
		{"declared over the cap", "hello", 5, 3, "hel", nil},
		{"empty", "", 0, 100, "", nil},
	} {
		got, err := readBody(strings.NewReader(tc.body), tc.n, tc.max)
		if string(got) != tc.want || err != tc.wantErr {
			t.Errorf("%s: %q, %v; want %q, %v", tc.name, got, err, tc.want, tc.wantErr)
		}
	}
	body := strings.Repeat("x", 1200)
	if n := testing.AllocsPerRun(100, func() { _, _ = readBody(strings.NewReader(body), 1200, 1<<20) }); n > 2 {
		t.Errorf("readBody of a known length: %v allocations, want the slice and the reader", n)
	}
}

// countingConn counts the writes of a client connection.
type countingConn struct {
	net.Conn
	writes *atomic.Int32
}

func (c countingConn) Write(b []byte) (int, error) {
	c.writes.Add(1)
	return c.Conn.Write(b)
}

// A write's headers and body leave in one write, as net/http sends a body
// it knows to be in memory: any other reader makes it flush the headers
// first, a second write (and TCP packet) on every call.
func TestDoWritesHeadersAndBodyInOneWrite(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
	}))
	defer srv.Close()
	var writes atomic.Int32
	tr := &http.Transport{DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
		c, err := (&net.Dialer{}).DialContext(ctx, network, addr)
		return countingConn{c, &writes}, err
	}}
	defer tr.CloseIdleConnections()
	body := []byte(`{"email":"ana@example.com"}`)
	for i := range 3 {
		req, _ := http.NewRequest(http.MethodPost, srv.URL, nil)
		before := writes.Load()
		resp, err := Policy{}.Do(tr, req, body)
		if err != nil {
			t.Fatal(err)
		}
		_, _ = io.Copy(io.Discard, resp.Body)
		resp.Body.Close()
		if n := writes.Load() - before; n != 1 {
			t.Errorf("call %d: %d writes, want 1", i, n)
		}
	}
}
