package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

// A redirect must not carry credentials to the host it names, whatever the
// auth mode: the 3xx comes back as an error instead.
func TestRedirectsAreNotFollowedWithCredentials(t *testing.T) {
	var elsewhere recorder
	other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { elsewhere.add(r) }))
	defer other.Close()
	origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, other.URL+"/stolen", http.StatusFound)
	}))
	defer origin.Close()

	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "JWT-SECRET"})
	header, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "KEY-SECRET", BaseURL: origin.URL}),
		loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: origin.URL, TokenSource: ts}))
	require.NoError(t, err)
	query, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "KEY-SECRET", BaseURL: origin.URL, QueryAuth: true}))
	require.NoError(t, err)
	for _, tc := range []struct {
		c *loyalty.Client
		p loyalty.Platform
	}{{header, loyalty.Yotpo}, {query, loyalty.Yotpo}, {header, loyalty.Monterosa}} {
		req, err := tc.c.NewRequest(tc.p, http.MethodGet, "/x", nil)
		require.NoError(t, err)
		_, err = tc.c.Do(context.Background(), req, nil)
		var e *loyalty.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, http.StatusFound, e.StatusCode)
	}
	assert.Equal(t, 0, elsewhere.count(), "no request may reach the redirect target")
}

// The Response and the Error expose the request the caller built, not the
// authenticated copy: no key in Response.Request.URL in query mode.
func TestResponseRequestCarriesNoCredentials(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/missing") {
			w.WriteHeader(http.StatusNotFound)
		}
		fmt.Fprint(w, `{}`)
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "KEY-SECRET", BaseURL: srv.URL, QueryAuth: true}))
	require.NoError(t, err)
	req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/ok", nil)
	resp, err := c.Do(context.Background(), req, nil)
	require.NoError(t, err)
	assert.NotContains(t, resp.Request.URL.String(), "KEY-SECRET")
	assert.Empty(t, resp.Request.Header.Get("X-API-KEY"))

	req, _ = c.NewRequest(loyalty.Yotpo, http.MethodGet, "/missing", nil)
	_, err = c.Do(context.Background(), req, nil)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.NotContains(t, e.Response.Request.URL.String(), "KEY-SECRET")
}

func TestTokenEndpointErrorKeepsNoSecret(t *testing.T) {
	q := newQualifioStub(t, 3600)
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{
		ClientID: "cid", ClientSecret: "CLIENT-SECRET", BaseURL: q.srv.URL + "/api", TokenURL: q.srv.URL + "/token",
	}))
	require.NoError(t, err)
	_, err = qualifioGet(c)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	require.NotNil(t, e.Response)
	assert.Nil(t, e.Response.Request, "the token request held the client secret")
	assert.Contains(t, e.Message, "OAuth token endpoint")
	assert.NotContains(t, fmt.Sprintf("%+v %s", *e, e.Body), "CLIENT-SECRET")
}

// Do checks the exported fields again: a path changed after NewRequest must
// not move the call (and its key) to another host.
func TestDoRechecksRequestFields(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) { rec.add(r) })
	for _, path := range []string{"@127.0.0.1:1/x", ".evil.example/x", "/../../admin", "/a/./b", "/a b", "/a\x00"} {
		req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
		require.NoError(t, err)
		req.Path = path
		_, err = c.Do(context.Background(), req, nil)
		assert.ErrorContains(t, err, "loyalty: Do: path", path)
	}
	req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	req.Method = "GET X"
	_, err := c.Do(context.Background(), req, nil)
	assert.ErrorContains(t, err, "method")
	var notPointer struct{}
	_, err = c.Do(context.Background(), req, notPointer)
	assert.Error(t, err)
	assert.Equal(t, 0, rec.count())
}

func TestNewRequestRejectsReaderBodyAndDoRejectsNonPointer(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) { rec.add(r); fmt.Fprint(w, `{"ok":true}`) })
	_, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/orders", strings.NewReader(`{"order_id":"o"}`))
	assert.ErrorContains(t, err, "not an io.Reader")
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/orders", map[string]string{"order_id": "o"})
	require.NoError(t, err)
	var out okBody
	_, err = c.Do(context.Background(), req, out)
	assert.ErrorContains(t, err, "non-nil pointer")
	var nilPtr *okBody
	_, err = c.Do(context.Background(), req, nilPtr)
	assert.ErrorContains(t, err, "non-nil pointer")
	assert.Equal(t, 0, rec.count(), "a write must not be sent when its result cannot be decoded")
}

