package influenceiofake

import (
	"net/http"
	"net/url"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit/fakekittest"
)

// harness runs one Fake behind the shared test harness, authenticated with
// Influence.io's API key header.
type harness struct {
	*fakekittest.Harness
	fake *Fake
}

var (
	t0      = fakekittest.T0
	topics  = fakekittest.Topics
	decode  = fakekittest.Decode
	payload = fakekittest.DecodeMap
)

const (
	testKey = "key-1"
	hookURL = "https://merchant.example/hooks/influence?token=tok"
)

func newHarness(t *testing.T, cfg Config) *harness {
	t.Helper()
	h := &harness{Harness: fakekittest.New(t)}
	h.fake = New(h.Env(4096), cfg)
	h.Serve(h.fake, "", http.Header{
		contract.InfluenceIOHeaderAPIKey: {testKey},
		"Content-Type":                   {"application/json"},
	})
	return h
}

// mustError checks an error answer's status and Influence.io's {"message"} shape.
func (h *harness) mustError(want int, method, path string, q url.Values, body string) string {
	h.T.Helper()
	return h.MustErrorField("message", want, method, path, q, body)
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
	h.T.Helper()
	var env struct {
		Customer testCustomer `json:"customer"`
	}
	decode(h.T, h.MustStatus(http.StatusOK, http.MethodPut, contract.InfluenceIOCustomerPath(id), nil, body), &env)
	return env.Customer
}

// get fetches a customer.
func (h *harness) get(id string) testCustomer {
	h.T.Helper()
	var env struct {
		Customer testCustomer `json:"customer"`
	}
	decode(h.T, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOCustomerPath(id), nil, ""), &env)
	return env.Customer
}
