package loyalty

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// Sentinels for errors.Is. An *Error matches the one its status maps to.
var (
	ErrBadRequest   = errors.New("loyalty: bad request")       // 400
	ErrUnauthorized = errors.New("loyalty: unauthorized")      // 401
	ErrForbidden    = errors.New("loyalty: forbidden")         // 403
	ErrNotFound     = errors.New("loyalty: not found")         // 404
	ErrConflict     = errors.New("loyalty: conflict")          // 409
	ErrInvalid      = errors.New("loyalty: validation failed") // 422
	ErrLocked       = errors.New("loyalty: locked")            // 423
	ErrRateLimited  = errors.New("loyalty: rate limited")      // 429
	ErrServer       = errors.New("loyalty: server error")      // 5xx

	// ErrNotConfigured is returned, before any request, by a call to a
	// platform that the Client's options did not configure.
	ErrNotConfigured = errors.New("loyalty: platform not configured")

	// ErrNotSupported is returned, before any request, by a service method
	// that the configured platform does not offer; the error names the
	// platform that has it.
	ErrNotSupported = errors.New("loyalty: not supported by this platform")

	// ErrMaybeApplied marks a write (or a call that is not idempotent, such
	// as a GET that consumes notifications) that failed after its request
	// may have reached the platform: the connection broke after the request
	// was written, the answer did not come in time, or a gateway answered
	// 502 or 504. Whether the platform applied it is unknown, so retrying a
	// write that the platform does not de-duplicate could apply it twice.
	// Each write method says whether the platform de-duplicates it.
	//
	// It also marks such a call answered 2xx whose answer could not be read
	// (of an unexpected shape, or cut off mid-stream) by a method that needs
	// the answer for its result: the call was applied, and the error says
	// so; the Response carries the 2xx. A write answered 2xx is never a plain
	// failure.
	ErrMaybeApplied = errors.New("loyalty: the write may have been applied")

	// ErrResponseTooLarge is returned when a successful response's body is
	// larger than the cap of WithMaxResponseBytes, after decompression.
	ErrResponseTooLarge = errors.New("loyalty: response body too large")

	// ErrLimiterUnavailable (not to be confused with ErrRateLimited, the
	// platform's 429) is returned when the Client's RateLimiter could not
	// admit a call for a reason other than the context: a shared limiter
	// whose store (Redis) is unreachable. The attempt was not sent; the
	// call is not retried, and it is ErrMaybeApplied only when an earlier
	// attempt may have reached the platform. The SDK does not fall back to
	// a limiter of its own: replicas each sending the merchant's full limit
	// would exceed it many times over.
	ErrLimiterUnavailable = errors.New("loyalty: rate limiter unavailable")
)

// InputError is bad input to a service method, found before any request
// was sent. Field names the offending field as the method's input names it.
type InputError struct {
	Op     string // the method, e.g. "Members.Create"
	Field  string // e.g. "Email", "Purchase.Currency"; empty for the input as a whole
	Reason string
}

func (e *InputError) Error() string {
	if e.Field == "" {
		return "loyalty: " + e.Op + ": " + e.Reason
	}
	return "loyalty: " + e.Op + ": " + e.Field + ": " + e.Reason
}

// tagged is cause with a note added to its text, matching sentinel with
// errors.Is (and cause's own sentinels through Unwrap).
type tagged struct {
	sentinel, cause error
	note            string
}

func (t *tagged) Error() string        { return t.cause.Error() + t.note }
func (t *tagged) Unwrap() error        { return t.cause }
func (t *tagged) Is(target error) bool { return target == t.sentinel }

// inputErr builds an *InputError; format and args make its Reason.
func inputErr(op, field, format string, args ...any) error {
	return &InputError{Op: op, Field: field, Reason: fmt.Sprintf(format, args...)}
}

// notSupported is the error of a method that platform p does not offer;
// has names the platform that offers it.
func notSupported(op string, p Platform, has Platform) error {
	return fmt.Errorf("%w: %s: %s does not offer it (%s does)", ErrNotSupported, op, p, has)
}

// maxErrorBody caps how much of an error response is kept.
const maxErrorBody = 1 << 20

