package transport

import (
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
		}
		return nil, &Permanent{Err: err}
	}
	return l.Base.RoundTrip(req)
}
