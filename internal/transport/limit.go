package transport

import (
	"context"
	"fmt"
	"net/http"

	"golang.org/x/time/rate"
)

// Limit makes every attempt wait for its turn under a client-side rate
// limit, so a busy program stays under the platform's limit instead of
// collecting 429s. Waiting ends with the request's context.
type Limit struct {
	Base    http.RoundTripper
	Limiter *rate.Limiter
}

// RoundTrip implements http.RoundTripper.
func (l *Limit) RoundTrip(req *http.Request) (*http.Response, error) {
	if err := l.Limiter.Wait(req.Context()); err != nil {
		closeBody(req)
		if ctxErr := req.Context().Err(); ctxErr != nil {
			err = ctxErr
		} else {
			// The limiter refuses a wait that would outlast the deadline
			// with its own error; callers test for the deadline.
			err = fmt.Errorf("%w: %v", context.DeadlineExceeded, err)
		}
		return nil, &Permanent{Err: err}
	}
	return l.Base.RoundTrip(req)
}
