package yotpofake

import (
	"net/http"
	"slices"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func TestCustomActions(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	cp := h.fake.AddCampaign(Campaign{Type: contract.YotpoCampaignCustomAction, Title: "Wrote a review", ActionName: "review", RewardPoints: 50, MaxCompletionsPerUser: 2})
	h.create(`{"email":"a@example.com","id":"c-1"}`)
	h.TakeDeliveries()

	for _, bad := range []string{
		`{"customer_email":"a@example.com","action_name":"review"}`,
		`{"type":"CustomAction","action_name":"review"}`,
		`{"type":"CustomAction","customer_email":"a@example.com"}`,
		`{"type":"CustomAction","customer_email":"a@example.com","action_name":"review","reward_points":-1}`,
		`{"type":"CustomAction","customer_email":"a@example.com","action_name":"review","created_at":"later"}`,
	} {
		h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathActions, nil, bad)
	}
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathActions, nil, `{"type":"CustomAction","customer_email":"x@example.com","action_name":"review"}`)

	// A name that matches no campaign is acknowledged and earns nothing.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathActions, nil, `{"type":"CustomAction","customer_email":"a@example.com","action_name":"tweet"}`)
	// So is a matching name on another action type.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathActions, nil, `{"type":"Other","customer_email":"a@example.com","action_name":"review"}`)
	if c := h.get("a@example.com"); c.PointsBalance != 0 || len(*c.HistoryItems) != 0 {
		t.Fatalf("unmatched actions moved points: %+v", c)
	}
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Fatalf("unmatched actions emitted %v", topics(d))
	}

	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathActions, nil,
		`{"type":"CustomAction","customer_id":"c-1","action_name":"review","created_at":"2026-02-20T08:00:00Z"}`)
	c := h.get("a@example.com")
	if c.PointsBalance != 50 || c.PointsEarned != 50 {
		t.Fatalf("after action: balance %d earned %d", c.PointsBalance, c.PointsEarned)
	}
	item := (*c.HistoryItems)[0]
	if item.Points != 50 || item.Action != "Wrote a review" || item.ActionName != "review" || item.Status != "Approved" ||
		item.CompletedAt != "2026-02-20T08:00:00.000Z" || item.CreatedAt != "2026-03-01T10:00:00.000Z" {
		t.Errorf("history item %+v", item)
	}
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.YotpoTopicPointsEarned, contract.YotpoTopicPointsChanged}) {
		t.Fatalf("action webhooks %v", topics(ds))
	}
	earned := envelope(t, ds[0])
	perk := earned["perk"].(map[string]any)
	if earned["name"] != "Swell Points Earned" || perk["reward_points"] != 50.0 || perk["history_title"] != "Wrote a review" ||
		perk["campaign_id"] != float64(cp.ID) || earned["customer"].(map[string]any)["points_balance"] != 50.0 {
		t.Errorf("points earned envelope %s", ds[0].Body)
	}
	changed := envelope(t, ds[1])
	if changed["previous_balance"] != 0.0 || changed["current_balance"] != 50.0 || changed["difference"] != 50.0 ||
		changed["added_or_removed"] != "added" || changed["points_changed_reason"] != "Wrote a review" {
		t.Errorf("points changed envelope %s", ds[1].Body)
	}

	// reward_points and history_title override the campaign.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathActions, nil,
		`{"type":"CustomAction","customer_email":"a@example.com","action_name":"review","reward_points":7,"history_title":"Bonus"}`)
	c = h.get("a@example.com")
	if c.PointsBalance != 57 || (*c.HistoryItems)[1].Action != "Bonus" || (*c.HistoryItems)[1].CompletedAt != "2026-03-01T10:00:00.000Z" {
		t.Errorf("override: balance %d items %+v", c.PointsBalance, *c.HistoryItems)
	}
	// max_completions_per_user is 2: the third completion earns nothing.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathActions, nil, `{"type":"CustomAction","customer_email":"a@example.com","action_name":"review"}`)
	if c = h.get("a@example.com"); c.PointsBalance != 57 {
		t.Errorf("completion cap: balance %d, want 57", c.PointsBalance)
	}
}

