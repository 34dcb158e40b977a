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
// method with an Idempotency-Key header. A state-changing GET (one that
// consumes notifications, or sends an e-mail) would then run twice with
// no error.
//
// Once gives the attempt a body that is empty but cannot be rewound (no
// GetBody), which makes it not replayable. Over HTTP/1 nothing more goes
// on the wire: for a GET, HEAD, DELETE or OPTIONS net/http probes such a
// body, finds it empty and sends no Content-Length, no Transfer-Encoding
// and no body. Over HTTP/2 the request ends with an empty DATA frame
// instead of on its HEADERS (zero body bytes), and net/http resends it only
// when the connection was unusable before the stream opened, when nothing
// was sent. A body the call has is kept; only its GetBody is dropped, which
// also closes the Idempotency-Key path.
//
// It sits next to the user's transport, under Auth, so that Auth may still
// resend a call the platform refused with 401 (refused, so not applied).
type Once struct {
	Base http.RoundTripper
}

// RoundTrip implements http.RoundTripper.
func (o *Once) RoundTrip(req *http.Request) (*http.Response, error) {
	r, ok := req.Context().Value(ruleKey{}).(Rule)
	if !ok || r.Idempotent {
		return o.Base.RoundTrip(req)
	}
	out := new(http.Request)
	*out = *req // a shallow copy: only Body and GetBody change
	out.GetBody = nil
	if out.Body == nil || out.Body == http.NoBody {
		out.Body = emptyBody{}
	}
	resp, err := o.Base.RoundTrip(out)
	if resp != nil {
		resp.Request = req
	}
	return resp, err
}

// emptyBody is a body of no bytes that net/http cannot rewind. Read must
// return exactly io.EOF: that is what net/http's probe looks for.
type emptyBody struct{}

func (emptyBody) Read([]byte) (int, error) { return 0, io.EOF }
func (emptyBody) Close() error             { return nil }
