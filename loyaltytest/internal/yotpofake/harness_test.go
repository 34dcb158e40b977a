package yotpofake

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
	testGUID = "guid-1"
	testKey  = "key-1"
	hookURL  = "https://merchant.example/hooks/yotpo"
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

// advance moves the clock forward.
func (h *harness) advance(d time.Duration) {
	h.mu.Lock()
	defer h.mu.Unlock()
	h.now = h.now.Add(d)
}

// takeDeliveries returns and forgets the recorded deliveries.
func (h *harness) takeDeliveries() []fakekit.Delivery {
	h.mu.Lock()
	defer h.mu.Unlock()
	d := h.deliveries
	h.deliveries = nil
	return d
}

// topics returns the topics of ds in order.
func topics(ds []fakekit.Delivery) []string {
	out := make([]string, len(ds))
	for i, d := range ds {
		out[i] = d.Topic
	}
	return out
}

// request sends an authenticated request; body is raw JSON ("" for none).
func (h *harness) request(method, path string, q url.Values, body string) (int, []byte) {
	h.t.Helper()
	return h.raw(method, path, q, body, http.Header{
		contract.YotpoHeaderGUID:   {testGUID},
		contract.YotpoHeaderAPIKey: {testKey},
		"Content-Type":             {"application/json"},
	})
}

func (h *harness) raw(method, path string, q url.Values, body string, hdr http.Header) (int, []byte) {
	h.t.Helper()
	u := h.srv.URL + contract.YotpoBasePath + path
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

// mustStatus sends a request and fails unless it gets want; it returns the body.
func (h *harness) mustStatus(want int, method, path string, q url.Values, body string) []byte {
	h.t.Helper()
	got, b := h.request(method, path, q, body)
	if got != want {
		h.t.Fatalf("%s %s: status %d, want %d; body %s", method, path, got, want, b)
	}
	return b
}

// mustError checks an error answer's status and that it has Yotpo's shape.
func (h *harness) mustError(want int, method, path string, q url.Values, body string) string {
	h.t.Helper()
	b := h.mustStatus(want, method, path, q, body)
	var e struct {
		ErrorMessage string `json:"error_message"`
	}
	if err := json.Unmarshal(b, &e); err != nil || e.ErrorMessage == "" {
		h.t.Fatalf("%s %s: error body %s lacks error_message", method, path, b)
	}
	return e.ErrorMessage
}

// testCustomer is the test's own view of the REST customer object.
type testCustomer struct {
	Email           string  `json:"email"`
	FirstName       string  `json:"first_name"`
	LastName        string  `json:"last_name"`
	PhoneNumber     string  `json:"phone_number"`
	ThirdPartyID    string  `json:"third_party_id"`
	ThirtyPartyID   string  `json:"thirty_party_id"`
	POSAccountID    *string `json:"pos_account_id"`
	HasStoreAccount bool    `json:"has_store_account"`
	PointsBalance   int     `json:"points_balance"`
	PointsEarned    int     `json:"points_earned"`
	TotalSpendCents int     `json:"total_spend_cents"`
	TotalPurchases  int     `json:"total_purchases"`
	PerksRedeemed   int     `json:"perks_redeemed"`
	LastPurchaseAt  *string `json:"last_purchase_at"`
	LastSeenAt      string  `json:"last_seen_at"`
	CreditBalance   string  `json:"credit_balance"`
	OptIn           bool    `json:"opt_in"`
	OptedInAt       *string `json:"opted_in_at"`
	Tags            string  `json:"tags"`
	BirthdayMonth   *int    `json:"birthday_month"`
	BirthDay        *int    `json:"birth_day"`
	BirthdayYear    *int    `json:"birthday_year"`
	VIPTierName     *string `json:"vip_tier_name"`
	Upgrade         struct {
		PointsNeeded int `json:"points_needed"`
	} `json:"vip_tier_upgrade_requirements"`
	ReferralCode *struct {
		Code string `json:"code"`
	} `json:"referral_code"`
	ReferralLink *struct {
		Link string `json:"link"`
		Code string `json:"code"`
	} `json:"referral_link"`
	HistoryItems *[]struct {
		CreatedAt   string `json:"created_at"`
		Action      string `json:"action"`
		ActionName  string `json:"action_name"`
		Points      int    `json:"points"`
		Status      string `json:"status"`
		CompletedAt string `json:"completed_at"`
	} `json:"history_items"`
}

// get fetches a customer by email with history and referral data.
func (h *harness) get(email string) testCustomer {
	h.t.Helper()
	q := url.Values{
		contract.YotpoQueryCustomerEmail:    {email},
		contract.YotpoQueryWithHistory:      {"true"},
		contract.YotpoQueryWithReferralCode: {"true"},
	}
	var c testCustomer
	decode(h.t, h.mustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomers, q, ""), &c)
	return c
}

// create makes a customer and returns it.
func (h *harness) create(body string) testCustomer {
	h.t.Helper()
	var c testCustomer
	decode(h.t, h.mustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathCustomers, nil, body), &c)
	return c
}

func decode(t *testing.T, b []byte, v any) {
	t.Helper()
	if err := json.Unmarshal(b, v); err != nil {
		t.Fatalf("decode %s: %v", b, err)
	}
}

// envelope decodes a delivery body into a generic map.
func envelope(t *testing.T, d fakekit.Delivery) map[string]any {
	t.Helper()
	var m map[string]any
	decode(t, d.Body, &m)
	return m
}
