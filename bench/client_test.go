package bench

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"runtime/metrics"
	"strconv"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// yotpoCustomer is one Yotpo customer object with every field Yotpo
// documents for GET /customers.
func yotpoCustomer(i int) string {
	return fmt.Sprintf(`{"email":"c%d@example.com","first_name":"Ana","last_name":"Peeters","phone_number":"+32470123456",`+
		`"third_party_id":"C-%d","thirty_party_id":"C-%d","pos_account_id":null,"has_store_account":true,`+
		`"points_balance":350,"points_earned":900,"points_expire_at":"2027-05-01T00:00:00.000Z","next_points_expire_on":"2027-05-01",`+
		`"next_points_expire_amount":50,"total_spend_cents":125000,"total_purchases":7,"perks_redeemed":1,`+
		`"last_purchase_at":"2026-11-20T18:04:05.000Z","last_seen_at":"2026-11-30T09:15:00.000Z",`+
		`"credit_balance":"$0","credit_balance_in_customer_currency":"$0","opt_in":true,"opted_in_at":"2025-03-01T10:00:00.000Z",`+
		`"tags":"vip,early","birthday_month":4,"birth_day":12,"birthday_year":null,"vip_tier_name":"Gold",`+
		`"vip_tier_entry_date":"2026-01-01","vip_tier_expiration":"2027-01-01",`+
		`"vip_tier_actions_completed":{"points_earned":900,"amount_spent_cents":125000,"amount_spent_cents_in_customer_currency":125000,"purchases_made":7,"referrals_completed":0,"campaigns_completed":[]},`+
		`"vip_tier_upgrade_requirements":{"points_needed":100,"amount_cents_needed":0,"purchases_needed":0,"referrals_needed":0,"campaigns_needed":[]},`+
		`"vip_tier_maintenance_requirements":{"points_needed":0,"amount_cents_needed":0,"purchases_needed":0,"referrals_needed":0,"campaigns_needed":[]}}`, i, i, i)
}

// yotpoCustomerFloor decodes every field of yotpoCustomer: what a careful
// caller writing its own struct decodes.
type yotpoCustomerFloor struct {
	Email                           string    `json:"email"`
	FirstName                       string    `json:"first_name"`
	LastName                        string    `json:"last_name"`
	PhoneNumber                     string    `json:"phone_number"`
	ThirdPartyID                    string    `json:"third_party_id"`
	ThirtyPartyID                   string    `json:"thirty_party_id"`
	POSAccountID                    *string   `json:"pos_account_id"`
	HasStoreAccount                 bool      `json:"has_store_account"`
	PointsBalance                   int64     `json:"points_balance"`
	PointsEarned                    int64     `json:"points_earned"`
	PointsExpireAt                  time.Time `json:"points_expire_at"`
	NextPointsExpireOn              string    `json:"next_points_expire_on"`
	NextPointsExpireAmount          int64     `json:"next_points_expire_amount"`
	TotalSpendCents                 int64     `json:"total_spend_cents"`
	TotalPurchases                  int       `json:"total_purchases"`
	PerksRedeemed                   int       `json:"perks_redeemed"`
	LastPurchaseAt                  time.Time `json:"last_purchase_at"`
	LastSeenAt                      time.Time `json:"last_seen_at"`
	CreditBalance                   string    `json:"credit_balance"`
	CreditBalanceInCustomerCurrency string    `json:"credit_balance_in_customer_currency"`
	OptIn                           bool      `json:"opt_in"`
	OptedInAt                       time.Time `json:"opted_in_at"`
	Tags                            string    `json:"tags"`
	BirthdayMonth                   *int      `json:"birthday_month"`
	BirthDay                        *int      `json:"birth_day"`
	BirthdayYear                    *int      `json:"birthday_year"`
	VIPTierName                     string    `json:"vip_tier_name"`
	VIPTierEntryDate                string    `json:"vip_tier_entry_date"`
	VIPTierExpiration               string    `json:"vip_tier_expiration"`
	VIPActions                      struct {
		PointsEarned                       int64             `json:"points_earned"`
		AmountSpentCents                   int64             `json:"amount_spent_cents"`
		AmountSpentCentsInCustomerCurrency int64             `json:"amount_spent_cents_in_customer_currency"`
		PurchasesMade                      int               `json:"purchases_made"`
		ReferralsCompleted                 int               `json:"referrals_completed"`
		CampaignsCompleted                 []json.RawMessage `json:"campaigns_completed"`
	} `json:"vip_tier_actions_completed"`
	VIPUpgrade     yotpoRequirementsFloor `json:"vip_tier_upgrade_requirements"`
	VIPMaintenance yotpoRequirementsFloor `json:"vip_tier_maintenance_requirements"`
	Raw            json.RawMessage        `json:"-"`
}

