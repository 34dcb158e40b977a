package transport

import (
	"context"
	"errors"
	"fmt"
	"net"
	"net/http"
	"testing"

	"golang.org/x/oauth2"
)

// recordHooks keeps the attempts an Observation reports.
type recordHooks struct{ ends []AttemptEnd }

func (h *recordHooks) StartAttempt(ctx context.Context, n int, header http.Header) context.Context {
	return ctx
}
func (h *recordHooks) EndAttempt(ctx context.Context, a *AttemptEnd) { h.ends = append(h.ends, *a) }

// Each retry decision ends the attempt with its reason; a decision not to
// retry, or a retry the policy has no attempts left for, ends it with none.
func TestCheckRetryReportsTheReason(t *testing.T) {
	p := Policy{MaxRetries: 1, ServerRetryable: func(s int) bool { return s == 503 }}
	dial := &net.OpError{Op: "dial", Err: errors.New("connection refused")}
	read := &net.OpError{Op: "read", Err: errors.New("connection reset")}
	for _, tc := range []struct {
		name   string
		rule   Rule
		number int
		status int
		err    error
		want   string
	}{
		{"429", Rule{}, 1, 429, nil, ReasonRateLimited},
		{"extra", Rule{Extra: []int{423}}, 1, 423, nil, ReasonStatus},
		{"5xx idempotent", Rule{Idempotent: true}, 1, 503, nil, ReasonServerError},
		{"transport idempotent", Rule{Idempotent: true}, 1, 0, read, ReasonTransportError},
		{"dial unsafe", Rule{}, 1, 0, dial, ReasonConnectError},
		{"token endpoint down", Rule{}, 1, 0, &NotSent{Err: errors.New("down")}, ReasonNoCredentials},
		{"not retried: read unsafe", Rule{}, 1, 0, read, ""},
		{"not retried: 400", Rule{Idempotent: true}, 1, 400, nil, ""},
		{"no attempt left", Rule{Idempotent: true}, 2, 503, nil, ""},
	} {
		h := &recordHooks{}
		o := &Observation{Hooks: h, pending: true, attempt: AttemptEnd{Number: tc.number}, ctx: context.Background()}
		ctx, attempts := WithAttempts(WithRule(context.Background(), tc.rule))
		attempts.n.Store(int32(tc.number))
		ctx = WithObservation(ctx, o)
		var resp *http.Response
		if tc.err == nil {
			resp = &http.Response{StatusCode: tc.status}
		}
		_, _ = p.CheckRetry(ctx, resp, tc.err)
		if len(h.ends) != 1 || h.ends[0].RetryReason != tc.want {
			t.Errorf("%s: %+v; want one end with reason %q", tc.name, h.ends, tc.want)
		}
		o.Flush()
		if len(h.ends) != 1 {
			t.Errorf("%s: the attempt ended twice", tc.name)
		}
	}
}

type timeoutErr struct{}

func (timeoutErr) Error() string   { return "i/o timeout" }
func (timeoutErr) Timeout() bool   { return true }
func (timeoutErr) Temporary() bool { return true }

func TestErrorKind(t *testing.T) {
	for _, tc := range []struct {
		err  error
		want string
	}{
		{nil, ""},
		{context.Canceled, "canceled"},
		{fmt.Errorf("wrapped: %w", context.DeadlineExceeded), "timeout"},
		{&net.OpError{Op: "read", Err: timeoutErr{}}, "timeout"},
		{&oauth2.RetrieveError{}, "token_endpoint"},
		{&Permanent{Err: &oauth2.RetrieveError{}}, "token_endpoint"},
		{&TooLarge{Limit: 10}, "response_too_large"},
		{&NotSent{Err: errors.New("down")}, "credentials_unavailable"},
		{&Permanent{Err: errors.New("limiter")}, "not_sent"},
		{&Permanent{Err: &Refused{Err: fmt.Errorf("%w: turn after the deadline", context.DeadlineExceeded)}}, "not_sent"},
		{&Permanent{Err: context.DeadlineExceeded}, "timeout"}, // the deadline passed during the wait
		{&Permanent{Err: &LimiterFailed{Err: &net.OpError{Op: "dial", Err: errors.New("refused")}}}, "not_sent"},
		{&net.OpError{Op: "dial", Err: errors.New("refused")}, "connect_error"},
		{&net.DNSError{Err: "no such host"}, "connect_error"},
		{errors.New("connection reset"), "transport_error"},
	} {
		if got := ErrorKind(tc.err); got != tc.want {
			t.Errorf("ErrorKind(%v) = %q; want %q", tc.err, got, tc.want)
		}
	}
}
