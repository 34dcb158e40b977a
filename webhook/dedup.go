package webhook

import (
	"container/list"
	"context"
	"sync"
	"time"
)

// Claim is the answer of DedupStore.Claim.
type Claim int

const (
	// ClaimNew: the key was not known and is now claimed by the caller, who
	// must end the claim with Complete or Release.
	ClaimNew Claim = iota
	// ClaimDone: an earlier delivery with this key was processed.
	ClaimDone
	// ClaimBusy: another delivery with this key is being processed now; its
	// outcome is unknown, so this one must be retried later.
	ClaimBusy
)

// DedupStore remembers which events were processed, so that a delivery seen
// twice (platforms deliver at least once) reaches the user once. Replicas of
// a service share deliveries only through a shared store (Redis SET NX with
// an expiry, a database row with a unique key, ...); MemoryStore serves one
// process. Keys are "<platform>:<event id>".
//
// Claim must be atomic: of two concurrent claims of a new key, exactly one
// gets ClaimNew. A claim is ended by Complete after success, which keeps the
// key as done, or by Release after failure, which forgets it so that the
// platform's retry is processed. A store should let claims expire too, so
// that a process that dies while holding one does not block the key forever.
type DedupStore interface {
	Claim(ctx context.Context, key string) (Claim, error)
	Complete(ctx context.Context, key string) error
	Release(ctx context.Context, key string) error
}

// Defaults of NewMemoryStore. No platform publishes its retry schedule;
// three days outlasts the usual schedules of a day or two.
const (
	DefaultDedupTTL        = 72 * time.Hour
	DefaultDedupMaxEntries = 100_000
)

// MemoryStore is an in-memory DedupStore with a time to live and a bound on
// its size. Keys expire ttl after they were claimed or completed; when the
// store is full, the entry closest to expiry is dropped, which may let a very
// late duplicate through. It is safe for concurrent use.
type MemoryStore struct {
	ttl time.Duration
	max int
	now func() time.Time // replaced in tests

	mu      sync.Mutex
	entries map[string]*list.Element // of *memoryEntry
	byAge   *list.List               // front expires first: every entry lives ttl
}

type memoryEntry struct {
	key     string
	done    bool
	expires time.Time
}

// NewMemoryStore returns a MemoryStore that remembers keys for ttl and holds
// at most maxEntries of them. Zero or negative values take the defaults.
func NewMemoryStore(ttl time.Duration, maxEntries int) *MemoryStore {
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	if maxEntries <= 0 {
		maxEntries = DefaultDedupMaxEntries
	}
	return &MemoryStore{ttl: ttl, max: maxEntries, now: time.Now, entries: map[string]*list.Element{}, byAge: list.New()}
}

// Claim implements DedupStore.
func (s *MemoryStore) Claim(_ context.Context, key string) (Claim, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	s.expire(now)
	if el, ok := s.entries[key]; ok {
		if el.Value.(*memoryEntry).done {
			return ClaimDone, nil
		}
		return ClaimBusy, nil
	}
	for len(s.entries) >= s.max {
		s.remove(s.byAge.Front())
	}
	s.entries[key] = s.byAge.PushBack(&memoryEntry{key: key, expires: now.Add(s.ttl)})
	return ClaimNew, nil
}

// Complete implements DedupStore. The key is kept for the TTL from now, even
// if its claim had been dropped meanwhile.
func (s *MemoryStore) Complete(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.now()
	if el, ok := s.entries[key]; ok {
		s.remove(el)
	}
	for len(s.entries) >= s.max {
		s.remove(s.byAge.Front())
	}
	s.entries[key] = s.byAge.PushBack(&memoryEntry{key: key, done: true, expires: now.Add(s.ttl)})
	return nil
}

// Release implements DedupStore. A key already completed stays done.
func (s *MemoryStore) Release(_ context.Context, key string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if el, ok := s.entries[key]; ok && !el.Value.(*memoryEntry).done {
		s.remove(el)
	}
	return nil
}

// expire drops the entries whose time is up; they sit at the front.
func (s *MemoryStore) expire(now time.Time) {
	for el := s.byAge.Front(); el != nil && !now.Before(el.Value.(*memoryEntry).expires); el = s.byAge.Front() {
		s.remove(el)
	}
}

func (s *MemoryStore) remove(el *list.Element) {
	delete(s.entries, el.Value.(*memoryEntry).key)
	s.byAge.Remove(el)
}
