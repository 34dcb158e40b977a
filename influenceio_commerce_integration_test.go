package loyalty_test

// Customers and Orders on Influence.io against loyaltytest, and the
// cross-platform table: one set of flows run on a Yotpo-backed and an
// Influence.io-backed client, with the same outcome.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/webhook"
)

// upsert → order paid → points earned once → partial refund → points
// reversed once → tier changes, each step seen by a webhook handler
// subscribed through c.Webhooks.
func TestInfluenceIOCommerceFlowThroughTheFake(t *testing.T) {
	const token = "flow-token-S3CRET"
	rc, err := webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{token}})
	require.NoError(t, err)
	var mu sync.Mutex
	var got []webhook.Event
	recv := httptest.NewServer(rc.Handler(func(_ context.Context, ev webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		return nil
	}, webhook.HandlerOptions{}))
	defer recv.Close()

	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient(), loyaltytest.WithWebhookRetry(1, 0))
	srv.InfluenceIO().AddTier(loyaltytest.InfluenceIOTier{ID: "gold", Title: "Gold", Threshold: 40})
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()
	for _, topic := range []loyalty.InfluenceIOTopic{loyalty.InfluenceIOTopicPointsEarned, loyalty.InfluenceIOTopicCustomersTierChanged, loyalty.InfluenceIOTopicCustomersUpdated} {
		_, _, err := c.Webhooks.CreateWithToken(ctx, topic, recv.URL+"/hooks/influence", token)
		require.NoError(t, err)
	}

	cu, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1042", Email: "ana@example.com", FirstName: "Ana", LastName: "Peeters", Tags: []string{"vip"}})
	require.NoError(t, err)
	assert.Equal(t, "Ana Peeters", cu.InfluenceIO.Name, "the platform names a new customer")
	assert.True(t, cu.OptIn)

	eur := func(minor int64) loyalty.Money { return loyalty.NewMoney(minor, "EUR") }
	res, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerID: "C-1042", CustomerEmail: "ana@example.com", Total: eur(4990), Status: loyalty.OrderPending,
		Items: []loyalty.OrderItem{{ID: "P-1", VariantID: "S", Name: "Tee", Price: eur(4990), Quantity: 1}}})
	require.NoError(t, err)
	assert.Equal(t, loyalty.Ptr(false), res.PointsAwarded, "pending earns nothing yet")

	res, _, err = c.Orders.Update(ctx, "O-1", loyalty.OrderUpdate{Status: loyalty.OrderPaid})
	require.NoError(t, err)
	assert.Equal(t, loyalty.Ptr(true), res.PointsAwarded)
	assert.Equal(t, []loyalty.OrderItem{{ID: "P-1", VariantID: "S", Name: "Tee", Price: eur(4990), Quantity: 1}}, res.Order.Items)
	_, _, err = c.Orders.Update(ctx, "O-1", loyalty.OrderUpdate{Status: loyalty.OrderPaid}) // again: not awarded twice
	require.NoError(t, err)
	cu, _, err = c.Customers.Get(ctx, loyalty.ByID("C-1042"), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(49), cu.PointsBalance, "floor(49.90) points, once")
	assert.Equal(t, "Gold", cu.Tier)

	// Lines are replaced whole.
	res, _, err = c.Orders.Update(ctx, "O-1", loyalty.OrderUpdate{Items: []loyalty.OrderItem{{ID: "P-2", Name: "Cap", Price: eur(4990), Quantity: 1}}})
	require.NoError(t, err)
	assert.Equal(t, []loyalty.OrderItem{{ID: "P-2", Name: "Cap", Price: eur(4990), Quantity: 1}}, res.Order.Items)

	_, err = c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-1", Total: eur(1000)})
	require.NoError(t, err)
	_, err = c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-1", Full: true}) // the rest: nothing more to take
	require.NoError(t, err)
	cu, _, err = c.Customers.Get(ctx, loyalty.ByID("C-1042"), nil)
	require.NoError(t, err)
	assert.Zero(t, cu.PointsBalance, "the award reversed, once")
	assert.Empty(t, cu.Tier)

	require.NoError(t, srv.WaitForWebhooks(ctx))
	mu.Lock()
	defer mu.Unlock()
	var earned []*webhook.InfluenceIOPointsEarned
	var tiers []string
	for _, ev := range got {
		assert.Equal(t, "C-1042", ev.CustomerID)
		switch d := ev.Data.(type) {
		case *webhook.InfluenceIOPointsEarned:
			earned = append(earned, d)
		case *webhook.InfluenceIOCustomersTierChanged:
			switch {
			case d.NewTier != nil:
				tiers = append(tiers, "up to "+d.NewTier.Title)
			case d.OldTier != nil:
				tiers = append(tiers, "down from "+d.OldTier.Title)
			}
		}
	}
	require.Len(t, earned, 1, "points earned once")
	assert.Equal(t, int64(49), earned[0].Points)
	assert.Equal(t, "order", earned[0].Type)
	assert.Equal(t, []string{"up to Gold", "down from Gold"}, tiers)
}

