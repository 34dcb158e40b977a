package loyalty

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/internal/transport"
	"github.com/loyalty-go/loyalty/internal/uuid"
)

// EventsService sends events to Qualifio Loyalty's ingestor API, where the
// program's earning rules turn them into points
// (https://developers.qualifio.com/docs/loyalty/publish-events).
type EventsService service

// EventType is a standard event's "category/name". Types other than the
// constants are passed through unchanged.
type EventType string

// The standard event types Qualifio documents; the wire strings are decided.
const (
	EventCustomBasic EventType = "custom/basic"       // Custom > Basic, fully flexible
	EventPurchase    EventType = "ecommerce/purchase" // Ecommerce > Purchase; needs Event.Purchase
)

// Event is a standard event about one member.
type Event struct {
	// ID is the event's de-duplication key: Qualifio processes an id once.
	// Leave it empty to have a UUID v7 generated (random, and holding the
	// send's time); Send returns it, so that a later resend of the same
	// event can reuse it.
	ID   string
	Type EventType
	// Email and CustomerID identify the member: at least one. An identity
	// that matches no member is accepted and then dropped by Qualifio.
	Email      string
	CustomerID string
	// Timestamp is when the action happened. Zero means now, or, when ID
	// is a UUID v7 (as the ids Send generates are), the time it holds: an
	// event resent with the id Send returned and no Timestamp is the same
	// bytes as the first send. With an id of your own that is not a UUID
	// v7, set Timestamp for a resend to be identical.
	Timestamp time.Time
	// Tags (text) and Counters (numbers) are what earning rules can test.
	Tags     map[string]string
	Counters map[string]float64
	// Purchase is required for EventPurchase and refused for other types.
	Purchase *Purchase
}

// Purchase is the purchase of an EventPurchase event.
type Purchase struct {
	OrderID string
	Amount  Money // sent as a decimal in major units, e.g. 49.90 EUR
}

// eventJSON is a standard event on the wire (decided field names).
type eventJSON struct {
	ID        string             `json:"id"`
	Type      string             `json:"type"`
	Member    identityJSON       `json:"member"`
	Timestamp string             `json:"timestamp"`
	Tags      map[string]string  `json:"tags,omitempty"`
	Counters  map[string]float64 `json:"counters,omitempty"`
	Purchase  *purchaseJSON      `json:"purchase,omitempty"`
}

type identityJSON struct {
	Email      string `json:"email,omitempty"`
	CustomerID string `json:"customerId,omitempty"`
}

type purchaseJSON struct {
	OrderID  string      `json:"orderId"`
	Amount   json.Number `json:"amount"` // exact: Money.Decimal, never a float
	Currency string      `json:"currency"`
}

// receiptJSON is the ingestor's answer: the event id, or a mapped event's
// receipt id.
type receiptJSON struct {
	ID wireText `json:"id"` // a number reads as its digits
}

// Send sends a standard event and returns its id (e.ID, or the one
// generated), also when the send failed, so that a later resend reuses it.
//
// Qualifio de-duplicates events on their id, so Send is retried on server
// errors and broken connections like a read, and resending an event with
// the same id never counts it twice.
func (s *EventsService) Send(ctx context.Context, e Event, callOpts ...CallOption) (string, *Response, error) {
	return s.send(ctx, "Events.Send", e, callOpts)
}

func (s *EventsService) send(ctx context.Context, op string, e Event, callOpts []CallOption) (string, *Response, error) {
	body, id, err := encodeEvent(op, e)
	if err != nil {
		return e.ID, nil, err
	}
	req, err := s.client.request(op, Qualifio, http.MethodPost, contract.QualifioPathEvents, body)
	if err != nil {
		return id, nil, err
	}
	req.Idempotent = true // the platform de-duplicates on the id in the body
	// The answer is not read: the id is the caller's, and an answer of an
	// unexpected shape must not turn a sent event into a failure.
	resp, err := s.client.Do(ctx, req, nil, callOpts...)
	return id, resp, err
}

