package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// A shop backend on Yotpo: create the customer, reward an action, read the
// balance, and walk every customer. The fake stands in for Yotpo; with a
// real account, build the Client with loyalty.WithYotpo(loyalty.YotpoConfig{GUID: ..., APIKey: ...}).
func ExampleCustomersService() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignCustomAction, Title: "Wrote a review", ActionName: "reviewed_product", RewardPoints: 50})
	c := srv.Client()
	ctx := context.Background()

	_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{
		ID: "C-1042", Email: "ana@example.com", FirstName: "Ana", OptIn: loyalty.Ptr(true), Tags: []string{"vip"},
	})
	if err != nil {
		log.Fatal(err)
	}
	if _, err := c.Customers.RecordAction(ctx, loyalty.Action{Customer: loyalty.ByID("C-1042"), Name: "reviewed_product"}); err != nil {
		log.Fatal(err)
	}
	if _, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{
		Customer: loyalty.ByEmail("ana@example.com"), Points: 25, Earned: true, HistoryTitle: "Welcome bonus",
	}); err != nil {
		log.Fatal(err) // on errors.Is(err, loyalty.ErrMaybeApplied), check the history before resending
	}

	cust, _, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), &loyalty.CustomerGetOptions{WithHistory: true})
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cust.FirstName, cust.OptIn, cust.Tags, cust.PointsBalance)
	for _, h := range cust.History {
		fmt.Println(h.Points, h.Action, h.Status)
	}

	for cust, err := range c.Customers.List(ctx, nil) {
		if err != nil {
			log.Fatal(err)
		}
		fmt.Println(cust.ID, cust.Email)
	}
	// Output:
	// Ana true [vip] 75
	// 50 Wrote a review Approved
	// 25 Welcome bonus Approved
	// C-1042 ana@example.com
}

// Orders earn points once however often they are sent; a refund reverses
// the share of points its amount took back.
func ExampleOrdersService() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignSpendBased, Title: "Made a purchase", RewardPoints: 1})
	c := srv.Client()
	ctx := context.Background()

	order := loyalty.Order{
		ID: "O-77812", CustomerEmail: "ana@example.com", Status: loyalty.OrderPaid,
		Total:     loyalty.NewMoney(15000, "EUR"), // 150.00 EUR
		Discounts: []loyalty.OrderDiscount{{Code: "WELCOME10"}},
		IPAddress: "203.0.113.7", UserAgent: "Mozilla/5.0",
		Items: []loyalty.OrderItem{{ID: "SKU-1", Name: "Mug", Price: loyalty.NewMoney(7500, "EUR"), Quantity: 2}},
	}
	for range 2 { // Yotpo de-duplicates on the order id
		if _, _, err := c.Orders.Create(ctx, order); err != nil {
			log.Fatal(err)
		}
	}
	if _, err := c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-77812", Total: loyalty.NewMoney(5000, "EUR")}); err != nil {
		log.Fatal(err)
	}
	cust, _, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cust.PointsBalance, cust.TotalSpent.Minor)
	// Output: 100 10000
}

// The same calls mean the same on Yotpo and Influence.io: a repeated order
// id is recorded once and is no error, a refund above the order's total is
// ErrInvalid and changes nothing, and a Total equal to the order's total
// refunds it whole.
func ExampleOrdersService_Refund() {
	for _, p := range []loyalty.Platform{loyalty.Yotpo, loyalty.InfluenceIO} {
		opts := []loyaltytest.Option{loyaltytest.WithInfluenceIOEarnRate(1)}
		if p == loyalty.InfluenceIO {
			opts = append(opts, loyaltytest.WithInfluenceIOClient())
		}
		srv := loyaltytest.NewServer(opts...)
		srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignSpendBased, Title: "Spend", RewardPoints: 1})
		c := srv.Client()
		ctx := context.Background()
		if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"}); err != nil {
			log.Fatal(err)
		}
		total := loyalty.NewMoney(4990, "EUR")
		order := loyalty.Order{ID: "O-1", CustomerID: "C-1", CustomerEmail: "ana@example.com", Total: total, Status: loyalty.OrderPaid}
		_, _, err1 := c.Orders.Create(ctx, order)
		_, _, err2 := c.Orders.Create(ctx, order) // the same id again
		_, above := c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(5000, "EUR")})
		cust, _, _ := c.Customers.Get(ctx, loyalty.ByID("C-1"), nil)
		fmt.Println(p, err1, err2, errors.Is(above, loyalty.ErrInvalid), cust.PointsBalance)
		if _, err := c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-1", Total: total}); err != nil {
			log.Fatal(err)
		}
		cust, _, _ = c.Customers.Get(ctx, loyalty.ByID("C-1"), nil)
		fmt.Println(p, "refunded whole:", cust.PointsBalance)
		c.CloseIdleConnections()
		srv.Close()
	}
	// Output:
	// yotpo <nil> <nil> true 49
	// yotpo refunded whole: 0
	// influenceio <nil> <nil> true 49
	// influenceio refunded whole: 0
}
