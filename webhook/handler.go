package webhook

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strconv"
)

// DefaultMaxBodyBytes caps a delivery's body when HandlerOptions sets no cap.
const DefaultMaxBodyBytes = 1 << 20

// busyRetryAfter is the Retry-After, in seconds, of a delivery answered 503
// because a copy of it is being processed.
const busyRetryAfter = 5

// HandlerOptions tunes Receiver.Handler. The zero value is ready to use.
type HandlerOptions struct {
	// MaxBodyBytes caps the body; a larger one is answered 413. Zero means
	// DefaultMaxBodyBytes.
	MaxBodyBytes int64
	// Dedup remembers processed events. Nil means a MemoryStore with its
	// defaults, private to this handler.
	Dedup DedupStore
	// OnError, when set, is told why a delivery was not answered 200, and
	// about de-duplication store failures after a success. Errors never hold
	// secrets. It must be safe for concurrent use.
	OnError func(r *http.Request, err error)
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
//   - 503 with Retry-After when a copy of an event is being processed;
//   - 500 when fn (or the store) fails. The failed event is released, not
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
	return &handler{rc: rc, fn: fn, opts: opts}
}

type handler struct {
	rc   *Receiver
	fn   func(context.Context, Event) error
	opts HandlerOptions
}

func (h *handler) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		w.Header().Set("Allow", http.MethodPost)
		h.fail(w, r, http.StatusMethodNotAllowed, fmt.Errorf("webhook: method %s not allowed", r.Method))
		return
	}
	if r.ContentLength > h.opts.MaxBodyBytes {
		h.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("webhook: body of %d bytes over the cap of %d", r.ContentLength, h.opts.MaxBodyBytes))
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes))
	if err != nil {
		var tooLarge *http.MaxBytesError
		if errors.As(err, &tooLarge) {
			h.fail(w, r, http.StatusRequestEntityTooLarge, fmt.Errorf("webhook: body over the cap of %d bytes", h.opts.MaxBodyBytes))
			return
		}
		h.fail(w, r, http.StatusBadRequest, fmt.Errorf("webhook: reading body: %w", err))
		return
	}
	if err := h.rc.verify(r, body); err != nil {
		h.fail(w, r, http.StatusUnauthorized, err)
		return
	}
	events, err := h.rc.parse(r, body)
	if err != nil {
		h.fail(w, r, http.StatusBadRequest, err)
		return
	}
	ctx := r.Context()
	for _, ev := range events {
		key := string(ev.Platform) + ":" + ev.ID
		claim, err := h.opts.Dedup.Claim(ctx, key)
		if err != nil {
			h.fail(w, r, http.StatusInternalServerError, fmt.Errorf("webhook: de-duplication store: %w", err))
			return
		}
		switch claim {
		case ClaimDone:
			continue
		case ClaimBusy:
			w.Header().Set("Retry-After", strconv.Itoa(busyRetryAfter))
			h.fail(w, r, http.StatusServiceUnavailable, fmt.Errorf("webhook: event %s is being processed by another delivery", key))
			return
		}
		if err := h.process(r, key, ev); err != nil {
			h.fail(w, r, http.StatusInternalServerError, err)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// process calls fn for a claimed event and ends the claim: Complete on
// success, Release on error or panic, so that a retry is processed. The store
// calls outlive a cancelled request, or the claim would stay busy.
func (h *handler) process(r *http.Request, key string, ev Event) error {
	ctx := r.Context()
	done := false
	defer func() {
		if done {
			return
		}
		if rerr := h.opts.Dedup.Release(context.WithoutCancel(ctx), key); rerr != nil && h.opts.OnError != nil {
			h.opts.OnError(r, fmt.Errorf("webhook: de-duplication store: releasing %s: %w", key, rerr))
		}
	}()
	if err := h.fn(ctx, ev); err != nil {
		return fmt.Errorf("webhook: handling event %s (%s): %w", key, ev.Topic, err)
	}
	done = true
	if cerr := h.opts.Dedup.Complete(context.WithoutCancel(ctx), key); cerr != nil && h.opts.OnError != nil {
		// The event was handled: answering 500 would have it handled twice.
		h.opts.OnError(r, fmt.Errorf("webhook: de-duplication store: completing %s: %w", key, cerr))
	}
	return nil
}

func (h *handler) fail(w http.ResponseWriter, r *http.Request, status int, err error) {
	if h.opts.OnError != nil {
		h.opts.OnError(r, err)
	}
	http.Error(w, http.StatusText(status), status)
}
