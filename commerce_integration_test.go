package loyalty_test

// The commerce services against loyaltytest's Yotpo fake: the flows of a
// shop backend, end to end.

import (
	"context"
	"fmt"
	"iter"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

func TestYotpoCommerceFlowOnTheFake(t *testing.T) {
	srv := loyaltytest.New(t)
	srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignCustomAction, Title: "Wrote a review", ActionName: "reviewed_product", RewardPoints: 50})
	srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignSpendBased, Title: "Made a purchase", RewardPoints: 1})
	c := srv.Client()
	ctx := context.Background()
	ana := loyalty.ByEmail("ana@example.com")

	cust, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1042", Email: "ana@example.com", FirstName: "Ana",
		Phone: "+32470123456", Tags: []string{"vip"}, OptIn: loyalty.Ptr(true)})
	require.NoError(t, err)
	assert.True(t, cust.OptIn, "opted_in reached the fake")
	assert.Equal(t, "C-1042", cust.ID)

	back := time.Now().Add(-48 * time.Hour).UTC().Truncate(time.Second)
	_, err = c.Customers.RecordAction(ctx, loyalty.Action{Customer: ana, Name: "reviewed_product", CreatedAt: back, IPAddress: "203.0.113.7", UserAgent: "test"})
	require.NoError(t, err)
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1042"), Points: 20, Earned: true, HistoryTitle: "Goodwill"})
	require.NoError(t, err)

	order := loyalty.Order{ID: "O-77812", CustomerEmail: "ana@example.com", Total: loyalty.NewMoney(15000, "EUR"), Status: loyalty.OrderPaid,
		Items: []loyalty.OrderItem{{ID: "SKU-1", Name: "Mug", Price: loyalty.NewMoney(7500, "EUR"), Quantity: 2}}}
	_, _, err = c.Orders.Create(ctx, order)
	require.NoError(t, err)
	_, _, err = c.Orders.Create(ctx, order)
	require.NoError(t, err, "resending the same order is safe")

	cust, _, err = c.Customers.Get(ctx, ana, &loyalty.CustomerGetOptions{WithHistory: true})
	require.NoError(t, err)
	assert.Equal(t, int64(50+20+150), cust.PointsBalance, "the order counted once")
	assert.Equal(t, loyalty.Money{Minor: 15000}, cust.TotalSpent)

	// A third of the order refunded reverses a third of what it earned.
	_, err = c.Orders.Refund(ctx, loyalty.Refund{ID: "R-1", OrderID: "O-77812", Total: loyalty.NewMoney(5000, "EUR")})
	require.NoError(t, err)

	cust, _, err = c.Customers.Get(ctx, ana, &loyalty.CustomerGetOptions{WithHistory: true, WithReferralCode: true})
	require.NoError(t, err)
	assert.Equal(t, int64(50+20+150-50), cust.PointsBalance)
	assert.Equal(t, int64(50+20+150-50), cust.PointsEarned)
	assert.Equal(t, loyalty.Money{Minor: 10000}, cust.TotalSpent)
	assert.NotEmpty(t, cust.ReferralCode)
	require.Len(t, cust.History, 4)
	var sum int64
	for _, h := range cust.History {
		sum += h.Points
	}
	assert.Equal(t, cust.PointsBalance, sum, "balance and history agree")
	assert.Equal(t, "reviewed_product", cust.History[0].ActionName)
	assert.Equal(t, back, cust.History[0].CompletedAt.UTC(), "the action was back-dated")
	assert.Equal(t, "Goodwill", cust.History[1].Action)
	assert.Equal(t, int64(150), cust.History[2].Points)
	assert.Equal(t, loyalty.HistoryReversed, cust.History[3].Status)
	assert.Equal(t, int64(-50), cust.History[3].Points)

	// Dates.
	_, err = c.Customers.SetBirthday(ctx, loyalty.ByID("C-1042"), loyalty.CalendarDay{Day: 12, Month: time.April})
	require.NoError(t, err)
	_, err = c.Customers.SetAnniversary(ctx, ana, loyalty.CalendarDay{Day: 14, Month: time.June, Year: 2019})
	require.NoError(t, err)
	d, _, err := c.Customers.Anniversary(ctx, ana)
	require.NoError(t, err)
	assert.Equal(t, loyalty.CalendarDay{Day: 14, Month: time.June, Year: 2019}, *d)
	_, err = c.Customers.RemoveAnniversary(ctx, ana)
	require.NoError(t, err)
	_, _, err = c.Customers.Anniversary(ctx, ana)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	cust, _, err = c.Customers.Get(ctx, loyalty.ByPhone("+32470123456", ""), nil)
	require.NoError(t, err)
	assert.Equal(t, &loyalty.CalendarDay{Day: 12, Month: time.April}, cust.Birthday)

	// Going below zero is the platform's 422, not a silent clamp.
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: ana, Points: -100000})
	assert.ErrorIs(t, err, loyalty.ErrInvalid)
}

