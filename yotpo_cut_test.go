package loyalty_test

import (
	"context"
	"net/http"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// countingTransport counts the requests that reach the network.
type countingTransport struct{ n atomic.Int32 }

func (c *countingTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	c.n.Add(1)
	return http.DefaultTransport.RoundTrip(r)
}

// TestYotpoWritesCutAfterSendingAreMaybeAppliedAndSentOnce: the server reads
// each request and drops the connection. None of these writes is
// de-duplicated by Yotpo, so each must be sent exactly once and reported as
// possibly applied.
func TestYotpoWritesCutAfterSendingAreMaybeAppliedAndSentOnce(t *testing.T) {
	base := hijackServer(t)
	ctx := context.Background()
	for name, call := range map[string]func(c *loyalty.Client) error{
		"Redemptions.Redeem": func(c *loyalty.Client) error {
			_, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: loyalty.ByID("C-1"), OptionID: 3})
			return err
		},
		"Customers.RecordAction": func(c *loyalty.Client) error {
			_, err := c.Customers.RecordAction(ctx, loyalty.Action{Customer: loyalty.ByID("C-1"), Name: "follow"})
			return err
		},
		"Referrals.Share": func(c *loyalty.Client) error {
			_, err := c.Referrals.Share(ctx, loyalty.ShareInput{Email: "a@example.com", Friends: []string{"b@example.com"}})
			return err
		},
		"Coupons.Upload": func(c *loyalty.Client) error {
			_, err := c.Coupons.Upload(ctx, 3, []string{"A", "B"})
			var ue *loyalty.CouponUploadError
			if assert.ErrorAs(t, err, &ue) {
				assert.Equal(t, 0, ue.Uploaded)
			}
			return err
		},
		"Orders.Refund": func(c *loyalty.Client) error {
			_, err := c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(500, "USD")})
			return err
		},
	} {
		t.Run(name, func(t *testing.T) {
			rt := &countingTransport{}
			c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: base + mockYotpoBase}),
				loyalty.WithRetryPolicy(fastRetry), loyalty.WithHTTPClient(&http.Client{Transport: rt}))
			require.NoError(t, err)
			err = call(c)
			require.Error(t, err)
			assert.ErrorIs(t, err, loyalty.ErrMaybeApplied)
			assert.Equal(t, int32(1), rt.n.Load(), "sent exactly once")
		})
	}
}
