//go:build live

package loyalty_test

import (
	"context"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

// liveAction is the action the live tests report: a name no real space is
// likely to reward.
const liveAction = "loyalty_go_live_test"

// liveRewards exercises every endpoint but coupons (whose ids the API does
// not list) through one RewardsService.
func liveRewards(t *testing.T, r *loyalty.RewardsService) {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	cfg, _, err := r.Config(ctx)
	require.NoError(t, err)
	assert.NotNil(t, cfg.Raw)
	_, err = r.ReportAction(ctx, loyalty.RewardsAction{Name: liveAction, Data: map[string]any{"source": "loyalty-go", "n": 1, "live": true}})
	require.NoError(t, err)
	p, _, err := r.Profile(ctx)
	require.NoError(t, err)
	assert.NotNil(t, p.Raw)
	_, _, err = r.Notifications(ctx)
	require.NoError(t, err)
	var last time.Time
	n := 0
	for it, err := range r.History(ctx, &loyalty.RewardsHistoryOptions{To: time.Now().Add(time.Minute)}) {
		require.NoError(t, err)
		assert.False(t, it.Timestamp.Before(last), "history ascending")
		last = it.Timestamp
		if n++; n >= 500 {
			break
		}
	}
	_, _, err = r.Coupon(ctx, "loyalty-go-no-such-coupon")
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func liveMonterosaClient(t *testing.T, base, token string, service bool) *loyalty.Client {
	t.Helper()
	c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: base, ServiceToken: service,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token})}), liveDecodeIssues(t))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections) // the server outlives the test: the package's goleak check must see no keep-alive left
	return c
}

func TestLiveMonterosaUserToken(t *testing.T) {
	env := liveEnv(t, "MONTEROSA_SPACE_URL", "MONTEROSA_TOKEN")
	c := liveMonterosaClient(t, env["MONTEROSA_SPACE_URL"], env["MONTEROSA_TOKEN"], false)
	liveRewards(t, c.Rewards)

	// The same user through a per-user view of a Client holding another
	// token: the view's token is the one sent, so it sees the same profile.
	other := liveMonterosaClient(t, env["MONTEROSA_SPACE_URL"], "loyalty-go-some-other-token", false)
	view := other.Rewards.ForUser(env["MONTEROSA_TOKEN"])
	liveRewards(t, view)
	ctx := context.Background()
	direct, _, err := c.Rewards.Profile(ctx)
	require.NoError(t, err)
	viewed, _, err := view.Profile(ctx)
	require.NoError(t, err)
	assert.JSONEq(t, string(direct.Raw), string(viewed.Raw))
}

func TestLiveMonterosaServiceToken(t *testing.T) {
	env := liveEnv(t, "MONTEROSA_SPACE_URL", "MONTEROSA_SERVICE_TOKEN", "MONTEROSA_USER_ID")
	c := liveMonterosaClient(t, env["MONTEROSA_SPACE_URL"], env["MONTEROSA_SERVICE_TOKEN"], true)
	liveRewards(t, c.Rewards.ForUserID(env["MONTEROSA_USER_ID"]))
	_, _, err := c.Rewards.Profile(context.Background())
	var ie *loyalty.InputError
	assert.ErrorAs(t, err, &ie, "a service token without a user fails before sending")
}
