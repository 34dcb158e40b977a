package redisstore

import (
	"context"
	"fmt"
	"math"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"
)

// Limiter is a rate limit kept in Redis and shared by every Limiter of the
// same Store prefix and name, in any process: a loyalty.RateLimiter for
// YotpoConfig.Limiter. See the package doc for how it waits and fails.
type Limiter struct {
	rdb      redis.Scripter
	key      string
	interval time.Duration // between two requests; 0 for no limit
	burst    int
}

// Limiter returns the limit called name: r requests a second, at most
// burst at once (a burst below 1 means 1). rate.Inf lets every request
// through without asking Redis. Name it for what it limits, e.g. "yotpo",
// with one Store prefix per merchant. It panics when r is not positive:
// a limit that admits nothing is a programming error.
func (s *Store) Limiter(name string, r rate.Limit, burst int) *Limiter {
	if !(r > 0) {
		panic(fmt.Sprintf("redisstore: Limiter(%q): the rate must be positive, not %v", name, float64(r)))
	}
	l := &Limiter{rdb: s.rdb, key: s.prefix + "rate:" + name, burst: max(burst, 1)}
	if r != rate.Inf {
		l.interval = max(time.Duration(math.Round(float64(time.Second)/float64(r))), time.Microsecond)
	}
	return l
}

// gcra reserves the next slot of a GCRA limit. The key holds the limit's
// theoretical arrival time (TAT), in microseconds of Redis's clock. A
// request may go burst-1 intervals before the TAT; reserving moves the TAT
// one interval on. It returns {1, wait} with the microseconds the caller
// waits for its slot, or {0, wait} without reserving when wait exceeds
// ARGV[3] (-1: no bound).
//
// KEYS[1] the limit; ARGV[1] the interval and ARGV[3] the longest wait, in
// microseconds; ARGV[2] the burst.
var gcra = redis.NewScript(`
local interval = tonumber(ARGV[1])
local burst = tonumber(ARGV[2])
local maxwait = tonumber(ARGV[3])
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000000 + tonumber(t[2])
local tat = tonumber(redis.call('GET', KEYS[1]) or now) or now
if tat < now then tat = now end
local wait = tat - (burst - 1) * interval - now
if wait < 0 then wait = 0 end
if maxwait >= 0 and wait > maxwait then return {0, wait} end
tat = tat + interval
redis.call('SET', KEYS[1], string.format('%.0f', tat), 'PX', math.ceil((tat - now) / 1000) + 1000)
return {1, wait}
`)

// Wait implements loyalty.RateLimiter: it reserves the caller's turn and
// sleeps until it comes, or until ctx ends. A turn after ctx's deadline is
// refused at once, with an error matching context.DeadlineExceeded. An
// error of Redis is returned as it is, wrapped.
func (l *Limiter) Wait(ctx context.Context) error {
	if err := ctx.Err(); err != nil {
		return err
	}
	if l.interval == 0 {
		return nil
	}
	maxWait := int64(-1)
	if dl, ok := ctx.Deadline(); ok {
		maxWait = max(time.Until(dl).Microseconds(), 0)
	}
	res, err := run(ctx, l.rdb, gcra, []string{l.key}, l.interval.Microseconds(), l.burst, maxWait).Int64Slice()
	if err == nil && len(res) != 2 {
		err = fmt.Errorf("unexpected answer %v", res)
	}
	if err != nil {
		if ctxErr := ctx.Err(); ctxErr != nil {
			return ctxErr
		}
		return fmt.Errorf("redisstore: rate limit %s: %w", l.key, err)
	}
	wait := time.Duration(res[1]) * time.Microsecond
	if res[0] == 0 {
		return fmt.Errorf("%w: redisstore: rate limit %s: the next turn is in %s, after the deadline", context.DeadlineExceeded, l.key, wait)
	}
	if wait <= 0 {
		return nil
	}
	t := time.NewTimer(wait)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}
