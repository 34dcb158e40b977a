package transport

import (
	"bytes"
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"math/rand/v2"
	"net"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// Rule says how one request may be retried. It travels in the request's
// context, where every round-tripper of the chain finds it.
type Rule struct {
	// Idempotent requests are retried on retryable 5xx responses and on any
	// transport error. Others only on 429, Extra statuses, and connection
	// errors that happened before the request was written, and Once keeps
	// net/http from sending them twice.
	Idempotent bool
	// ChangesState is set on a call that can change state (a write, or a
	// call that is not Idempotent): once answered 2xx it was done, so a
	// body that breaks off is handed to the caller, never a reason to send
	// it again (see Buffer).
	ChangesState bool
	// Extra lists statuses retried whatever Idempotent says (Yotpo's 423
	// "record locked" on points/adjust).
	Extra []int
	// Route is the request's route template ("/v1/rewards/{id}/use"), which
	// Logging logs instead of the path.
	Route string
	// MaxAttempts, when positive, is the most attempts the call makes, in
	// place of the Policy's MaxRetries+1 (a per-call option). It is
	// counted by the call's Attempts (WithAttempts).
	MaxAttempts int
	// AttemptTimeout, when positive, bounds each attempt (see Deadline).
	AttemptTimeout time.Duration
}

// callKey keys the *call a context carries: the Rule and the Attempts of
// one call travel in one context value, one allocation for both.
type callKey struct{}

// call is what WithRule and WithAttempts put in a context.
type call struct {
	rule    Rule
	hasRule bool
	claimed atomic.Bool              // own handed out by WithAttempts
	handed  atomic.Pointer[Attempts] // the call's Attempts, nil before WithAttempts
	own     Attempts
}

func callFrom(ctx context.Context) *call {
	c, _ := ctx.Value(callKey{}).(*call)
	return c
}

// WithRule returns ctx carrying r. Attempts already carried stay.
func WithRule(ctx context.Context, r Rule) context.Context {
	c := &call{rule: r, hasRule: true}
	if parent := callFrom(ctx); parent != nil {
		c.handed.Store(parent.handed.Load())
		c.claimed.Store(true) // its own is not for a later WithAttempts: that one must be fresh
	}
	return context.WithValue(ctx, callKey{}, c)
}

// ruleFrom returns the Rule of ctx, and whether it has one.
func ruleFrom(ctx context.Context) (Rule, bool) {
	if c := callFrom(ctx); c != nil && c.hasRule {
		return c.rule, true
	}
	return Rule{}, false
}

// attemptsFrom returns the Attempts of ctx, nil outside WithAttempts.
func attemptsFrom(ctx context.Context) *Attempts {
	if c := callFrom(ctx); c != nil {
		return c.handed.Load()
	}
	return nil
}

// Policy is the retry policy of one platform.
type Policy struct {
	MaxRetries       int
	MinWait, MaxWait time.Duration
	MaxRetryAfter    time.Duration
	// ServerRetryable reports whether an idempotent request is retried on
	// this 5xx status.
	ServerRetryable func(status int) bool
	// ResetHeader, when set, names a header holding the seconds until a
	// rate-limit window resets, used on 429 when Retry-After is absent,
	// clamped to [ResetMin, ResetMax].
	ResetHeader        string
	ResetMin, ResetMax time.Duration
}

// Permanent marks an error raised before any byte was sent that must not be
// retried (a credential that could not be obtained, a limiter wait that the
// context ended).
type Permanent struct{ Err error }

func (e *Permanent) Error() string { return e.Err.Error() }
func (e *Permanent) Unwrap() error { return e.Err }

// NotSent marks a transient error raised before any byte of the call was
// sent (the OAuth token endpoint was down): safe to retry whatever the
// method.
type NotSent struct{ Err error }

func (e *NotSent) Error() string { return e.Err.Error() }
func (e *NotSent) Unwrap() error { return e.Err }

// Do runs the attempts of one call, req, through rt (the chain of
// round-trippers): the call's retry loop. Every attempt but a bodyless
// call's first gets its own copy of req, with a fresh reader over body
// (nil: none; see bodyReader), since net/http may still be closing the
// previous attempt's body; CheckRetry decides whether
// another follows, Backoff how long to wait first. The wait ends with
// req's context.
//
// It returns the last attempt's response and error as they are, the
// response's body already read whole (see Buffer): what the platform said
// last is never dropped. When the context ends during a wait, that
// response comes back with the context's error. Whatever a call's Rule
// asks, it makes at most contract.MaxCallRetries retries.
func (p Policy) Do(rt http.RoundTripper, req *http.Request, body []byte) (*http.Response, error) {
	ctx := req.Context()
	var getBody func() (io.ReadCloser, error)
	if body != nil {
		getBody = func() (io.ReadCloser, error) { return bodyReader(body), nil }
	}
	var timer *time.Timer
	for attempt := 0; ; attempt++ {
		out := req
		if attempt > 0 || body != nil {
			out = new(http.Request)
			*out = *req
			if body != nil {
				out.Body, out.GetBody, out.ContentLength = bodyReader(body), getBody, int64(len(body))
			}
		}
		resp, err := rt.RoundTrip(out)
		if resp != nil {
			resp.Request = req // the call's request, not an attempt's copy
		}
		retry, checkErr := p.CheckRetry(ctx, resp, err)
		if checkErr != nil {
			return resp, checkErr
		}
		if !retry || attempt >= max(p.MaxRetries, contract.MaxCallRetries) {
			return resp, err
		}
		wait := p.Backoff(p.MinWait, p.MaxWait, attempt, resp)
		if resp != nil {
			resp.Body.Close() // read whole by Buffer: the connection is back in the pool
		}
		if wait <= 0 {
			continue
		}
		if timer == nil {
			timer = time.NewTimer(wait)
			defer timer.Stop()
		} else {
			timer.Reset(wait)
		}
		select {
		case <-ctx.Done():
			return resp, ctx.Err()
		case <-timer.C:
		}
	}
}

// bodyReader is one attempt's body: io.NopCloser over a bytes.Reader,
// the shape net/http knows to be in memory, so that it writes the headers
// and the body in one write. Any other reader makes it flush the headers
// first, a second write and packet per call
// (https://github.com/golang/go/issues/22088).
func bodyReader(b []byte) io.ReadCloser { return io.NopCloser(bytes.NewReader(b)) }

// CheckRetry decides whether another attempt follows the one that got
// resp or err; an error is the context's, which ends the call. It also
// ends the attempt's observation (see Observe) with its decision.
func (p Policy) CheckRetry(ctx context.Context, resp *http.Response, err error) (bool, error) {
	retry, reason, err := p.check(ctx, resp, err)
	if o := observationFrom(ctx); o != nil {
		o.settle(retry, reason)
	}
	return retry, err
}

// Retry reasons, as CheckRetry decides them: what an observer is told.
const (
	ReasonRateLimited    = "rate_limited"     // 429
	ReasonStatus         = "retryable_status" // a Rule.Extra status (Yotpo's 423)
	ReasonServerError    = "server_error"     // a retryable 5xx on an idempotent call
	ReasonNoCredentials  = "credentials_unavailable"
	ReasonTransportError = "transport_error" // on an idempotent call
	ReasonConnectError   = "connect_error"   // nothing was sent
)

// check is CheckRetry's decision and its reason.
func (p Policy) check(ctx context.Context, resp *http.Response, err error) (bool, string, error) {
	if ctx.Err() != nil {
		return false, "", ctx.Err()
	}
	r, _ := ruleFrom(ctx)
	limit := p.MaxRetries + 1
	if r.MaxAttempts > 0 {
		limit = r.MaxAttempts
	}
	if a := attemptsFrom(ctx); a != nil && a.Count() >= limit {
		return false, "", nil
	}
	if err != nil {
		var perm *Permanent
		var big *TooLarge
		if errors.As(err, &perm) || errors.As(err, &big) {
			return false, "", nil
		}
		var ns *NotSent
		if errors.As(err, &ns) {
			return true, ReasonNoCredentials, nil
		}
		if r.Idempotent {
			// A certificate or a malformed request will not change on
			// another try; everything else is worth one.
			return !unrecoverable(err), ReasonTransportError, nil
		}
		return notSent(err), ReasonConnectError, nil
	}
	switch s := resp.StatusCode; {
	case s == http.StatusTooManyRequests, slices.Contains(r.Extra, s):
		// When the server's own wait outlasts the caller's deadline, give
		// up now: the caller gets the response (and its Retry-After)
		// instead of a bare deadline error after sleeping.
		if wait, ok := p.serverWait(resp); ok {
			if dl, has := ctx.Deadline(); has && time.Now().Add(wait).After(dl) {
				return false, "", nil
			}
		}
		if s == http.StatusTooManyRequests {
			return true, ReasonRateLimited, nil
		}
		return true, ReasonStatus, nil
	case s >= 500 && r.Idempotent && p.ServerRetryable != nil:
		return p.ServerRetryable(s), ReasonServerError, nil
	}
	return false, "", nil
}

// unrecoverable reports whether err, a transport error, would happen again
// on every attempt: a certificate the client does not trust or that names
// another host, an unsupported scheme, a header net/http refuses to send.
func unrecoverable(err error) bool {
	var unknown x509.UnknownAuthorityError
	var invalid x509.CertificateInvalidError
	var host x509.HostnameError
	var verify *tls.CertificateVerificationError
	if errors.As(err, &unknown) || errors.As(err, &invalid) || errors.As(err, &host) || errors.As(err, &verify) {
		return true
	}
	msg := err.Error() // net/http words these errors without a type
	return strings.Contains(msg, "unsupported protocol scheme") || strings.Contains(msg, "invalid header") ||
		strings.Contains(msg, "certificate is not trusted")
}

// notSent reports whether err happened before the request could be written:
// a failed dial or name lookup. Anything later may have reached the server.
func notSent(err error) bool {
	var dnsErr *net.DNSError
	if errors.As(err, &dnsErr) {
		return true
	}
	var opErr *net.OpError
	return errors.As(err, &opErr) && opErr.Op == "dial"
}

// Backoff is how long to wait before the attempt after attempt (0 for the
// first): the server's Retry-After (or
// rate-limit reset) when it gives one, capped at MaxRetryAfter; otherwise
// exponential from min to max with equal jitter.
func (p Policy) Backoff(lo, hi time.Duration, attempt int, resp *http.Response) time.Duration {
	if resp != nil {
		if d, ok := p.serverWait(resp); ok {
			return d
		}
	}
	step := lo
	for i := 0; i < attempt && step < hi; i++ {
		step *= 2
	}
	step = min(step, hi)
	if step <= 0 {
		return 0
	}
	half := step / 2
	return half + time.Duration(rand.Int64N(int64(step-half)+1))
}

// Requested is the wait a response asks for: Retry-After, or on a 429 the
// rate-limit reset header clamped to [ResetMin, ResetMax]. It is what the
// server said, before MaxRetryAfter caps it.
func (p Policy) Requested(resp *http.Response) (time.Duration, bool) {
	if d, ok := RetryAfter(resp.Header, time.Now()); ok {
		return d, true
	}
	if p.ResetHeader != "" && resp.StatusCode == http.StatusTooManyRequests {
		if d, ok := Seconds(resp.Header.Get(p.ResetHeader)); ok {
			return max(p.ResetMin, min(d, p.ResetMax)), true
		}
	}
	return 0, false
}

// serverWait is Requested capped at MaxRetryAfter: how long a retry waits.
func (p Policy) serverWait(resp *http.Response) (time.Duration, bool) {
	d, ok := p.Requested(resp)
	return capped(d, p.MaxRetryAfter), ok
}

// maxSeconds bounds header-given delays so that converting them to a
// time.Duration cannot overflow (about 31 years).
const maxSeconds = 1 << 30

// Seconds parses a non-negative whole number of seconds, saturating at
// about 31 years: a number too long for int64 is a very long wait, not no
// wait at all.
func Seconds(v string) (time.Duration, bool) {
	secs, err := strconv.ParseInt(v, 10, 64)
	if err != nil {
		if errors.Is(err, strconv.ErrRange) && !strings.HasPrefix(v, "-") {
			return time.Duration(maxSeconds) * time.Second, true
		}
		return 0, false
	}
	if secs < 0 {
		return 0, false
	}
	return time.Duration(min(secs, maxSeconds)) * time.Second, true
}

func capped(d, c time.Duration) time.Duration {
	if d < 0 {
		return 0
	}
	return min(d, c)
}

// RetryAfter parses a Retry-After header: delay-seconds or an HTTP date.
func RetryAfter(h http.Header, now time.Time) (time.Duration, bool) {
	v := h.Get("Retry-After")
	if v == "" {
		return 0, false
	}
	if d, ok := Seconds(v); ok {
		return d, true
	}
	if t, err := http.ParseTime(v); err == nil {
		d := t.Sub(now)
		if d < 0 {
			d = 0
		}
		return d, true
	}
	return 0, false
}
