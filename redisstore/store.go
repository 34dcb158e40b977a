package redisstore

import (
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
