package loyalty_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func TestWriteAnsweredByGatewayTimeoutMayHaveBeenApplied(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/orders", Body: `{"id":1}`, Status: http.StatusGatewayTimeout})
	c := m.client(loyalty.Yotpo)
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/orders", map[string]int{"id": 1})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	assert.ErrorIs(t, err, loyalty.ErrMaybeApplied)
	assert.ErrorIs(t, err, loyalty.ErrServer)
	assert.Contains(t, err.Error(), "may have been applied")
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.False(t, e.Retryable(), "sending a write that may have been applied again could apply it twice")
}

func TestReadIsNeverMaybeApplied(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/vip_tiers", Status: http.StatusBadGateway})
	c := m.client(loyalty.Yotpo, loyalty.WithRetryPolicy(loyalty.NoRetry))
	_, err := c.Do(context.Background(), mustRequest(t, c, loyalty.Yotpo, http.MethodGet, "/vip_tiers"), nil)
	assert.ErrorIs(t, err, loyalty.ErrServer)
	assert.False(t, errors.Is(err, loyalty.ErrMaybeApplied))
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.True(t, e.Retryable(), "a read answered 502 may be sent again later")
}

func TestWriteCutAfterSendingMayHaveBeenApplied(t *testing.T) {
	// The server reads the request, then drops the connection unanswered.
	srv := hijackServer(t)
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv + mockYotpoBase}),
		loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/points/adjust", map[string]int{"points": 5})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.Error(t, err)
	assert.ErrorIs(t, err, loyalty.ErrMaybeApplied)
}

func TestWriteRefusedAtDialWasNotApplied(t *testing.T) {
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: closedURL(t) + mockYotpoBase}),
		loyalty.WithRetryPolicy(loyalty.NoRetry))
	require.NoError(t, err)
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/points/adjust", map[string]int{"points": 5})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.Error(t, err)
	assert.False(t, errors.Is(err, loyalty.ErrMaybeApplied), "%v", err)
}

func mustRequest(t *testing.T, c *loyalty.Client, p loyalty.Platform, method, path string) *loyalty.Request {
	t.Helper()
	req, err := c.NewRequest(p, method, path, nil)
	require.NoError(t, err)
	return req
}
