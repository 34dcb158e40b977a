package influenceiofake

import (
	"sort"
	"strconv"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// Tier is a loyalty tier seeded into the account. A customer is in the tier
// with the highest Threshold not above their lifetime points earned (awards
// and paid orders add to it; a refund takes the order's points back; a
// redemption does not lower it). Decided: the docs do not say what a
// threshold counts.
type Tier struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Threshold int    `json:"threshold"`
	// EntryReward, when set, is issued on entering the tier from below and
	// sent as customers/tier_entry_reward_earned.
	EntryReward *TierReward `json:"entryReward,omitempty"`
}

// TierReward is the coupon a tier grants on entry.
type TierReward struct {
	CouponCode     string  `json:"couponCode,omitempty"`   // generated when empty
	DiscountType   string  `json:"discountType,omitempty"` // fixed_amount, percentage, shipping
	DiscountAmount float64 `json:"discountAmount"`
}

// AddTier seeds a tier (replacing one with the same ID, in its place among
// tiers of equal threshold). Customers are placed when their points next
// change.
func (f *Fake) AddTier(t Tier) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.tiers.Put(t.ID, t, true)
}

// tierRef is the {id, title} object of the REST and webhook customer.
type tierRef struct {
	ID    string `json:"id"`
	Title string `json:"title"`
}

// tierJSON is the webhook tier object: the threshold is a string.
type tierJSON struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Threshold string `json:"threshold"`
}

// tierChangedEvent is the payload of customers/tier_changed.
type tierChangedEvent struct {
	Customer *webhookCustomerJSON `json:"customer"`
	OldTier  *tierJSON            `json:"oldTier"`
	NewTier  *tierJSON            `json:"newTier"`
}

// tierRewardEvent is the decided payload of customers/tier_entry_reward_earned.
type tierRewardEvent struct {
	ID       string               `json:"id"`
	Customer *webhookCustomerJSON `json:"customer"`
	Tier     *tierJSON            `json:"tier"`
	Reward   *rewardJSON          `json:"reward"`
}

// tier returns the seeded tier with id (nil for none). Callers hold f.mu.
func (f *Fake) tier(id string) *Tier {
	if t, ok := f.tiers.Get(id); ok && id != "" {
		return &t
	}
	return nil
}

func (t *Tier) ref() *tierRef {
	if t == nil {
		return nil
	}
	return &tierRef{ID: t.ID, Title: t.Title}
}

func (t *Tier) wire() *tierJSON {
	if t == nil {
		return nil
	}
	return &tierJSON{ID: t.ID, Title: t.Title, Threshold: strconv.Itoa(t.Threshold)}
}

// placeTier moves c to the tier its lifetime points earn and emits
// customers/tier_changed, plus the entry reward when moving up into a tier
// that has one. Callers hold f.mu.
func (f *Fake) placeTier(c *customer) {
	// The last tier, in ascending threshold, whose threshold c reaches.
	var next *Tier
	tiers := f.tiers.Values()
	if i := sort.Search(len(tiers), func(i int) bool { return tiers[i].Threshold > c.lifetimePoints }); i > 0 {
		t := tiers[i-1]
		next = &t
	}
	old := f.tier(c.tierID)
	if (next == nil && old == nil) || (next != nil && old != nil && next.ID == old.ID) {
		return
	}
	c.tierID = ""
	if next != nil {
		c.tierID = next.ID
	}
	c.updatedAt = f.env.Now()
	f.emit(contract.InfluenceIOTopicCustomersTierChanged, tierChangedEvent{Customer: f.webhookCustomer(c), OldTier: old.wire(), NewTier: next.wire()})
	up := next != nil && (old == nil || next.Threshold > old.Threshold)
	if !up || next.EntryReward == nil {
		return
	}
	code := next.EntryReward.CouponCode
	if code == "" || f.rewards[code] != nil {
		code = f.newCode("TIER-")
	}
	rw := f.issue(code, next.EntryReward.DiscountType, next.EntryReward.DiscountAmount)
	f.emit(contract.InfluenceIOTopicTierEntryRewardEarned, tierRewardEvent{
		ID: f.env.NewID(), Customer: f.webhookCustomer(c), Tier: next.wire(), Reward: rw.wire(),
	})
}
