package webhook_test

import (
	"context"
	"errors"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/webhook"
)

// watched records what a webhook.Observer is told.
type watched struct {
	mu         sync.Mutex
	deliveries []webhook.Delivery
	events     []webhook.EventInfo
	started    []string
}

type spanKey struct{}

func (w *watched) observer() *webhook.Observer {
	return &webhook.Observer{
		StartDelivery: func(ctx context.Context, p loyalty.Platform) context.Context {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.started = append(w.started, "delivery "+string(p))
			return context.WithValue(ctx, spanKey{}, "delivery")
		},
		EndDelivery: func(ctx context.Context, d webhook.Delivery) {
			w.mu.Lock()
			defer w.mu.Unlock()
			if ctx.Value(spanKey{}) != "delivery" {
				w.started = append(w.started, "delivery ended without its context")
			}
			w.deliveries = append(w.deliveries, d)
		},
		StartEvent: func(ctx context.Context, ev webhook.EventInfo) context.Context {
			w.mu.Lock()
			defer w.mu.Unlock()
			if ctx.Value(spanKey{}) != "delivery" {
				w.started = append(w.started, "event outside its delivery")
			}
			w.started = append(w.started, "event "+ev.Topic)
			return context.WithValue(ctx, spanKey{}, "event")
		},
		EndEvent: func(ctx context.Context, ev webhook.EventInfo) {
			w.mu.Lock()
			defer w.mu.Unlock()
			w.events = append(w.events, ev)
		},
	}
}

func TestHandlerObserver(t *testing.T) {
	body := fixture(t, "influenceio", contract.InfluenceIOTopicPointsRedeemed)
	var w watched
	fail := errors.New("coupon service down")
	var failing bool
	var fnCtx []any
	rc := must[*webhook.Receiver](t)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"t"}}))
	h := rc.Handler(func(ctx context.Context, ev webhook.Event) error {
		fnCtx = append(fnCtx, ctx.Value(spanKey{}))
		if failing {
			return fail
		}
		return nil
	}, webhook.HandlerOptions{Observer: w.observer()})
	deliver := func() int {
		r := must[*http.Request](t)(webhook.InfluenceIOSigner{Token: "t"}.NewRequest(target, contract.InfluenceIOTopicPointsRedeemed, "wh-1", body))
		return serve(h, r).Code
	}
	failing = true
	if code := deliver(); code != http.StatusInternalServerError {
		t.Fatalf("failing: %d", code)
	}
	failing = false
	if code := deliver(); code != http.StatusOK {
		t.Fatalf("retry: %d", code)
	}
	if code := deliver(); code != http.StatusOK {
		t.Fatalf("duplicate: %d", code)
	}
	bad := must[*http.Request](t)(webhook.InfluenceIOSigner{Token: "wrong"}.NewRequest(target, contract.InfluenceIOTopicPointsRedeemed, "wh-2", body))
	if code := serve(h, bad).Code; code != http.StatusUnauthorized {
		t.Fatalf("bad token: %d", code)
	}

	wantDeliveries := []struct{ status, events int }{{500, 1}, {200, 1}, {200, 1}, {401, 0}}
	if len(w.deliveries) != len(wantDeliveries) {
		t.Fatalf("deliveries %+v", w.deliveries)
	}
	for i, want := range wantDeliveries {
		d := w.deliveries[i]
		if d.Platform != loyalty.InfluenceIO || d.StatusCode != want.status || d.Events != want.events || d.Duration <= 0 {
			t.Errorf("delivery %d: %+v; want status %d, %d events", i, d, want.status, want.events)
		}
	}
	wantEvents := []struct {
		dedup webhook.Dedup
		kind  string
	}{{webhook.DedupNew, "handler"}, {webhook.DedupNew, ""}, {webhook.DedupDuplicate, ""}}
	if len(w.events) != len(wantEvents) {
		t.Fatalf("events %+v", w.events)
	}
	for i, want := range wantEvents {
		ev := w.events[i]
		if ev.Dedup != want.dedup || ev.ErrorKind != want.kind || ev.Topic != contract.InfluenceIOTopicPointsRedeemed ||
			ev.Platform != loyalty.InfluenceIO || ev.Kind != webhook.KindPointsRedeemed {
			t.Errorf("event %d: %+v; want %s, %q", i, ev, want.dedup, want.kind)
		}
	}
	for i, v := range fnCtx {
		if v != "event" {
			t.Errorf("fn call %d got context %v; want the event's", i, v)
		}
	}
	for _, s := range w.started {
		if s != "delivery influenceio" && s != "event "+contract.InfluenceIOTopicPointsRedeemed {
			t.Errorf("observer: %s", s)
		}
	}
}

// A copy of an event in progress ends as busy, and a panic in fn still
// ends the event.
func TestHandlerObserverBusyAndPanic(t *testing.T) {
	body := fixture(t, "yotpo", contract.YotpoTopicPointsEarned)
	var w watched
	store := webhook.NewMemoryStore(0, 0)
	if _, _, err := store.Claim(context.Background(), "yotpo:m-busy", time.Hour); err != nil {
		t.Fatal(err)
	}
	rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"y"}}))
	h := rc.Handler(func(ctx context.Context, ev webhook.Event) error { panic("boom") },
		webhook.HandlerOptions{Dedup: store, Observer: w.observer()})
	sign := webhook.YotpoSigner{Token: "y"}
	if code := serve(h, must[*http.Request](t)(sign.NewRequest(target, "m-busy", body))).Code; code != http.StatusServiceUnavailable {
		t.Fatalf("busy: %d", code)
	}
	func() {
		defer func() { _ = recover() }()
		serve(h, must[*http.Request](t)(sign.NewRequest(target, "m-panic", body)))
	}()
	if len(w.events) != 2 || w.events[0].Dedup != webhook.DedupBusy || w.events[0].ErrorKind != "busy" ||
		w.events[1].ErrorKind != "panic" {
		t.Fatalf("events %+v", w.events)
	}
	if len(w.deliveries) != 2 || w.deliveries[0].StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("deliveries %+v", w.deliveries)
	}
}
