package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/google/go-querystring/query"
	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/internal/transport"
)

// Version is the SDK version sent in the default User-Agent.
const Version = "0.1.0"

// Client talks to the configured loyalty platforms. It is safe for
// concurrent use; build one per set of credentials and reuse it.
//
// The services group the calls by resource; each talks to the platform that
// documents its resource (see the package documentation).
type Client struct {
	backends  map[Platform]*backend
	userAgent string
	hc        *http.Client // the user's, or the shared default
	logger    *slog.Logger // WithLogger's; nil: decode issues go to slog.Default()

	decodeLogged sync.Map // DecodeIssue keys logged once (see addDecodeIssue)

	common service // shared by the services: one allocation, not one per service

	// Qualifio Loyalty.
	Members *MembersService // member profiles
	Events  *EventsService  // events: standard, mapped, batches
	// Customers and Orders speak to the commerce platform (Yotpo or Influence.io).
	Customers *CustomersService
	Orders    *OrdersService
	// Yotpo-only resources.
	Redemptions *RedemptionsService // redemption options, redeeming, coupon cancellations
	Coupons     *CouponsService     // uploaded coupon codes
	Campaigns   *CampaignsService   // earning rules
	Tiers       *TiersService       // VIP tiers
	Referrals   *ReferralsService   // referral e-mails and links
	Privacy     *PrivacyService     // GDPR requests
	// Influence.io-only resources.
	Products *ProductsService // catalogue for product rewards and exclusions
	Webhooks *WebhooksService // webhook subscriptions (receiving: package webhook)
	// Rewards is the Monterosa Loyalty API: config, profile, notifications,
	// history, coupons and actions, for the Client's user or per user.
	Rewards *RewardsService
}

// backend is everything the Client needs to call one platform.
type backend struct {
	platform Platform
	// baseURL is the parsed base URL (no trailing slash) and basePath its
	// escaped path, which a Request's Path extends.
	baseURL  url.URL
	basePath string
	rt       http.RoundTripper // the chain of internal/transport, over the user's Transport
	policy   transport.Policy  // the retry loop's; also tells an *Error how long the platform asked to wait
	// retryExtra gives statuses retried even on non-idempotent calls, by
	// method and path (Yotpo's 423 on points/adjust).
	retryExtra func(method, path string) []int
	// needsUser: every call must name the user it acts for (a Monterosa
	// service token).
	needsUser bool
	// noDefaultUser: every call must carry a user's token (a Monterosa
	// Client without a TokenSource).
	noDefaultUser bool
	// secrets are the credentials of the Client's options, hidden from
	// every error as the credentials each call sent are (see redactor).
	secrets []string
	// observer is WithObserver's, nil without it; host and port are the
	// base URL's, for it.
	observer *Observer
	host     string
	port     int
}

// NewClient builds a Client from options, configuring only the platforms they
// name. It reports the first invalid option by name.
func NewClient(opts ...Option) (*Client, error) {
	s := settings{retry: DefaultRetryPolicy, maxResponse: DefaultMaxResponseBytes}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&s); err != nil {
			return nil, fmt.Errorf("loyalty: %w", err)
		}
	}
	if s.yotpo != nil && s.influenceio != nil {
		return nil, errors.New("loyalty: WithYotpo and WithInfluenceIO: a Client has one commerce platform, since both would serve Customers and Orders; build two Clients")
	}
	if s.qualifio == nil && s.yotpo == nil && s.influenceio == nil && s.monterosa == nil {
		return nil, errors.New("loyalty: NewClient: no platform configured; pass WithQualifio, WithYotpo, WithInfluenceIO or WithMonterosa")
	}
	if s.httpClient == nil {
		s.httpClient = &http.Client{Transport: defaultTransport(), Timeout: DefaultTimeout}
	}
	if s.userAgent == "" {
		s.userAgent = defaultUserAgent()
	}
	if s.appInfo != "" {
		s.userAgent += " " + s.appInfo
	}
	c := &Client{backends: map[Platform]*backend{}, userAgent: s.userAgent, hc: s.httpClient, logger: s.logger}
	if s.qualifio != nil {
		c.backends[Qualifio] = s.qualifio.backend(&s)
	}
	if s.yotpo != nil {
		c.backends[Yotpo] = s.yotpo.backend(&s)
	}
	if s.influenceio != nil {
		c.backends[InfluenceIO] = s.influenceio.backend(&s)
	}
	if s.monterosa != nil {
		c.backends[Monterosa] = s.monterosa.backend(&s)
	}
	c.common.client = c
	c.initServices()
	return c, nil
}

