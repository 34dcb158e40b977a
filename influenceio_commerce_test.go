package loyalty_test

// Customers and Orders on Influence.io: the exact requests of each method,
// realistic answers with fields nobody
// modelled, and the calls Influence.io does not offer.

import (
	"context"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// A realistic REST customer: the documented fields, some the SDK keeps only
// in Raw (social flags, stamps), a numeric phone and a string balance.
const influenceCustomerResp = `{"customer":{"id":"0f5c2d1e-9a7b-4c3d-8e2f-1a2b3c4d5e6f","externalId":"C 1/a","email":"ana@example.com",
 "firstName":"Ana","lastName":"Peeters","name":"Ana Peeters","phone":"+32470123456","birthdayMonth":4,"birthdayDay":12,
 "acceptsMarketing":true,"tags":["vip","nl"],"pointBalance":"350","referralLink":"https://influence.io/r/abc",
 "currentLoyaltyTier":{"id":"t1","title":"Silver"},"currentLoyaltyTierId":"t1","currentMembershipId":"default",
 "lastSeenAt":"2024-05-01T12:31:00Z","createdAt":"2024-01-03T09:00:00Z","updatedAt":"2024-05-01T12:31:00.250Z",
 "customerType":"member","shareFacebook":false,"currentLoyaltyTierProgress":201,"referralsCompleted":"2","lifetimeStampsEarned":3,
 "currentMembership":{"id":"default","title":"Members","iconType":"star","perks":["Free shipping"]}}}`

func TestInfluenceIOCustomersUpsertRequest(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPut, Path: "/v1/customers/C%201%2Fa",
			Header: map[string]string{"x-api-key": "mock-key", "Content-Type": "application/json"},
			Body: `{"email":"ana@example.com","firstName":"Ana","lastName":"Peeters","name":"Ana P.","phone":"+32470123456",
			  "acceptsMarketing":false,"tags":["vip","nl"]}`,
			Resp: influenceCustomerResp},
		// Only what is set goes: no tags, no name, no marketing flag.
		exchange{Method: http.MethodPut, Path: "/v1/customers/C-2", Body: `{"email":"bo@example.com"}`,
			Resp: `{"customer":{"externalId":"C-2","email":"bo@example.com","pointBalance":0,"currentMembershipId":null}}`},
	)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	cu, resp, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C 1/a", Email: "ana@example.com", FirstName: "Ana", LastName: "Peeters",
		Phone: "+32470123456", Tags: []string{"vip", "nl"}, OptIn: loyalty.Ptr(true),
		InfluenceIO: &loyalty.InfluenceIOCustomerInput{Name: "Ana P.", AcceptsMarketing: loyalty.Ptr(false)}})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "C 1/a", cu.ID, "Customer.ID is your id (externalId), not Influence.io's")
	assert.Equal(t, "ana@example.com", cu.Email)
	assert.Equal(t, "Ana", cu.FirstName)
	assert.Equal(t, "+32470123456", cu.Phone)
	assert.Equal(t, []string{"vip", "nl"}, cu.Tags)
	assert.True(t, cu.OptIn)
	assert.Equal(t, int64(350), cu.PointsBalance, "a balance sent as a string is read")
	assert.Equal(t, "Silver", cu.Tier)
	assert.Equal(t, "https://influence.io/r/abc", cu.ReferralLink)
	assert.Equal(t, &loyalty.CalendarDay{Day: 12, Month: time.April}, cu.Birthday)
	assert.Equal(t, time.Date(2024, 5, 1, 12, 31, 0, 0, time.UTC), cu.LastSeenAt)
	assert.Nil(t, cu.Yotpo)
	require.NotNil(t, cu.InfluenceIO)
	assert.Equal(t, loyalty.InfluenceIOCustomer{ID: "0f5c2d1e-9a7b-4c3d-8e2f-1a2b3c4d5e6f", Name: "Ana Peeters", AcceptsMarketing: true,
		TierID: "t1", MembershipID: "default", Membership: &loyalty.InfluenceIOMembership{ID: "default", Title: "Members", Perks: []string{"Free shipping"}},
		CustomerType: "member", ReferralsCompleted: 2, TierProgress: 201, CreatedAt: time.Date(2024, 1, 3, 9, 0, 0, 0, time.UTC),
		UpdatedAt: time.Date(2024, 5, 1, 12, 31, 0, 25e7, time.UTC)}, *cu.InfluenceIO)
	assert.Contains(t, string(cu.Raw), `"lifetimeStampsEarned"`)

	cu, _, err = c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-2", Email: "bo@example.com"})
	require.NoError(t, err)
	assert.False(t, cu.OptIn, "a null membership is a customer removed from the program")
	assert.Nil(t, cu.Birthday)
}

