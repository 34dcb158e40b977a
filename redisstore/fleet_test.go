package redisstore_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/http/httptest"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/redis/go-redis/v9"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/redisstore"
	"github.com/loyalty-go/loyalty/webhook"
)

// fleetRate is the shared limit of the fleet tests: 96 % of Yotpo's 10 a
// second. The fake counts in fixed one-second windows; at exactly 10, a
// request that leaves some milliseconds late (a busy machine, -race, a
// connection being dialled) can put an 11th into one. At 9.6 the turns of
// 11 requests span 1.04 s: it takes 42 ms of lateness to do that.
const fleetRate = 9.6

// restartRate is the shared limit of the restart test, which proves no 429
// rather than the use of the limit, under the load of webhooks and of a
// Redis coming back: 9 a second leaves 110 ms of lateness.
const restartRate = 9.0

// statusCounter counts the answers of every attempt of the Clients over it.
type statusCounter struct {
	base                    http.RoundTripper
	ok, limited, other, all atomic.Int64
}

func (c *statusCounter) RoundTrip(req *http.Request) (*http.Response, error) {
	resp, err := c.base.RoundTrip(req)
	if err == nil {
		c.all.Add(1)
		switch {
		case resp.StatusCode == http.StatusTooManyRequests:
			c.limited.Add(1)
		case resp.StatusCode < 300:
			c.ok.Add(1)
		default:
			c.other.Add(1)
		}
	}
	return resp, err
}

// callers are Clients calling GET /campaigns on Yotpo from 3 goroutines
// each, without retries, until stop; errors other than the context's are
// passed to onErr.
type callers struct {
	sc     *statusCounter
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func startCallers(t *testing.T, srv *loyaltytest.Server, cfgs []loyalty.YotpoConfig, onErr func(error)) *callers {
	t.Helper()
	cs := &callers{sc: &statusCounter{base: srv.HTTPClient().Transport}}
	ctx, cancel := context.WithCancel(context.Background())
	cs.cancel = cancel
	clients := make([]*loyalty.Client, len(cfgs))
	for i, cfg := range cfgs {
		c, err := loyalty.NewClient(loyalty.WithYotpo(cfg), loyalty.WithHTTPClient(&http.Client{Transport: cs.sc}), loyalty.WithRetryPolicy(loyalty.NoRetry))
		if err != nil {
			t.Fatal(err)
		}
		clients[i] = c
	}
	// One call each first, not counted, so that connections (HTTP and
	// Redis) are open when the measured load starts.
	for _, c := range clients {
		req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/campaigns", nil)
		if _, err := c.Do(ctx, req, nil); err != nil && !errors.Is(err, loyalty.ErrRateLimited) {
			t.Fatal(err)
		}
	}
	time.Sleep(time.Second) // a fresh window
	cs.sc.ok.Store(0)
	cs.sc.limited.Store(0)
	cs.sc.other.Store(0)
	cs.sc.all.Store(0)
	for _, c := range clients {
		for range 3 {
			cs.wg.Add(1)
			go func() {
				defer cs.wg.Done()
				for ctx.Err() == nil {
					req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/campaigns", nil)
					if _, err := c.Do(ctx, req, nil); err != nil && ctx.Err() == nil && !errors.Is(err, loyalty.ErrRateLimited) {
						onErr(err)
						time.Sleep(10 * time.Millisecond) // Redis is down: do not spin
					}
				}
			}()
		}
	}
	return cs
}

func (cs *callers) stop() { cs.cancel(); cs.wg.Wait() }

// replicaConfigs are the Yotpo configs of n replicas, each with its own
// Redis connection pool, as separate processes have, sharing one limit.
func replicaConfigs(t *testing.T, srv *loyaltytest.Server, redisAddr string, n int, r rate.Limit) []loyalty.YotpoConfig {
	cfgs := make([]loyalty.YotpoConfig, n)
	for i := range cfgs {
		rdb := redis.NewClient(&redis.Options{Addr: redisAddr})
		t.Cleanup(func() { rdb.Close() })
		cfgs[i] = srv.YotpoConfig()
		cfgs[i].RateLimit = 0
		cfgs[i].Limiter = redisstore.New(rdb, "fleet:").Limiter("yotpo", r, 1)
	}
	return cfgs
}

// Four Clients, each with its own Redis connection, share one Yotpo limit
// for 20 s against the fake's: no 429, and at least 95 % of Yotpo's 10 a
// second used. First, for contrast, four Clients with their own limiters
// collect 429s.
func TestFleetSharesYotpoLimit(t *testing.T) {
	if testing.Short() {
		t.Skip("20 s")
	}
	rs := startRedis(t, false)
	srv := loyaltytest.New(t, loyaltytest.WithRateLimit())

	own := srv.YotpoConfig()
	own.RateLimit = 0 // each Client its own limiter at 10 a second
	cs := startCallers(t, srv, []loyalty.YotpoConfig{own, own, own, own}, func(err error) { t.Error(err) })
	time.Sleep(2 * time.Second)
	cs.stop()
	t.Logf("4 Clients with their own limiters, 2 s: %d answers, %d of them 429", cs.sc.all.Load(), cs.sc.limited.Load())
	if cs.sc.limited.Load() < 20 {
		t.Errorf("4 Clients with their own limiters got only %d 429s: the harness does not load the limit", cs.sc.limited.Load())
	}

	const d = 20 * time.Second
	cs = startCallers(t, srv, replicaConfigs(t, srv, rs.Addr(), 4, fleetRate), func(err error) { t.Error(err) })
	start := time.Now()
	time.Sleep(d)
	cs.stop()
	elapsed := time.Since(start)
	used := float64(cs.sc.ok.Load()) / (10 * elapsed.Seconds())
	t.Logf("4 Clients sharing a Redis limit at %v/s, %s: %d answers, %d 429, %d other; %.1f %% of Yotpo's 10/s used",
		fleetRate, elapsed.Round(time.Millisecond), cs.sc.all.Load(), cs.sc.limited.Load(), cs.sc.other.Load(), 100*used)
	if n := cs.sc.limited.Load(); n != 0 {
		t.Errorf("%d answers 429", n)
	}
	if used < 0.95 {
		t.Errorf("%.1f %% of the limit used; want at least 95 %%", 100*used)
	}
}

// hookFleet is replicas of a webhook receiver behind a load balancer that
// sends each delivery to a random replica, now and then a copy to another
// one at the same time, and now and then loses the answer (503 to the
// platform, which retries). The user's function fails now and then too.
type hookFleet struct {
	t        *testing.T
	replicas []http.Handler
	lb       *httptest.Server
	copies   sync.WaitGroup

	mu        sync.Mutex
	processed map[string]int // successful runs per event id
	running   map[string]bool
	overlaps  int // runs of an event while another run of it was going

	fnCalls, fnFails, lbRequests, lost, copied, storeErrs atomic.Int64
	spans                                                 []span // of the deliveries the balancer served
}

type span struct{ start, end time.Time }

// during counts the deliveries the balancer was serving at some time in
// [from, to).
func (f *hookFleet) during(from, to time.Time) int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, s := range f.spans {
		if s.start.Before(to) && s.end.After(from) {
			n++
		}
	}
	return n
}

