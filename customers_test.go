package loyalty_test

import (
	"context"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// yotpoCustomerResp is a realistic customer object: documented fields with
// Yotpo's quirks (cents as a string, two time forms, the legacy misspelled
// id), plus fields and enum values the SDK does not know.
const yotpoCustomerResp = `{
 "email":"ana@example.com","first_name":"Ana","last_name":"Peeters","phone_number":"+32470123456",
 "third_party_id":"C-1042","thirty_party_id":"C-1042","pos_account_id":null,"has_store_account":true,
 "points_balance":350,"points_earned":"900","points_expire_at":"2027-01-31T00:00:00.000Z",
 "next_points_expire_on":"2027-01-31","next_points_expire_amount":50,
 "total_spend_cents":"125000","total_purchases":7,"perks_redeemed":2,
 "last_purchase_at":"2026-11-20 18:04:05","last_seen_at":"2026-11-30T09:15:00.123Z",
 "credit_balance":"$0","credit_balance_in_customer_currency":"€0","opt_in":true,"opted_in_at":"2025-03-01T10:00:00Z",
 "tags":"vip, early ,","birthday_month":4,"birth_day":12,"birthday_year":null,
 "vip_tier_name":"Gold","vip_tier_entry_date":"2026-06-01","vip_tier_expiration":{"unexpected":"shape"},
 "vip_tier_actions_completed":{"points_earned":900,"amount_spent_cents":125000,"amount_spent_cents_in_customer_currency":125000,"purchases_made":7,"referrals_completed":1,"campaigns_completed":[{"id":3}]},
 "vip_tier_upgrade_requirements":{"points_needed":100,"amount_cents_needed":5000,"purchases_needed":1,"campaigns_needed":[{"id":4,"title":"Follow us"}]},
 "vip_tier_maintenance_requirements":{"points_needed":0},
 "referral_code":{"code":"legacy1","total_clicks":4},
 "referral_link":{"link":"rwrd.io/abc123","code":"abc123","expired":false,"customer_id":"C-1042"},
 "history_items":[
  {"created_at":"2026-11-20T18:05:00.000Z","date":"2026-11-20","action":"Made a purchase","points":125,"status":"Approved","completed_at":"2026-11-20T18:04:05.000Z"},
  {"created_at":"2026-11-21T08:00:00Z","action":"Redeemed $5 off","points":-500,"status":"COUPON-XYZ","action_name":null},
  {"created_at":"2026-11-22T08:00:00Z","action":"Shared","points":10,"status":"Quarantined","completed_at":"2026-11-01 08:00:00","action_name":"shared_on_tiktok"}
 ],
 "brand_new_field":{"nested":[1,2,3]}
}`

func TestCustomersGetDecodesARealisticCustomer(t *testing.T) {
	m := newPlatformMock(t, exchange{
		Method: http.MethodGet, Path: "/customers",
		Query:  url.Values{"customer_email": {"ana@example.com"}, "with_history": {"true"}, "with_referral_code": {"false"}},
		Header: map[string]string{"X-GUID": "mock-guid", "X-API-KEY": "mock-key", "Accept": "application/json"},
		Resp:   yotpoCustomerResp,
	})
	c := m.client(loyalty.Yotpo)
	cust, resp, err := c.Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), &loyalty.CustomerGetOptions{WithHistory: true})
	require.NoError(t, err)
	require.NotNil(t, resp)
	assert.Equal(t, "C-1042", cust.ID)
	assert.Equal(t, "Ana", cust.FirstName)
	assert.Equal(t, "+32470123456", cust.Phone)
	assert.Equal(t, []string{"vip", "early"}, cust.Tags)
	assert.True(t, cust.OptIn)
	assert.Equal(t, time.Date(2025, 3, 1, 10, 0, 0, 0, time.UTC), cust.OptedInAt)
	assert.Equal(t, int64(350), cust.PointsBalance)
	assert.Equal(t, int64(900), cust.PointsEarned, "a numeric string is read")
	assert.Equal(t, "Gold", cust.Tier)
	assert.Equal(t, "rwrd.io/abc123", cust.ReferralLink)
	assert.Equal(t, "abc123", cust.ReferralCode, "referral_link wins over the legacy referral_code")
	assert.Equal(t, loyalty.Money{Minor: 125000}, cust.TotalSpent)
	assert.Equal(t, 7, cust.Purchases)
	assert.Equal(t, time.Date(2026, 11, 20, 18, 4, 5, 0, time.UTC), cust.LastPurchaseAt, "YYYY-MM-DD HH:MM:SS read as UTC")
	assert.Equal(t, time.Date(2026, 11, 30, 9, 15, 0, 123e6, time.UTC), cust.LastSeenAt)
	assert.Equal(t, &loyalty.CalendarDay{Day: 12, Month: time.April}, cust.Birthday)
	require.Len(t, cust.History, 3)
	assert.Equal(t, loyalty.HistoryItem{
		CreatedAt: time.Date(2026, 11, 20, 18, 5, 0, 0, time.UTC), CompletedAt: time.Date(2026, 11, 20, 18, 4, 5, 0, time.UTC),
		Action: "Made a purchase", Points: 125, Status: loyalty.HistoryApproved,
	}, cust.History[0])
	assert.Equal(t, int64(-500), cust.History[1].Points)
	assert.Equal(t, loyalty.HistoryStatus("COUPON-XYZ"), cust.History[1].Status)
	assert.Equal(t, loyalty.HistoryStatus("Quarantined"), cust.History[2].Status, "an unknown status is kept")
	assert.Equal(t, "shared_on_tiktok", cust.History[2].ActionName)
	assert.Equal(t, time.Date(2026, 11, 1, 8, 0, 0, 0, time.UTC), cust.History[2].CompletedAt)

	y := cust.Yotpo
	require.NotNil(t, y)
	assert.Equal(t, "", y.POSAccountID)
	assert.True(t, y.HasStoreAccount)
	assert.Equal(t, 2, y.PerksRedeemed)
	assert.Equal(t, "$0", y.CreditBalance)
	assert.Equal(t, "€0", y.CreditBalanceInCustomerCurrency)
	assert.Equal(t, time.Date(2027, 1, 31, 0, 0, 0, 0, time.UTC), y.NextPointsExpireOn)
	assert.Equal(t, int64(50), y.NextPointsExpireAmount)
	assert.Equal(t, "2026-06-01", y.VIPTierEntryDate)
	assert.Equal(t, `{"unexpected":"shape"}`, y.VIPTierExpiration, "an unexpected shape is kept as JSON, not an error")
	assert.Equal(t, loyalty.VIPProgress{PointsEarned: 900, AmountSpent: loyalty.Money{Minor: 125000}, AmountSpentInCustomerCurrency: loyalty.Money{Minor: 125000}, PurchasesMade: 7, ReferralsCompleted: 1,
		CampaignsCompleted: []json.RawMessage{json.RawMessage(`{"id":3}`)}}, y.VIPProgress)
	assert.Equal(t, loyalty.VIPRequirements{PointsNeeded: 100, AmountNeeded: loyalty.Money{Minor: 5000}, PurchasesNeeded: 1,
		CampaignsNeeded: []json.RawMessage{json.RawMessage(`{"id":4,"title":"Follow us"}`)}}, y.VIPUpgradeNeeds)
	assert.Contains(t, string(cust.Raw), `"brand_new_field"`, "the raw JSON keeps unmodelled fields")
}

