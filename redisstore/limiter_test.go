package redisstore_test

import (
	"context"
	"errors"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty/redisstore"
)

// Limiters of one name and prefix share the limit; turns come one interval
// apart, in the order asked; another name or prefix is another limit.
func TestLimiterSharesAndSpaces(t *testing.T) {
	srv := startRedis(t, false)
	a := redisstore.New(srv.client(t), "shop:").Limiter("yotpo", 20, 1)
	b := redisstore.New(srv.client(t), "shop:").Limiter("yotpo", 20, 1)
	other := redisstore.New(srv.client(t), "other-shop:").Limiter("yotpo", 20, 1)
	ctx := context.Background()
	start := time.Now()
	for i := range 6 {
		l := a
		if i%2 == 1 {
			l = b
		}
		if err := l.Wait(ctx); err != nil {
			t.Fatal(err)
		}
	}
	// Six turns at 20 a second: the sixth five intervals (250 ms) after the first.
	if d := time.Since(start); d < 240*time.Millisecond || d > 400*time.Millisecond {
		t.Errorf("six turns took %s; want about 250ms", d)
	}
	start = time.Now()
	if err := other.Wait(ctx); err != nil || time.Since(start) > 30*time.Millisecond {
		t.Errorf("another prefix waited %s (%v): it must have its own limit", time.Since(start), err)
	}
}

// A burst lets that many go at once.
func TestLimiterBurst(t *testing.T) {
	l := redisstore.New(startRedis(t, false).client(t), "").Limiter("burst", 1, 3)
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	for i := range 3 {
		if err := l.Wait(ctx); err != nil {
			t.Fatalf("turn %d of a burst of 3: %v", i+1, err)
		}
	}
	if err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("fourth turn: %v; want the deadline", err)
	}
}

// A turn after the deadline is refused at once and takes no slot; a wait
// whose context is cancelled ends at once.
func TestLimiterContext(t *testing.T) {
	l := redisstore.New(startRedis(t, false).client(t), "").Limiter("ctx", 2, 1) // 500ms apart
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	start := time.Now()
	if err := l.Wait(ctx); !errors.Is(err, context.DeadlineExceeded) || time.Since(start) > 50*time.Millisecond {
		t.Fatalf("Wait past the deadline: %v after %s; want DeadlineExceeded at once", err, time.Since(start))
	}
	// The refused wait took no slot: the next turn is the second, 500ms
	// after the first, not the third at 1s.
	if err := l.Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := time.Since(start); d > 700*time.Millisecond {
		t.Errorf("next turn after %s: the refused wait took a slot", d)
	}
	ctx, cancel = context.WithCancel(context.Background())
	time.AfterFunc(50*time.Millisecond, cancel)
	start = time.Now()
	if err := l.Wait(ctx); !errors.Is(err, context.Canceled) || time.Since(start) > 300*time.Millisecond {
		t.Fatalf("cancelled Wait: %v after %s", err, time.Since(start))
	}
}

// Redis down: Wait returns Redis's error, wrapped, and no turn.
func TestLimiterRedisDown(t *testing.T) {
	srv := startRedis(t, false)
	rdb := redis.NewClient(&redis.Options{Addr: srv.Addr(), MaxRetries: -1})
	defer rdb.Close()
	l := redisstore.New(rdb, "").Limiter("down", 10, 1)
	srv.stop()
	err := l.Wait(context.Background())
	if err == nil || errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		t.Fatalf("Wait with Redis down: %v; want Redis's error", err)
	}
	t.Log(err)
}

// rate.Inf asks nothing of Redis.
func TestLimiterInf(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: "127.0.0.1:1", MaxRetries: -1})
	defer rdb.Close()
	if err := redisstore.New(rdb, "").Limiter("inf", rate.Inf, 0).Wait(context.Background()); err != nil {
		t.Fatal(err)
	}
}
