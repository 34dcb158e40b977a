package bench

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	standardwebhooks "github.com/standard-webhooks/standard-webhooks/libraries/go"
	"github.com/stripe/stripe-go/v82"
	stripewebhook "github.com/stripe/stripe-go/v82/webhook"

	"github.com/loyalty-go/loyalty/webhook"
)

// qualifioTypes are the eight documented Qualifio event types, one
// fixture each (testdata/webhooks/qualifio of the SDK).
var qualifioTypes = []string{
	"profile.created", "portal.visited", "level.changed", "points.earned",
	"points.burned", "points.corrected.added", "points.corrected.removed", "gift.given",
}

const qualifioSignatureHeader = "X-Qualifio-Signature"

// qualifioDelivery is one Qualifio request of eight events (one of each
// type, about 2.4 KB compacted) whose event ids end in a fixed-width
// counter, so that a benchmark can make every delivery new by rewriting
// the counter in place (see next).
type qualifioDelivery struct {
	body []byte
	at   []int // offsets of the counters
	n    int
}

const counterWidth = 12

func newQualifioDelivery(tb testing.TB) *qualifioDelivery {
	var all []json.RawMessage
	for i, typ := range qualifioTypes {
		raw, err := os.ReadFile(filepath.Join("..", "testdata", "webhooks", "qualifio", typ+".json"))
		if err != nil {
			tb.Fatal(err)
		}
		var events []map[string]any
		if err := json.Unmarshal(raw, &events); err != nil {
			tb.Fatal(err)
		}
		ev := events[0]
		ev["id"] = fmt.Sprintf("evt-%d-%s", i, strings.Repeat("0", counterWidth))
		b, err := json.Marshal(ev)
		if err != nil {
			tb.Fatal(err)
		}
		all = append(all, b)
	}
	body, err := json.Marshal(all)
	if err != nil {
		tb.Fatal(err)
	}
	d := &qualifioDelivery{body: body}
	for i := range qualifioTypes {
		p := bytes.Index(body, []byte(fmt.Sprintf(`"evt-%d-`, i)))
		d.at = append(d.at, p+len(fmt.Sprintf(`"evt-%d-`, i)))
	}
	return d
}

// next makes the delivery's events new: every id gets the next counter.
func (d *qualifioDelivery) next() {
	d.n++
	var buf [20]byte
	s := strconv.AppendInt(buf[:0], int64(d.n), 10)
	for _, at := range d.at {
		dst := d.body[at : at+counterWidth]
		for i := range dst {
			dst[i] = '0'
		}
		copy(dst[counterWidth-len(s):], s)
	}
}

// qualifioFloor has the fields of every Qualifio event type: what a careful
// receiver writing its own struct decodes.
type qualifioFloor []struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	ProgramID string    `json:"programId"`
	CreatedAt time.Time `json:"createdAt"`
	Member    struct {
		ID         string `json:"id"`
		Email      string `json:"email"`
		CustomerID string `json:"customerId"`
	} `json:"member"`
	Data struct {
		Source        string  `json:"source"`
		Currency      string  `json:"currency"`
		Amount        float64 `json:"amount"`
		Balance       float64 `json:"balance"`
		LifetimeTotal float64 `json:"lifetimeTotal"`
		RuleID        string  `json:"ruleId"`
		Reason        string  `json:"reason"`
		Reward        *struct {
			ID        string  `json:"id"`
			Name      string  `json:"name"`
			PromoCode *string `json:"promoCode"`
		} `json:"reward"`
		OldLevel *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"oldLevel"`
		NewLevel *struct {
			ID   string `json:"id"`
			Name string `json:"name"`
		} `json:"newLevel"`
	} `json:"data"`
}

var qualifioSecret = []byte("qualifio-signing-secret")

func qualifioSign(body []byte) string {
	m := hmac.New(sha256.New, qualifioSecret)
	m.Write(body)
	return "sha256=" + hex.EncodeToString(m.Sum(nil))
}

// floorVerifyParse is the least a careful receiver does by hand: one HMAC,
// a constant-time comparison, one json.Unmarshal.
func floorVerifyParse(header string, body []byte) (qualifioFloor, error) {
	got, err := hex.DecodeString(strings.TrimPrefix(header, "sha256="))
	if err != nil {
		return nil, err
	}
	m := hmac.New(sha256.New, qualifioSecret)
	m.Write(body)
	if !hmac.Equal(m.Sum(nil), got) {
		return nil, fmt.Errorf("signature")
	}
	var v qualifioFloor
	if err := json.Unmarshal(body, &v); err != nil {
		return nil, err
	}
	return v, nil
}

// BenchmarkWebhookQualifio verifies and parses one Qualifio delivery of
// eight events: the SDK's Receiver.ConstructEvents, the floor, and the two
// peers on the same events: standard-webhooks' Verify plus one
// json.Unmarshal into the floor's struct, and stripe-go's ConstructEvent
// (which decodes a Stripe envelope whose data.object holds the same eight
// events) plus the json.Unmarshal of its data.object a Stripe receiver
// then makes into its typed struct.
func BenchmarkWebhookQualifio(b *testing.B) {
	d := newQualifioDelivery(b)
	body := d.body
	b.Logf("body: %d bytes, %d events", len(body), len(qualifioTypes))
	header := qualifioSign(body)

	b.Run("impl=loyalty", func(b *testing.B) {
		rc, err := webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{string(qualifioSecret)}})
		if err != nil {
			b.Fatal(err)
		}
		h := http.Header{qualifioSignatureHeader: {header}}
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			evs, err := rc.ConstructEventsFrom(h, nil, body)
			if err != nil || len(evs) != len(qualifioTypes) {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=floor", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			v, err := floorVerifyParse(header, body)
			if err != nil || len(v) != len(qualifioTypes) {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=standard-webhooks", func(b *testing.B) {
		secret := "whsec_" + base64.StdEncoding.EncodeToString(qualifioSecret)
		wh, err := standardwebhooks.NewWebhook(secret)
		if err != nil {
			b.Fatal(err)
		}
		now := time.Now()
		sig, err := wh.Sign("msg_1", now, body)
		if err != nil {
			b.Fatal(err)
		}
		h := http.Header{}
		h.Set("webhook-id", "msg_1")
		h.Set("webhook-timestamp", strconv.FormatInt(now.Unix(), 10))
		h.Set("webhook-signature", sig)
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			if err := wh.Verify(body, h); err != nil {
				b.Fatal(err)
			}
			var v qualifioFloor
			if err := json.Unmarshal(body, &v); err != nil || len(v) != len(qualifioTypes) {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=stripe-go", func(b *testing.B) {
		payload := []byte(`{"id":"evt_1","object":"event","api_version":"` + stripe.APIVersion +
			`","created":1714566605,"type":"qualifio.delivery","livemode":false,"pending_webhooks":1,` +
			`"data":{"object":{"object":"delivery","events":` + string(body) + `}}}`)
		const secret = "whsec_stripe"
		now := time.Now()
		sig := stripewebhook.ComputeSignature(now, payload, secret)
		sh := fmt.Sprintf("t=%d,v1=%s", now.Unix(), hex.EncodeToString(sig))
		b.ReportAllocs()
		b.SetBytes(int64(len(payload)))
		for range b.N {
			ev, err := stripewebhook.ConstructEvent(payload, sh, secret)
			if err != nil {
				b.Fatal(err)
			}
			var v struct {
				Events qualifioFloor `json:"events"`
			}
			if err := json.Unmarshal(ev.Data.Raw, &v); err != nil || len(v.Events) != len(qualifioTypes) {
				b.Fatal(err)
			}
		}
	})
}

