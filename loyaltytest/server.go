// Package loyaltytest is a stateful fake of the four platforms loyalty-go
// talks to (Qualifio Loyalty, Yotpo Loyalty & Referrals, Influence.io and
// Monterosa), for tests that need no platform account.
//
// One Server serves every platform on its real paths, with each platform's
// authentication, state, validation, error shapes and webhooks, built from
// the wire contract rather than from the client's code, so that a mistake on
// either side fails a test. It also records requests, injects faults,
// emulates Yotpo's rate limit and delivers webhooks asynchronously with
// retries.
//
//	srv := loyaltytest.New(t)          // closed when the test ends
//	client := srv.Client()             // a *loyalty.Client pointed at srv
//
// A new Server holds no program: an order earns nothing until a campaign
// says it should. WithDemoData loads a realistic one on every platform
// (DemoSeed), WithSeed and WithSeedFile load your own (a Seed, or its JSON
// form), Server.Seed adds one later and Reset goes back to the start. The
// fakes' state is readable from Go (srv.Yotpo().Customers(), ...) and,
// with seeding, faults, the rate limit, webhooks and the request log, over
// the admin API under AdminPath, for tests in any language.
//
// Faults fail requests before the platform sees them, or with
// Fault.AfterApply after it applied them, losing the answer, so that a
// test can see its code handle ErrMaybeApplied. Every answer carries a
// request id. WithDashboard serves a page at DashboardPath to watch and
// break the fake from a browser.
//
// The program cmd/loyaltyfake serves the same fake on a chosen address,
// with the demo data and the dashboard unless told otherwise.
package loyaltytest

import (
	"bytes"
	"io"
	"net"
	"net/http"
	"net/http/httptest"
	"net/textproto"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/internal/statuswriter"
	"github.com/loyalty-go/loyalty/internal/uuid"
	"github.com/loyalty-go/loyalty/loyaltytest/influenceiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
	"github.com/loyalty-go/loyalty/loyaltytest/monterosafake"
	"github.com/loyalty-go/loyalty/loyaltytest/qualifiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/yotpofake"
)

// Platform names, as in RecordedRequest.Platform and WebhookDelivery.Platform:
// the loyalty package's own values, so that they compare with loyalty.Yotpo
// and with webhook.Event.Platform.
const (
	Qualifio    = loyalty.Qualifio
	Yotpo       = loyalty.Yotpo
	InfluenceIO = loyalty.InfluenceIO
	Monterosa   = loyalty.Monterosa
)

// A Server is the fake, listening on a loopback address (or the listener of
// WithListener). It is safe for concurrent use.
type Server struct {
	// URL is the base URL, http://ipaddr:port with no trailing slash. Each
	// platform's base URL is in its *Config method. When the listener of
	// WithListener is on an unspecified address (0.0.0.0 or ::, as from
	// ":8080"), URL names 127.0.0.1 with the listener's port, so that it can
	// be dialed.
	URL string

	ts     *httptest.Server
	cfg    config
	rec    *recorder
	faults *faults
	limit  atomic.Pointer[rateLimiter] // nil when rate limiting is off
	hooks  *deliverer
	admin  http.Handler // the admin API, behind sameOriginOnly
	// dashboard is the page under DashboardPath, behind sameOriginOnly;
	// nil unless WithDashboard.
	dashboard http.Handler

	closing   chan struct{}
	closeOnce sync.Once

	// state guards the platform fakes, which Reset replaces.
	state     sync.RWMutex
	qualifio  *qualifiofake.Fake
	yotpo     *yotpofake.Fake
	influence *influenceiofake.Fake
	monterosa *monterosafake.Fake
}

// NewServer starts a fake. Close it when done. It panics where Start
// returns an error (a seed file that cannot be read or a seed that is not
// valid), as httptest does on setup errors.
func NewServer(opts ...Option) *Server {
	s, err := Start(opts...)
	if err != nil {
		panic(err.Error())
	}
	return s
}

