package loyalty_test

import (
	"bytes"
	"compress/gzip"
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

// The token endpoint's redirect is not followed either, whatever the
// user's CheckRedirect: the client secret must never reach another host.
func TestTokenEndpointRedirectIsNotFollowed(t *testing.T) {
	for _, status := range []int{http.StatusTemporaryRedirect, http.StatusPermanentRedirect} {
		var elsewhere recorder
		other := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			elsewhere.add(r)
			w.WriteHeader(http.StatusUnauthorized)
		}))
		defer other.Close()
		origin := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			http.Redirect(w, r, other.URL+"/token", status)
		}))
		defer origin.Close()
		follow := &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return nil }}
		c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: "CLIENT-SECRET",
			BaseURL: origin.URL + "/api", TokenURL: origin.URL + "/token"}), loyalty.WithHTTPClient(follow), loyalty.WithRetryPolicy(loyalty.NoRetry))
		require.NoError(t, err)
		_, err = qualifioGet(c)
		require.Error(t, err)
		assert.Equal(t, 0, elsewhere.count(), "status %d: the token request was replayed to another host", status)
	}
}

// serveBody answers every request with 200 and the body write produces.
func serveBody(t *testing.T, header map[string]string, write func(w io.Writer)) *loyalty.Client {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		for k, v := range header {
			w.Header().Set(k, v)
		}
		write(w)
	}))
	t.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}),
		loyalty.WithRetryPolicy(loyalty.NoRetry), loyalty.WithMaxResponseBytes(1<<20))
	require.NoError(t, err)
	return c
}

func getInto(c *loyalty.Client, ctx context.Context, v any) error {
	req, err := c.NewRequest(loyalty.InfluenceIO, http.MethodGet, "/v1/customers", nil)
	if err != nil {
		return err
	}
	_, err = c.Do(ctx, req, v)
	return err
}

func TestSuccessBodyIsCapped(t *testing.T) {
	var written atomic.Int64
	endless := serveBody(t, nil, func(w io.Writer) {
		io.WriteString(w, `{"data":"`)
		chunk := bytes.Repeat([]byte("a"), 32<<10)
		for written.Load() < 64<<20 {
			n, err := w.Write(chunk)
			written.Add(int64(n))
			if err != nil {
				return
			}
		}
	})
	var out map[string]any
	err := getInto(endless, context.Background(), &out)
	require.ErrorIs(t, err, loyalty.ErrResponseTooLarge)
	assert.Contains(t, err.Error(), "influenceio")
	assert.Contains(t, err.Error(), "1 MiB")
	assert.Less(t, written.Load(), int64(16<<20), "the client must stop reading at the cap")

	// A gzip bomb: small on the wire, huge once decompressed.
	var bomb bytes.Buffer
	zw := gzip.NewWriter(&bomb)
	zw.Write([]byte(`{"data":"`))
	zw.Write(bytes.Repeat([]byte("a"), 64<<20))
	zw.Write([]byte(`"}`))
	zw.Close()
	gz := serveBody(t, map[string]string{"Content-Encoding": "gzip", "Content-Type": "application/json"}, func(w io.Writer) { w.Write(bomb.Bytes()) })
	err = getInto(gz, context.Background(), &out)
	require.ErrorIs(t, err, loyalty.ErrResponseTooLarge)
}

func TestTrailingDataAfterJSONIsAnError(t *testing.T) {
	c := serveBody(t, nil, func(w io.Writer) { io.WriteString(w, `{"ok":true} {"ok":false}`) })
	var out okBody
	err := getInto(c, context.Background(), &out)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "after the JSON value")

	ws := serveBody(t, nil, func(w io.Writer) { io.WriteString(w, "{\"ok\":true}\n\n ") })
	require.NoError(t, getInto(ws, context.Background(), &out), "trailing white space is fine")
	assert.True(t, out.OK)
}

// A deeply nested Yotpo error body still yields its error: the message is
// read from at most a few levels (its cost, linear in the body, is measured
// by BenchmarkErrorMessageNested, not timed here).
func TestNestedErrorBodyStillYieldsItsError(t *testing.T) {
	// Side by side, arrays nested just under encoding/json's depth limit.
	nested := strings.Repeat("[", 9000) + `"deep"` + strings.Repeat("]", 9000)
	body := `{"errors":[` + strings.Repeat(nested+",", 25) + `"last"]}`
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/customers", Status: http.StatusBadRequest, Resp: body})
	c := m.client(loyalty.Yotpo)
	_, err := c.Do(context.Background(), mustRequest(t, c, loyalty.Yotpo, http.MethodGet, "/customers"), nil)
	require.ErrorIs(t, err, loyalty.ErrBadRequest)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "last", e.Message, "the message comes from the shallow values only")
}

// A failing token endpoint that echoes the form must not put the client
// secret in the logs.
func TestTokenEndpointBodyNeverLogged(t *testing.T) {
	const secret = "ECHOED-CLIENT-SECRET"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.ParseForm()
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, "proxy error for form %s client_secret=%s", r.PostForm.Encode(), secret)
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: secret,
		BaseURL: srv.URL + "/api", TokenURL: srv.URL + "/token"}), loyalty.WithLogger(logger), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	_, err = qualifioGet(c)
	require.Error(t, err)
	assert.Contains(t, logs.String(), "loyalty: request failed")
	assert.NotContains(t, logs.String(), secret)
	assert.NotContains(t, err.Error(), secret)
}