type yotpoRequirementsFloor struct {
	PointsNeeded    int64             `json:"points_needed"`
	AmountNeeded    int64             `json:"amount_cents_needed"`
	PurchasesNeeded int               `json:"purchases_needed"`
	ReferralsNeeded int               `json:"referrals_needed"`
	CampaignsNeeded []json.RawMessage `json:"campaigns_needed"`
}

// yotpoServer answers every request with the same customer object, the
// way Yotpo answers GET and POST /customers, with Yotpo's rate-limit
// headers.
func yotpoServer(b *testing.B) *httptest.Server {
	body := []byte(yotpoCustomer(1))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Body != nil {
			_, _ = io.Copy(io.Discard, r.Body)
		}
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("Content-Length", strconv.Itoa(len(body)))
		w.Write(body)
	}))
	b.Cleanup(srv.Close)
	return srv
}

// floorClient is the floor's http.Client: the same pool settings as the
// SDK's default transport.
func floorClient() *http.Client {
	t := http.DefaultTransport.(*http.Transport).Clone()
	t.MaxIdleConnsPerHost = 16
	return &http.Client{Transport: t, Timeout: 30 * time.Second}
}

func yotpoClient(b *testing.B, srv *httptest.Server) *loyalty.Client {
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL + "/api/v2", RateLimit: rate.Inf}))
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(c.CloseIdleConnections)
	return c
}

// floorGet is one authenticated GET with bare net/http, decoded into v,
// keeping the raw body when raw is not nil.
func floorGet(ctx context.Context, hc *http.Client, url string, v any, raw *json.RawMessage) error {
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, url, nil)
	if err != nil {
		return err
	}
	req.Header.Set("X-GUID", "g")
	req.Header.Set("X-API-KEY", "k")
	req.Header.Set("Accept", "application/json")
	return floorDo(hc, req, v, raw)
}

func floorDo(hc *http.Client, req *http.Request, v any, raw *json.RawMessage) error {
	resp, err := hc.Do(req)
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, 32<<20))
	if err != nil {
		return err
	}
	if resp.StatusCode != http.StatusOK {
		return fmt.Errorf("status %d", resp.StatusCode)
	}
	if raw != nil {
		*raw = body
	}
	return json.Unmarshal(body, v)
}

// smallCustomer is the few fields a caller of Do decodes.
type smallCustomer struct {
	Email         string `json:"email"`
	FirstName     string `json:"first_name"`
	PointsBalance int    `json:"points_balance"`
}

// BenchmarkYotpoGetDo is one Yotpo GET /customers through Client.Do
// (retry loop, rate limiter off, auth, logging hook, bounded read, error
// shaping) beside the same GET with net/http and encoding/json, into the
// same small struct.
func BenchmarkYotpoGetDo(b *testing.B) {
	srv := yotpoServer(b)
	ctx := context.Background()
	b.Run("impl=loyalty", func(b *testing.B) {
		c := yotpoClient(b, srv)
		b.ReportAllocs()
		for range b.N {
			req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
			if err != nil {
				b.Fatal(err)
			}
			req.Query.Set("customer_email", "c1@example.com")
			var out smallCustomer
			if _, err := c.Do(ctx, req, &out); err != nil || out.PointsBalance != 350 {
				b.Fatal(err, out)
			}
		}
	})
	b.Run("impl=floor", func(b *testing.B) {
		hc := floorClient()
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for range b.N {
			var out smallCustomer
			if err := floorGet(ctx, hc, srv.URL+"/api/v2/customers?customer_email=c1%40example.com", &out, nil); err != nil || out.PointsBalance != 350 {
				b.Fatal(err, out)
			}
		}
	})
}