// redisStores gives each replica its own connection to the Redis at addr.
func redisStores(t *testing.T, addr string) func() webhook.DedupStore {
	return func() webhook.DedupStore {
		rdb := redis.NewClient(&redis.Options{Addr: addr})
		t.Cleanup(func() { rdb.Close() })
		return redisstore.New(rdb, "hooks:").DedupStore(0)
	}
}

func newHookFleet(t *testing.T, newStore func() webhook.DedupStore, n int, lease time.Duration) *hookFleet {
	f := &hookFleet{t: t, processed: map[string]int{}, running: map[string]bool{}}
	rc, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"hook-token"}})
	if err != nil {
		t.Fatal(err)
	}
	for range n {
		store := newStore()
		f.replicas = append(f.replicas, rc.Handler(f.fn, webhook.HandlerOptions{
			Dedup: store, Lease: lease, StoreTimeout: 5 * time.Second,
			OnError: func(_ *http.Request, err error) {
				if errors.Is(err, context.Canceled) || !bytes.Contains([]byte(err.Error()), []byte("de-duplication store")) {
					return
				}
				f.storeErrs.Add(1)
			},
		}))
	}
	f.lb = httptest.NewServer(http.HandlerFunc(f.balance))
	t.Cleanup(f.lb.Close)
	return f
}

func (f *hookFleet) fn(_ context.Context, ev webhook.Event) error {
	f.fnCalls.Add(1)
	f.mu.Lock()
	if f.running[ev.ID] {
		f.overlaps++
	}
	f.running[ev.ID] = true
	f.mu.Unlock()
	time.Sleep(time.Duration(rand.N(2000)) * time.Microsecond)
	fail := rand.N(10) == 0
	f.mu.Lock()
	delete(f.running, ev.ID)
	if !fail {
		f.processed[ev.ID]++
	}
	f.mu.Unlock()
	if fail {
		f.fnFails.Add(1)
		return errors.New("the user's function failed")
	}
	return nil
}