func TestCustomersGetByEachIdentifier(t *testing.T) {
	flags := url.Values{"with_history": {"false"}, "with_referral_code": {"true"}}
	with := func(k, v string, more ...string) url.Values {
		q := url.Values{k: {v}}
		for i := 0; i+1 < len(more); i += 2 {
			q.Set(more[i], more[i+1])
		}
		for k, v := range flags {
			q[k] = v
		}
		return q
	}
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/customers", Query: with("customer_id", "a/b?c"), Resp: `{"email":"a@example.com"}`},
		exchange{Method: http.MethodGet, Path: "/customers", Query: with("pos_account_id", "P-1"), Resp: `{"email":"a@example.com"}`},
		exchange{Method: http.MethodGet, Path: "/customers", Query: with("phone_number", "+14155550123"), Resp: `{"email":"a@example.com"}`},
		exchange{Method: http.MethodGet, Path: "/customers", Query: with("phone_number", "4155550123", "country_iso_code", "US"), Resp: `{"email":"a@example.com"}`},
	)
	c := m.client(loyalty.Yotpo)
	opts := &loyalty.CustomerGetOptions{WithReferralCode: true}
	for _, ref := range []loyalty.CustomerRef{loyalty.ByID("a/b?c"), loyalty.ByPOSAccount("P-1"), loyalty.ByPhone("+14155550123", ""), loyalty.ByPhone("4155550123", "US")} {
		cust, _, err := c.Customers.Get(context.Background(), ref, opts)
		require.NoError(t, err)
		assert.Equal(t, "a@example.com", cust.Email)
		assert.Nil(t, cust.History)
	}
}