func TestInfluenceIOCustomersGetAndBirthdayRequests(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/v1/customers/C%201%2Fa", Resp: influenceCustomerResp},
		exchange{Method: http.MethodGet, Path: "/v1/customers/nobody", Status: http.StatusNotFound, Resp: `{"message":"Customer not found"}`},
		exchange{Method: http.MethodPut, Path: "/v1/customers/C-1", Body: `{"birthdayMonth":2,"birthdayDay":29}`, Resp: influenceCustomerResp},
	)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	cu, _, err := c.Customers.Get(ctx, loyalty.ByID("C 1/a"), &loyalty.CustomerGetOptions{WithReferralCode: true})
	require.NoError(t, err)
	assert.Equal(t, "Ana Peeters", cu.InfluenceIO.Name)
	_, _, err = c.Customers.Get(ctx, loyalty.ByID("nobody"), nil)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	_, err = c.Customers.SetBirthday(ctx, loyalty.ByID("C-1"), loyalty.CalendarDay{Day: 29, Month: time.February, Year: 1992})
	require.NoError(t, err)
}

func TestInfluenceIOCustomersRefuseBeforeSending(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.InfluenceIO) // no request may come
	ctx := context.Background()
	inputField := func(name string, err error, field string) {
		t.Helper()
		var ie *loyalty.InputError
		if assert.ErrorAs(t, err, &ie, name) {
			assert.Equal(t, field, ie.Field, name)
		}
	}
	for name, tt := range map[string]struct {
		in    loyalty.CustomerInput
		field string
	}{
		"no id":          {loyalty.CustomerInput{Email: "a@example.com"}, "ID"},
		"dot id":         {loyalty.CustomerInput{ID: "..", Email: "a@example.com"}, "ID"},
		"national phone": {loyalty.CustomerInput{ID: "C", Email: "a@example.com", Phone: "0470123456", PhoneCountry: "BE"}, "PhoneCountry"},
		"opt out":        {loyalty.CustomerInput{ID: "C", Email: "a@example.com", OptIn: loyalty.Ptr(false)}, "OptIn"},
		"yotpo fields":   {loyalty.CustomerInput{ID: "C", Email: "a@example.com", Yotpo: &loyalty.YotpoCustomerInput{POSAccountID: "1"}}, "Yotpo"},
	} {
		_, _, err := c.Customers.Upsert(ctx, tt.in)
		inputField(name, err, tt.field)
	}
	_, _, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil)
	inputField("get by email", err, "Customer.Email")
	assert.ErrorIs(t, err, loyalty.ErrNotSupported, "no list filter finds a customer by e-mail")
	assert.Contains(t, err.Error(), "ByID")
	assert.Contains(t, err.Error(), "https://developer.influence.io/reference/get_v1-customers")
	_, _, err = c.Customers.Get(ctx, loyalty.ByID("C-1"), &loyalty.CustomerGetOptions{WithHistory: true})
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
	assert.Contains(t, err.Error(), "yotpo")

	// Points: Influence.io lists a deduction whose path is not published;
	// the refusal says so rather than that none exists.
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: -5})
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
	assert.Contains(t, err.Error(), "yotpo")
	assert.Contains(t, err.Error(), "path is not published")
	assert.Contains(t, err.Error(), "https://developer.influence.io/reference/post_v1-customers-customerid-points")
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: 5, Hidden: true})
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1")})
	inputField("no points, no rule", err, "Points")
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("a@example.com"), Points: 5})
	inputField("award by email", err, "Customer.Email")

	_, err = firstErrOf(c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 101}))
	inputField("page too big", err, "PerPage")
	_, err = firstErrOf(c.Customers.List(ctx, &loyalty.CustomerListOptions{InfluenceIO: &loyalty.InfluenceIOCustomerFilter{PointBalanceMin: loyalty.Ptr(int64(-1))}}))
	inputField("negative bound", err, "InfluenceIO.PointBalanceMin")

	_, _, err = c.Orders.Update(ctx, "O-1", loyalty.OrderUpdate{})
	inputField("empty update", err, "OrderUpdate")
	_, _, err = c.Orders.Update(ctx, "..", loyalty.OrderUpdate{Status: loyalty.OrderPaid})
	inputField("dot-dot order", err, "orderID")
	_, _, err = c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerID: "C-1", Total: loyalty.NewMoney(1, "EUR"), Yotpo: &loyalty.YotpoOrder{ClerkName: "x"}})
	inputField("yotpo order fields", err, "Yotpo")
}