func (f *hookFleet) balance(w http.ResponseWriter, r *http.Request) {
	f.lbRequests.Add(1)
	start := time.Now()
	defer func() {
		f.mu.Lock()
		f.spans = append(f.spans, span{start, time.Now()})
		f.mu.Unlock()
	}()
	body, err := io.ReadAll(r.Body)
	if err != nil {
		http.Error(w, "read", http.StatusBadRequest)
		return
	}
	pick := rand.N(len(f.replicas))
	if rand.N(4) == 0 { // a copy to another replica, at the same time
		f.copied.Add(1)
		other := (pick + 1 + rand.N(len(f.replicas)-1)) % len(f.replicas)
		f.copies.Add(1)
		go func() {
			defer f.copies.Done()
			f.replicas[other].ServeHTTP(httptest.NewRecorder(), cloneReq(r, body))
		}()
	}
	rec := httptest.NewRecorder()
	f.replicas[pick].ServeHTTP(rec, cloneReq(r, body))
	if rand.N(5) == 0 { // the answer is lost on the way back
		f.lost.Add(1)
		http.Error(w, "lost", http.StatusServiceUnavailable)
		return
	}
	w.WriteHeader(rec.Code)
}

func cloneReq(r *http.Request, body []byte) *http.Request {
	out := httptest.NewRequest(http.MethodPost, r.URL.String(), bytes.NewReader(body))
	out.Header = r.Header.Clone()
	return out
}

// check says every one of the want events was processed exactly once.
func (f *hookFleet) check(want int) {
	f.t.Helper()
	twice := f.twice()
	f.mu.Lock()
	defer f.mu.Unlock()
	for id, n := range f.processed {
		if n != 1 {
			f.t.Errorf("event %s processed %d times", id, n)
		}
	}
	f.t.Logf("%d events: %d processed, %d of them more than once, %d overlapping runs; %d deliveries reached the balancer (%d answers lost, %d copies to a second replica); the function ran %d times (%d failed); %d store errors reported",
		want, len(f.processed), twice, f.overlaps, f.lbRequests.Load(), f.lost.Load(), f.copied.Load(), f.fnCalls.Load(), f.fnFails.Load(), f.storeErrs.Load())
	if len(f.processed) != want {
		f.t.Errorf("%d events processed; want %d", len(f.processed), want)
	}
	if f.overlaps != 0 {
		f.t.Errorf("%d runs of an event while another run of it was going", f.overlaps)
	}
}

// twice counts the events processed more than once, once the copies in
// flight are done.
func (f *hookFleet) twice() int {
	f.copies.Wait()
	f.mu.Lock()
	defer f.mu.Unlock()
	n := 0
	for _, runs := range f.processed {
		if runs > 1 {
			n++
		}
	}
	return n
}

// createCustomers makes the fake emit n swell/account/created webhooks,
// one every gap.
// It may run in a goroutine of its own: it reports with t.Error, not
// t.Fatal, which must run on the test's goroutine.
func createCustomers(t *testing.T, c *loyalty.Client, n int, gap time.Duration) {
	for i := range n {
		req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/customers", map[string]any{"email": fmt.Sprintf("fan-%d@example.com", i)})
		if err != nil {
			t.Error(err)
			return
		}
		if _, err := c.Do(context.Background(), req, nil); err != nil {
			t.Error(err)
			return
		}
		time.Sleep(gap)
	}
}

func waitWebhooks(t *testing.T, srv *loyaltytest.Server) []loyaltytest.WebhookDelivery {
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	if err := srv.WaitForWebhooks(ctx); err != nil {
		t.Fatal(err)
	}
	return srv.WebhookDeliveries()
}

// Four webhook replicas share one Redis store while the fake delivers
// 1,000 events, with retries, through a balancer that picks replicas at
// random, copies deliveries and loses answers: every event is processed
// exactly once.
func TestFleetWebhooksProcessedOnce(t *testing.T) {
	rs := startRedis(t, false)
	srv := loyaltytest.New(t, loyaltytest.WithWebhookRetry(12, 5*time.Millisecond))
	// For contrast: replicas with stores of their own process duplicates.
	alone := newHookFleet(t, func() webhook.DedupStore { return webhook.NewMemoryStore(0, 0) }, 4, webhook.DefaultLease)
	other := loyaltytest.New(t, loyaltytest.WithWebhookRetry(12, 5*time.Millisecond))
	other.Yotpo().SetWebhook(alone.lb.URL, "Bearer hook-token")
	createCustomers(t, other.Client(), 200, 0)
	waitWebhooks(t, other)
	dup := alone.twice()
	t.Logf("replicas with a MemoryStore each: %d of 200 events processed more than once", dup)
	if dup == 0 {
		t.Error("replicas with stores of their own processed no event twice: the balancer does not test de-duplication")
	}

	f := newHookFleet(t, redisStores(t, rs.Addr()), 4, webhook.DefaultLease)
	srv.Yotpo().SetWebhook(f.lb.URL, "Bearer hook-token")
	const events = 1000
	createCustomers(t, srv.Client(), events, 0)
	deliveries := waitWebhooks(t, srv)
	f.check(events)
	if len(deliveries) != events {
		t.Fatalf("%d deliveries; want %d", len(deliveries), events)
	}
	attempts := 0
	for _, d := range deliveries {
		attempts += len(d.Attempts)
		if !d.Delivered {
			t.Errorf("delivery %d not delivered after %d attempts", d.ID, len(d.Attempts))
		}
	}
	t.Logf("%d deliveries, %d attempts", len(deliveries), attempts)
	if f.copied.Load() == 0 || f.lost.Load() == 0 || f.fnFails.Load() == 0 {
		t.Error("the balancer copied no delivery, lost no answer, or the function never failed: nothing was tested")
	}
}