// influenceListRequests counts the list calls the fake has seen.
func influenceListRequests(srv *loyaltytest.Server) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodGet && strings.HasSuffix(r.Path, "/v1/customers") {
			n++
		}
	}
	return n
}

func TestInfluenceIOCustomersListThroughTheFake(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient())
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()
	const total = 2500
	ids := make(chan int)
	var wg sync.WaitGroup
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range ids {
				_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: fmt.Sprintf("C-%04d", i), Email: fmt.Sprintf("c%d@example.com", i)})
				assert.NoError(t, err)
			}
		}()
	}
	for i := range total {
		ids <- i
	}
	close(ids)
	wg.Wait()
	_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-0007"), Points: 900})
	require.NoError(t, err)

	srv.ResetRequests()
	seen := map[string]int{}
	for cu, err := range c.Customers.List(ctx, nil) {
		require.NoError(t, err)
		seen[cu.ID]++
	}
	assert.Len(t, seen, total)
	for id, n := range seen {
		if n != 1 {
			t.Errorf("%s listed %d times", id, n)
		}
	}
	assert.Equal(t, total/100, influenceListRequests(srv), "pages of 100")

	// Breaking the loop stops fetching: 150 customers take two pages.
	srv.ResetRequests()
	n := 0
	for _, err := range c.Customers.List(ctx, nil) {
		require.NoError(t, err)
		if n++; n == 150 {
			break
		}
	}
	assert.Equal(t, 2, influenceListRequests(srv))

	// A filter goes with the first request and the cursor keeps it.
	var rich []string
	for cu, err := range c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1, InfluenceIO: &loyalty.InfluenceIOCustomerFilter{PointBalanceMin: loyalty.Ptr(int64(1))}}) {
		require.NoError(t, err)
		rich = append(rich, cu.ID)
	}
	assert.Equal(t, []string{"C-0007"}, rich)
}

// Order totals survive the trip to the fake and back exactly: 0.10 + 0.20,
// and currencies with 0 and 3 minor digits.
func TestInfluenceIOOrderMoneyRoundTripsThroughTheFake(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient())
	c := srv.Client()
	defer c.CloseIdleConnections()
	sum := loyalty.NewMoney(loyalty.NewMoney(10, "USD").Minor+loyalty.NewMoney(20, "USD").Minor, "USD")
	for i, m := range []loyalty.Money{sum, loyalty.NewMoney(500, "JPY"), loyalty.NewMoney(1250, "KWD"), loyalty.NewMoney(1, "KWD"), loyalty.NewMoney(99999999, "EUR")} {
		res, _, err := c.Orders.Create(context.Background(), loyalty.Order{ID: fmt.Sprint("O-", i), CustomerEmail: "a@example.com", Total: m,
			Items: []loyalty.OrderItem{{ID: "P", Price: m, Quantity: 1}}, Discounts: []loyalty.OrderDiscount{{Code: "X", Amount: &m, Type: loyalty.DiscountFixedAmount}}})
		require.NoError(t, err)
		assert.Equal(t, m, res.Order.Total, m.String())
		assert.Equal(t, m, res.Order.Items[0].Price, m.String())
		assert.Equal(t, &m, res.Order.Discounts[0].Amount, m.String())
	}
}

