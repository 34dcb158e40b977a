package loyalty_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// statusCounter counts the answers of every attempt, retries included.
type statusCounter struct {
	base             http.RoundTripper
	ok, limited, all atomic.Int64
}

func (c *statusCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err == nil {
		c.all.Add(1)
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			c.limited.Add(1)
		case resp.StatusCode < 300:
			c.ok.Add(1)
		}
	}
	return resp, err
}

// hammer has n Clients, built with the Yotpo config cfg(i), call GET
// /campaigns from 3 goroutines each for d, without retries, against srv's
// emulated limit, and returns the attempts' counts.
func hammer(t *testing.T, srv *loyaltytest.Server, n int, d time.Duration, cfg func(i int) loyalty.YotpoConfig) *statusCounter {
	t.Helper()
	sc := &statusCounter{base: srv.HTTPClient().Transport}
	// Cancelled rather than a deadline: a limiter refuses at once a wait
	// that would outlast a deadline.
	ctx, cancel := context.WithCancel(context.Background())
	defer time.AfterFunc(d, cancel).Stop()
	var wg sync.WaitGroup
	for i := range n {
		c, err := loyalty.NewClient(loyalty.WithYotpo(cfg(i)), loyalty.WithHTTPClient(&http.Client{Transport: sc}), loyalty.WithRetryPolicy(loyalty.NoRetry))
		require.NoError(t, err)
		for range 3 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for ctx.Err() == nil {
					req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/campaigns", nil)
					_, err := c.Do(ctx, req, nil)
					if err != nil && ctx.Err() == nil && !errors.Is(err, loyalty.ErrRateLimited) {
						t.Error(err)
						return
					}
				}
			}()
		}
	}
	wg.Wait()
	return sc
}

// Two Clients with their own limiters each send Yotpo's limit, together
// twice it: 429s. Sharing one NewRateLimiter keeps them under it. The shared
// limit is 9.6 a second, not 10: the fake counts in fixed one-second
// windows, and a request that leaves a few milliseconds late can put an
// 11th into one window at exactly 10.
func TestSharedRateLimiterKeepsClientsUnderYotpoLimit(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithRateLimit())
	base := srv.YotpoConfig()
	base.RateLimit = 0 // each its own limiter at Yotpo's 10 per second
	own := hammer(t, srv, 2, 2*time.Second, func(int) loyalty.YotpoConfig { return base })
	assert.Greater(t, own.limited.Load(), int64(5), "two Clients with their own limiters: %d answers, %d of them 429", own.all.Load(), own.limited.Load())

	time.Sleep(time.Second) // a fresh window
	shared := base
	shared.Limiter = loyalty.NewRateLimiter(9.6, 1)
	const d = 3 * time.Second
	got := hammer(t, srv, 2, d, func(int) loyalty.YotpoConfig { return shared })
	assert.Zero(t, got.limited.Load(), "two Clients sharing a limiter: 429s")
	assert.GreaterOrEqual(t, got.ok.Load(), int64(9.6*d.Seconds()*0.95), "the shared limit is used")
}

type failingLimiter struct{ calls atomic.Int32 }

func (l *failingLimiter) Wait(context.Context) error {
	l.calls.Add(1)
	return errors.New("redis: connection refused")
}

// A limiter that cannot admit a call fails it unsent, with ErrLimiterUnavailable,
// never ErrMaybeApplied, and without retrying.
func TestRateLimiterErrorFailsCallUnsent(t *testing.T) {
	srv := loyaltytest.New(t)
	lim := &failingLimiter{}
	cfg := srv.YotpoConfig()
	cfg.RateLimit, cfg.Limiter = 0, lim
	c := srv.Client(loyalty.WithYotpo(cfg))
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/customers", map[string]any{"email": "ana@example.com"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.ErrorIs(t, err, loyalty.ErrLimiterUnavailable)
	assert.NotErrorIs(t, err, loyalty.ErrMaybeApplied)
	assert.Contains(t, err.Error(), "redis: connection refused")
	assert.Contains(t, err.Error(), "not sent")
	assert.Equal(t, int32(1), lim.calls.Load(), "not retried")
	assert.Empty(t, srv.Requests(), "nothing reached the platform")
}

// A wait that would outlast the deadline is the deadline's error, also with
// a *rate.Limiter given as the Limiter, not ErrLimiterUnavailable.
func TestRateLimiterDeadline(t *testing.T) {
	srv := loyaltytest.New(t)
	for name, lim := range map[string]loyalty.RateLimiter{
		"NewRateLimiter": loyalty.NewRateLimiter(0.1, 1),
		"*rate.Limiter":  rate.NewLimiter(0.1, 1),
	} {
		t.Run(name, func(t *testing.T) {
			cfg := srv.YotpoConfig()
			cfg.RateLimit, cfg.Limiter = 0, lim
			c := srv.Client(loyalty.WithYotpo(cfg))
			req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/campaigns", nil)
			_, err := c.Do(context.Background(), req, nil) // takes the one token
			require.NoError(t, err)
			ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
			defer cancel()
			start := time.Now()
			_, err = c.Do(ctx, req, nil)
			require.ErrorIs(t, err, context.DeadlineExceeded)
			assert.NotErrorIs(t, err, loyalty.ErrLimiterUnavailable)
			assert.Less(t, time.Since(start), 50*time.Millisecond, "refused at once, not after waiting")
		})
	}
}