// defaultUserAgent is "loyalty-go/<Version> (go<version>; <os>/<arch>)": the
// SDK and the runtime, which is what a platform's support asks first.
func defaultUserAgent() string {
	return "loyalty-go/" + Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
}

// DefaultTimeout bounds each attempt of a Client built without
// WithHTTPClient.
const DefaultTimeout = 30 * time.Second

// DefaultMaxResponseBytes caps a response body when WithMaxResponseBytes is
// not given.
const DefaultMaxResponseBytes = 32 << 20

// defaultTransport is the connection pool of every Client built without
// WithHTTPClient: shared, so that many Clients do not each keep idle
// connections (and their goroutines) alive.
var defaultTransport = sync.OnceValue(func() *http.Transport {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return t
})

// CloseIdleConnections closes the idle connections of the Client's HTTP
// transport: the user's (WithHTTPClient) or the pool that Clients built
// without it share. Connections in use are left alone, and a later call
// dials again, so it is safe at any time; call it when a Client is no
// longer needed.
func (c *Client) CloseIdleConnections() { c.hc.CloseIdleConnections() }

// isolated copies hc for the SDK's calls (API and token calls alike):
//   - it never follows a redirect: none of the platforms redirects its API
//     or token calls, and following one would hand the credentials (a key,
//     a token, the client secret in a token request) to whatever host it
//     names. A 3xx comes back as an error instead;
//   - it has no cookie jar: none of the four APIs uses cookies (each call
//     carries its own credentials), and a jar is state shared by every call
//     of the Client, so a cookie a platform set on one fan's call would go
//     out on the next fan's (Monterosa's per-user views share one Client).
//     Nothing a platform answers is kept from one call to the next.
func isolated(hc *http.Client) *http.Client {
	cp := *hc
	cp.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	cp.Jar = nil
	return &cp
}

// newBackend wires the transport chain of one platform (see
// internal/transport): per attempt rate limiting, logging, the attempt's
// own deadline (AttemptTimeout, or the http.Client's Timeout), reading the
// body whole, authentication and, for a call sent at most once, keeping
// net/http from replaying it, over the user's transport; with
// WithObserver, Observe reports each attempt above all that. Policy.Do
// runs the attempts. The user's http.Client itself is not called: what it
// would add per attempt is its Timeout, which Deadline applies, redirects,
// which the SDK never follows, and cookies, which it never keeps (see
// isolated).
func newBackend(p Platform, base string, s *settings, auth transport.Authenticator, limiter RateLimiter, pol transport.Policy) *backend {
	inner := s.httpClient.Transport
	if inner == nil {
		inner = http.DefaultTransport
	}
	var rt http.RoundTripper = &transport.Auth{Base: &transport.Once{Base: inner}, Auth: auth}
	rt = &transport.Buffer{Base: rt, Max: s.maxResponse, ErrorMax: maxErrorBody}
	rt = &transport.Deadline{Base: rt, Default: s.httpClient.Timeout}
	rt = &transport.Logging{Base: rt, Logger: s.logger, Platform: string(p)}
	if s.observer != nil && limiter != nil {
		rt = &transport.Waited{Base: rt}
	}
	if limiter != nil {
		rt = &transport.Limit{Base: rt, Limiter: limiter}
	}
	if s.observer != nil {
		rt = &transport.Observe{Base: rt}
	}
	pol.MaxRetries = s.retry.MaxRetries
	pol.MinWait, pol.MaxWait = s.retry.MinWait, s.retry.MaxWait
	pol.MaxRetryAfter = s.retry.MaxRetryAfter
	b := &backend{platform: p, rt: rt, policy: pol, observer: s.observer}
	if u, err := url.Parse(base); err == nil { // checked by the platform's option
		b.baseURL, b.basePath = *u, u.EscapedPath()
	}
	if s.observer != nil {
		b.host, b.port = serverAddress(base)
	}
	return b
}