// Yotpo-only calls fail on an Influence.io client before any request, naming
// Yotpo; Influence.io-only calls fail on a Yotpo client naming Influence.io.
func TestCommerceCallsOfOnePlatformOnly(t *testing.T) {
	ctx := context.Background()
	ic := newPlatformMock(t).client(loyalty.InfluenceIO)
	day := loyalty.CalendarDay{Day: 1, Month: time.May}
	yotpoOnly := map[string]error{}
	_, _, yotpoOnly["Anniversary"] = ic.Customers.Anniversary(ctx, loyalty.ByEmail("a@example.com"))
	_, yotpoOnly["SetAnniversary"] = ic.Customers.SetAnniversary(ctx, loyalty.ByEmail("a@example.com"), day)
	_, yotpoOnly["RemoveAnniversary"] = ic.Customers.RemoveAnniversary(ctx, loyalty.ByEmail("a@example.com"))
	_, yotpoOnly["RecordAction"] = ic.Customers.RecordAction(ctx, loyalty.Action{Customer: loyalty.ByID("C"), Name: "x"})
	_, yotpoOnly["Recent"] = firstErrOf(ic.Customers.Recent(ctx, nil))
	_, _, yotpoOnly["DataExists"] = ic.Privacy.DataExists(ctx, "a@example.com")
	_, yotpoOnly["RequestData"] = ic.Privacy.RequestData(ctx, "a@example.com")
	_, yotpoOnly["Anonymize"] = ic.Privacy.Anonymize(ctx, "a@example.com", nil)
	_, yotpoOnly["Options"] = firstErrOf(ic.Redemptions.Options(ctx, nil))
	_, _, yotpoOnly["Redeem"] = ic.Redemptions.Redeem(ctx, loyalty.RedeemInput{})
	_, yotpoOnly["ConfirmCancellation"] = ic.Redemptions.ConfirmCancellation(ctx, 1, "X")
	_, yotpoOnly["Campaigns"] = firstErrOf(ic.Campaigns.List(ctx, nil))
	_, yotpoOnly["Tiers"] = firstErrOf(ic.Tiers.List(ctx))
	_, yotpoOnly["Share"] = ic.Referrals.Share(ctx, loyalty.ShareInput{})
	_, _, yotpoOnly["Referrer"] = ic.Referrals.Referrer(ctx, loyalty.ReferrerInput{})
	_, _, yotpoOnly["Coupons.Get"] = ic.Coupons.Get(ctx, "X", nil)
	for name, err := range yotpoOnly {
		assert.ErrorIs(t, err, loyalty.ErrNotSupported, name)
		if err != nil {
			assert.Contains(t, err.Error(), "yotpo does", name)
		}
	}

	yc := newPlatformMock(t).client(loyalty.Yotpo)
	influenceOnly := map[string]error{}
	_, _, influenceOnly["EnrollMembership"] = yc.Customers.EnrollMembership(ctx, loyalty.ByID("C"), "")
	_, _, influenceOnly["RemoveMembership"] = yc.Customers.RemoveMembership(ctx, loyalty.ByID("C"))
	_, _, influenceOnly["Orders.Update"] = yc.Orders.Update(ctx, "O-1", loyalty.OrderUpdate{Status: loyalty.OrderPaid})
	for name, err := range influenceOnly {
		assert.ErrorIs(t, err, loyalty.ErrNotSupported, name)
		if err != nil {
			assert.Contains(t, err.Error(), "influenceio does", name)
		}
	}
	var ie *loyalty.InputError
	_, err := firstErrOf(yc.Customers.List(ctx, &loyalty.CustomerListOptions{InfluenceIO: &loyalty.InfluenceIOCustomerFilter{}}))
	assert.ErrorAs(t, err, &ie)
	_, _, err = yc.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C"), Points: 1, InfluenceIO: &loyalty.InfluenceIOPoints{EarnRuleID: "r"}})
	assert.ErrorAs(t, err, &ie)

	none, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "i", ClientSecret: "s"}))
	require.NoError(t, err)
	_, _, err = none.Customers.Get(ctx, loyalty.ByID("C"), nil)
	assert.ErrorIs(t, err, loyalty.ErrNotConfigured)
	assert.Contains(t, err.Error(), "WithInfluenceIO")
}

