package loyalty_test

import (
	"bytes"
	"context"
	"fmt"
	"log/slog"
	"net/http"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/webhook"
)

func TestWebhooksRequests(t *testing.T) {
	const sub = `{"id":"wh 1/x","topic":"points/redeemed","url":"https://shop.example/hooks?token=s3cr3t","createdAt":"2024-05-01T00:00:00Z","active":true}`
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/v1/webhooks", Header: map[string]string{"x-api-key": "mock-key"},
			Resp: `{"webhooks":[` + sub + `,{"id":"wh-2","topic":"orders/created","url":"https://shop.example/o"}],"total":2}`},
		exchange{Method: http.MethodPost, Path: "/v1/webhooks", Body: `{"topic":"points/earned","url":"https://shop.example/hooks"}`,
			Status: http.StatusCreated, Resp: `{"webhook":{"id":"wh-3","topic":"points/earned","url":"https://shop.example/hooks","x":1}}`},
		exchange{Method: http.MethodPost, Path: "/v1/webhooks",
			Body:   `{"topic":"points/redeemed","url":"https://shop.example/hooks?shop=1\u0026token=t%2Bk+n%26"}`,
			Status: http.StatusCreated, Resp: `{"webhook":` + sub + `}`},
		exchange{Method: http.MethodGet, Path: "/v1/webhooks/wh%201%2Fx", Resp: `{"webhook":` + sub + `}`},
		exchange{Method: http.MethodPut, Path: "/v1/webhooks/wh%201%2Fx", Body: `{"topic":"referrals/completed","url":"https://shop.example/r"}`,
			Resp: `{"webhook":{"id":"wh 1/x","topic":"referrals/completed","url":"https://shop.example/r"}}`},
		exchange{Method: http.MethodDelete, Path: "/v1/webhooks/wh%201%2Fx", Status: http.StatusNoContent},
		exchange{Method: http.MethodGet, Path: "/v1/webhooks/gone", Status: http.StatusNotFound, Resp: `{"message":"Webhook not found"}`},
	)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()

	var got []*loyalty.Webhook
	for wh, err := range c.Webhooks.List(ctx) {
		require.NoError(t, err)
		got = append(got, wh)
	}
	require.Len(t, got, 2)
	assert.Equal(t, "wh 1/x", got[0].ID)
	assert.Equal(t, loyalty.InfluenceIOTopicPointsRedeemed, got[0].Topic)
	assert.Equal(t, "https://shop.example/hooks?token=s3cr3t", got[0].URL)
	assert.Contains(t, string(got[0].Raw), `"active"`)
	assert.Equal(t, loyalty.InfluenceIOTopic("orders/created"), got[1].Topic, "an unknown topic decodes as it is")

	wh, resp, err := c.Webhooks.Create(ctx, loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicPointsEarned, URL: "https://shop.example/hooks"})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assert.Equal(t, "wh-3", wh.ID)

	// The helper adds the token, escaped, keeping the URL's own parameters.
	wh, _, err = c.Webhooks.CreateWithToken(ctx, loyalty.InfluenceIOTopicPointsRedeemed, "https://shop.example/hooks?shop=1", "t+k n&")
	require.NoError(t, err)
	assert.Equal(t, "wh 1/x", wh.ID)

	wh, _, err = c.Webhooks.Get(ctx, "wh 1/x")
	require.NoError(t, err)
	assert.Equal(t, loyalty.InfluenceIOTopicPointsRedeemed, wh.Topic)

	wh, _, err = c.Webhooks.Replace(ctx, "wh 1/x", loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicReferralsCompleted, URL: "https://shop.example/r"})
	require.NoError(t, err)
	assert.Equal(t, loyalty.InfluenceIOTopicReferralsCompleted, wh.Topic)

	resp, err = c.Webhooks.Delete(ctx, "wh 1/x")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)

	_, _, err = c.Webhooks.Get(ctx, "gone")
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func TestWebhooksValidateBeforeSending(t *testing.T) {
	m := newPlatformMock(t)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	const secretURL = "ftp://shop.example/hooks?token=SECRET-1"
	check := func(err error, op, field string) {
		t.Helper()
		var ie *loyalty.InputError
		if assert.ErrorAs(t, err, &ie) {
			assert.Equal(t, op, ie.Op)
			assert.Equal(t, field, ie.Field)
			assert.NotContains(t, err.Error(), "SECRET")
		}
	}
	_, _, err := c.Webhooks.Create(ctx, loyalty.WebhookInput{URL: "https://x.example"})
	check(err, "Webhooks.Create", "Topic")
	_, _, err = c.Webhooks.Create(ctx, loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicPointsEarned, URL: secretURL})
	check(err, "Webhooks.Create", "URL")
	_, _, err = c.Webhooks.Create(ctx, loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicPointsEarned, URL: "/hooks?token=SECRET-2"})
	check(err, "Webhooks.Create", "URL")
	_, _, err = c.Webhooks.CreateWithToken(ctx, loyalty.InfluenceIOTopicPointsEarned, "https://x.example", "")
	check(err, "Webhooks.CreateWithToken", "token")
	_, _, err = c.Webhooks.CreateWithToken(ctx, loyalty.InfluenceIOTopicPointsEarned, "https://x.example", "SECRET-3\n")
	check(err, "Webhooks.CreateWithToken", "token")
	_, _, err = c.Webhooks.CreateWithToken(ctx, loyalty.InfluenceIOTopicPointsEarned, "shop.example/hooks", "SECRET-4")
	check(err, "Webhooks.CreateWithToken", "baseURL")
	_, _, err = c.Webhooks.CreateWithToken(ctx, "", "https://x.example", "SECRET-5")
	check(err, "Webhooks.CreateWithToken", "Topic")
	_, _, err = c.Webhooks.Get(ctx, "..")
	check(err, "Webhooks.Get", "id")
	_, _, err = c.Webhooks.Replace(ctx, "", loyalty.WebhookInput{})
	check(err, "Webhooks.Replace", "id")
	_, err = c.Webhooks.Delete(ctx, " ")
	check(err, "Webhooks.Delete", "id")
	assert.Empty(t, m.requests())
}

