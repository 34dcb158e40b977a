// Package shop shows how to test your own loyalty integration with
// loyaltytest, the SDK's in-process fake: shop_test.go is the file to copy.
//
//	go test ./examples/testing
//
// AwardPaidOrder stands for your integration: the code your shop runs when
// an order changes. The tests start the fake with a seed (the demo program,
// where a paid order earns 1 point per currency unit), call the function,
// and assert the fake's state, the webhooks it sent, and what happens when
// the platform fails for a moment.
package shop

import (
	"context"
	"fmt"

	"github.com/loyalty-go/loyalty"
)

// An Order is an order as the shop knows it.
type Order struct {
	ID         string
	CustomerID string
	Email      string
	FirstName  string
	Total      loyalty.Money
	Paid       bool
}

// AwardPaidOrder gives a paid order's points on the Client's commerce
// platform (Yotpo here): the customer is created or updated, then the order
// recorded. An unpaid order earns nothing and sends nothing; the call for
// it comes when it is paid. Both writes are safe to repeat: the platform
// de-duplicates the order on its id, so a shop retrying after an error
// never awards twice.
func AwardPaidOrder(ctx context.Context, c *loyalty.Client, o Order) error {
	if !o.Paid {
		return nil
	}
	_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: o.CustomerID, Email: o.Email, FirstName: o.FirstName})
	if err != nil {
		return fmt.Errorf("order %s: customer: %w", o.ID, err)
	}
	_, _, err = c.Orders.Create(ctx, loyalty.Order{
		ID: o.ID, CustomerEmail: o.Email, Status: loyalty.OrderPaid, Total: o.Total,
	})
	if err != nil {
		return fmt.Errorf("order %s: %w", o.ID, err)
	}
	return nil
}
