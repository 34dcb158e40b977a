package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"log"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// Customers, orders and refunds on Influence.io: the same calls as on Yotpo,
// with Influence.io as the commerce platform. Customers are named by your
// own id; a paid order earns points once, and a refund takes them back.
func ExampleCustomersService_influenceIO() {
	srv := loyaltytest.NewServer(loyaltytest.WithInfluenceIOClient())
	defer srv.Close()
	c := srv.Client() // in production: loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: key}))
	defer c.CloseIdleConnections()
	ctx := context.Background()

	_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1042", Email: "ana@example.com", FirstName: "Ana"})
	if err != nil {
		log.Fatal(err)
	}
	total := loyalty.NewMoney(4990, "EUR") // 49.90 EUR, sent as "49.90"
	res, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O-77812", CustomerID: "C-1042", CustomerEmail: "ana@example.com",
		Total: total, Status: loyalty.OrderPaid, Discounts: []loyalty.OrderDiscount{{Code: "WELCOME"}}})
	if err != nil {
		log.Fatal(err)
	}
	cust, _, err := c.Customers.Get(ctx, loyalty.ByID("C-1042"), nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println("awarded:", *res.PointsAwarded, "balance:", cust.PointsBalance)

	if _, err := c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-77812", Total: total}); err != nil {
		log.Fatal(err)
	}
	cust, _, _ = c.Customers.Get(ctx, loyalty.ByID("C-1042"), nil)
	fmt.Println("after refund:", cust.PointsBalance)

	// Influence.io's deduction endpoint is listed but its path is not
	// published: the SDK refuses a negative award rather than guess it.
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1042"), Points: -10})
	fmt.Println(errors.Is(err, loyalty.ErrNotSupported))
	// Output:
	// awarded: true balance: 49
	// after refund: 0
	// true
}