// encodeEvent validates e and encodes it, generating its id when empty.
func encodeEvent(op string, e Event) ([]byte, string, error) {
	if err := checkEvent(op, &e); err != nil {
		return nil, "", err
	}
	// A generated id is a UUID v7 holding the time to the millisecond, and
	// a zero Timestamp is read back from such an id: an event resent with
	// the id Send returned carries the first send's timestamp, so every
	// send of it is the same bytes.
	if e.ID == "" {
		now := time.UnixMilli(time.Now().UnixMilli())
		e.ID = uuid.NewV7(now)
		if e.Timestamp.IsZero() {
			e.Timestamp = now
		}
	}
	if e.Timestamp.IsZero() {
		if t, ok := uuid.V7Time(e.ID); ok {
			e.Timestamp = t
		} else {
			e.Timestamp = time.Now()
		}
	}
	w := eventJSON{
		ID: e.ID, Type: string(e.Type), Member: identityJSON{Email: e.Email, CustomerID: e.CustomerID},
		Timestamp: qualifioTime(e.Timestamp), Tags: e.Tags, Counters: e.Counters,
	}
	if e.Purchase != nil {
		amount, err := e.Purchase.Amount.Decimal() // checked by checkEvent
		if err != nil {
			return nil, "", inputErr(op, "Purchase.Amount.Currency", "%v", err)
		}
		w.Purchase = &purchaseJSON{OrderID: e.Purchase.OrderID, Amount: json.Number(amount), Currency: e.Purchase.Amount.Currency}
	}
	body, err := json.Marshal(&w)
	if err != nil {
		return nil, "", fmt.Errorf("loyalty: %s: encoding event: %w", op, err)
	}
	return body, e.ID, nil
}

// checkEvent validates an event before anything is sent.
func checkEvent(op string, e *Event) error {
	if e.ID != "" && (strings.TrimSpace(e.ID) != e.ID || strings.ContainsFunc(e.ID, isControl)) {
		return inputErr(op, "ID", "%q has surrounding spaces or control characters", e.ID)
	}
	if err := checkEventType(op, e.Type); err != nil {
		return err
	}
	if err := checkIdentity(op, "Email", e.Email); err != nil {
		return err
	}
	if err := checkIdentity(op, "CustomerID", e.CustomerID); err != nil {
		return err
	}
	if err := checkQualifioTime(op, "Timestamp", e.Timestamp); err != nil {
		return err
	}
	switch {
	case e.Email == "" && e.CustomerID == "":
		return inputErr(op, "", "set Email or CustomerID (the member the event is about)")
	case e.Email != "" && !plausibleEmail(e.Email):
		return inputErr(op, "Email", "%q is not an e-mail address", e.Email)
	}
	for k := range e.Tags {
		if strings.TrimSpace(k) == "" {
			return inputErr(op, "Tags", "has an empty key")
		}
	}
	for k, v := range e.Counters {
		if strings.TrimSpace(k) == "" {
			return inputErr(op, "Counters", "has an empty key")
		}
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return inputErr(op, "Counters["+k+"]", "%v is not a JSON number", v)
		}
	}
	purchase := e.Type == EventPurchase
	switch {
	case purchase && e.Purchase == nil:
		return inputErr(op, "Purchase", "is required for %s events", EventPurchase)
	case !purchase && e.Purchase != nil:
		return inputErr(op, "Purchase", "is only sent with %s events, not %s", EventPurchase, e.Type)
	case e.Purchase == nil:
		return nil
	case strings.TrimSpace(e.Purchase.OrderID) == "":
		return inputErr(op, "Purchase.OrderID", "is required")
	case e.Purchase.Amount.Minor < 0:
		return inputErr(op, "Purchase.Amount", "%s is negative", e.Purchase.Amount)
	}
	return checkCurrency(op, "Purchase.Amount.Currency", e.Purchase.Amount.Currency)
}

