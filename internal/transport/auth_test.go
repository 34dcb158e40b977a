package transport

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
)

type clock struct {
	mu  sync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) add(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

// A one-hour token is renewed 30s before it expires, not at expiry and not
// earlier; a failed early renewal keeps serving the still-valid token.
func TestTokenCacheRenewsEarlyAndSurvivesAFailedRenewal(t *testing.T) {
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var fetches int
	var fail bool
	c := &TokenCache{Early: 30 * time.Second, Now: clk.Now, Fetch: func(context.Context) (*oauth2.Token, error) {
		fetches++
		if fail {
			return nil, errors.New("token endpoint down")
		}
		return &oauth2.Token{AccessToken: string(rune('a' + fetches - 1)), Expiry: clk.Now().Add(time.Hour)}, nil
	}}
	ctx := context.Background()
	tok := func() string {
		t.Helper()
		got, err := c.Token(ctx)
		if err != nil {
			t.Fatal(err)
		}
		return got.AccessToken
	}
	if tok() != "a" {
		t.Fatal("first token")
	}
	clk.add(time.Hour - 31*time.Second)
	if got := tok(); got != "a" || fetches != 1 {
		t.Fatalf("31s before expiry: token %q after %d fetches, want a after 1", got, fetches)
	}
	clk.add(2 * time.Second) // 29s before expiry: inside the early window
	fail = true
	if got := tok(); got != "a" || fetches != 2 {
		t.Fatalf("failed early renewal: token %q after %d fetches, want the valid a after 2", got, fetches)
	}
	fail = false
	if got := tok(); got != "c" || fetches != 3 {
		t.Fatalf("renewal: token %q after %d fetches, want c (the third fetch) after 3", got, fetches)
	}
	// Once the token has expired, a failed renewal is an error.
	clk.add(2 * time.Hour)
	fail = true
	if _, err := c.Token(ctx); err == nil {
		t.Fatal("an expired token must not be served")
	}
}

func TestTokenCacheInvalidateDropsOnlyTheTokenSent(t *testing.T) {
	var n int
	c := &TokenCache{Fetch: func(context.Context) (*oauth2.Token, error) {
		n++
		return &oauth2.Token{AccessToken: string(rune('a' + n - 1))}, nil
	}}
	req, _ := http.NewRequest(http.MethodGet, "http://x", nil)
	if err := c.Authenticate(req); err != nil {
		t.Fatal(err)
	}
	stale, _ := http.NewRequest(http.MethodGet, "http://x", nil)
	stale.Header.Set("Authorization", "Bearer old")
	c.Invalidate(stale) // not the cached token: nothing happens
	if tok, _ := c.Token(context.Background()); tok.AccessToken != "a" || n != 1 {
		t.Fatalf("token %q after %d fetches", tok.AccessToken, n)
	}
	c.Invalidate(req)
	if tok, _ := c.Token(context.Background()); tok.AccessToken != "b" || n != 2 {
		t.Fatalf("token %q after %d fetches", tok.AccessToken, n)
	}
}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// Credentials in the request's context win over the round-tripper's own, for
// that request only; the caller's request is never changed.
func TestAuthPrefersCredentialsFromContext(t *testing.T) {
	var got []string
	a := &Auth{Auth: BearerToken("client-default"), Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		got = append(got, r.Header.Get("Authorization"))
		return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: r}, nil
	})}
	send := func(ctx context.Context) {
		t.Helper()
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.test/x", nil)
		resp, err := a.RoundTrip(req)
		if err != nil {
			t.Fatal(err)
		}
		if req.Header.Get("Authorization") != "" || resp.Request != req {
			t.Fatal("the caller's request carries credentials")
		}
	}
	send(context.Background())
	send(WithAuth(context.Background(), BearerToken("fan-a")))
	send(WithAuth(context.Background(), Bearer{Source: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "fan-b"})}))
	send(context.Background())
	want := []string{"Bearer client-default", "Bearer fan-a", "Bearer fan-b", "Bearer client-default"}
	for i := range want {
		if i >= len(got) || got[i] != want[i] {
			t.Fatalf("sent %q, want %q", got, want)
		}
	}
}

// An early renewal answered 429 with Retry-After keeps serving the still
// valid token at once, rather than making calls wait for the endpoint.
func TestTokenCacheRetryAfterDoesNotHoldBackAValidToken(t *testing.T) {
	clk := &clock{now: time.Now()}
	var fetches int
	c := &TokenCache{Early: 30 * time.Second, MaxRetryAfter: time.Minute, Now: clk.Now, Fetch: func(context.Context) (*oauth2.Token, error) {
		fetches++
		if fetches == 2 {
			resp := &http.Response{StatusCode: http.StatusTooManyRequests, Header: http.Header{"Retry-After": {"30"}}}
			return nil, &oauth2.RetrieveError{Response: resp}
		}
		return &oauth2.Token{AccessToken: "t", Expiry: clk.Now().Add(time.Hour)}, nil
	}}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	if _, err := c.Token(ctx); err != nil {
		t.Fatal(err)
	}
	clk.add(time.Hour - 10*time.Second) // inside the early window, still valid
	for i := range 3 {
		start := time.Now()
		tok, err := c.Token(ctx)
		if err != nil || tok.AccessToken != "t" || time.Since(start) > 100*time.Millisecond {
			t.Fatalf("call %d: %v %v after %v", i, tok, err, time.Since(start))
		}
	}
	if fetches != 2 {
		t.Fatalf("%d fetches: the endpoint asked to wait", fetches)
	}
}

// A refusal of the credentials (400 or 401) is remembered for RefusedFor:
// the calls in that time get it without asking the endpoint again.
func TestTokenCacheRemembersARefusal(t *testing.T) {
	clk := &clock{now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)}
	var fetches int
	status := http.StatusBadRequest
	c := &TokenCache{RefusedFor: 5 * time.Second, Now: clk.Now, Fetch: func(context.Context) (*oauth2.Token, error) {
		fetches++
		if status != http.StatusOK {
			return nil, &oauth2.RetrieveError{Response: &http.Response{StatusCode: status}, ErrorCode: "unauthorized_client"}
		}
		return &oauth2.Token{AccessToken: "a", Expiry: clk.Now().Add(time.Hour)}, nil
	}}
	ctx := context.Background()
	for range 50 {
		var re *oauth2.RetrieveError
		if _, err := c.Token(ctx); !errors.As(err, &re) || re.ErrorCode != "unauthorized_client" {
			t.Fatalf("got %v, want the refusal", err)
		}
	}
	if fetches != 1 {
		t.Fatalf("%d fetches for 50 calls in the refusal window, want 1", fetches)
	}
	clk.add(6 * time.Second)
	status = http.StatusOK
	if tok, err := c.Token(ctx); err != nil || tok.AccessToken != "a" || fetches != 2 {
		t.Fatalf("after the window: %v, %v after %d fetches", tok, err, fetches)
	}
	// A 503 is no refusal: the next call asks again.
	c = &TokenCache{RefusedFor: 5 * time.Second, Now: clk.Now, Fetch: func(context.Context) (*oauth2.Token, error) {
		fetches++
		return nil, &oauth2.RetrieveError{Response: &http.Response{StatusCode: http.StatusServiceUnavailable, Header: http.Header{}}}
	}}
	fetches = 0
	_, _ = c.Token(ctx)
	_, _ = c.Token(ctx)
	if fetches != 2 {
		t.Fatalf("%d fetches after two 503s, want 2", fetches)
	}
}
