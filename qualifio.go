package loyalty

import (
	"context"
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
// profiles) and the ingestor API (events), called through NewRequest and Do.
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

func (cfg *QualifioConfig) backend(s *settings) *backend {
	cc := &clientcredentials.Config{
		ClientID: cfg.ClientID, ClientSecret: cfg.ClientSecret, TokenURL: cfg.TokenURL, Scopes: cfg.Scopes,
		// Basic first, then form fields; x/oauth2 remembers what worked.
		AuthStyle: oauth2.AuthStyleAutoDetect,
	}
	tokenHTTP := s.httpClient // token calls are not retried by the SDK's loop
	cache := &transport.TokenCache{
		Early: qualifioTokenEarly,
		Fetch: func(ctx context.Context) (*oauth2.Token, error) {
			return cc.Token(context.WithValue(ctx, oauth2.HTTPClient, tokenHTTP))
		},
	}
	return newBackend(Qualifio, cfg.BaseURL, s, cache, nil, transport.Policy{ServerRetryable: anyServerError})
}
