package loyalty

import (
	"encoding/json"
	"strings"

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

// influenceIOOnly fails, before any request, a method of a resource only
// Influence.io has: ErrNotSupported when the Client's commerce platform is
// Yotpo, ErrNotConfigured when Influence.io is not configured.
func (c *Client) influenceIOOnly(op string) error {
	if c.Configured(InfluenceIO) {
		return nil
	}
	if c.Configured(Yotpo) {
		return notSupported(op, Yotpo, InfluenceIO)
	}
	_, err := c.backend(InfluenceIO)
	return err
}

// Influence.io money on the wire: decimal major units ("49.9", not cents;
// decided, influenceio.md §3). influenceAmount and influenceMoney are the one
// place it is converted, for products here and for orders: the order
// reference renders prices as strings, so if the live API wants strings,
// only influenceAmount changes.

// influenceAmount is m as an Influence.io amount: a JSON number in major
// units with exactly the currency's minor digits (0.30 for 30 USD cents, 500
// for 500 JPY, 1.250 for 1250 KWD fils), exact, no float64 involved. A bad
// currency is an *InputError naming op and field.
func influenceAmount(op, field string, m Money) (json.Number, error) {
	digits, err := minorDigits(m.Currency)
	if err != nil {
		return "", inputErr(op, field+".Currency", "%v", err)
	}
	return json.Number(minorToDecimal(m.Minor, digits)), nil
}

// influenceNumber is an amount as read from a response: a JSON number or a
// numeric string, kept as its decimal text ("" when absent or null).
type influenceNumber string

func (n *influenceNumber) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(strings.Trim(string(b), `"`))
	if s == "null" {
		s = ""
	}
	*n = influenceNumber(s)
	return nil
}

// influenceMoney reads n in currency, exactly: nil when n is absent, the
// currency unknown, or n not exact in its minor digits (a rounding would
// invent money; the raw JSON still has it).
func influenceMoney(n influenceNumber, currency string) *Money {
	if n == "" {
		return nil
	}
	digits, err := minorDigits(currency)
	if err != nil {
		return nil
	}
	minor, err := decimalToMinor(string(n), digits)
	if err != nil {
		return nil
	}
	return &Money{Minor: minor, Currency: currency}
}

// influenceTime reads Influence.io's ISO-8601 date-times as tolerantly as
// Yotpo's (RFC 3339 first); null or anything unreadable is the zero time.
type influenceTime = yotpoTime
