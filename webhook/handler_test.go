package webhook_test

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strings"
	"sync"
	"testing"
	"testing/iotest"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/webhook"
)

// recorder collects the events a handler delivers; fail makes the next
// calls fail.
type recorder struct {
	mu     sync.Mutex
	events []webhook.Event
	fail   map[string]error // by event id
}

func (rec *recorder) fn(ctx context.Context, ev webhook.Event) error {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	if v, _ := ctx.Value(ctxKey{}).(string); v != "req" {
		return errors.New("not the request's context")
	}
	if err := rec.fail[ev.ID]; err != nil {
		return err
	}
	rec.events = append(rec.events, ev)
	return nil
}

func (rec *recorder) ids() string {
	rec.mu.Lock()
	defer rec.mu.Unlock()
	var ids []string
	for _, ev := range rec.events {
		ids = append(ids, ev.ID)
	}
	return strings.Join(ids, ",")
}

type ctxKey struct{}

func serve(h http.Handler, r *http.Request) *httptest.ResponseRecorder {
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r.WithContext(context.WithValue(r.Context(), ctxKey{}, "req")))
	return w
}

func yotpoHandler(t *testing.T, rec *recorder, opts webhook.HandlerOptions) http.Handler {
	rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"y-s3cr3t"}}))
	return rc.Handler(rec.fn, opts)
}

func TestHandlerStatuses(t *testing.T) {
	body := fixture(t, "yotpo", contract.YotpoTopicPointsEarned)
	var errs []error
	rec := &recorder{}
	h := yotpoHandler(t, rec, webhook.HandlerOptions{MaxBodyBytes: 4096, OnError: func(_ *http.Request, err error) { errs = append(errs, err) }})
	good := webhook.YotpoSigner{Token: "y-s3cr3t", Bearer: true}
	req := func(s webhook.YotpoSigner, id string, body []byte) *http.Request {
		return must[*http.Request](t)(s.NewRequest(target, id, body))
	}
	chunked := req(good, "m-big", bytes.Repeat([]byte(" "), 5000))
	chunked.ContentLength = -1 // no declared length: the cap must hold while reading
	chunked.Body = io.NopCloser(bytes.NewReader(bytes.Repeat([]byte(" "), 5000)))
	get := req(good, "m-get", body)
	get.Method = http.MethodGet

	tests := []struct {
		name string
		r    *http.Request
		code int
		ids  string // the events the user has seen after the request
	}{
		{"method", get, http.StatusMethodNotAllowed, ""},
		{"too large, declared", req(good, "m-big", bytes.Repeat([]byte(" "), 5000)), http.StatusRequestEntityTooLarge, ""},
		{"too large, chunked", chunked, http.StatusRequestEntityTooLarge, ""},
		{"unauthenticated", req(webhook.YotpoSigner{}, "m1", body), http.StatusUnauthorized, ""},
		{"bad token", req(webhook.YotpoSigner{Token: "y-s3cr3t2"}, "m1", body), http.StatusUnauthorized, ""},
		{"malformed", req(good, "m-bad", []byte(`{"topic":`)), http.StatusBadRequest, ""},
		{"ok", req(good, "m1", body), http.StatusOK, "m1"},
		{"duplicate", req(good, "m1", body), http.StatusOK, "m1"},
		{"raw token ok, new id", req(webhook.YotpoSigner{Token: "y-s3cr3t"}, "m2", body), http.StatusOK, "m1,m2"},
		{"no message id: body hash", req(good, "", body), http.StatusOK, "m1,m2," + contract.SHA256Hex(body)},
		{"no message id, same body", req(good, "", body), http.StatusOK, "m1,m2," + contract.SHA256Hex(body)},
	}
	for _, tt := range tests {
		w := serve(h, tt.r)
		if w.Code != tt.code || rec.ids() != tt.ids {
			t.Errorf("%s: %d, events %q; want %d, %q", tt.name, w.Code, rec.ids(), tt.code, tt.ids)
		}
	}
	if len(errs) != 6 {
		t.Errorf("OnError called %d times; want 6: %v", len(errs), errs)
	}
	for _, err := range errs {
		if strings.Contains(err.Error(), "y-s3cr3t") {
			t.Errorf("error holds a secret: %v", err)
		}
	}
	if !errors.Is(errs[3], webhook.ErrMissingHeader) || !errors.Is(errs[4], webhook.ErrBadToken) || !errors.Is(errs[5], webhook.ErrMalformed) {
		t.Errorf("errors: %v", errs)
	}
}

