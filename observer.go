package loyalty

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/loyalty-go/loyalty/internal/transport"
)

// Observer is told about every call a Client sends and every attempt of
// it, for tracing and metrics; package
// github.com/loyalty-go/loyalty/otelloyalty implements it with
// OpenTelemetry. Set it with WithObserver. Each hook may be nil.
//
// An Observer never sees a secret, nor anything that can hold personal
// data: it gets the route template, never the raw path, the query, a
// header, a body or an error value (errors come as a kind). A transport
// passed with WithHTTPClient sees each authenticated request instead, Yotpo's
// api_key in query mode included, which is why tracing belongs here.
//
// The hooks of one call run one after another on the goroutine of the
// call; many calls run at once, so an Observer must be safe for concurrent
// use. A call refused before any request (bad input, ErrNotSupported,
// ErrNotConfigured) is not observed: nothing was sent.
type Observer struct {
	// StartCall is called once per call, before its first attempt. The
	// context it returns is the call's from then on: its attempts' parent,
	// and what EndCall gets. It must derive from the context given (as
	// trace.ContextWithSpan does); one that does not, or nil, is ignored,
	// and the call goes on with the context given. The same holds for
	// StartAttempt's.
	StartCall func(ctx context.Context, call CallInfo) context.Context
	// StartAttempt is called before each attempt waits for the rate
	// limiter and is authenticated. The context it returns is the
	// attempt's (it reaches the transport of WithHTTPClient) and what
	// EndAttempt gets.
	StartAttempt func(ctx context.Context, call CallInfo, attempt AttemptStart) context.Context
	// EndAttempt is called once the retry decision on the attempt is made.
	EndAttempt func(ctx context.Context, call CallInfo, attempt AttemptEnd)
	// EndCall is called when Do returns.
	EndCall func(ctx context.Context, call CallInfo, end CallEnd)
}

// CallInfo describes one call: the same for each hook of the call.
type CallInfo struct {
	Platform Platform
	// Operation is the service method, e.g. "Customers.Get", or "Do" for
	// a Request built with NewRequest.
	Operation string
	Method    string
	// Route is the path template, e.g. "/v1/rewards/{id}/use": the path's
	// ids and codes are never in it.
	Route string
	// ServerAddress and ServerPort are the platform's host and port, from
	// its base URL.
	ServerAddress string
	ServerPort    int
}

// AttemptStart is one attempt before it is sent.
type AttemptStart struct {
	Number int // 1 for the first attempt, 2 for the first retry, ...
	// Header starts empty; what StartAttempt puts in it is added to the
	// attempt, such as a traceparent header for platforms that are known
	// to accept one. A header the request already has is not replaced,
	// and authentication is applied after it, so that neither a
	// credential nor a header the SDK sets is in this map or can be
	// changed through it. (The context StartAttempt returns does reach
	// the transport, where an httptrace.ClientTrace would see the sent
	// request: an Observer is trusted code, like the transport of
	// WithHTTPClient.)
	Header http.Header
}

// AttemptEnd is the outcome of one attempt.
type AttemptEnd struct {
	Number int
	// StatusCode is the response's status, 0 when the attempt got none.
	StatusCode int
	// ErrorKind is "" for a 1xx-3xx answer; the status code ("429") for a
	// 4xx or 5xx; else, for an attempt that got no answer, one of
	// "canceled", "timeout", "connect_error" (nothing was sent),
	// "transport_error", "response_too_large", "not_sent" (refused before
	// sending, e.g. by the rate limiter: a turn after the deadline, or a
	// shared limiter's store out of reach), "token_endpoint"
	// (Qualifio's token endpoint refused the credentials) or
	// "credentials_unavailable" (it could not be reached).
	ErrorKind string
	// RetryReason is why another attempt follows, "" for the last one:
	// "rate_limited" (429), "retryable_status" (a status the platform
	// documents as retryable, such as Yotpo's 423), "server_error",
	// "transport_error", "connect_error" or "credentials_unavailable". A
	// call whose context ends during the wait ends without that attempt.
	RetryReason string
	RequestID   string // the response's request id header, if any
	// LimiterWait is how long the attempt waited for the client-side rate
	// limiter; Duration is the whole attempt, that wait included.
	LimiterWait time.Duration
	Duration    time.Duration
}

// CallEnd is the outcome of one call, as Do returns it.
type CallEnd struct {
	Attempts   int
	StatusCode int // of the last response, 0 when there was none
	// ErrorKind is "" on success; the status code ("404") for an *Error;
	// "decode" for a 2xx answer that could not be read; else one of the
	// kinds of AttemptEnd.ErrorKind.
	ErrorKind string
	// MaybeApplied is set when the error matches ErrMaybeApplied.
	MaybeApplied bool
	RequestID    string        // of the last response, as in Response.RequestID
	Duration     time.Duration // the whole call, waits between attempts included
}

