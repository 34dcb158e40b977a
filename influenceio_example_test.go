package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http/httptest"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/webhook"
)

// Keep Influence.io's copy of a product and its variants in step with the
// store. Money is exact: 24.99 EUR goes out as 24.99, never as a float.
func ExampleProductsService_SetVariants() {
	srv := loyaltytest.NewServer(loyaltytest.WithInfluenceIOClient())
	defer srv.Close()
	c := srv.Client() // in production: loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: key}))
	defer c.CloseIdleConnections()
	ctx := context.Background()
	eur := func(minor int64) *loyalty.Money { return loyalty.Ptr(loyalty.NewMoney(minor, "EUR")) }

	_, _, err := c.Products.Upsert(ctx, loyalty.ProductInput{
		ID: "P-7", Title: "Tee", URL: "https://shop.example/p/tee", Price: eur(1999),
		Variants: []loyalty.Variant{{ID: "S", Title: "Small", Price: eur(1999)}, {ID: "M", Title: "Medium", Price: eur(1999)}},
	})
	if err != nil {
		log.Fatal(err)
	}
	// M sold out and XL arrived: send the full list; missing ones are deleted.
	p, _, err := c.Products.SetVariants(ctx, "P-7", []loyalty.Variant{
		{ID: "S", Title: "Small", Price: eur(1999)},
		{ID: "XL", Title: "Extra large", Price: eur(2499)},
	})
	if err != nil {
		log.Fatal(err)
	}
	for _, v := range p.Variants {
		fmt.Println(v.ID, v.Title, v.Price)
	}
	// Output:
	// S Small 19.99 EUR
	// XL Extra large 24.99 EUR
}

// Subscribe a receiver to every Influence.io topic with a verification token
// in the URL, then receive a delivery with package webhook.
func ExampleWebhooksService_CreateWithToken() {
	const token = "a-long-random-secret" // from your secret store
	rc, err := webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{token}})
	if err != nil {
		log.Fatal(err)
	}
	events := make(chan webhook.Event, 8)
	recv := httptest.NewServer(rc.Handler(func(_ context.Context, ev webhook.Event) error {
		events <- ev
		return nil
	}, webhook.HandlerOptions{}))
	defer recv.Close()

	srv := loyaltytest.NewServer(loyaltytest.WithInfluenceIOClient())
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()
	for _, topic := range loyalty.InfluenceIOTopics() {
		if _, _, err := c.Webhooks.CreateWithToken(ctx, topic, recv.URL+"/hooks/influence", token); err != nil {
			log.Fatal(err)
		}
	}
	n := 0
	for wh, err := range c.Webhooks.List(ctx) {
		if err != nil {
			log.Fatal(err)
		}
		n++
		_ = wh.URL // holds the token: do not log it
	}
	fmt.Println(n, "subscriptions")

	// A customer change in Influence.io (here an upsert) is delivered.
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1042", Email: "ana@example.com"}); err != nil {
		log.Fatal(err)
	}
	select {
	case ev := <-events:
		fmt.Println(ev.Topic, ev.Kind, ev.CustomerID)
	case <-time.After(10 * time.Second):
		log.Fatal("no webhook delivered")
	}
	// Output:
	// 7 subscriptions
	// customers/updated customer_updated C-1042
}

// After a points/redeemed webhook, create the coupon in your store, and
// mark it used in Influence.io once a customer spends it.
func ExampleCouponsService_MarkUsed() {
	srv := loyaltytest.NewServer(loyaltytest.WithInfluenceIOClient())
	defer srv.Close()
	c := srv.Client()
	defer c.CloseIdleConnections()
	ctx := context.Background()
	// Seed a customer who redeems 500 points in an Influence.io widget.
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1042", Email: "ana@example.com"}); err != nil {
		log.Fatal(err)
	}
	if _, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1042"), Points: 600}); err != nil {
		log.Fatal(err)
	}
	code, err := srv.InfluenceIO().Redeem("C-1042", 500, "INF-5OFF-8Q2K", "fixedamountdiscount")
	if err != nil {
		log.Fatal(err)
	}

	if _, err := c.Coupons.MarkUsed(ctx, code); err != nil {
		log.Fatal(err)
	}
	fmt.Println(code, "used")
	_, err = c.Coupons.MarkUsed(ctx, code)
	fmt.Println("again:", errors.Is(err, loyalty.ErrConflict))
	// Output:
	// INF-5OFF-8Q2K used
	// again: true
}
