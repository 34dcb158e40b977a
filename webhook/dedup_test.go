package webhook

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
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

// testLease is the lease of the claims of these tests: long enough that no
// lease runs out unless a test advances the clock past it.
const testLease = 10 * time.Minute

func claim(t *testing.T, s DedupStore, key string, want Claim) string {
	t.Helper()
	got, token, err := s.Claim(context.Background(), key, testLease)
	if err != nil || got != want {
		t.Fatalf("Claim(%q) = %v, %v; want %v", key, got, err, want)
	}
	if (token != "") != (want == ClaimNew) {
		t.Fatalf("Claim(%q) = %v with token %q", key, got, token)
	}
	return token
}

func TestMemoryStoreLifecycle(t *testing.T) {
	ctx := context.Background()
	s, _ := newTestStore(time.Hour, 10)
	tok := claim(t, s, "a", ClaimNew)
	claim(t, s, "a", ClaimBusy)
	if err := s.Release(ctx, "a", tok); err != nil {
		t.Fatal(err)
	}
	tok = claim(t, s, "a", ClaimNew) // a released claim is processed again
	if err := s.Complete(ctx, "a", tok); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "a", ClaimDone)
	_ = s.Release(ctx, "a", tok) // releasing a done key keeps it done
	claim(t, s, "a", ClaimDone)
	claim(t, s, "b", ClaimNew)
	if len(s.entries) != 2 {
		t.Errorf("Len = %d", len(s.entries))
	}
}

func TestMemoryStoreTTL(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(time.Hour, 10)
	tok := claim(t, s, "done", ClaimNew)
	_ = s.Complete(ctx, "done", tok)
	claim(t, s, "stuck", ClaimNew) // a claim whose holder died
	clock.advance(testLease - time.Second)
	claim(t, s, "stuck", ClaimBusy)
	clock.advance(time.Second)
	claim(t, s, "stuck", ClaimNew) // the dead claim's lease ran out: not the TTL
	clock.advance(59*time.Minute - testLease)
	claim(t, s, "done", ClaimDone)
	clock.advance(time.Minute)
	tok = claim(t, s, "done", ClaimNew) // expired: a late duplicate is new again
	if len(s.entries) != 1 {
		t.Errorf("Len = %d; want the fresh claim only (stuck's second lease ran out too)", len(s.entries))
	}
	// Complete restarts the TTL.
	clock.advance(5 * time.Minute)
	_ = s.Complete(ctx, "done", tok)
	clock.advance(45 * time.Minute)
	claim(t, s, "done", ClaimDone)
	claim(t, s, "stuck", ClaimNew)
}

// A claim whose lease ran out is claimed again; the stale holder can then
// neither release nor complete the newer claim.
func TestMemoryStoreStaleHolder(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(time.Hour, 10)
	stale := claim(t, s, "k", ClaimNew)
	clock.advance(testLease)
	fresh := claim(t, s, "k", ClaimNew)
	if fresh == stale {
		t.Fatalf("the new claim reuses token %q", stale)
	}
	if err := s.Release(ctx, "k", stale); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "k", ClaimBusy) // the stale Release left the new claim alone
	if err := s.Complete(ctx, "k", stale); !errors.Is(err, ErrClaimLost) {
		t.Fatalf("stale Complete: %v; want ErrClaimLost", err)
	}
	claim(t, s, "k", ClaimBusy) // nor did the stale Complete mark it done
	if err := s.Release(ctx, "k", fresh); err != nil {
		t.Fatal(err)
	}
	fresh = claim(t, s, "k", ClaimNew)
	if err := s.Complete(ctx, "k", fresh); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "k", ClaimDone)
	if err := s.Release(ctx, "k", ""); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "k", ClaimDone)

	// A stale holder whose key nobody claimed since still records success.
	stale = claim(t, s, "late", ClaimNew)
	clock.advance(testLease)
	if err := s.Complete(ctx, "late", stale); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "late", ClaimDone)
}

