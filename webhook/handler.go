package webhook

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"time"
)

// DefaultMaxBodyBytes caps a delivery's body when HandlerOptions sets no cap.
const DefaultMaxBodyBytes = 1 << 20

// busyRetryAfter is the Retry-After, in seconds, of a delivery answered 503
// because a copy of it is being processed or the store is full.
const busyRetryAfter = 5

// preallocMax is the most readBody reserves from a Content-Length before
// the bytes arrive: well above a delivery's usual few KiB.
const preallocMax = 64 << 10

// Defaults of HandlerOptions.
const (
	// DefaultLease is how long a claim on an event in progress holds when
	// HandlerOptions sets no Lease.
	DefaultLease = 5 * time.Minute
	// DefaultStoreTimeout bounds each call to the de-duplication store when
	// HandlerOptions sets no StoreTimeout.
	DefaultStoreTimeout = 10 * time.Second
)

// HandlerOptions tunes Receiver.Handler. The zero value is ready to use.
type HandlerOptions struct {
	// MaxBodyBytes caps the body; a larger one is answered 413. Zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Dedup remembers processed events, by Event.ID.
	// Nil means a MemoryStore
	// with its defaults, private to this handler. A Yotpo delivery without
	// WebhookMessageId is keyed by the SHA-256 of its body; for the daily
	// topics (reminders, birthdays, anniversaries), whose bodies repeat, the
	// UTC date of receipt is part of the key, so each day's delivery is
	// processed and only same-day redeliveries are dropped (see ParseYotpo).
	Dedup DedupStore
	// Lease is how long the claim of an event in progress holds. A copy of
	// the event that arrives meanwhile is answered 503; once the lease has
	// run out (the process died, or fn is stuck) a copy is processed again,
	// even if the first run is still going. Set it above the longest run of
	// fn. Zero means DefaultLease.
	Lease time.Duration
	// StoreTimeout bounds each call to Dedup, so that a hung shared store
	// cannot hold a request forever. Complete and Release run with it even
	// when the request was cancelled; a Complete that fails is tried again
	// within it, so that a store restarting briefly does not leave a
	// handled event unrecorded. A store that is down thus holds the answer
	// up to StoreTimeout: keep it below the platform's delivery timeout,
	// or the platform retries a delivery that was handled. A
	// NonBlockingStore is called without it (its retries of Complete stay
	// within it). Zero means DefaultStoreTimeout.
	StoreTimeout time.Duration
	// OnError, when set, is told why a delivery was not answered 200, and
	// about de-duplication store failures after a success. Errors never hold
	// secrets. It must be safe for concurrent use.
	OnError func(r *http.Request, err error)
	// Observer, when set, is told about every delivery and event (see
	// Observer); fn then gets the context its StartEvent returned.
	Observer *Observer
}

// Handler returns an http.Handler that receives the platform's deliveries
// and calls fn once per new event, with the request's context:
//
//   - 405 for a method other than POST;
//   - 413 when the body exceeds the cap;
//   - 401 when verification fails; the body is not parsed;
//   - 400 when the body is malformed;
//   - 200 when every event is new and fn succeeds, or was processed before
//     (fn is not called again);
//   - 503 with Retry-After when a copy of an event is being processed (its
//     claim's lease is running) or the store is full of events in progress;
//   - 500 when fn (or the store's Claim) fails. The failed event is released, not
//     recorded, so the platform's retry processes it; the events before it
//     in a Qualifio batch are recorded and skipped on retry, the ones after
//     it are left for the retry.
//
// fn must not be nil.
func (rc *Receiver) Handler(fn func(ctx context.Context, ev Event) error, opts HandlerOptions) http.Handler {
	if fn == nil {
		panic("webhook: Receiver.Handler: nil fn")
	}
	if opts.MaxBodyBytes <= 0 {
		opts.MaxBodyBytes = DefaultMaxBodyBytes
	}
	if opts.Dedup == nil {
		opts.Dedup = NewMemoryStore(0, 0)
	}
	if opts.Lease <= 0 {
		opts.Lease = DefaultLease
	}
	if opts.StoreTimeout <= 0 {
		opts.StoreTimeout = DefaultStoreTimeout
	}
	nb, _ := opts.Dedup.(NonBlockingStore)
	return &handler{rc: rc, fn: fn, opts: opts, nonBlocking: nb != nil && nb.NeverBlocks()}
}