// The token endpoint's Retry-After on 429 is honoured before the next fetch.
func TestTokenEndpointRetryAfterIsHonoured(t *testing.T) {
	var fetches []time.Time
	var api atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/token" {
			api.Add(1)
			io.WriteString(w, `{}`)
			return
		}
		fetches = append(fetches, time.Now())
		if len(fetches) == 1 { // not 400 or 401: no immediate retry with form fields either
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"access_token":"t","expires_in":3600}`)
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: "s",
		BaseURL: srv.URL + "/api", TokenURL: srv.URL + "/token"}), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	_, err = qualifioGet(c)
	require.NoError(t, err)
	require.Len(t, fetches, 2)
	assert.GreaterOrEqual(t, fetches[1].Sub(fetches[0]), 900*time.Millisecond)
	assert.Equal(t, int32(1), api.Load())
}

// breakMidBody answers with headers and half a body, then drops the
// connection, for the first n requests; later ones get the whole body.
func breakMidBody(t *testing.T, n int32) (*httptest.Server, *atomic.Int32) {
	return breakMidBodyThen(t, n, `{"ok":true}`)
}

// breakMidBodyThen is breakMidBody whose later requests get body.
func breakMidBodyThen(t *testing.T, n int32, body string) (*httptest.Server, *atomic.Int32) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) > n {
			io.WriteString(w, body)
			return
		}
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusOK)
		io.WriteString(w, `{"ok":`)
		w.(http.Flusher).Flush()
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func TestGetBrokenMidBodyIsRetried(t *testing.T) {
	srv, calls := breakMidBody(t, 1)
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	var out okBody
	require.NoError(t, getInto(c, context.Background(), &out))
	assert.True(t, out.OK)
	assert.Equal(t, int32(2), calls.Load())
}

func TestPostBrokenMidBodyIsNotRetriedAndMayHaveBeenApplied(t *testing.T) {
	srv, calls := breakMidBody(t, 1)
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	req, err := c.NewRequest(loyalty.InfluenceIO, http.MethodPost, "/v1/orders", map[string]string{"id": "o-1"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, &okBody{})
	require.ErrorIs(t, err, loyalty.ErrMaybeApplied)
	assert.Equal(t, int32(1), calls.Load())
}

// A Client can release its idle connections; Clients built without
// WithHTTPClient share one pool, so many Clients do not hold many pools.
func TestClientsShareOnePoolAndCanCloseIt(t *testing.T) {
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{}`) }))
	var conns atomic.Int32
	srv.Config.ConnState = func(_ net.Conn, s http.ConnState) { // before Start: the server reads it
		if s == http.StateNew {
			conns.Add(1)
		}
	}
	srv.Start()
	defer srv.Close()
	var clients []*loyalty.Client
	for range 20 {
		c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}))
		require.NoError(t, err)
		require.NoError(t, getInto(c, context.Background(), nil))
		clients = append(clients, c)
	}
	assert.Equal(t, int32(1), conns.Load(), "sequential calls from 20 Clients reuse one connection")
	clients[0].CloseIdleConnections()
	require.NoError(t, getInto(clients[1], context.Background(), nil))
	assert.Equal(t, int32(2), conns.Load(), "CloseIdleConnections closed the idle connection")
}

type tokenFn func() (*oauth2.Token, error)

func (f tokenFn) Token() (*oauth2.Token, error) { return f() }

func TestEmptyTokenIsAnErrorBeforeSending(t *testing.T) {
	for name, src := range map[string]oauth2.TokenSource{
		"nil token":   tokenFn(func() (*oauth2.Token, error) { return nil, nil }),
		"empty token": oauth2.StaticTokenSource(&oauth2.Token{}),
	} {
		m := newPlatformMock(t)
		c := m.client(loyalty.Monterosa, loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: m.srv.URL + mockMonterosaBase, TokenSource: src}))
		var err error
		require.NotPanics(t, func() {
			_, err = c.Do(context.Background(), mustRequest(t, c, loyalty.Monterosa, http.MethodGet, "/api/loyalty/profile"), nil)
		}, name)
		require.Error(t, err, name)
		assert.Contains(t, err.Error(), "no access token", name)
		assert.Empty(t, m.requests(), name)
	}
}

func TestUserAgentWithLineBreakIsRefused(t *testing.T) {
	_, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k"}), loyalty.WithUserAgent("app/1\r\nX-Evil: 1"))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "WithUserAgent")
}

func TestHugeRetryAfterIsTheCap(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/v1/customers", Status: http.StatusTooManyRequests, RespHeader: map[string]string{"Retry-After": "99999999999999999999999"}},
		exchange{Method: http.MethodGet, Path: "/v1/customers", Resp: `{}`})
	c := m.client(loyalty.InfluenceIO, loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond, MaxRetryAfter: 300 * time.Millisecond}))
	start := time.Now()
	_, err := c.Do(context.Background(), mustRequest(t, c, loyalty.InfluenceIO, http.MethodGet, "/v1/customers"), nil)
	require.NoError(t, err)
	assert.GreaterOrEqual(t, time.Since(start), 250*time.Millisecond, "an overflowing Retry-After is the cap, not absent")
}

