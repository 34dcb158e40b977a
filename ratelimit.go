package loyalty

import (
	"context"
	"fmt"

	"golang.org/x/time/rate"
)

// A RateLimiter paces a Client's calls to a platform (YotpoConfig.Limiter).
// Wait blocks until one request may be sent, and is called before every
// attempt, retries included. It returns an error when it cannot admit the
// request: one matching context.DeadlineExceeded or context.Canceled when
// ctx ends first (or its deadline comes before the request's turn), any
// other when it cannot tell (a shared limiter whose store is unreachable).
// The call then fails without being sent; such an error matches
// ErrLimiterUnavailable. It must be safe for concurrent use.
//
// Every Client has its own in-process limiter unless given one, so two
// Clients for one merchant send twice the merchant's limit: give them one
// RateLimiter, from NewRateLimiter within a process, or a shared one across
// processes (the module github.com/loyalty-go/loyalty/redisstore keeps one
// limit in Redis for a fleet of replicas).
type RateLimiter interface {
	Wait(ctx context.Context) error
}

// NewRateLimiter returns an in-process RateLimiter (a token bucket of
// golang.org/x/time/rate) that lets r requests a second go, burst at once.
// Pass it to every Client of the process that speaks for one merchant, so
// that together they stay under the merchant's limit:
//
//	lim := loyalty.NewRateLimiter(9.6, 1) // the Client's default: 4 % under Yotpo's 10 per second
//	a, _ := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: guid, APIKey: key, Limiter: lim}))
//	b, _ := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: guid, APIKey: key, Limiter: lim}))
//
// A burst below 1 means 1; rate.Inf lets everything through. A rate that
// is not positive admits nothing after its burst: WithYotpo refuses it.
func NewRateLimiter(r rate.Limit, burst int) RateLimiter {
	return localLimiter{rate.NewLimiter(r, max(burst, 1))}
}

// localLimiter is a *rate.Limiter whose refusal of a wait that would
// outlast the deadline matches context.DeadlineExceeded, as RateLimiter
// asks (rate's own error matches nothing).
type localLimiter struct{ l *rate.Limiter }

func (l localLimiter) Wait(ctx context.Context) error {
	err := l.l.Wait(ctx)
	if err != nil && ctx.Err() == nil {
		err = fmt.Errorf("%w: %v", context.DeadlineExceeded, err)
	}
	return err
}
