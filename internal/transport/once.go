package transport

import (
	"io"
	"net/http"
)

// Once sends each attempt of a call that must reach the platform at most
// once (its Rule is not Idempotent) so that net/http cannot send it again.
// Go's Transport silently resends a request it deems replayable when a
// reused keep-alive connection breaks after the request was written: a
// GET, HEAD, OPTIONS or TRACE without a body or with GetBody, or any
// method with an Idempotency-Key or X-Idempotency-Key header and no body
// or GetBody. A state-changing GET (one that consumes notifications, or
// sends an e-mail) would then run twice with no error.
//
// Once drops GetBody from every such attempt. Where net/http would still
// deem the request replayable without one (a bodyless GET, HEAD, OPTIONS
// or TRACE, or a bodyless request with one of those headers), it also
// gives it a body that is empty but cannot be rewound. On the wire:
//   - A body the call has is sent as it is, with its Content-Length.
//   - A bodyless POST, PUT, PATCH or DELETE is untouched: Content-Length 0
//     (none for DELETE), no body.
//   - Over HTTP/1 a bodyless GET, HEAD or OPTIONS still goes out plain:
//     net/http probes the empty body, finds it at EOF and sends no
//     Content-Length, no Transfer-Encoding and no body. On a loaded
//     machine the probe (200 ms) may time out first; the request is then
//     chunked with a zero-byte body. A bodyless TRACE, or POST or PATCH
//     with an Idempotency-Key header, is always sent chunked with a
//     zero-byte body (net/http probes only methods that usually lack one).
//   - Over HTTP/2 the substituted request ends with an empty DATA frame
//     instead of on its HEADERS (zero body bytes); net/http resends it
//     only when the connection was unusable before the stream opened,
//     when nothing was sent.
//
// The price: such a call on a stale keep-alive connection no longer gets
// net/http's silent resend and surfaces as an error (ErrMaybeApplied).
//
// It sits next to the user's transport, under Auth, so that Auth may still
// resend a call the platform refused with 401 (refused, so not applied).
type Once struct {
	Base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (o *Once) RoundTrip(req *http.Request) (*http.Response, error) {
	r, ok := ruleFrom(req.Context())
	if !ok || r.Idempotent {
		return o.Base.RoundTrip(req)
	}
	out := new(http.Request)
	*out = *req // a shallow copy: only Body and GetBody change
	out.GetBody = nil
	if (out.Body == nil || out.Body == http.NoBody) && replayableWithoutBody(out) {
		out.Body = emptyBody{}
	}
	resp, err := o.Base.RoundTrip(out)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

// replayableWithoutBody reports whether net/http would deem a bodyless
// req replayable (net/http's Request.isReplayable): by its method, or by
// an idempotency header, looked up by its exact key as net/http does.
func replayableWithoutBody(req *http.Request) bool {
	switch req.Method {
	case "", http.MethodGet, http.MethodHead, http.MethodOptions, http.MethodTrace:
		return true
	}
	_, ok := req.Header["Idempotency-Key"]
	_, xok := req.Header["X-Idempotency-Key"]
	return ok || xok
}

// emptyBody is a body of no bytes that net/http cannot rewind. Read must
// return exactly io.EOF: that is what net/http's probe looks for.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }
