package loyalty_test

import (
	"context"
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
