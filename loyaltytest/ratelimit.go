package loyaltytest

import (
	"net/http"
	"strconv"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// yotpoPerMinute is the per-minute limit reported in x-ratelimit-*-minute:
// Yotpo documents the header names, not a minute limit, so the fake reports
// the per-second limit over a minute (decided).
const yotpoPerMinute = contract.YotpoRateLimitPerSecond * 60

// rateLimiter emulates Yotpo's limit with fixed one-second windows on the
// server's clock, for the one merchant the fake serves.
type rateLimiter struct {
	now func() time.Time

	mu          sync.Mutex
	second      int64 // unix second of the current window
	inSecond    int
	minute      int64
	inMinute    int
	headerLimit string
}

func newRateLimiter(now func() time.Time) *rateLimiter {
	return &rateLimiter{now: now, headerLimit: strconv.Itoa(contract.YotpoRateLimitPerSecond)}
}

// admit counts a request, sets the rate-limit headers of its response and
// reports whether it is within the limit. Refused requests do not count.
func (l *rateLimiter) admit(h http.Header) bool {
	now := l.now()
	sec, minute := now.Unix(), now.Unix()/60
	l.mu.Lock()
	if sec != l.second {
		l.second, l.inSecond = sec, 0
	}
	if minute != l.minute {
		l.minute, l.inMinute = minute, 0
	}
	ok := l.inSecond < contract.YotpoRateLimitPerSecond && l.inMinute < yotpoPerMinute
	if ok {
		l.inSecond++
		l.inMinute++
	}
	remaining, remainingMin := contract.YotpoRateLimitPerSecond-l.inSecond, yotpoPerMinute-l.inMinute
	l.mu.Unlock()
	// The window resets at the next whole second; reported in whole seconds,
	// so never less than 1. A full minute window resets at the next minute.
	reset := int64(1)
	if remainingMin == 0 {
		reset = 60 - now.Unix()%60
	}
	h.Set(contract.YotpoHeaderRateLimit, l.headerLimit)
	h.Set(contract.YotpoHeaderRateRemaining, strconv.Itoa(remaining))
	h.Set(contract.YotpoHeaderRateReset, strconv.FormatInt(reset, 10))
	h.Set(contract.YotpoHeaderRateLimitMin, strconv.Itoa(yotpoPerMinute))
	h.Set(contract.YotpoHeaderRateRemainMin, strconv.Itoa(remainingMin))
	return ok
}

// SetRateLimit turns Yotpo's emulated rate limit (WithRateLimit) on or off
// while the server runs; turning it on starts with a full window. Clients
// built by Client while it was off keep their own limiter off.
func (s *Server) SetRateLimit(on bool) {
	if !on {
		s.limit.Store(nil)
		return
	}
	if s.limit.Load() == nil {
		s.limit.CompareAndSwap(nil, newRateLimiter(s.cfg.clock))
	}
}

// RateLimited reports whether Yotpo's rate limit is emulated.
func (s *Server) RateLimited() bool { return s.limit.Load() != nil }
