package loyalty_test

import (
	"bytes"
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// Every call's Response carries the request id, the attempts it took and
// its duration, not only a failed call's *Error; the log lines carry the
// request id.
func TestResponseMetadataOnSuccess(t *testing.T) {
	var n atomic.Int32
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-"+strconv.Itoa(int(n.Add(1))))
		if n.Load() == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		_, _ = w.Write([]byte(`[]`))
	}, loyalty.WithLogger(logger))
	resp, err := c.Do(context.Background(), mustRequest(t, c, loyalty.Yotpo, http.MethodGet, "/vip_tiers"), nil)
	require.NoError(t, err)
	assert.Equal(t, "req-2", resp.RequestID, "the last attempt's id")
	assert.Equal(t, 2, resp.Attempts)
	assert.Positive(t, resp.Duration)
	assert.Contains(t, logs.String(), "request_id=req-1")
	assert.Contains(t, logs.String(), "request_id=req-2")
}

// Logs and error texts name the route template, never the raw path: a
// coupon code in a path is as good as money. The raw path stays in
// Error.Path.
func TestRouteTemplateInLogsAndErrors(t *testing.T) {
	const code = "GIFT-50EUR-X7Q9"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNotFound)
		_, _ = w.Write([]byte(`{"message":"Reward not found"}`))
	}))
	t.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: srv.URL}),
		loyalty.WithLogger(logger), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	_, err = c.Coupons.MarkUsed(context.Background(), code)
	var e *loyalty.Error
	require.True(t, errors.As(err, &e), "%v", err)
	assert.Equal(t, "/v1/rewards/"+code+"/use", e.Path, "the raw path is kept")
	assert.Contains(t, err.Error(), "POST /v1/rewards/{id}/use")
	assert.NotContains(t, err.Error(), code)
	assert.Contains(t, logs.String(), "route=/v1/rewards/{id}/use")
	assert.NotContains(t, logs.String(), code)

	// A failure without a response names the template too.
	srv.Close()
	_, err = c.Coupons.MarkUsed(context.Background(), code)
	require.Error(t, err)
	assert.NotContains(t, err.Error(), code)
	assert.True(t, strings.Contains(err.Error(), "/v1/rewards/{id}/use"), "%v", err)
}