// WithObserver has every call and attempt reported to o (see Observer).
// A Client without it does no work for observation.
func WithObserver(o Observer) Option {
	return func(s *settings) error {
		if o.StartCall == nil && o.EndCall == nil && o.StartAttempt == nil && o.EndAttempt == nil {
			return errors.New("WithObserver: the Observer sets no hook")
		}
		s.observer = &o
		return nil
	}
}

// serverAddress is the host and port of a base URL, for CallInfo.
func serverAddress(base string) (string, int) {
	u, err := url.Parse(base)
	if err != nil {
		return "", 0
	}
	port, _ := strconv.Atoi(u.Port())
	if port == 0 {
		port = map[string]int{"http": 80, "https": 443}[u.Scheme]
	}
	return u.Hostname(), port
}

// callObservation is the observation of one call: the hooks of its
// attempts, and what its end needs.
type callObservation struct {
	transport.Observation
	ob    *Observer
	info  CallInfo
	ctx   context.Context // StartCall's
	start time.Time
}

// observeCall starts the observation of req's call: Do calls it before the
// first attempt, and its end when it returns.
func (b *backend) observeCall(ctx context.Context, req *Request, route string) (context.Context, *callObservation) {
	c := &callObservation{ob: b.observer, start: time.Now(), info: CallInfo{
		Platform: req.Platform, Operation: req.operation, Method: req.Method, Route: route,
		ServerAddress: b.host, ServerPort: b.port,
	}}
	if c.info.Operation == "" {
		c.info.Operation = "Do"
	}
	if c.ob.StartCall != nil {
		ctx = context.WithValue(ctx, observedCallKey{}, c)
		ctx = c.keptCall(ctx, c.ob.StartCall(ctx, c.info))
	}
	c.ctx = ctx
	c.Hooks = c
	return transport.WithObservation(ctx, &c.Observation), c
}

// StartAttempt implements transport.Hooks.
func (c *callObservation) StartAttempt(ctx context.Context, n int, h http.Header) context.Context {
	if c.ob.StartAttempt == nil {
		return ctx
	}
	return c.keptCall(ctx, c.ob.StartAttempt(ctx, c.info, AttemptStart{Number: n, Header: h}))
}

// observedCallKey marks the contexts of an observed call, so that a hook's
// context is taken only when it derives from the one the hook was given.
type observedCallKey struct{}

// keptCall is got, a hook's context, when it derives from given; else
// given. A context made afresh (context.Background()) or nil would drop
// the call's cancellation, its at-most-once rule and its redaction, so it
// is ignored rather than trusted.
func (c *callObservation) keptCall(given, got context.Context) context.Context {
	if got == nil || got.Value(observedCallKey{}) != c {
		return given
	}
	return got
}

// EndAttempt implements transport.Hooks.
func (c *callObservation) EndAttempt(ctx context.Context, a *transport.AttemptEnd) {
	if c.ob.EndAttempt != nil {
		c.ob.EndAttempt(ctx, c.info, AttemptEnd{
			Number: a.Number, StatusCode: a.Status, ErrorKind: a.ErrorKind, RetryReason: a.RetryReason,
			RequestID: a.RequestID, LimiterWait: a.Wait, Duration: a.Duration,
		})
	}
}

// end ends the call with what Do returns.
func (c *callObservation) end(r *Response, err error) {
	c.Flush()
	if c.ob.EndCall == nil {
		return
	}
	e := CallEnd{Attempts: c.Count(), ErrorKind: callErrorKind(r, err), MaybeApplied: errors.Is(err, ErrMaybeApplied), Duration: time.Since(c.start)}
	if r != nil {
		e.StatusCode, e.RequestID = r.StatusCode, r.RequestID
	}
	c.ob.EndCall(c.ctx, c.info, e)
}

// callErrorKind is CallEnd.ErrorKind of what Do returns.
func callErrorKind(r *Response, err error) string {
	var e *Error
	switch {
	case err == nil:
		return ""
	case errors.As(err, &e) && e.tokenEndpoint:
		return "token_endpoint"
	case errors.As(err, &e):
		return strconv.Itoa(e.StatusCode)
	case r != nil:
		return "decode" // Do fails a 2xx answer only when it cannot decode it
	case errors.Is(err, ErrLimiterUnavailable):
		return "not_sent" // the cause is the limiter's store, not the platform
	}
	return transport.ErrorKind(err)
}
