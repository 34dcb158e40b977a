package loyaltytest

import (
	"bytes"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// A RecordedRequest is one request the fake received, secrets redacted.
type RecordedRequest struct {
	Time     time.Time // by the server's clock
	Platform string    // "qualifio", "yotpo", "influenceio", "monterosa", or "" for no platform
	Method   string
	Path     string
	Query    url.Values  // secret parameters replaced by Redacted
	Header   http.Header // secret headers replaced by Redacted
	Body     []byte      // up to the body cap; client secrets in token requests redacted
}

// Redacted replaces secret values in recorded requests.
const Redacted = "REDACTED"

// recorded is a request as kept: redaction and query parsing wait until
// Requests is called, which keeps the serving path cheap. The header map is
// the request's own; the server does not reuse it.
type recorded struct {
	time             time.Time
	platform, method string
	path, rawQuery   string
	header           http.Header
	body             []byte
}

func (e recorded) public() RecordedRequest {
	q, _ := url.ParseQuery(e.rawQuery)
	return RecordedRequest{
		Time: e.time, Platform: e.platform, Method: e.method, Path: e.path,
		Query: redactQuery(q), Header: redactHeader(e.header), Body: redactBody(e.path, e.body),
	}
}

// recorder keeps the most recent requests in a ring.
type recorder struct {
	limit int // < 0: off
	mu    sync.Mutex
	ring  []recorded
	next  int // index of the oldest entry once the ring is full
}

func (rc *recorder) add(rr recorded) {
	if rc.limit < 0 {
		return
	}
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if len(rc.ring) < rc.limit {
		rc.ring = append(rc.ring, rr)
		return
	}
	rc.ring[rc.next] = rr
	rc.next = (rc.next + 1) % rc.limit
}

func (rc *recorder) all() []RecordedRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := make([]RecordedRequest, 0, len(rc.ring))
	for _, e := range rc.ring[rc.next:] {
		out = append(out, e.public())
	}
	for _, e := range rc.ring[:rc.next] {
		out = append(out, e.public())
	}
	return out
}

func (rc *recorder) reset() {
	rc.mu.Lock()
	rc.ring, rc.next = nil, 0
	rc.mu.Unlock()
}

// Requests returns the recorded requests, oldest first.
func (s *Server) Requests() []RecordedRequest { return s.rec.all() }

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() { s.rec.reset() }

// secretName reports whether a header or parameter name carries a secret:
// the platforms' key and token names, and the merchant-chosen names of
// Qualifio mapped-event tokens, which by convention say auth, token, key,
// secret or signature.
func secretName(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"auth", "token", "key", "secret", "signature", "password"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func redactHeader(h http.Header) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		if secretName(k) {
			v = []string{Redacted}
		}
		out[k] = v
	}
	return out
}

func redactQuery(q url.Values) url.Values {
	for k := range q {
		if secretName(k) {
			q[k] = []string{Redacted}
		}
	}
	return q
}

// redactBody hides client secrets in form bodies of the Qualifio token
// endpoint; JSON bodies carry no credentials on these APIs.
func redactBody(path string, body []byte) []byte {
	if path != contract.QualifioTokenPath || len(body) == 0 {
		return bytes.Clone(body)
	}
	form, err := url.ParseQuery(string(body))
	if err != nil {
		return []byte(Redacted)
	}
	return []byte(redactQuery(form).Encode())
}
