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

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// An Option configures a Client. Options are applied in order by NewClient,
// which reports the first invalid one.
type Option func(*settings) error

// settings is what the options build; NewClient turns it into a Client.
type settings struct {
	httpClient *http.Client
	logger     *slog.Logger
	userAgent  string
	retry      RetryPolicy

	qualifio    *QualifioConfig
	yotpo       *YotpoConfig
	influenceio *InfluenceIOConfig
	monterosa   *MonterosaConfig
}

// RetryPolicy says how calls are retried. 429 responses and transport errors
// are retried on every call; 5xx responses only on idempotent calls; a
// non-idempotent POST only on 429 and on connection errors that happen before
// the request is written.
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
// retrying off.
func WithRetryPolicy(p RetryPolicy) Option {
	return func(s *settings) error {
		if p.MaxRetries < 0 || p.MinWait < 0 || p.MaxWait < p.MinWait || p.MaxRetryAfter < 0 {
			return errors.New("WithRetryPolicy: MaxRetries and waits must not be negative, and MaxWait must be at least MinWait")
		}
		s.retry = p
		return nil
	}
}

// WithHTTPClient sets the HTTP client whose Transport, Timeout, Jar and
// CheckRedirect every call uses. The client is not modified. The default is a
// pooled client with a 30s timeout per attempt.
func WithHTTPClient(hc *http.Client) Option {
	return func(s *settings) error {
		if hc == nil {
			return errors.New("WithHTTPClient: nil *http.Client")
		}
		s.httpClient = hc
		return nil
	}
}

// WithLogger logs every attempt (method, path, status, attempt, duration)
// through l at debug level, and failed attempts at warn level. Header values,
// query strings and bodies are never logged. The default logs nothing.
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
		s.userAgent = ua
		return nil
	}
}

// QualifioConfig configures WithQualifio. Qualifio's team issues the OAuth 2.0
// client credentials.
type QualifioConfig struct {
	ClientID     string
	ClientSecret string
	// BaseURL defaults to https://manager.loyalty.qualifioapp.com/api.
	BaseURL string
	// TokenURL defaults to Qualifio's Keycloak token endpoint.
	TokenURL string
	// Scopes are sent space-separated when set; none by default.
	Scopes []string
}

// WithQualifio configures Qualifio Loyalty: Members and Events.
func WithQualifio(cfg QualifioConfig) Option {
	return func(s *settings) error {
		const opt = "WithQualifio"
		if err := required(opt, "ClientID", cfg.ClientID); err != nil {
			return err
		}
		if err := required(opt, "ClientSecret", cfg.ClientSecret); err != nil {
			return err
		}
		var err error
		if cfg.BaseURL, err = checkBaseURL(opt, "BaseURL", cfg.BaseURL, contract.QualifioBaseURL); err != nil {
			return err
		}
		if cfg.TokenURL, err = checkBaseURL(opt, "TokenURL", cfg.TokenURL, contract.QualifioTokenURL); err != nil {
			return err
		}
		cfg.Scopes = append([]string(nil), cfg.Scopes...)
		s.qualifio = &cfg
		return nil
	}
}

// YotpoConfig configures WithYotpo. The GUID and API key are in the Loyalty
// admin under Settings, General Settings.
type YotpoConfig struct {
	GUID   string
	APIKey string
	// BaseURL defaults to https://loyalty.yotpo.com/api/v2; the legacy
	// https://app.swellrewards.com/api/v2 works too.
	BaseURL string
	// QueryAuth sends the credentials as ?guid=&api_key= instead of the
	// X-GUID and X-API-KEY headers. The key is then part of every request
	// URL; the SDK still keeps it out of its logs and errors.
	QueryAuth bool
	// RateLimit caps the requests per second this Client sends to Yotpo.
	// Zero means Yotpo's documented 10 per second; rate.Inf turns it off.
	RateLimit rate.Limit
	// Burst is how many requests may go at once; zero means 1.
	Burst int
}

// WithYotpo configures Yotpo Loyalty & Referrals as the commerce platform:
// Customers and Orders.
func WithYotpo(cfg YotpoConfig) Option {
	return func(s *settings) error {
		const opt = "WithYotpo"
		if err := required(opt, "GUID", cfg.GUID); err != nil {
			return err
		}
		if err := required(opt, "APIKey", cfg.APIKey); err != nil {
			return err
		}
		var err error
		if cfg.BaseURL, err = checkBaseURL(opt, "BaseURL", cfg.BaseURL, contract.YotpoBaseURL); err != nil {
			return err
		}
		if cfg.RateLimit < 0 || cfg.Burst < 0 {
			return fmt.Errorf("%s: RateLimit and Burst must not be negative", opt)
		}
		if cfg.RateLimit == 0 {
			cfg.RateLimit = contract.YotpoRateLimitPerSecond
		}
		if cfg.Burst == 0 {
			cfg.Burst = 1
		}
		s.yotpo = &cfg
		return nil
	}
}

// InfluenceIOConfig configures WithInfluenceIO. The key is in the dashboard
// under Settings, API Settings, Platform API Settings.
type InfluenceIOConfig struct {
	APIKey string
	// BaseURL defaults to https://platform.api.influence.io.
	BaseURL string
}

// WithInfluenceIO configures Influence.io as the commerce platform:
// Customers, Orders and Products.
func WithInfluenceIO(cfg InfluenceIOConfig) Option {
	return func(s *settings) error {
		const opt = "WithInfluenceIO"
		if err := required(opt, "APIKey", cfg.APIKey); err != nil {
			return err
		}
		var err error
		if cfg.BaseURL, err = checkBaseURL(opt, "BaseURL", cfg.BaseURL, contract.InfluenceIOBaseURL); err != nil {
			return err
		}
		s.influenceio = &cfg
		return nil
	}
}

// MonterosaConfig configures WithMonterosa.
type MonterosaConfig struct {
	// BaseURL is the space domain, e.g. https://fans.example-club.com.
	// It has no default.
	BaseURL string
	// TokenSource supplies the Monterosa access token (a JWT issued by
	// Monterosa) sent as a Bearer token. The SDK never mints or refreshes
	// tokens; a 401 is returned to the caller.
	TokenSource oauth2.TokenSource
}

// WithMonterosa configures the Monterosa Loyalty API: Rewards.
func WithMonterosa(cfg MonterosaConfig) Option {
	return func(s *settings) error {
		const opt = "WithMonterosa"
		if cfg.BaseURL == "" {
			return fmt.Errorf("%s: BaseURL (the space domain) is required", opt)
		}
		var err error
		if cfg.BaseURL, err = checkBaseURL(opt, "BaseURL", cfg.BaseURL, ""); err != nil {
			return err
		}
		if cfg.TokenSource == nil {
			return fmt.Errorf("%s: TokenSource is required", opt)
		}
		s.monterosa = &cfg
		return nil
	}
}

func required(opt, field, v string) error {
	if strings.TrimSpace(v) == "" {
		return fmt.Errorf("%s: %s is required", opt, field)
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
	if err != nil || u.Host == "" || (u.Scheme != "https" && u.Scheme != "http") {
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
