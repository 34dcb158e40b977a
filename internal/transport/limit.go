package transport

import (
	"context"
	"errors"
	"net/http"
)

// Limiter is what Limit waits on: the Client's RateLimiter.
type Limiter interface {
	Wait(ctx context.Context) error
}

// LimiterFailed is the error of a limiter that could not admit a request
// for a reason other than the context (a shared limiter whose store is
// unreachable). The request was not sent.
type LimiterFailed struct{ Err error }

func (e *LimiterFailed) Error() string { return e.Err.Error() }
func (e *LimiterFailed) Unwrap() error { return e.Err }

// Refused is a limiter's refusal of a wait that would outlast the
// request's deadline, before the deadline: nothing was sent. It matches
// what the limiter returned (context.DeadlineExceeded).
type Refused struct{ Err error }

func (e *Refused) Error() string { return e.Err.Error() }
func (e *Refused) Unwrap() error { return e.Err }

// Limit makes every attempt wait for its turn under a client-side rate
// limit, so a busy program stays under the platform's limit instead of
// collecting 429s. Waiting ends with the request's context.
type Limit struct {
	Base    http.RoundTripper
	Limiter Limiter
}

// RoundTrip implements http.RoundTripper.
func (l *Limit) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := l.Limiter.Wait(req.Context()); err != nil {
		closeBody(req)
		switch ctxErr := req.Context().Err(); {
		case ctxErr != nil:
			err = ctxErr
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
			// A limiter refuses a wait that would outlast the deadline
			// with an error matching it; callers test for the deadline,
			// ErrorKind for the refusal (the deadline has not passed).
			err = &Refused{Err: err}
		default:
			err = &LimiterFailed{Err: err}
		}
		return nil, &Permanent{Err: err}
	}
	return l.Base.RoundTrip(req)
}
