package loyalty_test

import (
	"context"
	"encoding/json"
	"fmt"
	"log/slog"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

// mockAuth is the header every Rewards call sends with the mock's token.
var mockAuth = map[string]string{"Authorization": "Bearer " + mockMonterosaToken, "Accept": "application/json"}

func ok(data string) string { return `{"message":"OK","data":` + data + `,"requestId":"r-1"}` }

func TestRewardsConfig(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/api/loyalty/config", Header: mockAuth, Resp: ok(`{
		"metrics":[{"id":"xp","title":"XP","media":"https://cdn.example.com/xp.png","defaultValue":100,"minimumValue":0,"maximumValue":1000,"unit":"pts"}],
		"inventory":[{"id":"badges","title":"Badges","items":[{"id":"warmup","title":"Warm-up","media":"https://cdn.example.com/w.png","rarity":"rare"}]}],
		"challenges":[{"id":"6f2b0c8e-1d2a-4b3c-9e4f-5a6b7c8d9e0f","title":"Matchday Warm-up","subtitle":"Get ready",
			"notification":{"display":"none","title":"Challenge complete","message":"Well done"},
			"showInProfile":true,"showInRail":false,"time":{"showInUI":true,"from":1714566600000,"to":0},
			"missions":[{"id":"0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f","title":"Watch","type":"video_watched","notification":{"display":"banner","title":"Nice","message":"1/2"}}],
			"rewards":[{"type":"metric","metricId":"xp","metricQuantity":100},{"type":"inventory","inventorySetId":"badges","inventoryItemId":"warmup"},{"type":"voucher","voucherId":"v-1"}],
			"sponsor":"ACME"}],
		"milestones":[]}`)})
	c := m.client(loyalty.Monterosa)

	cfg, resp, err := c.Rewards.Config(context.Background())
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, []loyalty.Metric{{ID: "xp", Title: "XP", Media: "https://cdn.example.com/xp.png", DefaultValue: 100, MaximumValue: 1000}}, cfg.Metrics)
	assert.Equal(t, []loyalty.InventorySet{{ID: "badges", Title: "Badges", Items: []loyalty.InventoryItem{{ID: "warmup", Title: "Warm-up", Media: "https://cdn.example.com/w.png"}}}}, cfg.Inventory)
	require.Len(t, cfg.Challenges, 1)
	ch := cfg.Challenges[0]
	assert.Equal(t, "Matchday Warm-up", ch.Title)
	assert.Equal(t, loyalty.NotificationTemplate{Display: loyalty.DisplayNone, Title: "Challenge complete", Message: "Well done"}, ch.Notification)
	assert.True(t, ch.ShowInProfile)
	assert.Equal(t, loyalty.ChallengeTime{ShowInUI: true, From: time.Date(2024, 5, 1, 12, 30, 0, 0, time.UTC)}, ch.Time, "0 is no bound")
	assert.Equal(t, loyalty.NotificationDisplay("banner"), ch.Missions[0].Notification.Display, "unknown display kept")
	assert.Equal(t, "video_watched", ch.Missions[0].Type)
	assert.Equal(t, []loyalty.ChallengeReward{
		{Type: loyalty.ChallengeRewardMetric, MetricID: "xp", MetricQuantity: 100},
		{Type: loyalty.ChallengeRewardInventory, InventorySetID: "badges", InventoryItemID: "warmup"},
		{Type: "voucher"},
	}, ch.Rewards)
	assert.Contains(t, string(ch.Raw), `"sponsor":"ACME"`)
	assert.Contains(t, string(cfg.Raw), `"milestones":[]`)
}

func TestRewardsProfile(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/api/loyalty/profile", Header: mockAuth, Resp: ok(`{
		"metrics":{"xp":250},"inventory":{"badges":["warmup"]},
		"challenges":{"c-1":{"isCompleted":true,"missionsCompleted":["m-1","m-2"],"completedAt":1714566605123},"c-2":{"isCompleted":false,"missionsCompleted":[]}},
		"level":"silver"}`)})
	p, _, err := m.client(loyalty.Monterosa).Rewards.Profile(context.Background())
	require.NoError(t, err)
	assert.Equal(t, map[string]float64{"xp": 250}, p.Metrics)
	assert.Equal(t, map[string][]string{"badges": {"warmup"}}, p.Inventory)
	assert.Equal(t, map[string]loyalty.ChallengeProgress{
		"c-1": {IsCompleted: true, MissionsCompleted: []string{"m-1", "m-2"}},
		"c-2": {MissionsCompleted: []string{}},
	}, p.Challenges)
	assert.Contains(t, string(p.Raw), `"level":"silver"`)

	cfg := &loyalty.RewardsConfig{Metrics: []loyalty.Metric{{ID: "xp", DefaultValue: 100}, {ID: "coins", DefaultValue: 5}}}
	v, found := p.MetricValue(cfg, "xp")
	assert.True(t, found)
	assert.Equal(t, 250.0, v)
	v, found = p.MetricValue(cfg, "coins")
	assert.True(t, found)
	assert.Equal(t, 5.0, v, "a metric missing from the profile reads as its default")
	_, found = p.MetricValue(cfg, "gems")
	assert.False(t, found)
}

// The documented notification example, with an unknown field and type.
const notificationJSON = `{
	"id":"n-0193","timestamp":1714566605123,"type":"challengeCompleted","display":"toast",
	"title":"Challenge complete","message":"You finished Matchday Warm-up","priority":3,
	"payload":{
		"challengeId":"6f2b0c8e-1d2a-4b3c-9e4f-5a6b7c8d9e0f","missionId":"0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
		"metricChanges":{"xp":{"oldValue":100,"newValue":200}},
		"inventoryChanges":{"received":[{"setId":"badges","itemId":"warmup"}],"lost":[]},
		"milestoneChanges":{"levels":{"oldValue":"bronze","newValue":"silver"},"tiers":{"oldValue":null,"newValue":"t1"}}}}`

func TestRewardsNotifications(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/api/loyalty/notifications", Header: mockAuth,
			Resp: ok(`[` + notificationJSON + `,{"id":"n-0194","timestamp":1714566605124,"type":"streakExtended","display":"modal","payload":{}}]`)},
		exchange{Method: http.MethodGet, Path: "/api/loyalty/notifications", Header: mockAuth, Resp: ok(`[]`)},
	)
	c := m.client(loyalty.Monterosa)
	ns, _, err := c.Rewards.Notifications(context.Background())
	require.NoError(t, err)
	require.Len(t, ns, 2)
	n := ns[0]
	assert.Equal(t, "n-0193", n.ID)
	assert.Equal(t, time.UnixMilli(1714566605123).UTC(), n.Timestamp)
	assert.Equal(t, loyalty.RewardsChallengeCompleted, n.Type)
	assert.Equal(t, loyalty.DisplayToast, n.Display)
	assert.Equal(t, "You finished Matchday Warm-up", n.Message)
	assert.Equal(t, loyalty.RewardsPayload{
		ChallengeID:      "6f2b0c8e-1d2a-4b3c-9e4f-5a6b7c8d9e0f",
		MissionID:        "0c1d2e3f-4a5b-6c7d-8e9f-0a1b2c3d4e5f",
		MetricChanges:    map[string]loyalty.MetricChange{"xp": {OldValue: 100, NewValue: 200}},
		InventoryChanges: loyalty.InventoryChanges{Received: []loyalty.InventoryRef{{SetID: "badges", ItemID: "warmup"}}, Lost: []loyalty.InventoryRef{}},
		MilestoneChanges: map[string]loyalty.MilestoneChange{"levels": {OldValue: "bronze", NewValue: "silver"}, "tiers": {NewValue: "t1"}},
	}, n.Payload)
	assert.Contains(t, string(n.Raw), `"priority":3`)
	assert.Equal(t, loyalty.RewardsEventType("streakExtended"), ns[1].Type, "unknown type kept")
	assert.Equal(t, loyalty.NotificationDisplay("modal"), ns[1].Display)

	ns, _, err = c.Rewards.Notifications(context.Background())
	require.NoError(t, err)
	assert.Empty(t, ns)
}

func TestRewardsCoupon(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/api/loyalty/coupons/cp%2F1", Header: mockAuth, Resp: ok(`{
			"id":"cp/1","title":"10% off","link":"https://shop.example.com/c","coupon_id":"SUMMER","coupon_type":"code",
			"coupon_code":"SAVE10","showOnNotification":true,"expiresAt":"2026-12-31"}`)},
		exchange{Method: http.MethodGet, Path: "/api/loyalty/coupons/nope", Status: http.StatusNotFound, Resp: `{"message":"Coupon not found"}`},
	)
	c := m.client(loyalty.Monterosa)
	cp, _, err := c.Rewards.Coupon(context.Background(), "cp/1")
	require.NoError(t, err)
	assert.Equal(t, "SAVE10", cp.CouponCode)
	assert.Equal(t, "SUMMER", cp.CouponID)
	assert.Equal(t, "code", cp.CouponType)
	assert.Equal(t, "https://shop.example.com/c", cp.Link)
	assert.True(t, cp.ShowOnNotification)
	assert.Contains(t, string(cp.Raw), `"expiresAt"`)

	_, _, err = c.Rewards.Coupon(context.Background(), "nope")
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "Coupon not found", e.Message)

	for _, id := range []string{"", "..", " "} {
		_, _, err = c.Rewards.Coupon(context.Background(), id)
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, "id %q", id)
		assert.Equal(t, "Rewards.Coupon", ie.Op)
	}
}

// historyPage renders n items from timestamp ts on, ids h<ts>.
func historyPage(ts int64, n int) string {
	items := make([]string, n)
	for i := range items {
		items[i] = fmt.Sprintf(`{"id":"h%d","timestamp":%d,"type":"missionCompleted","payload":{"missionId":"m%d"},"extra":1}`, ts+int64(i), ts+int64(i), i)
	}
	return ok("[" + strings.Join(items, ",") + "]")
}

func window(from, to int64) url.Values {
	q := url.Values{"from": {fmt.Sprint(from)}}
	if to >= 0 {
		q.Set("to", fmt.Sprint(to))
	}
	return q
}

func TestRewardsHistoryPages(t *testing.T) {
	const from, to = 1_000, 1_150
	// A full page asks again from the last timestamp + 1 with the same to;
	// an item the last page returned is dropped; a short page ends it.
	second := strings.Replace(historyPage(from+100, 30), `[`, `[{"id":"h1099","timestamp":1099,"type":"missionCompleted","payload":{}},`, 1)
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Query: window(from, to), Header: mockAuth, Resp: historyPage(from, 100)},
		exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Query: window(from+100, to), Header: mockAuth, Resp: second},
	)
	c := m.client(loyalty.Monterosa)
	var ids []string
	for it, err := range c.Rewards.History(context.Background(), &loyalty.RewardsHistoryOptions{From: time.UnixMilli(from), To: time.UnixMilli(to)}) {
		require.NoError(t, err)
		if len(ids) == 0 {
			assert.Equal(t, time.UnixMilli(from).UTC(), it.Timestamp)
			assert.Equal(t, loyalty.RewardsMissionCompleted, it.Type)
			assert.Equal(t, "m0", it.Payload.MissionID)
			assert.Contains(t, string(it.Raw), `"extra":1`)
		}
		ids = append(ids, it.ID)
	}
	require.Len(t, ids, 130)
	for i, id := range ids {
		assert.Equal(t, fmt.Sprint("h", from+i), id)
	}
}

func TestRewardsHistoryStops(t *testing.T) {
	ctx := context.Background()
	t.Run("full page ending at to", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Query: window(1, 100), Resp: historyPage(1, 100)})
		n := 0
		for _, err := range m.client(loyalty.Monterosa).Rewards.History(ctx, &loyalty.RewardsHistoryOptions{From: time.UnixMilli(1), To: time.UnixMilli(100)}) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 100, n, "no request past to")
	})
	t.Run("no window", func(t *testing.T) {
		m := newPlatformMock(t,
			exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Resp: historyPage(5, 100)},
			exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Query: window(105, -1), Resp: ok(`[]`)},
		)
		n := 0
		for _, err := range m.client(loyalty.Monterosa).Rewards.History(ctx, nil) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 100, n)
	})
	t.Run("breaking the loop", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Resp: historyPage(5, 100)})
		for range m.client(loyalty.Monterosa).Rewards.History(ctx, nil) {
			break
		}
	})
	t.Run("a page that does not advance", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Query: window(500, -1), Resp: historyPage(1, 100)})
		var err error
		for _, err = range m.client(loyalty.Monterosa).Rewards.History(ctx, &loyalty.RewardsHistoryOptions{From: time.UnixMilli(500)}) {
		}
		assert.ErrorContains(t, err, "does not advance")
	})
	t.Run("items past to", func(t *testing.T) {
		// The server's window is not trusted: items later than To (or
		// before From) are not the caller's.
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Query: window(3, 6), Resp: historyPage(1, 10)})
		var ids []string
		for it, err := range m.client(loyalty.Monterosa).Rewards.History(ctx, &loyalty.RewardsHistoryOptions{From: time.UnixMilli(3), To: time.UnixMilli(6)}) {
			require.NoError(t, err)
			ids = append(ids, it.ID)
		}
		assert.Equal(t, []string{"h3", "h4", "h5", "h6"}, ids)
	})
	t.Run("a page that does not advance keeps its items", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Resp: strings.Replace(historyPage(1, 100), `"timestamp":100,`, `"timestamp":0,`, 1)})
		n := 0
		var err error
		for _, err = range m.client(loyalty.Monterosa).Rewards.History(ctx, nil) {
			if err == nil {
				n++
			}
		}
		assert.ErrorContains(t, err, "does not advance")
		assert.Equal(t, 100, n, "the page's items come before the error")
	})
	t.Run("bad window", func(t *testing.T) {
		m := newPlatformMock(t)
		for _, o := range []loyalty.RewardsHistoryOptions{
			{From: time.UnixMilli(10), To: time.UnixMilli(5)},
			{From: time.Date(1969, 1, 1, 0, 0, 0, 0, time.UTC)},
		} {
			var err error
			for _, err = range m.client(loyalty.Monterosa).Rewards.History(ctx, &o) {
			}
			var ie *loyalty.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, "Rewards.History", ie.Op)
			assert.Equal(t, "From", ie.Field)
		}
	})
	t.Run("error", func(t *testing.T) {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Status: http.StatusBadRequest, Resp: `{"message":"Bad Request: from"}`})
		var err error
		for _, err = range m.client(loyalty.Monterosa).Rewards.History(ctx, nil) {
		}
		assert.ErrorIs(t, err, loyalty.ErrBadRequest)
	})
}

func TestRewardsReportAction(t *testing.T) {
	long := strings.Repeat("é", 1024) // 1024 code points, 2048 bytes
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/api/loyalty/action",
			Header: map[string]string{"Authorization": "Bearer " + mockMonterosaToken, "Content-Type": "application/json"},
			Body:   `{"action":"video_watched","data":{"videoId":"v-123","seconds":95,"completed":true,"ratio":0.5,"n":12,"s":"` + long + `"}}`},
		exchange{Method: http.MethodPost, Path: "/api/loyalty/action", Body: `{"action":"app_opened"}`, Status: http.StatusNoContent},
		// Not de-duplicated, so a 500 is not retried.
		exchange{Method: http.MethodPost, Path: "/api/loyalty/action", Body: `{"action":"app_opened"}`, Status: http.StatusInternalServerError, Resp: `{"message":"boom"}`},
		exchange{Method: http.MethodPost, Path: "/api/loyalty/action", Body: `{"action":"a","data":{"d":30}}`},
	)
	c := m.client(loyalty.Monterosa)
	ctx := context.Background()
	resp, err := c.Rewards.ReportAction(ctx, loyalty.RewardsAction{Name: "video_watched", Data: map[string]any{
		"videoId": "v-123", "seconds": 95, "completed": true, "ratio": float32(0.5), "n": json.Number("12"), "s": long,
	}})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	_, err = c.Rewards.ReportAction(ctx, loyalty.RewardsAction{Name: "app_opened", Data: map[string]any{}})
	require.NoError(t, err, "any 2xx is success")
	_, err = c.Rewards.ReportAction(ctx, loyalty.RewardsAction{Name: "app_opened"})
	assert.ErrorIs(t, err, loyalty.ErrServer)

	type seconds int
	for name, a := range map[string]loyalty.RewardsAction{
		"Name":         {Data: map[string]any{"x": 1}},
		`Data["s"]`:    {Name: "a", Data: map[string]any{"s": long + "e"}},
		`Data["o"]`:    {Name: "a", Data: map[string]any{"o": map[string]any{"k": 1}}},
		`Data["l"]`:    {Name: "a", Data: map[string]any{"l": []string{"x"}}},
		`Data["nil"]`:  {Name: "a", Data: map[string]any{"nil": nil}},
		`Data["nan"]`:  {Name: "a", Data: map[string]any{"nan": math.NaN()}},
		`Data["t"]`:    {Name: "a", Data: map[string]any{"t": time.Now()}},
		`Data["utf8"]`: {Name: "a", Data: map[string]any{"utf8": "\xff"}},
		`Data["num"]`:  {Name: "a", Data: map[string]any{"num": json.Number("1e")}},
	} {
		_, err := c.Rewards.ReportAction(ctx, a)
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, name)
		assert.Equal(t, "Rewards.ReportAction", ie.Op)
		assert.Equal(t, name, ie.Field)
	}
	// A named number type is a number.
	_, err = c.Rewards.ReportAction(ctx, loyalty.RewardsAction{Name: "a", Data: map[string]any{"d": seconds(30)}})
	require.NoError(t, err)
	assert.Len(t, m.requests(), 4, "refused actions sent nothing")
}

func TestRewardsPerUser(t *testing.T) {
	ctx := context.Background()
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/api/loyalty/profile", Header: map[string]string{"Authorization": "Bearer fan-a"}, Resp: ok(`{"metrics":{"xp":1}}`)},
		exchange{Method: http.MethodGet, Path: "/api/loyalty/profile", Header: map[string]string{"Authorization": "Bearer fan-b"}, Resp: ok(`{"metrics":{"xp":2}}`)},
		exchange{Method: http.MethodGet, Path: "/api/loyalty/profile", Header: mockAuth, Resp: ok(`{"metrics":{}}`)},
		exchange{Method: http.MethodPost, Path: "/api/loyalty/action", Header: map[string]string{"Authorization": "Bearer fan-a"}, Body: `{"action":"x"}`},
	)
	c := m.client(loyalty.Monterosa)
	a := c.Rewards.ForUser("fan-a")
	p, _, err := a.Profile(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1.0, p.Metrics["xp"])
	p, _, err = c.Rewards.ForUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "fan-b"})).Profile(ctx)
	require.NoError(t, err)
	assert.Equal(t, 2.0, p.Metrics["xp"])
	_, _, err = c.Rewards.Profile(ctx)
	require.NoError(t, err, "the Client's own user is unchanged")
	_, err = a.ReportAction(ctx, loyalty.RewardsAction{Name: "x"})
	require.NoError(t, err)

	// Bad views fail before sending; a token is never echoed.
	for name, v := range map[string]*loyalty.RewardsService{
		"empty token":       c.Rewards.ForUser(""),
		"token with spaces": c.Rewards.ForUser(" secret-jwt\n"),
		"nil source":        c.Rewards.ForUserTokenSource(nil),
		"user id":           c.Rewards.ForUserID("fan-a"), // not a service token
	} {
		_, _, err := v.Profile(ctx)
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, name)
		assert.NotContains(t, err.Error(), "secret-jwt")
	}
	assert.Len(t, m.requests(), 4)
}

func TestRewardsServiceToken(t *testing.T) {
	ctx := context.Background()
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/api/loyalty/profile", Query: url.Values{"userId": {"fan/7"}},
			Header: map[string]string{"Authorization": "Bearer svc-token"}, Resp: ok(`{"metrics":{"xp":7}}`)},
		exchange{Method: http.MethodGet, Path: "/api/loyalty/history", Query: url.Values{"userId": {"fan/7"}, "to": {"99"}}, Resp: ok(`[]`)},
		exchange{Method: http.MethodPost, Path: "/api/loyalty/action", Query: url.Values{"userId": {"fan/7"}}, Body: `{"action":"x"}`},
		exchange{Method: http.MethodGet, Path: "/api/loyalty/config", Header: map[string]string{"Authorization": "Bearer fan-jwt"}, Resp: ok(`{}`)},
	)
	c := m.client(loyalty.Monterosa, loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: m.srv.URL + mockMonterosaBase,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "svc-token"}), ServiceToken: true}))
	fan := c.Rewards.ForUserID("fan/7")
	p, _, err := fan.Profile(ctx)
	require.NoError(t, err)
	assert.Equal(t, 7.0, p.Metrics["xp"])
	for _, err := range fan.History(ctx, &loyalty.RewardsHistoryOptions{To: time.UnixMilli(99)}) {
		require.NoError(t, err)
	}
	_, err = fan.ReportAction(ctx, loyalty.RewardsAction{Name: "x"})
	require.NoError(t, err)
	_, _, err = c.Rewards.ForUser("fan-jwt").Config(ctx)
	require.NoError(t, err, "a user's own token needs no user id")

	// Without a user, every call fails before sending, naming the way out.
	_, _, err = c.Rewards.Profile(ctx)
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "ForUserID")
	_, err = c.Rewards.ReportAction(ctx, loyalty.RewardsAction{Name: "x"})
	require.ErrorAs(t, err, &ie)
	_, _, err = c.Rewards.ForUserID("").Notifications(ctx)
	require.ErrorAs(t, err, &ie)
	assert.Len(t, m.requests(), 4)
}

// The raw call never sends a request whose credentials the Client's
// authentication would silently replace.
func TestDoRefusesCredentialHeaders(t *testing.T) {
	m := newPlatformMock(t)
	for _, tc := range []struct {
		p      loyalty.Platform
		header string
	}{
		{loyalty.Monterosa, "Authorization"}, {loyalty.Monterosa, "authorization"},
		{loyalty.Qualifio, "Authorization"}, {loyalty.Yotpo, "X-GUID"}, {loyalty.Yotpo, "x-api-key"},
		{loyalty.InfluenceIO, "X-Api-Key"},
	} {
		c := m.client(tc.p)
		req, err := c.NewRequest(tc.p, http.MethodGet, "/anything", nil)
		require.NoError(t, err)
		req.Header[tc.header] = []string{"Bearer fan-a-secret"}
		_, err = c.Do(context.Background(), req, nil)
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, "%s %s", tc.p, tc.header)
		assert.Equal(t, "Header", ie.Field)
		assert.NotContains(t, err.Error(), "fan-a-secret")
		if tc.p == loyalty.Monterosa {
			assert.Contains(t, err.Error(), "Rewards.ForUser")
		}
	}
	// Yotpo's query-mode credentials: in query mode authentication would
	// overwrite them, so they are refused too, in either mode.
	for _, query := range []bool{true, false} {
		c := m.client(loyalty.Yotpo, loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: m.srv.URL + mockYotpoBase, QueryAuth: query}))
		for _, param := range []string{"guid", "api_key", "API_KEY"} {
			req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/anything", nil)
			require.NoError(t, err)
			req.Query.Set(param, "other-account-secret")
			_, err = c.Do(context.Background(), req, nil)
			var ie *loyalty.InputError
			require.ErrorAs(t, err, &ie, "%s (query mode %v)", param, query)
			assert.Equal(t, "Query", ie.Field)
			assert.NotContains(t, err.Error(), "other-account-secret")
		}
	}
	assert.Empty(t, m.requests())
}

// A view costs one small allocation and no transport: it shares the
// Client's.
func TestRewardsForUserAllocs(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.Monterosa)
	var v *loyalty.RewardsService
	allocs := testing.AllocsPerRun(1000, func() { v = c.Rewards.ForUser("fan-a") })
	assert.LessOrEqual(t, allocs, 1.0)
	assert.NotNil(t, v)
}

// Reading notifications marks them read, so a response cut mid-body must
// not be retried: the retry would answer [] and the notifications would be
// lost without an error.
func TestRewardsNotificationsCutMidBodyIsNotRetried(t *testing.T) {
	srv, calls := breakMidBodyThen(t, 1, ok(`[]`))
	c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: srv.URL,
		TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "jwt"})}), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	ns, _, err := c.Rewards.Notifications(context.Background())
	require.Error(t, err)
	assert.Nil(t, ns)
	assert.Contains(t, err.Error(), "History")
	assert.Equal(t, int32(1), calls.Load(), "not retried")
}

// One badly formed notification does not lose the others, which the
// server has already marked read.
func TestRewardsNotificationsTolerateBadItems(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/api/loyalty/notifications", Header: mockAuth,
			Resp: ok(`[{"id":"n-1","timestamp":"2024-05-01T12:30:00Z","type":"challengeCompleted","title":"t"},
				{"id":"n-2","timestamp":1714566605123,"title":{"nested":true}},
				{"id":"n-3","timestamp":1714566605124}]`)},
	)
	c := m.client(loyalty.Monterosa)
	ns, _, err := c.Rewards.Notifications(context.Background())
	require.NoError(t, err)
	require.Len(t, ns, 3)
	assert.Equal(t, "n-1", ns[0].ID)
	assert.True(t, ns[0].Timestamp.IsZero(), "a bad time is the zero time")
	assert.Equal(t, loyalty.RewardsChallengeCompleted, ns[0].Type)
	assert.Equal(t, "t", ns[0].Title)
	assert.Contains(t, string(ns[0].Raw), "2024-05-01T12:30:00Z")
	assert.Equal(t, "n-2", ns[1].ID, "an item that does not decode keeps its id")
	assert.Contains(t, string(ns[1].Raw), `"nested"`)
	assert.Equal(t, time.UnixMilli(1714566605124).UTC(), ns[2].Timestamp)
}

// A per-user view never prints its user's token, however it is printed
// or logged.
func TestRewardsViewRedactsToken(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.Monterosa)
	const jwt = "eyJhbGciOiJIUzI1NiJ9.fan-secret.sig"
	v := c.Rewards.ForUser(jwt)
	var logged strings.Builder
	slog.New(slog.NewTextHandler(&logged, nil)).Info("acting", "rewards", v)
	slog.New(slog.NewJSONHandler(&logged, nil)).Info("acting", "rewards", v)
	for _, out := range []string{fmt.Sprint(v), fmt.Sprintf("%v %+v %#v %s", v, v, v, v), logged.String(), fmt.Sprintf("%+v", []*loyalty.RewardsService{v})} {
		assert.NotContains(t, out, "fan-secret")
		assert.Contains(t, out, "[redacted]")
	}
	assert.Equal(t, `Rewards.ForUserID("fan-7")`, fmt.Sprint(c.Rewards.ForUserID("fan-7")), "a user id is no secret")
	assert.Equal(t, "Rewards", fmt.Sprint(c.Rewards))
	assert.Equal(t, "Rewards.ForUserTokenSource(...)", fmt.Sprint(c.Rewards.ForUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: jwt}))))
}

// A back end that only acts per fan needs no default user: a call that
// names no fan fails before sending and says how to name one.
func TestRewardsWithoutDefaultUser(t *testing.T) {
	ctx := context.Background()
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/api/loyalty/profile", Header: map[string]string{"Authorization": "Bearer fan-a"}, Resp: ok(`{"metrics":{"xp":1}}`)},
	)
	c := m.client(loyalty.Monterosa, loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: m.srv.URL + mockMonterosaBase}))
	p, _, err := c.Rewards.ForUser("fan-a").Profile(ctx)
	require.NoError(t, err)
	assert.Equal(t, 1.0, p.Metrics["xp"])

	_, _, err = c.Rewards.Profile(ctx)
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Contains(t, err.Error(), "Rewards.ForUser")
	_, err = c.Rewards.ReportAction(ctx, loyalty.RewardsAction{Name: "x"})
	require.ErrorAs(t, err, &ie)
	_, _, err = c.Rewards.ForUserID("fan-a").Profile(ctx)
	require.ErrorAs(t, err, &ie, "a user id needs a service token")
	req, err := c.NewRequest(loyalty.Monterosa, http.MethodGet, "/api/loyalty/profile", nil)
	require.NoError(t, err)
	_, err = c.Do(ctx, req, nil)
	require.Error(t, err, "the raw call has no user either")
	assert.Contains(t, err.Error(), "Rewards.ForUser")
	assert.Len(t, m.requests(), 1, "nothing sent without a user")
}