func TestInfluenceIOCustomersAdjustPointsRequest(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/v1/customers/C-1/points", Body: `{"points":120,"action":"Welcome bonus"}`, Resp: influenceCustomerResp},
		exchange{Method: http.MethodPost, Path: "/v1/customers/C-1/points", Body: `{"earnRuleId":"rule-signup","updateLastSeenAt":false}`, Resp: influenceCustomerResp},
		exchange{Method: http.MethodPost, Path: "/v1/customers/nobody/points", Body: `{"points":1}`, Status: http.StatusNotFound, Resp: `{"message":"Customer not found"}`},
	)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	rec, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: 120, Earned: true, HistoryTitle: "Welcome bonus"})
	require.NoError(t, err)
	assert.Equal(t, loyalty.AdjustmentRecord{}, *rec, "Influence.io answers the customer, not a record")
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"),
		InfluenceIO: &loyalty.InfluenceIOPoints{EarnRuleID: "rule-signup", UpdateLastSeenAt: loyalty.Ptr(false)}})
	require.NoError(t, err)
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("nobody"), Points: 1})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

// An award is not de-duplicated: a 503 is not retried.
func TestInfluenceIOCustomersAdjustPointsNotRetried(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/v1/customers/C-1/points", Body: `{"points":5}`, Status: http.StatusServiceUnavailable, Resp: `{"message":"busy"}`})
	_, _, err := m.client(loyalty.InfluenceIO).Customers.AdjustPoints(context.Background(), loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: 5})
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Attempts)
}

func TestInfluenceIOCustomersMembershipRequests(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/v1/customers/C-1/membership/remove", Resp: `{"customer":{"externalId":"C-1","currentMembershipId":null}}`},
		exchange{Method: http.MethodPost, Path: "/v1/customers/C-1/membership/enroll", Resp: `{"customer":{"externalId":"C-1","currentMembershipId":"default"}}`},
		exchange{Method: http.MethodPost, Path: "/v1/customers/C-1/membership/enroll", Body: `{"membershipId":"vip-club"}`,
			Resp: `{"customer":{"externalId":"C-1","currentMembershipId":"vip-club","extra":[1]}}`},
		exchange{Method: http.MethodPost, Path: "/v1/customers/nobody/membership/remove", Status: http.StatusNotFound, Resp: `{"message":"Customer not found"}`},
	)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	cu, _, err := c.Customers.RemoveMembership(ctx, loyalty.ByID("C-1"))
	require.NoError(t, err)
	assert.False(t, cu.OptIn)
	assert.Empty(t, cu.InfluenceIO.MembershipID)
	cu, _, err = c.Customers.EnrollMembership(ctx, loyalty.ByID("C-1"), "")
	require.NoError(t, err)
	assert.True(t, cu.OptIn)
	cu, _, err = c.Customers.EnrollMembership(ctx, loyalty.ByID("C-1"), "vip-club")
	require.NoError(t, err)
	assert.Equal(t, "vip-club", cu.InfluenceIO.MembershipID)
	_, _, err = c.Customers.RemoveMembership(ctx, loyalty.ByID("nobody"))
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func TestInfluenceIOCustomersListRequests(t *testing.T) {
	since := time.Date(2024, 1, 1, 0, 0, 0, 0, time.FixedZone("CET", 3600))
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/v1/customers", Query: url.Values{
			"limit": {"2"}, "lastSeenAtMin": {"2023-12-31T23:00:00Z"}, "lastSeenAtMax": {"2024-06-01T00:00:00Z"},
			"pointBalanceMin": {"0"}, "pointBalanceMax": {"500"}, "createdAtMin": {"2023-01-01T00:00:00Z"},
			"createdAtMax": {"2024-02-01T00:00:00Z"}, "updatedAtMin": {"2023-06-01T00:00:00Z"}, "updatedAtMax": {"2024-03-01T00:00:00Z"},
		}, Resp: `{"customers":[{"externalId":"A","pointBalance":1,"odd":true},{"externalId":"B"}],"cursor":"eyJwIjoyfQ","total":3}`},
		// With a cursor every filter stays home: the cursor carries them.
		exchange{Method: http.MethodGet, Path: "/v1/customers", Query: url.Values{"cursor": {"eyJwIjoyfQ"}},
			Resp: `{"customers":[{"externalId":"C"}],"cursor":null}`},
	)
	c := m.client(loyalty.InfluenceIO)
	got := collect(t, c.Customers.List(context.Background(), &loyalty.CustomerListOptions{PerPage: 2, LastSeenSince: since,
		InfluenceIO: &loyalty.InfluenceIOCustomerFilter{PointBalanceMin: loyalty.Ptr(int64(0)), PointBalanceMax: loyalty.Ptr(int64(500)),
			CreatedAtMin: time.Date(2023, 1, 1, 0, 0, 0, 0, time.UTC), CreatedAtMax: time.Date(2024, 2, 1, 0, 0, 0, 0, time.UTC),
			UpdatedAtMin: time.Date(2023, 6, 1, 0, 0, 0, 0, time.UTC), UpdatedAtMax: time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC),
			LastSeenAtMax: time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)}}))
	var ids []string
	for _, cu := range got {
		ids = append(ids, cu.ID)
	}
	assert.Equal(t, []string{"A", "B", "C"}, ids)
}

