package loyalty_test

import (
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/cookiejar"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

// cookieServer sets a session cookie named after the fan on every
// Monterosa call and records the Cookie header each call carried.
type cookieServer struct {
	srv     *httptest.Server
	mu      sync.Mutex
	cookies []string // per call, in order
}

func newCookieServer(t *testing.T) *cookieServer {
	t.Helper()
	s := &cookieServer{}
	s.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		s.mu.Lock()
		s.cookies = append(s.cookies, r.Header.Get("Cookie"))
		s.mu.Unlock()
		fan := r.URL.Query().Get("userId")
		if fan == "" {
			fan = strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
		}
		http.SetCookie(w, &http.Cookie{Name: "session", Value: "of-" + fan, Path: "/"})
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprint(w, `{"message":"OK","data":{}}`)
	}))
	t.Cleanup(s.srv.Close)
	return s
}

// Per-user views share the Client's connections but no per-user state: a
// cookie a platform sets on one fan's call is never sent on another's,
// whichever way the view names its fan, even with a cookie jar in the
// http.Client given to WithHTTPClient; and the SDK leaves that jar alone.
func TestRewardsViewsShareNoCookies(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name    string
		service bool
		fan     func(c *loyalty.Client, id string) *loyalty.RewardsService
	}{
		{"ForUser", false, func(c *loyalty.Client, id string) *loyalty.RewardsService { return c.Rewards.ForUser(id) }},
		{"ForUserTokenSource", false, func(c *loyalty.Client, id string) *loyalty.RewardsService {
			return c.Rewards.ForUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: id}))
		}},
		{"ForUserID", true, func(c *loyalty.Client, id string) *loyalty.RewardsService { return c.Rewards.ForUserID(id) }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := newCookieServer(t)
			jar, err := cookiejar.New(nil)
			require.NoError(t, err)
			cfg := loyalty.MonterosaConfig{BaseURL: s.srv.URL}
			if tc.service {
				cfg.TokenSource, cfg.ServiceToken = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "svc"}), true
			}
			c, err := loyalty.NewClient(loyalty.WithMonterosa(cfg), loyalty.WithHTTPClient(&http.Client{Jar: jar, Timeout: 5 * time.Second}))
			require.NoError(t, err)
			for _, fan := range []string{"fan-a", "fan-b", "fan-a"} {
				_, _, err := tc.fan(c, fan).Profile(ctx)
				require.NoError(t, err)
			}
			s.mu.Lock()
			defer s.mu.Unlock()
			assert.Equal(t, []string{"", "", ""}, s.cookies, "no call carries a cookie a platform set")
			u, _ := url.Parse(s.srv.URL)
			assert.Empty(t, jar.Cookies(u), "the caller's jar is not written")
		})
	}
}

// blockingSource is a TokenSource that blocks until released (or for
// 2 s), as a token service that hangs would.
type blockingSource struct{ release chan struct{} }

func (b blockingSource) Token() (*oauth2.Token, error) {
	select {
	case <-b.release:
	case <-time.After(2 * time.Second):
	}
	return &oauth2.Token{AccessToken: "late"}, nil
}

// A TokenSource that blocks does not hold the call past its context, the
// Client's as a view's: the call returns at its deadline with the
// context's error. The blocked Token call finishes on its own when the
// source returns (released at cleanup; goleak checks nothing is left).
func TestRewardsBlockingTokenSourceHonoursContext(t *testing.T) {
	srv := newCookieServer(t)
	for _, tc := range []struct {
		name string
		call func(ts oauth2.TokenSource) error
	}{
		{"Client", func(ts oauth2.TokenSource) error {
			c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: srv.srv.URL, TokenSource: ts}))
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_, _, err = c.Rewards.Profile(ctx)
			return err
		}},
		{"ForUserTokenSource", func(ts oauth2.TokenSource) error {
			c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: srv.srv.URL}))
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			_, _, err = c.Rewards.ForUserTokenSource(ts).Profile(ctx)
			return err
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ts := blockingSource{release: make(chan struct{})}
			t.Cleanup(func() { close(ts.release) })
			start := time.Now()
			err := tc.call(ts)
			took := time.Since(start)
			assert.ErrorIs(t, err, context.DeadlineExceeded)
			assert.Less(t, took, time.Second, "the call waited for the token source past its deadline")
		})
	}
	srv.mu.Lock()
	defer srv.mu.Unlock()
	assert.Empty(t, srv.cookies, "nothing was sent")
}

// A RewardsService printed or logged as a value, not only as a pointer,
// never shows the fan's token.
func TestRewardsViewValueRedactsToken(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.Monterosa)
	const jwt = "eyJhbGciOiJIUzI1NiJ9.fan-secret.sig"
	p := c.Rewards.ForUser(jwt)
	v := *p
	var logged strings.Builder
	for _, x := range []any{v, p} {
		slog.New(slog.NewTextHandler(&logged, nil)).Info("acting", "rewards", x)
		slog.New(slog.NewJSONHandler(&logged, nil)).Info("acting", "rewards", x)
	}
	outs := []string{
		fmt.Sprint(v), fmt.Sprintf("%v|%+v|%#v|%s|%q", v, v, v, v, v),
		fmt.Sprintf("%v|%+v|%#v|%s|%q", p, p, p, p, p),
		fmt.Sprintf("%+v %#v", []loyalty.RewardsService{v}, struct{ R loyalty.RewardsService }{v}),
		logged.String(),
	}
	for _, out := range outs {
		assert.NotContains(t, out, "fan-secret")
		assert.Contains(t, out, "[redacted]")
	}
	assert.Equal(t, `Rewards.ForUserID("fan-7")`, fmt.Sprint(*c.Rewards.ForUserID("fan-7")))
	assert.Equal(t, "Rewards", fmt.Sprint(*c.Rewards))
}
