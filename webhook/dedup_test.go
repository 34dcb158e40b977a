package webhook

import (
	"context"
	"fmt"
	"sync"
	"testing"
	"time"
)

// fakeClock is a settable clock for MemoryStore.
type fakeClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *fakeClock) now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *fakeClock) advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

func newTestStore(ttl time.Duration, max int) (*MemoryStore, *fakeClock) {
	c := &fakeClock{t: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}
	s := NewMemoryStore(ttl, max)
	s.now = c.now
	return s, c
}

func claim(t *testing.T, s DedupStore, key string, want Claim) {
	t.Helper()
	got, err := s.Claim(context.Background(), key)
	if err != nil || got != want {
		t.Fatalf("Claim(%q) = %v, %v; want %v", key, got, err, want)
	}
}

func TestMemoryStoreLifecycle(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(time.Hour, 10)
	claim(t, s, "a", ClaimNew)
	claim(t, s, "a", ClaimBusy)
	if err := s.Release(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "a", ClaimNew) // a released claim is processed again
	if err := s.Complete(ctx, "a"); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "a", ClaimDone)
	_ = s.Release(ctx, "a") // releasing a done key keeps it done
	claim(t, s, "a", ClaimDone)
	claim(t, s, "b", ClaimNew)
	if len(s.entries) != 2 {
		t.Errorf("Len = %d", len(s.entries))
	}
}

func TestMemoryStoreTTL(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(time.Hour, 10)
	claim(t, s, "done", ClaimNew)
	_ = s.Complete(ctx, "done")
	claim(t, s, "stuck", ClaimNew) // a claim whose holder died
	clock.advance(59 * time.Minute)
	claim(t, s, "done", ClaimDone)
	claim(t, s, "stuck", ClaimBusy)
	clock.advance(time.Minute)
	claim(t, s, "done", ClaimNew)  // expired: a late duplicate is new again
	claim(t, s, "stuck", ClaimNew) // the dead claim expired too
	if len(s.entries) != 2 {
		t.Errorf("Len = %d; want the two fresh claims only", len(s.entries))
	}
	// Complete restarts the TTL.
	clock.advance(30 * time.Minute)
	_ = s.Complete(ctx, "done")
	clock.advance(45 * time.Minute)
	claim(t, s, "done", ClaimDone)
	claim(t, s, "stuck", ClaimNew)
}

func TestMemoryStoreBounded(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(time.Hour, 3)
	for i := range 5 {
		claim(t, s, fmt.Sprint(i), ClaimNew)
		_ = s.Complete(ctx, fmt.Sprint(i))
		clock.advance(time.Second)
	}
	if len(s.entries) != 3 {
		t.Fatalf("Len = %d; want 3", len(s.entries))
	}
	claim(t, s, "4", ClaimDone)
	claim(t, s, "0", ClaimNew) // the oldest entries were dropped
}

func TestMemoryStoreConcurrentClaims(t *testing.T) {
	s := NewMemoryStore(time.Hour, 1000)
	const n = 64
	var wg sync.WaitGroup
	results := make(chan Claim, n)
	for range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c, _ := s.Claim(context.Background(), "k")
			results <- c
		}()
	}
	wg.Wait()
	close(results)
	news := 0
	for c := range results {
		if c == ClaimNew {
			news++
		} else if c != ClaimBusy {
			t.Errorf("claim %v", c)
		}
	}
	if news != 1 {
		t.Fatalf("%d ClaimNew of %d concurrent claims; want exactly 1", news, n)
	}
}
