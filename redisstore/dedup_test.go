package redisstore_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/redisstore"
	"github.com/loyalty-go/loyalty/webhook"
	"github.com/loyalty-go/loyalty/webhook/webhooktest"
)

func TestDedupStoreContract(t *testing.T) {
	srv := startRedis(t, false)
	rdb := srv.client(t)
	n := 0
	webhooktest.TestDedupStore(t, func(t *testing.T, ttl time.Duration) webhook.DedupStore {
		n++ // a prefix of its own: an empty store
		return redisstore.New(rdb, fmt.Sprintf("contract-%d:", n)).DedupStore(ttl)
	})
}

// Two prefixes on one Redis are two stores.
func TestDedupStorePrefixes(t *testing.T) {
	rdb := startRedis(t, false).client(t)
	ctx := context.Background()
	a := redisstore.New(rdb, "shop-a:").DedupStore(0)
	b := redisstore.New(rdb, "shop-b:").DedupStore(0)
	_, tok, err := a.Claim(ctx, "yotpo:1", time.Minute)
	if err != nil {
		t.Fatal(err)
	}
	if err := a.Complete(ctx, "yotpo:1", tok); err != nil {
		t.Fatal(err)
	}
	if c, _, err := b.Claim(ctx, "yotpo:1", time.Minute); err != nil || c != webhook.ClaimNew {
		t.Fatalf("the other prefix: %v, %v; want ClaimNew", c, err)
	}
	keys, err := rdb.Keys(ctx, "*").Result()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range keys {
		if k != "shop-a:dedup:yotpo:1" && k != "shop-b:dedup:yotpo:1" {
			t.Errorf("unexpected key %q", k)
		}
	}
	if ttl := rdb.PTTL(ctx, "shop-a:dedup:yotpo:1").Val(); ttl < webhook.DefaultDedupTTL-time.Minute || ttl > webhook.DefaultDedupTTL {
		t.Errorf("a done key expires in %s; want the default TTL %s", ttl, webhook.DefaultDedupTTL)
	}
}

// A Redis out of memory (maxmemory, noeviction) refuses a claim with
// ErrStoreFull, which the handler answers 503, and never evicts a claim.
func TestDedupStoreFull(t *testing.T) {
	rdb := startRedis(t, false).client(t)
	ctx := context.Background()
	s := redisstore.New(rdb, "").DedupStore(0)
	if _, _, err := s.Claim(ctx, "held", time.Minute); err != nil {
		t.Fatal(err)
	}
	if err := rdb.ConfigSet(ctx, "maxmemory", "1").Err(); err != nil {
		t.Fatal(err)
	}
	_, _, err := s.Claim(ctx, "another", time.Minute)
	if !errors.Is(err, webhook.ErrStoreFull) {
		t.Fatalf("Claim on a full Redis: %v; want ErrStoreFull", err)
	}
	if c, _, err := s.Claim(ctx, "held", time.Minute); err != nil || c != webhook.ClaimBusy {
		t.Fatalf("the held claim: %v, %v; want ClaimBusy", c, err)
	}
}
