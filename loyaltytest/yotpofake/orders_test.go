package yotpofake

import (
	"net/http"
	"net/url"
	"slices"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func seedSpend(h *harness) {
	h.fake.AddCampaign(Campaign{Type: contract.YotpoCampaignSpendBased, Title: "Made a purchase", RewardPoints: 1})
}

func TestOrdersEarnOnceAndCreateCustomers(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	seedSpend(h)
	for _, bad := range []string{
		`{"customer_email":"a@example.com","total_amount_cents":100}`,
		`{"order_id":"o-1","total_amount_cents":100}`,
		`{"order_id":"o-1","customer_email":"a@example.com"}`,
		`{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":-1}`,
		`{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":"12.5"}`,
		`{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":"lots"}`,
		`{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":100,"created_at":"25/05/2019"}`,
	} {
		h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathOrders, nil, bad)
	}
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathOrders, nil, `{"order_id":"o-1","customer_id":"ghost","total_amount_cents":100}`)
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Fatalf("rejected orders emitted %v", topics(d))
	}

	// An unknown email creates the customer; cents may be a string; the
	// documented "YYYY-MM-DD HH:MM:SS" form is accepted.
	order := `{"order_id":"o-1","customer_email":"new@example.com","customer_id":"c-9","total_amount_cents":"15000","currency_code":"USD",
		"status":"paid","created_at":"2019-05-25 20:59:53","items":[{"id":"p1","name":"Hat","price_cents":"15000","quantity":1}],
		"customer":{"tags":"vip","has_account":true,"opted_in":true}}`
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil, order)
	c := h.get("new@example.com")
	if c.ThirdPartyID != "c-9" || c.PointsBalance != 150 || c.PointsEarned != 150 || c.TotalSpendCents != 15000 || c.TotalPurchases != 1 ||
		c.Tags != "vip" || !c.HasStoreAccount || !c.OptIn || c.LastPurchaseAt == nil || *c.LastPurchaseAt != "2019-05-25T20:59:53.000Z" {
		t.Fatalf("after order: %+v", c)
	}
	if items := *c.HistoryItems; len(items) != 1 || items[0].Points != 150 || items[0].Action != "Made a purchase" || items[0].CompletedAt != "2019-05-25T20:59:53.000Z" {
		t.Errorf("order history %+v", items)
	}
	want := []string{contract.YotpoTopicAccountCreated, contract.YotpoTopicOptIn, contract.YotpoTopicPointsEarned, contract.YotpoTopicPointsChanged}
	if got := topics(h.TakeDeliveries()); !slices.Equal(got, want) {
		t.Errorf("order webhooks %v, want %v", got, want)
	}

	// A repeat order id awards nothing, whatever it says.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil, `{"order_id":"o-1","customer_email":"new@example.com","total_amount_cents":99900}`)
	if c = h.get("new@example.com"); c.PointsBalance != 150 || c.TotalPurchases != 1 {
		t.Errorf("repeat order counted: %+v", c)
	}
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Errorf("repeat order emitted %v", topics(d))
	}

	// A pending order is recorded but does not count; RFC 3339 works too.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-2","customer_id":"c-9","total_amount_cents":5000,"status":"pending","created_at":"2026-03-01T09:00:00+01:00"}`)
	if c = h.get("new@example.com"); c.PointsBalance != 150 || c.TotalPurchases != 1 {
		t.Errorf("pending order counted: %+v", c)
	}
	// Re-sent still pending, it still does not count.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil, `{"order_id":"o-2","customer_id":"c-9","total_amount_cents":5000,"status":"pending"}`)
	if c = h.get("new@example.com"); c.PointsBalance != 150 || c.TotalPurchases != 1 || c.TotalSpendCents != 15000 {
		t.Errorf("pending repeat counted: %+v", c)
	}
	h.TakeDeliveries()
	// Re-sent paid, the pending order counts, once (the status decides
	// when the order counts).
	paid := `{"order_id":"o-2","customer_id":"c-9","total_amount_cents":5000,"status":"paid","created_at":"2026-03-02T09:00:00Z"}`
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil, paid)
	if c = h.get("new@example.com"); c.PointsBalance != 200 || c.PointsEarned != 200 || c.TotalPurchases != 2 || c.TotalSpendCents != 20000 ||
		c.LastPurchaseAt == nil || *c.LastPurchaseAt != "2026-03-02T09:00:00.000Z" {
		t.Errorf("pending order re-sent paid: %+v", c)
	}
	if got := topics(h.TakeDeliveries()); !slices.Equal(got, []string{contract.YotpoTopicPointsEarned, contract.YotpoTopicPointsChanged}) {
		t.Errorf("pending order re-sent paid emitted %v", got)
	}
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil, paid)
	if c = h.get("new@example.com"); c.PointsBalance != 200 || c.TotalPurchases != 2 || c.TotalSpendCents != 20000 {
		t.Errorf("paid order re-sent counted twice: %+v", c)
	}
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Errorf("paid repeat emitted %v", topics(d))
	}
	// A transaction campaign adds per order, on top of spend.
	h.fake.AddCampaign(Campaign{Type: contract.YotpoCampaignTransactionBased, Title: "Order bonus", RewardPoints: 5})
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil, `{"order_id":"o-3","customer_email":"NEW@example.com","total_amount_cents":1050}`)
	if c = h.get("new@example.com"); c.PointsBalance != 200+10+5 || c.TotalPurchases != 3 || c.TotalSpendCents != 21050 {
		t.Errorf("second counting order: %+v", c)
	}
}

