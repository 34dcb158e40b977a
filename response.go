package loyalty

import (
	"net/http"
	"strconv"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/internal/transport"
)

// Response wraps the platform's *http.Response (its Body already read and
// closed) with what the SDK parsed from it.
type Response struct {
	*http.Response
	// RateLimit holds the rate-limit headers, where the platform sends them
	// (Yotpo sends them on every response).
	RateLimit RateLimit
}

// RateLimit is the state of a platform's rate limit after a response.
type RateLimit struct {
	Limit     int           // requests allowed in the window (ratelimit-limit)
	Remaining int           // requests left in the window (ratelimit-remaining)
	Reset     time.Duration // until the window resets (ratelimit-reset)
	// Per-minute window (x-ratelimit-*-minute).
	LimitMinute, RemainingMinute int
}

func newResponse(resp *http.Response) *Response {
	return &Response{Response: resp, RateLimit: parseRateLimit(resp.Header)}
}

func parseRateLimit(h http.Header) RateLimit {
	num := func(k string) int {
		v := h.Get(k)
		if v == "" { // most platforms send none: skip Atoi's error allocation
			return 0
		}
		n, _ := strconv.Atoi(v)
		return n
	}
	var reset time.Duration
	if v := h.Get(contract.YotpoHeaderRateReset); v != "" {
		reset, _ = transport.Seconds(v)
	}
	return RateLimit{
		Limit:           num(contract.YotpoHeaderRateLimit),
		Remaining:       num(contract.YotpoHeaderRateRemaining),
		Reset:           reset,
		LimitMinute:     num(contract.YotpoHeaderRateLimitMin),
		RemainingMinute: num(contract.YotpoHeaderRateRemainMin),
	}
}
