package loyaltytest

import (
	"fmt"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
)

// Credentials used when no option pins them; the fake accepts any non-empty
// value, these are just working ones.
const (
	DefaultQualifioClientID     = "loyaltytest-client"
	DefaultQualifioClientSecret = "loyaltytest-secret"
	DefaultYotpoGUID            = "loyaltytest-guid"
	DefaultYotpoAPIKey          = "loyaltytest-api-key"
	DefaultInfluenceIOAPIKey    = "loyaltytest-api-key"
	// DefaultMonterosaToken is not a JWT, so it names the user itself.
	DefaultMonterosaToken = "loyaltytest-user"
)

func orDefault(v, def string) string {
	if v != "" {
		return v
	}
	return def
}

// QualifioConfig returns a configuration that works against the server.
func (s *Server) QualifioConfig() loyalty.QualifioConfig {
	return loyalty.QualifioConfig{
		ClientID:     orDefault(s.cfg.qualifioID, DefaultQualifioClientID),
		ClientSecret: orDefault(s.cfg.qualifioSecret, DefaultQualifioClientSecret),
		BaseURL:      s.URL + contract.QualifioBasePath,
		TokenURL:     s.URL + contract.QualifioTokenPath,
	}
}

// YotpoConfig returns a configuration that works against the server. With
// rate limiting off it also turns the client's own limiter off, so tests
// are not throttled to 10 requests per second.
func (s *Server) YotpoConfig() loyalty.YotpoConfig {
	c := loyalty.YotpoConfig{
		GUID:    orDefault(s.cfg.yotpoGUID, DefaultYotpoGUID),
		APIKey:  orDefault(s.cfg.yotpoKey, DefaultYotpoAPIKey),
		BaseURL: s.URL + contract.YotpoBasePath,
	}
	if s.limit.Load() == nil {
		c.RateLimit = rate.Inf
	}
	return c
}

// InfluenceIOConfig returns a configuration that works against the server.
func (s *Server) InfluenceIOConfig() loyalty.InfluenceIOConfig {
	return loyalty.InfluenceIOConfig{
		APIKey:  orDefault(s.cfg.influenceKey, DefaultInfluenceIOAPIKey),
		BaseURL: s.URL,
	}
}

// MonterosaConfig returns a configuration that works against the server,
// acting as the user named by its token.
func (s *Server) MonterosaConfig() loyalty.MonterosaConfig {
	return loyalty.MonterosaConfig{
		BaseURL:     s.URL,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: orDefault(s.cfg.monterosaToken, DefaultMonterosaToken)}),
	}
}

// TestRetryPolicy is the retry policy of Client: the default number of
// retries with millisecond waits, so that fault-injection tests stay fast.
var TestRetryPolicy = loyalty.RetryPolicy{
	MaxRetries: loyalty.DefaultRetryPolicy.MaxRetries, MinWait: time.Millisecond,
	MaxWait: 10 * time.Millisecond, MaxRetryAfter: 10 * time.Millisecond,
}

// Client returns a *loyalty.Client configured for every platform on the
// server: Qualifio, Monterosa, and Yotpo as the commerce platform (or
// Influence.io with WithInfluenceIOClient), using the server's HTTP client
// and TestRetryPolicy. opts are applied last, so they override (a
// loyalty.WithYotpo here replaces the Yotpo configuration). It panics if the
// client cannot be built, as httptest does on setup errors; NewClient
// returns the error instead.
func (s *Server) Client(opts ...loyalty.Option) *loyalty.Client {
	c, err := s.NewClient("", opts...)
	return mustClient("Client", c, err)
}

// ClientFor is Client with commerce (Yotpo or InfluenceIO) as the commerce
// platform, whatever the server's default: srv.ClientFor(loyalty.InfluenceIO)
// speaks Influence.io for Customers and Orders. It panics where NewClient
// returns an error.
func (s *Server) ClientFor(commerce loyalty.Platform, opts ...loyalty.Option) *loyalty.Client {
	c, err := s.NewClient(commerce, opts...)
	return mustClient("ClientFor", c, err)
}

// NewClient builds the client of Client with commerce as the commerce
// platform: Yotpo, InfluenceIO, or "" for the server's default (Yotpo, or
// Influence.io with WithInfluenceIOClient). It returns an error, never
// panics, when commerce is neither, or when opts conflict with it (a
// loyalty.WithInfluenceIO among opts while commerce is Yotpo makes two
// commerce platforms), or when an option is invalid.
func (s *Server) NewClient(commerce loyalty.Platform, opts ...loyalty.Option) (*loyalty.Client, error) {
	if commerce == "" {
		commerce = Yotpo
		if s.cfg.influenceIO {
			commerce = InfluenceIO
		}
	}
	var commerceOpt loyalty.Option
	switch commerce {
	case Yotpo:
		commerceOpt = loyalty.WithYotpo(s.YotpoConfig())
	case InfluenceIO:
		commerceOpt = loyalty.WithInfluenceIO(s.InfluenceIOConfig())
	default:
		return nil, fmt.Errorf("loyaltytest: NewClient: commerce platform %q is not %q or %q", commerce, Yotpo, InfluenceIO)
	}
	all := append([]loyalty.Option{
		loyalty.WithHTTPClient(s.HTTPClient()),
		loyalty.WithRetryPolicy(TestRetryPolicy),
		loyalty.WithQualifio(s.QualifioConfig()),
		loyalty.WithMonterosa(s.MonterosaConfig()),
		commerceOpt,
	}, opts...)
	c, err := loyalty.NewClient(all...)
	if err != nil {
		return nil, fmt.Errorf("loyaltytest: NewClient(%s): %w", commerce, err)
	}
	return c, nil
}

func mustClient(method string, c *loyalty.Client, err error) *loyalty.Client {
	if err != nil {
		panic("loyaltytest: Server." + method + ": " + err.Error())
	}
	return c
}