func TestRefunds(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	seedSpend(h)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":10000,"currency_code":"USD"}`)
	h.TakeDeliveries()
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRefunds, nil, `{"total_amount_cents":100}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-1"}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-1","total_amount_cents":0}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-1","total_amount_cents":100,"items":[{"quantity":1}]}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-1","total_amount_cents":100,"items":[{"id":"p1"}]}`)
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-404","total_amount_cents":100}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-1","total_amount_cents":100,"currency":"EUR"}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-1","total_amount_cents":10001}`)
	if c := h.get("a@example.com"); c.PointsBalance != 100 || c.TotalSpendCents != 10000 {
		t.Fatalf("rejected refunds changed state: %+v", c)
	}

	// Refunding a quarter reverses a quarter of the earned points.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRefunds, nil, `{"id":"r-1","order_id":"o-1","total_amount_cents":"2500","currency":"usd","items":[{"id":"p1","quantity":1}]}`)
	c := h.get("a@example.com")
	if c.PointsBalance != 75 || c.PointsEarned != 75 || c.TotalSpendCents != 7500 {
		t.Fatalf("after partial refund: %+v", c)
	}
	if items := *c.HistoryItems; items[len(items)-1].Points != -25 || items[len(items)-1].Status != "Reversed" {
		t.Errorf("refund history %+v", items)
	}
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.YotpoTopicPointsChanged}) || envelope(t, ds[0])["points_changed_reason"] != "Refund made" {
		t.Errorf("refund webhooks %v", topics(ds))
	}
	// The same refund id again changes nothing.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRefunds, nil, `{"id":"r-1","order_id":"o-1","total_amount_cents":2500}`)
	if c = h.get("a@example.com"); c.PointsBalance != 75 {
		t.Errorf("repeated refund id reversed again: %d", c.PointsBalance)
	}
	// Spend most points, then refund the rest: the balance stops at zero.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil, `{"customer_email":"a@example.com","point_adjustment_amount":-70}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-1","total_amount_cents":7500}`)
	if c = h.get("a@example.com"); c.PointsBalance != 0 || c.PointsEarned != 0 || c.TotalSpendCents != 0 {
		t.Errorf("after full refund: %+v", c)
	}
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathRefunds, nil, `{"order_id":"o-1","total_amount_cents":1}`)
}

