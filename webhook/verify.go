package webhook

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"errors"
	"fmt"
	"hash"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
)

// Verification and parsing failures. Errors returned by this package wrap one
// of them; test with errors.Is. The messages name headers, never secrets.
var (
	// ErrNoVerification: a config enables no check and does not opt out.
	ErrNoVerification = errors.New("webhook: no verification configured (set a secret, or InsecureSkipVerify to accept unauthenticated deliveries)")
	// ErrMissingHeader: a header that verification requires is absent or empty.
	ErrMissingHeader = errors.New("webhook: missing authentication header")
	// ErrMissingToken: the URL has no token query parameter (Influence.io).
	ErrMissingToken = errors.New("webhook: missing token in URL")
	// ErrBadToken: a header value or URL token matches no configured secret.
	ErrBadToken = errors.New("webhook: token does not match")
	// ErrBadSignature: a signature is malformed or matches no configured
	// secret (Qualifio; Yotpo and Influence.io sign nothing).
	ErrBadSignature = errors.New("webhook: signature does not match")
	// ErrMalformed: the body is not the JSON shape the platform sends.
	ErrMalformed = errors.New("webhook: malformed body")
)

// QualifioConfig says how Qualifio deliveries are authenticated. Set a custom
// header, signing secrets, or both; every check configured must pass.
type QualifioConfig struct {
	// HeaderName is the custom header chosen in Qualifio's back office, and
	// HeaderValues the values it may carry (several while rotating).
	HeaderName   string
	HeaderValues []string
	// SigningSecrets turn on X-Qualifio-Signature (sha256=<hex HMAC>); the
	// header is then required and must match one of them.
	SigningSecrets []string
	// InsecureSkipVerify accepts every delivery without authentication. It
	// is only allowed when no check above is configured.
	InsecureSkipVerify bool
}

// YotpoConfig says how Yotpo deliveries are authenticated.
type YotpoConfig struct {
	// Tokens are the accepted "Webhook Authentication" values of the Yotpo
	// admin, received in Authorization raw or after "Bearer ".
	Tokens []string
	// InsecureSkipVerify accepts every delivery without authentication. It
	// is only allowed when Tokens is empty.
	InsecureSkipVerify bool
}

// InfluenceIOConfig says how Influence.io deliveries are authenticated.
// Influence.io signs nothing: it documents only the X-Webhook-Topic and
// X-Webhook-Id headers (https://developer.influence.io/reference/introduction-to-webhooks),
// so the one secret a delivery can carry is a token in the URL you
// register. See the package documentation for what that does and does not
// protect against.
type InfluenceIOConfig struct {
	// Tokens are the accepted values of the token query parameter of the
	// registered URL (https://merchant.example/hooks?token=<secret>), several
	// while rotating.
	Tokens []string
	// InsecureSkipVerify accepts every delivery without authentication. It
	// is only allowed when Tokens is empty.
	InsecureSkipVerify bool
}

// A Receiver verifies and parses the deliveries of one platform. It is safe
// for concurrent use.
type Receiver struct {
	platform loyalty.Platform
	verify   func(h http.Header, q url.Values, body []byte) error
	parse    func(h http.Header, body []byte) ([]Event, error)
	now      func() time.Time // the time of receipt; replaced in tests
	// needsQuery: verify reads the URL query, which ConstructEvents then
	// parses (only then, as parsing it allocates).
	needsQuery bool
}

// NewQualifio returns the Receiver of Qualifio Loyalty webhooks.
func NewQualifio(cfg QualifioConfig) (*Receiver, error) {
	name := http.CanonicalHeaderKey(strings.TrimSpace(cfg.HeaderName))
	if !validHeaderName(name) {
		return nil, fmt.Errorf("webhook: QualifioConfig.HeaderName %q is not a valid HTTP header name", name)
	}
	values, err := secrets("QualifioConfig.HeaderValues", cfg.HeaderValues)
	if err != nil {
		return nil, err
	}
	keys, err := secrets("QualifioConfig.SigningSecrets", cfg.SigningSecrets)
	if err != nil {
		return nil, err
	}
	if (name == "") != (len(values) == 0) {
		return nil, errors.New("webhook: QualifioConfig: HeaderName and HeaderValues go together")
	}
	if err := checkInsecure("QualifioConfig", cfg.InsecureSkipVerify, len(values)+len(keys)); err != nil {
		return nil, err
	}
	macs := newQualifioMACs(keys)
	rc := &Receiver{platform: loyalty.Qualifio, parse: func(_ http.Header, body []byte) ([]Event, error) {
		return ParseQualifio(body)
	}}
	rc.verify = func(h http.Header, _ url.Values, body []byte) error {
		if name != "" {
			got := h.Get(name)
			if got == "" {
				return fmt.Errorf("webhook: qualifio: header %s: %w", name, ErrMissingHeader)
			}
			if !matchAny(values, []byte(got)) {
				return fmt.Errorf("webhook: qualifio: header %s: %w", name, ErrBadToken)
			}
		}
		if len(keys) > 0 {
			got := strings.ToLower(strings.TrimSpace(h.Get(contract.QualifioWebhookSignatureHeader)))
			if got == "" {
				return fmt.Errorf("webhook: qualifio: header %s: %w", contract.QualifioWebhookSignatureHeader, ErrMissingHeader)
			}
			if !macs.match(body, got) {
				return fmt.Errorf("webhook: qualifio: header %s: %w", contract.QualifioWebhookSignatureHeader, ErrBadSignature)
			}
		}
		return nil
	}
	return rc, nil
}