// The cross-platform table: every shared call of Customers and Orders run
// on a Yotpo-backed and an Influence.io-backed client against the fakes,
// with the same outcome. A flow with a `differs` entry is one row of the
// README's table of what still differs, and asserts each platform's
// documented outcome instead. Each fake earns 1 point per major currency
// unit of a paid order (Yotpo: a spend-based campaign of 1 point per unit;
// Influence.io: earn rate 1).
func TestCommerceFlowsAreTheSameOnYotpoAndInfluenceIO(t *testing.T) {
	backends := map[string]func(t *testing.T) *loyalty.Client{
		"yotpo": func(t *testing.T) *loyalty.Client {
			srv := loyaltytest.New(t)
			srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignSpendBased, Title: "Spend", RewardPoints: 1})
			c := srv.Client()
			t.Cleanup(c.CloseIdleConnections)
			return c
		},
		"influenceio": func(t *testing.T) *loyalty.Client {
			srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient(), loyaltytest.WithInfluenceIOEarnRate(1))
			c := srv.Client()
			t.Cleanup(c.CloseIdleConnections)
			return c
		},
	}
	eur := func(minor int64) loyalty.Money { return loyalty.NewMoney(minor, "EUR") }
	ctx := context.Background()
	upsert := func(t *testing.T, c *loyalty.Client, id string) {
		t.Helper()
		_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: id, Email: strings.ToLower(id) + "@example.com", FirstName: "Ana", LastName: "Peeters", Phone: "+32470123456", OptIn: loyalty.Ptr(true)})
		require.NoError(t, err)
	}
	balance := func(t *testing.T, c *loyalty.Client, id string) int64 {
		t.Helper()
		cu, _, err := c.Customers.Get(ctx, loyalty.ByID(id), nil)
		require.NoError(t, err)
		return cu.PointsBalance
	}
	paid := func(t *testing.T, c *loyalty.Client, orderID, customerID string, total loyalty.Money) {
		t.Helper()
		_, _, err := c.Orders.Create(ctx, loyalty.Order{ID: orderID, CustomerID: customerID, CustomerEmail: strings.ToLower(customerID) + "@example.com",
			Total: total, Status: loyalty.OrderPaid, Items: []loyalty.OrderItem{{ID: "P-1", Name: "Tee", Price: total, Quantity: 1}}})
		require.NoError(t, err)
	}
	refund := func(c *loyalty.Client, r loyalty.Refund) string {
		_, err := c.Orders.Refund(ctx, r)
		return outcome(err)
	}
	type flow struct {
		name string
		// run returns the outcome compared across the platforms.
		run func(t *testing.T, c *loyalty.Client) string
		// want, when set, is the outcome both must give.
		want string
		// differs is the outcome per platform of a documented difference.
		differs map[string]string
	}
	flows := []flow{
		{name: "upsert and get", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			cu, _, err := c.Customers.Get(ctx, loyalty.ByID("C-1"), nil)
			require.NoError(t, err)
			_, _, err404 := c.Customers.Get(ctx, loyalty.ByID("C-404"), nil)
			return fmt.Sprint(cu.ID, " ", cu.Email, " ", cu.FirstName, " ", cu.LastName, " ", cu.Phone, " opt-in:", cu.OptIn, " ", cu.PointsBalance, " | ", outcome(err404))
		}},
		{name: "points", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			_, _, err1 := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: 120, Earned: true, HistoryTitle: "Welcome"})
			_, _, err2 := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: 30, Earned: true, HistoryTitle: "Review"})
			_, _, err404 := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-404"), Points: 1})
			return fmt.Sprint(outcome(err1), " ", outcome(err2), " ", balance(t, c, "C-1"), " | ", outcome(err404))
		}},
		{name: "order paid", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			paid(t, c, "O-1", "C-1", eur(4990))
			return fmt.Sprint(balance(t, c, "C-1"))
		}},
		{name: "zero- and three-digit currencies", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			paid(t, c, "O-1", "C-1", loyalty.NewMoney(5000, "JPY"))
			paid(t, c, "O-2", "C-1", loyalty.NewMoney(12345, "KWD"))
			return fmt.Sprint(balance(t, c, "C-1"))
		}, want: "5012"},
		{name: "repeated order id", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			paid(t, c, "O-1", "C-1", eur(4990))
			res, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerID: "C-1", CustomerEmail: "c-1@example.com", Total: eur(99900), Status: loyalty.OrderPaid})
			require.NoError(t, err)
			return fmt.Sprint(outcome(err), " ", res.Order.Total, " ", balance(t, c, "C-1"))
		}, want: "ok 999.00 EUR 49"},
		{name: "refund", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			paid(t, c, "O-1", "C-1", eur(4990))
			paid(t, c, "O-2", "C-1", eur(1000))
			r := refund(c, loyalty.Refund{OrderID: "O-1", Total: eur(4990), Items: []loyalty.OrderItem{{ID: "P-1", Quantity: 1}}})
			return fmt.Sprint(r, " ", balance(t, c, "C-1"), " | ", refund(c, loyalty.Refund{OrderID: "O-404", Total: eur(100)}))
		}},
		{name: "refund above the total, or in another currency", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			paid(t, c, "O-1", "C-1", eur(4990))
			above := refund(c, loyalty.Refund{OrderID: "O-1", Total: eur(4991)})
			other := refund(c, loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(100, "USD")})
			return fmt.Sprint(above, " ", other, " ", balance(t, c, "C-1"))
		}, want: "validation failed validation failed 49"},
		{name: "refund after a whole refund", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			paid(t, c, "O-1", "C-1", eur(4990))
			whole := refund(c, loyalty.Refund{OrderID: "O-1", Total: eur(4990)})
			return fmt.Sprint(whole, " ", refund(c, loyalty.Refund{OrderID: "O-1", Total: eur(1)}), " ", balance(t, c, "C-1"))
		}, want: "ok validation failed 0"},
		{name: "Full with a Total", run: func(t *testing.T, c *loyalty.Client) string {
			return refund(c, loyalty.Refund{OrderID: "O-1", Total: eur(100), Full: true})
		}, want: "InputError Full"},
		{name: "list", run: func(t *testing.T, c *loyalty.Client) string {
			for i := range 5 {
				upsert(t, c, fmt.Sprint("C-", i))
			}
			var ids []string
			for cu, err := range c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 2}) {
				require.NoError(t, err)
				ids = append(ids, cu.ID)
			}
			slices.Sort(ids)
			return strings.Join(ids, " ")
		}},

		// What still differs: one row each of the README's table.
		{name: "get by e-mail", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			cu, _, err := c.Customers.Get(ctx, loyalty.ByEmail("c-1@example.com"), nil)
			if err != nil {
				return outcome(err)
			}
			return "ok " + cu.ID
		}, differs: map[string]string{"yotpo": "ok C-1", "influenceio": "ErrNotSupported"}},
		{name: "points history", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			paid(t, c, "O-1", "C-1", eur(4990))
			cu, _, err := c.Customers.Get(ctx, loyalty.ByID("C-1"), &loyalty.CustomerGetOptions{WithHistory: true})
			if err != nil {
				return outcome(err)
			}
			return fmt.Sprint("ok ", len(cu.History))
		}, differs: map[string]string{"yotpo": "ok 1", "influenceio": "ErrNotSupported"}},
		{name: "take points away", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: 100, Earned: true})
			require.NoError(t, err)
			_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: -20, Earned: true})
			return fmt.Sprint(outcome(err), " ", balance(t, c, "C-1"))
		}, differs: map[string]string{"yotpo": "ok 80", "influenceio": "ErrNotSupported 100"}},
		{name: "update an order", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			_, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerID: "C-1", CustomerEmail: "c-1@example.com", Total: eur(4990), Status: loyalty.OrderPending})
			require.NoError(t, err)
			_, _, err = c.Orders.Update(ctx, "O-1", loyalty.OrderUpdate{Status: loyalty.OrderPaid})
			return fmt.Sprint(outcome(err), " ", balance(t, c, "C-1"))
		}, differs: map[string]string{"yotpo": "ErrNotSupported 0", "influenceio": "ok 49"}},
		{name: "refund of an order that never counted", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			_, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerID: "C-1", CustomerEmail: "c-1@example.com", Total: eur(4990), Status: loyalty.OrderPending})
			require.NoError(t, err)
			return fmt.Sprint(refund(c, loyalty.Refund{OrderID: "O-1", Total: eur(1000)}), " ", balance(t, c, "C-1"))
		}, differs: map[string]string{"yotpo": "validation failed 0", "influenceio": "ok 0"}},
		{name: "Full alone", run: func(t *testing.T, c *loyalty.Client) string {
			upsert(t, c, "C-1")
			paid(t, c, "O-1", "C-1", eur(4990))
			return fmt.Sprint(refund(c, loyalty.Refund{OrderID: "O-1", Full: true}), " ", balance(t, c, "C-1"))
		}, differs: map[string]string{"yotpo": "InputError Full 49", "influenceio": "ok 0"}},
	}
	for _, f := range flows {
		t.Run(f.name, func(t *testing.T) {
			got := map[string]string{}
			for name, client := range backends {
				t.Run(name, func(t *testing.T) { got[name] = f.run(t, client(t)) })
			}
			if f.differs != nil {
				assert.Equal(t, f.differs, got, "the documented difference")
				return
			}
			assert.Equal(t, got["yotpo"], got["influenceio"], "the same outcome on both platforms")
			if f.want != "" {
				assert.Equal(t, f.want, got["yotpo"])
			}
		})
	}
}