func TestCustomersGetNotFound(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/customers",
		Query:  url.Values{"customer_email": {"x@example.com"}, "with_history": {"false"}, "with_referral_code": {"false"}},
		Status: http.StatusNotFound, Resp: `{"error_message":"Customer not found"}`})
	_, _, err := m.client(loyalty.Yotpo).Customers.Get(context.Background(), loyalty.ByEmail("x@example.com"), nil)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func TestCustomersUpsertSendsEveryField(t *testing.T) {
	m := newPlatformMock(t, exchange{
		Method: http.MethodPost, Path: "/customers",
		Header: map[string]string{"Content-Type": "application/json"},
		Body: `{"id":"C-1042","email":"ana@example.com","first_name":"Ana","last_name":"Peeters",
			"phone_number":"0470123456","country_iso_code":"BE","has_account":true,
			"platform_account_created_at":"2024-02-03T04:05:06Z","opted_in":false,"pos_account_id":"POS-9",
			"tags":"vip,early","opted_in_at":"2025-03-01T09:00:00Z"}`,
		Resp: `{"email":"ana@example.com","third_party_id":"C-1042","opt_in":false,"tags":"vip,early","points_balance":0,"mystery":true}`,
	})
	c := m.client(loyalty.Yotpo)
	cust, _, err := c.Customers.Upsert(context.Background(), loyalty.CustomerInput{
		ID: "C-1042", Email: "ana@example.com", FirstName: "Ana", LastName: "Peeters",
		Phone: "0470123456", PhoneCountry: "BE", Tags: []string{"vip", "early"}, OptIn: loyalty.Ptr(false),
		OptedInAt: time.Date(2025, 3, 1, 10, 0, 0, 0, time.FixedZone("CET", 3600)),
		Yotpo: &loyalty.YotpoCustomerInput{POSAccountID: "POS-9", HasAccount: loyalty.Ptr(true),
			AccountCreatedAt: time.Date(2024, 2, 3, 4, 5, 6, 0, time.UTC)},
	})
	require.NoError(t, err)
	assert.Equal(t, "C-1042", cust.ID)
	assert.Equal(t, []string{"vip", "early"}, cust.Tags)
}

func TestCustomersUpsertOmitsUnsetAndClearsTags(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/customers", Body: `{"email":"ana@example.com"}`, Resp: `{}`},
		exchange{Method: http.MethodPost, Path: "/customers", Body: `{"email":"ana@example.com","phone_number":"+14155550123","tags":""}`, Resp: `{}`},
	)
	c := m.client(loyalty.Yotpo)
	_, _, err := c.Customers.Upsert(context.Background(), loyalty.CustomerInput{Email: "ana@example.com"})
	require.NoError(t, err)
	_, _, err = c.Customers.Upsert(context.Background(), loyalty.CustomerInput{Email: "ana@example.com", Phone: "+14155550123", Tags: []string{}})
	require.NoError(t, err)
}

func TestCustomersAdjustPoints(t *testing.T) {
	m := newPlatformMock(t,
		// The answer is the adjustment record
		// (https://loyaltyapi.yotpo.com/reference/adjust-a-customers-point-balance).
		exchange{Method: http.MethodPost, Path: "/points/adjust",
			Body: `{"customer_email":"ana@example.com","point_adjustment_amount":-40,"apply_adjustment_to_points_earned":true,"history_title":"Correction","visible_to_customer":false}`,
			Resp: `{"id":31337,"customer_id":550123,"merchant_id":"118","name":"Correction","type":"ManualAdjustment","referral_id":null,
			  "created_at":"2024-05-02T08:00:00.000Z","updated_at":"2024-05-02 08:00:01"}`},
		// A success whose body does not read: the points moved, the record is zero.
		exchange{Method: http.MethodPost, Path: "/points/adjust",
			Body: `{"customer_id":"C-1","point_adjustment_amount":25,"apply_adjustment_to_points_earned":false}`,
			Resp: `not json`},
	)
	c := m.client(loyalty.Yotpo)
	rec, _, err := c.Customers.AdjustPoints(context.Background(), loyalty.PointsAdjustment{
		Customer: loyalty.ByEmail("ana@example.com"), Points: -40, Earned: true, HistoryTitle: "Correction", Hidden: true})
	require.NoError(t, err)
	assert.Equal(t, loyalty.AdjustmentRecord{
		ID: 31337, CustomerID: 550123, MerchantID: 118, Name: "Correction", Type: "ManualAdjustment",
		CreatedAt: time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC), UpdatedAt: time.Date(2024, 5, 2, 8, 0, 1, 0, time.UTC), Raw: rec.Raw,
	}, *rec)
	rec, _, err = c.Customers.AdjustPoints(context.Background(), loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: 25})
	require.NoError(t, err)
	assert.Equal(t, loyalty.AdjustmentRecord{}, *rec)
}

