package loyalty

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// TiersService lists the VIP tiers of the program. Yotpo only; the shape of
// GET /vip_tiers is decided (the same fields as the webhooks' tier object).
type TiersService service

// Tier is a VIP tier. A customer reaches it by the thresholds that are not
// zero.
type Tier struct {
	ID          int64
	Name        string
	Description string
	Rank        int64 // higher is better
	// Thresholds.
	PointsEarned  int64
	AmountSpent   Money // amount_spent_cents, in the store's currency (Currency empty)
	PurchasesMade int
	// PointsMultiplier scales what the tier's members earn (1 = no bonus).
	PointsMultiplier float64
	Raw              json.RawMessage
}

type tierJSON struct {
	ID               wireInt `json:"id" wire:"required"`
	Name             string  `json:"name"`
	Description      string  `json:"description"`
	Rank             wireInt `json:"rank"`
	PointsEarned     wireInt `json:"points_earned"`
	AmountSpentCents wireInt `json:"amount_spent_cents"`
	PurchasesMade    wireInt `json:"purchases_made"`
	PointsMultiplier float64 `json:"points_multiplier"`
}

func (w *tierJSON) tier(raw json.RawMessage) *Tier {
	return &Tier{
		ID: int64(w.ID), Name: w.Name, Description: w.Description, Rank: int64(w.Rank),
		PointsEarned: int64(w.PointsEarned), AmountSpent: moneyFromYotpoCents(w.AmountSpentCents, ""),
		PurchasesMade: int(w.PurchasesMade), PointsMultiplier: w.PointsMultiplier, Raw: raw,
	}
}

// List lists the VIP tiers (GET /vip_tiers) in Yotpo's order. It reads a
// bare array, or an object holding it under "vip_tiers" (decided, as
// contract.YotpoKeyVIPTiers: the response is not documented).
func (s *TiersService) List(ctx context.Context) iter.Seq2[*Tier, error] {
	const op = "Tiers.List"
	if err := s.client.yotpoOnly(op); err != nil {
		return failed[*Tier](err)
	}
	return yotpoList(ctx, s.client, op, contract.YotpoPathVIPTiers, nil, unwrapTiers, (*tierJSON).tier)
}

// unwrapTiers finds the tier array of a GET /vip_tiers body: the body, or
// its contract.YotpoKeyVIPTiers member.
func unwrapTiers(raw json.RawMessage) json.RawMessage {
	var wrapped map[string]json.RawMessage
	if len(raw) > 0 && raw[0] == '{' && json.Unmarshal(raw, &wrapped) == nil {
		if tiers, ok := wrapped[contract.YotpoKeyVIPTiers]; ok {
			return tiers
		}
	}
	return raw
}