// discardWriter is the ResponseWriter of the handler benchmarks, the same
// for both sides: a status and a header map, reused.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }
func (w *discardWriter) WriteHeader(s int)           { w.status = s }

// handwritten is the receiver a careful merchant writes by hand: a bounded
// read, the floor's verify and parse, and de-duplication by event id in a
// map, fn called once per new event.
type handwritten struct {
	mu   sync.Mutex
	seen map[string]bool
	fn   func(ctx context.Context, id string) error
}

func (h *handwritten) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		http.Error(w, "method", http.StatusMethodNotAllowed)
		return
	}
	body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, 1<<20))
	if err != nil {
		http.Error(w, "body", http.StatusRequestEntityTooLarge)
		return
	}
	events, err := floorVerifyParse(r.Header.Get(qualifioSignatureHeader), body)
	if err != nil {
		http.Error(w, "unauthorized", http.StatusUnauthorized)
		return
	}
	for _, ev := range events {
		h.mu.Lock()
		dup := h.seen[ev.ID]
		h.seen[ev.ID] = true
		h.mu.Unlock()
		if dup {
			continue
		}
		if err := h.fn(r.Context(), ev.ID); err != nil {
			h.mu.Lock()
			delete(h.seen, ev.ID)
			h.mu.Unlock()
			http.Error(w, "handler", http.StatusInternalServerError)
			return
		}
	}
	w.WriteHeader(http.StatusOK)
}

// BenchmarkWebhookHandler serves one new Qualifio delivery of eight events
// per op through Receiver.Handler (its default in-memory de-duplication
// store) and through handwritten. Each op rewrites the event ids and signs
// the body again, the same work on both sides, so that every event is new
// and fn runs eight times.
func BenchmarkWebhookHandler(b *testing.B) {
	rc, err := webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{string(qualifioSecret)}})
	if err != nil {
		b.Fatal(err)
	}
	handlers := []struct {
		name string
		h    func(calls *int) http.Handler
	}{
		{"impl=loyalty", func(calls *int) http.Handler {
			return rc.Handler(func(context.Context, webhook.Event) error { *calls++; return nil }, webhook.HandlerOptions{})
		}},
		{"impl=handwritten", func(calls *int) http.Handler {
			return &handwritten{seen: map[string]bool{}, fn: func(context.Context, string) error { *calls++; return nil }}
		}},
	}
	for _, hc := range handlers {
		b.Run(hc.name, func(b *testing.B) {
			calls := 0
			h := hc.h(&calls)
			d := newQualifioDelivery(b)
			rd := bytes.NewReader(d.body)
			req, err := http.NewRequest(http.MethodPost, "https://merchant.example/hooks/qualifio", io.NopCloser(rd))
			if err != nil {
				b.Fatal(err)
			}
			req.ContentLength = int64(len(d.body))
			req.Header.Set("Content-Type", "application/json")
			w := &discardWriter{h: http.Header{}}
			b.ReportAllocs()
			b.SetBytes(int64(len(d.body)))
			b.ResetTimer()
			for range b.N {
				d.next()
				req.Header.Set(qualifioSignatureHeader, qualifioSign(d.body))
				rd.Reset(d.body)
				w.status = 0
				h.ServeHTTP(w, req)
				if w.status != http.StatusOK {
					b.Fatalf("status %d", w.status)
				}
			}
			if calls != b.N*len(qualifioTypes) {
				b.Fatalf("fn called %d times for %d deliveries of %d events", calls, b.N, len(qualifioTypes))
			}
		})
	}
}
