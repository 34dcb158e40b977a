// Package redisstore keeps the state that the replicas of a service must
// share in Redis: one rate limit for every Client of a merchant
// (loyalty.RateLimiter), and one record of the webhook events processed
// (webhook.DedupStore). It is its own module, so that the SDK itself does
// not depend on Redis.
//
// You need it when the integration runs as more than one process: Yotpo's
// 10 requests per second is per merchant, not per process, and a webhook
// retried to another replica must still be processed once. One process
// needs neither: loyalty.NewRateLimiter shares a limit between its
// Clients, and webhook.MemoryStore de-duplicates its deliveries.
//
//	rs := redisstore.New(redis.NewClient(&redis.Options{Addr: "redis:6379"}), "acme:")
//	yotpo.Limiter = rs.Limiter("yotpo", 10, 1) // loyalty.YotpoConfig: one Yotpo limit for every replica
//	opts.Dedup = rs.DedupStore(0)              // webhook.HandlerOptions: each event processed once
//
// # The limiter
//
// Limiter is a GCRA (generic cell rate algorithm, the algorithm of
// github.com/go-redis/redis_rate) run in one Lua script on Redis's clock,
// so that the replicas' clocks do not matter. It is not redis_rate itself:
// redis_rate only answers "allowed now, or retry after d", and a Client
// must wait for its turn. Waiters polling Allow all come back when a slot
// frees, one wins and the rest poll again, unfairly and at one round trip
// per poll each. Limiter instead reserves the caller's slot in the same
// script (as golang.org/x/time/rate's Wait does in process): every Wait is
// one round trip, callers go in the order they asked, and a wait that would
// outlast the context's deadline is refused at once without taking a slot.
// A wait whose context ends while it sleeps gives its slot up unused: the
// limit is then used less, never exceeded.
//
// Every call of a Limiter or DedupStore ends with its context, also when
// Redis stops answering (go-redis itself would wait for its ReadTimeout).
//
// When Redis cannot be reached, Wait returns the error and the call fails
// unsent, with an error matching loyalty.ErrLimiterUnavailable (never
// loyalty.ErrMaybeApplied). There is no fallback to a limiter in the
// process: each replica sending the merchant's full limit would exceed it
// as many times over as there are replicas.
//
// # The de-duplication store
//
// DedupStore keeps each event's key as one Redis string: a claim holds
// the claim's random token and expires with its lease (SET NX PX, in a
// script), a processed event holds "done" and expires with the store's
// TTL. Complete and Release compare the token in a script, so only the
// holder of a claim ends it. Every rule of the webhook.DedupStore contract
// holds; webhooktest.TestDedupStore checks it against a real redis-server.
//
// Redis must keep these keys: set maxmemory-policy noeviction (every key
// has an expiry, so volatile-* policies would evict claims too; a write
// Redis refuses for memory is webhook.ErrStoreFull, answered 503 and
// retried), and turn on persistence (appendonly yes) if a restart must not
// forget which events were processed. Without it, a redelivery after a
// restart is processed again. While Redis is down, deliveries are answered
// 500 and the platforms retry them.
package redisstore
