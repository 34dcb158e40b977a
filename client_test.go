package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

type okBody struct {
	OK bool `json:"ok"`
}

func get(t *testing.T, c *loyalty.Client, ctx context.Context, path string) (*loyalty.Response, okBody, error) {
	t.Helper()
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, path, nil)
	require.NoError(t, err)
	var out okBody
	resp, err := c.Do(ctx, req, &out)
	return resp, out, err
}

func TestDoSendsAuthHeadersAndDecodes(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.Header().Set("ratelimit-limit", "10")
		w.Header().Set("ratelimit-remaining", "9")
		w.Header().Set("ratelimit-reset", "1")
		fmt.Fprint(w, `{"ok":true,"unknown_field":[1,2,3]}`)
	})
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	require.NoError(t, err)
	req.Query.Set("customer_email", "ana@example.com")
	var out okBody
	resp, err := c.Do(context.Background(), req, &out)
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.Equal(t, loyalty.RateLimit{Limit: 10, Remaining: 9, Reset: time.Second}, resp.RateLimit)
	got := rec.reqs[0]
	assert.Equal(t, yotpoBase+"/customers", got.URL.Path)
	assert.Equal(t, "ana@example.com", got.URL.Query().Get("customer_email"))
	assert.Equal(t, "guid-1", got.Header.Get("X-GUID"))
	assert.Equal(t, "key-1", got.Header.Get("X-API-KEY"))
	assert.Empty(t, got.URL.Query().Get("api_key"), "header mode must not put the key in the URL")
	assert.Equal(t, "application/json", got.Header.Get("Accept"))
}

func TestYotpoQueryAuth(t *testing.T) {
	var rec recorder
	c, srv := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) { rec.add(r); fmt.Fprint(w, `{}`) })
	c2, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL + yotpoBase, QueryAuth: true}))
	require.NoError(t, err)
	_ = c
	_, _, err = get(t, c2, context.Background(), "/campaigns")
	require.NoError(t, err)
	q := rec.reqs[0].URL.Query()
	assert.Equal(t, "g", q.Get("guid"))
	assert.Equal(t, "k", q.Get("api_key"))
	assert.Empty(t, rec.reqs[0].Header.Get("X-API-KEY"))
}

func TestRetryOn429HonoursRetryAfter(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		if rec.add(r) == 1 {
			w.Header().Set("Retry-After", "1")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	})
	_, out, err := get(t, c, context.Background(), "/customers")
	require.NoError(t, err)
	assert.True(t, out.OK)
	require.Equal(t, 2, rec.count())
	assert.GreaterOrEqual(t, rec.times[1].Sub(rec.times[0]), 900*time.Millisecond, "Retry-After: 1 must delay the retry by about a second")
}

func TestRetryAfterIsCapped(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		if rec.add(r) == 1 {
			w.Header().Set("Retry-After", "3600")
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	}, loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: time.Millisecond, MaxRetryAfter: 20 * time.Millisecond}))
	// A broken cap must fail the test, not hang it for an hour.
	ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	_, out, err := get(t, c, ctx, "/customers")
	require.NoError(t, err)
	assert.True(t, out.OK)
	require.Equal(t, 2, rec.count())
	assert.Less(t, rec.times[1].Sub(rec.times[0]), time.Second, "an hour of Retry-After must be capped at MaxRetryAfter")
}

func TestRetryOn503ThenSuccess(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		if rec.add(r) < 3 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		fmt.Fprint(w, `{"ok":true}`)
	})
	_, out, err := get(t, c, context.Background(), "/customers")
	require.NoError(t, err)
	assert.True(t, out.OK)
	assert.Equal(t, 3, rec.count())
}

