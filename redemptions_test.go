package loyalty_test

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

// A realistic option list: unknown fields, an unknown discount type, cents
// as a string, a null cart minimum.
const optionsResp = `[
 {"id": 11, "name": "$5 off", "description": "Five dollars", "icon": "fa-gift", "cost_text": "500 points",
  "amount": 500, "applies_to_product_type": "ALL", "duration": "single_use", "type": "shopify_fixed_amount_coupon",
  "discount_type": "fixed_amount", "discount_amount_cents": "500", "discount_rate_cents": 0, "discount_value_cents": 500,
  "discount_percentage": null, "unrendered_name": "{{amount}} off", "unrendered_description": "", "cart_greater_than": null,
  "discount_with_currency": "$5", "brand_new_field": {"x": 1}},
 {"id": 12, "name": "Mystery", "amount": 100, "discount_type": "hologram", "discount_percentage": 12.5, "cart_greater_than": 2000,
  "created_at": "2024-05-01 10:00:00"}
]`

func TestRedemptionOptionsRequest(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/redemption_options", Resp: optionsResp},
		exchange{Method: http.MethodGet, Path: "/redemption_options",
			Query: url.Values{"customer_email": {"ana@example.com"}, "is_offline": {"false"}, "discount_type": {"percentage"}}, Resp: `[]`},
		exchange{Method: http.MethodGet, Path: "/redemption_options", Query: url.Values{"phone_number": {"+14155550123"}}, Resp: `[]`},
	)
	c := m.client(loyalty.Yotpo)
	ctx := context.Background()
	opts := collect(t, c.Redemptions.Options(ctx, nil))
	require.Len(t, opts, 2)
	o := opts[0]
	assert.Equal(t, int64(11), o.ID)
	assert.Equal(t, int64(500), o.Points)
	assert.Equal(t, loyalty.DiscountFixedAmount, o.DiscountType)
	assert.Equal(t, loyalty.Money{Minor: 500}, o.DiscountAmount)
	assert.Equal(t, "$5", o.DiscountWithCurrency)
	assert.Nil(t, o.CartGreaterThan)
	assert.Contains(t, string(o.Raw), "brand_new_field")
	assert.Equal(t, loyalty.DiscountType("hologram"), opts[1].DiscountType)
	assert.Equal(t, 12.5, opts[1].DiscountPercentage)
	require.NotNil(t, opts[1].CartGreaterThan)
	assert.Equal(t, int64(2000), *opts[1].CartGreaterThan)

	ref := loyalty.ByEmail("ana@example.com")
	assert.Empty(t, collect(t, c.Redemptions.Options(ctx, &loyalty.RedemptionOptionFilter{
		Eligible: &ref, Offline: loyalty.Ptr(false), DiscountType: loyalty.DiscountPercentage})))
	phone := loyalty.ByPhone("+14155550123", "")
	assert.Empty(t, collect(t, c.Redemptions.Options(ctx, &loyalty.RedemptionOptionFilter{Eligible: &phone})))
}

func TestRedemptionOptionsRejectsBeforeSending(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.Yotpo)
	var ie *loyalty.InputError
	for field, ref := range map[string]loyalty.CustomerRef{
		"Eligible.POSAccountID": loyalty.ByPOSAccount("pos-1"),
		"Eligible.PhoneCountry": loyalty.ByPhone("4155550123", "US"),
		"Eligible":              {},
		"Eligible.Email":        loyalty.ByEmail("not-an-email"),
	} {
		err := firstErr(c.Redemptions.Options(context.Background(), &loyalty.RedemptionOptionFilter{Eligible: &ref}))
		require.ErrorAs(t, err, &ie, field)
		assert.Equal(t, "Redemptions.Options", ie.Op)
		assert.Equal(t, field, ie.Field)
	}
}