// Start starts a fake, as NewServer does, but returns an error instead of
// panicking: a *SeedError naming the file and field at fault when a seed of
// WithSeed, WithSeedFile or WithDemoData is refused. Nothing is listening
// then, and the listener of WithListener is closed.
func Start(opts ...Option) (*Server, error) {
	cfg := defaultConfig()
	for _, o := range opts {
		if o != nil {
			o(&cfg)
		}
	}
	seeds, err := cfg.loadSeeds()
	if err != nil {
		if cfg.listener != nil {
			_ = cfg.listener.Close()
		}
		return nil, err
	}
	cfg.seeds, cfg.seedSources = seeds, nil
	s := &Server{
		cfg:     cfg,
		rec:     &recorder{limit: cfg.recordLimit, budget: cfg.recordBytes},
		faults:  newFaults(cfg.random),
		hooks:   newDeliverer(cfg.clock, cfg.webhookAttempts, cfg.webhookBackoff),
		closing: make(chan struct{}),
	}
	if cfg.rateLimit {
		s.limit.Store(newRateLimiter(cfg.clock))
	}
	s.newPlatforms()
	s.ts = httptest.NewUnstartedServer(http.HandlerFunc(s.serve))
	// A slow or stalled client must not hold a connection forever (the
	// fake also runs as a long-lived program, cmd/loyaltyfake).
	s.ts.Config.ReadHeaderTimeout = serverReadHeaderTimeout
	s.ts.Config.ReadTimeout = serverReadTimeout
	s.ts.Config.WriteTimeout = serverWriteTimeout
	s.ts.Config.IdleTimeout = serverIdleTimeout
	if cfg.listener != nil {
		_ = s.ts.Listener.Close()
		s.ts.Listener = cfg.listener
	}
	s.admin = sameOriginOnly(s.ts.Listener.Addr(), http.HandlerFunc(s.serveAdmin))
	if cfg.dashboard {
		s.dashboard = sameOriginOnly(s.ts.Listener.Addr(), s.newDashboard())
	}
	s.ts.Start()
	s.URL = dialableURL(s.ts.Listener.Addr(), s.ts.URL)
	return s, nil
}

// newPlatforms puts fresh platform fakes in place, loaded with the seeds
// of the options. Callers hold s.state for writing, or own s alone.
func (s *Server) newPlatforms() {
	cfg := s.cfg
	env := fakekit.Env{Now: cfg.clock, NewID: uuid.New, Emit: s.hooks.emit, MaxBody: cfg.maxBody, SecretName: s.rec.addSecretName}
	s.qualifio = qualifiofake.New(env, qualifiofake.Config{
		ClientID: cfg.qualifioID, ClientSecret: cfg.qualifioSecret, TokenTTL: cfg.qualifioTTL,
	})
	s.yotpo = yotpofake.New(env, yotpofake.Config{GUID: cfg.yotpoGUID, APIKey: cfg.yotpoKey, AsyncRefunds: cfg.yotpoAsyncRefunds})
	s.influence = influenceiofake.New(env, influenceiofake.Config{
		APIKey: cfg.influenceKey, EarnRate: cfg.influenceEarnRate,
	})
	s.monterosa = monterosafake.New(env, monterosafake.Options{
		Token: cfg.monterosaToken, ServiceToken: cfg.monterosaService, RSAPublicKey: cfg.monterosaKey,
	})
	for _, seed := range cfg.seeds {
		s.applySeed(seed)
	}
}

// Reset brings the server back to its state at start: fresh platforms
// holding only the seeds of the options (webhook targets set since are
// gone too), no scripted fault, no recorded request and no webhook
// delivery listed (those in flight still finish). It waits for the
// platform requests being served to finish first. The rate limit setting
// and the credentials stay. The platform fakes are replaced, so fakes
// returned by Yotpo, Qualifio, InfluenceIO or Monterosa before Reset no
// longer serve; ask again.
func (s *Server) Reset() {
	s.state.Lock()
	s.newPlatforms()
	s.state.Unlock()
	s.ClearFaults()
	s.ResetRequests()
	s.hooks.forget()
}