func TestInfluenceIOCustomersListEdges(t *testing.T) {
	ctx := context.Background()
	t.Run("404 is an empty list", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/v1/customers", Query: url.Values{"limit": {"100"}},
			Status: http.StatusNotFound, Resp: `{"message":"Not found"}`})
		n, err := firstErrOf(m.client(loyalty.InfluenceIO).Customers.List(ctx, nil))
		assert.NoError(t, err)
		assert.Zero(t, n)
	})
	t.Run("404 after the first page is an error", func(t *testing.T) {
		m := newPlatformMock(t,
			exchange{Method: http.MethodGet, Path: "/v1/customers", Query: url.Values{"limit": {"100"}}, Resp: `{"customers":[{"externalId":"A"}],"cursor":"x"}`},
			exchange{Method: http.MethodGet, Path: "/v1/customers", Query: url.Values{"cursor": {"x"}}, Status: http.StatusNotFound, Resp: `{"message":"gone"}`})
		n, err := firstErrOf(m.client(loyalty.InfluenceIO).Customers.List(ctx, nil))
		assert.ErrorIs(t, err, loyalty.ErrNotFound)
		assert.Equal(t, 1, n)
	})
	t.Run("a repeated cursor stops", func(t *testing.T) {
		m := newPlatformMock(t,
			exchange{Method: http.MethodGet, Path: "/v1/customers", Query: url.Values{"limit": {"100"}}, Resp: `{"customers":[{"externalId":"A"}],"cursor":"x"}`},
			exchange{Method: http.MethodGet, Path: "/v1/customers", Query: url.Values{"cursor": {"x"}}, Resp: `{"customers":[{"externalId":"B"}],"cursor":"x"}`})
		n, err := firstErrOf(m.client(loyalty.InfluenceIO).Customers.List(ctx, nil))
		require.Error(t, err)
		assert.Contains(t, err.Error(), `repeated the cursor "x"`)
		assert.Equal(t, 1, n, "the page that repeats a cursor is not yielded, as on Yotpo")
	})
	t.Run("a bad item does not hide its page", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/v1/customers", Query: url.Values{"limit": {"100"}},
			Resp: `{"customers":[{"externalId":"A"},"oops",{"externalId":"B"}],"cursor":""}`})
		n, err := firstErrOf(m.client(loyalty.InfluenceIO).Customers.List(ctx, nil))
		require.Error(t, err)
		assert.Equal(t, 2, n)
	})
}

// A realistic order answer: the request fields as stored, prices as numbers
// and strings, the flags, and fields nobody modelled.
const influenceOrderResp = `{"order":{"id":"O-77812","customerId":"C-1","email":"ana@example.com","currency":"EUR","totalPrice":"0.30",
 "subtotalPrice":0.3,"createdAt":"2024-05-01T12:00:00Z","financialStatus":"paid",
 "lineItems":[{"productId":"P-1","variantId":"S","title":"Tee","quantity":2,"price":0.1,"sku":"T-S"},{"productId":"P-2","title":"Cap","quantity":1,"price":"0.10"}],
 "discountCodes":[{"code":"FRIEND-5","amount":5,"type":"fixed_amount"},{"code":"TEN","amount":10,"type":"percentage"}],
 "pointsAwarded":true,"pointsRefunded":false,"updatedAt":"2024-05-01T12:00:01Z","source":"api","channel":{"name":"web"}}}`

