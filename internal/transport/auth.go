package transport

import (
	"context"
	"errors"
	"io"
	"net/http"
	"slices"
	"strings"
	"sync"
	"time"

	"golang.org/x/oauth2"
)

// Authenticator sets credentials on one attempt. The request it gets is the
// round-tripper's own clone, so it may change headers and the URL.
type Authenticator interface {
	Authenticate(req *http.Request) error
}

// invalidator is an Authenticator whose credentials a 401 can make stale.
type invalidator interface {
	// Invalidate drops the credentials req was sent with.
	Invalidate(req *http.Request)
}

// Auth is the round-tripper that authenticates every attempt. When the
// Authenticator can go stale (an OAuth token cache), a 401 drops the cached
// credentials and replays the attempt once with fresh ones.
type Auth struct {
	Base http.RoundTripper
	Auth Authenticator
}

// RoundTrip implements http.RoundTripper. The response it returns points
// back at req, not at the authenticated copy, so that no credential is
// reachable from a Response or an error built on it.
func (a *Auth) RoundTrip(req *http.Request) (*http.Response, error) {
	auth := a.Auth
	if per, ok := req.Context().Value(authKey{}).(Authenticator); ok {
		auth = per
	}
	out := authCopy(req, auth)
	if err := auth.Authenticate(out); err != nil {
		closeBody(req)
		var ns *NotSent
		if errors.As(err, &ns) {
			return nil, err
		}
		return nil, &Permanent{Err: err}
	}
	recordCredentials(req, out)
	resp, err := a.Base.RoundTrip(out)
	inv, ok := auth.(invalidator)
	if err != nil || !ok || resp.StatusCode != http.StatusUnauthorized || !replayable(req) {
		return unauthenticated(resp, req), err
	}
	inv.Invalidate(out)
	again := authCopy(req, auth)
	if req.GetBody != nil {
		if again.Body, err = req.GetBody(); err != nil {
			return unauthenticated(resp, req), nil // keep the 401: it is the truth we have
		}
	}
	if err := auth.Authenticate(again); err != nil {
		closeBody(again)
		return unauthenticated(resp, req), nil
	}
	recordCredentials(req, again)
	drain(resp)
	resp, err = a.Base.RoundTrip(again)
	return unauthenticated(resp, req), err
}

type authKey struct{}

// authCopy is the copy of req that auth authenticates: a full clone, but
// for the authenticators that set headers only, which get a copy with its
// own header map and req's URL (fewer allocations per attempt).
func authCopy(req *http.Request, auth Authenticator) *http.Request {
	switch auth.(type) {
	case Headers, BearerToken, Bearer, *TokenCache:
		out := new(http.Request)
		*out = *req
		// A map of its own, the value slices shared: those
		// authenticators replace a header's slice, never write into it.
		out.Header = make(http.Header, len(req.Header)+2)
		for k, vs := range req.Header {
			out.Header[k] = vs
		}
		return out
	}
	return req.Clone(req.Context())
}

