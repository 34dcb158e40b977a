package webhook

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"sync"
	"time"
)

// Claim is the answer of DedupStore.Claim.
type Claim int

const (
	// ClaimNew: the key was not known (or its last claim's lease ran out) and
	// is now claimed by the caller, who must end the claim with Complete or
	// Release, presenting the token Claim returned.
	ClaimNew Claim = iota
	// ClaimDone: an earlier delivery with this key was processed.
	ClaimDone
	// ClaimBusy: another delivery with this key is being processed now and
	// its lease has not run out; its outcome is unknown, so this one must be
	// retried later.
	ClaimBusy
)

// Store errors.
var (
	// ErrStoreFull: a bounded store holds only events in progress and cannot
	// take another claim without forgetting one of them. The handler answers
	// 503 so that the platform retries.
	ErrStoreFull = errors.New("webhook: de-duplication store is full of events in progress")
	// ErrClaimLost: Complete was given a token that no longer holds the key:
	// the claim's lease ran out and another delivery claimed the key.
	ErrClaimLost = errors.New("webhook: de-duplication claim lost (its lease ran out)")
)

// DedupStore remembers which events were processed, so that a delivery seen
// twice (platforms deliver at least once) reaches the user once. Replicas of
// a service share deliveries only through a shared store (Redis SET NX with
// an expiry, a database row with a unique key, ...); MemoryStore serves one
// process. Keys are "<platform>:<Event.ID>".
//
// A key is in one of three states: unknown, claimed (in progress) or done.
//
//   - Claim must be atomic: of two concurrent claims of an unknown key,
//     exactly one gets ClaimNew, with a token that identifies this claim and
//     no other (a random value, or a counter no earlier claim of the key
//     used). The claim holds for lease; once the lease has run out the key
//     may be claimed again, with a new token, so that a process that died
//     holding a claim does not block the key for long. A store must never
//     drop a claim whose lease is running, not even to make room: when it
//     cannot take a claim without doing so it returns an error (such as
//     ErrStoreFull), and the delivery is answered 503 and retried.
//   - Complete(key, token) records the key as done (for the store's time to
//     live) after success. It acts only when token holds the key, or when
//     the key is unknown (the lease ran out and nobody claimed it since);
//     when a newer claim holds the key it must leave that claim alone and
//     return ErrClaimLost. Completing a done key keeps it done.
//   - Release(key, token) forgets the claim after failure, so that the
//     platform's retry is processed. It acts only when token holds the key:
//     a stale holder must not release a newer claim, and a done key stays
//     done.
//
// A lease shorter than a run of the user's function lets a retry run it
// again concurrently, so the lease bounds how long one event may take. A
// store whose calls cannot block may say so with NonBlockingStore.
type DedupStore interface {
	Claim(ctx context.Context, key string, lease time.Duration) (claim Claim, token string, err error)
	Complete(ctx context.Context, key, token string) error
	Release(ctx context.Context, key, token string) error
}

// Defaults of NewMemoryStore. No platform publishes its retry schedule;
// three days outlasts the usual schedules of a day or two.
const (
	DefaultDedupTTL        = 72 * time.Hour
	DefaultDedupMaxEntries = 100_000
)

// MemoryStore is an in-memory DedupStore with a time to live for done keys
// and a bound on its size. Done keys expire ttl after they were completed;
// claims expire when their lease runs out. When the store is full, the done
// key closest to expiry is dropped, which may let a very late duplicate
// through; a claim in progress is never dropped to make room, and Claim
// returns ErrStoreFull when every entry is one. It is safe for concurrent
// use. The zero value is ready to use, with the defaults of NewMemoryStore.
type MemoryStore struct {
	ttl time.Duration
	max int
	now func() time.Time // replaced in tests

	mu      sync.Mutex
	seq     uint64                  // the last token formatted
	tokens  string                  // the next tokens, formatted (see nextToken)
	entries map[string]*memoryEntry // each in done or busy
	done    entryList               // done keys, front expires first: each lives ttl
	busy    entryList               // claims in progress, in claim order
}

// memoryEntry is a key of a MemoryStore and its node in done or busy: the
// list is intrusive, so that a key costs one allocation, not an entry and a
// list element (and another element when it moves from busy to done).
type memoryEntry struct {
	key        string
	token      string // of a claim; "" once done
	expires    time.Time
	prev, next *memoryEntry
}

// entryList is a doubly linked list of entries, oldest at the front.
type entryList struct {
	front, back *memoryEntry
	n           int
}

// Len returns the number of entries in l.
func (l *entryList) Len() int { return l.n }

func (l *entryList) pushBack(e *memoryEntry) {
	e.prev, e.next = l.back, nil
	if l.back != nil {
		l.back.next = e
	} else {
		l.front = e
	}
	l.back = e
	l.n++
}

// remove takes e, which must be in l, out of l.
func (l *entryList) remove(e *memoryEntry) {
	if e.prev != nil {
		e.prev.next = e.next
	} else {
		l.front = e.next
	}
	if e.next != nil {
		e.next.prev = e.prev
	} else {
		l.back = e.prev
	}
	e.prev, e.next = nil, nil
	l.n--
}