// anyServerError is the 5xx policy of platforms that retry idempotent calls
// on every server error but 501, which will not change on a retry.
func anyServerError(status int) bool { return status >= 500 && status != http.StatusNotImplemented }

// Configured reports whether the Client was built with p's option.
func (c *Client) Configured(p Platform) bool { return c.backends[p] != nil }

// Platforms lists the configured platforms in a fixed order.
func (c *Client) Platforms() []Platform {
	var ps []Platform
	for _, p := range []Platform{Qualifio, Yotpo, InfluenceIO, Monterosa} {
		if c.Configured(p) {
			ps = append(ps, p)
		}
	}
	return ps
}

func (c *Client) backend(p Platform) (*backend, error) {
	if b := c.backends[p]; b != nil {
		return b, nil
	}
	opt := map[Platform]string{Qualifio: "WithQualifio", Yotpo: "WithYotpo", InfluenceIO: "WithInfluenceIO", Monterosa: "WithMonterosa"}[p]
	if opt == "" {
		return nil, fmt.Errorf("loyalty: unknown platform %q", string(p))
	}
	return nil, fmt.Errorf("%w: %s needs %s", ErrNotConfigured, p, opt)
}

// Request is one call to a platform, relative to its base URL. Build it with
// NewRequest, adjust Query, Header or Idempotent, and send it with Do. It is
// the escape hatch for endpoints the services do not wrap yet, authenticated,
// retried and rate-limited like every other call.
type Request struct {
	Platform Platform
	Method   string
	// Path is relative to the platform's base URL and starts with "/", e.g.
	// "/customers" for Yotpo (base https://loyalty.yotpo.com/api/v2).
	Path   string
	Query  url.Values
	Header http.Header
	// Idempotent requests are retried on server errors and any transport
	// error; NewRequest sets it for GET, HEAD, PUT, DELETE and OPTIONS.
	// Set it false for a call that must not run twice, whatever its method
	// (a GET that consumes or sends something): it is then sent at most
	// once. Neither the SDK nor net/http sends it again once it may have
	// reached the platform, and a failure after that point matches
	// ErrMaybeApplied.
	Idempotent bool

	body []byte // encoded once: every attempt sends the same bytes
	// lookup marks a write method used as a read (Influence.io's empty
	// order update, sent to read the order): its failure is never
	// ErrMaybeApplied, since what the caller asked for was not sent yet.
	lookup bool
	// operation is the service method that built the request, e.g.
	// "Customers.Get"; empty for a request of the caller's (Client.Do),
	// which Observer's CallInfo.Operation then names "Do".
	operation string
}

// NewRequest builds a request to platform p. A non-nil body is sent as JSON:
// []byte and json.RawMessage as they are, anything else through
// encoding/json. Bad input is reported here, before anything is sent.
func (c *Client) NewRequest(p Platform, method, path string, body any) (*Request, error) {
	r, err := c.newRequest(p, method, path, body)
	if err != nil {
		return nil, err
	}
	r.Header, r.Query = http.Header{}, url.Values{}
	return r, nil
}

// newRequest is NewRequest without the empty Header and Query maps.
func (c *Client) newRequest(p Platform, method, path string, body any) (*Request, error) {
	if _, err := c.backend(p); err != nil {
		return nil, err
	}
	if err := checkMethodPath(method, path); err != nil {
		return nil, fmt.Errorf("loyalty: NewRequest: %w", err)
	}
	r := &Request{Platform: p, Method: method, Path: path}
	switch method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		r.Idempotent = true
	}
	switch b := body.(type) {
	case nil:
	case []byte:
		r.body = b
	case json.RawMessage:
		r.body = b
	case io.Reader:
		return nil, errors.New("loyalty: NewRequest: pass the body as []byte or a value to encode, not an io.Reader, so that every attempt sends the same bytes")
	default:
		enc, err := json.Marshal(body)
		if err != nil {
			return nil, fmt.Errorf("loyalty: NewRequest: encoding body: %w", err)
		}
		r.body = enc
	}
	return r, nil
}