type handler struct {
	rc   *Receiver
	fn   func(context.Context, Event) error
	opts HandlerOptions
	// nonBlocking: opts.Dedup never blocks (see NonBlockingStore).
	nonBlocking bool
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if h.opts.Observer != nil {
		h.observeDelivery(w, r)
		return
	}
	h.serve(w, r, nil)
}

// serve answers one delivery; events, when not nil, is set to the number
// of events it holds once it is parsed.
func (h *handler) serve(w http.ResponseWriter, r *http.Request, events *int) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(w, r, http.StatusMethodNotAllowed, fmt.Errorf("webhook: method %s not allowed", r.Method))
		return
	}
	if r.ContentLength > h.opts.MaxBodyBytes {
		h.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("webhook: body of %d bytes over the cap of %d", r.ContentLength, h.opts.MaxBodyBytes))
		return
	}
	body, err := readBody(w, r, h.opts.MaxBodyBytes)
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("webhook: body over the cap of %d bytes", h.opts.MaxBodyBytes))
			return
		}
		h.fail(w, r, http.StatusBadRequest, fmt.Errorf("webhook: reading body: %w", err))
		return
	}
	if err := h.rc.verify(r.Header, h.rc.query(r), body); err != nil {
		h.fail(w, r, http.StatusUnauthorized, err)
		return
	}
	evs, err := h.rc.parse(r.Header, body)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err)
		return
	}
	if events != nil {
		*events = len(evs)
	}
	keys := dedupKeys(evs)
	for i := range evs {
		ev := &evs[i]
		key := keys[:len(ev.Platform)+1+len(ev.ID)]
		keys = keys[len(key):]
		var ok bool
		if h.opts.Observer != nil {
			ok = h.observeEvent(w, r, ev, key)
		} else {
			ok = h.event(w, r, ev, key, nil)
		}
		if !ok {
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// dedupKeys returns the de-duplication keys of evs, "<platform>:<id>", end
// to end in one string (one allocation per delivery, not one per event).
// A store that keeps a key keeps that string alive: a few dozen bytes per
// event of the delivery.
func dedupKeys(evs []Event) string {
	n := 0
	for i := range evs {
		n += len(evs[i].Platform) + 1 + len(evs[i].ID)
	}
	var b strings.Builder
	b.Grow(n)
	for i := range evs {
		b.WriteString(string(evs[i].Platform))
		b.WriteByte(':')
		b.WriteString(evs[i].ID)
	}
	return b.String()
}

// event handles one event of a delivery, whose de-duplication key is key:
// claims it, and calls fn when it is new. It reports false when it
// answered the delivery (an error, or a copy in progress); info, when not
// nil, gets the outcome.
func (h *handler) event(w http.ResponseWriter, r *http.Request, ev *Event, key string, info *EventInfo) bool {
	outcome := func(d Dedup, kind string) {
		if info != nil {
			info.Dedup, info.ErrorKind = d, kind
		}
	}
	claim, token, err := h.claim(r.Context(), key)
	if errors.Is(err, ErrStoreFull) {
		outcome(DedupError, "store_full")
		w.Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
		h.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("webhook: de-duplication store: claiming %s: %w", key, err))
		return false
	}
	if err != nil {
		outcome(DedupError, "store")
		h.fail(w, r, http.StatusInternalServerError, fmt.Errorf("webhook: de-duplication store: claiming %s: %w", key, err))
		return false
	}
	switch claim {
	case ClaimDone:
		outcome(DedupDuplicate, "")
		return true
	case ClaimBusy:
		outcome(DedupBusy, "busy")
		w.Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
		h.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("webhook: event %s is being processed by another delivery", key))
		return false
	}
	if err := h.process(r, key, token, ev); err != nil {
		outcome(DedupNew, "handler")
		h.fail(w, r, http.StatusInternalServerError, err)
		return false
	}
	outcome(DedupNew, "")
	return true
}

