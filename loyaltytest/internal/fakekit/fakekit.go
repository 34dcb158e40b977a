// Package fakekit is what the server of package loyaltytest hands to each
// platform's fake: a clock, id generation, webhook emission, and JSON helpers,
// plus the request-body and wire helpers the fakes share (ReadBody, Allow,
// FormatTime, Int, Float).
// Each platform fake (one package per platform, loyaltytest/<platform>fake) owns its state, its
// routes, its auth and its error shapes; the server owns recording, fault
// injection, rate-limit emulation and webhook delivery.
package fakekit

import (
	"encoding/json"
	"errors"
	"io"
	"mime"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// Platform names, as in Delivery.Platform (loyaltytest re-exports them).
const (
	Qualifio    = "qualifio"
	Yotpo       = "yotpo"
	InfluenceIO = "influenceio"
	Monterosa   = "monterosa"
)

// Delivery is one webhook POST a platform fake wants made. The platform fake
// builds it complete (URL with any token, platform headers, signature over
// Body); the server delivers it asynchronously, retrying on failure.
type Delivery struct {
	Platform string // Qualifio, Yotpo or InfluenceIO
	Topic    string // topic or event type, for observation
	URL      string
	Header   http.Header
	Body     []byte
	// EncodeErr, when set, says the platform could not encode the webhook:
	// the delivery is recorded as failed and nothing is sent.
	EncodeErr string
}

// Env is what the server gives each platform fake.
type Env struct {
	Now     func() time.Time // the server's clock
	NewID   func() string    // random UUID v4 strings
	Emit    func(Delivery)   // queue a webhook delivery; never blocks on the network
	MaxBody int64            // request body cap in bytes
	// SecretName, when set, is told each header or query parameter name the
	// test chose to carry a credential (Qualifio mapped-event auth), so that
	// the server's recorder redacts it by name.
	SecretName func(name string)
}

// Errors of ReadJSON; the platform fake maps them to its own error shape.
var (
	ErrTooLarge    = errors.New("request body too large")
	ErrContentType = errors.New("content type must be application/json")
	ErrMalformed   = errors.New("malformed JSON body")
)

// ReadJSON decodes r's body into v, enforcing max bytes and a JSON content
// type. A Float or Int beyond MaxExact makes it return ErrOutOfRange.
func ReadJSON(r *http.Request, max int64, v any) error {
	if err := CheckJSONContentType(r); err != nil {
		return err
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, max+1))
	if err != nil {
		return ErrMalformed
	}
	if int64(len(body)) > max {
		return ErrTooLarge
	}
	if err := json.Unmarshal(body, v); err != nil {
		if errors.Is(err, ErrOutOfRange) {
			return ErrOutOfRange
		}
		return ErrMalformed
	}
	return nil
}

// CheckJSONContentType returns ErrContentType unless r's Content-Type is
// absent or application/json (parameters such as charset allowed).
func CheckJSONContentType(r *http.Request) error {
	if ct := r.Header.Get("Content-Type"); ct != "" {
		mt, _, err := mime.ParseMediaType(ct)
		if err != nil || mt != "application/json" {
			return ErrContentType
		}
	}
	return nil
}

// WriteJSON writes v as JSON with status.
func WriteJSON(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(v)
}

// BearerToken returns the token of an "Authorization: Bearer <token>" header.
// The scheme is matched case-insensitively, as RFC 6750 allows.
func BearerToken(r *http.Request) (string, bool) {
	const prefix = "bearer "
	h := r.Header.Get("Authorization")
	if len(h) <= len(prefix) || !strings.EqualFold(h[:len(prefix)], prefix) {
		return "", false
	}
	tok := strings.TrimSpace(h[len(prefix):])
	return tok, tok != ""
}

// PathID returns the one path segment after prefix in r's path, unescaped,
// routing on the escaped path so that an id holding "/" (sent as %2F) is
// one id, not two segments. ok is false when there is no such single,
// non-empty segment.
func PathID(r *http.Request, prefix string) (id string, ok bool) {
	rest, found := strings.CutPrefix(r.URL.EscapedPath(), prefix)
	if !found || rest == "" || strings.Contains(rest, "/") {
		return "", false
	}
	id, err := url.PathUnescape(rest)
	return id, err == nil && id != ""
}
