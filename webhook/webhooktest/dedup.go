// Package webhooktest checks a webhook.DedupStore against the contract of
// its doc comment, so that a store of one's own (on Redis, a database, ...)
// is tested as MemoryStore is.
package webhooktest

import (
	"context"
	"errors"
	"fmt"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/webhook"
)

// Lease is the short lease TestDedupStore lets run out, by sleeping: the
// store's clock must be the real one.
const Lease = 200 * time.Millisecond

// TestDedupStore runs the DedupStore contract on stores made by newStore,
// which returns an empty store whose done keys live ttl. Each subtest makes
// its own store.
func TestDedupStore(t *testing.T, newStore func(t *testing.T, ttl time.Duration) webhook.DedupStore) {
	ctx := context.Background()
	const long = time.Hour

	t.Run("Lifecycle", func(t *testing.T) {
		s := newStore(t, long)
		tok := claim(t, s, "a", long, webhook.ClaimNew)
		claim(t, s, "a", long, webhook.ClaimBusy)
		claim(t, s, "b", long, webhook.ClaimNew) // keys are independent
		noErr(t, s.Release(ctx, "a", tok))
		tok2 := claim(t, s, "a", long, webhook.ClaimNew) // released: processed again
		if tok2 == tok {
			t.Errorf("a new claim reuses token %q", tok)
		}
		noErr(t, s.Complete(ctx, "a", tok2))
		claim(t, s, "a", long, webhook.ClaimDone)
		noErr(t, s.Release(ctx, "a", tok2)) // a done key stays done
		claim(t, s, "a", long, webhook.ClaimDone)
		noErr(t, s.Release(ctx, "a", ""))
		claim(t, s, "a", long, webhook.ClaimDone)
		noErr(t, s.Complete(ctx, "a", tok2)) // completing a done key keeps it done
		noErr(t, s.Complete(ctx, "a", "other"))
		claim(t, s, "a", long, webhook.ClaimDone)
	})

	t.Run("ReleaseByOthers", func(t *testing.T) {
		s := newStore(t, long)
		claim(t, s, "k", long, webhook.ClaimNew)
		noErr(t, s.Release(ctx, "k", "not-the-token"))
		noErr(t, s.Release(ctx, "k", ""))
		claim(t, s, "k", long, webhook.ClaimBusy) // only the holder releases
		noErr(t, s.Release(ctx, "unknown", "x"))  // releasing nothing is no error
		claim(t, s, "unknown", long, webhook.ClaimNew)
	})

	t.Run("StaleHolder", func(t *testing.T) {
		s := newStore(t, long)
		stale := claim(t, s, "k", Lease, webhook.ClaimNew)
		claim(t, s, "k", Lease, webhook.ClaimBusy)
		time.Sleep(Lease + 50*time.Millisecond)
		fresh := claim(t, s, "k", long, webhook.ClaimNew) // the lease ran out, not the TTL
		if fresh == stale {
			t.Fatalf("the new claim reuses token %q", stale)
		}
		noErr(t, s.Release(ctx, "k", stale))
		claim(t, s, "k", long, webhook.ClaimBusy) // the stale Release left the new claim alone
		if err := s.Complete(ctx, "k", stale); !errors.Is(err, webhook.ErrClaimLost) {
			t.Fatalf("stale Complete: %v; want ErrClaimLost", err)
		}
		claim(t, s, "k", long, webhook.ClaimBusy) // nor did the stale Complete mark it done
		noErr(t, s.Complete(ctx, "k", fresh))
		claim(t, s, "k", long, webhook.ClaimDone)
	})

	t.Run("CompleteAfterLeaseUnclaimed", func(t *testing.T) {
		s := newStore(t, long)
		tok := claim(t, s, "late", Lease, webhook.ClaimNew)
		time.Sleep(Lease + 50*time.Millisecond)
		noErr(t, s.Complete(ctx, "late", tok)) // nobody claimed it since: recorded
		claim(t, s, "late", long, webhook.ClaimDone)
		noErr(t, s.Complete(ctx, "never-claimed", "x")) // an unknown key is recorded too
		claim(t, s, "never-claimed", long, webhook.ClaimDone)
	})

	t.Run("TTL", func(t *testing.T) {
		ttl := 2 * Lease
		s := newStore(t, ttl)
		tok := claim(t, s, "d", long, webhook.ClaimNew)
		noErr(t, s.Complete(ctx, "d", tok))
		claim(t, s, "d", long, webhook.ClaimDone)
		time.Sleep(ttl + 100*time.Millisecond)
		claim(t, s, "d", long, webhook.ClaimNew) // forgotten after the TTL
	})

	t.Run("ConcurrentClaims", func(t *testing.T) {
		s := newStore(t, long)
		for round := range 20 {
			key := fmt.Sprint("c", round)
			var wg sync.WaitGroup
			var news, busy atomic.Int32
			for range 16 {
				wg.Add(1)
				go func() {
					defer wg.Done()
					c, tok, err := s.Claim(ctx, key, long)
					switch {
					case err != nil:
						t.Error(err)
					case c == webhook.ClaimNew && tok != "":
						news.Add(1)
					case c == webhook.ClaimBusy:
						busy.Add(1)
					default:
						t.Errorf("Claim = %v, %q", c, tok)
					}
				}()
			}
			wg.Wait()
			if news.Load() != 1 || busy.Load() != 15 {
				t.Fatalf("16 concurrent claims of %s: %d new, %d busy; want 1 and 15", key, news.Load(), busy.Load())
			}
		}
	})
}

func claim(t *testing.T, s webhook.DedupStore, key string, lease time.Duration, want webhook.Claim) string {
	t.Helper()
	got, token, err := s.Claim(context.Background(), key, lease)
	if err != nil || got != want {
		t.Fatalf("Claim(%q) = %v, %v; want %v", key, got, err, want)
	}
	if (token != "") != (want == webhook.ClaimNew) {
		t.Fatalf("Claim(%q) = %v with token %q", key, got, token)
	}
	return token
}

func noErr(t *testing.T, err error) {
	t.Helper()
	if err != nil {
		t.Fatal(err)
	}
}
