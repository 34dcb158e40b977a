package loyaltytest

import (
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
	if s.limit == nil {
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
// and TestRetryPolicy. opts are applied last, so they override. It panics if
// an option is invalid, as httptest does on setup errors; passing
// WithYotpo or WithInfluenceIO here makes two commerce platforms, which is
// invalid.
func (s *Server) Client(opts ...loyalty.Option) *loyalty.Client {
	commerce := loyalty.WithYotpo(s.YotpoConfig())
	if s.cfg.influenceIO {
		commerce = loyalty.WithInfluenceIO(s.InfluenceIOConfig())
	}
	all := append([]loyalty.Option{
		loyalty.WithHTTPClient(s.HTTPClient()),
		loyalty.WithRetryPolicy(TestRetryPolicy),
		loyalty.WithQualifio(s.QualifioConfig()),
		loyalty.WithMonterosa(s.MonterosaConfig()),
		commerce,
	}, opts...)
	c, err := loyalty.NewClient(all...)
	if err != nil {
		panic("loyaltytest: Server.Client: " + err.Error())
	}
	return c
}
