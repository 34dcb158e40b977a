package influenceiofake

import (
	"errors"
	"net/http"
	"slices"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func TestRedeemAndUseReward(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsRedeemed, hookURL)
	h.put("c-1", `{"email":"a@example.com","name":"Ana"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":600}`)

	if _, err := h.fake.Redeem("ghost", 10, "", ""); !errors.Is(err, ErrCustomerNotFound) {
		t.Errorf("unknown customer: %v", err)
	}
	if _, err := h.fake.Redeem("c-1", 601, "", ""); !errors.Is(err, ErrInsufficient) {
		t.Errorf("too many points: %v", err)
	}
	if _, err := h.fake.Redeem("c-1", 0, "", ""); !errors.Is(err, ErrInvalidPoints) {
		t.Errorf("zero points: %v", err)
	}
	code, err := h.fake.Redeem("c-1", 500, "INF-5OFF", "fixedamountdiscount")
	if err != nil || code != "INF-5OFF" {
		t.Fatalf("Redeem: %q %v", code, err)
	}
	if _, err := h.fake.Redeem("c-1", 1, "INF-5OFF", ""); !errors.Is(err, ErrCouponExists) {
		t.Errorf("reused coupon: %v", err)
	}
	if c := h.get("c-1"); c.PointBalance != 100 {
		t.Fatalf("balance %d, want 100", c.PointBalance)
	}
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.InfluenceIOTopicPointsRedeemed}) {
		t.Fatalf("deliveries %v", topics(ds))
	}
	p := payload(t, ds[0].Body)
	if p["couponCode"] != "INF-5OFF" || p["rewardType"] != "fixedamountdiscount" || p["points"] != 500.0 ||
		p["type"] != contract.InfluenceIOPointsTypeRedeem || p["customer"].(map[string]any)["pointBalance"] != 100.0 ||
		p["redeemRule"].(map[string]any)["pointCost"] != 500.0 || p["id"] == "" {
		t.Errorf("points/redeemed payload %s", ds[0].Body)
	}
	gen, err := h.fake.Redeem("c-1", 100, "", "freeshipping")
	if err != nil || gen == "" {
		t.Fatalf("generated coupon %q %v", gen, err)
	}

	// Marking used: 200 once, then 409; unknown codes 404; body optional.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIORewardUsePath("INF-5OFF"), nil, `{"couponCode":"INF-5OFF"}`)
	if msg := h.mustError(http.StatusConflict, http.MethodPost, contract.InfluenceIORewardUsePath("INF-5OFF"), nil, `{"couponCode":"INF-5OFF"}`); msg != "Reward already used" {
		t.Errorf("409 message %q", msg)
	}
	if msg := h.mustError(http.StatusNotFound, http.MethodPost, contract.InfluenceIORewardUsePath("NOPE"), nil, ""); msg != "Reward not found" {
		t.Errorf("404 message %q", msg)
	}
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.InfluenceIORewardUsePath(gen), nil, `{"couponCode":"OTHER"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIORewardUsePath(gen), nil, "")
}

func TestReferrals(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.RegisterWebhook(contract.InfluenceIOTopicReferralsStarted, hookURL)
	h.fake.RegisterWebhook(contract.InfluenceIOTopicReferralsCompleted, hookURL)
	h.put("ref", `{"email":"ref@example.com"}`)
	if err := h.fake.StartReferral(Referral{ReferrerID: "ghost"}); !errors.Is(err, ErrCustomerNotFound) {
		t.Errorf("unknown referrer: %v", err)
	}
	err := h.fake.StartReferral(Referral{
		ReferrerID: "ref", FriendEmail: "friend@example.com", FriendCouponCode: "FRIEND10", FriendDiscountType: "percentage", FriendDiscountAmount: 10,
		ReferrerCouponCode: "THANKS5", ReferrerDiscountType: "fixed_amount", ReferrerDiscountAmount: 5,
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := h.fake.StartReferral(Referral{ReferrerID: "ref", FriendCouponCode: "FRIEND10"}); !errors.Is(err, ErrCouponExists) {
		t.Errorf("duplicate coupon: %v", err)
	}
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.InfluenceIOTopicReferralsStarted}) {
		t.Fatalf("started deliveries %v", topics(ds))
	}
	p := payload(t, ds[0].Body)
	if p["friendEmail"] != "friend@example.com" || p["friendCustomer"] != nil || p["customerReward"] != nil ||
		p["friendReward"].(map[string]any)["couponCode"] != "FRIEND10" || p["customer"].(map[string]any)["externalId"] != "ref" {
		t.Errorf("referrals/started %s", ds[0].Body)
	}

	// An order with the friend's code (under another email) completes it, once.
	h.put("f-1", `{"email":"other@example.com"}`)
	h.TakeDeliveries()
	h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"o-1","customerId":"f-1","email":"other@example.com","totalPrice":30,"financialStatus":"paid","discountCodes":[{"code":"friend10","type":"percentage","amount":10}]}`)
	ds = h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.InfluenceIOTopicReferralsCompleted}) {
		t.Fatalf("completed deliveries %v", topics(ds))
	}
	p = payload(t, ds[0].Body)
	cr := p["customerReward"].(map[string]any)
	if cr["couponCode"] != "THANKS5" || cr["discountType"] != "fixed_amount" || cr["discountAmount"] != 5.0 ||
		p["friendCustomer"].(map[string]any)["externalId"] != "f-1" {
		t.Errorf("referrals/completed %s", ds[0].Body)
	}
	h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil, `{"id":"o-2","email":"friend@example.com","totalPrice":30}`)
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Errorf("completed twice: %v", topics(d))
	}
	// The referrer's coupon can be marked used.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIORewardUsePath("THANKS5"), nil, "")

	// A second referral completes by the friend's email.
	if err := h.fake.StartReferral(Referral{ReferrerID: "ref", FriendEmail: "pal@example.com"}); err != nil {
		t.Fatal(err)
	}
	h.TakeDeliveries()
	h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil, `{"id":"o-3","email":"PAL@example.com","totalPrice":30}`)
	ds = h.TakeDeliveries()
	if len(ds) != 1 || payload(t, ds[0].Body)["friendCustomer"] != nil || payload(t, ds[0].Body)["customerReward"].(map[string]any)["couponCode"] == "" {
		t.Errorf("email completion %v", topics(ds))
	}
}