// NewMemoryStore returns a MemoryStore that remembers done keys for ttl and
// holds at most maxEntries keys. Zero or negative values take the defaults.
func NewMemoryStore(ttl time.Duration, maxEntries int) *MemoryStore {
	if ttl <= 0 {
		ttl = DefaultDedupTTL
	}
	if maxEntries <= 0 {
		maxEntries = DefaultDedupMaxEntries
	}
	return &MemoryStore{ttl: ttl, max: maxEntries}
}

// ready fills in what a zero MemoryStore lacks; s.mu is held.
func (s *MemoryStore) ready() {
	if s.entries != nil {
		return
	}
	if s.ttl <= 0 {
		s.ttl = DefaultDedupTTL
	}
	if s.max <= 0 {
		s.max = DefaultDedupMaxEntries
	}
	if s.now == nil {
		s.now = time.Now
	}
	s.entries = map[string]*memoryEntry{}
}

// Claim implements DedupStore. A lease of zero or less means DefaultLease.
func (s *MemoryStore) Claim(_ context.Context, key string, lease time.Duration) (Claim, string, error) {
	if lease <= 0 {
		lease = DefaultLease
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ready()
	now := s.now()
	s.expire(now)
	if e, ok := s.entries[key]; ok {
		if e.token == "" {
			return ClaimDone, "", nil
		}
		if now.Before(e.expires) {
			return ClaimBusy, "", nil
		}
		s.remove(e) // its lease ran out
	}
	if !s.makeRoom(now) {
		return 0, "", ErrStoreFull
	}
	token := s.nextToken()
	e := &memoryEntry{key: key, token: token, expires: now.Add(lease)}
	s.entries[key] = e
	s.busy.pushBack(e)
	return ClaimNew, token, nil
}

// Claim tokens are the store's counter in base 36, tokenWidth digits (any
// uint64), formatted tokenBatch at a time into one string that nextToken
// slices: one allocation per tokenBatch claims instead of one per claim. A
// token held by a claim keeps its batch's string (tokenBatch*tokenWidth
// bytes) alive.
const (
	tokenWidth = 13
	tokenBatch = 32
)

// nextToken returns a token no earlier claim had; s.mu is held.
func (s *MemoryStore) nextToken() string {
	if s.tokens == "" {
		var b strings.Builder
		b.Grow(tokenBatch * tokenWidth)
		var digits [tokenWidth]byte
		for range tokenBatch {
			s.seq++
			d := strconv.AppendUint(digits[:0], s.seq, 36)
			for range tokenWidth - len(d) {
				b.WriteByte('0')
			}
			b.Write(d)
		}
		s.tokens = b.String()
	}
	token := s.tokens[:tokenWidth]
	s.tokens = s.tokens[tokenWidth:]
	return token
}

// Complete implements DedupStore. The key is kept for the TTL from now.
func (s *MemoryStore) Complete(_ context.Context, key, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ready()
	now := s.now()
	if e, ok := s.entries[key]; ok {
		switch {
		case e.token == "": // done already: keep it so
			return nil
		case e.token != token && now.Before(e.expires):
			return ErrClaimLost
		}
		s.busy.remove(e)
		e.token, e.expires = "", now.Add(s.ttl) // the claim's entry, reused
		s.done.pushBack(e)
		return nil
	}
	if !s.makeRoom(now) {
		return ErrStoreFull
	}
	e := &memoryEntry{key: key, expires: now.Add(s.ttl)}
	s.entries[key] = e
	s.done.pushBack(e)
	return nil
}

// NeverBlocks implements NonBlockingStore: a MemoryStore's calls take its
// mutex and wait on nothing else.
func (s *MemoryStore) NeverBlocks() bool { return true }

// Release implements DedupStore. Only the holder of the claim releases it.
func (s *MemoryStore) Release(_ context.Context, key, token string) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.ready()
	if e, ok := s.entries[key]; ok && token != "" && e.token == token {
		s.remove(e)
	}
	return nil
}

// expire drops the done keys whose time is up, which sit at the front of
// done, and the claims whose lease ran out at the front of busy (claims are
// also checked one by one where they are found).
func (s *MemoryStore) expire(now time.Time) {
	for _, l := range [...]*entryList{&s.done, &s.busy} {
		for e := l.front; e != nil && !now.Before(e.expires); e = l.front {
			s.remove(e)
		}
	}
}

// makeRoom makes room for one entry, dropping the oldest done key or, when
// there is none, expired claims; it reports false when every entry is a
// claim whose lease is running.
func (s *MemoryStore) makeRoom(now time.Time) bool {
	for len(s.entries) >= s.max {
		if e := s.done.front; e != nil {
			s.remove(e)
			continue
		}
		// Leases may differ, so busy is not sorted by expiry: look at all.
		freed := false
		for e := s.busy.front; e != nil; {
			next := e.next
			if !now.Before(e.expires) {
				s.remove(e)
				freed = true
			}
			e = next
		}
		if !freed {
			return false
		}
	}
	return true
}

func (s *MemoryStore) remove(e *memoryEntry) {
	delete(s.entries, e.key)
	if e.token == "" {
		s.done.remove(e)
	} else {
		s.busy.remove(e)
	}
}
