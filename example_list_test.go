package loyalty_test

import (
	"context"
	"fmt"
	"log"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// Lists are iterators: pages are fetched as the loop needs them (PerPage
// items each), and leaving the loop stops fetching.
func ExampleCustomersService_List() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.Client()
	ctx := context.Background()
	for _, id := range []string{"C-1", "C-2", "C-3", "C-4", "C-5"} {
		if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: id, Email: id + "@example.com"}); err != nil {
			log.Fatal(err)
		}
	}

	seen := 0
	for cust, err := range c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 2}) {
		if err != nil {
			log.Fatal(err) // the error ends the iteration
		}
		fmt.Println(cust.Email)
		if seen++; seen == 3 {
			break // no further page is fetched
		}
	}
	pages := 0
	for _, r := range srv.Requests() {
		if r.Path == "/api/v2/customers/all" {
			pages++
		}
	}
	fmt.Println("pages fetched:", pages)
	// Output:
	// C-1@example.com
	// C-2@example.com
	// C-3@example.com
	// pages fetched: 2
}