// outcome names what a call gave, for comparing platforms: "ok", the
// sentinel it matches, or the field of an *InputError.
func outcome(err error) string {
	var ie *loyalty.InputError
	switch {
	case err == nil:
		return "ok"
	case errors.Is(err, loyalty.ErrNotSupported):
		return "ErrNotSupported"
	case errors.As(err, &ie):
		return "InputError " + ie.Field
	}
	for _, s := range []error{loyalty.ErrInvalid, loyalty.ErrNotFound, loyalty.ErrConflict, loyalty.ErrBadRequest} {
		if errors.Is(err, s) {
			return strings.TrimPrefix(s.Error(), "loyalty: ")
		}
	}
	return err.Error()
}

// The fake reports the customer fields only Influence.io has: the tier
// progress (its lifetime points) and the current membership, gone once the
// customer is removed from the program.
func TestInfluenceIOCustomerExtrasThroughTheFake(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient(), loyaltytest.WithInfluenceIOEarnRate(1))
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()
	_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"})
	require.NoError(t, err)
	_, _, err = c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerID: "C-1", Total: loyalty.NewMoney(20150, "EUR"), Status: loyalty.OrderPaid})
	require.NoError(t, err)
	cu, _, err := c.Customers.Get(ctx, loyalty.ByID("C-1"), nil)
	require.NoError(t, err)
	assert.Equal(t, int64(201), cu.InfluenceIO.TierProgress)
	require.NotNil(t, cu.InfluenceIO.Membership)
	assert.Equal(t, cu.InfluenceIO.MembershipID, cu.InfluenceIO.Membership.ID)
	cu, _, err = c.Customers.RemoveMembership(ctx, loyalty.ByID("C-1"))
	require.NoError(t, err)
	assert.Nil(t, cu.InfluenceIO.Membership)
	assert.False(t, cu.OptIn)
}

