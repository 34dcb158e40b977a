package loyalty

import (
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/internal/transport"
)

// InfluenceIOConfig configures WithInfluenceIO. The key is in the dashboard
// under Settings, API Settings, Platform API Settings.
type InfluenceIOConfig struct {
	APIKey string
	// BaseURL defaults to https://platform.api.influence.io.
	BaseURL string
}

// WithInfluenceIO configures the Influence.io Platform API as the commerce
// platform (customers, orders, products, points), called through
// NewRequest and Do.
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

func (cfg *InfluenceIOConfig) backend(s *settings) *backend {
	auth := transport.Headers{contract.InfluenceIOHeaderAPIKey: cfg.APIKey}
	return newBackend(InfluenceIO, cfg.BaseURL, s, auth, nil, transport.Policy{ServerRetryable: anyServerError})
}