func TestCustomersAdjustPointsRetries(t *testing.T) {
	body := `{"customer_email":"ana@example.com","point_adjustment_amount":5,"apply_adjustment_to_points_earned":true}`
	adj := loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 5, Earned: true}

	t.Run("423 and 429 are retried", func(t *testing.T) {
		m := newPlatformMock(t,
			exchange{Method: http.MethodPost, Path: "/points/adjust", Body: body, Status: http.StatusLocked, Resp: `{"error_message":"locked"}`},
			exchange{Method: http.MethodPost, Path: "/points/adjust", Body: body, Status: http.StatusTooManyRequests, RespHeader: map[string]string{"Retry-After": "0"}},
			exchange{Method: http.MethodPost, Path: "/points/adjust", Body: body, Resp: `{}`},
		)
		_, _, err := m.client(loyalty.Yotpo).Customers.AdjustPoints(context.Background(), adj)
		require.NoError(t, err)
	})
	t.Run("a 5xx is not retried", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/points/adjust", Body: body, Status: http.StatusServiceUnavailable})
		_, _, err := m.client(loyalty.Yotpo).Customers.AdjustPoints(context.Background(), adj)
		var e *loyalty.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, 1, e.Attempts)
	})
	t.Run("a cut connection is reported, not retried", func(t *testing.T) {
		var rec recorder
		c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
			rec.add(r)
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
		})
		_, _, err := c.Customers.AdjustPoints(context.Background(), adj)
		require.Error(t, err)
		assert.ErrorIs(t, err, loyalty.ErrMaybeApplied)
		assert.Equal(t, 1, rec.count(), "points/adjust is not de-duplicated by Yotpo: never resent blindly")
	})
	t.Run("refused before sending was not applied", func(t *testing.T) {
		c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: closedURL(t) + mockYotpoBase}),
			loyalty.WithRetryPolicy(fastRetry))
		require.NoError(t, err)
		_, _, err = c.Customers.AdjustPoints(context.Background(), adj)
		require.Error(t, err)
		assert.False(t, errors.Is(err, loyalty.ErrMaybeApplied), "%v", err)
	})
}

func TestCustomersRecordAction(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/actions",
			Body: `{"type":"CustomAction","customer_id":"C-1","action_name":"reviewed_product","ip_address":"203.0.113.7",
				"user_agent":"Mozilla/5.0","created_at":"2026-11-01T08:30:00Z","reward_points":40,"history_title":"Wrote a review"}`,
			Resp: `{}`},
		exchange{Method: http.MethodPost, Path: "/actions", Body: `{"type":"CustomAction","customer_email":"ana@example.com","action_name":"visited"}`},
	)
	c := m.client(loyalty.Yotpo)
	_, err := c.Customers.RecordAction(context.Background(), loyalty.Action{
		Customer: loyalty.ByID("C-1"), Name: "reviewed_product", IPAddress: "203.0.113.7", UserAgent: "Mozilla/5.0",
		CreatedAt: time.Date(2026, 11, 1, 9, 30, 0, 0, time.FixedZone("CET", 3600)), Points: loyalty.Ptr[int64](40), HistoryTitle: "Wrote a review",
	})
	require.NoError(t, err)
	_, err = c.Customers.RecordAction(context.Background(), loyalty.Action{Customer: loyalty.ByEmail("ana@example.com"), Name: "visited"})
	require.NoError(t, err, "an empty body is fine")
}

