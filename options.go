package loyalty

import (
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"strings"
	"time"
	"unicode"
)

// An Option configures a Client. Options are applied in order by NewClient,
// which reports the first invalid one.
type Option func(*settings) error

// settings is what the options build; NewClient turns it into a Client.
type settings struct {
	httpClient  *http.Client
	logger      *slog.Logger
	userAgent   string
	appInfo     string // WithAppInfo's suffix, appended to the User-Agent
	retry       RetryPolicy
	maxResponse int64
	observer    *Observer // WithObserver's

	qualifio    *QualifioConfig
	yotpo       *YotpoConfig
	influenceio *InfluenceIOConfig
	monterosa   *MonterosaConfig
}

// RetryPolicy says how calls are retried. 429 responses and transport errors
// are retried on every call; 5xx responses only on idempotent calls; a
// non-idempotent POST only on 429 and on connection errors that happen before
// the request is written. A response body is read within its attempt, so a
// body that breaks or stalls past the http.Client timeout fails the attempt
// and an idempotent call is retried: without a context deadline, a call can
// take up to (MaxRetries+1) times that timeout, plus the waits.
type RetryPolicy struct {
	// MaxRetries is the number of retries after the first attempt.
	// Zero means no retry.
	MaxRetries int
	// MinWait and MaxWait bound the exponential backoff between attempts;
	// each wait is jittered between half and all of its step.
	MinWait, MaxWait time.Duration
	// MaxRetryAfter caps how long a Retry-After (or Yotpo ratelimit-reset)
	// header can make a call wait before its next attempt.
	MaxRetryAfter time.Duration
}

// DefaultRetryPolicy is used when WithRetryPolicy is not given: 3 retries,
// 500ms to 10s backoff, Retry-After honoured up to 60s.
var DefaultRetryPolicy = RetryPolicy{MaxRetries: 3, MinWait: 500 * time.Millisecond, MaxWait: 10 * time.Second, MaxRetryAfter: time.Minute}

// NoRetry turns retrying off.
var NoRetry = RetryPolicy{}

// WithRetryPolicy replaces DefaultRetryPolicy; WithRetryPolicy(NoRetry) turns
// retrying off. A zero MinWait, MaxWait or MaxRetryAfter takes
// DefaultRetryPolicy's value, so that setting only MaxRetries never makes a
// client retry a 429 at once, deaf to Retry-After.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		if p.MaxRetries < 0 || p.MinWait < 0 || p.MaxWait < 0 || p.MaxRetryAfter < 0 {
			return errors.New("WithRetryPolicy: MaxRetries and waits must not be negative")
		}
		if p.MinWait == 0 {
			p.MinWait = DefaultRetryPolicy.MinWait
		}
		if p.MaxWait == 0 {
			p.MaxWait = max(DefaultRetryPolicy.MaxWait, p.MinWait)
		}
		if p.MaxRetryAfter == 0 {
			p.MaxRetryAfter = DefaultRetryPolicy.MaxRetryAfter
		}
		if p.MaxWait < p.MinWait {
			return errors.New("WithRetryPolicy: MaxWait must be at least MinWait")
		}
		s.retry = p
		return nil
	}
}

// WithHTTPClient sets the HTTP client whose Transport and Timeout every
// call uses, token requests included. Its CheckRedirect is not used: no call
// follows a redirect, since that would carry credentials to the host the
// redirect names; a 3xx comes back as an *Error. Its Jar is not used
// either: none of the platforms' APIs uses cookies, and a jar would carry a
// cookie set on one user's call to the next user's. The client is not
// modified. Its Timeout bounds each attempt of an API call, reading the
// answer included and the rate limiter's wait excluded, as AttemptTimeout
// does (the shorter of the two applies). The default is a client with a
// DefaultTimeout per attempt over a connection pool that all such Clients
// share (see Client.CloseIdleConnections).
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		s.httpClient = hc
		return nil
	}
}

