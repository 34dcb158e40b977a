package loyalty_test

import (
	"context"
	"errors"
	"net"
	"net/http"
	"net/http/httptest"
	"os"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// observed records what an Observer is told, in order.
type observed struct {
	mu       sync.Mutex
	calls    []loyalty.CallInfo
	ends     []loyalty.CallEnd
	attempts []loyalty.AttemptEnd
	events   []string
	header   map[string]string // added by StartAttempt
}

type obsKey struct{}

func (o *observed) observer() loyalty.Observer {
	return loyalty.Observer{
		StartCall: func(ctx context.Context, c loyalty.CallInfo) context.Context {
			o.mu.Lock()
			defer o.mu.Unlock()
			o.calls = append(o.calls, c)
			o.events = append(o.events, "start call")
			return context.WithValue(ctx, obsKey{}, "call")
		},
		StartAttempt: func(ctx context.Context, c loyalty.CallInfo, a loyalty.AttemptStart) context.Context {
			o.mu.Lock()
			defer o.mu.Unlock()
			if ctx.Value(obsKey{}) != "call" {
				o.events = append(o.events, "attempt without the call's context")
			}
			for k, v := range o.header {
				a.Header.Set(k, v)
			}
			o.events = append(o.events, "start attempt")
			return context.WithValue(ctx, obsKey{}, "attempt")
		},
		EndAttempt: func(ctx context.Context, c loyalty.CallInfo, a loyalty.AttemptEnd) {
			o.mu.Lock()
			defer o.mu.Unlock()
			if ctx.Value(obsKey{}) != "attempt" {
				o.events = append(o.events, "attempt end without the attempt's context")
			}
			o.attempts = append(o.attempts, a)
			o.events = append(o.events, "end attempt")
		},
		EndCall: func(ctx context.Context, c loyalty.CallInfo, e loyalty.CallEnd) {
			o.mu.Lock()
			defer o.mu.Unlock()
			if ctx.Value(obsKey{}) != "call" {
				o.events = append(o.events, "call end without the call's context")
			}
			o.ends = append(o.ends, e)
			o.events = append(o.events, "end call")
		},
	}
}

func TestObserverSeesCallAndAttempts(t *testing.T) {
	var o observed
	n := 0
	c, srv := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Header().Set("X-Request-Id", "req-7")
		w.Write([]byte(`{}`))
	}, loyalty.WithObserver(o.observer()))

	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers/ann@example.com/history", nil)
	require.NoError(t, err)
	req.Query.Set("email", "ann@example.com")
	var out map[string]any
	_, err = c.Do(context.Background(), req, &out)
	require.NoError(t, err)

	require.Equal(t, []string{"start call", "start attempt", "end attempt", "start attempt", "end attempt", "end call"}, o.events)
	host, port := srvHostPort(t, srv.URL)
	require.Equal(t, loyalty.CallInfo{Platform: loyalty.Yotpo, Operation: "Do", Method: "GET", Route: "/customers/{id}/history",
		ServerAddress: host, ServerPort: port}, o.calls[0])
	require.Len(t, o.attempts, 2)
	first, second := o.attempts[0], o.attempts[1]
	require.Equal(t, 1, first.Number)
	require.Equal(t, 503, first.StatusCode)
	require.Equal(t, "503", first.ErrorKind)
	require.Equal(t, "server_error", first.RetryReason)
	require.Equal(t, 2, second.Number)
	require.Equal(t, 200, second.StatusCode)
	require.Empty(t, second.ErrorKind)
	require.Empty(t, second.RetryReason)
	require.Equal(t, "req-7", second.RequestID)
	end := o.ends[0]
	require.Equal(t, 2, end.Attempts)
	require.Equal(t, 200, end.StatusCode)
	require.Equal(t, "req-7", end.RequestID)
	require.Empty(t, end.ErrorKind)
	require.False(t, end.MaybeApplied)
	require.Greater(t, end.Duration, time.Duration(0))
}

func srvHostPort(t *testing.T, u string) (string, int) {
	t.Helper()
	req, err := http.NewRequest(http.MethodGet, u, nil)
	require.NoError(t, err)
	var port int
	for _, ch := range req.URL.Port() {
		port = port*10 + int(ch-'0')
	}
	return req.URL.Hostname(), port
}

