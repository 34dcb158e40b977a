package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"log"
	"net/http"
	"net/http/httptest"
	"strings"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

func ExampleNewClient() {
	c, err := loyalty.NewClient(
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "your-guid", APIKey: "your-api-key"}),
		loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "client-id", ClientSecret: "client-secret"}),
		loyalty.WithMonterosa(loyalty.MonterosaConfig{
			BaseURL:     "https://fans.example-club.com",
			TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "user-jwt"}),
		}),
	)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(c.Platforms())
	// Output: [qualifio yotpo monterosa]
}

func ExampleNewClient_invalid() {
	_, err := loyalty.NewClient(
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k"}),
		loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k"}),
	)
	fmt.Println(err)
	// Output: loyalty: WithYotpo and WithInfluenceIO: a Client has one commerce platform, since both would serve Customers and Orders; build two Clients
}

// Calling an endpoint the services do not wrap: Yotpo's "make an API call".
func ExampleWithAppInfo() {
	yotpo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		ua := r.Header.Get("User-Agent")
		fmt.Println(ua[strings.LastIndex(ua, ") ")+2:]) // after the SDK's "loyalty-go/<version> (go…; os/arch)"
		fmt.Fprint(w, `[]`)
	}))
	defer yotpo.Close()

	c, err := loyalty.NewClient(
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: yotpo.URL + "/api/v2"}),
		loyalty.WithAppInfo("acme-sync", "1.4.2", "https://acme.example/sync"),
	)
	if err != nil {
		log.Fatal(err)
	}
	for _, err := range c.Tiers.List(context.Background()) {
		if err != nil {
			log.Fatal(err)
		}
	}
	// Output: acme-sync/1.4.2 (+https://acme.example/sync)
}

func ExampleClient_Do() {
	yotpo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Fprint(w, `[{"id":7,"name":"$5 off","amount":500}]`)
	}))
	defer yotpo.Close()

	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: yotpo.URL + "/api/v2"}))
	if err != nil {
		log.Fatal(err)
	}
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/redemption_options", nil)
	if err != nil {
		log.Fatal(err)
	}
	req.Query.Set("customer_email", "ana@example.com")
	var options []struct {
		ID     int    `json:"id"`
		Name   string `json:"name"`
		Amount int    `json:"amount"`
	}
	if _, err := c.Do(context.Background(), req, &options); err != nil {
		log.Fatal(err)
	}
	fmt.Printf("%+v\n", options)
	// Output: [{ID:7 Name:$5 off Amount:500}]
}

func ExampleError() {
	yotpo := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-42")
		w.WriteHeader(http.StatusNotFound)
		fmt.Fprint(w, `{"error_message":"Customer not found"}`)
	}))
	defer yotpo.Close()
	c, _ := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: yotpo.URL + "/api/v2"}))

	req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	req.Query.Set("customer_email", "nobody@example.com")
	_, err := c.Do(context.Background(), req, nil)

	fmt.Println(errors.Is(err, loyalty.ErrNotFound))
	var e *loyalty.Error
	if errors.As(err, &e) {
		fmt.Println(e.StatusCode, e.Message, e.RequestID)
	}
	fmt.Println(err)
	// Output:
	// true
	// 404 Customer not found req-42
	// loyalty: yotpo GET /customers: 404 Not Found: Customer not found [request id req-42]
}