func TestHandlerFailureThenRetry(t *testing.T) {
	body := fixture(t, "influenceio", contract.InfluenceIOTopicPointsRedeemed)
	rec := &recorder{fail: map[string]error{"wh-1": errors.New("coupon service down")}}
	rc := must[*webhook.Receiver](t)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"t"}}))
	h := rc.Handler(rec.fn, webhook.HandlerOptions{})
	deliver := func() int {
		r := must[*http.Request](t)(webhook.InfluenceIOSigner{Token: "t"}.NewRequest(target, contract.InfluenceIOTopicPointsRedeemed, "wh-1", body))
		return serve(h, r).Code
	}
	if code := deliver(); code != http.StatusInternalServerError || rec.ids() != "" {
		t.Fatalf("failing user: %d %q", code, rec.ids())
	}
	rec.mu.Lock()
	rec.fail = nil
	rec.mu.Unlock()
	if code := deliver(); code != http.StatusOK || rec.ids() != "wh-1" {
		t.Fatalf("retry: %d %q; the failed delivery must not be recorded as seen", code, rec.ids())
	}
	if code := deliver(); code != http.StatusOK || rec.ids() != "wh-1" {
		t.Fatalf("duplicate: %d %q", code, rec.ids())
	}
	ev := rec.events[0]
	if d, ok := ev.Data.(*webhook.InfluenceIOPointsRedeemed); !ok || d.CouponCode != "INF-5OFF-8Q2K" || ev.Kind != webhook.KindPointsRedeemed {
		t.Errorf("event %+v", ev)
	}
}

func TestHandlerQualifioBatch(t *testing.T) {
	body := []byte(`[
	 {"id":"e1","type":"points.earned","member":{"id":"m"},"data":{"amount":1}},
	 {"id":"e2","type":"points.earned","member":{"id":"m"},"data":{"amount":2}},
	 {"id":"e1","type":"points.earned","member":{"id":"m"},"data":{"amount":1}},
	 {"id":"e3","type":"portal.visited","member":{"id":"m"},"data":{}}
	]`)
	rec := &recorder{fail: map[string]error{"e2": errors.New("db down")}}
	rc := must[*webhook.Receiver](t)(webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{"s"}}))
	h := rc.Handler(rec.fn, webhook.HandlerOptions{})
	deliver := func() int {
		return serve(h, must[*http.Request](t)(webhook.QualifioSigner{Secret: "s"}.NewRequest(target, body))).Code
	}
	if code := deliver(); code != http.StatusInternalServerError || rec.ids() != "e1" {
		t.Fatalf("first: %d %q; want 500 after e1", code, rec.ids())
	}
	rec.mu.Lock()
	rec.fail = nil
	rec.mu.Unlock()
	// e1 is skipped (done), also when repeated inside the batch.
	if code := deliver(); code != http.StatusOK || rec.ids() != "e1,e2,e3" {
		t.Fatalf("retry: %d %q", code, rec.ids())
	}
	if code := deliver(); code != http.StatusOK || rec.ids() != "e1,e2,e3" {
		t.Fatalf("duplicate: %d %q", code, rec.ids())
	}
	empty := must[*http.Request](t)(webhook.QualifioSigner{Secret: "s"}.NewRequest(target, []byte(`[]`)))
	if code := serve(h, empty).Code; code != http.StatusOK {
		t.Errorf("empty array: %d", code)
	}
}

func TestHandlerConcurrentDuplicateIsRetried(t *testing.T) {
	body := fixture(t, "yotpo", contract.YotpoTopicOptIn)
	entered, release := make(chan struct{}), make(chan struct{})
	var calls int
	rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"y-s3cr3t"}}))
	h := rc.Handler(func(context.Context, webhook.Event) error {
		calls++ // only ever one call in flight: the second delivery must not reach here
		if calls > 1 {
			return nil // the platform's retry succeeds
		}
		close(entered)
		<-release
		return errors.New("failed")
	}, webhook.HandlerOptions{})
	req := func() *http.Request {
		return must[*http.Request](t)(webhook.YotpoSigner{Token: "y-s3cr3t"}.NewRequest(target, "m", body))
	}
	first := make(chan int)
	go func() { first <- serve(h, req()).Code }()
	<-entered
	w := serve(h, req())
	if w.Code != http.StatusServiceUnavailable || w.Header().Get("Retry-After") == "" {
		t.Errorf("concurrent duplicate: %d, Retry-After %q; want 503 with Retry-After", w.Code, w.Header().Get("Retry-After"))
	}
	close(release)
	if code := <-first; code != http.StatusInternalServerError || calls != 1 {
		t.Errorf("first: %d after %d calls", code, calls)
	}
	// The failure released the claim: the retry the 503 asked for is
	// processed, and a later copy is a duplicate.
	if code := serve(h, req()).Code; code != http.StatusOK || calls != 2 {
		t.Errorf("retry after the failure: %d after %d calls; want 200 after 2", code, calls)
	}
	if code := serve(h, req()).Code; code != http.StatusOK || calls != 2 {
		t.Errorf("copy after the success: %d after %d calls; want 200 after 2", code, calls)
	}
}

