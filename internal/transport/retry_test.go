package transport

import (
	"context"
	"errors"
	"net"
	"net/http"
	"testing"
	"time"
)

func TestRetryAfterParsing(t *testing.T) {
	now := time.Date(2026, 11, 22, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		v    string
		want time.Duration
		ok   bool
	}{
		{"", 0, false},
		{"7", 7 * time.Second, true},
		{"0", 0, true},
		{"-3", 0, false},
		{"soon", 0, false},
		{now.Add(90 * time.Second).Format(http.TimeFormat), 90 * time.Second, true},
		{now.Add(-time.Hour).Format(http.TimeFormat), 0, true},
	} {
		h := http.Header{}
		if tc.v != "" {
			h.Set("Retry-After", tc.v)
		}
		got, ok := RetryAfter(h, now)
		if got != tc.want || ok != tc.ok {
			t.Errorf("RetryAfter(%q) = %v, %v; want %v, %v", tc.v, got, ok, tc.want, tc.ok)
		}
	}
}

func TestBackoff(t *testing.T) {
	p := Policy{MaxRetryAfter: 10 * time.Second, ResetHeader: "ratelimit-reset", ResetMin: time.Second, ResetMax: time.Minute}
	lo, hi := 100*time.Millisecond, time.Second
	for attempt := 0; attempt < 8; attempt++ {
		step := min(lo<<attempt, hi)
		for i := 0; i < 200; i++ {
			d := p.Backoff(lo, hi, attempt, nil)
			if d < step/2 || d > step {
				t.Fatalf("attempt %d: %v outside [%v, %v]", attempt, d, step/2, step)
			}
		}
	}
	resp := func(status int, kv ...string) *http.Response {
		h := http.Header{}
		for i := 0; i < len(kv); i += 2 {
			h.Set(kv[i], kv[i+1])
		}
		return &http.Response{StatusCode: status, Header: h}
	}
	for _, tc := range []struct {
		name string
		resp *http.Response
		want time.Duration
	}{
		{"Retry-After honoured", resp(429, "Retry-After", "3"), 3 * time.Second},
		{"Retry-After capped", resp(429, "Retry-After", "3600"), 10 * time.Second},
		{"Retry-After wins over reset", resp(429, "Retry-After", "2", "ratelimit-reset", "9"), 2 * time.Second},
		{"reset used on 429", resp(429, "ratelimit-reset", "4"), 4 * time.Second},
		{"reset clamped up to min", resp(429, "ratelimit-reset", "0"), time.Second},
		{"reset capped", resp(429, "ratelimit-reset", "600"), 10 * time.Second},
	} {
		if got := p.Backoff(lo, hi, 0, tc.resp); got != tc.want {
			t.Errorf("%s: %v, want %v", tc.name, got, tc.want)
		}
	}
}

func TestCheckRetry(t *testing.T) {
	p := Policy{ServerRetryable: func(s int) bool { return s == 503 }}
	idem := WithRule(context.Background(), Rule{Idempotent: true})
	unsafe := WithRule(context.Background(), Rule{Extra: []int{423}})
	dial := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	read := &net.OpError{Op: "read", Err: errors.New("connection reset")}
	for _, tc := range []struct {
		name   string
		ctx    context.Context
		status int
		err    error
		want   bool
	}{
		{"429 idempotent", idem, 429, nil, true},
		{"429 unsafe", unsafe, 429, nil, true},
		{"503 idempotent", idem, 503, nil, true},
		{"500 not in platform set", idem, 500, nil, false},
		{"503 unsafe", unsafe, 503, nil, false},
		{"423 extra", unsafe, 423, nil, true},
		{"423 not extra", idem, 423, nil, false},
		{"400", idem, 400, nil, false},
		{"dial error unsafe", unsafe, 0, dial, true},
		{"read error unsafe", unsafe, 0, read, false},
		{"read error idempotent", idem, 0, read, true},
		{"permanent", idem, 0, &Permanent{Err: errors.New("no token")}, false},
	} {
		var resp *http.Response
		if tc.err == nil {
			resp = &http.Response{StatusCode: tc.status}
		}
		got, _ := p.CheckRetry(tc.ctx, resp, tc.err)
		if got != tc.want {
			t.Errorf("%s: retry=%v, want %v", tc.name, got, tc.want)
		}
	}
	ctx, cancel := context.WithCancel(idem)
	cancel()
	if ok, err := p.CheckRetry(ctx, &http.Response{StatusCode: 503}, nil); ok || !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled context: %v, %v", ok, err)
	}
}

func TestSecondsSaturates(t *testing.T) {
	d, ok := Seconds("9300000000")
	if !ok || d <= 0 || d != time.Duration(maxSeconds)*time.Second {
		t.Errorf("Seconds(9300000000) = %v, %v", d, ok)
	}
	h := http.Header{"Retry-After": {"9300000000"}}
	if got, _ := RetryAfter(h, time.Now()); got <= 0 {
		t.Errorf("a huge Retry-After overflowed to %v", got)
	}
	p := Policy{MaxRetryAfter: time.Minute}
	if got := p.Backoff(time.Millisecond, time.Second, 0, &http.Response{StatusCode: 429, Header: h}); got != time.Minute {
		t.Errorf("huge Retry-After: wait %v, want the cap", got)
	}
}
