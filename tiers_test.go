package loyalty_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// The answer of https://loyaltyapi.yotpo.com/reference/fetch-vip-tiers: the
// multiplier is a string, the thresholds objects.
func TestTiersListDecodesTheDocumentedTier(t *testing.T) {
	const tier = `{"id": 7, "name": "Silver", "description": "Spend $100", "type": "spend", "coupon_reward": "$5 off",
	  "points_multiplier": "1.25", "points_reward": "50",
	  "entry_threshold": {"points_earned": 0, "amount_spent_cents": "10000", "purchases_made": 2, "referrals_completed": 1, "orders_in": "year"},
	  "retain_threshold": {"amount_spent_cents": 8000},
	  "regain_threshold": null,
	  "perks": ["free shipping"]}`
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/vip_tiers", Resp: `[` + tier + `]`},
		exchange{Method: http.MethodGet, Path: "/vip_tiers", Resp: `{"vip_tiers": [` + tier + `], "total": 1}`},
	)
	c := m.client(loyalty.Yotpo)
	for range 2 {
		tiers := collect(t, c.Tiers.List(context.Background()))
		require.Len(t, tiers, 1)
		tr := tiers[0]
		assert.Equal(t, int64(7), tr.ID)
		assert.Equal(t, "Silver", tr.Name)
		assert.Equal(t, "Spend $100", tr.Description)
		assert.Equal(t, "spend", tr.Type)
		assert.Equal(t, "$5 off", tr.CouponReward)
		assert.Equal(t, "1.25", tr.PointsMultiplier, "kept exact, as sent")
		assert.Equal(t, int64(50), tr.PointsReward)
		assert.Equal(t, loyalty.TierThreshold{AmountSpent: loyalty.Money{Minor: 10000}, PurchasesMade: 2, ReferralsCompleted: 1, Raw: tr.Entry.Raw}, tr.Entry)
		assert.Contains(t, string(tr.Entry.Raw), `"orders_in"`, "an unread threshold field stays in Raw")
		assert.Equal(t, loyalty.Money{Minor: 8000}, tr.Retain.AmountSpent)
		assert.JSONEq(t, `{"amount_spent_cents": 8000}`, string(tr.Retain.Raw))
		assert.Equal(t, loyalty.TierThreshold{}, tr.Regain, "null: no threshold")
		assert.Contains(t, string(tr.Raw), "perks")
	}
}

func TestTiersListKeepsANumericMultipliersDigits(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/vip_tiers",
		Resp: `[{"id": 1, "name": "Gold", "points_multiplier": 1.50, "entry_threshold": "n/a"}]`})
	tiers := collect(t, m.client(loyalty.Yotpo).Tiers.List(context.Background()))
	require.Len(t, tiers, 1)
	assert.Equal(t, "1.50", tiers[0].PointsMultiplier)
	assert.Equal(t, loyalty.TierThreshold{}, tiers[0].Entry, "not an object: no threshold")
}

func TestTiersListBadBody(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/vip_tiers", Resp: `{"vip_tiers": 3}`})
	err := firstErr(m.client(loyalty.Yotpo).Tiers.List(context.Background()))
	assert.ErrorContains(t, err, "Tiers.List: decoding response")
}
