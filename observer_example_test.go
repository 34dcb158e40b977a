package loyalty_test

import (
	"context"
	"fmt"
	"net/http"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// An Observer sees each call and attempt by route template: the e-mail in
// the path below never reaches it. Package otelloyalty turns the same hooks
// into OpenTelemetry spans and metrics.
func ExampleWithObserver() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.InjectFault(loyaltytest.Fault{Path: "/api/v2/customers/*", Status: http.StatusServiceUnavailable})

	client := srv.Client(loyalty.WithObserver(loyalty.Observer{
		EndAttempt: func(_ context.Context, call loyalty.CallInfo, a loyalty.AttemptEnd) {
			fmt.Printf("attempt %d %s %s: %d, retry reason %q\n", a.Number, call.Method, call.Route, a.StatusCode, a.RetryReason)
		},
		EndCall: func(_ context.Context, call loyalty.CallInfo, end loyalty.CallEnd) {
			fmt.Println("call", call.Operation, call.Platform, end.Attempts, "attempts, error kind:", end.ErrorKind)
		},
	}))
	req, err := client.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers/ann@example.com", nil)
	if err != nil {
		panic(err)
	}
	_, _ = client.Do(context.Background(), req, nil)
	// Output:
	// attempt 1 GET /customers/{id}: 503, retry reason "server_error"
	// attempt 2 GET /customers/{id}: 404, retry reason ""
	// call Do yotpo 2 attempts, error kind: 404
}