func TestCustomersBirthdayAndAnniversary(t *testing.T) {
	q := url.Values{"customer_email": {"ana@example.com"}}
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/customer_birthdays", Body: `{"customer_id":"C-1","day":29,"month":2}`, Resp: `{}`},
		exchange{Method: http.MethodPost, Path: "/customer_birthdays", Body: `{"customer_email":"ana@example.com","day":12,"month":4,"year":1990}`, Resp: `{}`},
		exchange{Method: http.MethodPost, Path: "/customer_anniversary", Body: `{"customer_email":"ana@example.com","day":14,"month":6,"year":2019}`, Resp: `{}`},
		exchange{Method: http.MethodGet, Path: "/customer_anniversary", Query: q, Resp: `{"day":14,"month":"6","year":2019,"reward":"later"}`},
		// customer_email goes in the body of the DELETE, not the query
		// (https://loyaltyapi.yotpo.com/reference/remove-customer-anniversary).
		exchange{Method: http.MethodDelete, Path: "/customer_anniversary", Body: `{"customer_email":"ana@example.com"}`, Resp: `{}`},
		exchange{Method: http.MethodGet, Path: "/customer_anniversary", Query: q, Status: http.StatusNotFound, Resp: `{"error_message":"Anniversary not set"}`},
	)
	c := m.client(loyalty.Yotpo)
	ctx := context.Background()
	_, err := c.Customers.SetBirthday(ctx, loyalty.ByID("C-1"), loyalty.CalendarDay{Day: 29, Month: time.February})
	require.NoError(t, err)
	_, err = c.Customers.SetBirthday(ctx, loyalty.ByEmail("ana@example.com"), loyalty.CalendarDay{Day: 12, Month: time.April, Year: 1990})
	require.NoError(t, err)
	_, err = c.Customers.SetAnniversary(ctx, loyalty.ByEmail("ana@example.com"), loyalty.CalendarDay{Day: 14, Month: time.June, Year: 2019})
	require.NoError(t, err)
	d, _, err := c.Customers.Anniversary(ctx, loyalty.ByEmail("ana@example.com"))
	require.NoError(t, err)
	assert.Equal(t, &loyalty.CalendarDay{Day: 14, Month: time.June, Year: 2019}, d)
	_, err = c.Customers.RemoveAnniversary(ctx, loyalty.ByEmail("ana@example.com"))
	require.NoError(t, err)
	_, _, err = c.Customers.Anniversary(ctx, loyalty.ByEmail("ana@example.com"))
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func TestCustomersListPagesByNumber(t *testing.T) {
	page := func(n string) url.Values {
		return url.Values{"page": {n}, "per_page": {"2"}, "last_seen_at": {"2026-11-01T00:00:00Z"}}
	}
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/customers/all", Query: page("1"), Resp: `{"customers":[{"email":"a@x.io"},{"email":"b@x.io"}],"links":{"total_pages":2,"next":"?page=2"}}`},
		exchange{Method: http.MethodGet, Path: "/customers/all", Query: page("2"), Resp: `{"customers":[{"email":"c@x.io"}],"links":{"total_pages":2}}`},
	)
	c := m.client(loyalty.Yotpo)
	var got []string
	for cust, err := range c.Customers.List(context.Background(), &loyalty.CustomerListOptions{PerPage: 2, LastSeenSince: time.Date(2026, 11, 1, 1, 0, 0, 0, time.FixedZone("CET", 3600))}) {
		require.NoError(t, err)
		got = append(got, cust.Email)
	}
	assert.Equal(t, []string{"a@x.io", "b@x.io", "c@x.io"}, got)
}

func TestCustomersListDefaultsAndEmptyPage(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/customers/all", Query: url.Values{"page": {"1"}, "per_page": {"100"}, "last_seen_at": {"1970-01-01T00:00:00Z"}},
			Resp: `{"customers":[{"email":"a@x.io"}],"links":{"total_pages":9}}`},
		exchange{Method: http.MethodGet, Path: "/customers/all", Query: url.Values{"page": {"2"}, "per_page": {"100"}, "last_seen_at": {"1970-01-01T00:00:00Z"}},
			Resp: `{"customers":[],"links":{"total_pages":9}}`},
	)
	n := 0
	for _, err := range m.client(loyalty.Yotpo).Customers.List(context.Background(), nil) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 1, n, "an empty page ends the iteration even before total_pages")
}

func TestCustomersRecentFollowsTheCursor(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/customers/recent", Query: url.Values{"per_page": {"100"}},
			Resp: `{"customers":[{"email":"a@x.io"},{"email":"b@x.io"}],"metadata":{"next_page_info":"eyJsYXN0IjoyfQ","extra":1}}`},
		exchange{Method: http.MethodGet, Path: "/customers/recent", Query: url.Values{"per_page": {"100"}, "page_info": {"eyJsYXN0IjoyfQ"}},
			Resp: `{"customers":[{"email":"c@x.io"}],"metadata":{"next_page_info":null}}`},
	)
	var got []string
	for cust, err := range m.client(loyalty.Yotpo).Customers.Recent(context.Background(), nil) {
		require.NoError(t, err)
		got = append(got, cust.Email)
	}
	assert.Equal(t, []string{"a@x.io", "b@x.io", "c@x.io"}, got)
}

func TestCustomersRecentRepeatedCursorIsAnError(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/customers/recent", Query: url.Values{"per_page": {"1"}},
			Resp: `{"customers":[{"email":"a@x.io"}],"metadata":{"next_page_info":"A"}}`},
		exchange{Method: http.MethodGet, Path: "/customers/recent", Query: url.Values{"per_page": {"1"}, "page_info": {"A"}},
			Resp: `{"customers":[{"email":"b@x.io"}],"metadata":{"next_page_info":"B"}}`},
		exchange{Method: http.MethodGet, Path: "/customers/recent", Query: url.Values{"per_page": {"1"}, "page_info": {"B"}},
			Resp: `{"customers":[{"email":"c@x.io"}],"metadata":{"next_page_info":"A"}}`},
	)
	var got []string
	var last error
	for cust, err := range m.client(loyalty.Yotpo).Customers.Recent(context.Background(), &loyalty.CustomerRecentOptions{PerPage: 1}) {
		if err != nil {
			last = err
			break
		}
		got = append(got, cust.Email)
	}
	require.Error(t, last)
	assert.Contains(t, last.Error(), "repeated the page_info cursor")
	assert.Equal(t, []string{"a@x.io", "b@x.io"}, got, "the page that repeats a cursor is not yielded")
}

