package loyalty_test

import (
	"context"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// arrival is what the server saw of one request to the watched path.
type arrival struct {
	transferEncoding []string
	contentLength    int64
	body             int // bytes read
}

// reusedConnBreaker is a server that answers every request with answer,
// except the first request to a path ending in watch that comes on a
// connection already used: it reads that one whole, then closes the
// connection without answering. That is the moment at which Go's
// Transport replays a request it deems replayable.
type reusedConnBreaker struct {
	srv *httptest.Server

	mu       sync.Mutex
	arrivals []arrival
}

type connCountKey struct{}

func newReusedConnBreaker(t *testing.T, watch, answer string) *reusedConnBreaker {
	t.Helper()
	b := &reusedConnBreaker{}
	b.srv = httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		served := r.Context().Value(connCountKey{}).(*int) // one connection's requests come one by one
		n, _ := io.Copy(io.Discard, r.Body)
		if strings.HasSuffix(r.URL.Path, watch) {
			b.mu.Lock()
			b.arrivals = append(b.arrivals, arrival{r.TransferEncoding, r.ContentLength, int(n)})
			first := len(b.arrivals) == 1
			b.mu.Unlock()
			if first && *served > 0 {
				if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
					conn.Close()
				}
				return
			}
		}
		*served++
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, answer)
	}))
	b.srv.Config.ConnContext = func(ctx context.Context, _ net.Conn) context.Context {
		return context.WithValue(ctx, connCountKey{}, new(int))
	}
	b.srv.Start()
	t.Cleanup(b.srv.Close)
	return b
}

func (b *reusedConnBreaker) seen() []arrival {
	b.mu.Lock()
	defer b.mu.Unlock()
	return append([]arrival(nil), b.arrivals...)
}

// warm makes one plain call, so that the next call goes out on a reused
// keep-alive connection.
func warm(t *testing.T, c *loyalty.Client, p loyalty.Platform) {
	t.Helper()
	req, err := c.NewRequest(p, http.MethodGet, "/warm-up", nil)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.NoError(t, err)
}

// Every call the SDK documents as never retried once sent reaches the
// platform at most once, whatever its method: net/http must not replay a
// state-changing GET on a reused connection that broke after the request
// was written. The caller learns that the call may have been applied.
func TestStateChangingGetsReachThePlatformAtMostOnce(t *testing.T) {
	calls := []struct {
		name, watch, answer string
		platform            loyalty.Platform
		client              func(base string) (*loyalty.Client, error)
		call                func(*loyalty.Client) error
	}{
		{
			name: "Rewards.Notifications", watch: "/api/loyalty/notifications", answer: `{"data":[]}`, platform: loyalty.Monterosa,
			client: func(base string) (*loyalty.Client, error) {
				return loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: base,
					TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "jwt"})}), loyalty.WithRetryPolicy(fastRetry))
			},
			call: func(c *loyalty.Client) error {
				_, _, err := c.Rewards.Notifications(context.Background())
				return err
			},
		},
		{
			name: "Privacy.RequestData", watch: "/privacy/data", answer: `{}`, platform: loyalty.Yotpo,
			client: func(base string) (*loyalty.Client, error) {
				return loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: base, RateLimit: rate.Inf}),
					loyalty.WithRetryPolicy(fastRetry))
			},
			call: func(c *loyalty.Client) error {
				_, err := c.Privacy.RequestData(context.Background(), "ana@example.com")
				return err
			},
		},
		{
			// net/http deems any method replayable with this header.
			name: "Do POST with an Idempotency-Key header", watch: "/points/adjust", answer: `{}`, platform: loyalty.Yotpo,
			client: func(base string) (*loyalty.Client, error) {
				return loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: base, RateLimit: rate.Inf}),
					loyalty.WithRetryPolicy(fastRetry))
			},
			call: func(c *loyalty.Client) error {
				req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/points/adjust", map[string]int{"points": 5})
				if err != nil {
					return err
				}
				req.Header.Set("Idempotency-Key", "k-1")
				_, err = c.Do(context.Background(), req, nil)
				return err
			},
		},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			b := newReusedConnBreaker(t, tc.watch, tc.answer)
			// A Client of its own transport, so that the warm-up
			// connection is the one the call reuses.
			c, err := tc.client(b.srv.URL)
			require.NoError(t, err)
			t.Cleanup(c.CloseIdleConnections)
			warm(t, c, tc.platform)
			err = tc.call(c)
			got := b.seen()
			require.Len(t, got, 1, "the platform saw the call more than once (err %v)", err)
			require.ErrorIs(t, err, loyalty.ErrMaybeApplied)
			if tc.platform == loyalty.Yotpo && strings.HasPrefix(tc.name, "Do POST") {
				assert.Equal(t, int64(len(`{"points":5}`)), got[0].contentLength, "the body is sent as it was")
				return
			}
			// On the wire it is still a GET of no body bytes: plain, or
			// chunked and empty when net/http's 200 ms body probe timed out
			// on a loaded machine.
			assertEmptyBody(t, got[0])
		})
	}
}

