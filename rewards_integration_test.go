package loyalty_test

import (
	"context"
	"crypto/rand"
	"crypto/rsa"
	"fmt"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// frozenClock is a settable clock for loyaltytest.WithClock.
type frozenClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *frozenClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *frozenClock) Add(d time.Duration) {
	c.mu.Lock()
	c.t = c.t.Add(d)
	c.mu.Unlock()
}

// 200 users, each with their own token, report actions concurrently through
// one Client; each profile shows only that user's progress.
func TestRewardsManyUsersOneClient(t *testing.T) {
	srv := loyaltytest.New(t)
	const kinds = 4
	space := loyaltytest.MonterosaSpace{Metrics: []loyaltytest.MonterosaMetric{{ID: "xp", DefaultValue: 0}}}
	for k := range kinds {
		space.Challenges = append(space.Challenges, loyaltytest.MonterosaChallenge{
			ID:       fmt.Sprint("c-", k),
			Missions: []loyaltytest.MonterosaMission{{ID: fmt.Sprint("m-", k), Type: fmt.Sprint("act-", k)}},
			Rewards:  []loyaltytest.MonterosaReward{{Type: loyaltytest.MonterosaRewardMetric, MetricID: "xp", MetricQuantity: float64(10 * (k + 1))}},
		})
	}
	srv.Monterosa().SetConfig(space)
	c := srv.Client()
	ctx := context.Background()

	const users = 200
	var wg sync.WaitGroup
	errs := make(chan error, users)
	for i := range users {
		wg.Add(1)
		go func() {
			defer wg.Done()
			token := fmt.Sprint("fan-", i) // the fake's plain tokens name their user
			fan := c.Rewards.ForUser(token)
			if i%2 == 1 {
				fan = c.Rewards.ForUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: token}))
			}
			k := i % kinds
			if _, err := fan.ReportAction(ctx, loyalty.RewardsAction{Name: fmt.Sprint("act-", k), Data: map[string]any{"fan": i}}); err != nil {
				errs <- err
				return
			}
			p, _, err := fan.Profile(ctx)
			if err != nil {
				errs <- err
				return
			}
			want := fmt.Sprint("c-", k)
			if len(p.Challenges) != 1 || !p.Challenges[want].IsCompleted || p.Metrics["xp"] != float64(10*(k+1)) {
				errs <- fmt.Errorf("fan %d sees %+v", i, p)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	// The Client's own user did nothing.
	p, _, err := c.Rewards.Profile(ctx)
	require.NoError(t, err)
	assert.Empty(t, p.Challenges)
	assert.Empty(t, p.Metrics)
}

