package yotpofake

import (
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func TestAuthHeadersAndQuery(t *testing.T) {
	h := newHarness(t, Config{})
	path := contract.YotpoPathVIPTiers
	cases := []struct {
		name string
		q    url.Values
		hdr  http.Header
		want int
	}{
		{"none", nil, http.Header{}, http.StatusUnauthorized},
		{"guid only", nil, http.Header{contract.YotpoHeaderGUID: {"g"}}, http.StatusUnauthorized},
		{"key only", nil, http.Header{contract.YotpoHeaderAPIKey: {"k"}}, http.StatusUnauthorized},
		{"headers", nil, http.Header{contract.YotpoHeaderGUID: {"g"}, contract.YotpoHeaderAPIKey: {"k"}}, http.StatusOK},
		{"lower-case headers", nil, http.Header{"x-guid": {"g"}, "x-api-key": {"k"}}, http.StatusOK},
		{"query", url.Values{contract.YotpoQueryGUID: {"g"}, contract.YotpoQueryAPIKey: {"k"}}, http.Header{}, http.StatusOK},
		{"mixed", url.Values{contract.YotpoQueryAPIKey: {"k"}}, http.Header{contract.YotpoHeaderGUID: {"g"}}, http.StatusOK},
	}
	for _, c := range cases {
		got, body := h.Raw(http.MethodGet, path, c.q, "", c.hdr)
		if got != c.want {
			t.Errorf("%s: status %d, want %d", c.name, got, c.want)
		}
		if c.want == http.StatusUnauthorized && !strings.Contains(string(body), `"error_message"`) {
			t.Errorf("%s: body %s lacks error_message", c.name, body)
		}
	}
}

func TestAuthPinnedCredentials(t *testing.T) {
	h := newHarness(t, Config{GUID: testGUID, APIKey: testKey})
	h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathVIPTiers, nil, "")
	for _, hdr := range []http.Header{
		{contract.YotpoHeaderGUID: {testGUID}, contract.YotpoHeaderAPIKey: {"wrong"}},
		{contract.YotpoHeaderGUID: {"wrong"}, contract.YotpoHeaderAPIKey: {testKey}},
	} {
		if got, _ := h.Raw(http.MethodGet, contract.YotpoPathVIPTiers, nil, "", hdr); got != http.StatusUnauthorized {
			t.Errorf("wrong credentials %v: status %d, want 401", hdr, got)
		}
	}
	q := url.Values{contract.YotpoQueryGUID: {testGUID}, contract.YotpoQueryAPIKey: {testKey}}
	if got, _ := h.Raw(http.MethodGet, contract.YotpoPathVIPTiers, q, "", http.Header{}); got != http.StatusOK {
		t.Errorf("pinned query credentials: status %d, want 200", got)
	}
}

func TestRoutingErrors(t *testing.T) {
	h := newHarness(t, Config{})
	h.mustError(http.StatusNotFound, http.MethodGet, "/nope", nil, "")
	h.mustError(http.StatusNotFound, http.MethodGet, contract.YotpoPathCustomers+"/", nil, "")
	h.mustError(http.StatusMethodNotAllowed, http.MethodDelete, contract.YotpoPathCustomers, nil, "")
	h.mustError(http.StatusMethodNotAllowed, http.MethodGet, contract.YotpoPathOrders, nil, "")

	// The Allow header names what the path serves.
	req, _ := http.NewRequest(http.MethodPut, h.Srv.URL+contract.YotpoBasePath+contract.YotpoPathCustomers, nil)
	req.Header.Set(contract.YotpoHeaderGUID, "g")
	req.Header.Set(contract.YotpoHeaderAPIKey, "k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := resp.Header.Get("Allow"); got != "GET, POST" {
		t.Errorf("Allow = %q, want %q", got, "GET, POST")
	}

	// A path outside the base is not Yotpo's.
	hdr := http.Header{contract.YotpoHeaderGUID: {"g"}, contract.YotpoHeaderAPIKey: {"k"}}
	req, _ = http.NewRequest(http.MethodGet, h.Srv.URL+"/api/v3/customers", nil)
	req.Header = hdr
	resp, err = http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusNotFound {
		t.Errorf("outside base: status %d, want 404", resp.StatusCode)
	}
}

