package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"strconv"
	"time"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// AttemptEnd is what Observe reports of one attempt. It holds no header, no
// URL and no error value: only what is safe to put in a trace.
type AttemptEnd struct {
	Number int // 1 for the first attempt
	// Status is the response's status code, 0 when the attempt got none.
	Status int
	// ErrorKind is "" for a 2xx or 3xx, the status code ("429") for a 4xx
	// or 5xx, else a short kind of the transport error (see ErrorKind).
	ErrorKind string
	// RetryReason is why another attempt follows (see Policy.CheckRetry);
	// "" for the last attempt.
	RetryReason string
	RequestID   string
	// Wait is how long the attempt waited for the rate limiter, and
	// Duration how long it took, that wait included.
	Wait, Duration time.Duration
}

// Hooks are what Observe calls for each attempt of a call.
type Hooks interface {
	// StartAttempt is called before an attempt waits for the rate
	// limiter and is authenticated; header is an empty map whose entries
	// are added to the attempt (where the request has no such header).
	// The context it returns is the attempt's.
	StartAttempt(ctx context.Context, number int, header http.Header) context.Context
	// EndAttempt is called with the context StartAttempt returned, once
	// the retry decision on the attempt is made.
	EndAttempt(ctx context.Context, a *AttemptEnd)
}

// Observation is one call's observation, which Observe and CheckRetry
// report each attempt to. The attempts of a call run one after another,
// on the goroutine of the call, so its fields need no lock.
type Observation struct {
	Hooks Hooks

	n       int
	passed  time.Time // when the attempt got past the rate limiter
	attempt AttemptEnd
	pending bool            // attempt is not reported yet
	ctx     context.Context // of the pending attempt
}

type observationKey struct{}

// WithObservation returns ctx carrying o, for Observe and CheckRetry.
func WithObservation(ctx context.Context, o *Observation) context.Context {
	return context.WithValue(ctx, observationKey{}, o)
}

func observationFrom(ctx context.Context) *Observation {
	o, _ := ctx.Value(observationKey{}).(*Observation)
	return o
}

// settle ends the pending attempt, if any, with the retry decision made on
// it.
func (o *Observation) settle(retry bool, reason string) {
	if !o.pending {
		return
	}
	o.pending = false
	a := &o.attempt
	if retry { // CheckRetry says no once the call's attempts are used up
		a.RetryReason = reason
	}
	o.Hooks.EndAttempt(o.ctx, a)
}

// Count is the number of attempts Observe saw.
func (o *Observation) Count() int { return o.n }

// Flush ends an attempt that no retry decision followed; the call's Do
// calls it once the retry loop returned.
func (o *Observation) Flush() { o.settle(false, "") }

// Observe reports each attempt of a call that carries an Observation
// (WithObservation). It sits above Limit, so that what it reports is
// everything the attempt did, and so that the observer sees the request
// before it is authenticated: no credential, and nothing of the URL.
// Below Limit, Waited marks the end of the limiter's wait.
type Observe struct {
	Base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (ob *Observe) RoundTrip(req *http.Request) (*http.Response, error) {
	o := observationFrom(req.Context())
	if o == nil {
		return ob.Base.RoundTrip(req)
	}
	o.Flush() // an attempt that CheckRetry never saw
	o.n++
	o.attempt = AttemptEnd{Number: o.n}
	a := &o.attempt
	header := http.Header{}
	ctx := o.Hooks.StartAttempt(req.Context(), a.Number, header)
	if len(header) > 0 {
		out := req.Clone(ctx)
		for k, vs := range header {
			if _, had := out.Header[http.CanonicalHeaderKey(k)]; !had && len(vs) > 0 {
				out.Header.Set(k, vs[0])
			}
		}
		req = out
	} else {
		req = req.WithContext(ctx)
	}
	start := time.Now()
	o.passed = time.Time{}
	resp, err := ob.Base.RoundTrip(req)
	a.Duration = time.Since(start)
	if !o.passed.IsZero() {
		a.Wait = o.passed.Sub(start)
	}
	switch {
	case err != nil:
		a.ErrorKind = ErrorKind(err)
	case resp != nil:
		a.Status = resp.StatusCode
		a.RequestID = contract.RequestID(resp.Header.Get)
		if resp.StatusCode >= 400 {
			a.ErrorKind = strconv.Itoa(resp.StatusCode)
		}
	}
	o.pending, o.ctx = true, ctx
	return resp, err
}

// Waited records, for Observe, when an attempt got past the rate limiter.
type Waited struct {
	Base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (w *Waited) RoundTrip(req *http.Request) (*http.Response, error) {
	if o := observationFrom(req.Context()); o != nil {
		o.passed = time.Now()
	}
	return w.Base.RoundTrip(req)
}

// ErrorKind names, in a few fixed words, why an attempt or call got no
// response: "canceled", "timeout", "token_endpoint" (Qualifio's token
// endpoint refused the credentials), "credentials_unavailable" (it could
// not be reached), "response_too_large", "not_sent" (refused before
// sending, e.g. by the rate limiter), "connect_error" (nothing was sent)
// or "transport_error". "" for nil.
func ErrorKind(err error) string {
	var re *oauth2.RetrieveError
	var big *TooLarge
	var ns *NotSent
	var perm *Permanent
	var refused *Refused
	var lf *LimiterFailed
	var ne net.Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &re):
		return "token_endpoint"
	case errors.As(err, &refused), errors.As(err, &lf):
		// The rate limiter refused a wait past the deadline (which has
		// not passed), or could not reach its store: the limiter's own
		// connection or timeout is not the platform's.
		return "not_sent"
	case errors.Is(err, context.Canceled):
		return "canceled"
	case errors.Is(err, context.DeadlineExceeded), errors.As(err, &ne) && ne.Timeout():
		return "timeout"
	case errors.As(err, &big):
		return "response_too_large"
	case errors.As(err, &ns):
		return "credentials_unavailable"
	case errors.As(err, &perm):
		return "not_sent"
	case notSent(err):
		return "connect_error"
	}
	return "transport_error"
}
