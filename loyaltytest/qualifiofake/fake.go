// Package qualifiofake is the Qualifio Loyalty part of the loyaltytest fake:
// the OAuth token endpoint, the ingestor API (standard and mapped events), the
// management API (members), a points ledger driven by an earning rule, and the
// program webhooks. It follows the wire contract the SDK documents (the
// values in internal/contract), decided parts included, and keeps its own
// wire structs.
//
// Tests get the Fake of a running server from (*loyaltytest.Server).Qualifio
// and seed and inspect it with the methods and types documented here; the
// loyaltytest package re-exports the types under Qualifio-prefixed names.
// New is for package loyaltytest only: its Env parameter is internal.
package qualifiofake

import (
	"net/http"
	"path"
	"strings"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// DefaultTokenTTL is the lifetime of issued tokens, Qualifio's usual hour.
const DefaultTokenTTL = time.Hour

// Config configures the fake. The zero value accepts any non-empty client id
// and secret and issues one-hour tokens.
type Config struct {
	// ClientID and ClientSecret, when set, are the only client credentials
	// the token endpoint accepts.
	ClientID, ClientSecret string
	// TokenTTL is the lifetime of issued tokens (expires_in).
	TokenTTL time.Duration
}

// EarningRule is the program's single earning rule, applied to every
// standard event whose member exists.
type EarningRule struct {
	ID string `json:"id"` // sent as data.ruleId in points.earned
	// PerEvent is what an event other than a purchase earns.
	PerEvent float64 `json:"perEvent"`
	// PerCurrencyUnit is what a purchase earns per major currency unit of
	// purchase.amount (e.g. 1 point per euro).
	PerCurrencyUnit float64 `json:"perCurrencyUnit"`
}

// DefaultEarningRule earns 10 points per event and 1 point per currency unit
// spent.
var DefaultEarningRule = EarningRule{ID: "r-default", PerEvent: 10, PerCurrencyUnit: 1}

// Webhook is where and how the program's webhooks are sent.
type Webhook struct {
	URL string
	// HeaderName and HeaderValue are the merchant's custom header; both
	// empty sends none.
	HeaderName, HeaderValue string
	// Secret, when set, adds X-Qualifio-Signature: sha256=<hex HMAC>.
	Secret string
}

// Mapped-event integration auth modes.
const (
	AuthBearer       = "bearer"        // an OAuth token from the token endpoint
	AuthHeader       = "header"        // <Name>: <Secret>
	AuthQuery        = "query"         // ?<Name>=<Secret>
	AuthHubSignature = "hub-signature" // X-Hub-Signature: sha256=<hex HMAC(Secret, body)>
)

// MappedEvent is an "Incoming event" integration.
type MappedEvent struct {
	ID string `json:"id"`
	// Auth is "bearer" (also when empty), "header", "query" or
	// "hub-signature": loyaltytest's QualifioAuth* constants.
	Auth string `json:"auth,omitempty"`
	// Name is the header or query parameter name for "header" and "query".
	Name string `json:"name,omitempty"`
	// Secret is the token (header, query) or the HMAC key (hub-signature).
	Secret string `json:"secret,omitempty"`
	// SHA1 makes hub-signature use sha1= and HMAC-SHA1.
	SHA1 bool `json:"sha1,omitempty"`
}

// Fake is the Qualifio fake. It is safe for concurrent use.
type Fake struct {
	env fakekit.Env
	cfg Config

	// tokens has its own lock: token checks are the hot path.
	tokMu  sync.Mutex
	tokens map[string]time.Time // access token -> expiry

	mu         sync.Mutex
	programID  string
	rule       EarningRule
	hook       Webhook
	members    map[string]*member // by id
	byEmail    map[string]string  // lower-cased email -> id
	byCustomer map[string]string  // customerId -> id
	seenEvents map[string]bool
	mapped     map[string]MappedEvent
	received   map[string][][]byte // mapped-event bodies by integration id
}

// New returns an empty program.
// Only loyaltytest can call it (fakekit.Env is internal).
func New(env fakekit.Env, cfg Config) *Fake {
	if cfg.TokenTTL <= 0 {
		cfg.TokenTTL = DefaultTokenTTL
	}
	return &Fake{
		env:        env,
		cfg:        cfg,
		tokens:     map[string]time.Time{},
		programID:  env.NewID(),
		rule:       DefaultEarningRule,
		members:    map[string]*member{},
		byEmail:    map[string]string{},
		byCustomer: map[string]string{},
		seenEvents: map[string]bool{},
		mapped:     map[string]MappedEvent{},
		received:   map[string][][]byte{},
	}
}

// ProgramID is the program's UUID, as sent in webhook events.
func (f *Fake) ProgramID() string { return f.programID }

// SetEarningRule replaces the earning rule for events accepted from now on.
func (f *Fake) SetEarningRule(r EarningRule) {
	f.mu.Lock()
	f.rule = r
	f.mu.Unlock()
}

// SetWebhook sets where state changes are posted; a zero Webhook stops them.
// The merchant's header name is reported to env.SecretName, so that
// recorded deliveries hide its value.
func (f *Fake) SetWebhook(h Webhook) {
	if h.HeaderName != "" && f.env.SecretName != nil {
		f.env.SecretName(h.HeaderName)
	}
	f.mu.Lock()
	f.hook = h
	f.mu.Unlock()
}

// AddMappedEvent creates or replaces a mapped-event integration. The
// header or query parameter name of the "header" and "query" modes is reported to
// env.SecretName, so that recorded requests hide it whatever it is called.
func (f *Fake) AddMappedEvent(m MappedEvent) {
	if m.Auth == "" {
		m.Auth = AuthBearer
	}
	if (m.Auth == AuthHeader || m.Auth == AuthQuery) && m.Name != "" && f.env.SecretName != nil {
		f.env.SecretName(m.Name)
	}
	f.mu.Lock()
	f.mapped[m.ID] = m
	f.mu.Unlock()
}

// MappedEvents returns the bodies received by integration id, oldest first.
// The fake has no JSONata: mapped events are kept, not turned into points.
func (f *Fake) MappedEvents(id string) [][]byte {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([][]byte(nil), f.received[id]...)
}

// Points returns a member's balance and lifetime total in the default
// currency; ok is false for an unknown member id.
func (f *Fake) Points(memberID string) (balance, lifetime float64, ok bool) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.members[memberID]
	if m == nil {
		return 0, 0, false
	}
	return m.balance, m.lifetime, true
}