// NewYotpo returns the Receiver of Yotpo Loyalty & Referrals webhooks.
func NewYotpo(cfg YotpoConfig) (*Receiver, error) {
	tokens, err := secrets("YotpoConfig.Tokens", cfg.Tokens)
	if err != nil {
		return nil, err
	}
	if err := checkInsecure("YotpoConfig", cfg.InsecureSkipVerify, len(tokens)); err != nil {
		return nil, err
	}
	rc := &Receiver{platform: loyalty.Yotpo, now: time.Now}
	rc.parse = func(h http.Header, body []byte) ([]Event, error) {
		ev, err := parseYotpo(body, h.Get(contract.YotpoWebhookMessageID), rc.now())
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	}
	rc.verify = func(h http.Header, _ url.Values, _ []byte) error {
		if len(tokens) == 0 {
			return nil
		}
		raw := strings.TrimSpace(h.Get(contract.YotpoWebhookAuthHeader))
		got := raw
		if len(got) > len("bearer ") && strings.EqualFold(got[:len("bearer ")], "bearer ") {
			got = strings.TrimSpace(got[len("bearer "):])
		}
		if got == "" {
			return fmt.Errorf("webhook: yotpo: header %s: %w", contract.YotpoWebhookAuthHeader, ErrMissingHeader)
		}
		// The raw value is tried too, for an admin value that itself starts
		// with "Bearer ".
		if !matchAny(tokens, []byte(got)) && !matchAny(tokens, []byte(raw)) {
			return fmt.Errorf("webhook: yotpo: header %s: %w", contract.YotpoWebhookAuthHeader, ErrBadToken)
		}
		return nil
	}
	return rc, nil
}

// NewInfluenceIO returns the Receiver of Influence.io webhooks.
func NewInfluenceIO(cfg InfluenceIOConfig) (*Receiver, error) {
	tokens, err := secrets("InfluenceIOConfig.Tokens", cfg.Tokens)
	if err != nil {
		return nil, err
	}
	if err := checkInsecure("InfluenceIOConfig", cfg.InsecureSkipVerify, len(tokens)); err != nil {
		return nil, err
	}
	rc := &Receiver{platform: loyalty.InfluenceIO, needsQuery: len(tokens) > 0, parse: func(h http.Header, body []byte) ([]Event, error) {
		ev, err := ParseInfluenceIO(body, h.Get(contract.InfluenceIOHeaderTopic), h.Get(contract.InfluenceIOHeaderWebhookID))
		if err != nil {
			return nil, err
		}
		return []Event{ev}, nil
	}}
	rc.verify = func(_ http.Header, q url.Values, _ []byte) error {
		if len(tokens) == 0 {
			return nil
		}
		got := q.Get(contract.InfluenceIOQueryToken)
		if got == "" {
			return fmt.Errorf("webhook: influenceio: query parameter %s: %w", contract.InfluenceIOQueryToken, ErrMissingToken)
		}
		if !matchAny(tokens, []byte(got)) {
			return fmt.Errorf("webhook: influenceio: query parameter %s: %w", contract.InfluenceIOQueryToken, ErrBadToken)
		}
		return nil
	}
	return rc, nil
}

// Platform reports which platform the Receiver serves.
func (rc *Receiver) Platform() loyalty.Platform { return rc.platform }

// Verify authenticates a delivery: r supplies the headers and URL, body the
// raw bytes as received (r.Body is not read). It returns nil or an error
// wrapping ErrMissingHeader, ErrMissingToken, ErrBadToken or ErrBadSignature.
func (rc *Receiver) Verify(r *http.Request, body []byte) error {
	return rc.verify(r.Header, rc.query(r), body)
}

// ConstructEvents verifies a delivery and, only if it is authentic, parses
// it. Qualifio sends several events per request; the other platforms one.
// It is ConstructEventsFrom with the request's headers and URL query.
func (rc *Receiver) ConstructEvents(r *http.Request, body []byte) ([]Event, error) {
	return rc.ConstructEventsFrom(r.Header, rc.query(r), body)
}

// ConstructEventsFrom is ConstructEvents without an *http.Request, for a
// delivery received another way (a queue, a serverless event, a test):
// header holds the request's headers, query its URL query (only Influence.io
// reads it, for the token; nil otherwise), body the raw bytes as received.
func (rc *Receiver) ConstructEventsFrom(header http.Header, query url.Values, body []byte) ([]Event, error) {
	if err := rc.verify(header, query, body); err != nil {
		return nil, err
	}
	return rc.parse(header, body)
}

