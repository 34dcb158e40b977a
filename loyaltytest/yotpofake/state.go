package yotpofake

import (
	"sort"
	"time"
)

// CustomerState is a read-only copy of one customer, for loyaltytest's
// inspection API (the admin API serves it as JSON).
type CustomerState struct {
	ID              string        `json:"id"` // the merchant's customer_id, "" when none
	Email           string        `json:"email"`
	FirstName       string        `json:"firstName,omitempty"`
	LastName        string        `json:"lastName,omitempty"`
	PointsBalance   int64         `json:"pointsBalance"`
	PointsEarned    int64         `json:"pointsEarned"`
	TotalSpendCents int64         `json:"totalSpendCents"`
	TotalPurchases  int64         `json:"totalPurchases"`
	PerksRedeemed   int64         `json:"perksRedeemed"`
	VIPTierID       int64         `json:"vipTierId,omitempty"` // 0: no tier
	VIPTierName     string        `json:"vipTierName,omitempty"`
	History         []LedgerEntry `json:"history"` // the points ledger, oldest first
	CreatedAt       time.Time     `json:"createdAt"`
}

// LedgerEntry is one change of a customer's points.
type LedgerEntry struct {
	At         time.Time `json:"at"`
	Action     string    `json:"action"`
	ActionName string    `json:"actionName,omitempty"`
	Points     int64     `json:"points"`
	Status     string    `json:"status"`
}

// OrderState is a read-only copy of one order.
type OrderState struct {
	ID            string `json:"id"`
	CustomerEmail string `json:"customerEmail"`
	Currency      string `json:"currency"`
	Status        string `json:"status"`
	TotalCents    int64  `json:"totalCents"`
	RefundedCents int64  `json:"refundedCents"`
	// PendingRefundCents is what refunds accepted and not yet applied
	// will take (Config.AsyncRefunds).
	PendingRefundCents int64 `json:"pendingRefundCents"`
	Counted            bool  `json:"counted"` // it added to the spend stats and earned
	PointsAwarded      int64 `json:"pointsAwarded"`
	PointsReversed     int64 `json:"pointsReversed"`
}

// RedemptionState is a read-only copy of one redemption.
type RedemptionState struct {
	ID            int64     `json:"id"`
	CustomerEmail string    `json:"customerEmail"`
	OptionID      int64     `json:"optionId"`
	OptionName    string    `json:"optionName"`
	RewardText    string    `json:"rewardText"` // the coupon code
	Points        int64     `json:"points"`
	Delayed       bool      `json:"delayed"`
	Cancelled     bool      `json:"cancelled"`
	CreatedAt     time.Time `json:"createdAt"`
}

// Customers returns every customer, in creation order.
func (f *Fake) Customers() []CustomerState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]CustomerState, 0, len(f.customers))
	for _, c := range f.customers {
		s := CustomerState{
			ID: c.thirdPartyID, Email: c.email, FirstName: c.firstName, LastName: c.lastName,
			PointsBalance: c.pointsBalance, PointsEarned: c.pointsEarned, TotalSpendCents: c.totalSpendCents,
			TotalPurchases: c.totalPurchases, PerksRedeemed: c.perksRedeemed, CreatedAt: c.createdAt,
			History: make([]LedgerEntry, 0, len(c.history)),
		}
		if t, ok := f.tierByID(c.tierID); ok {
			s.VIPTierID, s.VIPTierName = t.ID, t.Name
		}
		for _, h := range c.history {
			s.History = append(s.History, LedgerEntry{At: h.createdAt, Action: h.action, ActionName: h.actionName, Points: h.points, Status: h.status})
		}
		out = append(out, s)
	}
	return out
}

// Orders returns every order, by id.
func (f *Fake) Orders() []OrderState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]OrderState, 0, len(f.orders))
	for _, o := range f.orders {
		s := OrderState{
			ID: o.id, Currency: o.currency, Status: o.status, TotalCents: o.totalCents, RefundedCents: o.refundedCents, PendingRefundCents: o.pendingCents,
			Counted: o.counted, PointsAwarded: o.pointsAwarded, PointsReversed: o.pointsReversed,
		}
		if o.customer != nil {
			s.CustomerEmail = o.customer.email
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Redemptions returns every redemption, oldest first.
func (f *Fake) Redemptions() []RedemptionState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]RedemptionState, 0, len(f.redemptions))
	for _, r := range f.redemptions {
		s := RedemptionState{
			ID: r.id, OptionID: r.option.ID, OptionName: r.option.Name, RewardText: r.rewardText,
			Points: r.points, Delayed: r.delayed, Cancelled: r.cancelled, CreatedAt: r.createdAt,
		}
		if r.customer != nil {
			s.CustomerEmail = r.customer.email
		}
		out = append(out, s)
	}
	return out
}

// Campaigns returns the seeded campaigns, in the order added.
func (f *Fake) Campaigns() []Campaign {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Campaign(nil), f.campaigns.Values()...)
}

// RedemptionOptions returns the seeded redemption options, in the order added.
func (f *Fake) RedemptionOptions() []RedemptionOption {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]RedemptionOption(nil), f.options.Values()...)
}

// VIPTiers returns the seeded VIP tiers, by rank.
func (f *Fake) VIPTiers() []VIPTier {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]VIPTier(nil), f.tiers.Values()...)
}