// "1 point per unit" is per major unit of the order's currency on both
// fakes, counted as the SDK counts minor units: 5,000 JPY earns 5,000 (not
// 50), 49.90 EUR earns 49, 12.345 KWD earns 12.
func TestBothFakesEarnPerMajorUnit(t *testing.T) {
	for _, tt := range []struct {
		total loyalty.Money
		want  int64
	}{
		{loyalty.NewMoney(5000, "JPY"), 5000},
		{loyalty.NewMoney(4990, "EUR"), 49},
		{loyalty.NewMoney(12345, "KWD"), 12},
	} {
		for _, p := range []loyalty.Platform{loyalty.Yotpo, loyalty.InfluenceIO} {
			t.Run(tt.total.String()+"/"+string(p), func(t *testing.T) {
				opts := []loyaltytest.Option{loyaltytest.WithInfluenceIOEarnRate(1)}
				if p == loyalty.InfluenceIO {
					opts = append(opts, loyaltytest.WithInfluenceIOClient())
				}
				srv := loyaltytest.New(t, opts...)
				srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignSpendBased, Title: "Spend", RewardPoints: 1})
				c := srv.Client()
				defer c.CloseIdleConnections()
				ctx := context.Background()
				_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"})
				require.NoError(t, err)
				_, _, err = c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerID: "C-1", CustomerEmail: "ana@example.com", Total: tt.total, Status: loyalty.OrderPaid})
				require.NoError(t, err)
				cu, _, err := c.Customers.Get(ctx, loyalty.ByID("C-1"), nil)
				require.NoError(t, err)
				assert.Equal(t, tt.want, cu.PointsBalance)
			})
		}
	}
}
