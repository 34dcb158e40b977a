package influenceiofake

import (
	"net/http"
	"slices"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func TestTiers(t *testing.T) {
	h := newHarness(t, Config{})
	for _, topic := range []string{contract.InfluenceIOTopicCustomersTierChanged, contract.InfluenceIOTopicTierEntryRewardEarned} {
		h.fake.RegisterWebhook(topic, hookURL)
	}
	h.fake.AddTier(Tier{ID: "gold", Title: "Gold", Threshold: 500, EntryReward: &TierReward{CouponCode: "GOLD10", DiscountType: "percentage", DiscountAmount: 10}})
	h.fake.AddTier(Tier{ID: "silver", Title: "Silver", Threshold: 100})
	h.put("c-1", `{"email":"a@example.com"}`)
	if c := h.get("c-1"); c.PointBalance != 0 {
		t.Fatalf("new customer %+v", c)
	}

	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":150}`)
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.InfluenceIOTopicCustomersTierChanged}) {
		t.Fatalf("silver deliveries %v", topics(ds))
	}
	p := payload(t, ds[0].Body)
	if p["oldTier"] != nil || p["newTier"].(map[string]any)["threshold"] != "100" ||
		p["customer"].(map[string]any)["currentLoyaltyTier"].(map[string]any)["title"] != "Silver" {
		t.Errorf("tier_changed %s", ds[0].Body)
	}

	// A paid order lifts the customer to Gold, which grants its entry reward.
	h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil, `{"id":"o-1","customerId":"c-1","totalPrice":400,"financialStatus":"paid"}`)
	ds = h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.InfluenceIOTopicCustomersTierChanged, contract.InfluenceIOTopicTierEntryRewardEarned}) {
		t.Fatalf("gold deliveries %v", topics(ds))
	}
	p = payload(t, ds[1].Body)
	if p["tier"].(map[string]any)["id"] != "gold" || p["reward"].(map[string]any)["couponCode"] != "GOLD10" || p["id"] == "" {
		t.Errorf("entry reward %s", ds[1].Body)
	}
	var env struct {
		Customer struct {
			Tier   *struct{ ID, Title string } `json:"currentLoyaltyTier"`
			TierID *string                     `json:"currentLoyaltyTierId"`
		} `json:"customer"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOCustomerPath("c-1"), nil, ""), &env)
	if env.Customer.Tier == nil || env.Customer.Tier.Title != "Gold" || *env.Customer.TierID != "gold" {
		t.Errorf("REST tier %+v", env.Customer)
	}
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIORewardUsePath("GOLD10"), nil, "")

	// Spending points keeps the tier; refunding the order drops it, with no reward.
	if _, err := h.fake.Redeem("c-1", 500, "", "giftcard"); err != nil {
		t.Fatal(err)
	}
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Errorf("redemption changed the tier: %v", topics(d))
	}
	h.MustStatus(http.StatusOK, http.MethodPatch, contract.InfluenceIOOrderPath("o-1"), nil, `{"financialStatus":"refunded"}`)
	ds = h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.InfluenceIOTopicCustomersTierChanged}) {
		t.Fatalf("refund deliveries %v", topics(ds))
	}
	p = payload(t, ds[0].Body)
	if p["oldTier"].(map[string]any)["id"] != "gold" || p["newTier"].(map[string]any)["id"] != "silver" {
		t.Errorf("tier drop %s", ds[0].Body)
	}
}

func TestAddTierReplaceKeepsOrder(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.AddTier(Tier{ID: "a", Title: "A", Threshold: 100})
	h.fake.AddTier(Tier{ID: "b", Title: "B", Threshold: 200})
	h.fake.AddTier(Tier{ID: "a", Title: "A", Threshold: 300})
	h.put("c-1", `{"email":"a@example.com"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":350}`)
	var env struct {
		Customer struct {
			Tier *struct{ ID string } `json:"currentLoyaltyTier"`
		} `json:"customer"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOCustomerPath("c-1"), nil, ""), &env)
	if env.Customer.Tier == nil || env.Customer.Tier.ID != "a" {
		t.Errorf("350 points placed in %+v, want a (threshold 300)", env.Customer.Tier)
	}
}
