package yotpofake

import (
	"net/http"
	"slices"
	"sort"
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
// and is never handed out later.
func (f *Fake) AddCampaign(c Campaign) Campaign {
	f.mu.Lock()
	defer f.mu.Unlock()
	c.ID = f.seedID(c.ID)
	if i := slices.IndexFunc(f.campaigns, func(x Campaign) bool { return x.ID == c.ID }); i >= 0 {
		f.campaigns[i] = c
		return c
	}
	f.campaigns = append(f.campaigns, c)
	return c
}

// AddRedemptionOption seeds a reward and returns it with its ID, assigned
// or replacing as AddCampaign does.
func (f *Fake) AddRedemptionOption(o RedemptionOption) RedemptionOption {
	f.mu.Lock()
	defer f.mu.Unlock()
	o.ID = f.seedID(o.ID)
	if i := slices.IndexFunc(f.options, func(x RedemptionOption) bool { return x.ID == o.ID }); i >= 0 {
		f.options[i] = o
		return o
	}
	f.options = append(f.options, o)
	return o
}

// AddVIPTier seeds a VIP tier and returns it with its ID, assigned or
// replacing as AddCampaign does. Existing customers are placed when their
// stats next change.
func (f *Fake) AddVIPTier(t VIPTier) VIPTier {
	f.mu.Lock()
	defer f.mu.Unlock()
	t.ID = f.seedID(t.ID)
	f.tiers = slices.DeleteFunc(f.tiers, func(x VIPTier) bool { return x.ID == t.ID })
	// Keep f.tiers by ascending rank, after any tiers of equal rank.
	i := sort.Search(len(f.tiers), func(i int) bool { return f.tiers[i].Rank > t.Rank })
	f.tiers = slices.Insert(f.tiers, i, t)
	return t
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
	out := make([]campaignJSON, 0, len(f.campaigns))
	for _, cp := range f.campaigns {
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

// tierJSON is the wire form of a tier, shared by GET /vip_tiers and webhooks.
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

// listVIPTiers serves GET /vip_tiers: a bare array, by rank (decided).
func (f *Fake) listVIPTiers(w http.ResponseWriter, _ *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]*tierJSON, 0, len(f.tiers))
	for _, t := range f.tiers {
		out = append(out, tierWire(t))
	}
	writeJSON(w, out)
}