// A call that runs out of retries ends with the last status and no retry
// reason on its last attempt; an *Error's kind is its status.
func TestObserverRetriesExhausted(t *testing.T) {
	var o observed
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusTooManyRequests)
	}, loyalty.WithObserver(o.observer()), loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond}))
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/customers", map[string]string{"email": "x@example.com"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.ErrorIs(t, err, loyalty.ErrRateLimited)
	require.Len(t, o.attempts, 2)
	require.Equal(t, "rate_limited", o.attempts[0].RetryReason)
	require.Empty(t, o.attempts[1].RetryReason, "no retry follows the last attempt")
	require.Equal(t, loyalty.CallEnd{Attempts: 2, StatusCode: 429, ErrorKind: "429", Duration: o.ends[0].Duration}, o.ends[0])
}

// A write whose connection breaks after it was sent may have been applied:
// the call end says so.
func TestObserverMaybeApplied(t *testing.T) {
	var o observed
	c, err := loyalty.NewClient(
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: hijackServer(t), RateLimit: rate.Inf}),
		loyalty.WithRetryPolicy(fastRetry), loyalty.WithObserver(o.observer()))
	require.NoError(t, err)
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/customers", map[string]string{"email": "x@example.com"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.ErrorIs(t, err, loyalty.ErrMaybeApplied)
	require.Len(t, o.attempts, 1, "a write that may have been applied is not retried")
	require.Equal(t, "transport_error", o.attempts[0].ErrorKind)
	require.Equal(t, 0, o.attempts[0].StatusCode)
	end := o.ends[0]
	require.True(t, end.MaybeApplied)
	require.Equal(t, "transport_error", end.ErrorKind)
	require.Equal(t, 1, end.Attempts)
}

// A call refused before any request is not observed.
func TestObserverNotSupportedIsNotObserved(t *testing.T) {
	var o observed
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		t.Error("no request expected")
	}, loyalty.WithObserver(o.observer()))
	_, _, err := c.Products.Upsert(context.Background(), loyalty.ProductInput{})
	require.ErrorIs(t, err, loyalty.ErrNotSupported)
	require.Empty(t, o.events)
}

// StartAttempt may add a header (trace context) but cannot replace one the
// request has, nor a credential: authentication is applied after it.
func TestObserverHeadersCannotTouchCredentials(t *testing.T) {
	o := observed{header: map[string]string{"Traceparent": "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01",
		"X-Api-Key": "forged", "X-Guid": "forged", "Accept": "text/plain"}}
	var got http.Header
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		got = r.Header.Clone()
		w.Write([]byte(`{}`))
	}, loyalty.WithObserver(o.observer()))
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.NoError(t, err)
	require.Equal(t, "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01", got.Get("Traceparent"))
	require.Equal(t, "key-1", got.Get("X-Api-Key"))
	require.Equal(t, "guid-1", got.Get("X-Guid"))
	require.Equal(t, "application/json", got.Get("Accept"))
}

// LimiterWait is the time an attempt waited for the client-side limiter.
func TestObserverLimiterWait(t *testing.T) {
	var o observed
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) }))
	t.Cleanup(srv.Close)
	c2, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k",
		BaseURL: srv.URL, RateLimit: 20, Burst: 1}), loyalty.WithObserver(o.observer()))
	require.NoError(t, err)
	for range 2 {
		req, err := c2.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
		require.NoError(t, err)
		_, err = c2.Do(context.Background(), req, nil)
		require.NoError(t, err)
	}
	require.Len(t, o.attempts, 2)
	require.Less(t, o.attempts[0].LimiterWait, 20*time.Millisecond)
	require.Greater(t, o.attempts[1].LimiterWait, 20*time.Millisecond)
	require.GreaterOrEqual(t, o.attempts[1].Duration, o.attempts[1].LimiterWait)
}

func TestWithObserverRefusesNoHook(t *testing.T) {
	_, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k"}), loyalty.WithObserver(loyalty.Observer{}))
	require.Error(t, err)
	require.False(t, errors.Is(err, loyalty.ErrNotConfigured))
	require.Contains(t, err.Error(), "WithObserver")
}

// A call limited to one attempt (OneAttempt) ends that attempt without a
// retry reason: no retry follows, whatever the status.
func TestObserverOneAttemptHasNoRetryReason(t *testing.T) {
	var o observed
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusServiceUnavailable)
	}, loyalty.WithObserver(o.observer()))
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil, loyalty.OneAttempt())
	require.ErrorIs(t, err, loyalty.ErrServer)
	require.Len(t, o.attempts, 1)
	require.Empty(t, o.attempts[0].RetryReason)
	require.Equal(t, 1, o.ends[0].Attempts)
}

