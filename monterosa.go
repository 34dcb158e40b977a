package loyalty

import (
	"fmt"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty/internal/transport"
)

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

// WithMonterosa configures the Monterosa Loyalty API (config, profile,
// notifications, history, coupons, actions), called through NewRequest and
// Do.
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

func (cfg *MonterosaConfig) backend(s *settings) *backend {
	return newBackend(Monterosa, cfg.BaseURL, s, transport.Bearer{Source: cfg.TokenSource}, nil, transport.Policy{ServerRetryable: anyServerError})
}