// A full store never drops a claim in progress: with max=2, two claims in
// flight make the third an error, not a ClaimNew for a copy of the first.
func TestMemoryStoreFullOfClaims(t *testing.T) {
	ctx := context.Background()
	s, clock := newTestStore(time.Hour, 2)
	a := claim(t, s, "a", ClaimNew)
	claim(t, s, "b", ClaimNew)
	if c, _, err := s.Claim(ctx, "c", testLease); !errors.Is(err, ErrStoreFull) {
		t.Fatalf("Claim(c) on a store full of claims = %v, %v; want ErrStoreFull", c, err)
	}
	claim(t, s, "a", ClaimBusy) // the first claim is still held
	claim(t, s, "b", ClaimBusy)
	// A done key is dropped to make room.
	if err := s.Complete(ctx, "a", a); err != nil {
		t.Fatal(err)
	}
	claim(t, s, "c", ClaimNew)
	claim(t, s, "b", ClaimBusy)
	// The done key was the one forgotten; a would be new, but b and c are in
	// progress.
	if _, _, err := s.Claim(ctx, "a", testLease); !errors.Is(err, ErrStoreFull) {
		t.Fatalf("Claim(a): %v; want ErrStoreFull", err)
	}
	// A claim whose lease ran out makes room.
	clock.advance(testLease)
	claim(t, s, "a", ClaimNew)
}

// Concurrent claims, releases and completions of a few keys in a small
// store: two runs never hold a key at once, and the store's lists stay
// consistent with its map and bound.
func TestMemoryStoreConcurrentLeases(t *testing.T) {
	s, _ := newTestStore(time.Hour, 2)
	var (
		wg      sync.WaitGroup
		mu      sync.Mutex
		holding = map[string]string{} // key -> token of the run in progress
	)
	for g := range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			ctx := context.Background()
			for i := range 300 {
				key := fmt.Sprint((g + i) % 3)
				c, tok, err := s.Claim(ctx, key, time.Minute)
				if err != nil {
					if !errors.Is(err, ErrStoreFull) {
						t.Error(err)
					}
					continue
				}
				if c != ClaimNew {
					continue
				}
				mu.Lock()
				if prev := holding[key]; prev != "" {
					t.Errorf("key %s claimed by %s while %s holds it", key, tok, prev)
				}
				holding[key] = tok
				mu.Unlock()
				// A stale token never ends this claim.
				_ = s.Release(ctx, key, "stale")
				mu.Lock()
				delete(holding, key)
				mu.Unlock()
				if i%4 != 0 {
					_ = s.Release(ctx, key, tok)
				} else if err := s.Complete(ctx, key, tok); err != nil {
					t.Error(err)
				}
			}
		}()
	}
	wg.Wait()
	s.mu.Lock()
	defer s.mu.Unlock()
	if n := len(s.entries); n > 2 || n != s.done.Len()+s.busy.Len() || s.busy.Len() != 0 {
		t.Errorf("entries %d, done %d, busy %d", n, s.done.Len(), s.busy.Len())
	}
}

