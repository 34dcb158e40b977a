package transport

import (
	"context"
	"fmt"
	"net/http"
	"time"
)

// Deadline gives each attempt its own deadline, under the call's context
// (so cancelling the call still ends it): the Rule's AttemptTimeout, or
// Default (the http.Client's Timeout, which Policy.Do's loop does not go
// through), whichever is shorter; none when neither is set. It sits under
// Limit, so that the limiter's wait is not counted, and over Buffer, so
// that reading the answer is.
type Deadline struct {
	Base    http.RoundTripper
	Default time.Duration
}

// TimedOut is an attempt that outlived its deadline. It matches
// context.DeadlineExceeded, and the retry policy treats it as any
// transport error.
type TimedOut struct {
	After time.Duration
	// ByCall: the deadline was the call's AttemptTimeout, not Default.
	ByCall bool
	Err    error
}

func (e *TimedOut) Error() string {
	return fmt.Sprintf("the attempt timed out after %s: %v", e.After, e.Err)
}
func (e *TimedOut) Unwrap() []error { return []error{e.Err, context.DeadlineExceeded} }

// RoundTrip implements http.RoundTripper.
func (d *Deadline) RoundTrip(req *http.Request) (*http.Response, error) {
	r, _ := ruleFrom(req.Context())
	t, byCall := d.Default, false
	if r.AttemptTimeout > 0 && (t <= 0 || r.AttemptTimeout <= t) {
		t, byCall = r.AttemptTimeout, true
	}
	if t <= 0 {
		return d.Base.RoundTrip(req)
	}
	ctx, cancel := context.WithTimeout(req.Context(), t)
	defer cancel() // Buffer has read the body: nothing reads from the attempt after it
	resp, err := d.Base.RoundTrip(req.WithContext(ctx))
	if err != nil && ctx.Err() != nil && req.Context().Err() == nil {
		err = &TimedOut{After: t, ByCall: byCall, Err: err}
	}
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}