func TestPointsAdjust(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	h.create(`{"email":"a@example.com","id":"c-1"}`)
	h.TakeDeliveries()
	for _, bad := range []string{`{"point_adjustment_amount":5}`, `{"customer_email":"a@example.com"}`, `{"customer_email":"a@example.com","point_adjustment_amount":0}`} {
		h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathPointsAdjust, nil, bad)
	}
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathPointsAdjust, nil, `{"customer_email":"x@example.com","point_adjustment_amount":5}`)

	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_id":"c-1","point_adjustment_amount":100,"apply_adjustment_to_points_earned":true,"history_title":"Welcome gift"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":20}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":-30,"visible_to_customer":false}`)
	c := h.get("a@example.com")
	if c.PointsBalance != 90 || c.PointsEarned != 100 {
		t.Fatalf("balance %d earned %d, want 90 and 100", c.PointsBalance, c.PointsEarned)
	}
	items := *c.HistoryItems
	if len(items) != 2 || items[0].Action != "Welcome gift" || items[0].Points != 100 || items[1].Action != "Manual adjustment" || items[1].Points != 20 {
		t.Errorf("history %+v", items)
	}

	// Below zero is refused whole.
	msg := h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":-91}`)
	if c = h.get("a@example.com"); c.PointsBalance != 90 {
		t.Errorf("refused adjustment (%s) moved the balance to %d", msg, c.PointsBalance)
	}
	// Removing exactly the balance is fine.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil, `{"customer_email":"a@example.com","point_adjustment_amount":-90}`)

	ds := h.TakeDeliveries()
	want := []string{contract.YotpoTopicPointsChanged, contract.YotpoTopicPointsChanged, contract.YotpoTopicPointsChanged, contract.YotpoTopicPointsChanged}
	if !slices.Equal(topics(ds), want) {
		t.Fatalf("adjust webhooks %v", topics(ds))
	}
	last := envelope(t, ds[3])
	if last["previous_balance"] != 90.0 || last["current_balance"] != 0.0 || last["difference"] != -90.0 || last["added_or_removed"] != "removed" {
		t.Errorf("removal envelope %s", ds[3].Body)
	}
}

func TestVIPTiers(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	gold := h.fake.AddVIPTier(VIPTier{Name: "Gold", Rank: 2, PointsEarned: 200, PointsMultiplier: 2})
	silver := h.fake.AddVIPTier(VIPTier{Name: "Silver", Rank: 1, PointsEarned: 100})
	h.fake.AddCampaign(Campaign{Type: contract.YotpoCampaignCustomAction, Title: "Share", ActionName: "share", RewardPoints: 10})

	// The documented shape: the multiplier a string, the thresholds objects.
	var tiers []struct {
		ID               int64            `json:"id"`
		Name             string           `json:"name"`
		PointsMultiplier string           `json:"points_multiplier"`
		EntryThreshold   map[string]int64 `json:"entry_threshold"`
		RetainThreshold  map[string]int64 `json:"retain_threshold"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathVIPTiers, nil, ""), &tiers)
	if len(tiers) != 2 || tiers[0].ID != silver.ID || tiers[1].ID != gold.ID || tiers[1].PointsMultiplier != "2" || tiers[0].PointsMultiplier != "1" ||
		tiers[1].EntryThreshold[contract.YotpoKeyThresholdPoints] != 200 || tiers[1].RetainThreshold[contract.YotpoKeyThresholdPoints] != 200 {
		t.Fatalf("vip_tiers %+v", tiers)
	}

	h.create(`{"email":"a@example.com"}`)
	if c := h.get("a@example.com"); c.VIPTierName != nil || c.Upgrade.PointsNeeded != 100 {
		t.Fatalf("new customer tier %v needs %d", c.VIPTierName, c.Upgrade.PointsNeeded)
	}
	h.TakeDeliveries()
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":200,"apply_adjustment_to_points_earned":true}`)
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.YotpoTopicPointsChanged, contract.YotpoTopicTierEarned}) {
		t.Fatalf("tier webhooks %v", topics(ds))
	}
	env := envelope(t, ds[1])
	if env["new_tier"].(map[string]any)["name"] != "Gold" || env["old_tier"] != nil {
		t.Errorf("tier earned envelope %s", ds[1].Body)
	}
	if c := h.get("a@example.com"); c.VIPTierName == nil || *c.VIPTierName != "Gold" {
		t.Errorf("tier %v, want Gold", c.VIPTierName)
	}
	// Gold doubles campaign points.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathActions, nil, `{"type":"CustomAction","customer_email":"a@example.com","action_name":"share"}`)
	if c := h.get("a@example.com"); c.PointsBalance != 220 {
		t.Errorf("multiplied balance %d, want 220", c.PointsBalance)
	}
	// Taking earned points away (220 → 110) drops the tier to Silver.
	h.TakeDeliveries()
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathPointsAdjust, nil,
		`{"customer_email":"a@example.com","point_adjustment_amount":-110,"apply_adjustment_to_points_earned":true}`)
	ds = h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.YotpoTopicPointsChanged, contract.YotpoTopicTierLost}) {
		t.Fatalf("tier lost webhooks %v", topics(ds))
	}
	env = envelope(t, ds[1])
	if env["old_tier"].(map[string]any)["name"] != "Gold" || env["new_tier"].(map[string]any)["name"] != "Silver" {
		t.Errorf("tier lost envelope %s", ds[1].Body)
	}
}
