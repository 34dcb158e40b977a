package loyalty

import (
	"context"
	"errors"
	"net/http"
	"strings"
	"sync/atomic"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/internal/transport"
)

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

// WithQualifio configures Qualifio Loyalty: the management API (member
// profiles, Client.Members) and the ingestor API (events, Client.Events).
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

// qualifioTokenEarly renews the shared token this long before it expires,
// so that no call leaves with a token about to die in flight.
const qualifioTokenEarly = 30 * time.Second

// qualifioTokenRefusedFor is how long a refusal of the client credentials
// is served to later calls without asking the token endpoint again: a
// wrong secret stays wrong, and a batch must not ask once per event.
const qualifioTokenRefusedFor = 5 * time.Second

func (cfg *QualifioConfig) backend(s *settings) *backend {
	// Token calls are not retried by the SDK's loop, and never follow a
	// redirect: x/oauth2 would replay the form, client secret included.
	tokenHTTP := isolated(s.httpClient)
	auth := &clientAuth{basic: cfg.credentials(oauth2.AuthStyleInHeader), form: cfg.credentials(oauth2.AuthStyleInParams)}
	cache := &transport.TokenCache{
		Early:         qualifioTokenEarly,
		MaxRetryAfter: s.retry.MaxRetryAfter,
		RefusedFor:    qualifioTokenRefusedFor,
		Fetch: func(ctx context.Context) (*oauth2.Token, error) {
			return auth.token(context.WithValue(ctx, oauth2.HTTPClient, tokenHTTP))
		},
	}
	b := newBackend(Qualifio, cfg.BaseURL, s, cache, nil, transport.Policy{ServerRetryable: anyServerError})
	// The token endpoint's answer (kept in Error.Body) may echo the form.
	b.secrets = []string{cfg.ClientSecret}
	return b
}

// qualifioTime is the wire form of a time: RFC 3339 in UTC (decided, after
// Qualifio's own birthdate example,
// https://developers.qualifio.com/docs/loyalty/secure-token/).
func qualifioTime(t time.Time) string { return t.UTC().Format(time.RFC3339Nano) }

// qualifioDay is the calendar date of t, as t's own location has it, at
// midnight UTC: the form a birthdate is sent in (decided). Converting t to
// UTC first could move the date: midnight in Brussels is the day before in
// UTC.
func qualifioDay(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
}

// checkQualifioTime refuses a time whose year, in UTC as sent, RFC 3339
// cannot write (0000 to 9999): Go would format it anyway, as no valid
// timestamp.
func checkQualifioTime(op, field string, t time.Time) error {
	if y := t.UTC().Year(); y < 0 || y > 9999 {
		return inputErr(op, field, "year %d (UTC) is outside 0000-9999, which RFC 3339 can write", y)
	}
	return nil
}

// checkIdentity refuses an identity given but made of white space only,
// which Qualifio would take as a distinct member or an empty one.
func checkIdentity(op, field, v string) error {
	if v != "" && strings.TrimSpace(v) == "" {
		return inputErr(op, field, "is only white space")
	}
	return nil
}

func (cfg *QualifioConfig) credentials(style oauth2.AuthStyle) *clientcredentials.Config {
	return &clientcredentials.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.TokenURL, Scopes: cfg.Scopes, AuthStyle: style,
	}
}

// clientAuth sends the client credentials as a Basic header first and, if
// the endpoint refuses that with 400 or 401, as form fields from then on.
// x/oauth2's own auto-detection falls back on any failure, so a 429 or 503
// would be answered with a second request at once, deaf to Retry-After.
// A 400 unauthorized_client is no reason to fall back either: the endpoint
// read the credentials and refused the secret (the documented example,
// https://developers.qualifio.com/api/auth-api), which form fields would
// not change.
type clientAuth struct {
	basic, form *clientcredentials.Config
	useForm     atomic.Bool
}

func (a *clientAuth) token(ctx context.Context) (*oauth2.Token, error) {
	if a.useForm.Load() {
		return a.form.Token(ctx)
	}
	tok, err := a.basic.Token(ctx)
	var re *oauth2.RetrieveError
	if err == nil || !errors.As(err, &re) || re.Response == nil ||
		(re.Response.StatusCode != http.StatusBadRequest && re.Response.StatusCode != http.StatusUnauthorized) ||
		(re.Response.StatusCode == contract.QualifioTokenStatusWrongSecret && re.ErrorCode == contract.QualifioTokenErrWrongSecret) {
		return tok, err
	}
	tok, err = a.form.Token(ctx)
	if err == nil {
		a.useForm.Store(true)
	}
	return tok, err
}