// An action completes a mission, the next one the challenge: its rewards
// appear in the profile, each notification comes once, and the history
// lists the transactions in order.
func TestRewardsMissionChallengeRewards(t *testing.T) {
	clk := &frozenClock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	srv := loyaltytest.New(t, loyaltytest.WithClock(clk.Now))
	srv.Monterosa().SetConfig(loyaltytest.MonterosaSpace{
		Metrics:   []loyaltytest.MonterosaMetric{{ID: "xp", Title: "XP", DefaultValue: 100, MaximumValue: 1000}},
		Inventory: []loyaltytest.MonterosaInventorySet{{ID: "badges", Items: []loyaltytest.MonterosaItem{{ID: "warmup"}}}},
		Challenges: []loyaltytest.MonterosaChallenge{{
			ID: "c-1", Title: "Matchday warm-up",
			Notification: loyaltytest.MonterosaNotification{Display: "toast", Title: "Challenge complete"},
			Missions: []loyaltytest.MonterosaMission{
				{ID: "m-1", Type: "video_watched", Notification: loyaltytest.MonterosaNotification{Display: "none", Title: "Video"}},
				{ID: "m-2", Type: "quiz_answered"},
			},
			Rewards: []loyaltytest.MonterosaReward{
				{Type: loyaltytest.MonterosaRewardMetric, MetricID: "xp", MetricQuantity: 50},
				{Type: loyaltytest.MonterosaRewardInventory, InventorySetID: "badges", InventoryItemID: "warmup"},
			},
		}},
	})
	ana := srv.Client().Rewards.ForUser("ana")
	ctx := context.Background()

	cfg, _, err := ana.Config(ctx)
	require.NoError(t, err)
	require.Len(t, cfg.Challenges, 1)
	assert.Equal(t, []string{"m-1", "m-2"}, []string{cfg.Challenges[0].Missions[0].ID, cfg.Challenges[0].Missions[1].ID})

	_, err = ana.ReportAction(ctx, loyalty.RewardsAction{Name: "video_watched", Data: map[string]any{"videoId": "v-1", "seconds": 95, "completed": true}})
	require.NoError(t, err)
	p, _, err := ana.Profile(ctx)
	require.NoError(t, err)
	assert.Equal(t, loyalty.ChallengeProgress{MissionsCompleted: []string{"m-1"}}, p.Challenges["c-1"])
	xp, _ := p.MetricValue(cfg, "xp")
	assert.Equal(t, 100.0, xp, "no reward before the challenge completes: the default")

	clk.Add(time.Second)
	_, err = ana.ReportAction(ctx, loyalty.RewardsAction{Name: "quiz_answered"})
	require.NoError(t, err)
	p, _, err = ana.Profile(ctx)
	require.NoError(t, err)
	assert.Equal(t, loyalty.ChallengeProgress{IsCompleted: true, MissionsCompleted: []string{"m-1", "m-2"}}, p.Challenges["c-1"])
	assert.Equal(t, 150.0, p.Metrics["xp"])
	assert.Equal(t, []string{"warmup"}, p.Inventory["badges"])

	ns, _, err := ana.Notifications(ctx)
	require.NoError(t, err)
	require.Len(t, ns, 3)
	assert.Equal(t, []loyalty.RewardsEventType{loyalty.RewardsMissionCompleted, loyalty.RewardsMissionCompleted, loyalty.RewardsChallengeCompleted},
		[]loyalty.RewardsEventType{ns[0].Type, ns[1].Type, ns[2].Type})
	done := ns[2]
	assert.Equal(t, loyalty.DisplayToast, done.Display)
	assert.Equal(t, "Challenge complete", done.Title)
	assert.Equal(t, map[string]loyalty.MetricChange{"xp": {OldValue: 100, NewValue: 150}}, done.Payload.MetricChanges)
	assert.Equal(t, []loyalty.InventoryRef{{SetID: "badges", ItemID: "warmup"}}, done.Payload.InventoryChanges.Received)
	assert.Equal(t, clk.Now(), ns[1].Timestamp, "epoch ms read back as the fake's clock")
	assert.True(t, done.Timestamp.After(ns[1].Timestamp))
	again, _, err := ana.Notifications(ctx)
	require.NoError(t, err)
	assert.Empty(t, again, "a notification is returned once")

	var hist []*loyalty.RewardsHistoryItem
	for it, err := range ana.History(ctx, nil) {
		require.NoError(t, err)
		hist = append(hist, it)
	}
	require.Len(t, hist, 3)
	for i, it := range hist {
		assert.Equal(t, ns[i].ID, it.ID)
		assert.Equal(t, ns[i].Type, it.Type)
		assert.Equal(t, ns[i].Payload, it.Payload)
		if i > 0 {
			assert.True(t, it.Timestamp.After(hist[i-1].Timestamp), "ascending")
		}
	}
}

