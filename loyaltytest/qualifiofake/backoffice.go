package qualifiofake

import (
	"errors"
	"math"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// Qualifio documents no API for the program manager's manual operations;
// the platform only reports them as webhooks. These methods stand in for the
// back office so that tests can cause every documented webhook type.

// Errors of the back-office methods; loyaltytest re-exports them as
// ErrQualifioNoMember, ErrQualifioInsufficientFunds and ErrQualifioAmount.
var (
	ErrNoMember          = errors.New("qualifiofake: no member with that id")
	ErrInsufficientFunds = errors.New("qualifiofake: balance too low")
	ErrAmount            = errors.New("qualifiofake: amount must be positive, finite and keep the balance within MaxAmount")
)

// Reward is a reward given or bought, as in webhook data.reward.
type Reward struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	PromoCode *string `json:"promoCode"`
}

// Level is a member level, as in level.changed data.
type Level struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// withMember runs fn on a member under f.mu.
func (f *Fake) withMember(id string, fn func(*member) error) error {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.members[id]
	if m == nil {
		return ErrNoMember
	}
	return fn(m)
}

func (f *Fake) ledgerData(m *member, amount float64) map[string]any {
	return map[string]any{
		"currency": contract.QualifioDefaultCurrency, "amount": amount,
		"balance": m.balance, "lifetimeTotal": m.lifetime,
	}
}

// CorrectPoints adds (amount > 0) or removes (amount < 0) points as a
// program manager would: points.corrected.added or .removed.
func (f *Fake) CorrectPoints(memberID string, amount float64, reason string) error {
	if amount == 0 || math.IsNaN(amount) || math.Abs(amount) > MaxAmount {
		return ErrAmount
	}
	return f.withMember(memberID, func(m *member) error {
		typ := contract.QualifioPointsCorrectedAdded
		if amount > 0 {
			if !fits(m.balance, amount) || !fits(m.lifetime, amount) {
				return ErrAmount
			}
			m.balance += amount
			m.lifetime += amount
		} else {
			if m.balance < -amount {
				return ErrInsufficientFunds
			}
			amount = -amount
			m.balance -= amount
			typ = contract.QualifioPointsCorrectedRemove
		}
		data := f.ledgerData(m, amount)
		data["reason"] = reason
		f.emit(typ, m, data)
		return nil
	})
}

// Burn spends cost points on reward: points.burned.
func (f *Fake) Burn(memberID string, cost float64, reward Reward) error {
	if cost <= 0 {
		return ErrAmount
	}
	return f.withMember(memberID, func(m *member) error {
		if m.balance < cost {
			return ErrInsufficientFunds
		}
		m.balance -= cost
		data := f.ledgerData(m, cost)
		data["reward"] = reward
		f.emit(contract.QualifioPointsBurned, m, data)
		return nil
	})
}

// GiveGift gives reward for free: gift.given.
func (f *Fake) GiveGift(memberID string, reward Reward) error {
	return f.withMember(memberID, func(m *member) error {
		f.emit(contract.QualifioGiftGiven, m, map[string]any{"reward": reward})
		return nil
	})
}

// VisitPortal records a member portal visit: portal.visited.
func (f *Fake) VisitPortal(memberID string) error {
	return f.withMember(memberID, func(m *member) error {
		f.emit(contract.QualifioPortalVisited, m, nil)
		return nil
	})
}

// SetLevel moves the member to level (nil: no level): level.changed, unless
// the level is unchanged.
func (f *Fake) SetLevel(memberID string, level *Level) error {
	return f.withMember(memberID, func(m *member) error {
		if (m.level == nil && level == nil) || (m.level != nil && level != nil && *m.level == *level) {
			return nil
		}
		old := m.level
		if level != nil {
			l := *level
			level = &l
		}
		m.level = level
		f.emit(contract.QualifioLevelChanged, m, map[string]any{"oldLevel": old, "newLevel": level})
		return nil
	})
}