// Paths this fake serves, derived from the contract.
var (
	pathToken    = contract.QualifioTokenPath
	pathEvents   = contract.QualifioBasePath + contract.QualifioPathEvents
	pathMembers  = contract.QualifioBasePath + contract.QualifioPathMembers
	prefixMapped = contract.QualifioBasePath + contract.QualifioPathMapped
	// Prefixes is every path prefix the fake answers under; the server
	// routes them here.
	Prefixes = []string{
		contract.QualifioBasePath + path.Dir(contract.QualifioPathEvents) + "/",
		contract.QualifioBasePath + path.Dir(contract.QualifioPathMembers) + "/",
	}
)

// ServeHTTP serves the token endpoint and the API under its full paths.
// Ids are routed on the escaped path, so that one holding "/" (sent as
// %2F) stays one segment.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	var h http.HandlerFunc
	switch m := r.Method; {
	case p == pathToken:
		f.token(w, r)
		return
	case p == pathEvents:
		h = pick(m == http.MethodPost, f.postEvent)
	case isChild(r.URL.EscapedPath(), prefixMapped):
		f.route(w, pick(m == http.MethodPost, f.postMapped), r, false)
		return
	case p == pathMembers:
		h = pick(m == http.MethodPost, f.createMember)
		if m == http.MethodGet {
			h = f.lookupMember
		}
	case isChild(r.URL.EscapedPath(), pathMembers+"/"):
		switch m {
		case http.MethodGet:
			h = f.getMember
		case http.MethodPatch:
			h = f.patchMember
		case http.MethodDelete:
			h = f.deleteMember
		}
	default:
		WriteError(w, http.StatusNotFound, "no such route: "+r.Method+" "+p)
		return
	}
	f.route(w, h, r, true)
}

// isChild reports whether p is prefix followed by one non-empty segment.
func isChild(p, prefix string) bool {
	return len(p) > len(prefix) && strings.HasPrefix(p, prefix) && !strings.Contains(p[len(prefix):], "/")
}

func pick(ok bool, h http.HandlerFunc) http.HandlerFunc {
	if ok {
		return h
	}
	return nil
}

// route answers 405 for a nil h, then checks the OAuth token when needed
// (mapped events authenticate per integration).
func (f *Fake) route(w http.ResponseWriter, h http.HandlerFunc, r *http.Request, oauth bool) {
	switch {
	case h == nil:
		WriteError(w, http.StatusMethodNotAllowed, "method "+r.Method+" not allowed here")
	case oauth && !f.tokenOK(r):
		WriteError(w, http.StatusUnauthorized, "missing, invalid or expired access token")
	default:
		h(w, r)
	}
}

// errorBody is the decided Qualifio error body.
type errorBody struct {
	Error   string `json:"error"`
	Message string `json:"message"`
}

// WriteError writes the Qualifio error body for status.
func WriteError(w http.ResponseWriter, status int, msg string) {
	fakekit.WriteJSON(w, status, errorBody{Error: errorCode(status), Message: msg})
}

// errorCode is the decided error code for a status.
func errorCode(status int) string {
	switch status {
	case http.StatusUnauthorized:
		return contract.QualifioErrUnauthorized
	case http.StatusForbidden:
		return contract.QualifioErrForbidden
	case http.StatusNotFound:
		return contract.QualifioErrNotFound
	case http.StatusConflict:
		return contract.QualifioErrConflict
	case http.StatusTooManyRequests:
		return contract.QualifioErrRateLimited
	}
	if status >= 500 {
		return contract.QualifioErrInternal
	}
	return contract.QualifioErrInvalidRequest
}

// bodyMessages answers a failed request body with the fakekit error's own text.
var bodyMessages = fakekit.BodyMessages{
	TooLarge:    fakekit.ErrTooLarge.Error(),
	ContentType: fakekit.ErrContentType.Error(),
	Malformed:   fakekit.ErrMalformed.Error(),
}

// readJSON decodes the body into v or answers the error and returns false.
func (f *Fake) readJSON(w http.ResponseWriter, r *http.Request, v any) bool {
	return fakekit.ReadBody(w, r, f.env.MaxBody, v, bodyMessages, WriteError)
}

func (f *Fake) stamp(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }
