package loyalty_test

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"

	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// A field the platform sends in a shape the SDK does not expect never fails
// the call: it reads as zero, and Response.DecodeIssues (and one WARN log
// line per Client) says which field, never its value.
func ExampleResponse_decodeIssues() {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		io.WriteString(w, `{"email":"ana@example.com","points_balance":"lots","vip_tier_name":{"name":"Gold"}}`)
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "guid", APIKey: "key", BaseURL: srv.URL, RateLimit: rate.Inf}),
		loyalty.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))),
	)
	if err != nil {
		panic(err)
	}
	cust, resp, err := c.Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(cust.Email, cust.PointsBalance)
	for _, is := range resp.DecodeIssues {
		fmt.Println(is.Route, is.Field, "-", is.Problem)
	}
	// Output:
	// ana@example.com 0
	// GET /customers points_balance - want integer, got a string that is not a number
	// GET /customers vip_tier_name - want string, got object
}