func TestHandlerPanicReleasesClaim(t *testing.T) {
	body := fixture(t, "yotpo", contract.YotpoTopicOptOut)
	panicking := true
	var got int
	rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"y-s3cr3t"}}))
	h := rc.Handler(func(context.Context, webhook.Event) error {
		if panicking {
			panic("bug")
		}
		got++
		return nil
	}, webhook.HandlerOptions{})
	req := func() *http.Request {
		return must[*http.Request](t)(webhook.YotpoSigner{Token: "y-s3cr3t"}.NewRequest(target, "m", body))
	}
	func() {
		defer func() {
			if recover() == nil {
				t.Error("the panic was swallowed")
			}
		}()
		serve(h, req())
	}()
	panicking = false
	if code := serve(h, req()).Code; code != http.StatusOK || got != 1 {
		t.Fatalf("retry after panic: %d, %d calls", code, got)
	}
}

// brokenStore fails every call.
type brokenStore struct{}

func (brokenStore) Claim(context.Context, string, time.Duration) (webhook.Claim, string, error) {
	return 0, "", errors.New("redis down")
}
func (brokenStore) Complete(context.Context, string, string) error { return errors.New("redis down") }
func (brokenStore) Release(context.Context, string, string) error  { return errors.New("redis down") }

func TestHandlerStoreFailure(t *testing.T) {
	rec := &recorder{}
	h := yotpoHandler(t, rec, webhook.HandlerOptions{Dedup: brokenStore{}})
	body := fixture(t, "yotpo", contract.YotpoTopicOptIn)
	r := must[*http.Request](t)(webhook.YotpoSigner{Token: "y-s3cr3t"}.NewRequest(target, "m", body))
	if code := serve(h, r).Code; code != http.StatusInternalServerError || rec.ids() != "" {
		t.Fatalf("%d %q; want 500 without calling the user", code, rec.ids())
	}
}

// endStore claims every key and fails, or hangs on, Complete and Release.
type endStore struct {
	completeErr, releaseErr error
	hang                    bool // Complete and Release wait for their context
}

func (endStore) Claim(context.Context, string, time.Duration) (webhook.Claim, string, error) {
	return webhook.ClaimNew, "tok", nil
}

func (s endStore) end(ctx context.Context, err error) error {
	if s.hang {
		<-ctx.Done()
		return ctx.Err()
	}
	return err
}
func (s endStore) Complete(ctx context.Context, _, _ string) error { return s.end(ctx, s.completeErr) }
func (s endStore) Release(ctx context.Context, _, _ string) error  { return s.end(ctx, s.releaseErr) }

// When the store fails to end a claim, the answer follows the user's
// function (200 after success, 500 after failure) and OnError is told; a
// hung store is cut off by StoreTimeout, even for a cancelled request.
func TestHandlerCompleteReleaseFailures(t *testing.T) {
	body := fixture(t, "yotpo", contract.YotpoTopicOptIn)
	down := errors.New("redis down")
	tests := []struct {
		name    string
		store   endStore
		fnErr   error
		code    int
		wantErr error // the store error OnError must hear of
	}{
		{"complete fails", endStore{completeErr: down}, nil, http.StatusOK, down},
		{"release fails", endStore{releaseErr: down}, errors.New("user"), http.StatusInternalServerError, down},
		{"complete hangs", endStore{hang: true}, nil, http.StatusOK, context.DeadlineExceeded},
		{"release hangs", endStore{hang: true}, errors.New("user"), http.StatusInternalServerError, context.DeadlineExceeded},
	}
	for _, tt := range tests {
		var errs []error
		calls := 0
		rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"y-s3cr3t"}}))
		h := rc.Handler(func(context.Context, webhook.Event) error { calls++; return tt.fnErr }, webhook.HandlerOptions{
			Dedup: tt.store, StoreTimeout: 20 * time.Millisecond,
			OnError: func(_ *http.Request, err error) { errs = append(errs, err) },
		})
		r := must[*http.Request](t)(webhook.YotpoSigner{Token: "y-s3cr3t"}.NewRequest(target, "m", body))
		ctx, cancel := context.WithCancel(context.WithValue(r.Context(), ctxKey{}, "req"))
		cancel() // the client went away: the store calls must still run, bounded
		w := httptest.NewRecorder()
		done := make(chan struct{})
		go func() { h.ServeHTTP(w, r.WithContext(ctx)); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatalf("%s: the handler hangs on the store", tt.name)
		}
		found := false
		for _, err := range errs {
			found = found || errors.Is(err, tt.wantErr)
		}
		if w.Code != tt.code || calls != 1 || !found {
			t.Errorf("%s: %d after %d calls, OnError %v; want %d after 1, told of %v", tt.name, w.Code, calls, errs, tt.code, tt.wantErr)
		}
	}
}