// TestRefundOfUncountedOrder checks that a refund takes back only what its
// order added: an order that never counted added nothing, so refunding it is
// 422 and leaves the spend of the customer's other orders alone.
func TestRefundOfUncountedOrder(t *testing.T) {
	h := newHarness(t, Config{})
	seedSpend(h)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-paid","customer_email":"a@example.com","total_amount_cents":10000}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-pending","customer_email":"a@example.com","total_amount_cents":8000,"status":"pending"}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathRefunds, nil, `{"id":"r-1","order_id":"o-pending","total_amount_cents":8000}`)
	if c := h.get("a@example.com"); c.TotalSpendCents != 10000 || c.PointsBalance != 100 || len(*c.HistoryItems) != 1 {
		t.Fatalf("refund of an uncounted order changed state: %+v", c)
	}
	// The rejected refund id was not used up, and the order can still count
	// and then be refunded in full.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-pending","customer_email":"a@example.com","total_amount_cents":8000,"status":"paid"}`)
	if c := h.get("a@example.com"); c.TotalSpendCents != 18000 || c.PointsBalance != 180 {
		t.Fatalf("after the pending order counted: %+v", c)
	}
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRefunds, nil, `{"id":"r-1","order_id":"o-pending","total_amount_cents":8000}`)
	if c := h.get("a@example.com"); c.TotalSpendCents != 10000 || c.PointsBalance != 100 || c.PointsEarned != 100 {
		t.Fatalf("after refunding the counted order: %+v", c)
	}
}

func TestRedemptions(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	seedSpend(h)
	five := h.fake.AddRedemptionOption(RedemptionOption{Name: "$5 off", Amount: 500, DiscountType: "fixed_amount", DiscountAmountCents: 500, Type: "shopify_fixed_amount_coupon"})
	pct := h.fake.AddRedemptionOption(RedemptionOption{Name: "10% off", Amount: 1000, DiscountType: "percentage", DiscountPercentage: 10, Offline: true})
	h.create(`{"email":"a@example.com","id":"c-1","phone_number":"+15550001"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil, `{"customer_email":"a@example.com","point_adjustment_amount":800}`)
	h.TakeDeliveries()

	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRedemptions, nil, `{"redemption_option_id":1}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathRedemptions, nil, `{"customer_email":"a@example.com"}`)
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathRedemptions, nil, `{"customer_email":"x@example.com","redemption_option_id":1}`)
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathRedemptions, nil, `{"customer_email":"a@example.com","redemption_option_id":999}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathRedemptions, nil,
		`{"customer_email":"a@example.com","redemption_option_id":`+itoa(pct.ID)+`}`)
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Fatalf("rejected redemptions emitted %v", topics(d))
	}

	var rd struct {
		ID         int     `json:"id"`
		RewardText string  `json:"reward_text"`
		Approved   bool    `json:"approved"`
		ApprovedAt *string `json:"approved_at"`
		CreatedAt  string  `json:"created_at"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRedemptions, nil,
		`{"phone_number":"+15550001","redemption_option_id":"`+itoa(five.ID)+`"}`), &rd)
	if rd.ID == 0 || rd.RewardText == "" || !rd.Approved || rd.ApprovedAt == nil || rd.CreatedAt != "2026-03-01T10:00:00.000Z" {
		t.Fatalf("redemption %+v", rd)
	}
	c := h.get("a@example.com")
	if c.PointsBalance != 300 || c.PerksRedeemed != 1 {
		t.Fatalf("after redemption: %+v", c)
	}
	if items := *c.HistoryItems; items[len(items)-1].Points != -500 || items[len(items)-1].Status != rd.RewardText {
		t.Errorf("redemption history %+v", items)
	}
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.YotpoTopicPointsChanged, contract.YotpoTopicRedemptionCreated}) {
		t.Fatalf("redemption webhooks %v", topics(ds))
	}
	env := envelope(t, ds[1])
	if env["redemption"].(map[string]any)["reward_text"] != rd.RewardText || env["redemption_option"].(map[string]any)["name"] != "$5 off" ||
		env["redemption_option"].(map[string]any)["amount"] != 500.0 {
		t.Errorf("redemption envelope %s", ds[1].Body)
	}
	if envelope(t, ds[0])["points_changed_reason"] != "Redemption Made" {
		t.Errorf("redemption points change %s", ds[0].Body)
	}

	// Delayed deduction: nothing moves until an order uses the coupon.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil, `{"customer_email":"a@example.com","point_adjustment_amount":300}`)
	decode(t, h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathRedemptions, nil,
		`{"customer_id":"c-1","redemption_option_id":`+itoa(five.ID)+`,"delay_points_deduction":true,"coupon_code":"MYCODE"}`), &rd)
	if rd.RewardText != "MYCODE" || rd.Approved {
		t.Fatalf("delayed redemption %+v", rd)
	}
	if c = h.get("a@example.com"); c.PointsBalance != 600 {
		t.Fatalf("delayed redemption deducted: %d", c.PointsBalance)
	}
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":0,"coupon_code":"OTHER10, MYCODE"}`)
	if c = h.get("a@example.com"); c.PointsBalance != 100 {
		t.Errorf("order with coupon: balance %d, want 100", c.PointsBalance)
	}
}