// readBody reads r's body, at most max bytes, into one allocation of its
// Content-Length when it gives one up to preallocMax (io.ReadAll would
// grow and copy a buffer from 512 bytes up). A longer body grows the
// buffer as it arrives: the length is the sender's claim, made before its
// signature is checked, and must not reserve memory it never sends.
func readBody(w http.ResponseWriter, r *http.Request, max int64) ([]byte, error) {
	var buf bytes.Buffer
	if n := r.ContentLength; n > 0 && n <= max {
		buf.Grow(int(min(n, preallocMax)) + bytes.MinRead) // ReadFrom wants MinRead free for the read that finds EOF
	}
	_, err := buf.ReadFrom(http.MaxBytesReader(w, r.Body, max))
	return buf.Bytes(), err
}

// NonBlockingStore is an optional interface of a DedupStore. NeverBlocks
// reports true when the store's calls wait on nothing but a short critical
// section (no I/O, no network, no lock held across either), as
// MemoryStore's do. Receiver.Handler then calls the store without the
// StoreTimeout deadline, which would have nothing to bound, sparing a timer
// and contexts per event; Complete and Release then get the request's
// context even once it is cancelled, so such a store must act whatever its
// context. A store that embeds a MemoryStore and waits on anything else
// must override NeverBlocks to return false.
type NonBlockingStore interface {
	DedupStore
	NeverBlocks() bool
}

func (h *handler) claim(ctx context.Context, key string) (Claim, string, error) {
	if h.nonBlocking {
		return h.opts.Dedup.Claim(ctx, key, h.opts.Lease)
	}
	ctx, cancel := context.WithTimeout(ctx, h.opts.StoreTimeout)
	defer cancel()
	return h.opts.Dedup.Claim(ctx, key, h.opts.Lease)
}

// storeCtx is the context of Complete and Release: they outlive a cancelled
// request, or the claim would stay busy, but not a hung store.
func (h *handler) storeCtx(r *http.Request) (context.Context, context.CancelFunc) {
	if h.nonBlocking {
		return r.Context(), func() {} // nothing to outlive: the store acts whatever its context
	}
	return context.WithTimeout(context.WithoutCancel(r.Context()), h.opts.StoreTimeout)
}

// process calls fn for a claimed event and ends the claim: Complete on
// success, Release on error or panic, so that a retry is processed.
func (h *handler) process(r *http.Request, key, token string, ev *Event) error {
	ctx := r.Context()
	done := false
	defer func() {
		if done {
			return
		}
		sctx, cancel := h.storeCtx(r)
		defer cancel()
		if rerr := h.opts.Dedup.Release(sctx, key, token); rerr != nil && h.opts.OnError != nil {
			h.opts.OnError(r, fmt.Errorf("webhook: de-duplication store: releasing %s: %w", key, rerr))
		}
	}()
	if err := h.fn(ctx, *ev); err != nil {
		return fmt.Errorf("webhook: handling event %s (%s): %w", key, ev.Topic, err)
	}
	done = true
	sctx, cancel := h.storeCtx(r)
	defer cancel()
	if cerr := h.complete(sctx, key, token); cerr != nil && h.opts.OnError != nil {
		// The event was handled: answering 500 would have it handled twice.
		h.opts.OnError(r, fmt.Errorf("webhook: de-duplication store: completing %s: %w", key, cerr))
	}
	return nil
}

// complete records a handled event as done. While the store fails (a
// shared store restarting) it tries again, waiting 50 ms, then twice as
// long each time up to a second, until StoreTimeout: a claim left
// unrecorded runs out with its lease, and a retry of the event would then
// be handled again. ErrClaimLost is final.
func (h *handler) complete(ctx context.Context, key, token string) error {
	err := h.opts.Dedup.Complete(ctx, key, token)
	if err == nil || errors.Is(err, ErrClaimLost) {
		return err
	}
	if h.nonBlocking {
		// storeCtx spared the store its timeout, as its calls cannot hang;
		// its retries (ErrStoreFull) must still end within StoreTimeout.
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(context.WithoutCancel(ctx), h.opts.StoreTimeout)
		defer cancel()
	}
	wait := 50 * time.Millisecond
	for {
		t := time.NewTimer(wait)
		select {
		case <-ctx.Done():
			t.Stop()
			return err
		case <-t.C:
		}
		err = h.opts.Dedup.Complete(ctx, key, token)
		if err == nil || errors.Is(err, ErrClaimLost) {
			return err
		}
		wait = min(2*wait, time.Second)
	}
}

func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.opts.OnError != nil {
		h.opts.OnError(r, err)
	}
	http.Error(w, http.StatusText(status), status)
}