// checkMethodPath keeps a request on its platform's host and base path: a
// method of upper-case letters, and a path that starts with "/" and has no
// authority, query, fragment, dot segment or control character.
func checkMethodPath(method, path string) error {
	if method == "" || strings.TrimFunc(method, func(r rune) bool { return r >= 'A' && r <= 'Z' }) != "" {
		return fmt.Errorf("method %q must be upper-case letters, e.g. GET", method)
	}
	bad := !strings.HasPrefix(path, "/") || strings.HasPrefix(path, "//") || strings.ContainsAny(path, "?#\\")
	bad = bad || strings.HasSuffix(path, "/.") || strings.HasSuffix(path, "/..") ||
		strings.Contains(path, "/./") || strings.Contains(path, "/../")
	bad = bad || strings.ContainsFunc(path, func(r rune) bool { return r < 0x21 || r == 0x7f })
	if bad {
		return fmt.Errorf("path %q must be relative to the platform's base URL: start with /, no query (use Request.Query), no dot segments, spaces or control characters", path)
	}
	return nil
}

// SetQuery adds the fields of opts, a struct with `url:"name,omitempty"`
// tags (github.com/google/go-querystring), to the request's query.
func (r *Request) SetQuery(opts any) error {
	v, err := query.Values(opts)
	if err != nil {
		return fmt.Errorf("loyalty: SetQuery: %w", err)
	}
	if r.Query == nil {
		r.Query = url.Values{}
	}
	for k, vs := range v {
		r.Query[k] = vs
	}
	return nil
}

// Do sends req and decodes a 2xx JSON response body into v (when v is not
// nil and there is a body). A non-2xx response is returned as an *Error
// together with the Response. A Request that sets the credentials the
// Client's authentication sets (its headers, or Yotpo's guid and api_key
// query parameters) is refused with an *InputError before sending. opts
// adjust this call only (see CallOption); req is not modified.
//
// A request that changes state (a write method, or Idempotent false) and
// was answered 2xx was done: it is never sent again, also when the body
// breaks off mid-stream. With v nil that is success; when the body cannot
// be decoded into v the error matches ErrMaybeApplied and says the call was
// applied, and the Response carries the 2xx.
func (c *Client) Do(ctx context.Context, req *Request, v any, opts ...CallOption) (*Response, error) {
	b, err := c.backend(req.Platform)
	if err != nil {
		return nil, err
	}
	// The fields are exported, so check again what NewRequest checked: the
	// path decides which host gets the credentials.
	if err := checkMethodPath(req.Method, req.Path); err != nil {
		return nil, fmt.Errorf("loyalty: Do: %w", err)
	}
	if err := checkCredentialHeaders(req); err != nil {
		return nil, err
	}
	cfg, req, err := callOptions(req, opts)
	if err != nil {
		return nil, err
	}
	resp, err := c.do(ctx, b, req, v, cfg)
	cfg.captured(resp)
	return resp, err
}

