package loyaltytest_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// A unit test can run the Client against the fake with no socket: the
// transport calls the fake's handler in-process, and faults, recording and
// the SDK's retry and ErrMaybeApplied rules work as over a connection.
func ExampleServer_InProcessTransport() {
	srv := loyaltytest.NewServer()
	defer srv.Close()

	hc := &http.Client{Transport: srv.InProcessTransport()}
	client := srv.Client(loyalty.WithHTTPClient(hc))

	ctx := context.Background()
	ana := loyalty.ByEmail("ana@example.com")
	if _, _, err := client.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"}); err != nil {
		log.Fatal(err)
	}
	if _, _, err := client.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: ana, Points: 50, Earned: true}); err != nil {
		log.Fatal(err)
	}

	// A cut connection on a write: the SDK cannot know whether it was applied.
	srv.InjectFault(loyaltytest.Fault{Path: "/api/v2/points/adjust", Drop: true})
	_, _, err := client.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: ana, Points: 50, Earned: true})
	fmt.Println(errors.Is(err, loyalty.ErrMaybeApplied))

	cust, _, err := client.Customers.Get(ctx, ana, nil)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(cust.PointsBalance, len(srv.Requests()))
	// Output:
	// true
	// 50 4
}