// What the package doc says of the Influence.io URL token: a replay under
// the same X-Webhook-Id is a duplicate, but anyone holding the URL can send
// the body again under a new id (or forge one) and it is processed: the
// token authenticates the sender's knowledge of the URL, not the body.
func TestHandlerInfluenceIOTokenLimits(t *testing.T) {
	body := fixture(t, "influenceio", contract.InfluenceIOTopicPointsEarned)
	rec := &recorder{}
	rc := must[*webhook.Receiver](t)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"t"}}))
	h := rc.Handler(rec.fn, webhook.HandlerOptions{})
	s := webhook.InfluenceIOSigner{Token: "t"}
	deliver := func(id string, b []byte) int {
		return serve(h, must[*http.Request](t)(s.NewRequest(target, contract.InfluenceIOTopicPointsEarned, id, b))).Code
	}
	if code := deliver("wh-1", body); code != http.StatusOK || rec.ids() != "wh-1" {
		t.Fatalf("original: %d %q", code, rec.ids())
	}
	if code := deliver("wh-1", body); code != http.StatusOK || rec.ids() != "wh-1" {
		t.Errorf("same id again: %d %q; want a duplicate", code, rec.ids())
	}
	if code := deliver("wh-2", body); code != http.StatusOK || rec.ids() != "wh-1,wh-2" {
		t.Errorf("replay under a new id: %d %q; the token cannot tell it apart", code, rec.ids())
	}
	forged := []byte(strings.Replace(string(body), `"points": 120`, `"points": 12000`, 1))
	if code := deliver("wh-3", forged); code != http.StatusOK || rec.ids() != "wh-1,wh-2,wh-3" {
		t.Errorf("altered body with the token: %d %q; nothing covers the body", code, rec.ids())
	}
	if code := serve(h, must[*http.Request](t)(webhook.InfluenceIOSigner{}.NewRequest(target, contract.InfluenceIOTopicPointsEarned, "wh-4", body))).Code; code != http.StatusUnauthorized {
		t.Errorf("without the token: %d; want 401", code)
	}
}

// The body is read into memory as it arrives: a Content-Length the sender
// claims but does not send (before any signature is checked) costs no
// buffer of that size, so that idle connections cannot reserve
// MaxBodyBytes each.
func TestHandlerDoesNotPreallocateAClaimedLength(t *testing.T) {
	rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"y-s3cr3t"}}))
	h := rc.Handler(func(context.Context, webhook.Event) error { return nil }, webhook.HandlerOptions{MaxBodyBytes: 64 << 20})
	const claimed = 48 << 20
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	r := httptest.NewRequest(http.MethodPost, "/", io.MultiReader(strings.NewReader(`{"topic":`), iotest.ErrReader(io.ErrUnexpectedEOF)))
	r.ContentLength = claimed
	w := httptest.NewRecorder()
	h.ServeHTTP(w, r)
	runtime.ReadMemStats(&after)
	if w.Code != http.StatusBadRequest {
		t.Errorf("a body that broke off: %d, want 400", w.Code)
	}
	if got := after.TotalAlloc - before.TotalAlloc; got > 4<<20 {
		t.Errorf("reading 9 bytes of a claimed %d allocated %d bytes", claimed, got)
	}
}

// deadlineStore is a MemoryStore that records whether its calls got a
// deadline (the handler's StoreTimeout).
type deadlineStore struct {
	*webhook.MemoryStore
	mu        sync.Mutex
	deadlines []bool // per call, Claim, then Complete
}