// seedCustomers creates n customers through Upsert, a few at a time.
func seedCustomers(t *testing.T, c *loyalty.Client, n int) {
	t.Helper()
	var wg sync.WaitGroup
	errs := make(chan error, n)
	jobs := make(chan int)
	for range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range jobs {
				_, _, err := c.Customers.Upsert(context.Background(), loyalty.CustomerInput{ID: fmt.Sprintf("C-%d", i), Email: fmt.Sprintf("c%d@example.com", i)})
				if err != nil {
					errs <- err
				}
			}
		}()
	}
	for i := range n {
		jobs <- i
	}
	close(jobs)
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
}

func countPath(srv *loyaltytest.Server, path string) int {
	n := 0
	for _, r := range srv.Requests() {
		if r.Path == path {
			n++
		}
	}
	return n
}

func TestYotpoListAndRecentReturnEachCustomerOnce(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	const n = 2500
	seedCustomers(t, c, n)
	ctx := context.Background()
	for name, seq := range map[string]func() iter.Seq2[*loyalty.Customer, error]{
		"List":   func() iter.Seq2[*loyalty.Customer, error] { return c.Customers.List(ctx, nil) },
		"Recent": func() iter.Seq2[*loyalty.Customer, error] { return c.Customers.Recent(ctx, nil) },
	} {
		t.Run(name, func(t *testing.T) {
			seen := map[string]int{}
			for cust, err := range seq() {
				require.NoError(t, err)
				seen[cust.ID]++
			}
			assert.Len(t, seen, n)
			for id, k := range seen {
				if k != 1 {
					t.Errorf("%s seen %d times", id, k)
				}
			}
		})
	}

	// Breaking out of the loop stops fetching: 150 customers take two pages.
	for _, tc := range []struct {
		path string
		seq  iter.Seq2[*loyalty.Customer, error]
	}{
		{"/api/v2/customers/all", c.Customers.List(ctx, nil)},
		{"/api/v2/customers/recent", c.Customers.Recent(ctx, nil)},
	} {
		srv.ResetRequests()
		got := 0
		for _, err := range tc.seq {
			require.NoError(t, err)
			if got++; got == 150 {
				break
			}
		}
		assert.Equal(t, 2, countPath(srv, tc.path), tc.path)
		assert.Len(t, srv.Requests(), 2, "no other request either")
	}
}

func TestYotpoClientLimiterKeepsABurstFreeOf429(t *testing.T) {
	if testing.Short() {
		t.Skip("takes 10 s: 100 calls at 10 per second")
	}
	// The fake counts requests in fixed one-second windows of its clock.
	// The client's limiter spaces calls 100 ms apart from the first, so a
	// window holds ten of them; the fake's clock is shifted so that its
	// window edges fall midway between two calls, where loopback jitter of
	// a few milliseconds cannot carry an eleventh call across an edge
	// (that jitter is not the limiter's to control).
	start := time.Now()
	clock := func() time.Time { return time.Unix(1_800_000_000, 0).Add(time.Since(start) + 50*time.Millisecond) }
	srv := loyaltytest.New(t, loyaltytest.WithRateLimit(), loyaltytest.WithClock(clock))
	cfg := srv.YotpoConfig()
	cfg.RateLimit = 0 // the documented default, 10 per second
	c, err := loyalty.NewClient(loyalty.WithYotpo(cfg), loyalty.WithHTTPClient(srv.HTTPClient()), loyalty.WithRetryPolicy(loyaltytest.TestRetryPolicy))
	require.NoError(t, err)
	var wg sync.WaitGroup
	for i := range 100 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, _, err := c.Orders.Create(context.Background(), loyalty.Order{ID: fmt.Sprintf("O-%d", i), CustomerEmail: "burst@example.com", Total: loyalty.NewMoney(100, "EUR")})
			assert.NoError(t, err)
		}()
	}
	wg.Wait()
	assert.Equal(t, 100, countPath(srv, "/api/v2/orders"), "every call admitted at once: no 429 was answered and retried")
	assert.GreaterOrEqual(t, time.Since(start), 9*time.Second, "the limiter spread the burst")
	_, resp, err := c.Orders.Create(context.Background(), loyalty.Order{ID: "O-last", CustomerEmail: "burst@example.com", Total: loyalty.NewMoney(100, "EUR")})
	require.NoError(t, err)
	assert.Equal(t, 10, resp.RateLimit.Limit)
}
