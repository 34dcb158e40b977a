package influenceiofake

import (
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// harness runs one Fake behind an httptest server with a settable clock, a
// counter-based NewID and an Emit that records deliveries.
type harness struct {
	t    *testing.T
	fake *Fake
	srv  *httptest.Server

	mu         sync.Mutex
	now        time.Time
	ids        int
	deliveries []fakekit.Delivery
}

var t0 = time.Date(2026, 3, 1, 10, 0, 0, 0, time.UTC)

const (
	testKey = "key-1"
	hookURL = "https://merchant.example/hooks/influence?token=tok"
)

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{t: t, now: t0}
	env := fakekit.Env{
		Now: func() time.Time {
			h.mu.Lock()
			defer h.mu.Unlock()
			return h.now
		},
		NewID: func() string {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.ids++
			return "id-" + strconv.Itoa(h.ids)
		},
		Emit: func(d fakekit.Delivery) {
			h.mu.Lock()
			defer h.mu.Unlock()
			h.deliveries = append(h.deliveries, d)
		},
		MaxBody: 4096,
	}
	h.fake = New(env, cfg)
	h.srv = httptest.NewServer(h.fake)
	t.Cleanup(h.srv.Close)
	return h
}

func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

func (h *harness) takeDeliveries() []fakekit.Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := h.deliveries
	h.deliveries = nil
	return d
}

func topics(ds []fakekit.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Topic
	}
	return out
}

// request sends an authenticated request to a full path; body is raw JSON.
func (h *harness) request(method, path string, q url.Values, body string) (int, []byte) {
	h.t.Helper()
	return h.raw(method, path, q, body, http.Header{
		contract.InfluenceIOHeaderAPIKey: {testKey},
		"Content-Type":                   {"application/json"},
	})
}

func (h *harness) raw(method, path string, q url.Values, body string, hdr http.Header) (int, []byte) {
	h.t.Helper()
	u := h.srv.URL + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	if err != nil {
		h.t.Fatal(err)
	}
	req.Header = hdr
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		h.t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		h.t.Fatal(err)
	}
	return resp.StatusCode, b
}

func (h *harness) mustStatus(want int, method, path string, q url.Values, body string) []byte {
	h.t.Helper()
	got, b := h.request(method, path, q, body)
	if got != want {
		h.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, got, want, b)
	}
	return b
}

// mustError checks an error answer's status and Influence.io's {"message"} shape.
func (h *harness) mustError(want int, method, path string, q url.Values, body string) string {
	h.t.Helper()
	b := h.mustStatus(want, method, path, q, body)
	var e struct {
		Message string `json:"message"`
	}
	if err := json.Unmarshal(b, &e); err != nil || e.Message == "" {
		h.t.Fatalf("%s %s: error body %s lacks message", method, path, b)
	}
	return e.Message
}

// testCustomer is the test's own view of the REST customer object.
type testCustomer struct {
	ID               string   `json:"id"`
	ExternalID       string   `json:"externalId"`
	Email            string   `json:"email"`
	FirstName        string   `json:"firstName"`
	LastName         string   `json:"lastName"`
	Name             string   `json:"name"`
	Phone            string   `json:"phone"`
	BirthdayMonth    *int     `json:"birthdayMonth"`
	BirthdayDay      *int     `json:"birthdayDay"`
	AcceptsMarketing bool     `json:"acceptsMarketing"`
	Tags             []string `json:"tags"`
	PointBalance     int      `json:"pointBalance"`
	ReferralLink     string   `json:"referralLink"`
	LastSeenAt       *string  `json:"lastSeenAt"`
	CreatedAt        string   `json:"createdAt"`
	UpdatedAt        string   `json:"updatedAt"`
}

// put upserts a customer and returns it.
func (h *harness) put(id, body string) testCustomer {
	h.t.Helper()
	var env struct {
		Customer testCustomer `json:"customer"`
	}
	decode(h.t, h.mustStatus(http.StatusOK, http.MethodPut, contract.InfluenceIOCustomerPath(id), nil, body), &env)
	return env.Customer
}

// get fetches a customer.
func (h *harness) get(id string) testCustomer {
	h.t.Helper()
	var env struct {
		Customer testCustomer `json:"customer"`
	}
	decode(h.t, h.mustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOCustomerPath(id), nil, ""), &env)
	return env.Customer
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

func payload(t *testing.T, b []byte) map[string]any {
	t.Helper()
	var m map[string]any
	decode(t, b, &m)
	return m
}