func TestRedeemRequest(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/redemptions",
			Body: `{"customer_email":"ana@example.com","redemption_option_id":11,"delay_points_deduction":true,"points_to_redeem":750,"currency":"USD"}`,
			Resp: `{"id": 9001, "reward_text": "SWELL-5OFF-X8T2", "approved": false, "approved_at": null,
			        "created_at": "2024-05-02T08:00:00.000Z", "updated_at": "2024-05-02 08:00:01", "is_pos": false, "status": "weird"}`},
		exchange{Method: http.MethodPost, Path: "/redemptions",
			Body: `{"pos_account_id":"pos-7","redemption_option_id":12,"coupon_code":"MYCODE","discount_amount_cents":1250,"currency":"EUR"}`,
			Resp: `{"id": "9002", "reward_text": "MYCODE", "approved": true, "approved_at": "2024-05-02T08:00:00Z"}`},
		// Every field of https://loyaltyapi.yotpo.com/reference/create-redemption.
		exchange{Method: http.MethodPost, Path: "/redemptions", Body: `{"customer_id":"C-1","redemption_option_id":13}`,
			Resp: `{"id": 9003, "reward_text": "SWELL-10OFF-K2", "approved": true, "approved_at": "2024-05-02T08:00:00Z",
			        "created_at": "2024-05-02T08:00:00Z", "updated_at": "2024-05-02T08:00:00Z", "code": "SWELL-10OFF-K2",
			        "token": "tok-1b9", "third_party_id": 1218455, "third_party_rule_id": "gid://shopify/PriceRule/77",
			        "is_admin": true, "is_pos": "true", "at_checkout": true}`},
	)
	c := m.client(loyalty.Yotpo)
	rd, _, err := c.Redemptions.Redeem(context.Background(), loyalty.RedeemInput{
		Customer: loyalty.ByEmail("ana@example.com"), OptionID: 11, DelayDeduction: true, Points: 750, Currency: "USD"})
	require.NoError(t, err)
	assert.Equal(t, int64(9001), rd.ID)
	assert.Equal(t, "SWELL-5OFF-X8T2", rd.CouponCode)
	assert.False(t, rd.Approved)
	assert.True(t, rd.ApprovedAt.IsZero())
	assert.Equal(t, time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC), rd.CreatedAt)
	assert.Equal(t, time.Date(2024, 5, 2, 8, 0, 1, 0, time.UTC), rd.UpdatedAt)
	assert.Contains(t, string(rd.Raw), `"status"`)

	rd, _, err = c.Redemptions.Redeem(context.Background(), loyalty.RedeemInput{
		Customer: loyalty.ByPOSAccount("pos-7"), OptionID: 12, CouponCode: "MYCODE", Discount: loyalty.Ptr(loyalty.NewMoney(1250, "EUR"))})
	require.NoError(t, err)
	assert.Equal(t, int64(9002), rd.ID)
	assert.True(t, rd.Approved)

	rd, _, err = c.Redemptions.Redeem(context.Background(), loyalty.RedeemInput{Customer: loyalty.ByID("C-1"), OptionID: 13})
	require.NoError(t, err)
	at := time.Date(2024, 5, 2, 8, 0, 0, 0, time.UTC)
	assert.Equal(t, loyalty.Redemption{
		ID: 9003, CouponCode: "SWELL-10OFF-K2", Approved: true, ApprovedAt: at, CreatedAt: at, UpdatedAt: at,
		Code: "SWELL-10OFF-K2", Token: "tok-1b9", ThirdPartyID: "1218455", ThirdPartyRuleID: "gid://shopify/PriceRule/77",
		IsAdmin: true, IsPOS: true, AtCheckout: true, Raw: rd.Raw,
	}, *rd)
}

func TestRedeemValidation(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.Yotpo)
	ok := loyalty.ByEmail("ana@example.com")
	for field, in := range map[string]loyalty.RedeemInput{
		"Customer":              {OptionID: 1},
		"Customer.PhoneCountry": {Customer: loyalty.ByPhone("4155550123", "US"), OptionID: 1},
		"OptionID":              {Customer: ok},
		"Points":                {Customer: ok, OptionID: 1, Points: -1},
		"Currency":              {Customer: ok, OptionID: 1, Currency: "usd"},
		"Discount":              {Customer: ok, OptionID: 1, Discount: loyalty.Ptr(loyalty.NewMoney(-1, "EUR"))},
		"Discount.Currency":     {Customer: ok, OptionID: 1, Currency: "USD", Discount: loyalty.Ptr(loyalty.NewMoney(1, "EUR"))},
	} {
		_, _, err := c.Redemptions.Redeem(context.Background(), in)
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, field)
		assert.Equal(t, field, ie.Field)
	}
}

func TestRedeemIsNotRetriedAfterSending(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/redemptions",
		Body: `{"customer_id":"C-1","redemption_option_id":3}`, Status: http.StatusServiceUnavailable})
	c := m.client(loyalty.Yotpo)
	_, _, err := c.Redemptions.Redeem(context.Background(), loyalty.RedeemInput{Customer: loyalty.ByID("C-1"), OptionID: 3})
	assert.ErrorIs(t, err, loyalty.ErrServer)
	assert.Len(t, m.requests(), 1, "a redemption is never resent")
}

