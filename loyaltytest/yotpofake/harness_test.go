package yotpofake

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit/fakekittest"
)

// harness runs one Fake behind the shared test harness, under Yotpo's base
// path and authenticated with its GUID and API key headers.
type harness struct {
	*fakekittest.Harness
	fake *Fake
}

var (
	t0     = fakekittest.T0
	topics = fakekittest.Topics
	decode = fakekittest.Decode
)

const (
	testGUID = "guid-1"
	testKey  = "key-1"
	hookURL  = "https://merchant.example/hooks/yotpo"
)

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{Harness: fakekittest.New(t)}
	h.fake = New(h.Env(4096), cfg)
	h.Serve(h.fake, contract.YotpoBasePath, http.Header{
		contract.YotpoHeaderGUID:   {testGUID},
		contract.YotpoHeaderAPIKey: {testKey},
		"Content-Type":             {"application/json"},
	})
	return h
}

// mustError checks an error answer's status and that it has Yotpo's shape.
func (h *harness) mustError(want int, method, path string, q url.Values, body string) string {
	h.T.Helper()
	return h.MustErrorField("error_message", want, method, path, q, body)
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
	h.T.Helper()
	q := url.Values{
		contract.YotpoQueryCustomerEmail:    {email},
		contract.YotpoQueryWithHistory:      {"true"},
		contract.YotpoQueryWithReferralCode: {"true"},
	}
	var c testCustomer
	decode(h.T, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomers, q, ""), &c)
	return c
}

// create makes a customer and returns it.
func (h *harness) create(body string) testCustomer {
	h.T.Helper()
	var c testCustomer
	decode(h.T, h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathCustomers, nil, body), &c)
	return c
}

// envelope decodes a delivery body into a generic map.
func envelope(t *testing.T, d fakekit.Delivery) map[string]any {
	t.Helper()
	return fakekittest.DecodeMap(t, d.Body)
}
