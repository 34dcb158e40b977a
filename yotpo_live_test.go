//go:build live

package loyalty_test

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"iter"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// TestYotpoCommerceLive runs the Customers and Orders flows against a real
// Yotpo account (or `go run ./cmd/loyaltyfake`) with a customer made unique
// for the run, removed again at the end. It asserts only what holds on any
// account: an account's own campaigns decide what actions and orders earn.
func TestYotpoCommerceLive(t *testing.T) {
	env := liveEnv(t, "YOTPO_GUID", "YOTPO_API_KEY")
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{
		GUID: env["YOTPO_GUID"], APIKey: env["YOTPO_API_KEY"], BaseURL: liveOptional("YOTPO_BASE_URL"),
	}), liveDecodeIssues(t))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections) // runs last: the package's goleak check sees no keep-alive left
	ctx, cancel := context.WithTimeout(context.Background(), 2*time.Minute)
	defer cancel()

	var rnd [6]byte
	_, _ = rand.Read(rnd[:])
	suffix := hex.EncodeToString(rnd[:])
	email := "loyalty-go-live+" + suffix + "@example.com"
	id := "loyalty-go-live-" + suffix
	ref := loyalty.ByEmail(email)
	t.Cleanup(func() { livePrivacyDelete(t, c, email) })

	cust, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: id, Email: email, FirstName: "Live", LastName: "Test",
		Tags: []string{"loyalty-go-live"}, OptIn: loyalty.Ptr(true)})
	require.NoError(t, err)
	assert.Equal(t, email, cust.Email)

	before, _, err := c.Customers.Get(ctx, ref, &loyalty.CustomerGetOptions{WithHistory: true, WithReferralCode: true})
	require.NoError(t, err)
	assert.Equal(t, id, before.ID)
	assert.True(t, before.OptIn, "opted_in was honoured")

	_, err = c.Customers.RecordAction(ctx, loyalty.Action{Customer: ref, Name: "loyalty_go_live_check",
		IPAddress: "203.0.113.7", UserAgent: "loyalty-go live test", CreatedAt: time.Now().Add(-time.Hour)})
	require.NoError(t, err)

	mid, _, err := c.Customers.Get(ctx, ref, nil)
	require.NoError(t, err)
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID(id), Points: 10, Earned: true, HistoryTitle: "loyalty-go live test"})
	require.NoError(t, err)
	after, _, err := c.Customers.Get(ctx, ref, &loyalty.CustomerGetOptions{WithHistory: true})
	require.NoError(t, err)
	assert.Equal(t, mid.PointsBalance+10, after.PointsBalance)

	order := loyalty.Order{ID: "live-" + suffix, CustomerEmail: email, Total: loyalty.NewMoney(1000, "USD"), Status: loyalty.OrderPaid,
		Items: []loyalty.OrderItem{{ID: "live-sku", Name: "Live test item", Price: loyalty.NewMoney(1000, "USD"), Quantity: 1}}}
	_, _, err = c.Orders.Create(ctx, order)
	require.NoError(t, err)
	_, _, err = c.Orders.Create(ctx, order)
	require.NoError(t, err, "resending an order is accepted")
	_, err = c.Orders.Refund(ctx, loyalty.Refund{OrderID: order.ID, Total: loyalty.NewMoney(500, "USD")})
	require.NoError(t, err)

	_, err = c.Customers.SetBirthday(ctx, ref, loyalty.CalendarDay{Day: 12, Month: time.April})
	require.NoError(t, err)
	_, err = c.Customers.SetAnniversary(ctx, ref, loyalty.CalendarDay{Day: 14, Month: time.June, Year: 2019})
	require.NoError(t, err)
	d, _, err := c.Customers.Anniversary(ctx, ref)
	require.NoError(t, err)
	assert.Equal(t, loyalty.CalendarDay{Day: 14, Month: time.June, Year: 2019}, *d)
	_, err = c.Customers.RemoveAnniversary(ctx, ref)
	require.NoError(t, err)

	for name, seq := range map[string]func() iter.Seq2[*loyalty.Customer, error]{
		"List": func() iter.Seq2[*loyalty.Customer, error] {
			return c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 5})
		},
		"Recent": func() iter.Seq2[*loyalty.Customer, error] {
			return c.Customers.Recent(ctx, &loyalty.CustomerRecentOptions{PerPage: 5})
		},
	} {
		n := 0
		for cust, err := range seq() {
			require.NoError(t, err, name)
			require.NotEmpty(t, cust.Email, name)
			if n++; n == 7 { // crosses a page
				break
			}
		}
		assert.Positive(t, n, name)
	}
}

// livePrivacyDelete anonymizes the test's person (DELETE /privacy/data)
// and checks that Yotpo no longer reports data about them.
func livePrivacyDelete(t *testing.T, c *loyalty.Client, email string) {
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	if _, err := c.Privacy.Anonymize(ctx, email, nil); err != nil {
		t.Errorf("NOT CLEANED UP: anonymizing %s: %v", email, err)
		return
	}
	exists, _, err := c.Privacy.DataExists(ctx, email)
	assert.NoError(t, err)
	assert.False(t, exists, "%s still has data after anonymizing", email)
}