// do is Do once req carries its options.
func (c *Client) do(ctx context.Context, b *backend, req *Request, v any, cfg *callConfig) (r *Response, err error) {
	if v != nil {
		if rv := reflect.ValueOf(v); rv.Kind() != reflect.Pointer || rv.IsNil() {
			return nil, fmt.Errorf("loyalty: Do: v must be a non-nil pointer, not %T", v)
		}
	}
	route := contract.RouteTemplate(req.Path) // what logs and error texts name: the path can hold a coupon code
	if b.observer != nil {
		var obs *callObservation
		ctx, obs = b.observeCall(ctx, req, route)
		defer func() { obs.end(r, err) }()
	}
	rule := transport.Rule{Idempotent: req.Idempotent, ChangesState: req.changesState(), Extra: b.extra(req), Route: route, AttemptTimeout: cfg.timeout}
	if cfg.retries >= 0 {
		rule.MaxAttempts = cfg.retries + 1
	}
	ctx = transport.WithRule(ctx, rule)
	ctx, attempts := transport.WithAttempts(ctx)
	if rule.ChangesState {
		ctx = transport.WithWriteTrace(ctx, attempts)
	}
	hr, err := b.httpRequest(ctx, req, c.userAgent)
	if err != nil {
		return nil, fmt.Errorf("loyalty: %s %s %s: %w", req.Platform, req.Method, route, err)
	}

	start := time.Now()
	resp, err := b.policy.Do(b.rt, hr, req.body)
	maybeApplied := req.changesState() && attempts.MaybeApplied()
	if resp != nil {
		defer resp.Body.Close()
		r = newResponse(resp)
		r.Attempts, r.Duration = attempts.Count(), time.Since(start)
		r.wire = wireScope{client: c, platform: req.Platform, method: req.Method, route: route}
	}
	if err != nil {
		// The context ended waiting to retry (or as the answer came): the
		// error is the context's, the Response the last answer.
		return r, b.callError(ctx, req, route, err, attempts.Count(), maybeApplied)
	}
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		e := b.newError(req, resp, attempts.Count())
		e.MaybeApplied = maybeApplied
		return r, e
	}
	if v != nil && resp.StatusCode != http.StatusNoContent {
		if err := r.decodeBody(attempts.Body(resp), v); err != nil { // decoded where Buffer read it
			return r, req.answerError(resp.StatusCode, fmt.Errorf("loyalty: %s %s %s: decoding response: %w", req.Platform, req.Method, route, err))
		}
	}
	return r, nil
}

// httpRequest is the http.Request of req's call, for the Client's
// base URL: the escaped base path extended by req.Path, req's query and
// headers, and the Accept, User-Agent and (with a body) Content-Type
// headers. The body is Policy.Do's to give each attempt.
func (b *backend) httpRequest(ctx context.Context, req *Request, userAgent string) (*http.Request, error) {
	u := b.baseURL // a copy
	esc := b.basePath + req.Path
	u.Path, u.RawPath = esc, ""
	if strings.IndexByte(esc, '%') >= 0 {
		p, err := url.PathUnescape(esc)
		if err != nil {
			return nil, fmt.Errorf("the path does not escape properly: %w", err)
		}
		u.Path, u.RawPath = p, esc
	}
	if len(req.Query) > 0 {
		u.RawQuery = encodeQuery(req.Query)
	}
	h := make(http.Header, len(req.Header)+3)
	for k, vs := range req.Header {
		h[k] = vs
	}
	own := make([]string, 0, 3) // the values the SDK sets, in one allocation
	if h.Get("Accept") == "" {
		own = append(own, "application/json")
		h["Accept"] = own[len(own)-1 : len(own) : len(own)]
	}
	own = append(own, userAgent)
	h["User-Agent"] = own[len(own)-1 : len(own) : len(own)]
	if req.body != nil && h.Get("Content-Type") == "" {
		own = append(own, "application/json")
		h["Content-Type"] = own[len(own)-1 : len(own) : len(own)]
	}
	hr := http.Request{Method: req.Method, URL: &u, Proto: "HTTP/1.1", ProtoMajor: 1, ProtoMinor: 1, Header: h, Host: u.Host}
	return hr.WithContext(ctx), nil
}

// encodeQuery is v.Encode() ("a=1&b=x%40y", sorted by key) built in one
// allocation: url.Values.Encode makes a string per escaped key and value.
func encodeQuery(v url.Values) string {
	var few [8]string
	keys := few[:0]
	n := 0
	for k, vs := range v {
		keys = append(keys, k)
		for _, val := range vs {
			n += 3*(len(k)+len(val)) + 2 // at worst every byte escaped, '=' and '&'
		}
	}
	slices.Sort(keys)
	var b strings.Builder
	b.Grow(n)
	for _, k := range keys {
		for _, val := range v[k] {
			if b.Len() > 0 {
				b.WriteByte('&')
			}
			writeQueryEscaped(&b, k)
			b.WriteByte('=')
			writeQueryEscaped(&b, val)
		}
	}
	return b.String()
}

