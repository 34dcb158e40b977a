package loyalty_test

// Products, webhook subscriptions and reward coupons on Influence.io against
// loyaltytest.

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/webhook"
)

func variantIDs(p *loyalty.Product) []string {
	var ids []string
	for _, v := range p.Variants {
		ids = append(ids, v.ID)
	}
	return ids
}

func TestInfluenceIOProductsThroughTheFake(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient())
	c := srv.Client()
	ctx := context.Background()
	eur := func(minor int64) *loyalty.Money { return loyalty.Ptr(loyalty.NewMoney(minor, "EUR")) }

	p, _, err := c.Products.Upsert(ctx, loyalty.ProductInput{ID: "P-1", Title: "Tee", Price: eur(1999), Collections: []string{"summer"},
		Variants: []loyalty.Variant{{ID: "S", Title: "Small", Price: eur(1999), SKU: "T-S"}, {ID: "M", Title: "Medium", Price: eur(2150), SKU: "T-M"}}})
	require.NoError(t, err)
	assert.Equal(t, []string{"S", "M"}, variantIDs(p))
	assert.False(t, p.CreatedAt.IsZero())

	_, _, err = c.Products.SetVariants(ctx, "P-404", []loyalty.Variant{})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)

	// S merged (new price; title and SKU kept as the merge leaves them), M
	// deleted, L created.
	p, _, err = c.Products.SetVariants(ctx, "P-1", []loyalty.Variant{{ID: "S", Price: eur(1799)}, {ID: "L", Title: "Large", Price: eur(2499), SKU: "T-L"}})
	require.NoError(t, err)
	assert.Equal(t, []string{"S", "L"}, variantIDs(p))

	// The fake kept it: an update of the title alone shows the stored variants.
	p, _, err = c.Products.Upsert(ctx, loyalty.ProductInput{ID: "P-1", Title: "T-shirt", Currency: "EUR"})
	require.NoError(t, err)
	assert.Equal(t, "T-shirt", p.Title)
	assert.Equal(t, eur(1999), p.Price)
	assert.Equal(t, []string{"summer"}, p.Collections)
	require.Equal(t, []string{"S", "L"}, variantIDs(p))
	assert.Equal(t, loyalty.Variant{ID: "S", Title: "Small", Price: eur(1799), SKU: "T-S"}, p.Variants[0])
	assert.Equal(t, loyalty.Variant{ID: "L", Title: "Large", Price: eur(2499), SKU: "T-L"}, p.Variants[1])

	p, _, err = c.Products.SetVariants(ctx, "P-1", []loyalty.Variant{})
	require.NoError(t, err)
	assert.Empty(t, p.Variants)
}

// Money survives the trip to the fake and back exactly: a sum of 0.10 and
// 0.20, and currencies with 0 and 3 minor digits.
func TestInfluenceIOMoneyRoundTripsThroughTheFake(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient())
	c := srv.Client()
	sum := loyalty.NewMoney(loyalty.NewMoney(10, "USD").Minor+loyalty.NewMoney(20, "USD").Minor, "USD")
	for _, m := range []loyalty.Money{sum, loyalty.NewMoney(500, "JPY"), loyalty.NewMoney(1250, "KWD"), loyalty.NewMoney(1, "KWD"), loyalty.NewMoney(99999999, "EUR")} {
		p, _, err := c.Products.Upsert(context.Background(), loyalty.ProductInput{ID: "P-" + m.Currency, Price: &m,
			Variants: []loyalty.Variant{{ID: "V", Price: &m}}})
		require.NoError(t, err)
		assert.Equal(t, &m, p.Price, m.String())
		assert.Equal(t, &m, p.Variants[0].Price, m.String())
	}
}