// Redis restarts (with AOF persistence, as a store must run) while the fake
// delivers webhooks to four replicas and four Clients share a Yotpo limit:
// calls fail unsent with ErrLimiterUnavailable while Redis is down (never
// ErrMaybeApplied, no 429); deliveries wait for Redis within StoreTimeout or
// are answered 500 and retried; a Complete that fails is tried again until
// Redis is back; no event is processed twice, and every one is processed.
func TestFleetRedisRestart(t *testing.T) {
	rs := startRedis(t, true)
	hooks := loyaltytest.New(t, loyaltytest.WithWebhookRetry(14, 5*time.Millisecond))
	// A short lease, so that a claim whose answer was lost as Redis went
	// down does not hold its event past the test; runs take milliseconds.
	f := newHookFleet(t, redisStores(t, rs.Addr()), 4, 3*time.Second)
	hooks.Yotpo().SetWebhook(f.lb.URL, "Bearer hook-token")

	limited := loyaltytest.New(t, loyaltytest.WithRateLimit())
	var limiterErrs, otherErrs, maybeApplied atomic.Int64
	cs := startCallers(t, limited, replicaConfigs(t, limited, rs.Addr(), 4, restartRate), func(err error) {
		switch {
		case errors.Is(err, loyalty.ErrMaybeApplied):
			maybeApplied.Add(1)
		case errors.Is(err, loyalty.ErrLimiterUnavailable):
			limiterErrs.Add(1)
		default:
			otherErrs.Add(1)
			t.Error(err)
		}
	})

	const events = 600
	created := make(chan struct{})
	go func() { defer close(created); createCustomers(t, hooks.Client(), events, 5*time.Millisecond) }()
	time.Sleep(1500 * time.Millisecond)
	const down = 4 * time.Second
	rs.restart(down)
	okAtStart := cs.sc.ok.Load()
	time.Sleep(3 * time.Second)
	okAfter := cs.sc.ok.Load() - okAtStart
	<-created
	cs.stop()
	waitWebhooks(t, hooks)
	f.check(events)
	// Deliveries that met the outage wait for Redis in go-redis (within
	// StoreTimeout), or fail with a store error, are answered 500 and are
	// retried.
	met := f.during(rs.stopped, rs.launched)
	t.Logf("webhooks: %d deliveries met the outage, %d store errors reported", met, f.storeErrs.Load())
	if met == 0 {
		t.Error("no delivery met the outage: nothing was tested")
	}

	// The callers reserve turns ahead, up to one per goroutine (12 turns,
	// 1.33 s): those may still go out in the first moments of the outage,
	// a busy machine waking their timers late, but none later.
	r := restartRate
	ahead := time.Duration(12*float64(time.Second)/r) + time.Second
	sentDown := 0
	for _, r := range limited.Requests() {
		if r.Time.After(rs.stopped.Add(ahead)) && r.Time.Before(rs.launched) {
			sentDown++
		}
	}
	t.Logf("limiter: %d answers (%d 429), %d calls failed with ErrLimiterUnavailable, %d ErrMaybeApplied, %d other errors; %d calls sent from %s into the %s outage to its end, %d in the 3 s after",
		cs.sc.all.Load(), cs.sc.limited.Load(), limiterErrs.Load(), maybeApplied.Load(), otherErrs.Load(), sentDown, ahead, down, okAfter)
	if cs.sc.limited.Load() != 0 {
		t.Errorf("%d answers 429", cs.sc.limited.Load())
	}
	if limiterErrs.Load() == 0 {
		t.Error("no call failed with ErrLimiterUnavailable while Redis was down")
	}
	if maybeApplied.Load() != 0 {
		t.Errorf("%d calls ErrMaybeApplied", maybeApplied.Load())
	}
	if sentDown != 0 {
		t.Errorf("%d calls went out while Redis was down", sentDown)
	}
	if okAfter < 20 {
		t.Errorf("only %d calls in the 3 s after the restart", okAfter)
	}
}