// WithLogger logs every attempt (method, route template, status, request
// id, attempt, duration) through l at debug level, and failed attempts at
// warn level. Raw paths (which can hold a coupon code or an e-mail), header
// values, query strings and bodies are never logged. It also gets the decode
// issues (see Response.DecodeIssues) at warn level, once per Client each;
// without WithLogger those go to slog.Default() and nothing else is logged.
func WithLogger(l *slog.Logger) Option {
	return func(s *settings) error {
		if l == nil {
			return errors.New("WithLogger: nil *slog.Logger")
		}
		s.logger = l
		return nil
	}
}

// WithUserAgent sets the User-Agent header sent on every call.
func WithUserAgent(ua string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(ua) == "" {
			return errors.New("WithUserAgent: empty user agent")
		}
		if strings.ContainsFunc(ua, unicode.IsControl) {
			return errors.New("WithUserAgent: the user agent holds a control character (a line break would break every request)")
		}
		s.userAgent = ua
		return nil
	}
}

// WithAppInfo names the application built on the SDK in the User-Agent,
// after the SDK's own part, so that a platform's support can tell which
// integration sent a call (as stripe-go's AppInfo does): with
// WithAppInfo("acme-sync", "1.4.2", "https://acme.example/sync") the header
// reads "loyalty-go/0.1.0 (go1.23.4; linux/amd64) acme-sync/1.4.2
// (+https://acme.example/sync)". version and url are optional. With
// WithUserAgent the suffix is appended to that User-Agent instead.
func WithAppInfo(name, version, url string) Option {
	return func(s *settings) error {
		if strings.TrimSpace(name) == "" {
			return errors.New("WithAppInfo: name is required")
		}
		for _, f := range []struct{ field, v string }{{"name", name}, {"version", version}, {"url", url}} {
			if strings.ContainsFunc(f.v, unicode.IsControl) {
				return fmt.Errorf("WithAppInfo: %s holds a control character (a line break would break every request)", f.field)
			}
		}
		if strings.ContainsAny(name, " /()") || strings.ContainsAny(version, " /()") {
			return errors.New("WithAppInfo: name and version must be User-Agent tokens: no spaces, slashes or parentheses")
		}
		info := name
		if version != "" {
			info += "/" + version
		}
		if url != "" {
			info += " (+" + url + ")"
		}
		s.appInfo = info
		return nil
	}
}

// required checks a credential. Its value is never echoed: it is a secret.
func required(opt, field, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s: %s is required", opt, field)
	}
	if strings.TrimSpace(v) != v || strings.ContainsFunc(v, unicode.IsControl) {
		return fmt.Errorf("%s: %s has surrounding spaces or control characters (a pasted newline?)", opt, field)
	}
	return nil
}

// checkBaseURL returns v (or def when v is empty) without a trailing slash,
// after checking that it is an absolute http(s) URL with no query or
// fragment, and HTTPS unless the host is loopback (for tests and the fake).
// The value is not echoed in the error: a user may have pasted a secret in it.
func checkBaseURL(opt, field, v, def string) (string, error) {
	if v == "" {
		v = def
	}
	u, err := url.Parse(v)
	if err != nil || u.Hostname() == "" || (u.Scheme != "https" && u.Scheme != "http") {
		return "", fmt.Errorf("%s: %s must be an absolute http(s) URL", opt, field)
	}
	if u.RawQuery != "" || u.Fragment != "" || u.User != nil {
		return "", fmt.Errorf("%s: %s must not carry a query, fragment or user info", opt, field)
	}
	if u.Scheme == "http" && !isLoopback(u.Hostname()) {
		return "", fmt.Errorf("%s: %s must use https (plain http is allowed for loopback hosts only)", opt, field)
	}
	return strings.TrimRight(u.String(), "/"), nil
}

func isLoopback(host string) bool {
	if host == "localhost" {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// WithMaxResponseBytes caps the body of a successful response at n bytes,
// counted after decompression (default DefaultMaxResponseBytes, 32 MiB). A
// larger body fails the call with ErrResponseTooLarge instead of filling
// memory. Error bodies are always cut at 1 MiB.
func WithMaxResponseBytes(n int64) Option {
	return func(s *settings) error {
		if n <= 0 {
			return errors.New("WithMaxResponseBytes: the cap must be a positive number of bytes")
		}
		s.maxResponse = n
		return nil
	}
}