// The fake's HTTP server timeouts: reading a request's headers, reading the
// whole request, writing the answer, and keeping an idle connection.
const (
	serverReadHeaderTimeout = 5 * time.Second
	serverReadTimeout       = 30 * time.Second
	serverWriteTimeout      = 30 * time.Second
	serverIdleTimeout       = 2 * time.Minute
)

// dialableURL is the base URL of a server listening on addr: fallback
// (httptest's URL) unless addr is an unspecified IP, which is not a place to
// dial; then the IPv4 loopback with addr's port (Go listens dual-stack on
// an unspecified address, so the loopback reaches it either way).
func dialableURL(addr net.Addr, fallback string) string {
	tcp, ok := addr.(*net.TCPAddr)
	if !ok || !tcp.IP.IsUnspecified() {
		return fallback
	}
	return "http://" + net.JoinHostPort("127.0.0.1", strconv.Itoa(tcp.Port))
}

// New starts a fake that is closed when tb's test ends.
func New(tb testing.TB, opts ...Option) *Server {
	tb.Helper()
	s, err := Start(opts...)
	if err != nil {
		tb.Fatal(err)
	}
	tb.Cleanup(s.Close)
	return s
}

// Close stops the server and the webhook workers; queued webhooks are
// dropped. Use WaitForWebhooks first to see them delivered.
func (s *Server) Close() {
	s.closeOnce.Do(func() {
		close(s.closing)
		s.ts.Close()
		s.hooks.stop()
	})
}

// HTTPClient returns an *http.Client for plain HTTP calls to the server;
// its idle connections are closed with the server.
func (s *Server) HTTPClient() *http.Client { return s.ts.Client() }

// Path prefixes of each platform, derived from the contract.
var (
	yotpoPrefix     = contract.YotpoBasePath + "/"
	influencePrefix = "/" + strings.Split(strings.TrimPrefix(contract.InfluenceIOPathCustomers, "/"), "/")[0] + "/"
)

// platformOf names the platform that serves path.
func platformOf(path string) loyalty.Platform {
	switch {
	case strings.HasPrefix(path, monterosafake.Prefix):
		return Monterosa
	case strings.HasPrefix(path, yotpoPrefix):
		return Yotpo
	case strings.HasPrefix(path, influencePrefix):
		return InfluenceIO
	case path == contract.QualifioTokenPath:
		return Qualifio
	}
	for _, p := range qualifiofake.Prefixes {
		if strings.HasPrefix(path, p) {
			return Qualifio
		}
	}
	return ""
}

