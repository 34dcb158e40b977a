package yotpofake

import (
	"net/http"
	"strconv"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// Campaign is an earning rule seeded into the account. How it earns depends
// on Type (loyaltytest's YotpoCampaign* constants):
//   - "CustomActionCampaign": POST /actions whose action_name equals
//     ActionName earns RewardPoints per completion.
//   - "SpendBasedCampaign": a counting order earns RewardPoints per major
//     unit of its currency_code, total_amount_cents being the currency's
//     minor units as the SDK sends them (5,000 JPY earns 5,000 at 1 point,
//     49.90 EUR earns 49; rounded down once, at the end; 2 minor digits
//     when the currency is absent).
//   - "TransactionBasedCampaign": a counting order earns RewardPoints.
//
// Other types are listed by GET /campaigns but earn nothing in the fake.
type Campaign struct {
	ID                    int64      `json:"id,omitempty"` // assigned by AddCampaign when zero
	Type                  string     `json:"type"`
	Title                 string     `json:"title"` // also the history text and points_changed_reason
	Details               string     `json:"details,omitempty"`
	ActionName            string     `json:"actionName,omitempty"` // CustomActionCampaign only
	RewardPoints          int64      `json:"rewardPoints"`
	RewardText            string     `json:"rewardText,omitempty"`  // e.g. "100 points"
	MaxCompletionsPerUser int64      `json:"maxCompletionsPerUser"` // 0 means unlimited
	Icon                  string     `json:"icon,omitempty"`
	CTAText               string     `json:"ctaText,omitempty"`
	EndsAt                *time.Time `json:"endsAt,omitempty"` // nil: no end
}

// RedemptionOption is a reward seeded into the account, bought with Amount points.
type RedemptionOption struct {
	ID                  int64   `json:"id,omitempty"` // assigned by AddRedemptionOption when zero
	Name                string  `json:"name"`
	Description         string  `json:"description,omitempty"`
	Icon                string  `json:"icon,omitempty"`
	CostText            string  `json:"costText,omitempty"`     // e.g. "500 points"
	Amount              int64   `json:"amount"`                 // points cost
	Type                string  `json:"type"`                   // e.g. "shopify_fixed_amount_coupon"
	DiscountType        string  `json:"discountType,omitempty"` // fixed_amount, percentage, variable (costs points_to_redeem, at least Amount), free_product, shipping, …
	DiscountAmountCents int64   `json:"discountAmountCents"`
	DiscountPercentage  float64 `json:"discountPercentage"`
	CartGreaterThan     *int64  `json:"cartGreaterThan,omitempty"`
	AppliesToProduct    string  `json:"appliesToProduct,omitempty"`
	Duration            string  `json:"duration,omitempty"`
	Offline             bool    `json:"offline,omitempty"` // offered only offline (filter `is_offline=true`)
}

// VIPTier is a tier seeded into the account. A customer is in the highest
// Rank tier whose every non-zero threshold (PointsEarned, AmountSpentCents,
// PurchasesMade) they meet; a tier with no threshold admits everyone.
// PointsMultiplier scales campaign earning (0 counts as 1).
type VIPTier struct {
	ID               int64   `json:"id,omitempty"` // assigned by AddVIPTier when zero
	Name             string  `json:"name"`
	Description      string  `json:"description,omitempty"`
	Rank             int64   `json:"rank"`
	PointsEarned     int64   `json:"pointsEarned"`
	AmountSpentCents int64   `json:"amountSpentCents"`
	PurchasesMade    int64   `json:"purchasesMade"`
	PointsMultiplier float64 `json:"pointsMultiplier"`
}

// AddCampaign seeds an earning rule and returns it with its ID: a zero ID
// is assigned; an explicit one replaces the campaign with that ID, if any,
// in its place, and is never handed out later.
func (f *Fake) AddCampaign(c Campaign) Campaign {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.ID = f.seedID(c.ID)
	f.campaigns.Put(c.ID, c, true)
	f.byEarning = nil
	return c
}

// AddRedemptionOption seeds a reward and returns it with its ID, assigned
// or replacing as AddCampaign does.
func (f *Fake) AddRedemptionOption(o RedemptionOption) RedemptionOption {
	f.mu.Lock()
	defer f.mu.Unlock()
	o.ID = f.seedID(o.ID)
	f.options.Put(o.ID, o, true)
	return o
}

// AddVIPTier seeds a VIP tier and returns it with its ID, assigned or
// replacing as AddCampaign does; tiers are kept by ascending rank, a tier
// added (or replaced) after any tiers of equal rank. Existing customers are
// placed when their stats next change.
func (f *Fake) AddVIPTier(t VIPTier) VIPTier {
	f.mu.Lock()
	defer f.mu.Unlock()
	t.ID = f.seedID(t.ID)
	f.tiers.Put(t.ID, t, false)
	return t
}

// earningIndex is the live-or-not campaigns by how they earn, in the order
// added: built on first use after a change to the campaigns, so that an
// action or an order reads only the campaigns it can complete.
type earningIndex struct {
	byAction map[string][]Campaign // CustomActionCampaign by action name
	perOrder []Campaign            // spend- and transaction-based
}

// earningCampaigns returns the earning index, building it when the
// campaigns changed. Callers hold f.mu.
func (f *Fake) earningCampaigns() *earningIndex {
	if f.byEarning != nil {
		return f.byEarning
	}
	x := &earningIndex{byAction: map[string][]Campaign{}}
	for _, cp := range f.campaigns.Values() {
		switch cp.Type {
		case contract.YotpoCampaignCustomAction:
			x.byAction[cp.ActionName] = append(x.byAction[cp.ActionName], cp)
		case contract.YotpoCampaignSpendBased, contract.YotpoCampaignTransactionBased:
			x.perOrder = append(x.perOrder, cp)
		}
	}
	f.byEarning = x
	return x
}

// campaignJSON is the wire form of a campaign.
type campaignJSON struct {
	ID                    int64           `json:"id"`
	Title                 string          `json:"title"`
	Details               string          `json:"details"`
	Type                  string          `json:"type"`
	CTAText               string          `json:"cta_text"`
	Icon                  string          `json:"icon"`
	RewardText            string          `json:"reward_text"`
	EndsAt                *string         `json:"ends_at"`
	MaxCompletionsPerUser int64           `json:"max_completions_per_user"`
	MinActionsRequired    int64           `json:"min_actions_required"`
	Status                *campaignStatus `json:"status,omitempty"`
}

type campaignStatus struct {
	GlobalCompletionsLeft    *int64 `json:"global_completions_left"`
	CustomerActionsCompleted int64  `json:"customer_actions_completed"`
	CustomerTimesCompleted   int64  `json:"customer_times_completed"`
	MinutesUntilNextAction   int64  `json:"customer_minutes_until_next_action"`
	MinutesUntilNextComplete int64  `json:"customer_minutes_until_next_completion"`
}

// listCampaigns serves GET /campaigns; with_status adds the customer's
// progress when a customer is named (404 when that customer is unknown).
func (f *Fake) listCampaigns(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	f.mu.Lock()
	defer f.mu.Unlock()
	withStatus := queryBool(q.Get(contract.YotpoQueryWithStatus))
	var c *customer
	if id := (identifiers{id: q.Get(contract.YotpoQueryCustomerID), email: q.Get(contract.YotpoQueryCustomerEmail)}); id.any() {
		if c = f.lookupOr404(w, id); c == nil {
			return
		}
	}
	campaigns := f.campaigns.Values()
	out := make([]campaignJSON, 0, len(campaigns))
	for _, cp := range campaigns {
		j := campaignJSON{
			ID: cp.ID, Title: cp.Title, Details: cp.Details, Type: cp.Type, CTAText: cp.CTAText,
			Icon: cp.Icon, RewardText: cp.RewardText, EndsAt: fakekit.TimePtr(cp.EndsAt),
			MaxCompletionsPerUser: cp.MaxCompletionsPerUser, MinActionsRequired: 1,
		}
		if withStatus {
			st := &campaignStatus{}
			if c != nil {
				st.CustomerTimesCompleted = c.completions[cp.ID]
				st.CustomerActionsCompleted = c.completions[cp.ID]
			}
			j.Status = st
		}
		out = append(out, j)
	}
	writeJSON(w, out)
}

// tierJSON is the webhook tier object (new_tier, old_tier).
type tierJSON struct {
	ID               int64   `json:"id"`
	Name             string  `json:"name"`
	Description      string  `json:"description"`
	PointsEarned     int64   `json:"points_earned"`
	AmountSpentCents int64   `json:"amount_spent_cents"`
	PurchasesMade    int64   `json:"purchases_made"`
	PointsMultiplier float64 `json:"points_multiplier"`
	Rank             int64   `json:"rank"`
}

func tierWire(t VIPTier) *tierJSON {
	return &tierJSON{
		ID: t.ID, Name: t.Name, Description: t.Description, PointsEarned: t.PointsEarned,
		AmountSpentCents: t.AmountSpentCents, PurchasesMade: t.PurchasesMade,
		PointsMultiplier: multiplier(t), Rank: t.Rank,
	}
}

func multiplier(t VIPTier) float64 {
	if t.PointsMultiplier == 0 {
		return 1
	}
	return t.PointsMultiplier
}

// vipTierJSON is a tier of GET /vip_tiers (documented:
// https://loyaltyapi.yotpo.com/reference/fetch-vip-tiers): the multiplier
// a decimal string, the thresholds objects. The fake keeps a tier while its
// entry threshold holds, so retain_threshold and regain_threshold repeat
// it; it has no tier type, entry points or coupon rewards (decided).
type vipTierJSON struct {
	ID               int64            `json:"id"`
	Name             string           `json:"name"`
	Description      string           `json:"description"`
	Type             *string          `json:"type"`
	CouponReward     *string          `json:"coupon_reward"`
	PointsMultiplier string           `json:"points_multiplier"`
	PointsReward     int64            `json:"points_reward"`
	EntryThreshold   map[string]int64 `json:"entry_threshold"`
	RetainThreshold  map[string]int64 `json:"retain_threshold"`
	RegainThreshold  map[string]int64 `json:"regain_threshold"`
}

func vipTierWire(t VIPTier) *vipTierJSON {
	threshold := func() map[string]int64 {
		return map[string]int64{
			contract.YotpoKeyThresholdPoints: t.PointsEarned, contract.YotpoKeyThresholdSpentCents: t.AmountSpentCents,
			contract.YotpoKeyThresholdPurchases: t.PurchasesMade,
		}
	}
	return &vipTierJSON{
		ID: t.ID, Name: t.Name, Description: t.Description,
		PointsMultiplier: strconv.FormatFloat(multiplier(t), 'f', -1, 64),
		EntryThreshold:   threshold(), RetainThreshold: threshold(), RegainThreshold: threshold(),
	}
}

// listVIPTiers serves GET /vip_tiers: a bare array, by rank.
func (f *Fake) listVIPTiers(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	tiers := f.tiers.Values()
	out := make([]*vipTierJSON, 0, len(tiers))
	for _, t := range tiers {
		out = append(out, vipTierWire(t))
	}
	writeJSON(w, out)
}