// recordCredentials notes, in the call's Attempts, every header and query
// value that authentication set on out (the copy that goes on the wire)
// and req did not have: those are the credentials a platform could echo
// in an error body. For a header value with a scheme ("Bearer <token>"),
// the part after the scheme is noted too.
func recordCredentials(req, out *http.Request) {
	a := attemptsFrom(req.Context())
	if a == nil {
		return
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	for k, vs := range out.Header {
		if slices.Equal(vs, req.Header[k]) {
			continue
		}
		for _, v := range vs {
			a.note(v)
			if _, cred, ok := strings.Cut(v, " "); ok {
				a.note(strings.TrimSpace(cred))
			}
		}
	}
	if out.URL.RawQuery != req.URL.RawQuery {
		sent, had := out.URL.Query(), req.URL.Query()
		for k, vs := range sent {
			if !slices.Equal(vs, had[k]) {
				for _, v := range vs {
					a.note(v)
				}
			}
		}
	}
}

// note adds v to the credentials sent, once; a.mu is held.
func (a *Attempts) note(v string) {
	if v != "" && !slices.Contains(a.sent, v) {
		if a.sent == nil {
			a.sent = a.few[:0] // no allocation for a platform's few credentials
		}
		a.sent = append(a.sent, v)
	}
}

// Credentials returns the credential values the attempts of the call
// carrying ctx (WithAttempts) have sent so far, for redacting them from
// what the platform answered; nil outside such a call.
func Credentials(ctx context.Context) []string {
	a := attemptsFrom(ctx)
	if a == nil {
		return nil
	}
	a.mu.Lock()
	defer a.mu.Unlock()
	return slices.Clone(a.sent)
}

// WithAuth returns ctx carrying credentials that Auth uses for this call
// instead of its own: one Client acting for many users (Monterosa user
// tokens) without a transport per user.
func WithAuth(ctx context.Context, a Authenticator) context.Context {
	return context.WithValue(ctx, authKey{}, a)
}

func unauthenticated(resp *http.Response, req *http.Request) *http.Response {
	if resp != nil {
		resp.Request = req
	}
	return resp
}

func replayable(req *http.Request) bool {
	return req.Body == nil || req.Body == http.NoBody || req.GetBody != nil
}

func closeBody(req *http.Request) {
	if req.Body != nil {
		req.Body.Close()
	}
}

func drain(resp *http.Response) {
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	resp.Body.Close()
}

// Headers authenticates with fixed header values (Yotpo X-GUID/X-API-KEY,
// Influence.io x-api-key). Build it with NewHeaders.
type Headers struct {
	// h holds each header once, its name canonical and its one value in
	// a slice of its own that every attempt shares: nothing is built per
	// attempt. Nothing changes it after NewHeaders, and an attempt's
	// header only ever replaces a value slice, never writes into one.
	h http.Header
}

// NewHeaders returns the Headers setting each name of h to its value.
func NewHeaders(h map[string]string) Headers {
	out := Headers{h: make(http.Header, len(h))}
	for k, v := range h {
		out.h[http.CanonicalHeaderKey(k)] = []string{v}
	}
	return out
}

// Authenticate implements Authenticator.
func (h Headers) Authenticate(req *http.Request) error {
	for k, vs := range h.h {
		req.Header[k] = vs[:1:1] // no room to append into the shared array
	}
	return nil
}

// Query authenticates with fixed query parameters (Yotpo query mode).
type Query map[string]string

// Authenticate implements Authenticator.
func (q Query) Authenticate(req *http.Request) error {
	v := req.URL.Query()
	for k, val := range q {
		v.Set(k, val)
	}
	req.URL.RawQuery = v.Encode()
	return nil
}

// Bearer authenticates with a token from a caller's TokenSource (Monterosa).
// The SDK never refreshes these: a 401 goes back to the caller.
type Bearer struct{ Source oauth2.TokenSource }

// Authenticate implements Authenticator. oauth2.TokenSource takes no
// context, so Token runs in a goroutine of its own and the call returns
// with the context's error as soon as the request's context ends. A Token
// call that blocks past that keeps its goroutine until the source returns;
// its token or error is then dropped. A source that never returns keeps
// one goroutine per abandoned call: the source is the caller's, and only it
// can end the wait.
func (b Bearer) Authenticate(req *http.Request) error {
	ctx := req.Context()
	if err := ctx.Err(); err != nil {
		return err
	}
	type result struct {
		tok *oauth2.Token
		err error
	}
	got := make(chan result, 1) // buffered: an abandoned Token call never blocks on sending
	go func() {
		tok, err := b.Source.Token()
		got <- result{tok, err}
	}()
	var tok *oauth2.Token
	select {
	case r := <-got:
		if r.err != nil {
			return r.err
		}
		tok = r.tok
	case <-ctx.Done():
		return ctx.Err()
	}
	if tok == nil || tok.AccessToken == "" {
		return ErrNoAccessToken
	}
	tok.SetAuthHeader(req)
	return nil
}

// ErrNoAccessToken is a token source's (nil, nil) or empty token: sending
// "Bearer " would only earn a 401.
var ErrNoAccessToken = errors.New("the token source returned no access token")

// BearerToken authenticates with one fixed token (a Monterosa user token
// given per call). Like Bearer, a 401 goes back to the caller.
type BearerToken string

// Authenticate implements Authenticator.
func (t BearerToken) Authenticate(req *http.Request) error {
	if t == "" {
		return ErrNoAccessToken
	}
	req.Header.Set("Authorization", "Bearer "+string(t))
	return nil
}

// TokenCache authenticates with an OAuth token it fetches once and shares
// between all calls, renewing it Early before expiry and after a 401
// (Qualifio client credentials). A fetch runs detached from any request's
// context, so a cancelled call neither aborts nor poisons it; each waiting
// call still returns as soon as its own context ends.
type TokenCache struct {
	// Fetch gets a new token; ctx is the cache's own, with a timeout.
	Fetch        func(ctx context.Context) (*oauth2.Token, error)
	Early        time.Duration
	FetchTimeout time.Duration
	// MaxRetryAfter caps how long a token endpoint's Retry-After holds
	// back the next fetch.
	MaxRetryAfter time.Duration
	// RefusedFor is how long a refusal of the credentials (a 400 or 401
	// from the token endpoint: a wrong secret will not turn right on the
	// next call) is remembered, so that the calls in that time get the same
	// error without each asking again. Zero: not remembered.
	RefusedFor time.Duration
	Now        func() time.Time

	mu        sync.Mutex
	tok       *oauth2.Token
	got       time.Time // when tok was fetched
	inflight  *fetchCall
	notBefore time.Time // no fetch before this: the endpoint asked to wait
	lastErr   error     // of the fetch that set notBefore

	refusedUntil time.Time // no fetch before this: the credentials were refused
	refusedErr   error     // the refusal
}

type fetchCall struct {
	done chan struct{}
	tok  *oauth2.Token
	err  error
}

// Token returns a valid token, fetching one when needed, but not before
// the wait the token endpoint last asked for (Retry-After on a 429 or 503).
func (c *TokenCache) Token(ctx context.Context) (*oauth2.Token, error) {
	c.mu.Lock()
	if c.tok != nil && c.fresh(c.tok) {
		tok := c.tok
		c.mu.Unlock()
		return tok, nil
	}
	if c.inflight == nil && c.now().Before(c.refusedUntil) {
		if c.tok != nil && c.now().Before(c.tok.Expiry) {
			tok := c.tok // an early refresh was refused: the token still works
			c.mu.Unlock()
			return tok, nil
		}
		err := c.refusedErr
		c.mu.Unlock()
		return nil, err
	}
	if wait := time.Until(c.notBefore); wait > 0 && c.inflight == nil {
		if c.tok != nil && c.now().Before(c.tok.Expiry) {
			// An early refresh was told to wait: the token still works.
			tok := c.tok
			c.mu.Unlock()
			return tok, nil
		}
		last := c.lastErr
		c.mu.Unlock()
		if dl, ok := ctx.Deadline(); ok && time.Until(dl) < wait {
			return nil, last // the wait outlasts the caller: the endpoint's answer is the truth we have
		}
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		return c.Token(ctx)
	}
	call := c.inflight
	if call == nil {
		call = &fetchCall{done: make(chan struct{})}
		c.inflight = call
		go c.fetch(call)
	}
	c.mu.Unlock()
	select {
	case <-call.done:
		return call.tok, call.err
	case <-ctx.Done():
		return nil, ctx.Err()
	}
}

func (c *TokenCache) fetch(call *fetchCall) {
	timeout := c.FetchTimeout
	if timeout <= 0 {
		timeout = 30 * time.Second
	}
	ctx, cancel := context.WithTimeout(context.Background(), timeout)
	defer cancel()
	tok, err := c.Fetch(ctx)
	if err == nil && (tok == nil || tok.AccessToken == "") {
		tok, err = nil, errors.New("the token endpoint returned no access token")
	}
	c.mu.Lock()
	if d, ok := c.askedToWait(err); ok {
		c.notBefore, c.lastErr = time.Now().Add(d), err
	}
	if refused(err) && c.RefusedFor > 0 {
		c.refusedUntil, c.refusedErr = c.now().Add(c.RefusedFor), err
	}
	switch {
	case err == nil:
		c.tok, c.got = tok, c.now()
	case c.tok != nil && c.now().Before(c.tok.Expiry):
		// An early refresh failed, but the token we have still works:
		// keep using it rather than failing calls that would succeed.
		tok, err = c.tok, nil
	}
	c.inflight = nil
	c.mu.Unlock()
	call.tok, call.err = tok, err
	close(call.done)
}

// askedToWait is the Retry-After of a token endpoint's 429 or 503, capped.
func (c *TokenCache) askedToWait(err error) (time.Duration, bool) {
	var re *oauth2.RetrieveError
	if !errors.As(err, &re) || re.Response == nil {
		return 0, false
	}
	if s := re.Response.StatusCode; s != http.StatusTooManyRequests && s != http.StatusServiceUnavailable {
		return 0, false
	}
	d, ok := RetryAfter(re.Response.Header, time.Now())
	return capped(d, c.MaxRetryAfter), ok && d > 0
}

// refused reports whether the token endpoint refused the credentials: a
// 400 or 401 answer.
func refused(err error) bool {
	var re *oauth2.RetrieveError
	return errors.As(err, &re) && re.Response != nil &&
		(re.Response.StatusCode == http.StatusBadRequest || re.Response.StatusCode == http.StatusUnauthorized)
}

// fresh reports whether t can still be sent: it must outlive the Early
// margin, shrunk to half its lifetime for short-lived tokens so that a token
// living less than Early is still reused.
func (c *TokenCache) fresh(t *oauth2.Token) bool {
	if t.Expiry.IsZero() {
		return true
	}
	early := min(c.Early, t.Expiry.Sub(c.got)/2)
	return c.now().Add(early).Before(t.Expiry)
}

func (c *TokenCache) now() time.Time {
	if c.Now != nil {
		return c.Now()
	}
	return time.Now()
}

// Authenticate implements Authenticator. A token endpoint that is down (a
// network error, a 429 or a 5xx) is worth another try and nothing of the
// call was sent, so those failures come back as *NotSent.
func (c *TokenCache) Authenticate(req *http.Request) error {
	tok, err := c.Token(req.Context())
	if err != nil {
		if transientTokenError(err) && req.Context().Err() == nil {
			return &NotSent{Err: err}
		}
		return err
	}
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	return nil
}

// Invalidate drops the cached token if req carried it.
func (c *TokenCache) Invalidate(req *http.Request) {
	c.mu.Lock()
	if c.tok != nil && req.Header.Get("Authorization") == "Bearer "+c.tok.AccessToken {
		c.tok = nil
	}
	c.mu.Unlock()
}

func transientTokenError(err error) bool {
	if errors.Is(err, context.Canceled) {
		return false
	}
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		return re.Response != nil && (re.Response.StatusCode == http.StatusTooManyRequests || re.Response.StatusCode >= 500)
	}
	return true // the endpoint could not be reached, or timed out
}