// writeQueryEscaped writes s escaped as url.QueryEscape escapes it: the
// unreserved bytes as they are, a space as '+', every other byte as %XX.
func writeQueryEscaped(b *strings.Builder, s string) {
	const hex = "0123456789ABCDEF"
	for i := 0; i < len(s); i++ {
		switch c := s[i]; {
		case 'a' <= c && c <= 'z', 'A' <= c && c <= 'Z', '0' <= c && c <= '9', c == '-', c == '_', c == '.', c == '~':
			b.WriteByte(c)
		case c == ' ':
			b.WriteByte('+')
		default:
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		}
	}
}

// answerError is err, the failure to decode a 2xx answer to req (into Do's
// v, or by a service method into its result, its body cut short
// included). A call that changes state was done all the same: its error
// matches ErrMaybeApplied and says so, so that nobody sends it again as if
// it had failed. A read's stays a plain error.
func (r *Request) answerError(status int, err error) error {
	if !r.changesState() {
		return err
	}
	return applied(status, err)
}

// applied marks err, a write's unreadable 2xx answer, as ErrMaybeApplied.
func applied(status int, err error) error {
	return &tagged{sentinel: ErrMaybeApplied, cause: err,
		note: fmt.Sprintf(" (answered %d: the call was applied, but its answer could not be read)", status)}
}

// decodeJSON decodes the one JSON value of an already buffered body into
// v; an empty body leaves v alone, and anything but white space after the
// value is an error rather than data silently dropped.
func decodeJSON(body io.Reader, v any) error {
	dec := json.NewDecoder(body)
	if err := dec.Decode(v); err != nil {
		if errors.Is(err, io.EOF) {
			return nil
		}
		return err
	}
	if _, err := dec.Token(); !errors.Is(err, io.EOF) {
		var se *json.SyntaxError
		if err != nil && !errors.As(err, &se) {
			return err // the body broke off after the value
		}
		return errors.New("unexpected data after the JSON value")
	}
	return nil
}

// credentialHeaders are the headers each platform's authentication sets.
var credentialHeaders = map[Platform][]string{
	Qualifio:    {contract.HeaderAuthorization},
	Yotpo:       {contract.YotpoHeaderGUID, contract.YotpoHeaderAPIKey},
	InfluenceIO: {contract.InfluenceIOHeaderAPIKey},
	Monterosa:   {contract.HeaderAuthorization},
}

// credentialQuery are the query parameters a platform's authentication
// may set (Yotpo's query mode). They are refused whatever the Client's
// mode: in query mode authentication would overwrite them, and in header
// mode the call would carry two sets of credentials.
var credentialQuery = map[Platform][]string{
	Yotpo: {contract.YotpoQueryGUID, contract.YotpoQueryAPIKey},
}

// checkCredentialHeaders refuses a Request that sets a header or query
// parameter the platform's authentication sets. Authentication would
// overwrite it, and the call would silently act for the Client's
// credentials, not the caller's. Names are compared case-insensitively.
func checkCredentialHeaders(req *Request) error {
	hint := "build a Client with those credentials"
	if req.Platform == Monterosa {
		hint = "to act for another user, use Client.Rewards.ForUser, ForUserTokenSource or ForUserID"
	}
	for k := range req.Header {
		for _, h := range credentialHeaders[req.Platform] {
			if strings.EqualFold(k, h) {
				return inputErr("Do", "Header", "sets %s, which the Client's %s authentication sets; %s", h, req.Platform, hint)
			}
		}
	}
	for k := range req.Query {
		for _, q := range credentialQuery[req.Platform] {
			if strings.EqualFold(k, q) {
				return inputErr("Do", "Query", "sets %s, a credential parameter of the %s authentication; %s", q, req.Platform, hint)
			}
		}
	}
	return nil
}

func (b *backend) extra(req *Request) []int {
	if b.retryExtra == nil {
		return nil
	}
	return b.retryExtra(req.Method, req.Path)
}