// Error is a non-2xx response from a platform, or a failure to get
// credentials from one (Qualifio's token endpoint).
type Error struct {
	Platform Platform
	Method   string // of the call
	// Path is the call's raw path, without the query string (which can
	// hold a key). Error() prints its route template instead
	// ("/v1/rewards/{id}/use"): a path can hold a coupon code or an e-mail.
	Path       string
	StatusCode int
	// Code is the platform's machine-readable error code, when it sends one
	// (Qualifio "error", OAuth "error").
	Code string
	// Message is the platform's human message, best effort.
	Message string
	// RequestID is the platform's request id header, when present.
	RequestID string
	// RetryAfter is how long the platform asked to wait (Retry-After, or
	// Yotpo's ratelimit-reset on a 429); zero when it did not say.
	RetryAfter time.Duration
	// Attempts is how many attempts were made, retries included.
	Attempts int
	// Body is the raw response body, at most 1 MiB.
	Body []byte
	// Response is the last response; its Body has been read and closed.
	Response *http.Response
	// MaybeApplied is set on a write (or a call that is not idempotent)
	// when some attempt of it may have reached the platform without a clear
	// answer: a connection that broke after the request was written, or a
	// 502 or 504 from a gateway. The last answer (this one) does not settle
	// whether the write was applied. Such an error also matches
	// ErrMaybeApplied.
	MaybeApplied bool

	tokenEndpoint bool // the OAuth token endpoint's answer: the call itself was never sent
	notRepeatable bool // the call is not idempotent: a server error may follow its effect
}

func (e *Error) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "loyalty: %s", e.Platform)
	if e.Method != "" {
		fmt.Fprintf(&b, " %s %s", e.Method, contract.RouteTemplate(e.Path))
	}
	fmt.Fprintf(&b, ": %d %s", e.StatusCode, http.StatusText(e.StatusCode))
	if e.Code != "" {
		fmt.Fprintf(&b, " (%s)", e.Code)
	}
	if e.Message != "" {
		fmt.Fprintf(&b, ": %s", e.Message)
	}
	if e.RequestID != "" {
		fmt.Fprintf(&b, " [request id %s]", e.RequestID)
	}
	if e.Attempts > 1 {
		fmt.Fprintf(&b, " after %d attempts", e.Attempts)
	}
	if e.MaybeApplied {
		b.WriteString(" (the write may have been applied)")
	}
	return b.String()
}

// sentinelStatus maps each status sentinel to its status (ErrServer covers
// every 5xx and is handled apart).
var sentinelStatus = map[error]int{
	ErrBadRequest:   http.StatusBadRequest,
	ErrUnauthorized: http.StatusUnauthorized,
	ErrForbidden:    http.StatusForbidden,
	ErrNotFound:     http.StatusNotFound,
	ErrConflict:     http.StatusConflict,
	ErrInvalid:      http.StatusUnprocessableEntity,
	ErrLocked:       http.StatusLocked,
	ErrRateLimited:  http.StatusTooManyRequests,
}

// Is reports whether target is the sentinel of e's status.
func (e *Error) Is(target error) bool {
	switch target {
	case ErrServer:
		return e.StatusCode >= 500
	case ErrMaybeApplied:
		return e.MaybeApplied
	}
	status, ok := sentinelStatus[target]
	return ok && e.StatusCode == status
}

// Retryable reports whether the same call, sent again later unchanged, may
// succeed and cannot apply twice: the platform answered 429 or 423 (a
// locked record), which refuse the call, or a server error to a call that
// is safe to repeat (Request.Idempotent), and the call is not marked
// MaybeApplied. A server error to a write that is not safe to repeat is
// not Retryable: the platform may have applied it before failing, which is
// why the Client does not retry it either. It is what the Client's own
// retries already used up; a caller that queues the call for later asks
// it. (net.Error's Temporary, which this replaces, is deprecated because
// "temporary" meant different things to different callers.)
func (e *Error) Retryable() bool {
	switch {
	case e.MaybeApplied:
		return false
	case e.StatusCode == http.StatusTooManyRequests || e.StatusCode == http.StatusLocked:
		return true
	}
	return e.StatusCode >= 500 && !e.notRepeatable
}

