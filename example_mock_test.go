package loyalty_test

import (
	"context"
	"fmt"

	"github.com/loyalty-go/loyalty"
)

// customerLookup is the one method of *loyalty.CustomersService that
// tierBadge needs. The consumer defines it (the SDK exports no interfaces to
// mock), so that a unit test can pass a stub and production code passes
// client.Customers.
type customerLookup interface {
	Get(ctx context.Context, ref loyalty.CustomerRef, opts *loyalty.CustomerGetOptions, callOpts ...loyalty.CallOption) (*loyalty.Customer, *loyalty.Response, error)
}

var _ customerLookup = (*loyalty.CustomersService)(nil) // the service satisfies it

// tierBadge is the code under test.
func tierBadge(ctx context.Context, customers customerLookup, email string) (string, error) {
	cust, _, err := customers.Get(ctx, loyalty.ByEmail(email), nil)
	if err != nil {
		return "", err
	}
	if cust.Tier == "" {
		return fmt.Sprintf("%d points", cust.PointsBalance), nil
	}
	return fmt.Sprintf("%s, %d points", cust.Tier, cust.PointsBalance), nil
}

// stubCustomers answers every lookup with one customer.
type stubCustomers struct{ customer loyalty.Customer }

func (s stubCustomers) Get(context.Context, loyalty.CustomerRef, *loyalty.CustomerGetOptions, ...loyalty.CallOption) (*loyalty.Customer, *loyalty.Response, error) {
	c := s.customer
	return &c, nil, nil
}

// A consumer-defined interface, satisfied by a service, lets a unit test
// replace the platform with a stub. For tests that should exercise the SDK
// and the platform's behaviour too, run the Client against loyaltytest.
func Example_consumerInterface() {
	ctx := context.Background()
	// In production: tierBadge(ctx, client.Customers, email).
	badge, err := tierBadge(ctx, stubCustomers{loyalty.Customer{Tier: "Gold", PointsBalance: 1250}}, "ana@example.com")
	fmt.Println(badge, err)
	// Output: Gold, 1250 points <nil>
}