func TestRetryPolicyZeroWaitsTakeDefaults(t *testing.T) {
	var rec recorder
	ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
	defer cancel()
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		if rec.add(r) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}, loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 1}))
	_, out, err := get(t, c, ctx, "/customers")
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.GreaterOrEqual(t, rec.times[1].Sub(rec.times[0]), 900*time.Millisecond, "Retry-After must not be capped to zero by a zero MaxRetryAfter")
}

// A 429 whose Retry-After outlasts the caller's deadline is returned at
// once, with its response, instead of sleeping into a bare deadline error.
func TestRetryAfterBeyondDeadlineReturnsTheResponse(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
	}, loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 3, MaxRetryAfter: time.Minute}))
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Second)
	defer cancel()
	start := time.Now()
	_, _, err := get(t, c, ctx, "/customers")
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, loyalty.ErrRateLimited)
	assert.Equal(t, 30*time.Second, e.RetryAfter)
	assert.Equal(t, 1, rec.count())
	assert.Less(t, time.Since(start), time.Second)
}

func TestLimiterWaitHonoursContext(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { fmt.Fprint(w, `{}`) }))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL, RateLimit: 0.5}))
	require.NoError(t, err)
	req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	_, err = c.Do(context.Background(), req, nil) // takes the only token
	require.NoError(t, err)

	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	_, err = c.Do(ctx, req, nil) // the next token is 2s away
	assert.ErrorIs(t, err, context.DeadlineExceeded)

	ctx, cancel = context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	start := time.Now()
	_, err = c.Do(ctx, req, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), time.Second)
}

func TestTokenFetchHonoursCancellation(t *testing.T) {
	release := make(chan struct{})
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		<-release // a token endpoint that hangs
	}))
	defer srv.Close()
	defer close(release)
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "c", ClientSecret: "s", BaseURL: srv.URL, TokenURL: srv.URL + "/token"}))
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	go func() { time.Sleep(50 * time.Millisecond); cancel() }()
	start := time.Now()
	req, _ := c.NewRequest(loyalty.Qualifio, http.MethodGet, "/management/members/m", nil)
	_, err = c.Do(ctx, req, nil)
	assert.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 2*time.Second)
}

func TestTransientTokenEndpointFailureIsRetried(t *testing.T) {
	q := newQualifioStub(t, 3600)
	failing := 2 // x/oauth2 tries Basic, then form fields: one failed fetch
	var calls int
	mux := http.NewServeMux()
	mux.HandleFunc("/token", func(w http.ResponseWriter, r *http.Request) {
		calls++
		if calls <= failing {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		r2, _ := http.NewRequest(r.Method, q.srv.URL+"/token", r.Body)
		r2.Header = r.Header
		resp, err := http.DefaultClient.Do(r2)
		if err != nil {
			t.Error(err)
			return
		}
		defer resp.Body.Close()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(resp.StatusCode)
		_, _ = io.Copy(w, resp.Body)
	})
	tokens := httptest.NewServer(mux)
	defer tokens.Close()
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: "csecret", BaseURL: q.srv.URL + "/api", TokenURL: tokens.URL + "/token"}),
		loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	req, _ := c.NewRequest(loyalty.Qualifio, http.MethodPost, "/ingestor/events", map[string]string{"id": "e"})
	_, err = c.Do(context.Background(), req, nil)
	require.NoError(t, err, "a POST may be retried when its token could not be fetched: nothing was sent")
	assert.Equal(t, int32(1), q.calls.Load())
}

func TestCredentialsWithControlCharactersAreRejected(t *testing.T) {
	_, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "KEY-SECRET\n"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "APIKey has surrounding spaces or control characters")
	assert.NotContains(t, err.Error(), "KEY-SECRET")
	_, err = loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: "https://:443"}))
	assert.ErrorContains(t, err, "BaseURL must be an absolute http(s) URL")
	assert.False(t, errors.Is(err, loyalty.ErrNotConfigured))
}