// Every bad input fails before any request: the mock expects none.
func TestCustomersValidateBeforeSending(t *testing.T) {
	m := newPlatformMock(t)
	c := m.client(loyalty.Yotpo)
	ctx := context.Background()
	day := loyalty.CalendarDay{Day: 1, Month: time.January}
	for _, tc := range []struct {
		name, op, field string
		call            func() error
	}{
		{"no email", "Customers.Upsert", "Email", func() error { _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "1"}); return err }},
		{"bad email", "Customers.Upsert", "Email", func() error {
			_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana"})
			return err
		}},
		{"phone not E.164", "Customers.Upsert", "Phone", func() error {
			_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "a@b.c", Phone: "0470123456"})
			return err
		}},
		{"country without phone", "Customers.Upsert", "PhoneCountry", func() error {
			_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "a@b.c", PhoneCountry: "BE"})
			return err
		}},
		{"tag with comma", "Customers.Upsert", "Tags[1]", func() error {
			_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "a@b.c", Tags: []string{"ok", "a,b"}})
			return err
		}},
		{"no identifier", "Customers.Get", "Customer", func() error { _, _, err := c.Customers.Get(ctx, loyalty.CustomerRef{}, nil); return err }},
		{"two identifiers", "Customers.Get", "Customer", func() error {
			_, _, err := c.Customers.Get(ctx, loyalty.CustomerRef{Email: "a@b.c", ID: "1"}, nil)
			return err
		}},
		{"adjust by phone", "Customers.AdjustPoints", "Customer.Phone", func() error {
			_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByPhone("+14155550123", ""), Points: 1})
			return err
		}},
		{"adjust zero", "Customers.AdjustPoints", "Points", func() error {
			_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("1")})
			return err
		}},
		{"action without name", "Customers.RecordAction", "Name", func() error {
			_, err := c.Customers.RecordAction(ctx, loyalty.Action{Customer: loyalty.ByID("1")})
			return err
		}},
		{"action negative points", "Customers.RecordAction", "Points", func() error {
			_, err := c.Customers.RecordAction(ctx, loyalty.Action{Customer: loyalty.ByID("1"), Name: "x", Points: loyalty.Ptr[int64](-1)})
			return err
		}},
		{"day 32", "Customers.SetBirthday", "Day.Day", func() error {
			_, err := c.Customers.SetBirthday(ctx, loyalty.ByID("1"), loyalty.CalendarDay{Day: 32, Month: time.January})
			return err
		}},
		{"30 February", "Customers.SetBirthday", "Day.Day", func() error {
			_, err := c.Customers.SetBirthday(ctx, loyalty.ByID("1"), loyalty.CalendarDay{Day: 30, Month: time.February})
			return err
		}},
		{"29 February 2023", "Customers.SetAnniversary", "Day.Day", func() error {
			_, err := c.Customers.SetAnniversary(ctx, loyalty.ByEmail("a@b.c"), loyalty.CalendarDay{Day: 29, Month: time.February, Year: 2023})
			return err
		}},
		{"month 13", "Customers.SetAnniversary", "Day.Month", func() error {
			_, err := c.Customers.SetAnniversary(ctx, loyalty.ByEmail("a@b.c"), loyalty.CalendarDay{Day: 1, Month: 13})
			return err
		}},
		{"2-digit year", "Customers.SetBirthday", "Day.Year", func() error {
			_, err := c.Customers.SetBirthday(ctx, loyalty.ByID("1"), loyalty.CalendarDay{Day: 1, Month: 1, Year: 90})
			return err
		}},
		{"anniversary by id", "Customers.Anniversary", "Customer.ID", func() error {
			_, _, err := c.Customers.Anniversary(ctx, loyalty.ByID("1"))
			return err
		}},
		{"remove anniversary by id", "Customers.RemoveAnniversary", "Customer.ID", func() error {
			_, err := c.Customers.RemoveAnniversary(ctx, loyalty.ByID("1"))
			return err
		}},
		{"set anniversary by id", "Customers.SetAnniversary", "Customer.ID", func() error {
			_, err := c.Customers.SetAnniversary(ctx, loyalty.ByID("1"), day)
			return err
		}},
		{"list per page", "Customers.List", "PerPage", func() error {
			for _, err := range c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 101}) {
				return err
			}
			return nil
		}},
		{"recent per page", "Customers.Recent", "PerPage", func() error {
			for _, err := range c.Customers.Recent(ctx, &loyalty.CustomerRecentOptions{PerPage: -1}) {
				return err
			}
			return nil
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var ie *loyalty.InputError
			err := tc.call()
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.op, ie.Op)
			assert.Equal(t, tc.field, ie.Field)
		})
	}
}

