package loyaltytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

func Example() {
	srv := loyaltytest.NewServer()
	defer srv.Close()

	// srv.Client() is a *loyalty.Client for every platform on srv. Plain
	// HTTP works too: Monterosa names the user by the token.
	req, _ := http.NewRequest(http.MethodGet, srv.URL+"/api/loyalty/profile", nil)
	req.Header.Set("Authorization", "Bearer fan-42")
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		panic(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	fmt.Println(resp.StatusCode, strings.TrimSpace(string(body)))
	// Output: 200 {"message":"OK","data":{"metrics":{},"inventory":{},"challenges":{}}}
}

func ExampleServer_InjectFault() {
	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.InjectFault(loyaltytest.Fault{Path: "/api/loyalty/*", Times: 1, Status: 503, RetryAfter: 2e9})

	for range 2 {
		resp, err := http.Get(srv.URL + "/api/loyalty/config")
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode, resp.Header.Get("Retry-After"))
	}
	// Output:
	// 503 2
	// 200
}

func ExampleServer_WaitForWebhooks() {
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		fmt.Println("received", r.Header.Get("X-Shop-Auth"))
	}))
	defer receiver.Close()

	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: receiver.URL, HeaderName: "X-Shop-Auth", HeaderValue: "let-me-in"})

	// Get a token, then create a member: the fake emits profile.created.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"secret"}}
	resp, err := srv.HTTPClient().PostForm(srv.URL+"/auth/realms/Qualifio/protocol/openid-connect/token", form)
	if err != nil {
		panic(err)
	}
	var tok struct {
		AccessToken string `json:"access_token"`
	}
	_ = json.NewDecoder(resp.Body).Decode(&tok)
	resp.Body.Close()

	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/api/management/members", strings.NewReader(`{"email":"ana@example.com"}`))
	req.Header.Set("Authorization", "Bearer "+tok.AccessToken)
	req.Header.Set("Content-Type", "application/json")
	resp, err = srv.HTTPClient().Do(req)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()

	if err := srv.WaitForWebhooks(context.Background()); err != nil {
		panic(err)
	}
	d := srv.WebhookDeliveries()[0]
	fmt.Println(d.Platform, d.Topic, d.Delivered, len(d.Attempts))
	// Output:
	// received let-me-in
	// qualifio profile.created true 1
}

func ExampleServer_Client() {
	srv := loyaltytest.NewServer(loyaltytest.WithInfluenceIOClient())
	defer srv.Close()

	// Options given to Client are applied after the fake's own.
	client := srv.Client(loyalty.WithUserAgent("my-app/1.0"))
	fmt.Println(client.Platforms())

	// Use it as in production: every platform points at srv.
	ctx := context.Background()
	req, _ := client.NewRequest(loyalty.InfluenceIO, http.MethodPut, "/v1/customers/C-1042", map[string]any{"email": "ana@example.com"})
	if _, err := client.Do(ctx, req, nil); err != nil {
		log.Fatal(err)
	}
	req, _ = client.NewRequest(loyalty.InfluenceIO, http.MethodPost, "/v1/customers/C-1042/points", map[string]any{"points": 50, "action": "Welcome"})
	var out struct {
		Customer struct {
			PointBalance int `json:"pointBalance"`
		} `json:"customer"`
	}
	if _, err := client.Do(ctx, req, &out); err != nil {
		log.Fatal(err)
	}
	fmt.Println(out.Customer.PointBalance)

	req, _ = client.NewRequest(loyalty.InfluenceIO, http.MethodGet, "/v1/customers/C-404", nil)
	_, err := client.Do(ctx, req, nil)
	fmt.Println(errors.Is(err, loyalty.ErrNotFound))
	// Output:
	// [qualifio influenceio monterosa]
	// 50
	// true
}