func TestClientTimeoutIsNamed(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(2 * time.Second):
		}
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}),
		loyalty.WithHTTPClient(&http.Client{Timeout: 50 * time.Millisecond}), loyalty.WithRetryPolicy(loyalty.NoRetry))
	require.NoError(t, err)
	req, err := c.NewRequest(loyalty.InfluenceIO, http.MethodPost, "/v1/orders", map[string]string{"id": "o"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "http.Client timeout of 50ms")
	assert.True(t, errors.Is(err, context.DeadlineExceeded) || strings.Contains(err.Error(), "Timeout"), "%v", err)
}

// A call whose context ends while it waits to retry returns the context's
// error and, in its Response, the answer it waited on: the last word of
// the platform is not lost.
func TestCancelledRetryWaitKeepsTheLastAnswer(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		calls.Add(1)
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message":"slow down"}`)
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}))
	require.NoError(t, err)
	req, err := c.NewRequest(loyalty.InfluenceIO, http.MethodGet, "/v1/customers", nil)
	require.NoError(t, err)
	ctx, cancel := context.WithCancel(context.Background())
	time.AfterFunc(100*time.Millisecond, cancel)
	start := time.Now()
	resp, err := c.Do(ctx, req, nil)
	require.ErrorIs(t, err, context.Canceled)
	assert.Less(t, time.Since(start), 10*time.Second, "the wait did not end with the context")
	require.NotNil(t, resp, "the 429 waited on is lost")
	assert.Equal(t, http.StatusTooManyRequests, resp.StatusCode)
	assert.Equal(t, 1, resp.Attempts)
	assert.Equal(t, int32(1), calls.Load())
}

// WithMaxResponseBytes(math.MaxInt64) means no practical cap, not an empty
// body.
func TestHugeResponseCapStillDecodes(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { io.WriteString(w, `{"ok":true}`) }))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}), loyalty.WithMaxResponseBytes(math.MaxInt64))
	require.NoError(t, err)
	var out okBody
	require.NoError(t, getInto(c, context.Background(), &out))
	assert.True(t, out.OK)
	c.CloseIdleConnections()
}

// A 429 whose body breaks mid-way is still a 429: retried, and not a
// write that may have been applied.
func TestBrokenErrorBodyKeepsItsStatus(t *testing.T) {
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if calls.Add(1) > 1 {
			io.WriteString(w, `{"ok":true}`)
			return
		}
		w.Header().Set("Retry-After", "0")
		w.Header().Set("Content-Length", "100")
		w.WriteHeader(http.StatusTooManyRequests)
		io.WriteString(w, `{"message":`)
		w.(http.Flusher).Flush()
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	req, err := c.NewRequest(loyalty.InfluenceIO, http.MethodPost, "/v1/orders", map[string]string{"id": "o"})
	require.NoError(t, err)
	var out okBody
	_, err = c.Do(context.Background(), req, &out)
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.Equal(t, int32(2), calls.Load())
}

// A write that failed before its request was written (here: a TLS
// handshake that never finishes) was not applied.
func TestWriteFailedBeforeWritingIsNotMaybeApplied(t *testing.T) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	require.NoError(t, err)
	defer l.Close()
	go func() { // accept and say nothing: the handshake times out
		for {
			conn, err := l.Accept()
			if err != nil {
				return
			}
			defer conn.Close()
		}
	}()
	tr := &http.Transport{TLSHandshakeTimeout: 50 * time.Millisecond}
	defer tr.CloseIdleConnections()
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: "https://" + l.Addr().String()}),
		loyalty.WithHTTPClient(&http.Client{Transport: tr, Timeout: 5 * time.Second}), loyalty.WithRetryPolicy(loyalty.NoRetry))
	require.NoError(t, err)
	req, err := c.NewRequest(loyalty.InfluenceIO, http.MethodPost, "/v1/orders", map[string]string{"id": "o"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.Error(t, err)
	assert.False(t, errors.Is(err, loyalty.ErrMaybeApplied), "%v", err)
	assert.NotContains(t, err.Error(), "http.Client timeout", "the TLS handshake timeout fired, not the client's")
}

// The token endpoint's error_description can echo the form: it stays out
// of the error text.
func TestTokenErrorDescriptionIsNotInTheErrorText(t *testing.T) {
	const secret = "JSON-ECHOED-SECRET"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprintf(w, `{"error":"unauthorized_client","error_description":"bad client_secret=%s"}`, secret)
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: secret,
		BaseURL: srv.URL + "/api", TokenURL: srv.URL + "/token"}), loyalty.WithRetryPolicy(loyalty.NoRetry))
	require.NoError(t, err)
	_, err = qualifioGet(c)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "unauthorized_client", e.Code)
	assert.NotContains(t, err.Error(), secret)
}
