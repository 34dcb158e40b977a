package loyaltytest_test

import (
	"context"
	"errors"
	"fmt"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// A write whose answer was lost after the platform applied it: the SDK
// says ErrMaybeApplied, and the caller reads the history to learn whether
// the write is there before sending it again.
func ExampleFault_afterApply() {
	ctx := context.Background()
	srv := loyaltytest.NewServer()
	defer srv.Close()
	client := srv.Client()
	if _, _, err := client.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"}); err != nil {
		panic(err)
	}

	// The next points adjustment is applied, then a gateway answers 504.
	srv.InjectFault(loyaltytest.Fault{Method: "POST", Route: "/api/v2/points/adjust", AfterApply: true, Status: 504})

	bonus := loyalty.PointsAdjustment{
		Customer: loyalty.ByEmail("ana@example.com"), Points: 50, Earned: true,
		HistoryTitle: "Bonus for order 1001", // what the history shows: our key to find it
	}
	_, _, err := client.Customers.AdjustPoints(ctx, bonus)
	fmt.Println("maybe applied:", errors.Is(err, loyalty.ErrMaybeApplied))

	if errors.Is(err, loyalty.ErrMaybeApplied) {
		// Never resend blindly: read the ledger and look for the write.
		c, _, err := client.Customers.Get(ctx, bonus.Customer, &loyalty.CustomerGetOptions{WithHistory: true})
		if err != nil {
			panic(err) // a read: safe to retry later; the write stays undecided until then
		}
		applied := false
		for _, h := range c.History {
			if h.Action == bonus.HistoryTitle && h.Points == bonus.Points {
				applied = true
			}
		}
		if applied {
			fmt.Println("found in the history: not resending; balance", c.PointsBalance)
		} else if _, _, err := client.Customers.AdjustPoints(ctx, bonus); err != nil {
			panic(err)
		}
	}
	// Output:
	// maybe applied: true
	// found in the history: not resending; balance 50
}