// checkEventType accepts "category/name", both parts non-empty and
// without spaces.
func checkEventType(op string, t EventType) error {
	cat, name, ok := strings.Cut(string(t), "/")
	if !ok || cat == "" || name == "" || strings.Contains(name, "/") ||
		strings.ContainsFunc(string(t), func(r rune) bool { return r <= ' ' || r == 0x7f }) {
		return inputErr(op, "Type", "%q is not a category/name event type such as %s", t, EventCustomBasic)
	}
	return nil
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// MappedAuth is how a mapped-event integration authenticates, as chosen
// when it was created in Qualifio's back office (Settings > Incoming
// Events): build it with MappedBearer, MappedHeader, MappedQuery or
// MappedHubSignature, once per integration, and pass it to each
// SendMapped. Its secret is never printed: String, GoString and LogValue
// redact it, and it is set only on the copy of the request that goes on the
// wire.
type MappedAuth struct {
	mode   mappedMode
	name   string // header or query parameter name
	secret string // token, or HMAC key
	sha1   bool
}

type mappedMode uint8

const (
	mappedUnset mappedMode = iota
	mappedBearer
	mappedHeader
	mappedQuery
	mappedHub
)

// MappedBearer authenticates with the Client's OAuth token (decided:
// Qualifio does not say whether mapped events take it).
func MappedBearer() MappedAuth { return MappedAuth{mode: mappedBearer} }

// MappedHeader sends token in the header the integration names, e.g.
// MappedHeader("X-Authorization", token).
func MappedHeader(name, token string) MappedAuth {
	return MappedAuth{mode: mappedHeader, name: name, secret: token}
}

// MappedQuery sends token in the query parameter the integration names.
// The URL then carries the token by necessity; the SDK adds it only on the
// wire, so no URL in a Response, error or log line shows it.
func MappedQuery(param, token string) MappedAuth {
	return MappedAuth{mode: mappedQuery, name: param, secret: token}
}

// MappedHubSignature signs the exact bytes sent with HMAC-SHA256 under
// secret, in X-Hub-Signature: sha256=<hex>. A retry re-sends the same bytes
// and the same signature.
func MappedHubSignature(secret string) MappedAuth {
	return MappedAuth{mode: mappedHub, secret: secret}
}

// MappedHubSignatureSHA1 is MappedHubSignature with HMAC-SHA1 (sha1=<hex>),
// for an integration set to SHA-1.
func MappedHubSignatureSHA1(secret string) MappedAuth {
	return MappedAuth{mode: mappedHub, secret: secret, sha1: true}
}

// String describes the mode without its secret.
func (a MappedAuth) String() string {
	switch a.mode {
	case mappedBearer:
		return "MappedBearer()"
	case mappedHeader:
		return fmt.Sprintf("MappedHeader(%q, [redacted])", a.name)
	case mappedQuery:
		return fmt.Sprintf("MappedQuery(%q, [redacted])", a.name)
	case mappedHub:
		if a.sha1 {
			return "MappedHubSignatureSHA1([redacted])"
		}
		return "MappedHubSignature([redacted])"
	}
	return "MappedAuth(unset)"
}

// GoString is String, so that %#v shows no secret either.
func (a MappedAuth) GoString() string { return a.String() }

// LogValue implements slog.LogValuer without the secret.
func (a MappedAuth) LogValue() slog.Value { return slog.StringValue(a.String()) }

// reservedHeaders are set by the transport; an integration cannot use them.
var reservedHeaders = map[string]bool{"Content-Type": true, "Content-Length": true, "Host": true, "Transfer-Encoding": true}

// check validates a for op. The secret is never echoed.
func (a MappedAuth) check(op string) error {
	switch a.mode {
	case mappedUnset:
		return inputErr(op, "auth", "is unset: use MappedBearer, MappedHeader, MappedQuery or MappedHubSignature")
	case mappedBearer:
		return nil
	case mappedHeader:
		if !isToken(a.name) {
			return inputErr(op, "auth", "the header name is not an HTTP header name (an RFC 9110 token); it is not quoted here, as it may hold a credential pasted by mistake")
		}
		if reservedHeaders[http.CanonicalHeaderKey(a.name)] {
			return inputErr(op, "auth", "header name %q is set by the SDK itself", a.name)
		}
	case mappedQuery:
		if strings.TrimSpace(a.name) == "" || strings.ContainsFunc(a.name, isControl) {
			return inputErr(op, "auth", "query parameter name %q is empty or has control characters", a.name)
		}
	}
	if a.secret == "" {
		return inputErr(op, "auth", "the token or secret is empty")
	}
	if strings.TrimSpace(a.secret) != a.secret || strings.ContainsFunc(a.secret, isControl) {
		return inputErr(op, "auth", "the token or secret has surrounding spaces or control characters (a pasted newline?)")
	}
	return nil
}

// isToken reports whether s is an RFC 9110 token, as header names are.
func isToken(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r > 0x7e || r <= ' ' || strings.ContainsRune("\"(),/:;<=>?@[\\]{}", r) {
			return false
		}
	}
	return true
}

// signature is the X-Hub-Signature value of body.
func (a MappedAuth) signature(body []byte) string {
	if a.sha1 {
		return contract.QualifioHubSHA1Prefix + contract.HMACSHA1Hex([]byte(a.secret), body)
	}
	return contract.QualifioHubSHA256Prefix + contract.HMACSHA256Hex([]byte(a.secret), body)
}

