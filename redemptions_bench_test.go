package loyalty_test

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// BenchmarkRedemptionOptions decodes a list of 100 realistic options from a
// loopback server: the cost per option of tolerant decoding and Raw.
func BenchmarkRedemptionOptions(b *testing.B) {
	items := make([]string, 100)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":%d,"name":"$5 off","description":"Five dollars","icon":"fa-gift","cost_text":"500 points","amount":500,`+
			`"type":"shopify_fixed_amount_coupon","discount_type":"fixed_amount","discount_amount_cents":"500","discount_percentage":null,`+
			`"cart_greater_than":null,"discount_with_currency":"$5","extra":{"a":[1,2]}}`, i+1)
	}
	body := "[" + strings.Join(items, ",") + "]"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}))
	b.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL + "/api/v2", RateLimit: rate.Inf}))
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		n := 0
		for _, err := range c.Redemptions.Options(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			n++
		}
		if n != 100 {
			b.Fatalf("%d options", n)
		}
	}
}

// BenchmarkCouponsUpload uploads 20,000 codes (two calls) to a loopback
// server that discards them.
func BenchmarkCouponsUpload(b *testing.B) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		io.WriteString(w, `{}`)
	}))
	b.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL + "/api/v2", RateLimit: rate.Inf}))
	if err != nil {
		b.Fatal(err)
	}
	all := codes(20_000)
	ctx := context.Background()
	b.ReportAllocs()
	for range b.N {
		if _, err := c.Coupons.Upload(ctx, 1, all); err != nil {
			b.Fatal(err)
		}
	}
}