// BenchmarkCustomersGet is Customers.Get by e-mail (typed Customer, tolerant
// decoding and its check, raw kept) beside net/http and one
// json.Unmarshal of every field, the raw body kept.
func BenchmarkCustomersGet(b *testing.B) {
	srv := yotpoServer(b)
	ctx := context.Background()
	b.Run("impl=loyalty", func(b *testing.B) {
		c := yotpoClient(b, srv)
		b.ReportAllocs()
		for range b.N {
			cust, _, err := c.Customers.Get(ctx, loyalty.ByEmail("c1@example.com"), nil)
			if err != nil || cust.PointsBalance != 350 || len(cust.Raw) == 0 {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=floor", func(b *testing.B) {
		hc := floorClient()
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for range b.N {
			var out yotpoCustomerFloor
			if err := floorGet(ctx, hc, srv.URL+"/api/v2/customers?customer_email=c1%40example.com&with_history=false&with_referral_code=false", &out, &out.Raw); err != nil || out.PointsBalance != 350 {
				b.Fatal(err)
			}
		}
	})
}

// yotpoCustomerBodyFloor is what the floor sends to POST /customers.
type yotpoCustomerBodyFloor struct {
	ID        string `json:"id,omitempty"`
	Email     string `json:"email"`
	FirstName string `json:"first_name,omitempty"`
	LastName  string `json:"last_name,omitempty"`
	Tags      string `json:"tags,omitempty"`
	OptedIn   *bool  `json:"opted_in,omitempty"`
}

// BenchmarkCustomersUpsert is a write: Customers.Upsert (Yotpo POST
// /customers, sent at most once, its answer decoded into a Customer)
// beside net/http with the JSON body encoded by encoding/json and the
// answer decoded like BenchmarkCustomersGet's floor.
func BenchmarkCustomersUpsert(b *testing.B) {
	srv := yotpoServer(b)
	ctx := context.Background()
	optIn := true
	b.Run("impl=loyalty", func(b *testing.B) {
		c := yotpoClient(b, srv)
		b.ReportAllocs()
		for range b.N {
			cust, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "c1@example.com", FirstName: "Ana", LastName: "Peeters",
				Tags: []string{"vip", "early"}, OptIn: &optIn})
			if err != nil || cust.PointsBalance != 350 {
				b.Fatal(err)
			}
		}
	})
	b.Run("impl=floor", func(b *testing.B) {
		hc := floorClient()
		defer hc.CloseIdleConnections()
		b.ReportAllocs()
		for range b.N {
			in, err := json.Marshal(yotpoCustomerBodyFloor{ID: "C-1", Email: "c1@example.com", FirstName: "Ana", LastName: "Peeters", Tags: "vip,early", OptedIn: &optIn})
			if err != nil {
				b.Fatal(err)
			}
			req, err := http.NewRequestWithContext(ctx, http.MethodPost, srv.URL+"/api/v2/customers", bytes.NewReader(in))
			if err != nil {
				b.Fatal(err)
			}
			req.Header.Set("X-GUID", "g")
			req.Header.Set("X-API-KEY", "k")
			req.Header.Set("Accept", "application/json")
			req.Header.Set("Content-Type", "application/json")
			var out yotpoCustomerFloor
			if err := floorDo(hc, req, &out, &out.Raw); err != nil || out.PointsBalance != 350 {
				b.Fatal(err)
			}
		}
	})
}

// listServer serves GET /customers/all for total customers, 100 a page,
// from one pre-encoded page, so that the server's own allocations stay
// small and constant per page.
func listServer(b *testing.B, total int) *httptest.Server {
	var page bytes.Buffer
	for i := range 100 {
		if i > 0 {
			page.WriteByte(',')
		}
		page.WriteString(yotpoCustomer(i))
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

// BenchmarkCustomersList iterates every customer through Customers.List
// at 10,000 and 100,000 customers. It reports bytes and allocations per
// customer and the peak occupied heap (live objects plus garbage not yet
// collected, the test server's included; sampled once a page): all three
// stay flat as the count grows, since the iterator holds one page at a
// time.
func BenchmarkCustomersList(b *testing.B) {
	for _, total := range []int{10_000, 100_000} {
		b.Run(fmt.Sprintf("customers=%d", total), func(b *testing.B) {
			srv := listServer(b, total)
			c := yotpoClient(b, srv)
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
			items := float64(b.N * total)
			b.ReportMetric(float64(after.TotalAlloc-before.TotalAlloc)/items, "B/customer")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/items, "allocs/customer")
			b.ReportMetric(float64(peak), "peak-heap-B")
		})
	}
}
