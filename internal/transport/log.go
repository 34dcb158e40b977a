package transport

import (
	"context"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptrace"
	"sync"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// Attempts tracks the attempts of one call: how many were made, and whether
// any of them may have reached the platform without a clear answer.
type Attempts struct {
	n            atomic.Int32
	maybeApplied atomic.Bool

	mu   sync.Mutex
	sent []string  // credential values the attempts carried (see Auth)
	few  [4]string // sent's first backing array: a platform's few credentials

	// The body Buffer read of the response resp, for Body.
	resp *http.Response
	body *Buffered

	// wrote: the current attempt's request headers were written (see
	// WithWriteTrace); trace is the call's one trace that sets it.
	wrote atomic.Bool
	trace httptrace.ClientTrace
}

// WithWriteTrace returns ctx tracing, for the call of a, whether each
// attempt's request headers were written: what decides whether a failed
// attempt may have reached the platform (a TLS handshake timeout or a
// cancelled wait for a connection has sent nothing). Only a call that
// changes state asks (ErrMaybeApplied); one trace serves all its
// attempts, and Logging clears the mark before each. A mark that a late
// callback of an earlier attempt sets errs on the safe side: that attempt
// wrote, so the call may have been applied already.
func WithWriteTrace(ctx context.Context, a *Attempts) context.Context {
	a.trace.WroteHeaders = a.wroteHeaders
	return httptrace.WithClientTrace(ctx, &a.trace)
}

func (a *Attempts) wroteHeaders() { a.wrote.Store(true) }

// keep notes that Buffer read resp's body whole into body.
func (a *Attempts) keep(resp *http.Response, body *Buffered) {
	a.mu.Lock()
	a.resp, a.body = resp, body
	a.mu.Unlock()
}

// Body returns the body to read resp's answer from: the *Buffered that
// Buffer read it into when resp is the last response Buffer read for this
// call, so that the caller can decode it where it lies instead of reading
// a copy (net/http wraps the body of a Client with a Timeout, which hides
// the *Buffered on resp); else resp.Body.
func (a *Attempts) Body(resp *http.Response) io.Reader {
	a.mu.Lock()
	defer a.mu.Unlock()
	if a.resp == resp && a.body != nil {
		return a.body
	}
	return resp.Body
}

// Count is the number of attempts made.
func (a *Attempts) Count() int { return int(a.n.Load()) }

// MaybeApplied reports whether an attempt failed after its request may
// have been written (a broken connection, a timeout waiting for the answer)
// or was answered 502 or 504 by a gateway.
func (a *Attempts) MaybeApplied() bool { return a.maybeApplied.Load() }

// observe records the outcome of one attempt; wrote says whether any of
// its request reached the connection.
func (a *Attempts) observe(resp *http.Response, err error, wrote bool) {
	switch {
	case err != nil && wrote:
		a.maybeApplied.Store(true)
	case resp != nil && (resp.StatusCode == http.StatusBadGateway || resp.StatusCode == http.StatusGatewayTimeout):
		a.maybeApplied.Store(true)
	}
}

// WithAttempts returns ctx carrying a fresh Attempts for one call. Right
// after WithRule (as Do calls them) it fills the Rule's context value
// instead of adding one of its own.
func WithAttempts(ctx context.Context) (context.Context, *Attempts) {
	if c := callFrom(ctx); c != nil && c.claimed.CompareAndSwap(false, true) {
		c.handed.Store(&c.own)
		return ctx, &c.own
	}
	c := &call{}
	if parent := callFrom(ctx); parent != nil {
		c.rule, c.hasRule = parent.rule, parent.hasRule
	}
	c.claimed.Store(true)
	c.handed.Store(&c.own)
	return context.WithValue(ctx, callKey{}, c), &c.own
}

// Logging counts attempts and, when Logger is set, logs each one: platform,
// method, route template (Rule.Route, never the path, which can hold a
// coupon code or an e-mail), status or error, the request id, attempt,
// duration. It never logs a header but the request id, the query string
// (it can hold Yotpo's api_key) or a body.
type Logging struct {
	Base     http.RoundTripper
	Logger   *slog.Logger
	Platform string
}

// RoundTrip implements http.RoundTripper.
func (l *Logging) RoundTrip(req *http.Request) (*http.Response, error) {
	attempt := 1
	a := attemptsFrom(req.Context())
	if a != nil {
		attempt = int(a.n.Add(1))
		a.wrote.Store(false)
	}
	start := time.Now()
	resp, err := l.Base.RoundTrip(req)
	if a != nil {
		a.observe(resp, err, a.wrote.Load()) // never set without WithWriteTrace
	}
	if l.Logger == nil {
		return resp, err
	}
	attrs := []slog.Attr{
		slog.String("platform", l.Platform),
		slog.String("method", req.Method),
		slog.String("route", route(req)),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	}
	if resp != nil {
		if id := contract.RequestID(resp.Header.Get); id != "" {
			attrs = append(attrs, slog.String("request_id", id))
		}
	}
	ctx := req.Context()
	switch {
	case err != nil:
		attrs = append(attrs, slog.String("error", logText(err)))
		l.Logger.LogAttrs(ctx, slog.LevelWarn, "loyalty: request failed", attrs...)
	case resp.StatusCode >= 400:
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		l.Logger.LogAttrs(ctx, slog.LevelWarn, "loyalty: request", attrs...)
	default:
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		l.Logger.LogAttrs(ctx, slog.LevelDebug, "loyalty: request", attrs...)
	}
	return resp, err
}

// route is the route template of req: its Rule's, else (a request not
// sent through the Client's Do) the template of its URL path.
func route(req *http.Request) string {
	if r, _ := ruleFrom(req.Context()); r.Route != "" {
		return r.Route
	}
	return contract.RouteTemplate(req.URL.Path)
}

// logText describes a failed attempt without any response body: an OAuth
// token endpoint's error (which x/oauth2 renders with its body, where an
// echoing endpoint or proxy can put the client secret) is reduced to its
// status.
func logText(err error) string {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		status := 0
		if re.Response != nil {
			status = re.Response.StatusCode
		}
		return fmt.Sprintf("not sent: the token endpoint answered %d", status)
	}
	var perm *Permanent
	var ns *NotSent
	switch {
	case errors.As(err, &perm):
		return "not sent"
	case errors.As(err, &ns):
		return "not sent: the token endpoint could not be reached"
	}
	return err.Error()
}
