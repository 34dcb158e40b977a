//go:build live

package loyalty_test

// Live contract test of the Yotpo rewards services: read-mostly, so it is
// safe on a real account. Run with
//
//	YOTPO_GUID=... YOTPO_API_KEY=... [YOTPO_BASE_URL=...] go test -tags live -run Live .
//
// or against `go run ./cmd/loyaltyfake`, exporting what its banner prints.

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// liveRewardsClient builds a Client from the live variables, with Yotpo's
// documented rate limit kept on.
func liveRewardsClient(t *testing.T) *loyalty.Client {
	t.Helper()
	env := liveEnv(t, "YOTPO_GUID", "YOTPO_API_KEY")
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{
		GUID: env["YOTPO_GUID"], APIKey: env["YOTPO_API_KEY"], BaseURL: liveOptional("YOTPO_BASE_URL"),
	}), liveDecodeIssues(t))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections) // the server outlives the test: the package's goleak check must see no keep-alive left
	return c
}

func TestLiveYotpoRewardsReads(t *testing.T) {
	c := liveRewardsClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()

	for opt, err := range c.Redemptions.Options(ctx, nil) {
		require.NoError(t, err)
		assert.NotZero(t, opt.ID)
		assert.NotEmpty(t, opt.Raw)
	}
	for opt, err := range c.Redemptions.Options(ctx, &loyalty.RedemptionOptionFilter{Offline: loyalty.Ptr(false), DiscountType: loyalty.DiscountFixedAmount}) {
		require.NoError(t, err)
		assert.Equal(t, loyalty.DiscountFixedAmount, opt.DiscountType)
	}
	for cp, err := range c.Campaigns.List(ctx, &loyalty.CampaignListOptions{WithStatus: true}) {
		require.NoError(t, err)
		assert.NotZero(t, cp.ID)
		assert.NotEmpty(t, cp.Type)
	}
	for tier, err := range c.Tiers.List(ctx) {
		require.NoError(t, err)
		assert.NotEmpty(t, tier.Name)
	}
}

func TestLiveYotpoReferrerAndPrivacy(t *testing.T) {
	c := liveRewardsClient(t)
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	b := make([]byte, 8)
	_, _ = rand.Read(b)
	email := "loyalty-go-live+" + hex.EncodeToString(b) + "@example.com"

	exists, _, err := c.Privacy.DataExists(ctx, email)
	require.NoError(t, err)
	assert.False(t, exists, "a fresh address has no data")

	// Nobody holds that address: an eligibility filter names no customer.
	ref := loyalty.ByEmail(email)
	for _, err := range c.Redemptions.Options(ctx, &loyalty.RedemptionOptionFilter{Eligible: &ref}) {
		if err != nil {
			assert.ErrorIs(t, err, loyalty.ErrNotFound)
		}
	}

	// The one write: find-or-create the address as a referrer, then
	// anonymize it. Yotpo may anonymize asynchronously, so what
	// DataExists says afterwards is only logged.
	r, _, err := c.Referrals.Referrer(ctx, loyalty.ReferrerInput{Email: email, FirstName: "Live"})
	require.NoError(t, err)
	assert.Equal(t, email, r.Email)
	assert.NotEmpty(t, r.Link, "a referrer has a link")
	exists, _, err = c.Privacy.DataExists(ctx, email)
	require.NoError(t, err)
	assert.True(t, exists)
	_, err = c.Privacy.Anonymize(ctx, email, nil)
	require.NoError(t, err)
	exists, _, err = c.Privacy.DataExists(ctx, email)
	require.NoError(t, err)
	t.Logf("data exists right after anonymizing: %v", exists)
}
