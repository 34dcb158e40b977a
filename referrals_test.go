package loyalty_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func TestReferralsShareRequest(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/referral/share",
		Body: `{"email":"ana@example.com","customer_id":"C-1042","emails":"bram@example.com,cleo@example.com"}`, Resp: `{}`})
	c := m.client(loyalty.Yotpo)
	_, err := c.Referrals.Share(context.Background(), loyalty.ShareInput{
		Email: "ana@example.com", CustomerID: "C-1042", Friends: []string{"bram@example.com", "cleo@example.com"}})
	require.NoError(t, err)
	for field, in := range map[string]loyalty.ShareInput{
		"Email":      {Friends: []string{"b@example.com"}},
		"Friends":    {Email: "a@example.com"},
		"Friends[1]": {Email: "a@example.com", Friends: []string{"b@example.com", "c@example.com,d@example.com"}},
	} {
		_, err := c.Referrals.Share(context.Background(), in)
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, field)
		assert.Equal(t, field, ie.Field)
	}
}

func TestReferralsReferrerRequest(t *testing.T) {
	// The answer of https://loyaltyapi.yotpo.com/reference/identify-referrer:
	// the link is a URL string, the code referral_discount_code.
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/referral/referrer", Body: `{"email":"ana@example.com","first_name":"Ana"}`,
			Resp: `{"id":550123,"email":"ana@example.com","merchant_id":118,"referral_link":"http://rwrd.io/ana42",
			  "referral_discount_code":"ANA-10OFF","referral_discount_code_id":"9071","referral_receipts":[{"id":1,"status":"completed"}],
			  "extra":true}`},
		// The referrer is found or created, so a 503 is retried.
		exchange{Method: http.MethodPost, Path: "/referral/referrer", Body: `{"email":"bram@example.com"}`, Status: http.StatusServiceUnavailable},
		exchange{Method: http.MethodPost, Path: "/referral/referrer", Body: `{"email":"bram@example.com"}`,
			Resp: `{"id":7,"email":"bram@example.com","referral_link":"http://rwrd.io/bram7","referral_discount_code":null,"referral_receipts":[]}`},
	)
	c := m.client(loyalty.Yotpo)
	r, _, err := c.Referrals.Referrer(context.Background(), loyalty.ReferrerInput{Email: "ana@example.com", FirstName: "Ana"})
	require.NoError(t, err)
	assert.Equal(t, int64(550123), r.ID)
	assert.Equal(t, "ana@example.com", r.Email)
	assert.Equal(t, int64(118), r.MerchantID)
	assert.Equal(t, "http://rwrd.io/ana42", r.Link)
	assert.Equal(t, "ANA-10OFF", r.DiscountCode)
	assert.Equal(t, int64(9071), r.DiscountCodeID)
	require.Len(t, r.Receipts, 1)
	assert.JSONEq(t, `{"id":1,"status":"completed"}`, string(r.Receipts[0]))
	assert.Contains(t, string(r.Raw), `"extra"`)
	r, _, err = c.Referrals.Referrer(context.Background(), loyalty.ReferrerInput{Email: "bram@example.com"})
	require.NoError(t, err)
	assert.Equal(t, "http://rwrd.io/bram7", r.Link)
	assert.Empty(t, r.DiscountCode)
	assert.Empty(t, r.Receipts)
}

func TestReferralsReferrerSucceededWithAnUnreadableBody(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/referral/referrer", Body: `{"email":"ana@example.com"}`, Resp: `not json`},
		exchange{Method: http.MethodPost, Path: "/referral/referrer", Body: `{"email":"ana@example.com"}`},
	)
	c := m.client(loyalty.Yotpo)
	for range 2 {
		r, _, err := c.Referrals.Referrer(context.Background(), loyalty.ReferrerInput{Email: "ana@example.com"})
		require.NoError(t, err)
		assert.Equal(t, "ana@example.com", r.Email)
		assert.Empty(t, r.Link)
	}
}