func TestInfluenceIOOrdersCreateRequest(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/v1/orders",
		Header: map[string]string{"x-api-key": "mock-key", "Content-Type": "application/json"},
		// Every plain order field is a string, prices too
		// (https://developer.influence.io/reference/patch_v1-orders-orderid).
		Body: `{"id":"O-77812","customerId":"C-1","email":"ana@example.com","currency":"EUR","totalPrice":"0.30","subtotalPrice":"0.25",
		  "createdAt":"2024-05-01T12:00:00Z","financialStatus":"paid",
		  "lineItems":[{"productId":"P-1","variantId":"S","title":"Tee","quantity":2,"price":"0.10"},{"productId":"P-2","title":"Cap","quantity":1,"price":"0.10"}],
		  "discountCodes":[{"code":"FRIEND-5","amount":"5.00","type":"fixed_amount"},{"code":"TEN","amount":"10","type":"percentage"}]}`,
		Status: http.StatusCreated, Resp: influenceOrderResp})
	c := m.client(loyalty.InfluenceIO)
	eur := func(minor int64) loyalty.Money { return loyalty.NewMoney(minor, "EUR") }
	o := loyalty.Order{ID: "O-77812", CustomerID: "C-1", CustomerEmail: "ana@example.com", Total: eur(30), Subtotal: loyalty.Ptr(eur(25)), Status: loyalty.OrderPaid,
		CreatedAt: time.Date(2024, 5, 1, 14, 0, 0, 0, time.FixedZone("CEST", 7200)),
		Items:     []loyalty.OrderItem{{ID: "P-1", VariantID: "S", Name: "Tee", Price: eur(10), Quantity: 2}, {ID: "P-2", Name: "Cap", Price: eur(10), Quantity: 1}},
		Discounts: []loyalty.OrderDiscount{{Code: "FRIEND-5", Amount: loyalty.Ptr(eur(500)), Type: loyalty.DiscountFixedAmount}, {Code: "TEN", Type: loyalty.DiscountPercentage, Percent: "10"}},
		// Not Influence.io order fields: not sent.
		Tax: loyalty.Ptr(eur(5)), Tags: []string{"web"}, IPAddress: "192.0.2.1"}
	res, resp, err := c.Orders.Create(context.Background(), o)
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, loyalty.Ptr(true), res.PointsAwarded)
	assert.Equal(t, loyalty.Ptr(false), res.PointsRefunded)
	assert.Equal(t, eur(30), res.Order.Total, "0.1 + 0.2 read back exactly")
	assert.Equal(t, loyalty.Ptr(eur(30)), res.Order.Subtotal, "subtotalPrice read back")
	assert.Equal(t, loyalty.OrderPaid, res.Order.Status)
	assert.Equal(t, "C-1", res.Order.CustomerID)
	assert.Equal(t, time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC), res.Order.CreatedAt)
	assert.Equal(t, []loyalty.OrderItem{{ID: "P-1", VariantID: "S", Name: "Tee", Price: eur(10), Quantity: 2}, {ID: "P-2", Name: "Cap", Price: eur(10), Quantity: 1}}, res.Order.Items)
	assert.Equal(t, o.Discounts, res.Order.Discounts)
	assert.Contains(t, string(res.Raw), `"channel"`)
}

// A percentage code carries its percent, never a Money amount.
func TestInfluenceIOOrdersPercentDiscounts(t *testing.T) {
	m := newPlatformMock(t)
	c := m.client(loyalty.InfluenceIO)
	for field, d := range map[string]loyalty.OrderDiscount{
		"Discounts[0].Amount":  {Code: "TEN", Type: loyalty.DiscountPercentage, Amount: loyalty.Ptr(loyalty.NewMoney(10, "EUR"))},
		"Discounts[0].Percent": {Code: "TEN", Type: loyalty.DiscountFixedAmount, Percent: "10"},
	} {
		_, _, err := c.Orders.Create(context.Background(), loyalty.Order{ID: "O", CustomerEmail: "a@example.com",
			Total: loyalty.NewMoney(100, "EUR"), Discounts: []loyalty.OrderDiscount{d}})
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, field)
		assert.Equal(t, field, ie.Field)
	}
	_, _, err := c.Orders.Create(context.Background(), loyalty.Order{ID: "O", CustomerEmail: "a@example.com",
		Total: loyalty.NewMoney(100, "EUR"), Discounts: []loyalty.OrderDiscount{{Code: "TEN", Type: loyalty.DiscountPercentage, Percent: "ten"}}})
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Empty(t, m.requests())
}

