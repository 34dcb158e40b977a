package loyalty

import (
	"context"
	"encoding/json"
	"iter"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// TiersService lists the VIP tiers of the program. Yotpo only
// (https://loyaltyapi.yotpo.com/reference/fetch-vip-tiers).
type TiersService service

// Tier is a VIP tier as GET /vip_tiers reports it.
type Tier struct {
	ID          int64
	Name        string
	Description string
	Type        string // Yotpo's tier type, as sent
	// PointsMultiplier scales what the tier's members earn, as Yotpo sends
	// it: a decimal string such as "1.5" (a JSON number keeps its digits),
	// "" when absent. It stays text so that no digit is lost; parse it with
	// strconv.ParseFloat or math/big's Rat.SetString to compute with it.
	PointsMultiplier string
	// PointsReward is the points given on entering the tier; CouponReward
	// the coupon reward as Yotpo describes it ("" when none).
	PointsReward int64
	CouponReward string
	// Entry is what entering the tier takes, Retain what keeping it takes,
	// Regain what winning it back after losing it takes.
	Entry, Retain, Regain TierThreshold
	Raw                   json.RawMessage
}

// TierThreshold is one of a tier's thresholds; a zero field sets no
// condition. Yotpo's reference names these objects but not their fields:
// the SDK reads points_earned, amount_spent_cents, purchases_made and
// referrals_completed (decided) and keeps the whole object in Raw, so a
// field it does not read is still there.
type TierThreshold struct {
	PointsEarned       int64
	AmountSpent        Money // amount_spent_cents, in the store's currency (Currency empty)
	PurchasesMade      int
	ReferralsCompleted int
	Raw                json.RawMessage // nil when Yotpo sent none
}

type tierJSON struct {
	ID               wireInt           `json:"id" wire:"required"`
	Name             wireText          `json:"name"`
	Description      wireText          `json:"description"`
	Type             wireText          `json:"type"`
	CouponReward     wireText          `json:"coupon_reward"`
	PointsMultiplier wireText          `json:"points_multiplier"`
	PointsReward     wireInt           `json:"points_reward"`
	EntryThreshold   tierThresholdJSON `json:"entry_threshold"`
	RetainThreshold  tierThresholdJSON `json:"retain_threshold"`
	RegainThreshold  tierThresholdJSON `json:"regain_threshold"`
}

// tierThresholdJSON reads a threshold object; anything but an object
// leaves it zero (a decode issue).
type tierThresholdJSON TierThreshold

func (tierThresholdJSON) wireProblem(b []byte) string {
	if b[0] != '{' {
		return "want object, got " + jsonKind(b[0])
	}
	return ""
}

func (t *tierThresholdJSON) UnmarshalJSON(b []byte) error {
	var m map[string]json.RawMessage
	if len(b) == 0 || b[0] != '{' || json.Unmarshal(b, &m) != nil {
		return nil
	}
	var points, cents, purchases, referrals wireInt
	for _, f := range []struct {
		key string
		v   *wireInt
	}{
		{contract.YotpoKeyThresholdPoints, &points}, {contract.YotpoKeyThresholdSpentCents, &cents},
		{contract.YotpoKeyThresholdPurchases, &purchases}, {contract.YotpoKeyThresholdReferrals, &referrals},
	} {
		if raw, ok := m[f.key]; ok {
			_ = f.v.UnmarshalJSON(raw)
		}
	}
	*t = tierThresholdJSON{
		PointsEarned: int64(points), AmountSpent: moneyFromYotpoCents(cents, ""), PurchasesMade: int(purchases),
		ReferralsCompleted: int(referrals), Raw: append(json.RawMessage(nil), b...),
	}
	return nil
}

func (w *tierJSON) tier(raw json.RawMessage) *Tier {
	return &Tier{
		ID: int64(w.ID), Name: string(w.Name), Description: string(w.Description), Type: string(w.Type),
		PointsMultiplier: string(w.PointsMultiplier), PointsReward: int64(w.PointsReward), CouponReward: string(w.CouponReward),
		Entry: TierThreshold(w.EntryThreshold), Retain: TierThreshold(w.RetainThreshold), Regain: TierThreshold(w.RegainThreshold),
		Raw: raw,
	}
}

// List lists the VIP tiers (GET /vip_tiers) in Yotpo's order. It reads the
// documented bare array, or an object holding it under "vip_tiers"
// (decided, as contract.YotpoKeyVIPTiers).
func (s *TiersService) List(ctx context.Context, callOpts ...CallOption) iter.Seq2[*Tier, error] {
	const op = "Tiers.List"
	if err := s.client.yotpoOnly(op); err != nil {
		return failed[*Tier](err)
	}
	return yotpoList(ctx, s.client, op, contract.YotpoPathVIPTiers, nil, unwrapTiers, (*tierJSON).tier, callOpts)
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