// A subscription registered through c.Webhooks, with its token, receives
// the fake's deliveries at a webhook.Receiver handler; one with the wrong
// token is refused there; a deleted one receives nothing more.
func TestInfluenceIOWebhooksReachAHandler(t *testing.T) {
	const token = "url-token-S3CRET"
	rc, err := webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{token}})
	require.NoError(t, err)
	var mu sync.Mutex
	var got []webhook.Event
	h := rc.Handler(func(_ context.Context, ev webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		return nil
	}, webhook.HandlerOptions{})
	recv := httptest.NewServer(h)
	defer recv.Close()

	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient(), loyaltytest.WithWebhookRetry(1, 0))
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()

	var ids []string
	for _, topic := range loyalty.InfluenceIOTopics() {
		wh, _, err := c.Webhooks.CreateWithToken(ctx, topic, recv.URL+"/hooks/influence", token)
		require.NoError(t, err)
		assert.Equal(t, topic, wh.Topic)
		ids = append(ids, wh.ID)
	}
	wrong, _, err := c.Webhooks.Create(ctx, loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicPointsEarned, URL: recv.URL + "/hooks/influence?token=guess"})
	require.NoError(t, err)
	var listed []string
	for wh, err := range c.Webhooks.List(ctx) {
		require.NoError(t, err)
		listed = append(listed, wh.ID)
	}
	assert.ElementsMatch(t, append(slices.Clone(ids), wrong.ID), listed)

	// Trigger deliveries.
	_, _, err = c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1042", Email: "ana@example.com", InfluenceIO: &loyalty.InfluenceIOCustomerInput{Name: "Ana"}})
	require.NoError(t, err)
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1042"), Points: 700, HistoryTitle: "Welcome"})
	require.NoError(t, err)
	code, err := srv.InfluenceIO().Redeem("C-1042", 500, "", "fixedamountdiscount")
	require.NoError(t, err)
	require.NoError(t, srv.WaitForWebhooks(ctx))

	mu.Lock()
	var kinds []string
	var redeemed *webhook.InfluenceIOPointsRedeemed
	for _, ev := range got {
		kinds = append(kinds, ev.Topic)
		assert.Equal(t, "C-1042", ev.CustomerID)
		if d, ok := ev.Data.(*webhook.InfluenceIOPointsRedeemed); ok {
			redeemed = d
		}
	}
	mu.Unlock()
	sort.Strings(kinds)
	assert.Equal(t, []string{"customers/updated", "points/earned", "points/redeemed"}, kinds)
	require.NotNil(t, redeemed)
	assert.Equal(t, code, redeemed.CouponCode)

	var refused int
	for _, d := range srv.WebhookDeliveries() {
		if d.URL == wrong.URL {
			refused++
			assert.False(t, d.Delivered)
			assert.Equal(t, http.StatusUnauthorized, d.Attempts[0].Status)
		} else {
			assert.True(t, d.Delivered, d.Topic)
		}
		assert.Empty(t, d.Header.Get("X-Webhook-Signature"), "Influence.io signs nothing")
	}
	assert.Equal(t, 1, refused, "the points/earned delivery to the wrong token")

	// The store accepted the coupon: mark it used, once.
	_, err = c.Coupons.MarkUsed(ctx, redeemed.CouponCode)
	require.NoError(t, err)
	_, err = c.Coupons.MarkUsed(ctx, redeemed.CouponCode)
	assert.ErrorIs(t, err, loyalty.ErrConflict)

	// Replace moves a subscription; Delete ends it.
	wh, _, err := c.Webhooks.Replace(ctx, wrong.ID, loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicReferralsStarted, URL: wrong.URL})
	require.NoError(t, err)
	assert.Equal(t, loyalty.InfluenceIOTopicReferralsStarted, wh.Topic)
	for _, id := range append(ids, wrong.ID) {
		_, err := c.Webhooks.Delete(ctx, id)
		require.NoError(t, err)
	}
	_, _, err = c.Webhooks.Get(ctx, ids[0])
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	before := len(srv.WebhookDeliveries())
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1042"), Points: 5})
	require.NoError(t, err)
	require.NoError(t, srv.WaitForWebhooks(ctx))
	assert.Len(t, srv.WebhookDeliveries(), before, "no subscription, no delivery")
}