func TestInfluenceIOOrdersMoneyOnTheWire(t *testing.T) {
	for _, tt := range []struct {
		m    loyalty.Money
		wire string
	}{{loyalty.NewMoney(500, "JPY"), "500"}, {loyalty.NewMoney(1250, "KWD"), "1.250"}, {loyalty.NewMoney(1, "KWD"), "0.001"}} {
		m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/v1/orders",
			Body:   `{"id":"O","email":"a@example.com","currency":"` + tt.m.Currency + `","totalPrice":"` + tt.wire + `"}`,
			Status: http.StatusCreated, Resp: `{"order":{"id":"O","currency":"` + tt.m.Currency + `","totalPrice":"` + tt.wire + `"}}`})
		res, _, err := m.client(loyalty.InfluenceIO).Orders.Create(context.Background(), loyalty.Order{ID: "O", CustomerEmail: "a@example.com", Total: tt.m})
		require.NoError(t, err)
		assert.Equal(t, tt.m, res.Order.Total)
		assert.Nil(t, res.PointsAwarded, "no flag in the answer: not known")
	}
}

// Create is retried, as Influence.io refuses a resent id; a 409, whether it
// answers the SDK's own retry or a repeat of yours, is the order recorded
// already: no error, as on Yotpo, and nothing recorded twice.
func TestInfluenceIOOrdersCreateRetrySafety(t *testing.T) {
	body := `{"id":"O-1","email":"a@example.com","currency":"EUR","totalPrice":"1.00"}`
	o := loyalty.Order{ID: "O-1", CustomerEmail: "a@example.com", Total: loyalty.NewMoney(100, "EUR")}
	for name, first := range map[string]*exchange{
		"409 after a retry": {Method: http.MethodPost, Path: "/v1/orders", Body: body, Status: http.StatusBadGateway, Resp: `{"message":"upstream"}`},
		"409 after a 429":   {Method: http.MethodPost, Path: "/v1/orders", Body: body, Status: http.StatusTooManyRequests, RespHeader: map[string]string{"Retry-After": "0"}},
		"409 at once":       nil,
	} {
		t.Run(name, func(t *testing.T) {
			ex := []exchange{{Method: http.MethodPost, Path: "/v1/orders", Body: body, Status: http.StatusConflict, Resp: `{"message":"Order already exists"}`}}
			if first != nil {
				ex = append([]exchange{*first}, ex...)
			}
			m := newPlatformMock(t, ex...)
			res, resp, err := m.client(loyalty.InfluenceIO).Orders.Create(context.Background(), o)
			require.NoError(t, err, "a repeated order id is not an error")
			assert.Equal(t, http.StatusConflict, resp.StatusCode, "the Response says what the platform answered")
			assert.Equal(t, o, res.Order)
			assert.Nil(t, res.PointsAwarded)
			assert.Nil(t, res.PointsRefunded)
		})
	}
	t.Run("a 2xx without a body keeps the order sent", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/v1/orders", Body: body, Status: http.StatusCreated, Resp: `not json`})
		res, _, err := m.client(loyalty.InfluenceIO).Orders.Create(context.Background(), o)
		require.NoError(t, err)
		assert.Equal(t, o, res.Order)
	})
}

