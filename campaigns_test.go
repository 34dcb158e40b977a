package loyalty_test

import (
	"context"
	"math"
	"net/http"
	"net/url"
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func TestCampaignsListRequest(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/campaigns", Resp: `[
		 {"id": 3321, "title": "Make a purchase", "type": "SpendBasedCampaign", "reward_text": "1 point per $1",
		  "ends_at": "2026-12-31T23:59:59.000Z", "created_at": "2024-01-01 00:00:00", "max_completions_per_user": 0, "future": [1]},
		 {"id": 3322, "title": "Old", "type": "TikTokDanceCampaign", "expires_at": "2025-01-01", "entity_id": 42}
		]`},
		exchange{Method: http.MethodGet, Path: "/campaigns", Query: url.Values{"with_status": {"true"}, "customer_id": {"C-1042"}},
			Resp: `[{"id": 1, "type": "CustomActionCampaign", "status": {"global_completions_left": null, "customer_actions_completed": 2,
			  "customer_times_completed": 1, "customer_minutes_until_next_action": 90, "customer_minutes_until_next_completion": 0}}]`},
	)
	c := m.client(loyalty.Yotpo)
	ctx := context.Background()
	list := collect(t, c.Campaigns.List(ctx, nil))
	require.Len(t, list, 2)
	assert.Equal(t, loyalty.CampaignSpendBased, list[0].Type)
	assert.Equal(t, time.Date(2026, 12, 31, 23, 59, 59, 0, time.UTC), list[0].EndsAt)
	assert.Equal(t, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), list[0].CreatedAt)
	assert.Nil(t, list[0].Status)
	assert.Equal(t, loyalty.CampaignType("TikTokDanceCampaign"), list[1].Type)
	assert.Equal(t, time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC), list[1].EndsAt, "legacy expires_at")
	assert.Equal(t, "42", list[1].EntityID, "a numeric id keeps its digits")

	ref := loyalty.ByID("C-1042")
	list = collect(t, c.Campaigns.List(ctx, &loyalty.CampaignListOptions{WithStatus: true, Customer: &ref}))
	require.Len(t, list, 1)
	st := list[0].Status
	require.NotNil(t, st)
	assert.Nil(t, st.GlobalCompletionsLeft)
	assert.Equal(t, int64(2), st.CustomerActionsCompleted)
	assert.Equal(t, 90*time.Minute, st.UntilNextAction)

	var ie *loyalty.InputError
	phone := loyalty.ByPhone("+14155550123", "")
	require.ErrorAs(t, firstErr(c.Campaigns.List(ctx, &loyalty.CampaignListOptions{Customer: &phone})), &ie)
	assert.Equal(t, "Customer.Phone", ie.Field)
	assert.Contains(t, ie.Error(), "ByEmail or ByID")
}

// Status minutes past what a time.Duration holds saturate at the longest
// Duration rather than wrapping to a negative wait; the largest count that
// fits converts exactly, and a negative count is no wait.
func TestCampaignStatusMinutesSaturate(t *testing.T) {
	const fits = int64(math.MaxInt64 / int64(time.Minute)) // 153,722,867
	for _, tc := range []struct {
		minutes string
		want    time.Duration
	}{
		{strconv.FormatInt(fits, 10), time.Duration(fits) * time.Minute},
		{strconv.FormatInt(fits+1, 10), math.MaxInt64},
		{"100000000000000000", math.MaxInt64},
		{"-5", 0},
		{"0", 0},
	} {
		m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/campaigns", Query: url.Values{"with_status": {"true"}, "customer_id": {"C-1"}},
			Resp: `[{"id": 1, "status": {"customer_minutes_until_next_action": ` + tc.minutes + `, "customer_minutes_until_next_completion": ` + tc.minutes + `}}]`})
		ref := loyalty.ByID("C-1")
		list := collect(t, m.client(loyalty.Yotpo).Campaigns.List(context.Background(), &loyalty.CampaignListOptions{WithStatus: true, Customer: &ref}))
		require.Len(t, list, 1)
		require.NotNil(t, list[0].Status)
		assert.Equal(t, tc.want, list[0].Status.UntilNextAction, "%s minutes", tc.minutes)
		assert.Equal(t, tc.want, list[0].Status.UntilNextCompletion, "%s minutes", tc.minutes)
	}
}