// newError reads an error response (already buffered, at most
// maxErrorBody) into an *Error.
func (b *backend) newError(req *Request, resp *http.Response, attempts int) *Error {
	body, _ := io.ReadAll(resp.Body)
	e := &Error{
		Platform: req.Platform, Method: req.Method, Path: req.Path,
		StatusCode: resp.StatusCode, Attempts: attempts, Body: body, Response: resp,
		notRepeatable: !req.Idempotent,
	}
	e.Code, e.Message = errorMessage(req.Platform, body)
	e.RequestID = contract.RequestID(resp.Header.Get)
	e.RetryAfter, _ = b.policy.Requested(resp)
	var ctx context.Context = context.Background()
	if resp.Request != nil {
		ctx = resp.Request.Context()
	}
	b.redactor(ctx).redactError(e)
	return e
}

// redactor hides the Client's credentials for b and those the call of ctx
// sent (the OAuth access token, a user's token, a mapped event's secret).
func (b *backend) redactor(ctx context.Context) redactor {
	return newRedactor(append(transport.Credentials(ctx), b.secrets...)...)
}

// callError shapes an error that came without a response. The URL that
// net/http puts in its *url.Error is dropped (it would carry Yotpo's key in
// query mode); the cause stays inspectable with errors.Is and errors.As.
// A failure at Qualifio's token endpoint becomes an *Error.
func (b *backend) callError(ctx context.Context, req *Request, route string, err error, attempts int, maybeApplied bool) error {
	return b.redactor(ctx).redact(b.shapeCallError(ctx, req, route, err, attempts, maybeApplied))
}

func (b *backend) shapeCallError(ctx context.Context, req *Request, route string, err error, attempts int, maybeApplied bool) error {
	var re *oauth2.RetrieveError
	if errors.As(err, &re) {
		e := &Error{Platform: req.Platform, Method: req.Method, Path: req.Path, Attempts: attempts, Body: re.Body, tokenEndpoint: true}
		if re.Response != nil {
			// The token request carried the client secret in its header
			// or form body: keep the response, drop its request.
			resp := *re.Response
			resp.Request = nil
			e.Response, e.StatusCode = &resp, resp.StatusCode
		}
		// Only the code goes into the message: an endpoint (or a proxy in
		// front of it) may echo the form, client secret included, in its
		// error_description. The description stays in Body.
		e.Code, e.Message = re.ErrorCode, "OAuth token endpoint refused the client credentials"
		e.MaybeApplied = maybeApplied
		return e
	}
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	var perm *transport.Permanent
	if errors.As(err, &perm) {
		err = perm.Err
	}
	var lf *transport.LimiterFailed
	if errors.As(err, &lf) {
		err = &tagged{sentinel: ErrLimiterUnavailable, cause: lf.Err, note: " (the rate limiter could not admit the call: not sent)"}
	}
	var big *transport.TooLarge
	if errors.As(err, &big) {
		err = &tagged{sentinel: ErrResponseTooLarge, cause: err, note: " (WithMaxResponseBytes)"}
	}
	var timedOut *transport.TimedOut
	if errors.As(err, &timedOut) {
		// A deadline passed, but not the caller's: say which, and where it
		// is set.
		if timedOut.ByCall {
			err = fmt.Errorf("%w (the call's AttemptTimeout)", err)
		} else {
			err = fmt.Errorf("%w (the http.Client timeout of %s fired; set it with WithHTTPClient)", err, timedOut.After)
		}
	}
	if maybeApplied {
		err = &tagged{sentinel: ErrMaybeApplied, cause: err, note: " (the write may have been applied: the request may have reached the platform)"}
	}
	return fmt.Errorf("loyalty: %s %s %s: %w", req.Platform, req.Method, route, err)
}

// changesState reports whether req can change state on the platform: a
// write method, or a call that is not idempotent whatever its method (a
// GET that consumes notifications or sends an e-mail). Such a call is
// ErrMaybeApplied when it may have reached the platform without a clear
// answer, and done once the platform answered 2xx.
func (r *Request) changesState() bool {
	if r.lookup {
		return false
	}
	return !r.Idempotent || (r.Method != http.MethodGet && r.Method != http.MethodHead && r.Method != http.MethodOptions)
}
