package webhook

import (
	"context"
	"net/http"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/statuswriter"
)

// Observer is told about every delivery a Handler receives and every event
// in it, for tracing and metrics; package
// github.com/loyalty-go/loyalty/otelloyalty implements it with
// OpenTelemetry. Set it in HandlerOptions.Observer. Each hook may be nil.
//
// It never sees the request: not its headers (the signature), its query
// (Influence.io's URL token) or its body. Deliveries are served
// concurrently, so an Observer must be safe for concurrent use.
type Observer struct {
	// StartDelivery is called when a delivery arrives. The context it
	// returns is the delivery's: the parent of its events.
	StartDelivery func(ctx context.Context, platform loyalty.Platform) context.Context
	// EndDelivery is called once the delivery is answered.
	EndDelivery func(ctx context.Context, d Delivery)
	// StartEvent is called for each event of a verified delivery, before
	// it is claimed in the de-duplication store. The context it returns is
	// the one the Handler's function gets for the event.
	StartEvent func(ctx context.Context, ev EventInfo) context.Context
	// EndEvent is called when the event is done with: processed, skipped
	// or failed.
	EndEvent func(ctx context.Context, ev EventInfo)
}

// Delivery is the outcome of one delivery.
type Delivery struct {
	Platform loyalty.Platform
	// StatusCode is what the Handler answered (see Receiver.Handler).
	StatusCode int
	// Events is how many events the delivery held; 0 when it was refused
	// before it was parsed.
	Events   int
	Duration time.Duration
}

// Dedup is what the de-duplication store said of an event.
type Dedup string

// Dedup outcomes.
const (
	DedupNew       Dedup = "new"       // first seen: processed
	DedupDuplicate Dedup = "duplicate" // processed before: skipped
	DedupBusy      Dedup = "busy"      // a copy is in progress: answered 503
	DedupError     Dedup = "error"     // the store failed (or is full)
)

// EventInfo describes one event of a delivery. Dedup and ErrorKind are set
// for EndEvent only.
type EventInfo struct {
	Platform loyalty.Platform
	Topic    string // as the platform sent it
	Kind     Kind
	Dedup    Dedup
	// ErrorKind is "" when the event was processed or skipped as a
	// duplicate; "busy", "store_full" or "store" (the store failed);
	// "handler" when the Handler's function failed, "panic" when it
	// panicked.
	ErrorKind string
}

// observeDelivery serves one delivery under the Observer's hooks.
func (h *handler) observeDelivery(w http.ResponseWriter, r *http.Request) {
	ob := h.opts.Observer
	start := time.Now()
	ctx := r.Context()
	if ob.StartDelivery != nil {
		ctx = ob.StartDelivery(ctx, h.rc.platform)
	}
	sw := &statuswriter.Writer{ResponseWriter: w}
	events := 0
	defer func() {
		if ob.EndDelivery != nil {
			ob.EndDelivery(ctx, Delivery{Platform: h.rc.platform, StatusCode: sw.Status, Events: events, Duration: time.Since(start)})
		}
	}()
	r = r.WithContext(ctx)
	// The cap again over w itself, which serve's over sw cannot reach:
	// net/http then closes the connection of a body over the cap.
	r.Body = http.MaxBytesReader(w, r.Body, h.opts.MaxBodyBytes)
	h.serve(sw, r, &events)
}

// observeEvent handles one event under the Observer's hooks.
func (h *handler) observeEvent(w http.ResponseWriter, r *http.Request, ev *Event, key string) bool {
	ob := h.opts.Observer
	info := EventInfo{Platform: ev.Platform, Topic: ev.Topic, Kind: ev.Kind}
	ctx := r.Context()
	if ob.StartEvent != nil {
		ctx = ob.StartEvent(ctx, info)
	}
	info.Dedup, info.ErrorKind = DedupNew, "panic" // what a panic in fn leaves
	defer func() {
		if ob.EndEvent != nil {
			ob.EndEvent(ctx, info)
		}
	}()
	return h.event(w, r.WithContext(ctx), ev, key, &info)
}
