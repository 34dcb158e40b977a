package influenceiofake

import (
	"sort"
	"time"
)

// CustomerState is a read-only copy of one customer, for loyaltytest's
// inspection API (the admin API serves it as JSON).
type CustomerState struct {
	ID             string    `json:"id"`          // the merchant's id (the path id)
	InfluenceID    string    `json:"influenceId"` // Influence.io's own id
	Email          string    `json:"email"`
	FirstName      string    `json:"firstName,omitempty"`
	LastName       string    `json:"lastName,omitempty"`
	PointBalance   int       `json:"pointBalance"`
	LifetimePoints int       `json:"lifetimePoints"` // places the tier
	TierID         string    `json:"tierId,omitempty"`
	TierTitle      string    `json:"tierTitle,omitempty"`
	MembershipID   string    `json:"membershipId,omitempty"` // "" when removed
	Removed        bool      `json:"removed"`
	CreatedAt      time.Time `json:"createdAt"`
}

// OrderState is a read-only copy of one order.
type OrderState struct {
	ID              string   `json:"id"`
	CustomerID      string   `json:"customerId,omitempty"`
	Email           string   `json:"email,omitempty"`
	Currency        string   `json:"currency"`
	TotalPrice      *float64 `json:"totalPrice"`
	FinancialStatus string   `json:"financialStatus"`
	PointsAwarded   int      `json:"pointsAwarded"`
	PointsRefunded  bool     `json:"pointsRefunded"`
}

// RewardState is a read-only copy of one issued reward coupon (redeemed in a
// widget, a tier entry reward or a referral reward).
type RewardState struct {
	ID             string     `json:"id"`
	CouponCode     string     `json:"couponCode"`
	DiscountType   string     `json:"discountType"`
	DiscountAmount float64    `json:"discountAmount"`
	UsedAt         *time.Time `json:"usedAt"`
}

// Customers returns every customer, by merchant id.
func (f *Fake) Customers() []CustomerState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]CustomerState, 0, len(f.customers))
	for _, c := range f.customers {
		s := CustomerState{
			ID: c.externalID, InfluenceID: c.id, Email: c.email, FirstName: c.firstName, LastName: c.lastName,
			PointBalance: c.pointBalance, LifetimePoints: c.lifetimePoints, TierID: c.tierID,
			MembershipID: c.membershipID, Removed: c.removed, CreatedAt: c.createdAt,
		}
		if t := f.tier(c.tierID); t != nil {
			s.TierTitle = t.Title
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Orders returns every order, by id.
func (f *Fake) Orders() []OrderState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]OrderState, 0, len(f.orders))
	for _, o := range f.orders {
		var total *float64
		if o.totalPrice != nil {
			v := float64(*o.totalPrice)
			total = &v
		}
		out = append(out, OrderState{
			ID: o.id, CustomerID: o.customerID, Email: o.email, Currency: o.currency, TotalPrice: total,
			FinancialStatus: o.financialStatus, PointsAwarded: o.awarded, PointsRefunded: o.pointsRefunded,
		})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Rewards returns every issued reward coupon, by code.
func (f *Fake) Rewards() []RewardState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]RewardState, 0, len(f.rewards))
	for _, r := range f.rewards {
		s := RewardState{ID: r.id, CouponCode: r.code, DiscountType: r.discountType, DiscountAmount: r.amount}
		if r.usedAt != nil {
			t := *r.usedAt
			s.UsedAt = &t
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].CouponCode < out[j].CouponCode })
	return out
}

// EarnRules returns the seeded earn rules, by id.
func (f *Fake) EarnRules() []EarnRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]EarnRule, 0, len(f.earnRules))
	for _, r := range f.earnRules {
		out = append(out, r)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}

// Tiers returns the seeded tiers, by ascending threshold.
func (f *Fake) Tiers() []Tier {
	f.mu.Lock()
	defer f.mu.Unlock()
	return append([]Tier(nil), f.tiers.Values()...)
}

// ProductState is a read-only copy of one product.
type ProductState struct {
	ID       string   `json:"id"`
	Title    string   `json:"title"`
	URL      string   `json:"url,omitempty"`
	Price    *float64 `json:"price"`
	Variants int      `json:"variants"`
}

// Products returns every product, by merchant id.
func (f *Fake) Products() []ProductState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]ProductState, 0, len(f.products))
	for id, p := range f.products {
		s := ProductState{ID: id, Title: p.Title, URL: p.URL, Variants: len(p.Variants)}
		if p.Price != nil {
			v := *p.Price
			s.Price = &v
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
