package loyaltytest_test

import (
	"context"
	"encoding/json"
	"fmt"
	"strings"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// With the demo data a paid order earns points, and the fake's state is
// there to read.
func ExampleWithDemoData() {
	srv := loyaltytest.NewServer(loyaltytest.WithDemoData())
	defer srv.Close()
	ctx := context.Background()
	c := srv.Client()

	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"}); err != nil {
		panic(err)
	}
	order := loyalty.Order{ID: "O-1", CustomerEmail: "ana@example.com", Total: loyalty.NewMoney(10000, "EUR"), Status: loyalty.OrderPaid}
	if _, _, err := c.Orders.Create(ctx, order); err != nil {
		panic(err)
	}
	for _, cust := range srv.Yotpo().Customers() {
		fmt.Println(cust.Email, cust.PointsBalance, cust.VIPTierName)
	}
	// Output: ana@example.com 100 Bronze
}

// A seed file is the JSON form of Seed; Start reports the field at fault.
func ExampleStart() {
	srv, err := loyaltytest.Start(loyaltytest.WithSeedFile("testdata/seed.json"))
	if err != nil {
		panic(err)
	}
	srv.Close()
	fmt.Println(len(srv.Yotpo().Campaigns()))

	_, err = loyaltytest.DecodeSeed(strings.NewReader(`{"yotpo": {"vipTiers": [{"name": "Gold", "rank": -1}]}}`))
	fmt.Println(err)
	// Output:
	// 3
	// loyaltytest: seed: yotpo.vipTiers[0].rank: must not be negative, not -1
}

// ClientFor picks the commerce platform whatever the server's default.
func ExampleServer_ClientFor() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	c := srv.ClientFor(loyalty.InfluenceIO)
	fmt.Println(c.Platforms())

	_, err := srv.NewClient(loyalty.Yotpo, loyalty.WithInfluenceIO(srv.InfluenceIOConfig()))
	fmt.Println(err != nil)
	// Output:
	// [qualifio influenceio monterosa]
	// true
}

// The admin API serves the same state to any language: here a fault is
// injected and the waiting faults listed.
func ExampleAdminPath() {
	srv := loyaltytest.NewServer()
	defer srv.Close()

	hc := srv.HTTPClient()
	resp, err := hc.Post(srv.URL+loyaltytest.AdminPath+"/faults", "application/json",
		strings.NewReader(`{"path": "/api/v2/customers", "status": 503, "times": 2}`))
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	fmt.Println(resp.StatusCode, resp.Header.Get("Location"))

	resp, err = hc.Get(srv.URL + loyaltytest.AdminPath + "/faults")
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	var faults struct {
		Items []struct {
			ID     int    `json:"id"`
			Path   string `json:"path"`
			Status int    `json:"status"`
			Times  int    `json:"times"`
		} `json:"items"`
	}
	if err := json.NewDecoder(resp.Body).Decode(&faults); err != nil {
		panic(err)
	}
	fmt.Printf("%+v\n", faults.Items)
	// Output:
	// 201 /_fake/api/faults/1
	// [{ID:1 Path:/api/v2/customers Status:503 Times:2}]
}