// A call the rate limiter refuses because its turn comes after the
// deadline was not sent, and the deadline has not passed: its attempt and
// the call end "not_sent", as AttemptEnd.ErrorKind says, not "timeout".
func TestObserverLimiterRefusalIsNotSent(t *testing.T) {
	var o observed
	sent := 0
	_, srv := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) { sent++; w.Write([]byte(`{}`)) })
	c, err := loyalty.NewClient(
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "guid-1", APIKey: "key-1", BaseURL: srv.URL + yotpoBase, Limiter: loyalty.NewRateLimiter(0.01, 1)}),
		loyalty.WithObserver(o.observer()))
	require.NoError(t, err)
	for i := range 2 {
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
		require.NoError(t, err)
		_, err = c.Do(ctx, req, nil)
		cancel()
		if i == 1 {
			require.ErrorIs(t, err, context.DeadlineExceeded) // the limiter's refusal, as RateLimiter asks
		}
	}
	require.Equal(t, 1, sent)
	require.Len(t, o.attempts, 2)
	require.Equal(t, "not_sent", o.attempts[1].ErrorKind)
	require.Equal(t, "not_sent", o.ends[1].ErrorKind)
}

// downLimiter is a shared limiter whose store cannot be reached.
type downLimiter struct{ err error }

func (l downLimiter) Wait(context.Context) error { return l.err }

// A call the rate limiter cannot admit (its store is down) is not_sent on
// the attempt and on the call alike: the limiter's own connection error is
// not the platform's ("connect_error") nor a timeout of the call.
func TestObserverLimiterFailureIsNotSent(t *testing.T) {
	for _, lerr := range []error{
		&net.OpError{Op: "dial", Net: "tcp", Err: errors.New("connection refused")},
		&net.OpError{Op: "read", Net: "tcp", Err: os.ErrDeadlineExceeded},
	} {
		var o observed
		sent := 0
		_, srv := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) { sent++ })
		c, err := loyalty.NewClient(
			loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "guid-1", APIKey: "key-1", BaseURL: srv.URL + yotpoBase, Limiter: downLimiter{lerr}}),
			loyalty.WithObserver(o.observer()))
		require.NoError(t, err)
		req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
		require.NoError(t, err)
		_, err = c.Do(context.Background(), req, nil)
		require.ErrorIs(t, err, loyalty.ErrLimiterUnavailable)
		require.Zero(t, sent)
		require.Len(t, o.attempts, 1)
		require.Equal(t, "not_sent", o.attempts[0].ErrorKind, lerr.Error())
		require.Equal(t, "not_sent", o.ends[0].ErrorKind, lerr.Error())
	}
}

// An Observer whose hooks return a context not derived from the one given
// (a fresh one, or nil) cannot take the call's cancellation away: the SDK
// ignores that context and goes on with its own.
func TestObserverContextNotDerivedIsIgnored(t *testing.T) {
	for name, fresh := range map[string]func(context.Context) context.Context{
		"background": func(context.Context) context.Context { return context.Background() },
		"nil":        func(context.Context) context.Context { return nil },
	} {
		t.Run(name, func(t *testing.T) {
			release := make(chan struct{})
			defer close(release)
			c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
				select {
				case <-release:
				case <-r.Context().Done():
				}
			}, loyalty.WithObserver(loyalty.Observer{
				StartCall: func(ctx context.Context, _ loyalty.CallInfo) context.Context { return fresh(ctx) },
				StartAttempt: func(ctx context.Context, _ loyalty.CallInfo, _ loyalty.AttemptStart) context.Context {
					return fresh(ctx)
				},
			}))
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/points/adjust", map[string]int{"points": 5})
			require.NoError(t, err)
			done := make(chan error, 1)
			go func() { _, err := c.Do(ctx, req, nil); done <- err }()
			select {
			case err := <-done:
				require.ErrorIs(t, err, context.DeadlineExceeded)
				require.ErrorIs(t, err, loyalty.ErrMaybeApplied, "the write was sent: the at-most-once rule still holds")
			case <-time.After(10 * time.Second):
				t.Fatal("the call outlived its context: the observer's fresh context replaced it")
			}
		})
	}
}
