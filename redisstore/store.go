package redisstore

import (
	"context"

	"github.com/redis/go-redis/v9"
)

// DefaultPrefix starts every key when New is given no prefix.
const DefaultPrefix = "loyalty:"

// Store makes the Limiters and DedupStores of one application on one
// Redis. Every key it writes starts with its prefix, so that several
// merchants or applications share a Redis without sharing state: give each
// its own prefix ("acme:", "shop-42:"). It is safe for concurrent use.
type Store struct {
	rdb    redis.Scripter
	prefix string
}

// New returns a Store over rdb (a *redis.Client, *redis.ClusterClient or
// *redis.Ring) whose keys start with prefix; an empty prefix means
// DefaultPrefix. The Store does not close rdb.
func New(rdb redis.Scripter, prefix string) *Store {
	if rdb == nil {
		panic("redisstore: New: nil Redis client")
	}
	if prefix == "" {
		prefix = DefaultPrefix
	}
	return &Store{rdb: rdb, prefix: prefix}
}

// run runs script and returns once Redis answers or ctx ends, whichever
// comes first. A go-redis client does not watch the context while it
// reads an answer (unless made with ContextTimeoutEnabled, and then only
// for deadlines): a Redis that stops answering would hold the call for
// the client's ReadTimeout, past the deadline the caller set. The
// abandoned command ends within that ReadTimeout, in a goroutine of its
// own; its effect, if Redis runs it, is that of an answer lost on the way
// (a claim that holds until its lease runs out, a limiter's turn unused).
func run(ctx context.Context, rdb redis.Scripter, script *redis.Script, keys []string, args ...any) *redis.Cmd {
	if ctx.Done() == nil {
		return script.Run(ctx, rdb, keys, args...)
	}
	got := make(chan *redis.Cmd, 1) // buffered: an abandoned command never blocks on sending
	go func() { got <- script.Run(ctx, rdb, keys, args...) }()
	select {
	case cmd := <-got:
		return cmd
	case <-ctx.Done():
		cmd := redis.NewCmd(ctx)
		cmd.SetErr(ctx.Err())
		return cmd
	}
}