// The token registered by CreateWithToken is a secret: it must not reach
// an error or a log line, even when the platform quotes the URL back.
func TestWebhooksTokenStaysOutOfErrorsAndLogs(t *testing.T) {
	const token = "tok+S3CRET/value"
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/v1/webhooks", Status: http.StatusBadRequest,
			Body: `{"topic":"points/redeemed","url":"https://shop.example/hooks?token=tok%2BS3CRET%2Fvalue"}`,
			Resp: `{"message":"Invalid request: url https://shop.example/hooks?token=tok%2BS3CRET%2Fvalue (token tok+S3CRET/value) is not reachable"}`},
		exchange{Method: http.MethodPut, Path: "/v1/webhooks/wh-1", Status: http.StatusNotFound,
			Body: `{"topic":"points/redeemed","url":"https://shop.example/hooks?token=tok%2BS3CRET%2Fvalue"}`,
			Resp: `{"message":"Webhook not found for https://shop.example/hooks?token=tok%2BS3CRET%2Fvalue"}`},
	)
	var logs bytes.Buffer
	c := m.client(loyalty.InfluenceIO, loyalty.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
	_, _, err := c.Webhooks.CreateWithToken(context.Background(), loyalty.InfluenceIOTopicPointsRedeemed, "https://shop.example/hooks", token)
	require.Error(t, err)
	assert.ErrorIs(t, err, loyalty.ErrBadRequest, "the redacted error still matches")
	var apiErr *loyalty.Error
	require.ErrorAs(t, err, &apiErr)
	assert.NotContains(t, apiErr.Error(), "S3CRET", "the *Error reached with errors.As is redacted too")
	assert.NotContains(t, string(apiErr.Body), "S3CRET")
	assert.NotContains(t, err.Error(), "S3CRET")
	assert.Contains(t, err.Error(), "[REDACTED]")

	u, err := webhook.InfluenceIOWebhookURL("https://shop.example/hooks", token)
	require.NoError(t, err)
	_, _, err = c.Webhooks.Replace(context.Background(), "wh-1", loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicPointsRedeemed, URL: u})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	assert.NotContains(t, err.Error(), "S3CRET")

	require.NotEmpty(t, logs.String(), "the calls were logged")
	assert.NotContains(t, logs.String(), "S3CRET")
	assert.False(t, strings.Contains(logs.String(), "token="), logs.String())
}

// The topic type is shared: webhook's constants are loyalty's.
func TestWebhookTopicsShared(t *testing.T) {
	var topic webhook.InfluenceIOTopic = loyalty.InfluenceIOTopicPointsRedeemed
	assert.Equal(t, webhook.InfluenceIOTopicPointsRedeemed, topic)
	topics := loyalty.InfluenceIOTopics()
	assert.Len(t, topics, 7)
	assert.Contains(t, topics, webhook.InfluenceIOTopicTierEntryRewardEarned)
	topics[0] = "changed"
	assert.Equal(t, loyalty.InfluenceIOTopicCustomersUpdated, loyalty.InfluenceIOTopics()[0], "a new slice each call")
}

// Webhook subscriptions are Influence.io's: on Yotpo every method fails
// before sending, naming Influence.io.
func TestWebhooksNotOnYotpo(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.Yotpo)
	ctx := context.Background()
	for _, err := range []error{
		func() error { _, _, err := c.Webhooks.Create(ctx, loyalty.WebhookInput{}); return err }(),
		func() error {
			_, _, err := c.Webhooks.CreateWithToken(ctx, loyalty.InfluenceIOTopicPointsEarned, "https://x", "t")
			return err
		}(),
		func() error { _, _, err := c.Webhooks.Get(ctx, "x"); return err }(),
		func() error { _, _, err := c.Webhooks.Replace(ctx, "x", loyalty.WebhookInput{}); return err }(),
		func() error { _, err := c.Webhooks.Delete(ctx, "x"); return err }(),
		func() error {
			for _, err := range c.Webhooks.List(ctx) {
				return err
			}
			return nil
		}(),
	} {
		assert.ErrorIs(t, err, loyalty.ErrNotSupported)
		assert.Contains(t, err.Error(), "(influenceio does)")
	}
}