func TestCommerceServicesNeedACommercePlatform(t *testing.T) {
	m := newPlatformMock(t)
	c := m.client(loyalty.Qualifio)
	_, _, err := c.Customers.Get(context.Background(), loyalty.ByEmail("a@b.c"), nil)
	assert.ErrorIs(t, err, loyalty.ErrNotConfigured)
	assert.Contains(t, err.Error(), "WithYotpo")
	_, _, err = c.Orders.Create(context.Background(), loyalty.Order{ID: "1"})
	assert.ErrorIs(t, err, loyalty.ErrNotConfigured)
	n := 0
	for cust, err := range c.Customers.List(context.Background(), nil) {
		n++
		assert.Nil(t, cust)
		assert.ErrorIs(t, err, loyalty.ErrNotConfigured)
	}
	assert.Equal(t, 1, n, "the error is yielded once")
}

func TestCustomersListWithoutTotalPagesStopsAtAShortPage(t *testing.T) {
	q := func(n string) url.Values {
		return url.Values{"page": {n}, "per_page": {"2"}, "last_seen_at": {"1970-01-01T00:00:00Z"}}
	}
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/customers/all", Query: q("1"), Resp: `{"customers":[{"email":"a@x.io"},{"email":"b@x.io"}]}`},
		exchange{Method: http.MethodGet, Path: "/customers/all", Query: q("2"), Resp: `{"customers":[{"email":"c@x.io"}],"links":{}}`},
	)
	n := 0
	for _, err := range m.client(loyalty.Yotpo).Customers.List(context.Background(), &loyalty.CustomerListOptions{PerPage: 2}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 3, n)
}

func TestAnniversariesAreYotpoOnly(t *testing.T) {
	m := newPlatformMock(t) // no request may come
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	day := loyalty.CalendarDay{Day: 1, Month: time.January}
	_, _, err := c.Customers.Anniversary(ctx, loyalty.ByEmail("a@b.c"))
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
	assert.Contains(t, err.Error(), "yotpo does")
	_, err = c.Customers.SetAnniversary(ctx, loyalty.ByEmail("a@b.c"), day)
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
	_, err = c.Customers.RemoveAnniversary(ctx, loyalty.ByEmail("a@b.c"))
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
}

// TestCustomersDecodeOddShapes: each of these shapes has been seen or is
// plausible from Yotpo; none may fail the call or hide the other fields.
func TestCustomersDecodeOddShapes(t *testing.T) {
	q := url.Values{"customer_email": {"ana@example.com"}, "with_history": {"false"}, "with_referral_code": {"false"}}
	cases := []struct {
		name, body string
		check      func(t *testing.T, c *loyalty.Customer)
	}{
		{"bool as string", `{"email":"ana@example.com","has_store_account":"true","opt_in":"false"}`, func(t *testing.T, c *loyalty.Customer) {
			assert.True(t, c.Yotpo.HasStoreAccount)
			assert.False(t, c.OptIn)
		}},
		{"opt_in as string true", `{"email":"ana@example.com","opt_in":"true"}`, func(t *testing.T, c *loyalty.Customer) {
			assert.True(t, c.OptIn)
		}},
		{"phone as number", `{"email":"ana@example.com","phone_number":32470123456}`, func(t *testing.T, c *loyalty.Customer) {
			assert.Equal(t, "32470123456", c.Phone)
		}},
		{"requirements as array", `{"email":"ana@example.com","vip_tier_upgrade_requirements":[],"vip_tier_maintenance_requirements":"","vip_tier_actions_completed":null}`, func(t *testing.T, c *loyalty.Customer) {
			assert.Equal(t, loyalty.VIPRequirements{}, c.Yotpo.VIPUpgradeNeeds)
		}},
		{"referral link as empty string", `{"email":"ana@example.com","referral_link":"","referral_code":[]}`, func(t *testing.T, c *loyalty.Customer) {
			assert.Equal(t, "", c.ReferralLink)
		}},
		{"referral link as a URL string", `{"email":"ana@example.com","referral_link":"http://rwrd.io/y6nz1a6"}`, func(t *testing.T, c *loyalty.Customer) {
			assert.Equal(t, "http://rwrd.io/y6nz1a6", c.ReferralLink)
		}},
		{"referral link under the key the vendor page spells referal_link", `{"email":"ana@example.com","referal_link":{"link":"rwrd.io/abc123","code":"abc123","expired":true}}`, func(t *testing.T, c *loyalty.Customer) {
			assert.Equal(t, "rwrd.io/abc123", c.ReferralLink)
			assert.Equal(t, "abc123", c.ReferralCode)
			assert.True(t, c.Yotpo.ReferralLinkExpired)
		}},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/customers", Query: q, Resp: tc.body})
			c, _, err := m.client(loyalty.Yotpo).Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), nil)
			require.NoError(t, err)
			assert.Equal(t, "ana@example.com", c.Email, "the other fields are read")
			tc.check(t, c)
		})
	}
}