// query returns the URL query of r when verification reads it.
func (rc *Receiver) query(r *http.Request) url.Values {
	if !rc.needsQuery || r.URL == nil {
		return nil
	}
	return r.URL.Query()
}

// secrets copies list as byte slices, refusing empty entries (an empty
// secret is always a configuration mistake and would accept empty headers)
// and entries with surrounding whitespace or control characters, such as
// "tok\n" read from a file: headers arrive trimmed, so they could never
// match. The error names the field and index, never the value.
func secrets(field string, list []string) ([][]byte, error) {
	out := make([][]byte, 0, len(list))
	for i, s := range list {
		switch {
		case strings.TrimSpace(s) == "":
			return nil, fmt.Errorf("webhook: %s[%d] is empty", field, i)
		case strings.TrimSpace(s) != s:
			return nil, fmt.Errorf("webhook: %s[%d] has leading or trailing whitespace (a newline from a file?); trim it", field, i)
		case strings.ContainsFunc(s, isControl):
			return nil, fmt.Errorf("webhook: %s[%d] contains a control character", field, i)
		}
		out = append(out, []byte(s))
	}
	return out, nil
}

func isControl(r rune) bool { return r < 0x20 || r == 0x7f }

// validHeaderName reports whether name is "" or an HTTP token (RFC 9110
// §5.6.2), the only names a header can have.
func validHeaderName(name string) bool {
	for i := 0; i < len(name); i++ {
		c := name[i]
		switch {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9':
		case strings.IndexByte("!#$%&'*+-.^_`|~", c) >= 0:
		default:
			return false
		}
	}
	return true
}

// InfluenceIOWebhookURL returns base with the verification token added as
// the token query parameter, escaped: the URL to
// register for an Influence.io webhook subscription checked by
// InfluenceIOConfig.Tokens. base must be an absolute http or https URL; a
// token parameter already in it is replaced, other parameters are kept. The
// result holds the secret: do not log it. loyalty's Webhooks.CreateWithToken
// registers such a URL in one call.
func InfluenceIOWebhookURL(base, token string) (string, error) {
	if _, err := secrets("InfluenceIOWebhookURL token", []string{token}); err != nil {
		return "", err
	}
	u, err := contract.InfluenceIOTokenURL(base, token)
	if err != nil {
		return "", fmt.Errorf("webhook: InfluenceIOWebhookURL: base %v", err)
	}
	return u, nil
}

func checkInsecure(config string, insecure bool, checks int) error {
	switch {
	case checks == 0 && !insecure:
		return fmt.Errorf("webhook: %s: %w", config, ErrNoVerification)
	case checks > 0 && insecure:
		return fmt.Errorf("webhook: %s: InsecureSkipVerify is set together with secrets; choose one", config)
	}
	return nil
}

// matchAny reports whether got equals one of want. Every candidate is
// compared, in constant time, so timing reveals neither value nor index.
func matchAny(want [][]byte, got []byte) bool {
	ok := 0
	for _, w := range want {
		ok |= subtle.ConstantTimeCompare(w, got)
	}
	return ok == 1
}

// qualifioMACs checks X-Qualifio-Signature, contract.QualifioWebhookSignature
// (sha256=<hex HMAC-SHA256>), under each signing secret. Each secret keeps
// its HMAC states in a pool: hmac.New costs five allocations, and hashing
// the key's two pads, per delivery.
type qualifioMACs []*macPool

type macPool struct{ pool sync.Pool } // of *macState

type macState struct {
	h   hash.Hash
	sum [sha256.Size]byte // Sum's buffer: a stack one would escape through the hash.Hash interface
}

func newQualifioMACs(keys [][]byte) qualifioMACs {
	macs := make(qualifioMACs, len(keys))
	for i, k := range keys {
		macs[i] = &macPool{pool: sync.Pool{New: func() any { return &macState{h: hmac.New(sha256.New, k)} }}}
	}
	return macs
}

// match reports whether got, lower case, is the signature of body under
// one of the secrets. The HMAC of every secret is computed and compared in
// constant time, so timing reveals neither the value nor the index; only
// the header's shape, which is public, may end the check early.
func (macs qualifioMACs) match(body []byte, got string) bool {
	hexSig, ok := strings.CutPrefix(got, contract.QualifioWebhookSignaturePrefix)
	var src [2 * sha256.Size]byte
	var want [sha256.Size]byte
	if !ok || len(hexSig) != len(src) {
		return false
	}
	copy(src[:], hexSig)
	if _, err := hex.Decode(want[:], src[:]); err != nil {
		return false
	}
	eq := 0
	for _, m := range macs {
		s := m.pool.Get().(*macState)
		s.h.Reset()
		s.h.Write(body)
		eq |= subtle.ConstantTimeCompare(s.h.Sum(s.sum[:0]), want[:])
		m.pool.Put(s)
	}
	return eq == 1
}
