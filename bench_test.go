package loyalty_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

const benchCustomer = `{"email":"ana@example.com","first_name":"Ana","last_name":"Peeters","third_party_id":"C-1042","points_balance":350,"points_earned":900,"total_spend_cents":125000,"total_purchases":7,"opt_in":true,"credit_balance":"$0"}`

type benchCustomerT struct {
	Email         string `json:"email"`
	FirstName     string `json:"first_name"`
	LastName      string `json:"last_name"`
	ThirdPartyID  string `json:"third_party_id"`
	PointsBalance int    `json:"points_balance"`
	PointsEarned  int    `json:"points_earned"`
	TotalSpend    int    `json:"total_spend_cents"`
	Purchases     int    `json:"total_purchases"`
	OptIn         bool   `json:"opt_in"`
	CreditBalance string `json:"credit_balance"`
}

func benchServer(b *testing.B) *httptest.Server {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, benchCustomer)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkGetRoundTrip compares one authenticated GET through the Client
// (retry loop, auth, logging hooks, error shaping, JSON decode) with the same
// call made with bare net/http and encoding/json, both over loopback
// keep-alive connections.
func BenchmarkGetRoundTrip(b *testing.B) {
	b.Run("impl=client", func(b *testing.B) {
		srv := benchServer(b)
		c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL + "/api/v2", RateLimit: rate.Inf}))
		if err != nil {
			b.Fatal(err)
		}
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Query.Set("customer_email", "ana@example.com")
			var out benchCustomerT
			if _, err := c.Do(ctx, req, &out); err != nil || out.PointsBalance != 350 {
				b.Fatal(err, out)
			}
		}
	})
	b.Run("impl=bare", func(b *testing.B) {
		srv := benchServer(b)
		t := http.DefaultTransport.(*http.Transport).Clone()
		t.MaxIdleConnsPerHost = 16
		hc := &http.Client{Transport: t}
		ctx := context.Background()
		b.ReportAllocs()
		b.ResetTimer()
		for i := 0; i < b.N; i++ {
			req, err := http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+"/api/v2/customers?customer_email=ana%40example.com", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("X-GUID", "g")
			req.Header.Set("X-API-KEY", "k")
			req.Header.Set("Accept", "application/json")
			resp, err := hc.Do(req)
			if err != nil {
				b.Fatal(err)
			}
			var out benchCustomerT
			err = json.NewDecoder(resp.Body).Decode(&out)
			io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if err != nil || out.PointsBalance != 350 {
				b.Fatal(fmt.Sprint(err, out))
			}
		}
	})
}

// BenchmarkRewardsForUser measures building a per-user view: no transport,
// no http.Client, one small value. The call it then makes shares the
// Client's connections.
func BenchmarkRewardsForUser(b *testing.B) {
	c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: "https://fans.example-club.com",
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "back-end"})}))
	if err != nil {
		b.Fatal(err)
	}
	tokens := make([]string, 1024)
	for i := range tokens {
		tokens[i] = fmt.Sprint("fan-jwt-", i)
	}
	var sink *loyalty.RewardsService
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sink = c.Rewards.ForUser(tokens[i%len(tokens)])
	}
	if sink == nil {
		b.Fatal("no view")
	}
}

// BenchmarkRewardsProfile compares one Profile call as the Client's user
// with the same call through a fresh per-user view: the view's credentials
// travel in the request's context, so both use the same transport.
func BenchmarkRewardsProfile(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, `{"message":"OK","data":{"metrics":{"xp":250},"inventory":{"badges":["warmup"]},"challenges":{"c-1":{"isCompleted":true,"missionsCompleted":["m-1"]}}}}`)
	}))
	b.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: srv.URL,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "back-end"})}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	for _, bc := range []struct {
		name string
		view func(i int) *loyalty.RewardsService
	}{
		{"view=client", func(int) *loyalty.RewardsService { return c.Rewards }},
		{"view=ForUser", func(i int) *loyalty.RewardsService { return c.Rewards.ForUser(fmt.Sprint("fan-", i%64)) }},
	} {
		b.Run(bc.name, func(b *testing.B) {
			b.ReportAllocs()
			for i := 0; i < b.N; i++ {
				p, _, err := bc.view(i).Profile(ctx)
				if err != nil || p.Metrics["xp"] != 250 {
					b.Fatal(err)
				}
			}
		})
	}
}
