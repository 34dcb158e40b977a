package loyalty_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func TestTiersListAcceptsArrayOrWrapped(t *testing.T) {
	const tier = `{"id": 7, "name": "Silver", "description": "Spend $100", "points_earned": 0, "amount_spent_cents": "10000",
	  "purchases_made": 2, "points_multiplier": 1.5, "rank": 2, "perks": ["free shipping"]}`
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
		assert.Equal(t, int64(2), tr.Rank)
		assert.Equal(t, loyalty.Money{Minor: 10000}, tr.AmountSpent)
		assert.Equal(t, 2, tr.PurchasesMade)
		assert.Equal(t, 1.5, tr.PointsMultiplier)
		assert.Contains(t, string(tr.Raw), "perks")
	}
}

func TestTiersListBadBody(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/vip_tiers", Resp: `{"vip_tiers": 3}`})
	err := firstErr(m.client(loyalty.Yotpo).Tiers.List(context.Background()))
	assert.ErrorContains(t, err, "Tiers.List: decoding response")
}
