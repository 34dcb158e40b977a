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
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/referral/referrer", Body: `{"email":"ana@example.com","first_name":"Ana"}`,
			Resp: `{"email":"ana@example.com","first_name":"Ana","last_name":"","third_party_id":"C-1042","points_balance":350,
			  "referral_link":{"link":"rwrd.io/ana42","code":"ana42","expired":false,"customer_id":"C-1042"}}`},
		// A legacy account answers the old referral_code object; the
		// referrer is found or created, so a 503 is retried.
		exchange{Method: http.MethodPost, Path: "/referral/referrer", Body: `{"email":"bram@example.com"}`, Status: http.StatusServiceUnavailable},
		exchange{Method: http.MethodPost, Path: "/referral/referrer", Body: `{"email":"bram@example.com"}`,
			Resp: `{"email":"bram@example.com","referral_code":{"code":"bram7","expired":true,"total_clicks":3}}`},
	)
	c := m.client(loyalty.Yotpo)
	r, _, err := c.Referrals.Referrer(context.Background(), loyalty.ReferrerInput{Email: "ana@example.com", FirstName: "Ana"})
	require.NoError(t, err)
	assert.Equal(t, "ana@example.com", r.Email)
	assert.Equal(t, "Ana", r.FirstName)
	assert.Equal(t, "C-1042", r.ID)
	assert.Equal(t, "rwrd.io/ana42", r.ReferralLink)
	assert.Equal(t, "ana42", r.ReferralCode)
	assert.Equal(t, int64(350), r.PointsBalance, "the customer object is decoded as Customers.Get decodes it")
	assert.False(t, r.Yotpo.ReferralLinkExpired)
	assert.Contains(t, string(r.Raw), "points_balance")
	r, _, err = c.Referrals.Referrer(context.Background(), loyalty.ReferrerInput{Email: "bram@example.com"})
	require.NoError(t, err)
	assert.Equal(t, "bram7", r.ReferralCode)
	assert.True(t, r.Yotpo.ReferralLinkExpired)
	assert.Empty(t, r.ReferralLink)
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
		assert.Empty(t, r.ReferralLink)
	}
}