// Over HTTP/2 too, a call sent at most once goes out as a plain GET: the
// server reads no body byte, and sees no content-length.
func TestAtMostOnceGetOverHTTP2HasNoBody(t *testing.T) {
	var mu sync.Mutex
	var got []arrival
	var proto string
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		mu.Lock()
		got = append(got, arrival{r.TransferEncoding, r.ContentLength, int(n)})
		proto = r.Proto
		mu.Unlock()
		io.WriteString(w, `{}`)
	}))
	srv.EnableHTTP2 = true
	srv.StartTLS()
	t.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL, RateLimit: rate.Inf}),
		loyalty.WithHTTPClient(srv.Client()), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	_, err = c.Privacy.RequestData(context.Background(), "ana@example.com")
	require.NoError(t, err)
	mu.Lock()
	defer mu.Unlock()
	require.Equal(t, "HTTP/2.0", proto)
	require.Len(t, got, 1)
	assert.Empty(t, got[0].transferEncoding)
	assert.Zero(t, got[0].body)
	// HTTP/2 has no chunking: the stream ends with an empty DATA frame,
	// so the length is unknown (-1) until it ends, never a positive one.
	assert.LessOrEqual(t, got[0].contentLength, int64(0))
}

// assertEmptyBody checks that a bodyless call arrived with zero body
// bytes: plain (no Content-Length, no Transfer-Encoding), or chunked and
// empty.
func assertEmptyBody(t *testing.T, a arrival) {
	t.Helper()
	assert.Zero(t, a.body, "body bytes")
	if len(a.transferEncoding) == 0 {
		assert.Zero(t, a.contentLength)
		return
	}
	assert.Equal(t, []string{"chunked"}, a.transferEncoding)
	assert.Equal(t, int64(-1), a.contentLength)
}

// A bodyless POST or PATCH sent at most once is left as net/http sends
// it: Content-Length 0 and no chunking. net/http never replays such a
// request, so Once has nothing to change on it.
func TestAtMostOnceBodylessWriteKeepsContentLengthZero(t *testing.T) {
	type seen struct {
		arrival
		header string
	}
	var mu sync.Mutex
	var got []seen
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := io.Copy(io.Discard, r.Body)
		mu.Lock()
		got = append(got, seen{arrival{r.TransferEncoding, r.ContentLength, int(n)}, r.Header.Get("Content-Length")})
		mu.Unlock()
		io.WriteString(w, `{}`)
	}))
	t.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL, RateLimit: rate.Inf}),
		loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	for _, method := range []string{http.MethodPost, http.MethodPatch} {
		t.Run(method, func(t *testing.T) {
			mu.Lock()
			got = nil
			mu.Unlock()
			req, err := c.NewRequest(loyalty.Yotpo, method, "/points/adjust", nil)
			require.NoError(t, err)
			req.Idempotent = false
			_, err = c.Do(context.Background(), req, nil)
			require.NoError(t, err)
			mu.Lock()
			defer mu.Unlock()
			require.Len(t, got, 1)
			assert.Empty(t, got[0].transferEncoding)
			assert.Zero(t, got[0].contentLength)
			assert.Equal(t, "0", got[0].header, "Content-Length header")
			assert.Zero(t, got[0].body)
		})
	}
}