// deliverYotpo serves an unauthenticated Yotpo delivery with message id id.
func deliverYotpo(h http.Handler, id string) int {
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"topic":"loyalty/opt_in"}`))
	r.Header.Set("WebhookMessageId", id)
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	return w.Code
}

// gate blocks the user's function of each event until told to return.
type gate struct {
	mu      sync.Mutex
	calls   map[string]int
	entered chan string
	result  map[string]chan error
}

func newGate() *gate {
	return &gate{calls: map[string]int{}, entered: make(chan string, 16), result: map[string]chan error{}}
}

func (g *gate) ch(id string) chan error {
	g.mu.Lock()
	defer g.mu.Unlock()
	if g.result[id] == nil {
		g.result[id] = make(chan error, 4)
	}
	return g.result[id]
}

// fn waits for its result on ch("<id>#<n>"), n counting the calls of id.
func (g *gate) fn(_ context.Context, ev Event) error {
	g.mu.Lock()
	g.calls[ev.ID]++
	n := g.calls[ev.ID]
	g.mu.Unlock()
	g.entered <- ev.ID
	return <-g.ch(fmt.Sprintf("%s#%d", ev.ID, n))
}

func (g *gate) count(id string) int {
	g.mu.Lock()
	defer g.mu.Unlock()
	return g.calls[id]
}

// With a store of two entries and two events in progress, neither a third
// event nor a copy of the first may evict a claim in progress: both get 503,
// and the user's function never runs twice at once for one event.
func TestHandlerFullStoreNeverEvictsInProgress(t *testing.T) {
	rc, _ := NewYotpo(YotpoConfig{InsecureSkipVerify: true})
	s, _ := newTestStore(time.Hour, 2)
	g := newGate()
	h := rc.Handler(g.fn, HandlerOptions{Dedup: s})
	codes := make(chan int, 2)
	for _, id := range []string{"a", "b"} {
		go func() { codes <- deliverYotpo(h, id) }()
		<-g.entered
	}
	if code := deliverYotpo(h, "c"); code != http.StatusServiceUnavailable {
		t.Errorf("third event on a full store: %d; want 503", code)
	}
	if code := deliverYotpo(h, "a"); code != http.StatusServiceUnavailable || g.count("a") != 1 {
		t.Errorf("copy of a: %d after %d calls; want 503 after 1", code, g.count("a"))
	}
	g.ch("a#1") <- nil
	g.ch("b#1") <- errors.New("failed")
	for range 2 {
		<-codes
	}
	go func() { g.ch("c#1") <- nil }()
	if code := deliverYotpo(h, "c"); code != http.StatusOK || g.count("c") != 1 {
		t.Errorf("c once there is room: %d, %d calls", code, g.count("c"))
	}
	<-g.entered
}

// A run that outlives its lease: a copy is processed after the lease (not
// after the TTL), and when the stale run then fails, its Release does not
// free the newer run's claim.
func TestHandlerLeaseAndStaleRelease(t *testing.T) {
	rc, _ := NewYotpo(YotpoConfig{InsecureSkipVerify: true})
	s, clock := newTestStore(72*time.Hour, 10)
	g := newGate()
	var errs []error
	var mu sync.Mutex
	h := rc.Handler(g.fn, HandlerOptions{Dedup: s, Lease: time.Minute, OnError: func(_ *http.Request, err error) {
		mu.Lock()
		defer mu.Unlock()
		errs = append(errs, err)
	}})
	first, second := make(chan int, 1), make(chan int, 1)
	go func() { first <- deliverYotpo(h, "m") }()
	<-g.entered
	if code := deliverYotpo(h, "m"); code != http.StatusServiceUnavailable {
		t.Fatalf("copy within the lease: %d; want 503", code)
	}
	clock.advance(time.Minute) // the first run is stuck past its lease
	go func() { second <- deliverYotpo(h, "m") }()
	<-g.entered
	if g.count("m") != 2 {
		t.Fatalf("calls %d; the copy after the lease must run", g.count("m"))
	}
	g.ch("m#1") <- errors.New("stale run fails")
	if code := <-first; code != http.StatusInternalServerError {
		t.Fatalf("first: %d; want 500", code)
	}
	if code := deliverYotpo(h, "m"); code != http.StatusServiceUnavailable {
		t.Fatalf("copy while the newer run holds the key: %d; want 503 (a stale Release freed it)", code)
	}
	g.ch("m#2") <- nil
	if code := <-second; code != http.StatusOK {
		t.Fatalf("second: %d", code)
	}
	if code := deliverYotpo(h, "m"); code != http.StatusOK || g.count("m") != 2 {
		t.Fatalf("duplicate after success: %d, %d calls", code, g.count("m"))
	}
	mu.Lock()
	defer mu.Unlock()
	if len(errs) != 3 { // two 503 and the 500
		t.Errorf("OnError: %v", errs)
	}
}

// Three identical daily Yotpo reminders without WebhookMessageId, received
// on three days: each is processed once; a same-day redelivery is dropped.
func TestYotpoDailyReminderWithoutMessageID(t *testing.T) {
	rc, _ := NewYotpo(YotpoConfig{InsecureSkipVerify: true})
	clock := &fakeClock{t: time.Date(2024, 5, 1, 17, 0, 0, 0, time.UTC)}
	rc.now = clock.now
	calls := 0
	h := rc.Handler(func(context.Context, Event) error { calls++; return nil }, HandlerOptions{})
	for _, topic := range []string{"swell/points/reminder", "swell/redemption/reminder", "loyalty/expiration/reminder", "swell/customer/birthday", "swell/customer/anniversary"} {
		calls = 0
		body := `{"topic":"` + topic + `","email":"ana@example.com","customer":{"email":"ana@example.com"},"points_needed":50}`
		deliver := func() int {
			r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(body))
			w := httptest.NewRecorder()
			h.ServeHTTP(w, r)
			return w.Code
		}
		for day := range 3 {
			if code := deliver(); code != http.StatusOK || calls != day+1 {
				t.Fatalf("%s, day %d: %d after %d calls; want a new event each day", topic, day+1, code, calls)
			}
			clock.advance(time.Hour)
			if code := deliver(); code != http.StatusOK || calls != day+1 {
				t.Fatalf("%s, day %d redelivered: %d after %d calls; want a duplicate", topic, day+1, code, calls)
			}
			clock.advance(23 * time.Hour)
		}
	}
	// Other topics keep the bare body hash: a repeated body is a duplicate.
	ev, _ := parseYotpo([]byte(`{"topic":"loyalty/opt_in"}`), "", clock.now())
	if ev.ID != contract.SHA256Hex([]byte(`{"topic":"loyalty/opt_in"}`)) {
		t.Errorf("opt_in id %q", ev.ID)
	}
	ev, _ = parseYotpo([]byte(`{"topic":"swell/points/reminder"}`), "", time.Date(2024, 5, 2, 23, 0, 0, 0, time.FixedZone("", -3600)))
	if want := contract.SHA256Hex([]byte(`{"topic":"swell/points/reminder"}`)) + ":2024-05-03"; ev.ID != want {
		t.Errorf("reminder id %q; want %q (UTC date)", ev.ID, want)
	}
	ev, _ = parseYotpo([]byte(`{"topic":"swell/points/reminder"}`), "msg-9", clock.now())
	if ev.ID != "msg-9" {
		t.Errorf("with a message id: %q", ev.ID)
	}
}

// A zero MemoryStore is ready to use: it used to panic on a nil map.
func TestZeroMemoryStore(t *testing.T) {
	var s MemoryStore
	ctx := context.Background()
	claim, token, err := s.Claim(ctx, "evt-1", 0)
	if err != nil || claim != ClaimNew || token == "" {
		t.Fatalf("Claim: %v %q %v", claim, token, err)
	}
	if claim, _, _ := s.Claim(ctx, "evt-1", 0); claim != ClaimBusy {
		t.Fatalf("second Claim while the first runs: %v, want busy", claim)
	}
	if err := s.Complete(ctx, "evt-1", token); err != nil {
		t.Fatal(err)
	}
	if claim, _, _ := s.Claim(ctx, "evt-1", 0); claim != ClaimDone {
		t.Fatalf("Claim after Complete: %v, want done", claim)
	}
	if s.ttl != DefaultDedupTTL || s.max != DefaultDedupMaxEntries {
		t.Fatalf("defaults: ttl %v, max %d", s.ttl, s.max)
	}
	var r MemoryStore
	if err := r.Release(ctx, "evt-2", "x"); err != nil {
		t.Fatal(err)
	}
}

// failingCompletes fails the first n Completes, as a shared store that is
// restarting does.
type failingCompletes struct {
	*MemoryStore
	mu       sync.Mutex
	n, calls int
}

func (s *failingCompletes) Complete(ctx context.Context, key, token string) error {
	s.mu.Lock()
	s.calls++
	fail := s.calls <= s.n
	s.mu.Unlock()
	if fail {
		return errors.New("connection refused")
	}
	return s.MemoryStore.Complete(ctx, key, token)
}

// A Complete that fails after the event was handled is tried again: the
// event is recorded, and a redelivery is a duplicate, not a 503 until the
// lease runs out and then a second run.
func TestHandlerRetriesFailedComplete(t *testing.T) {
	rc, _ := NewYotpo(YotpoConfig{InsecureSkipVerify: true})
	s := &failingCompletes{MemoryStore: NewMemoryStore(0, 0), n: 2}
	var calls, errs int
	h := rc.Handler(func(context.Context, Event) error { calls++; return nil },
		HandlerOptions{Dedup: s, OnError: func(*http.Request, error) { errs++ }})
	if code := deliverYotpo(h, "m"); code != http.StatusOK {
		t.Fatalf("first delivery: %d", code)
	}
	if code := deliverYotpo(h, "m"); code != http.StatusOK || calls != 1 {
		t.Fatalf("redelivery: %d after %d calls; want 200 after 1 (recorded done)", code, calls)
	}
	if s.calls != 3 || errs != 0 {
		t.Errorf("Complete called %d times, OnError %d; want 3 and 0", s.calls, errs)
	}
}

// A default MemoryStore whose Complete fails (full of claims in progress
// once the event's own lease ran out) is retried within StoreTimeout, as for
// any store: the handler answers, instead of trying again for as long as the
// request lives (httptest's never ends).
func TestHandlerMemoryStoreCompleteBounded(t *testing.T) {
	rc, _ := NewYotpo(YotpoConfig{InsecureSkipVerify: true})
	now := time.Unix(1_700_000_000, 0)
	s := NewMemoryStore(0, 1)
	s.now = func() time.Time { return now }
	var errs []error
	h := rc.Handler(func(ctx context.Context, _ Event) error {
		now = now.Add(time.Hour) // the event's lease runs out while it runs
		if claim, _, err := s.Claim(ctx, "other", 0); err != nil || claim != ClaimNew {
			t.Errorf("Claim of another key: %v, %v", claim, err)
		}
		return nil
	}, HandlerOptions{Dedup: s, StoreTimeout: 100 * time.Millisecond, OnError: func(_ *http.Request, err error) { errs = append(errs, err) }})
	done := make(chan int, 1)
	go func() { done <- deliverYotpo(h, "m") }()
	select {
	case code := <-done:
		if code != http.StatusOK {
			t.Errorf("delivery: %d, want 200 (the event was handled)", code)
		}
	case <-time.After(5 * time.Second):
		t.Fatal("the handler still retries a failing MemoryStore.Complete after 5 s (StoreTimeout 100 ms)")
	}
	if len(errs) != 1 || !errors.Is(errs[0], ErrStoreFull) {
		t.Errorf("OnError got %v, want one ErrStoreFull", errs)
	}
}

// entryList, MemoryStore's intrusive list, keeps order and links when
// entries leave from its front, middle and back.
func TestEntryList(t *testing.T) {
	var l entryList
	es := make([]*memoryEntry, 5)
	for i := range es {
		es[i] = &memoryEntry{key: fmt.Sprint(i)}
		l.pushBack(es[i])
	}
	order := func() string {
		var fwd, back []string
		for e := l.front; e != nil; e = e.next {
			fwd = append(fwd, e.key)
		}
		for e := l.back; e != nil; e = e.prev {
			back = append([]string{e.key}, back...)
		}
		if f, b := strings.Join(fwd, ""), strings.Join(back, ""); f != b || len(fwd) != l.Len() {
			t.Fatalf("forward %q, backward %q, Len %d", f, b, l.Len())
		}
		return strings.Join(fwd, "")
	}
	for _, step := range []struct {
		remove int
		want   string
	}{{2, "0134"}, {0, "134"}, {4, "13"}, {1, "3"}, {3, ""}} {
		l.remove(es[step.remove])
		if got := order(); got != step.want {
			t.Fatalf("after removing %d: %q; want %q", step.remove, got, step.want)
		}
	}
	l.pushBack(es[2]) // a removed entry can be pushed again
	if got := order(); got != "2" {
		t.Fatalf("%q; want 2", got)
	}
}

// Claim tokens, sliced from batches, differ from claim to claim, across
// batches and for the same key claimed again.
func TestMemoryStoreTokensUnique(t *testing.T) {
	ctx := context.Background()
	var s MemoryStore // the zero value
	seen := map[string]bool{}
	for i := range 3*tokenBatch + 5 {
		key := fmt.Sprint("k", i%7)
		c, tok, err := s.Claim(ctx, key, time.Hour)
		if err != nil || c != ClaimNew || len(tok) != tokenWidth || seen[tok] {
			t.Fatalf("claim %d: %v %q %v (seen %v)", i, c, tok, err, seen[tok])
		}
		seen[tok] = true
		if err := s.Release(ctx, key, tok); err != nil {
			t.Fatal(err)
		}
	}
}