func TestInfluenceIOOrdersUpdateAndRefundRequests(t *testing.T) {
	stored := func(status string) string {
		return `{"order":{"id":"O/1","currency":"JPY","totalPrice":"1500","financialStatus":"` + status + `"}}`
	}
	m := newPlatformMock(t,
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{"financialStatus":"paid","currency":"JPY","totalPrice":"1500","subtotalPrice":"1400",
		  "lineItems":[{"productId":"P-1","title":"Tea","quantity":3,"price":"500"}],"discountCodes":[]}`,
			Resp: `{"order":{"id":"O/1","currency":"JPY","totalPrice":1500,"financialStatus":"paid","pointsAwarded":true,"pointsRefunded":false,"lineItems":[{"productId":"P-1","quantity":3,"price":500}]}}`},
		// Refund of part: read the order with an update that changes
		// nothing, then the update Influence.io documents, nothing else.
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{}`, Resp: stored("paid")},
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{"financialStatus":"partially_refunded"}`,
			Resp: `{"order":{"id":"O/1","financialStatus":"partially_refunded","pointsAwarded":true,"pointsRefunded":true}}`},
		// A Total equal to the order's total refunds it whole.
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{}`, Resp: stored("partially_refunded")},
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{"financialStatus":"refunded"}`, Resp: `{"order":{"id":"O/1"}}`},
		// Above the total, in another currency, or after a whole refund:
		// refused after the read, nothing sent.
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{}`, Resp: stored("paid")},
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{}`, Resp: stored("paid")},
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{}`, Resp: stored("refunded")},
		// Full alone: no amount to check, no read.
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O%2F1", Body: `{"financialStatus":"refunded"}`, Resp: `{"order":{"id":"O/1"}}`},
		exchange{Method: http.MethodPatch, Path: "/v1/orders/nope", Body: `{}`, Status: http.StatusNotFound, Resp: `{"message":"Order not found"}`},
	)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	jpy := func(minor int64) loyalty.Money { return loyalty.NewMoney(minor, "JPY") }
	res, _, err := c.Orders.Update(ctx, "O/1", loyalty.OrderUpdate{Status: loyalty.OrderPaid, Total: loyalty.Ptr(jpy(1500)), Subtotal: loyalty.Ptr(jpy(1400)),
		Items: []loyalty.OrderItem{{ID: "P-1", Name: "Tea", Price: jpy(500), Quantity: 3}}, Discounts: []loyalty.OrderDiscount{}})
	require.NoError(t, err)
	assert.Equal(t, jpy(1500), res.Order.Total)
	assert.Equal(t, loyalty.Ptr(true), res.PointsAwarded)
	_, err = c.Orders.Refund(ctx, loyalty.Refund{ID: "R-1", OrderID: "O/1", Total: jpy(500), Items: []loyalty.OrderItem{{ID: "P-1", Quantity: 1}}})
	require.NoError(t, err)
	_, err = c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O/1", Total: jpy(1500)})
	require.NoError(t, err)
	for _, r := range []loyalty.Refund{{OrderID: "O/1", Total: jpy(1501)}, {OrderID: "O/1", Total: loyalty.NewMoney(100, "EUR")}, {OrderID: "O/1", Total: jpy(1)}} {
		_, err = c.Orders.Refund(ctx, r)
		assert.ErrorIs(t, err, loyalty.ErrInvalid, r.Total.String())
		assert.Contains(t, err.Error(), "nothing was refunded")
	}
	_, err = c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O/1", Full: true})
	require.NoError(t, err)
	_, err = c.Orders.Refund(ctx, loyalty.Refund{OrderID: "nope", Total: jpy(1)})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

// An update is idempotent: retried on a server error.
func TestInfluenceIOOrdersUpdateRetried(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O-1", Body: `{"financialStatus":"paid"}`, Status: http.StatusServiceUnavailable, Resp: `{"message":"busy"}`},
		exchange{Method: http.MethodPatch, Path: "/v1/orders/O-1", Body: `{"financialStatus":"paid"}`, Resp: `{"order":{"id":"O-1","financialStatus":"paid"}}`})
	res, _, err := m.client(loyalty.InfluenceIO).Orders.Update(context.Background(), "O-1", loyalty.OrderUpdate{Status: loyalty.OrderPaid})
	require.NoError(t, err)
	assert.Equal(t, loyalty.OrderPaid, res.Order.Status)
	assert.False(t, errors.Is(err, loyalty.ErrMaybeApplied))
}

// A stored total that does not fit the currency's minor digits is not
// rounded: the result keeps the total sent (the raw answer has the rest).
func TestInfluenceIOOrdersInexactTotalIsNotRounded(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/v1/orders",
		Body:   `{"id":"O","email":"a@example.com","currency":"USD","totalPrice":"0.30"}`,
		Status: http.StatusCreated, Resp: `{"order":{"id":"O","currency":"USD","totalPrice":0.30000000000000004,"lineItems":[{"productId":"P","price":"x","quantity":"2"}]}}`})
	res, _, err := m.client(loyalty.InfluenceIO).Orders.Create(context.Background(), loyalty.Order{ID: "O", CustomerEmail: "a@example.com", Total: loyalty.NewMoney(30, "USD")})
	require.NoError(t, err)
	assert.Equal(t, loyalty.NewMoney(30, "USD"), res.Order.Total)
	require.Len(t, res.Order.Items, 1)
	assert.Equal(t, 2, res.Order.Items[0].Quantity, "a quantity sent as a string is read")
	assert.Zero(t, res.Order.Items[0].Price, "an unreadable price stays zero")
}