// errorMessage extracts the code and message from an error body, trying the
// keys each platform uses. The body is parsed once (linear in its size) and
// the message read from at most maxMessageDepth levels of nesting, so a
// hostile body cannot make an error slow to build. An unparseable body
// yields nothing; it stays in Error.Body.
func errorMessage(p Platform, body []byte) (code, msg string) {
	var m map[string]any
	if json.Unmarshal(body, &m) != nil {
		return "", ""
	}
	str := func(k string) string {
		s, _ := m[k].(string)
		return s
	}
	switch p {
	case Qualifio:
		code, msg = str("error"), str("message")
		if msg == "" {
			msg = str("error_description") // OAuth token endpoint
		}
		return code, msg
	case Yotpo:
		for _, k := range contract.YotpoErrorKeys {
			var parts []string
			flatten(m[k], "", 0, &parts)
			if len(parts) > 0 {
				return "", clip(strings.Join(parts, "; "), maxMessageBytes)
			}
		}
		return "", ""
	}
	return "", str("message")
}

// Bounds of flatten: how deep it looks, how many parts it keeps, and how
// long the message and each key path may be (the body stays whole in
// Error.Body).
const (
	maxMessageDepth = 4
	maxMessageParts = 20
	maxMessageBytes = 4 << 10
	maxKeyBytes     = 128
)

// clip cuts s to at most n bytes on a rune boundary, marking the cut.
func clip(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}

// flatten appends the messages of v: a string, an object's "message", the
// strings of an array, or an object of strings/arrays as "key: message".
func flatten(v any, key string, depth int, parts *[]string) {
	if depth > maxMessageDepth || len(*parts) >= maxMessageParts {
		return
	}
	add := func(s string) {
		if key != "" {
			s = key + ": " + s
		}
		*parts = append(*parts, s)
	}
	switch v := v.(type) {
	case string:
		if v != "" {
			add(v)
		}
	case []any:
		for _, item := range v {
			flatten(item, key, depth+1, parts)
		}
	case map[string]any:
		if s, ok := v["message"].(string); ok && s != "" {
			add(s)
			return
		}
		keys := make([]string, 0, len(v))
		for k := range v {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, k := range keys {
			name := k
			if key != "" {
				name = key + "." + k
			}
			name = clip(name, maxKeyBytes)
			flatten(v[k], name, depth+1, parts)
		}
	}
}

// redactor hides credentials in what a platform answered: a body or a
// message may echo the key, token or secret a call carried (a 401 quoting
// the header it refused, a gateway quoting the URL). It holds each secret
// in every form it may take there, longest first, so that no secret that
// holds another is left half hidden.
type redactor []string

// redactedMark replaces a secret.
const redactedMark = "[REDACTED]"

// newRedactor returns a redactor for secrets, as they are and query-,
// path- and JSON-escaped; empty ones are skipped.
func newRedactor(secrets ...string) redactor {
	var r redactor
	add := func(s string) {
		if s != "" && !slices.Contains(r, s) {
			r = append(r, s)
		}
	}
	for _, s := range secrets {
		if s == "" {
			continue
		}
		add(s)
		add(url.QueryEscape(s))
		add(url.PathEscape(s))
		if j, err := json.Marshal(s); err == nil {
			j := string(j[1 : len(j)-1])
			add(j)
			add(strings.ReplaceAll(j, "/", `\/`)) // as PHP and others escape it
		}
	}
	slices.SortStableFunc(r, func(a, b string) int { return len(b) - len(a) })
	return r
}

func (r redactor) hide(s string) string {
	for _, secret := range r {
		s = strings.ReplaceAll(s, secret, redactedMark)
	}
	return s
}

// redactError hides the secrets in the parts of e a platform wrote. It
// changes e in place: it is meant for an *Error still being built.
func (r redactor) redactError(e *Error) {
	if len(r) == 0 {
		return
	}
	e.Code, e.Message, e.RequestID = r.hide(e.Code), r.hide(e.Message), r.hide(e.RequestID)
	if len(e.Body) > 0 {
		if h := r.hide(string(e.Body)); h != string(e.Body) {
			e.Body = []byte(h)
		}
	}
}

// redact returns err with the secrets hidden from its text and from the
// *Error it holds (changed in place, so that errors.As reaches no secret
// either), still matching what err matched.
func (r redactor) redact(err error) error {
	if err == nil || len(r) == 0 {
		return err
	}
	var e *Error
	if errors.As(err, &e) {
		r.redactError(e)
	}
	msg := err.Error()
	if h := r.hide(msg); h != msg {
		return &redactedError{err: err, msg: h}
	}
	return err
}

// redactedError is err with a message that hides a secret.
type redactedError struct {
	err error
	msg string
}

func (e *redactedError) Error() string { return e.msg }
func (e *redactedError) Unwrap() error { return e.err }