// Printing or logging a subscription (as a value or a pointer, with every
// verb and both slog handlers) shows neither the URL's token nor a password
// or user name in its user info, and says which subscription it is.
func TestWebhookPrintsNoSecretInAnyForm(t *testing.T) {
	for _, raw := range []string{
		"https://shop.example/hooks?token=S3CRET",
		"https://hookuser:S3CRET@shop.example/hooks",
		"https://S3CRET@shop.example/hooks?a=1",
		"https://shop.example/hooks?token=S3CRET;x=1",
	} {
		wh := loyalty.Webhook{ID: "wh-1", Topic: loyalty.InfluenceIOTopicPointsRedeemed, URL: raw, Raw: []byte(`{"url":"` + raw + `"}`)}
		var logs bytes.Buffer
		slog.New(slog.NewJSONHandler(&logs, nil)).Info("subscribed", "webhook", wh, "ptr", &wh)
		slog.New(slog.NewTextHandler(&logs, nil)).Info("subscribed", "webhook", wh, "ptr", &wh)
		outs := map[string]string{
			"%v": fmt.Sprintf("%v", wh), "%+v": fmt.Sprintf("%+v", wh), "%#v": fmt.Sprintf("%#v", wh), "%s": fmt.Sprintf("[%s]", wh),
			"ptr %v": fmt.Sprintf("%v", &wh), "ptr %+v": fmt.Sprintf("%+v", &wh), "ptr %#v": fmt.Sprintf("%#v", &wh),
			"slice %#v": fmt.Sprintf("%#v", []loyalty.Webhook{wh}), "slog": logs.String(),
		}
		for verb, out := range outs {
			assert.NotContains(t, out, "S3CRET", "%s of %s", verb, raw)
			assert.NotContains(t, out, "hookuser", "%s of %s", verb, raw)
			assert.Contains(t, out, "wh-1", "%s of %s", verb, raw)
			assert.Contains(t, out, "shop.example/hooks", "%s of %s", verb, raw)
		}
	}
	assert.Equal(t, `loyalty.Webhook{ID:"wh-1", Topic:"points/redeemed", URL:"https://shop.example/hooks?a=1&token=%5BREDACTED%5D"}`,
		fmt.Sprintf("%#v", loyalty.Webhook{ID: "wh-1", Topic: loyalty.InfluenceIOTopicPointsRedeemed, URL: "https://shop.example/hooks?token=S3CRET&a=1"}))
}

// Printing or logging a subscription shows no token.
func TestWebhookPrintsNoToken(t *testing.T) {
	wh := loyalty.Webhook{ID: "wh-1", Topic: loyalty.InfluenceIOTopicPointsRedeemed, URL: "https://shop.example/hooks?token=S3CRET"}
	var logs bytes.Buffer
	slog.New(slog.NewJSONHandler(&logs, nil)).Info("subscribed", "webhook", wh)
	for _, out := range []string{fmt.Sprint(wh), fmt.Sprintf("%v %+v %s", wh, &wh, []loyalty.Webhook{wh}), logs.String()} {
		assert.NotContains(t, out, "S3CRET")
		assert.Contains(t, out, "wh-1")
	}
}

// A numeric id keeps its digits, so that it can be used to delete.
func TestWebhooksNumericIDs(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/v1/webhooks/42",
		Resp: `{"webhook":{"id":42,"topic":"points/redeemed","url":"https://shop.example/h","extra":true}}`})
	wh, _, err := m.client(loyalty.InfluenceIO).Webhooks.Get(context.Background(), "42")
	require.NoError(t, err)
	assert.Equal(t, "42", wh.ID)
}

// ReplaceWithToken rotates the token without the caller building the URL.
func TestWebhooksReplaceWithToken(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPut, Path: "/v1/webhooks/wh-1",
		Body: `{"topic":"points/redeemed","url":"https://shop.example/hooks?token=new+tok"}`,
		Resp: `{"webhook":{"id":"wh-1","topic":"points/redeemed","url":"https://shop.example/hooks?token=new+tok"}}`})
	wh, _, err := m.client(loyalty.InfluenceIO).Webhooks.ReplaceWithToken(context.Background(), "wh-1", loyalty.InfluenceIOTopicPointsRedeemed, "https://shop.example/hooks", "new tok")
	require.NoError(t, err)
	assert.Equal(t, "wh-1", wh.ID)
	_, _, err = m.client(loyalty.InfluenceIO).Webhooks.ReplaceWithToken(context.Background(), "wh-1", loyalty.InfluenceIOTopicPointsRedeemed, "https://shop.example/hooks", " padded")
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "token", ie.Field)
}
