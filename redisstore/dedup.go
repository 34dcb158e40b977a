package redisstore

import (
	"context"
	"crypto/rand"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/loyalty-go/loyalty/webhook"
)

// DedupStore is a webhook.DedupStore in Redis, shared by every replica
// whose handlers use a DedupStore of the same Store prefix. See the package
// doc for how it keeps keys and what Redis must be configured to keep them.
type DedupStore struct {
	rdb    redis.Scripter
	prefix string
	ttl    time.Duration
}

// DedupStore returns the Store's de-duplication store, which remembers a
// processed event for ttl (zero or less means webhook.DefaultDedupTTL).
func (s *Store) DedupStore(ttl time.Duration) *DedupStore {
	if ttl <= 0 {
		ttl = webhook.DefaultDedupTTL
	}
	return &DedupStore{rdb: s.rdb, prefix: s.prefix + "dedup:", ttl: ttl}
}

// The values of a key: a claim is claimPrefix+token, a processed event done.
const (
	claimPrefix = "c:"
	done        = "d"
)

// claimScript: 0 new (the key now holds the claim), 1 done, 2 busy. A key
// that already holds this very token is new too: the caller's earlier try
// of the same Claim (a command go-redis sent again after a broken
// connection) took it.
//
// KEYS[1] the key; ARGV[1] the claim's value; ARGV[2] its lease in ms.
var claimScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if not v then
  redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
  return 0
end
if v == ARGV[1] then return 0 end
if v == 'd' then return 1 end
return 2
`)

// completeScript: 0 done, 1 another claim holds the key (claim lost). A
// done key stays done with its expiry; an unknown key (the lease ran out
// and nobody claimed it since) is recorded.
//
// KEYS[1] the key; ARGV[1] the claim's value; ARGV[2] the TTL in ms.
var completeScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == 'd' then return 0 end
if v and v ~= ARGV[1] then return 1 end
redis.call('SET', KEYS[1], 'd', 'PX', ARGV[2])
return 0
`)

// releaseScript deletes the key only while it holds the claim's value.
//
// KEYS[1] the key; ARGV[1] the claim's value.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0
`)

// Claim implements webhook.DedupStore. A lease of zero or less means
// webhook.DefaultLease. The token is random.
func (s *DedupStore) Claim(ctx context.Context, key string, lease time.Duration) (webhook.Claim, string, error) {
	if lease <= 0 {
		lease = webhook.DefaultLease
	}
	token := rand.Text()
	n, err := run(ctx, s.rdb, claimScript, []string{s.prefix + key}, claimPrefix+token, millis(lease)).Int()
	if err != nil {
		return 0, "", s.fail("claiming", key, err)
	}
	switch n {
	case 0:
		return webhook.ClaimNew, token, nil
	case 1:
		return webhook.ClaimDone, "", nil
	case 2:
		return webhook.ClaimBusy, "", nil
	}
	return 0, "", fmt.Errorf("redisstore: claiming %s: unexpected answer %d", key, n)
}

// Complete implements webhook.DedupStore: the key is done for the TTL from
// now, unless a newer claim holds it (webhook.ErrClaimLost).
func (s *DedupStore) Complete(ctx context.Context, key, token string) error {
	n, err := run(ctx, s.rdb, completeScript, []string{s.prefix + key}, claimPrefix+token, millis(s.ttl)).Int()
	if err != nil {
		return s.fail("completing", key, err)
	}
	if n != 0 {
		return webhook.ErrClaimLost
	}
	return nil
}

// Release implements webhook.DedupStore: only the holder of the claim
// releases it.
func (s *DedupStore) Release(ctx context.Context, key, token string) error {
	if token == "" {
		return nil // no claim has an empty token
	}
	if err := run(ctx, s.rdb, releaseScript, []string{s.prefix + key}, claimPrefix+token).Err(); err != nil {
		return s.fail("releasing", key, err)
	}
	return nil
}

// fail wraps a Redis error; a write refused for memory (maxmemory with
// noeviction) is webhook.ErrStoreFull, which the handler answers 503.
func (s *DedupStore) fail(op, key string, err error) error {
	var re redis.Error
	if errors.As(err, &re) && strings.HasPrefix(re.Error(), "OOM ") {
		return fmt.Errorf("redisstore: %s %s: %w (%v)", op, key, webhook.ErrStoreFull, err)
	}
	return fmt.Errorf("redisstore: %s %s: %w", op, key, err)
}

// millis is d in whole milliseconds, at least 1 (PX refuses 0).
func millis(d time.Duration) int64 { return max(d.Milliseconds(), 1) }
