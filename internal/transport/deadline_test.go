package transport

import (
	"context"
	"errors"
	"net/http"
	"testing"
	"time"
)

// A call's limit on attempts is counted by its Attempts: the Policy's
// MaxRetries+1 by default, Rule.MaxAttempts when set (above or below it).
func TestCheckRetryStopsAtTheCallsAttempts(t *testing.T) {
	p := Policy{MaxRetries: 2, ServerRetryable: func(int) bool { return true }}
	for _, tc := range []struct {
		max, made int
		want      bool
	}{
		{0, 1, true}, {0, 2, true}, {0, 3, false}, // the policy's 2 retries
		{1, 1, false},                             // one attempt
		{5, 3, true}, {5, 4, true}, {5, 5, false}, // more than the policy
	} {
		ctx, a := WithAttempts(WithRule(context.Background(), Rule{Idempotent: true, MaxAttempts: tc.max}))
		a.n.Store(int32(tc.made))
		if got, _ := p.CheckRetry(ctx, &http.Response{StatusCode: 503}, nil); got != tc.want {
			t.Errorf("MaxAttempts %d after %d attempts: retry=%v, want %v", tc.max, tc.made, got, tc.want)
		}
	}
}

// Policy.Do's loop lets a call's Rule ask for more attempts than the
// policy's, up to contract.MaxCallRetries retries, and no more.
func TestDoMakesTheAttemptsTheRuleAsks(t *testing.T) {
	p := Policy{MaxRetries: 1, ServerRetryable: func(int) bool { return true }}
	for _, tc := range []struct{ max, want int }{{0, 2}, {1, 1}, {5, 5}, {100, 11}} {
		var n int
		rt := &Logging{Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
			n++
			return &http.Response{StatusCode: 503, Body: http.NoBody, Header: http.Header{}, Request: r}, nil
		})}
		ctx, _ := WithAttempts(WithRule(context.Background(), Rule{Idempotent: true, MaxAttempts: tc.max}))
		req, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.invalid/", nil)
		resp, err := p.Do(rt, req, nil)
		if err != nil || resp.StatusCode != 503 || resp.Request != req {
			t.Fatalf("MaxAttempts %d: %v, %v", tc.max, resp, err)
		}
		if n != tc.want {
			t.Errorf("MaxAttempts %d: %d attempts, want %d", tc.max, n, tc.want)
		}
	}
}

// Each attempt gets AttemptTimeout of its own under the call's context;
// only its own deadline makes a TimedOut.
func TestDeadline(t *testing.T) {
	wait := roundTripFunc(func(r *http.Request) (*http.Response, error) {
		<-r.Context().Done()
		return nil, r.Context().Err()
	})
	d := &Deadline{Base: wait}
	req := func(ctx context.Context) *http.Request {
		r, _ := http.NewRequestWithContext(ctx, http.MethodGet, "http://example.invalid/", nil)
		return r
	}

	ctx := WithRule(context.Background(), Rule{AttemptTimeout: 20 * time.Millisecond})
	start := time.Now()
	_, err := d.RoundTrip(req(ctx))
	var to *TimedOut
	if !errors.As(err, &to) || to.After != 20*time.Millisecond || !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("err %v, want a TimedOut after 20ms matching DeadlineExceeded", err)
	}
	if time.Since(start) > 2*time.Second {
		t.Errorf("took %v", time.Since(start))
	}

	// The caller's own cancellation is not the attempt's timeout.
	cctx, cancel := context.WithCancel(WithRule(context.Background(), Rule{AttemptTimeout: time.Hour}))
	cancel()
	if _, err := d.RoundTrip(req(cctx)); errors.As(err, &to) || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled call: %v", err)
	}

	// Without AttemptTimeout the request goes as it is.
	pass := &Deadline{Base: roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if _, ok := r.Context().Deadline(); ok {
			t.Error("a deadline without AttemptTimeout")
		}
		return &http.Response{StatusCode: 200}, nil
	})}
	if _, err := pass.RoundTrip(req(context.Background())); err != nil {
		t.Fatal(err)
	}
}
