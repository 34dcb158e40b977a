//go:build live

package loyalty_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// liveInfluenceIO builds a Client from INFLUENCEIO_API_KEY and the optional
// INFLUENCEIO_BASE_URL.
func liveInfluenceIO(t *testing.T) *loyalty.Client {
	t.Helper()
	env := liveEnv(t, "INFLUENCEIO_API_KEY")
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: env["INFLUENCEIO_API_KEY"], BaseURL: liveOptional("INFLUENCEIO_BASE_URL")}), liveDecodeIssues(t))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

func liveSuffix(t *testing.T) string {
	b := make([]byte, 6)
	_, err := rand.Read(b)
	require.NoError(t, err)
	return hex.EncodeToString(b)
}

// A subscription made with a token is listed, read back and deleted. Its
// URL points at example.com, which Influence.io will not reach: it lives
// for the test only.
func TestLiveInfluenceIOWebhookSubscriptions(t *testing.T) {
	c := liveInfluenceIO(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	wh, _, err := c.Webhooks.CreateWithToken(ctx, loyalty.InfluenceIOTopicPointsRedeemed, "https://example.com/loyalty-go-live/"+liveSuffix(t), "live-"+liveSuffix(t))
	require.NoError(t, err)
	require.NotEmpty(t, wh.ID)
	deleted := false
	t.Cleanup(func() {
		if !deleted {
			_, _ = c.Webhooks.Delete(context.Background(), wh.ID)
		}
	})
	assert.Equal(t, loyalty.InfluenceIOTopicPointsRedeemed, wh.Topic)

	found := false
	for got, err := range c.Webhooks.List(ctx) {
		require.NoError(t, err)
		found = found || got.ID == wh.ID
	}
	assert.True(t, found, "the new subscription is listed")
	got, _, err := c.Webhooks.Get(ctx, wh.ID)
	require.NoError(t, err)
	assert.Equal(t, wh.URL, got.URL)

	_, err = c.Webhooks.Delete(ctx, wh.ID)
	require.NoError(t, err)
	deleted = true
	_, _, err = c.Webhooks.Get(ctx, wh.ID)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

// A product is created, then updated in place. No price is sent: the
// account's currency is not known here.
func TestLiveInfluenceIOProductUpsert(t *testing.T) {
	c := liveInfluenceIO(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	id := "loyalty-go-live-" + liveSuffix(t)
	p, _, err := c.Products.Upsert(ctx, loyalty.ProductInput{ID: id, Title: "loyalty-go live test", URL: "https://example.com/p/" + id})
	require.NoError(t, err)
	assert.Equal(t, id, p.ID)
	assert.NotNil(t, p.Raw)
	p, _, err = c.Products.Upsert(ctx, loyalty.ProductInput{ID: id, Title: "loyalty-go live test, updated"})
	require.NoError(t, err)
	assert.Equal(t, "loyalty-go live test, updated", p.Title)
	assert.Equal(t, "https://example.com/p/"+id, p.URL, "an absent field is left unchanged")
}

// A test customer is upserted, read back, awarded points, removed from and
// enrolled in the program; an order for them is created pending, paid, and
// refunded; the list yields customers. The account's earn rules are not
// known here, so only the direct award's effect on the balance is checked.
func TestLiveInfluenceIOCustomerOrderFlow(t *testing.T) {
	c := liveInfluenceIO(t)
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()
	suffix := liveSuffix(t)
	id := "loyalty-go-live-" + suffix
	email := "loyalty-go-live+" + suffix + "@example.com"

	cu, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: id, Email: email, FirstName: "Live", LastName: "Test", Tags: []string{"loyalty-go-live"}})
	require.NoError(t, err)
	assert.Equal(t, id, cu.ID)
	assert.Equal(t, email, cu.Email)
	require.NotNil(t, cu.InfluenceIO)
	assert.NotEmpty(t, cu.InfluenceIO.ID, "Influence.io's own id")

	got, _, err := c.Customers.Get(ctx, loyalty.ByID(id), nil)
	require.NoError(t, err)
	assert.Equal(t, "Live", got.FirstName)
	before := got.PointsBalance
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID(id), Points: 25, HistoryTitle: "loyalty-go live test"})
	require.NoError(t, err)
	got, _, err = c.Customers.Get(ctx, loyalty.ByID(id), nil)
	require.NoError(t, err)
	assert.Equal(t, before+25, got.PointsBalance)

	cu, _, err = c.Customers.RemoveMembership(ctx, loyalty.ByID(id))
	require.NoError(t, err)
	assert.False(t, cu.OptIn)
	cu, _, err = c.Customers.EnrollMembership(ctx, loyalty.ByID(id), "")
	require.NoError(t, err)
	assert.True(t, cu.OptIn)

	total := loyalty.NewMoney(1250, "EUR")
	orderID := "loyalty-go-live-O-" + suffix
	res, _, err := c.Orders.Create(ctx, loyalty.Order{ID: orderID, CustomerID: id, CustomerEmail: email, Total: total, Status: loyalty.OrderPending,
		Items: []loyalty.OrderItem{{ID: "loyalty-go-live-P", Name: "Live test item", Price: total, Quantity: 1}}})
	require.NoError(t, err)
	assert.Equal(t, orderID, res.Order.ID)
	assert.Equal(t, total, res.Order.Total, "the stored total reads back exactly")
	res, _, err = c.Orders.Update(ctx, orderID, loyalty.OrderUpdate{Status: loyalty.OrderPaid})
	require.NoError(t, err)
	assert.Equal(t, loyalty.OrderPaid, res.Order.Status)
	_, err = c.Orders.Refund(ctx, loyalty.Refund{OrderID: orderID, Total: total})
	require.NoError(t, err)
	_, resp, err := c.Orders.Create(ctx, loyalty.Order{ID: orderID, CustomerID: id, Total: total})
	require.NoError(t, err, "an order id is recorded once: a repeat is no error")
	assert.Equal(t, http.StatusConflict, resp.StatusCode, "Influence.io answers a repeat with 409 (decided)")

	n := 0
	for _, err := range c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 10}) {
		require.NoError(t, err)
		if n++; n == 10 {
			break
		}
	}
	assert.Positive(t, n, "the new customer at least")
}
