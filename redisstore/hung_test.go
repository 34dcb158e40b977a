package redisstore_test

import (
	"context"
	"errors"
	"net"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"

	"github.com/loyalty-go/loyalty/redisstore"
)

// hungRedis accepts connections and never answers, as a Redis that is
// stopped (SIGSTOP) or behind a partition that drops packets does.
func hungRedis(t *testing.T) string {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	t.Cleanup(func() { close(done); l.Close() })
	go func() {
		for {
			c, err := l.Accept()
			if err != nil {
				return
			}
			go func() { <-done; c.Close() }()
		}
	}()
	return l.Addr().String()
}

// A Redis that does not answer holds neither a Wait nor a store call past
// its context, whatever the go-redis client's own timeouts (the default
// client ignores context deadlines while it reads).
func TestHungRedisEndsWithTheContext(t *testing.T) {
	rdb := redis.NewClient(&redis.Options{Addr: hungRedis(t)})
	t.Cleanup(func() { rdb.Close() })
	rs := redisstore.New(rdb, "")
	l, d := rs.Limiter("hung", 10, 1), rs.DedupStore(0)
	for name, call := range map[string]func(context.Context) error{
		"Limiter.Wait":        l.Wait,
		"DedupStore.Claim":    func(ctx context.Context) error { _, _, err := d.Claim(ctx, "k", time.Minute); return err },
		"DedupStore.Complete": func(ctx context.Context) error { return d.Complete(ctx, "k", "t") },
		"DedupStore.Release":  func(ctx context.Context) error { return d.Release(ctx, "k", "t") },
	} {
		for _, cancelled := range []bool{false, true} {
			ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
			if cancelled {
				cancel()
				ctx, cancel = context.WithCancel(context.Background())
				time.AfterFunc(200*time.Millisecond, cancel)
			}
			start := time.Now()
			err := call(ctx)
			took := time.Since(start)
			cancel()
			if err == nil || took > time.Second {
				t.Errorf("%s (cancel %v) against a hung Redis: %v after %s; want an error within the 200 ms context", name, cancelled, err, took.Round(time.Millisecond))
			}
			if !errors.Is(err, context.DeadlineExceeded) && !errors.Is(err, context.Canceled) {
				t.Logf("%s: %v", name, err)
			}
		}
	}
}