func TestCustomersListKeepsTheCustomersAroundAnOddOne(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/customers/all",
		Query: url.Values{"page": {"1"}, "per_page": {"100"}, "last_seen_at": {"1970-01-01T00:00:00Z"}},
		Resp:  `{"customers":[{"email":"a@x.io"},{"email":"b@x.io","has_store_account":"true","referral_link":""},{"email":"c@x.io"}],"links":{"total_pages":1}}`})
	var emails []string
	for c, err := range m.client(loyalty.Yotpo).Customers.List(context.Background(), nil) {
		require.NoError(t, err)
		emails = append(emails, c.Email)
	}
	assert.Equal(t, []string{"a@x.io", "b@x.io", "c@x.io"}, emails)
}

func TestCustomersAnniversaryWithoutADayIsNotFound(t *testing.T) {
	q := url.Values{"customer_email": {"ana@example.com"}}
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/customer_anniversary", Query: q, Resp: `{}`},
		exchange{Method: http.MethodGet, Path: "/customer_anniversary", Query: q, Resp: `{"day":31,"month":2,"year":null}`},
	)
	c := m.client(loyalty.Yotpo)
	for range 2 {
		d, _, err := c.Customers.Anniversary(context.Background(), loyalty.ByEmail("ana@example.com"))
		assert.ErrorIs(t, err, loyalty.ErrNotFound)
		assert.Nil(t, d)
	}
}

func TestCustomersListYieldsAPagesGoodCustomersBeforeABadItem(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/customers/all",
		Query: url.Values{"page": {"1"}, "per_page": {"100"}, "last_seen_at": {"1970-01-01T00:00:00Z"}},
		Resp:  `{"customers":[{"email":"a@x.io"},"not a customer",{"email":"c@x.io"}],"links":{"total_pages":2}}`})
	var emails []string
	var errs []error
	for c, err := range m.client(loyalty.Yotpo).Customers.List(context.Background(), nil) {
		if err != nil {
			errs = append(errs, err)
			continue
		}
		emails = append(emails, c.Email)
	}
	assert.Equal(t, []string{"a@x.io", "c@x.io"}, emails)
	require.Len(t, errs, 1, "the bad item is reported once, last")
	assert.Contains(t, errs[0].Error(), "customer 1 of the page")
}

// Fields only Influence.io takes are refused on Yotpo rather than dropped.
func TestCustomersUpsertRefusesInfluenceIOFieldsOnYotpo(t *testing.T) {
	m := newPlatformMock(t)
	_, _, err := m.client(loyalty.Yotpo).Customers.Upsert(context.Background(), loyalty.CustomerInput{
		ID: "C-1", Email: "a@example.com", InfluenceIO: &loyalty.InfluenceIOCustomerInput{},
	})
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "InfluenceIO", ie.Field)
	assert.Empty(t, m.requests())
}

// A referral link is an object or a URL string, both without a decode
// issue; any other JSON type is one.
func TestCustomerReferralLinkShapes(t *testing.T) {
	q := url.Values{"customer_email": {"ana@example.com"}, "with_history": {"false"}, "with_referral_code": {"false"}}
	for body, issue := range map[string]string{
		`{"email":"ana@example.com","referral_link":"http://rwrd.io/y6nz1a6"}`: "",
		`{"email":"ana@example.com","referral_link":{"link":"rwrd.io/a"}}`:     "",
		`{"email":"ana@example.com","referral_link":42}`:                       "want object or string, got number",
	} {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/customers", Query: q, Resp: body})
		_, resp, err := m.client(loyalty.Yotpo, loyalty.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil)))).Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), nil)
		require.NoError(t, err)
		if issue == "" {
			assert.Empty(t, resp.DecodeIssues, body)
			continue
		}
		require.Len(t, resp.DecodeIssues, 1, body)
		assert.Equal(t, "referral_link", resp.DecodeIssues[0].Field)
		assert.Equal(t, issue, resp.DecodeIssues[0].Problem)
	}
}
