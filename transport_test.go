package loyalty_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

// stampTransport records when each attempt leaves the client, right after
// the rate limiter lets it go, so server-side scheduling noise stays out of
// the measurement.
type stampTransport struct {
	mu    sync.Mutex
	times []time.Time
	base  http.RoundTripper
}

func (s *stampTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	s.mu.Lock()
	s.times = append(s.times, time.Now())
	s.mu.Unlock()
	return s.base.RoundTrip(r)
}

func TestYotpoRateLimiterKeepsUnderTenPerSecond(t *testing.T) {
	var rec recorder
	mux := http.NewServeMux()
	mux.HandleFunc(yotpoBase+"/", func(w http.ResponseWriter, r *http.Request) { rec.add(r); fmt.Fprint(w, `{}`) })
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	stamps := &stampTransport{base: http.DefaultTransport}
	// The default: Yotpo's documented 10 requests per second.
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL + yotpoBase}),
		loyalty.WithHTTPClient(&http.Client{Transport: stamps}))
	require.NoError(t, err)

	start := time.Now()
	var wg sync.WaitGroup
	for w := 0; w < 6; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 5; i++ {
				req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
				_, err := c.Do(context.Background(), req, nil)
				assert.NoError(t, err)
			}
		}()
	}
	wg.Wait()
	require.Equal(t, 30, rec.count())
	require.Len(t, stamps.times, 30)
	// The limiter hands out one slot every 100ms from the first call on, and
	// a late goroutine only departs later, never earlier: so the k-th request
	// to leave cannot leave before start + k*100ms. That bounds every
	// stretch from the start to at most 10 requests per second, whatever the
	// scheduling noise on a loaded machine.
	for k, ts := range stamps.times {
		assert.GreaterOrEqual(t, ts.Sub(start), time.Duration(k)*100*time.Millisecond-time.Millisecond, "request %d left too early", k)
	}
	assert.GreaterOrEqual(t, stamps.times[29].Sub(stamps.times[0]), 2*time.Second, "30 calls at 10/s take about 3s")
}

func TestLogsNeverCarrySecrets(t *testing.T) {
	const (
		apiKey       = "yotpo-secret-key-0001"
		clientSecret = "qualifio-client-secret-0002"
		bearer       = "monterosa-jwt-0003"
	)
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))

	var issued []string
	var mu sync.Mutex
	mux := http.NewServeMux()
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		tok := fmt.Sprintf("issued-token-%d", len(issued))
		issued = append(issued, tok)
		mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		fmt.Fprintf(w, `{"access_token":%q,"expires_in":3600}`, tok)
	})
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		switch {
		case strings.Contains(r.URL.Path, "unauth"):
			w.WriteHeader(http.StatusUnauthorized)
		default:
			w.WriteHeader(http.StatusInternalServerError)
		}
		fmt.Fprint(w, `{"message":"boom"}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()

	retry := loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond})
	yc, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "guid", APIKey: apiKey, BaseURL: srv.URL + "/api/v2", QueryAuth: true}), loyalty.WithLogger(logger), retry)
	require.NoError(t, err)
	qc, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: clientSecret, BaseURL: srv.URL + "/api", TokenURL: srv.URL + "/token"}),
		loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: srv.URL, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: bearer})}),
		loyalty.WithLogger(logger), retry)
	require.NoError(t, err)

	badToken, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: clientSecret, BaseURL: srv.URL + "/api", TokenURL: srv.URL + "/unauth-token"}),
		loyalty.WithLogger(logger), retry)
	require.NoError(t, err)

	var errs []string
	call := func(c *loyalty.Client, p loyalty.Platform, path string) {
		req, err := c.NewRequest(p, http.MethodGet, path, nil)
		require.NoError(t, err)
		_, err = c.Do(context.Background(), req, nil)
		require.Error(t, err)
		errs = append(errs, err.Error())
	}
	call(yc, loyalty.Yotpo, "/customers")
	call(yc, loyalty.Yotpo, "/unauth")
	call(qc, loyalty.Qualifio, "/management/members/x")
	call(qc, loyalty.Qualifio, "/unauth")
	call(qc, loyalty.Monterosa, "/api/loyalty/profile")
	call(badToken, loyalty.Qualifio, "/management/members/x")
	srv.Close() // transport errors too
	call(yc, loyalty.Yotpo, "/customers")
	call(qc, loyalty.Monterosa, "/api/loyalty/profile")

	out := logs.String() + strings.Join(errs, "\n")
	require.Contains(t, logs.String(), "status=500", "the failing calls were logged")
	require.Contains(t, logs.String(), "attempt=2")
	require.Contains(t, logs.String(), "error=\"not sent", "the failed token fetch was logged")
	secrets := append([]string{apiKey, clientSecret, bearer}, issued...)
	require.NotEmpty(t, issued)
	for _, s := range secrets {
		assert.NotContains(t, out, s)
	}
}

func TestEveryAttemptIsAuthenticated(t *testing.T) {
	var rec recorder
	mux := http.NewServeMux()
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		if rec.add(r)%2 == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, `{"message":"OK","data":{}}`)
	})
	srv := httptest.NewServer(mux)
	defer srv.Close()
	var issued int
	c, err := loyalty.NewClient(
		loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "inf-key", BaseURL: srv.URL}),
		loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: srv.URL, TokenSource: tokenFunc(func() (*oauth2.Token, error) {
			issued++
			return &oauth2.Token{AccessToken: fmt.Sprintf("jwt-%d", issued)}, nil
		})}),
		loyalty.WithRetryPolicy(fastRetry),
	)
	require.NoError(t, err)
	for _, p := range []struct {
		platform loyalty.Platform
		path     string
	}{{loyalty.InfluenceIO, "/v1/customers/C-1"}, {loyalty.Monterosa, "/api/loyalty/profile"}} {
		req, err := c.NewRequest(p.platform, http.MethodGet, p.path, nil)
		require.NoError(t, err)
		_, err = c.Do(context.Background(), req, nil)
		require.NoError(t, err)
	}
	require.Equal(t, 4, rec.count())
	for _, r := range rec.reqs[:2] {
		assert.Equal(t, "inf-key", r.Header.Get("x-api-key"))
		assert.Empty(t, r.Header.Get("Authorization"))
	}
	assert.Equal(t, "Bearer jwt-1", rec.reqs[2].Header.Get("Authorization"))
	assert.Equal(t, "Bearer jwt-2", rec.reqs[3].Header.Get("Authorization"), "the retry asks the token source again")
}

type tokenFunc func() (*oauth2.Token, error)

func (f tokenFunc) Token() (*oauth2.Token, error) { return f() }