// A history of 151 items pages by 100 and stops at to.
func TestRewardsHistoryPagingThroughFake(t *testing.T) {
	clk := &frozenClock{t: time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC)}
	srv := loyaltytest.New(t, loyaltytest.WithClock(clk.Now))
	var missions []loyaltytest.MonterosaMission
	for i := range 150 {
		missions = append(missions, loyaltytest.MonterosaMission{ID: fmt.Sprint("m-", i), Type: "tick"})
	}
	srv.Monterosa().SetConfig(loyaltytest.MonterosaSpace{Challenges: []loyaltytest.MonterosaChallenge{{ID: "big", Missions: missions}}})
	fan := srv.Client().Rewards.ForUser("fan")
	ctx := context.Background()
	_, err := fan.ReportAction(ctx, loyalty.RewardsAction{Name: "tick"})
	require.NoError(t, err)

	list := func(opts *loyalty.RewardsHistoryOptions) ([]*loyalty.RewardsHistoryItem, []url.Values) {
		t.Helper()
		before := len(srv.Requests())
		var items []*loyalty.RewardsHistoryItem
		for it, err := range fan.History(ctx, opts) {
			require.NoError(t, err)
			items = append(items, it)
		}
		var queries []url.Values
		for _, r := range srv.Requests()[before:] {
			queries = append(queries, r.Query)
		}
		return items, queries
	}
	all, queries := list(nil)
	require.Len(t, all, 151, "150 missions and the challenge")
	assert.Len(t, queries, 2)
	for i := 1; i < len(all); i++ {
		require.True(t, all[i].Timestamp.After(all[i-1].Timestamp))
	}
	assert.Equal(t, loyalty.RewardsChallengeCompleted, all[150].Type)

	// A window of 111 items, from item 10 to item 120 inclusive.
	from, to := all[10].Timestamp, all[120].Timestamp
	win, queries := list(&loyalty.RewardsHistoryOptions{From: from, To: to})
	require.Len(t, win, 111)
	assert.Equal(t, all[10].ID, win[0].ID)
	assert.Equal(t, all[120].ID, win[110].ID)
	require.Len(t, queries, 2)
	assert.Equal(t, fmt.Sprint(to.UnixMilli()), queries[1].Get("to"), "same to")
	assert.Equal(t, fmt.Sprint(all[109].Timestamp.UnixMilli()+1), queries[1].Get("from"), "from the last item + 1")
}

func TestRewardsActionTooLongRefusedBeforeSending(t *testing.T) {
	srv := loyaltytest.New(t)
	fan := srv.Client().Rewards.ForUser("fan")
	_, err := fan.ReportAction(context.Background(), loyalty.RewardsAction{Name: "comment", Data: map[string]any{"text": strings.Repeat("ü", 1025)}})
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, `Data["text"]`, ie.Field)
	assert.Empty(t, srv.Requests(), "nothing sent")
}

func TestRewardsExpiredToken(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	require.NoError(t, err)
	clk := &frozenClock{t: time.Now()}
	srv := loyaltytest.New(t, loyaltytest.WithMonterosaRS256Key(&key.PublicKey), loyaltytest.WithClock(clk.Now))
	tok, err := loyaltytest.SignMonterosaJWT(key, "ana", clk.Now().Add(time.Minute))
	require.NoError(t, err)
	ana := srv.Client().Rewards.ForUser(tok)
	ctx := context.Background()
	_, _, err = ana.Profile(ctx)
	require.NoError(t, err)

	clk.Add(time.Minute)
	_, _, err = ana.Profile(ctx)
	require.ErrorIs(t, err, loyalty.ErrUnauthorized)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Attempts, "only the caller can bring a fresh token: no retry")
	assert.NotContains(t, err.Error(), tok)
}

// A back end with a service token acts for users named by id.
func TestRewardsServiceTokenThroughFake(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithMonterosaServiceToken("svc"))
	srv.Monterosa().SetConfig(loyaltytest.MonterosaSpace{Challenges: []loyaltytest.MonterosaChallenge{{ID: "c", Missions: []loyaltytest.MonterosaMission{{ID: "m", Type: "go"}}}}})
	c := srv.Client(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: srv.URL, ServiceToken: true,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "svc"})}))
	ctx := context.Background()
	_, err := c.Rewards.ForUserID("ana").ReportAction(ctx, loyalty.RewardsAction{Name: "go"})
	require.NoError(t, err)
	p, _, err := c.Rewards.ForUser("ana").Profile(ctx)
	require.NoError(t, err)
	assert.True(t, p.Challenges["c"].IsCompleted, "the action went to ana")
	p, _, err = c.Rewards.ForUserID("bo").Profile(ctx)
	require.NoError(t, err)
	assert.Empty(t, p.Challenges)
	_, _, err = c.Rewards.Profile(ctx)
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
}
