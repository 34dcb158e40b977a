package loyalty_test

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"

	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// listServer serves GET /customers/all for total customers, 100 a page,
// from one pre-encoded page, so that the server's own allocations stay
// small and constant per page.
func listServer(b *testing.B, total int) *httptest.Server {
	var page bytes.Buffer
	for i := range 100 {
		if i > 0 {
			page.WriteByte(',')
		}
		fmt.Fprintf(&page, `{"email":"c%d@example.com","first_name":"Ana","last_name":"Peeters","phone_number":"+32470123456",`+
			`"third_party_id":"C-%d","thirty_party_id":"C-%d","pos_account_id":null,"has_store_account":true,`+
			`"points_balance":350,"points_earned":900,"total_spend_cents":125000,"total_purchases":7,"perks_redeemed":1,`+
			`"last_purchase_at":"2026-11-20T18:04:05.000Z","last_seen_at":"2026-11-30T09:15:00.000Z",`+
			`"credit_balance":"$0","credit_balance_in_customer_currency":"$0","opt_in":true,"opted_in_at":"2025-03-01T10:00:00.000Z",`+
			`"tags":"vip,early","birthday_month":4,"birth_day":12,"birthday_year":null,"vip_tier_name":"Gold",`+
			`"vip_tier_actions_completed":{"points_earned":900,"amount_spent_cents":125000,"purchases_made":7,"campaigns_completed":[]},`+
			`"vip_tier_upgrade_requirements":{"points_needed":100,"campaigns_needed":[]}}`, i, i, i)
	}
	items := page.Bytes()
	pages := (total + 99) / 100
	tail := []byte(`],"links":{"total_pages":` + strconv.Itoa(pages) + `}}`)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"customers":[`))
		if n, _ := strconv.Atoi(r.URL.Query().Get("page")); n <= pages {
			w.Write(items)
		}
		w.Write(tail)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// influenceListServer serves GET /v1/customers for total customers, 100 a
// page, following a page-number cursor, from one pre-encoded page.
func influenceListServer(b *testing.B, total int) *httptest.Server {
	var page bytes.Buffer
	for i := range 100 {
		if i > 0 {
			page.WriteByte(',')
		}
		fmt.Fprintf(&page, `{"id":"0f5c2d1e-9a7b-4c3d-8e2f-%012d","externalId":"C-%d","email":"c%d@example.com","firstName":"Ana",`+
			`"lastName":"Peeters","name":"Ana Peeters","phone":"+32470123456","birthdayMonth":4,"birthdayDay":12,"acceptsMarketing":true,`+
			`"tags":["vip","early"],"pointBalance":350,"referralLink":"https://influence.io/r/abc","currentLoyaltyTier":{"id":"t1","title":"Gold"},`+
			`"currentLoyaltyTierId":"t1","currentMembershipId":"default","lastSeenAt":"2026-11-30T09:15:00.000Z",`+
			`"createdAt":"2025-03-01T10:00:00.000Z","updatedAt":"2026-11-30T09:15:00.000Z","customerType":"member","shareFacebook":false}`, i, i, i)
	}
	items := page.Bytes()
	pages := (total + 99) / 100
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.URL.Query().Get("cursor"))
		w.Header().Set("Content-Type", "application/json")
		w.Write([]byte(`{"customers":[`))
		w.Write(items)
		if n+1 < pages {
			fmt.Fprintf(w, `],"cursor":"%d"}`, n+1)
		} else {
			w.Write([]byte(`],"cursor":null}`))
		}
	}))
	b.Cleanup(srv.Close)
	return srv
}

// BenchmarkCustomersList iterates every customer through Customers.List
// over loopback. It reports allocations per customer and the peak occupied
// heap (/memory/classes/heap/objects: live objects plus garbage not yet
// collected, the test server's included; sampled once a page), which must
// both stay flat as the count grows: the iterator holds one page at a time.
func BenchmarkCustomersList(b *testing.B) {
	platforms := []struct {
		name   string
		client func(b *testing.B, total int) (*loyalty.Client, error)
	}{
		{"yotpo", func(b *testing.B, total int) (*loyalty.Client, error) {
			srv := listServer(b, total)
			return loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL + "/api/v2", RateLimit: rate.Inf}))
		}},
		{"influenceio", func(b *testing.B, total int) (*loyalty.Client, error) {
			srv := influenceListServer(b, total)
			return loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}))
		}},
	}
	for _, p := range platforms {
		for _, total := range []int{10_000, 100_000} {
			b.Run(fmt.Sprintf("%s/customers=%d", p.name, total), func(b *testing.B) {
				benchmarkCustomersList(b, p.client, total)
			})
		}
	}
}

func benchmarkCustomersList(b *testing.B, client func(b *testing.B, total int) (*loyalty.Client, error), total int) {
	c, err := client(b, total)
	if err != nil {
		b.Fatal(err)
	}
	ctx := context.Background()
	sample := []metrics.Sample{{Name: "/memory/classes/heap/objects:bytes"}}
	var peak uint64
	var before, after runtime.MemStats
	runtime.GC()
	b.ReportAllocs()
	b.ResetTimer()
	runtime.ReadMemStats(&before)
	for range b.N {
		n := 0
		for cust, err := range c.Customers.List(ctx, nil) {
			if err != nil {
				b.Fatal(err)
			}
			if n++; n%100 == 0 {
				metrics.Read(sample)
				peak = max(peak, sample[0].Value.Uint64())
			}
			_ = cust
		}
		if n != total {
			b.Fatalf("%d customers, want %d", n, total)
		}
	}
	runtime.ReadMemStats(&after)
	b.StopTimer()
	b.ReportMetric(float64(after.Mallocs-before.Mallocs)/float64(b.N*total), "allocs/customer")
	b.ReportMetric(float64(peak), "peak-occupied-heap-B")
}