func TestNoRetryOn400(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.WriteHeader(http.StatusBadRequest)
		fmt.Fprint(w, `{"error_message":"customer_email is required"}`)
	})
	_, _, err := get(t, c, context.Background(), "/customers")
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, rec.count())
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Equal(t, "customer_email is required", e.Message)
	assert.ErrorIs(t, err, loyalty.ErrBadRequest)
	assert.NotErrorIs(t, err, loyalty.ErrNotFound)
}

func TestErrorKeepsLastResponseWhenRetriesRunOut(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		n := rec.add(r)
		w.Header().Set("X-Request-Id", fmt.Sprintf("req-%d", n))
		w.WriteHeader(http.StatusServiceUnavailable)
		fmt.Fprintf(w, `{"error_message":"maintenance %d"}`, n)
	})
	resp, _, err := get(t, c, context.Background(), "/customers")
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4, rec.count(), "1 attempt + 3 retries")
	assert.Equal(t, 4, e.Attempts)
	assert.Equal(t, http.StatusServiceUnavailable, e.StatusCode)
	assert.Equal(t, loyalty.Yotpo, e.Platform)
	assert.Equal(t, "maintenance 4", e.Message, "the error must carry the final response")
	assert.JSONEq(t, `{"error_message":"maintenance 4"}`, string(e.Body))
	assert.Equal(t, "req-4", e.RequestID)
	require.NotNil(t, e.Response)
	assert.Equal(t, e.Response, resp.Response)
	assert.ErrorIs(t, err, loyalty.ErrServer)
	assert.Contains(t, err.Error(), "GET /customers: 503")
}

func TestPostNotRetriedOn500(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.WriteHeader(http.StatusInternalServerError)
	})
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/orders", map[string]any{"order_id": "o-1"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	assert.ErrorIs(t, err, loyalty.ErrServer)
	assert.Equal(t, 1, rec.count(), "a POST that is not safe to repeat must not be retried on 500")
}

func TestPostRetriedOn429WithSameBody(t *testing.T) {
	var rec recorder
	var bodies []string
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		bodies = append(bodies, string(b))
		if rec.add(r) == 1 {
			w.WriteHeader(http.StatusTooManyRequests)
			return
		}
		fmt.Fprint(w, `{}`)
	})
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/orders", map[string]any{"order_id": "o-1"})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.NoError(t, err)
	require.Equal(t, 2, rec.count())
	assert.Equal(t, `{"order_id":"o-1"}`, bodies[0])
	assert.Equal(t, bodies[0], bodies[1], "a retry must send the same bytes")
	assert.Equal(t, "application/json", rec.reqs[1].Header.Get("Content-Type"))
}

func TestYotpoPointsAdjustRetriedOn423(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		if rec.add(r) == 1 {
			w.WriteHeader(http.StatusLocked)
			return
		}
		fmt.Fprint(w, `{}`)
	})
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/points/adjust", map[string]any{"point_adjustment_amount": 5})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil)
	require.NoError(t, err)
	assert.Equal(t, 2, rec.count())

	// The same status on another POST is not retried.
	rec = recorder{}
	req, _ = c.NewRequest(loyalty.Yotpo, http.MethodPost, "/orders", map[string]any{})
	_, err = c.Do(context.Background(), req, nil)
	assert.ErrorIs(t, err, loyalty.ErrLocked)
}

func TestCancelDuringBackoffReturnsPromptly(t *testing.T) {
	first := make(chan struct{})
	var once atomic.Bool
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		rec.add(r)
		w.Header().Set("Retry-After", "30")
		w.WriteHeader(http.StatusTooManyRequests)
		if once.CompareAndSwap(false, true) {
			close(first)
		}
	}, loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 3, MinWait: time.Second, MaxWait: time.Minute, MaxRetryAfter: time.Minute}))
	ctx, cancel := context.WithCancel(context.Background())
	// 200ms after the 429 left the server, the client has long read it
	// and sits in its 30s backoff.
	go func() { <-first; time.Sleep(200 * time.Millisecond); cancel() }()
	done := make(chan error, 1)
	go func() { _, _, err := get(t, c, ctx, "/customers"); done <- err }()
	select {
	case err := <-done:
		assert.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "loyalty: yotpo GET /customers")
		assert.Equal(t, 1, rec.count(), "cancelled while waiting, before a second attempt")
	case <-time.After(5 * time.Second):
		t.Fatal("Do kept waiting 30s of Retry-After after its context was cancelled")
	}
}