// SendMapped posts body to the mapped-event integration integrationID,
// authenticated as auth says, and returns Qualifio's receipt id ("" when
// the answer has no body or one it cannot read: answered 2xx, the event
// was taken, so that is never an error). Qualifio turns the body into
// standard events with the integration's JSONata mapping.
//
// body is a JSON object or array (decided, as Qualifio's mapping takes
// them; a scalar or null is refused): []byte, json.RawMessage and string
// are the JSON text, sent as they are (and must be valid JSON; a Go string
// is never encoded as a JSON string, which would be a scalar), anything
// else is encoded with encoding/json.
//
// Call options that would break auth are refused before sending: a
// BodyField under a hub signature (the signature covers the body as
// given), a Header or QueryParam named as the integration's token.
//
// Mapped events carry no id, so Qualifio cannot de-duplicate them: SendMapped
// is retried only on 429 and on connection errors before the request was
// written. An error matching ErrMaybeApplied means it may have been counted.
func (s *EventsService) SendMapped(ctx context.Context, integrationID string, body any, auth MappedAuth, callOpts ...CallOption) (string, *Response, error) {
	const op = "Events.SendMapped"
	seg, err := pathSegment(op, "integrationID", integrationID)
	if err != nil {
		return "", nil, err
	}
	if err := auth.check(op); err != nil {
		return "", nil, err
	}
	if err := auth.checkCallOptions(op, callOpts); err != nil {
		return "", nil, err
	}
	var raw []byte
	switch b := body.(type) {
	case nil:
		return "", nil, inputErr(op, "body", "is required")
	case []byte:
		raw = b
	case json.RawMessage:
		raw = b
	case string:
		raw = []byte(b)
	default:
		if raw, err = json.Marshal(body); err != nil {
			return "", nil, inputErr(op, "body", "cannot be encoded as JSON: %v", err)
		}
	}
	if !json.Valid(raw) {
		return "", nil, inputErr(op, "body", "is not valid JSON")
	}
	if t := bytes.TrimLeft(raw, " \t\r\n"); t[0] != '{' && t[0] != '[' {
		return "", nil, inputErr(op, "body", "is a JSON %s; a mapped event is a JSON object or array", jsonKind(t[0]))
	}
	req, err := s.client.request(op, Qualifio, http.MethodPost, contract.QualifioPathMapped+seg, raw)
	if err != nil {
		return "", nil, err
	}
	if auth.mode == mappedHub {
		// Over the exact bytes NewRequest keeps: every attempt sends both.
		req.Header = http.Header{}
		req.Header.Set(contract.QualifioHubSignatureHeader, auth.signature(raw))
	}
	if auth.mode != mappedBearer {
		// This call's own credential replaces the OAuth token, which
		// then never goes where it is not asked for.
		ctx = transport.WithAuth(ctx, mappedCredential{auth})
	}
	// Answered 2xx, the event was counted: a receipt that cannot be read
	// is "", never an error (the caller would send it again).
	var answer json.RawMessage
	resp, err := s.client.writeAnswer(ctx, req, &answer, callOpts...)
	if err != nil {
		return "", resp, err
	}
	var ack receiptJSON
	_ = decodeTolerant(resp, atTop, answer, &ack)
	return string(ack.ID), resp, nil
}

// jsonKind names the kind of JSON value that starts with c.
func jsonKind(c byte) string {
	switch c {
	case '"':
		return "string"
	case 'n':
		return "null"
	case 't', 'f':
		return "boolean"
	case '{':
		return "object"
	case '[':
		return "array"
	}
	return "number"
}

// checkCallOptions refuses the call options that would break a: a
// BodyField would change the bytes a hub signature covers (the body is the
// caller's own: add the field to it), and a Header or QueryParam named as
// the integration's credential would be overwritten by it.
func (a MappedAuth) checkCallOptions(op string, opts []CallOption) error {
	cfg, err := newCallConfig(op, opts)
	if err != nil {
		return err
	}
	switch a.mode {
	case mappedHub:
		if len(cfg.fields) > 0 {
			return inputErr(op, "BodyField", "%q would change the signed body after its X-Hub-Signature is made; add it to the body instead", cfg.fields[0].name)
		}
	case mappedHeader:
		for k := range cfg.header {
			if strings.EqualFold(k, a.name) {
				return inputErr(op, "Header", "%s carries the integration's token (MappedHeader)", k)
			}
		}
	case mappedQuery:
		for k := range cfg.query {
			if strings.EqualFold(k, a.name) {
				return inputErr(op, "QueryParam", "%s carries the integration's token (MappedQuery)", k)
			}
		}
	}
	return nil
}

// mappedCredential authenticates one mapped event in the header, query or
// hub mode. The transport calls it on its own copy of the request, so that
// a query token never reaches the URL of a Response, an error or a log
// line. It cannot go stale, so a 401 is not replayed.
type mappedCredential struct{ auth MappedAuth }