func TestConfirmCancellationRequest(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/redemptions/9001/cancellation_completed",
		Body: `{"reward_text":"SWELL-5OFF-X8T2"}`, Resp: `{}`})
	c := m.client(loyalty.Yotpo)
	_, err := c.Redemptions.ConfirmCancellation(context.Background(), 9001, "SWELL-5OFF-X8T2")
	require.NoError(t, err)
	var ie *loyalty.InputError
	_, err = c.Redemptions.ConfirmCancellation(context.Background(), 0, "X")
	require.ErrorAs(t, err, &ie)
	_, err = c.Redemptions.ConfirmCancellation(context.Background(), 1, "")
	require.ErrorAs(t, err, &ie)
}

// Every method of the Yotpo-only services fails before sending on a Client
// whose commerce platform is Influence.io, or that has no Yotpo.
func TestYotpoOnlyServices(t *testing.T) {
	ctx := context.Background()
	calls := map[string]func(c *loyalty.Client) error{
		"Redemptions.Options": func(c *loyalty.Client) error { return firstErr(c.Redemptions.Options(ctx, nil)) },
		"Redemptions.Redeem": func(c *loyalty.Client) error {
			_, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: loyalty.ByID("x"), OptionID: 1})
			return err
		},
		"Redemptions.ConfirmCancellation": func(c *loyalty.Client) error {
			_, err := c.Redemptions.ConfirmCancellation(ctx, 1, "X")
			return err
		},
		"Coupons.Get": func(c *loyalty.Client) error { _, _, err := c.Coupons.Get(ctx, "X", nil); return err },
		"Coupons.Upload": func(c *loyalty.Client) error {
			_, err := c.Coupons.Upload(ctx, 1, []string{"X"})
			return err
		},
		"Campaigns.List": func(c *loyalty.Client) error { return firstErr(c.Campaigns.List(ctx, nil)) },
		"Tiers.List":     func(c *loyalty.Client) error { return firstErr(c.Tiers.List(ctx)) },
		"Referrals.Share": func(c *loyalty.Client) error {
			_, err := c.Referrals.Share(ctx, loyalty.ShareInput{Email: "a@example.com", Friends: []string{"b@example.com"}})
			return err
		},
		"Referrals.Referrer": func(c *loyalty.Client) error {
			_, _, err := c.Referrals.Referrer(ctx, loyalty.ReferrerInput{Email: "a@example.com"})
			return err
		},
		"Privacy.DataExists":  func(c *loyalty.Client) error { _, _, err := c.Privacy.DataExists(ctx, "a@example.com"); return err },
		"Privacy.RequestData": func(c *loyalty.Client) error { _, err := c.Privacy.RequestData(ctx, "a@example.com"); return err },
		"Privacy.Anonymize":   func(c *loyalty.Client) error { _, err := c.Privacy.Anonymize(ctx, "a@example.com", nil); return err },
	}
	influence := newPlatformMock(t).client(loyalty.InfluenceIO)
	monterosa := newPlatformMock(t).client(loyalty.Monterosa)
	for op, call := range calls {
		err := call(influence)
		assert.ErrorIs(t, err, loyalty.ErrNotSupported, op)
		assert.ErrorContains(t, err, op)
		assert.ErrorContains(t, err, "yotpo does")
		err = call(monterosa)
		assert.ErrorIs(t, err, loyalty.ErrNotConfigured, op)
		assert.False(t, errors.Is(err, loyalty.ErrNotSupported), op)
	}
}

// TestRedeemSucceededWithAnUnreadableBody: once Yotpo answered 200 the
// points are spent; a body the SDK cannot read must not look like a failure
// the caller would answer by redeeming again.
func TestRedeemSucceededWithAnUnreadableBody(t *testing.T) {
	body := `{"customer_id":"C-1","redemption_option_id":3}`
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/redemptions", Body: body},                          // empty body
		exchange{Method: http.MethodPost, Path: "/redemptions", Body: body, Resp: `<html>ok</html>`}, // not JSON
		exchange{Method: http.MethodPost, Path: "/redemptions", Body: body, Resp: `["odd"]`},         // not an object
	)
	c := m.client(loyalty.Yotpo)
	for range 3 {
		rd, resp, err := c.Redemptions.Redeem(context.Background(), loyalty.RedeemInput{Customer: loyalty.ByID("C-1"), OptionID: 3})
		require.NoError(t, err)
		require.NotNil(t, rd)
		assert.Equal(t, http.StatusOK, resp.StatusCode)
		assert.Empty(t, rd.CouponCode, "unknown: the history has it")
	}
}