func TestRedemptionOptionsAndCampaigns(t *testing.T) {
	h := newHarness(t, Config{})
	five := h.fake.AddRedemptionOption(RedemptionOption{Name: "$5 off", Amount: 500, DiscountType: "fixed_amount"})
	pct := h.fake.AddRedemptionOption(RedemptionOption{Name: "10% off", Amount: 1000, DiscountType: "percentage", Offline: true})
	act := h.fake.AddCampaign(Campaign{Type: contract.YotpoCampaignCustomAction, Title: "Review", ActionName: "review", RewardPoints: 600, MaxCompletionsPerUser: 3})
	h.create(`{"email":"a@example.com"}`)

	ids := func(q url.Values) []int64 {
		var opts []struct {
			ID       int64  `json:"id"`
			Amount   int64  `json:"amount"`
			CostText string `json:"cost_text"`
		}
		decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathRedemptionOptions, q, ""), &opts)
		out := []int64{}
		for _, o := range opts {
			out = append(out, o.ID)
		}
		return out
	}
	if got := ids(nil); !slices.Equal(got, []int64{five.ID, pct.ID}) {
		t.Errorf("all options %v", got)
	}
	if got := ids(url.Values{contract.YotpoQueryCustomerEmail: {"a@example.com"}}); len(got) != 0 {
		t.Errorf("options for a customer without points %v", got)
	}
	if got := ids(url.Values{contract.YotpoQueryOffline: {"true"}}); !slices.Equal(got, []int64{pct.ID}) {
		t.Errorf("offline options %v", got)
	}
	if got := ids(url.Values{contract.YotpoQueryDiscountType: {"fixed_amount"}}); !slices.Equal(got, []int64{five.ID}) {
		t.Errorf("fixed_amount options %v", got)
	}
	h.mustError(http.StatusBadRequest, http.MethodGet, contract.YotpoPathRedemptionOptions, url.Values{contract.YotpoQueryOffline: {"maybe"}}, "")
	h.mustError(http.StatusNotFound, http.MethodGet, contract.YotpoPathRedemptionOptions, url.Values{contract.YotpoQueryCustomerEmail: {"x@example.com"}}, "")

	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathActions, nil, `{"type":"CustomAction","customer_email":"a@example.com","action_name":"review"}`)
	if got := ids(url.Values{contract.YotpoQueryCustomerEmail: {"a@example.com"}}); !slices.Equal(got, []int64{five.ID}) {
		t.Errorf("options for 600 points %v", got)
	}

	var camps []struct {
		ID     int64  `json:"id"`
		Type   string `json:"type"`
		Title  string `json:"title"`
		Max    int    `json:"max_completions_per_user"`
		Status *struct {
			Times int `json:"customer_times_completed"`
		} `json:"status"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCampaigns, nil, ""), &camps)
	if len(camps) != 1 || camps[0].ID != act.ID || camps[0].Type != contract.YotpoCampaignCustomAction || camps[0].Max != 3 || camps[0].Status != nil {
		t.Fatalf("campaigns %+v", camps)
	}
	q := url.Values{contract.YotpoQueryWithStatus: {"true"}, contract.YotpoQueryCustomerEmail: {"a@example.com"}}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCampaigns, q, ""), &camps)
	if camps[0].Status == nil || camps[0].Status.Times != 1 {
		t.Errorf("campaign status %+v", camps[0].Status)
	}
	q.Set(contract.YotpoQueryCustomerEmail, "x@example.com")
	h.mustError(http.StatusNotFound, http.MethodGet, contract.YotpoPathCampaigns, q, "")
}

// TestMoneyAndPointsBound checks the one bound on money and points
// (fakekit.MaxExact, 2^53−1): a number beyond it is 400, and a change that
// would take a total or balance beyond it is 422 and changes nothing. Two
// orders of total_amount_cents "9223372036854775807" used to wrap
// total_spend_cents to -2.
func TestMoneyAndPointsBound(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	seedSpend(h)
	const maxExact = "9007199254740991"
	for _, cents := range []string{`"9223372036854775807"`, `9223372036854775807`, `9007199254740992`, `1e300`} {
		msg := h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathOrders, nil,
			`{"order_id":"o-big","customer_email":"a@example.com","total_amount_cents":`+cents+`}`)
		if !strings.Contains(msg, "9007199254740991") {
			t.Errorf("cents %s: message %q does not give the bound", cents, msg)
		}
	}
	h.MustStatus(http.StatusNotFound, http.MethodGet, contract.YotpoPathCustomers, url.Values{contract.YotpoQueryCustomerEmail: {"a@example.com"}}, "")

	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":"`+maxExact+`"}`)
	before := h.get("a@example.com")
	if before.TotalSpendCents != 9007199254740991 || before.PointsBalance != 90071992547409 {
		t.Fatalf("after the largest order: %+v", before)
	}
	h.TakeDeliveries()
	// One more cent of spend, new or re-sent paid, is refused.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-2","customer_email":"a@example.com","total_amount_cents":1,"status":"pending"}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-3","customer_email":"a@example.com","total_amount_cents":1}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-2","customer_email":"a@example.com","total_amount_cents":1,"status":"paid"}`)
	// Points: an adjustment beyond the bound is 400, one that takes the
	// balance beyond it is 422.
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":9223372036854775807}`)
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":-9223372036854775808}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":`+maxExact+`}`)
	h.fake.AddCampaign(Campaign{Type: contract.YotpoCampaignCustomAction, Title: "Review", ActionName: "review", RewardPoints: 1})
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathActions, nil,
		`{"type":"CustomAction","customer_email":"a@example.com","action_name":"review","reward_points":9223372036854775807}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathActions, nil,
		`{"type":"CustomAction","customer_email":"a@example.com","action_name":"review","reward_points":`+maxExact+`}`)
	after := h.get("a@example.com")
	if after.TotalSpendCents != before.TotalSpendCents || after.TotalPurchases != 1 || after.PointsBalance != before.PointsBalance ||
		after.PointsEarned != before.PointsEarned || len(*after.HistoryItems) != len(*before.HistoryItems) || after.LastSeenAt != before.LastSeenAt {
		t.Errorf("refused changes changed state:\nbefore %+v\nafter  %+v", before, after)
	}
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Errorf("refused changes emitted %v", topics(d))
	}
	// Within the bound, adjustments still work, down to zero and back.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":-90071992547409}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":`+maxExact+`}`)
	if c := h.get("a@example.com"); c.PointsBalance != 9007199254740991 {
		t.Errorf("balance at the bound: %d", c.PointsBalance)
	}
}

func TestOrderNegativeAmountsAreRefused(t *testing.T) {
	h := newHarness(t, Config{})
	for field, body := range map[string]string{
		"discount_amount_cents": `"discount_amount_cents":-5`,
		"shipping_amount_cents": `"shipping_amount_cents":-1`,
		"tax_amount_cents":      `"tax_amount_cents":-1`,
		"total_refunded_cents":  `"total_refunded_cents":-1`,
		"items[1].price_cents":  `"items":[{"id":"a","price_cents":100,"quantity":1},{"id":"b","price_cents":-100,"quantity":1}]`,
		"items[0].quantity":     `"items":[{"id":"a","price_cents":100,"quantity":-2}]`,
	} {
		msg := h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathOrders, nil,
			`{"order_id":"o-1","customer_email":"a@example.com","total_amount_cents":100,`+body+`}`)
		if !strings.Contains(msg, field) {
			t.Errorf("%s: message %q does not name the field", field, msg)
		}
	}
}