// Authenticate implements transport.Authenticator.
func (m mappedCredential) Authenticate(req *http.Request) error {
	switch m.auth.mode {
	case mappedHeader:
		req.Header.Set(m.auth.name, m.auth.secret)
	case mappedQuery:
		q := req.URL.Query()
		q.Set(m.auth.name, m.auth.secret)
		req.URL.RawQuery = q.Encode()
	}
	// mappedHub: the signature is on the request already, computed once
	// over the bytes every attempt sends.
	return nil
}

// DefaultBatchConcurrency is how many events SendBatch has in flight when
// EventBatchOptions.Concurrency is zero: enough to hide latency, few enough to
// stay polite to a platform that publishes no rate limit.
const DefaultBatchConcurrency = 4

// EventBatchOptions tunes SendBatch.
type EventBatchOptions struct {
	// Concurrency bounds the sends in flight; zero means
	// DefaultBatchConcurrency.
	Concurrency int
}

// ErrNotAttempted is the error of a SendBatch result whose event was never
// sent: ctx ended first (it then also matches ctx's error), or the OAuth
// token endpoint had refused an earlier event of the batch (it then also
// matches that *Error). Such an event can be sent again as it is.
var ErrNotAttempted = errors.New("loyalty: not attempted")

// EventBatchResult is the outcome of one event of SendBatch:
//   - Err == nil: sent and accepted;
//   - errors.Is(Err, ErrNotAttempted): never sent, because ctx ended first
//     or the token endpoint refused the batch's credentials;
//   - otherwise: failed with Err (an *InputError, an *Error, or a transport
//     error, possibly matching ErrMaybeApplied).
type EventBatchResult struct {
	// ID is the event's id, the caller's or the generated one; a failed
	// event resent with it is never counted twice. It is empty for an
	// event that had no id and was never sent: not attempted, or refused
	// as invalid (an *InputError).
	ID  string
	Err error
}

// SendBatch sends events concurrently, at most opts.Concurrency at a time,
// each as Send would (validated, with an id, retried, de-duplicated), and
// returns one result per event in input order. When ctx ends, sends in
// flight end with ctx's error and the events not yet started are reported
// as not attempted: none is lost silently. Likewise once the OAuth token
// endpoint fails an event (a wrong secret, an endpoint down), no new send
// starts: the rest would fail the same way, and each would ask the
// endpoint again. The error is non-nil only for invalid opts or callOpts,
// and then nothing is sent; callOpts apply to every send.
func (s *EventsService) SendBatch(ctx context.Context, events []Event, opts *EventBatchOptions, callOpts ...CallOption) ([]EventBatchResult, error) {
	const op = "Events.SendBatch"
	n := DefaultBatchConcurrency
	if opts != nil && opts.Concurrency != 0 {
		if opts.Concurrency < 0 {
			return nil, inputErr(op, "opts.Concurrency", "%d is negative", opts.Concurrency)
		}
		n = opts.Concurrency
	}
	if _, err := newCallConfig(op, callOpts); err != nil {
		return nil, err // refused once, not once per event
	}
	n = min(n, len(events))
	results := make([]EventBatchResult, len(events))
	started := make([]bool, len(events))
	var next atomic.Int64
	var tokenErr atomic.Pointer[Error] // the token endpoint's first failure
	var wg sync.WaitGroup
	wg.Add(n)
	for range n {
		go func() {
			defer wg.Done()
			for ctx.Err() == nil && tokenErr.Load() == nil {
				i := int(next.Add(1) - 1)
				if i >= len(events) || ctx.Err() != nil || tokenErr.Load() != nil {
					return
				}
				started[i] = true
				id, _, err := s.send(ctx, op, events[i], callOpts)
				var ie *InputError
				if errors.As(err, &ie) {
					ie.Field = strings.TrimSuffix(fmt.Sprintf("events[%d].%s", i, ie.Field), ".")
				}
				var e *Error
				if errors.As(err, &e) && e.tokenEndpoint {
					tokenErr.CompareAndSwap(nil, e)
				}
				results[i] = EventBatchResult{ID: id, Err: err}
			}
		}()
	}
	wg.Wait()
	for i := range results {
		if !started[i] {
			cause := context.Cause(ctx)
			if e := tokenErr.Load(); e != nil {
				cause = e
			}
			results[i] = EventBatchResult{ID: events[i].ID, Err: fmt.Errorf("%w: %w", ErrNotAttempted, cause)}
		}
	}
	return results, nil
}