// serve records the request, applies faults and the rate limit, then hands
// it to its platform. Every answer to a platform path carries the
// platform's request-id header, a new id per request.
func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	if isAdminPath(r.URL.Path) {
		s.admin.ServeHTTP(w, r)
		return
	}
	if s.dashboard != nil && isDashboardPath(r.URL.Path) {
		s.dashboard.ServeHTTP(w, r)
		return
	}
	started := time.Now()
	platform := platformOf(r.URL.Path)
	ex := new(exchange)
	requestID := uuid.NewIn(&ex.random)
	ex.requestID[0] = requestID
	// What Header().Set does, with the value's slice from ex.
	w.Header()[textproto.CanonicalMIMEHeaderKey(requestIDHeader(platform))] = ex.requestID[:]
	ex.sw.ResponseWriter = w
	sw := &ex.sw
	w = sw
	// Read the body once, up to one byte past the cap, so that it can be
	// recorded and the platform still sees an oversized body as such.
	var body []byte
	if r.Body != nil && r.Body != http.NoBody {
		var err error
		body, err = io.ReadAll(io.LimitReader(r.Body, s.cfg.maxBody+1))
		if err != nil {
			writePlatformError(w, platform, http.StatusBadRequest, "unreadable request body")
			return
		}
		r.Body = io.NopCloser(bytes.NewReader(body))
	}
	f, faulted := s.faults.next(r)
	recID := 0
	if s.rec.limit > 0 {
		recBody := body
		if int64(len(recBody)) > s.cfg.maxBody {
			recBody = recBody[:s.cfg.maxBody]
		}
		header, headerBytes := packHeader(r.Header)
		recID = s.rec.add(recorded{
			time: s.cfg.clock(), platform: platform, method: r.Method, path: r.URL.Path,
			rawQuery: r.URL.RawQuery, header: header, headerBytes: headerBytes, body: recBody, requestID: requestID,
			fault: faultNote(f, faulted),
		})
		// Deferred, so that a cut connection (a panic) is recorded too.
		defer func() { s.rec.finish(recID, sw.Status, time.Since(started)) }()
	}
	if faulted && !f.AfterApply && s.applyFault(w, r, platform, f) {
		return
	}
	if l := s.limit.Load(); platform == Yotpo && l != nil && !l.admit(w.Header()) {
		if faulted && f.AfterApply {
			s.rec.noteFault(recID, faultRateLimited)
		}
		writePlatformError(w, platform, http.StatusTooManyRequests, "Too Many Requests")
		return
	}
	if faulted && f.AfterApply {
		s.applyThenLose(w, r, platform, f)
		return
	}
	s.servePlatform(w, r, platform)
}

// exchange is what serve keeps of one request on the heap, in one
// allocation rather than three: the status writer the request log reads,
// the request id's random bytes and its header value.
type exchange struct {
	sw        statuswriter.Writer
	random    [16]byte
	requestID [1]string
}

// servePlatform hands r to the fake of platform.
func (s *Server) servePlatform(w http.ResponseWriter, r *http.Request, platform loyalty.Platform) {
	var h http.Handler
	// Held while the platform serves, so that Reset waits for requests in
	// flight: none of them can land on a fake that Reset discarded.
	s.state.RLock()
	defer s.state.RUnlock()
	switch platform {
	case Qualifio:
		h = s.qualifio
	case Yotpo:
		h = s.yotpo
	case InfluenceIO:
		h = s.influence
	case Monterosa:
		h = s.monterosa
	}
	if h == nil {
		writePlatformError(w, platform, http.StatusNotFound, "no such route: "+r.Method+" "+r.URL.Path)
		return
	}
	h.ServeHTTP(w, r)
}

// requestIDHeader is the header that carries the request id on platform's
// answers (contract.FakeRequestIDHeaders; the first of
// contract.RequestIDHeaders for a path of no platform).
func requestIDHeader(platform loyalty.Platform) string {
	if h := contract.FakeRequestIDHeaders[string(platform)]; h != "" {
		return h
	}
	return contract.RequestIDHeaders[0]
}

// routeTemplate is path with each id segment written {id}
// (contract.RouteTemplate), the base path of Yotpo and Qualifio kept as
// is: "/api/v2/points/adjust", "/v1/customers/{id}/points".
func routeTemplate(p string) string {
	if p == contract.QualifioTokenPath {
		return p
	}
	for _, base := range []string{contract.YotpoBasePath, contract.QualifioBasePath} {
		if rest, ok := strings.CutPrefix(p, base); ok && strings.HasPrefix(rest, "/") {
			if t := contract.RouteTemplate(rest); !strings.HasPrefix(t, "/{id}") {
				return base + t
			}
		}
	}
	return contract.RouteTemplate(p)
}

// writePlatformError answers in the error shape of platform (decided for
// every platform).
func writePlatformError(w http.ResponseWriter, platform loyalty.Platform, status int, msg string) {
	switch platform {
	case Qualifio:
		qualifiofake.WriteError(w, status, msg)
	case Yotpo:
		yotpofake.WriteError(w, status, msg)
	default: // Influence.io, Monterosa and unknown routes share {"message": …}
		monterosafake.WriteError(w, status, msg)
	}
}
