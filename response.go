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
	// RequestID is the platform's (or its gateway's) request id header of
	// the last attempt, "" when it sends none: quote it to the platform's
	// support. Error.RequestID carries the same for a failed call.
	RequestID string
	// Attempts is how many attempts the call took (1 without a retry), and
	// Duration how long the whole call took, waits between attempts
	// included.
	Attempts int
	Duration time.Duration
	// DecodeIssues are the fields of the answer the SDK could not read as
	// it expects the platform to send them (at most 100): the call
	// succeeded with those fields left zero, and each issue was also
	// logged at WARN, once per Client. An issue means the SDK's reading of
	// the platform is wrong somewhere; please report it.
	DecodeIssues []DecodeIssue

	wire wireScope
}

// DecodeIssue is one field of a platform's answer that tolerant decoding
// could not read: present with a JSON type the field does not take (a
// string for an integer, a time in no known layout, an integer past
// int64), or a field the platform always sends absent. It never holds the
// value, which can be personal data.
type DecodeIssue struct {
	Platform Platform
	// Route is the method and path template, e.g. "GET /v1/customers/{id}":
	// the path's own ids and codes are never in it.
	Route string
	// Field is the path of the field in the answer, e.g.
	// "customer.vip_tier_name" or "[2].points_multiplier".
	Field string
	// Problem says what did not fit, e.g. "want integer, got string" or
	// "required field absent or null".
	Problem string
}

func (d DecodeIssue) String() string {
	return string(d.Platform) + " " + d.Route + ": " + d.Field + ": " + d.Problem
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
	return &Response{Response: resp, RateLimit: parseRateLimit(resp.Header), RequestID: contract.RequestID(resp.Header.Get)}
}

// rateHeaders are the rate-limit header names in canonical form, so that
// looking them up does not canonicalize (and allocate) on every response.
var rateHeaders = struct{ limit, remaining, reset, limitMin, remainMin string }{
	http.CanonicalHeaderKey(contract.YotpoHeaderRateLimit), http.CanonicalHeaderKey(contract.YotpoHeaderRateRemaining),
	http.CanonicalHeaderKey(contract.YotpoHeaderRateReset), http.CanonicalHeaderKey(contract.YotpoHeaderRateLimitMin),
	http.CanonicalHeaderKey(contract.YotpoHeaderRateRemainMin),
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
	if v := h.Get(rateHeaders.reset); v != "" {
		reset, _ = transport.Seconds(v)
	}
	return RateLimit{
		Limit:           num(rateHeaders.limit),
		Remaining:       num(rateHeaders.remaining),
		Reset:           reset,
		LimitMinute:     num(rateHeaders.limitMin),
		RemainingMinute: num(rateHeaders.remainMin),
	}
}