func TestRateLimitErrorCarriesRetryAfter(t *testing.T) {
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Query().Get("reset") != "" {
			w.Header().Set("ratelimit-reset", "3")
		} else {
			w.Header().Set("Retry-After", "7")
		}
		w.WriteHeader(http.StatusTooManyRequests)
		fmt.Fprint(w, `{"error_message":"slow down"}`)
	}, loyalty.WithRetryPolicy(loyalty.NoRetry))
	_, _, err := get(t, c, context.Background(), "/customers")
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.ErrorIs(t, err, loyalty.ErrRateLimited)
	assert.Equal(t, 7*time.Second, e.RetryAfter)
	assert.True(t, e.Retryable())

	req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	req.Query.Set("reset", "1")
	_, err = c.Do(context.Background(), req, nil)
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 3*time.Second, e.RetryAfter, "Yotpo's ratelimit-reset stands in for Retry-After")
}

func TestTransportErrorWrapsCause(t *testing.T) {
	c, srv := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {})
	srv.Close() // connection refused from now on
	_, _, err := get(t, c, context.Background(), "/customers")
	require.Error(t, err)
	var e *loyalty.Error
	assert.False(t, errors.As(err, &e), "no response, so no *Error")
	assert.Contains(t, err.Error(), "loyalty: yotpo GET /customers")
	assert.Contains(t, err.Error(), "connection refused")
}

func TestNotConfiguredPlatform(t *testing.T) {
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {})
	_, err := c.NewRequest(loyalty.Monterosa, http.MethodGet, "/api/loyalty/config", nil)
	assert.ErrorIs(t, err, loyalty.ErrNotConfigured)
	assert.Contains(t, err.Error(), "WithMonterosa")
	assert.Equal(t, []loyalty.Platform{loyalty.Yotpo}, c.Platforms())
}

func TestNewRequestRejectsBadInput(t *testing.T) {
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) { t.Error("no request may be sent") })
	for _, tc := range []struct{ method, path string }{
		{"get", "/customers"},
		{"", "/customers"},
		{"GET", "customers"},
		{"GET", "https://evil.example/customers"},
		{"GET", "//evil.example/customers"},
		{"GET", "/customers?api_key=x"},
	} {
		_, err := c.NewRequest(loyalty.Yotpo, tc.method, tc.path, nil)
		assert.Error(t, err, "%s %s", tc.method, tc.path)
	}
	_, err := c.NewRequest(loyalty.Yotpo, "POST", "/orders", map[string]any{"bad": make(chan int)})
	assert.ErrorContains(t, err, "encoding body")
}

func TestSetQueryEncodesOptionStructs(t *testing.T) {
	var rec recorder
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) { rec.add(r); fmt.Fprint(w, `{}`) })
	type listOptions struct {
		Page     int       `url:"page,omitempty"`
		PerPage  int       `url:"per_page,omitempty"`
		LastSeen time.Time `url:"last_seen_at,omitempty"`
		Email    string    `url:"customer_email,omitempty"`
	}
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers/all", nil)
	require.NoError(t, err)
	require.NoError(t, req.SetQuery(listOptions{Page: 2, PerPage: 100, LastSeen: time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)}))
	_, err = c.Do(context.Background(), req, nil)
	require.NoError(t, err)
	assert.Equal(t, "last_seen_at=2024-05-01T12%3A00%3A00Z&page=2&per_page=100", rec.reqs[0].URL.RawQuery)
	assert.Error(t, req.SetQuery(42), "only structs encode")
}