func (s *deadlineStore) saw(ctx context.Context) {
	_, ok := ctx.Deadline()
	s.mu.Lock()
	defer s.mu.Unlock()
	s.deadlines = append(s.deadlines, ok)
}

func (s *deadlineStore) Claim(ctx context.Context, key string, lease time.Duration) (webhook.Claim, string, error) {
	s.saw(ctx)
	return s.MemoryStore.Claim(ctx, key, lease)
}

func (s *deadlineStore) Complete(ctx context.Context, key, token string) error {
	s.saw(ctx)
	return s.MemoryStore.Complete(ctx, key, token)
}

// blockingStore embeds a MemoryStore but says it may block.
type blockingStore struct{ *deadlineStore }

func (blockingStore) NeverBlocks() bool { return false }

// onlyStore hides every method but DedupStore's.
type onlyStore struct{ webhook.DedupStore }

// A store whose NeverBlocks reports true (MemoryStore, and what embeds one)
// is called without the StoreTimeout deadline; one that reports false, or
// does not have the method, gets it on every call.
func TestHandlerNonBlockingStore(t *testing.T) {
	var _ webhook.NonBlockingStore = webhook.NewMemoryStore(0, 0)
	body := fixture(t, "yotpo", contract.YotpoTopicOptIn)
	for _, tt := range []struct {
		name     string
		wrap     func(*deadlineStore) webhook.DedupStore
		deadline bool
	}{
		{"never blocks", func(s *deadlineStore) webhook.DedupStore { return s }, false},
		{"overridden", func(s *deadlineStore) webhook.DedupStore { return blockingStore{s} }, true},
		{"no NeverBlocks", func(s *deadlineStore) webhook.DedupStore { return onlyStore{s} }, true},
	} {
		s := &deadlineStore{MemoryStore: webhook.NewMemoryStore(0, 0)}
		rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"y-s3cr3t"}}))
		h := rc.Handler(func(context.Context, webhook.Event) error { return nil }, webhook.HandlerOptions{Dedup: tt.wrap(s)})
		r := must[*http.Request](t)(webhook.YotpoSigner{Token: "y-s3cr3t"}.NewRequest(target, "m", body))
		if code := serve(h, r).Code; code != http.StatusOK {
			t.Fatalf("%s: %d", tt.name, code)
		}
		if len(s.deadlines) != 2 || s.deadlines[0] != tt.deadline || s.deadlines[1] != tt.deadline {
			t.Errorf("%s: deadlines of Claim, Complete %v; want %v", tt.name, s.deadlines, tt.deadline)
		}
	}
}

// keyStore records the keys it is asked to claim and complete.
type keyStore struct {
	*webhook.MemoryStore
	claimed, completed []string
}

func (s *keyStore) Claim(ctx context.Context, key string, lease time.Duration) (webhook.Claim, string, error) {
	s.claimed = append(s.claimed, key)
	return s.MemoryStore.Claim(ctx, key, lease)
}

func (s *keyStore) Complete(ctx context.Context, key, token string) error {
	s.completed = append(s.completed, key)
	return s.MemoryStore.Complete(ctx, key, token)
}

// Each event of a batch is claimed and completed under its own key,
// "qualifio:<id>", whatever the lengths of the ids around it.
func TestHandlerDedupKeysOfABatch(t *testing.T) {
	ids := []string{"a", "event-number-two", "é3", "x:y"}
	var events []string
	for _, id := range ids {
		events = append(events, `{"id":"`+id+`","type":"portal.visited"}`)
	}
	body := []byte("[" + strings.Join(events, ",") + "]")
	s := &keyStore{MemoryStore: webhook.NewMemoryStore(0, 0)}
	rc := must[*webhook.Receiver](t)(webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{"s"}}))
	h := rc.Handler(func(context.Context, webhook.Event) error { return nil }, webhook.HandlerOptions{Dedup: s})
	if code := serve(h, must[*http.Request](t)(webhook.QualifioSigner{Secret: "s"}.NewRequest(target, body))).Code; code != http.StatusOK {
		t.Fatalf("%d", code)
	}
	want := "qualifio:a,qualifio:event-number-two,qualifio:é3,qualifio:x:y"
	if got := strings.Join(s.claimed, ","); got != want {
		t.Errorf("claimed %s; want %s", got, want)
	}
	if got := strings.Join(s.completed, ","); got != want {
		t.Errorf("completed %s; want %s", got, want)
	}
}