// TestBadBodiesChangeNothing sends every write endpoint bodies it must
// refuse (malformed, wrong content type, oversized) against a seeded account
// with a webhook set, and compares the whole visible state and the
// deliveries before and after each. Each refused body is built from a valid
// one that, sent properly at the end, does change state, so a refused body
// that got through would show.
func TestBadBodiesChangeNothing(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	seedSpend(h)
	h.fake.AddCampaign(Campaign{Type: contract.YotpoCampaignCustomAction, Title: "Review", ActionName: "review", RewardPoints: 7})
	opt := h.fake.AddRedemptionOption(RedemptionOption{Name: "$1 off", Amount: 10, DiscountType: "fixed_amount"})
	h.create(`{"email":"a@example.com","id":"c-1","tags":"seed"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil, `{"customer_email":"a@example.com","point_adjustment_amount":50}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil, `{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":1000}`)
	if len(h.TakeDeliveries()) == 0 {
		t.Fatal("seeding emitted nothing: the webhook is not set")
	}

	// state is everything a client can see: the customer with history and
	// referral data, and the full customer list.
	state := func() string {
		h.T.Helper()
		q := url.Values{contract.YotpoQueryCustomerEmail: {"a@example.com"}, contract.YotpoQueryWithHistory: {"true"}, contract.YotpoQueryWithReferralCode: {"true"}}
		one := h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomers, q, "")
		all := h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomersAll, nil, "")
		return string(one) + "\n" + string(all)
	}
	auth := func(ct string) http.Header {
		return http.Header{contract.YotpoHeaderGUID: {"g"}, contract.YotpoHeaderAPIKey: {"k"}, "Content-Type": {ct}}
	}
	valid := []struct{ path, body string }{
		{contract.YotpoPathCustomers, `{"email":"a@example.com","tags":"changed"}`},
		{contract.YotpoPathCustomerBirthdays, `{"customer_email":"a@example.com","day":1,"month":2}`},
		{contract.YotpoPathActions, `{"type":"CustomAction","customer_email":"a@example.com","action_name":"review"}`},
		{contract.YotpoPathPointsAdjust, `{"customer_email":"a@example.com","point_adjustment_amount":5}`},
		{contract.YotpoPathOrders, `{"order_id":"o-2","customer_email":"b@example.com","total_amount_cents":500}`},
		{contract.YotpoPathRefunds, `{"order_id":"o-1","total_amount_cents":100}`},
		{contract.YotpoPathRedemptions, `{"customer_email":"a@example.com","redemption_option_id":` + itoa(opt.ID) + `}`},
	}
	before := state()
	for _, v := range valid {
		pad := strings.TrimSuffix(v.body, "}") + `,"pad":"` + strings.Repeat("x", 5000) + `"}`
		for _, bad := range []struct {
			name, ct, body string
			want           int
		}{
			{"truncated", "application/json", v.body[:len(v.body)-1], http.StatusBadRequest},
			{"malformed", "application/json", `{"email":`, http.StatusBadRequest},
			{"array", "application/json", `[1,2]`, http.StatusBadRequest},
			{"text/plain", "text/plain", v.body, http.StatusUnsupportedMediaType},
			{"form", "application/x-www-form-urlencoded", v.body, http.StatusUnsupportedMediaType},
			{"oversized", "application/json", pad, http.StatusRequestEntityTooLarge},
		} {
			got, b := h.Raw(http.MethodPost, v.path, nil, bad.body, auth(bad.ct))
			if got != bad.want || !strings.Contains(string(b), `"error_message"`) {
				t.Errorf("%s %s: status %d %s, want %d with error_message", v.path, bad.name, got, b, bad.want)
			}
			if after := state(); after != before {
				t.Errorf("%s %s changed state:\nbefore %s\nafter  %s", v.path, bad.name, before, after)
			}
			if d := h.TakeDeliveries(); len(d) != 0 {
				t.Errorf("%s %s emitted %v", v.path, bad.name, topics(d))
			}
		}
	}
	// A charset parameter is fine.
	if got, b := h.Raw(http.MethodPost, contract.YotpoPathCustomers, nil, `{"email":"ok@example.com"}`, auth("application/json; charset=utf-8")); got != http.StatusOK {
		t.Fatalf("charset: status %d: %s", got, b)
	}
	// Sent properly, every valid body changes what the test compared.
	for _, v := range valid {
		prev := state()
		h.MustStatus(http.StatusOK, http.MethodPost, v.path, nil, v.body)
		if state() == prev {
			t.Errorf("%s %s: the valid body changed nothing, so its refused forms prove nothing", v.path, v.body)
		}
	}
}

// TestConcurrentClients hammers one customer from many goroutines; under
// -race it checks the locking, and the totals check nothing was lost or
// counted twice.
func TestConcurrentClients(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "secret")
	h.fake.AddCampaign(Campaign{Type: contract.YotpoCampaignTransactionBased, Title: "Place an order", RewardPoints: 10})
	h.create(`{"email":"busy@example.com","id":"c-busy"}`)
	const workers, each = 16, 10
	var wg sync.WaitGroup
	errs := make(chan string, workers*each*3)
	for w := 0; w < workers; w++ {
		wg.Add(1)
		go func(w int) {
			defer wg.Done()
			for i := 0; i < each; i++ {
				if got, b := h.Request(http.MethodPost, contract.YotpoPathPointsAdjust, nil, `{"customer_email":"busy@example.com","point_adjustment_amount":1}`); got != http.StatusOK {
					errs <- fmt.Sprintf("adjust: %d %s", got, b)
				}
				// Every worker sends the same order ids: each must count once.
				order := fmt.Sprintf(`{"customer_email":"busy@example.com","order_id":"o-%d","total_amount_cents":100}`, i)
				if got, b := h.Request(http.MethodPost, contract.YotpoPathOrders, nil, order); got != http.StatusOK {
					errs <- fmt.Sprintf("order: %d %s", got, b)
				}
				if got, b := h.Request(http.MethodGet, contract.YotpoPathCustomersRecent, nil, ""); got != http.StatusOK {
					errs <- fmt.Sprintf("recent: %d %s", got, b)
				}
			}
		}(w)
	}
	wg.Wait()
	close(errs)
	for e := range errs {
		t.Error(e)
	}
	c := h.get("busy@example.com")
	if want := workers*each + each*10; c.PointsBalance != want {
		t.Errorf("balance %d, want %d", c.PointsBalance, want)
	}
	if c.TotalPurchases != each || c.TotalSpendCents != each*100 {
		t.Errorf("purchases %d spend %d, want %d and %d", c.TotalPurchases, c.TotalSpendCents, each, each*100)
	}
}
