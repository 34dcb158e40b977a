package loyaltytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"reflect"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// outcome is what a flow gives the caller and what the fake saw: the
// result, which sentinels the error matches, the *Error's status, the
// attempts, and the requests the fake recorded (IDs and times aside).
type outcome struct {
	Value    string
	Matches  []string
	Status   int
	Attempts int
	Requests []loyaltytest.RecordedRequest
}

// flow runs one call against srv through client.
type flow func(t *testing.T, srv *loyaltytest.Server, client *loyalty.Client) (value any, resp *loyalty.Response, err error)

var sentinels = []struct {
	name string
	err  error
}{
	{"ErrMaybeApplied", loyalty.ErrMaybeApplied},
	{"ErrNotFound", loyalty.ErrNotFound},
	{"ErrResponseTooLarge", loyalty.ErrResponseTooLarge},
	{"ErrInvalid", loyalty.ErrInvalid},
	{"context.Canceled", context.Canceled},
	{"context.DeadlineExceeded", context.DeadlineExceeded},
}

// inProcessFlows are the flows that must come out the same over a socket
// and in-process.
var inProcessFlows = []struct {
	name    string
	opts    []loyalty.Option
	timeout time.Duration // the http.Client's
	run     flow
}{
	{name: "read", run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		upsertAna(t, srv, c)
		return c.Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), nil)
	}},
	{name: "write", run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		upsertAna(t, srv, c)
		return c.Customers.AdjustPoints(context.Background(), loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 50, Earned: true})
	}},
	{name: "error status", run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		return c.Customers.Get(context.Background(), loyalty.ByEmail("nobody@example.com"), nil)
	}},
	{name: "token then error status (Qualifio)", run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		return c.Members.Get(context.Background(), "no-such-member")
	}},
	{name: "cut connection on a read is retried", run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		upsertAna(t, srv, c)
		// On a reused keep-alive connection net/http would resend the GET
		// itself, unseen by the SDK (one attempt); on a fresh one the SDK
		// retries. In-process is always the latter.
		c.CloseIdleConnections()
		srv.InjectFault(loyaltytest.Fault{Method: http.MethodGet, Path: contract.YotpoBasePath + contract.YotpoPathCustomers, Drop: true})
		return c.Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), nil)
	}},
	{name: "cut connection on a write is ErrMaybeApplied", run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		upsertAna(t, srv, c)
		srv.InjectFault(loyaltytest.Fault{Method: http.MethodPost, Path: contract.YotpoBasePath + contract.YotpoPathPointsAdjust, Drop: true})
		return c.Customers.AdjustPoints(context.Background(), loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 50})
	}},
	{name: "context cancelled while the handler blocks", run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		srv.InjectFault(loyaltytest.Fault{Path: contract.YotpoBasePath + contract.YotpoPathPointsAdjust, Delay: time.Minute})
		ctx, cancel := context.WithCancel(context.Background())
		time.AfterFunc(50*time.Millisecond, cancel)
		start := time.Now()
		v, resp, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 50})
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("the call returned %v after the cancel, want promptly", d)
		}
		return v, resp, err
	}},
	{name: "http.Client timeout while the handler blocks", timeout: 100 * time.Millisecond, run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		srv.InjectFault(loyaltytest.Fault{Path: contract.YotpoBasePath + contract.YotpoPathPointsAdjust, Delay: time.Minute})
		return c.Customers.AdjustPoints(context.Background(), loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 50})
	}},
	{name: "answer over WithMaxResponseBytes", opts: []loyalty.Option{loyalty.WithMaxResponseBytes(64)}, run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		upsertAna(t, srv, srv.Client()) // the answer is larger than 64 bytes too
		return c.Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), nil)
	}},
	{name: "server closed", run: func(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) (any, *loyalty.Response, error) {
		srv.Close()
		return c.Customers.AdjustPoints(context.Background(), loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 50})
	}},
}

// upsertAna creates the customer the flows use, then forgets the requests
// that took, so that a flow's outcome shows only its own call.
func upsertAna(t *testing.T, srv *loyaltytest.Server, c *loyalty.Client) {
	t.Helper()
	if _, _, err := c.Customers.Upsert(context.Background(), loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com", FirstName: "Ana"}); err != nil {
		t.Fatal(err)
	}
	srv.ResetRequests()
}

// runFlow runs f on a fresh fake, over a socket or in-process.
func runFlow(t *testing.T, inProcess bool, opts []loyalty.Option, timeout time.Duration, f flow) outcome {
	t.Helper()
	fixed := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	srv := loyaltytest.New(t, loyaltytest.WithClock(func() time.Time { return fixed }))
	hc := &http.Client{Transport: srv.HTTPClient().Transport, Timeout: timeout}
	if inProcess {
		hc = &http.Client{Transport: srv.InProcessTransport(), Timeout: timeout}
	}
	opts = append([]loyalty.Option{loyalty.WithHTTPClient(hc)}, opts...)
	client := srv.Client(opts...)
	v, resp, err := f(t, srv, client)
	var o outcome
	if err == nil {
		b, merr := json.Marshal(v)
		if merr != nil {
			t.Fatal(merr)
		}
		o.Value = string(b)
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			o.Matches = append(o.Matches, s.name)
		}
	}
	var e *loyalty.Error
	if errors.As(err, &e) {
		o.Status, o.Attempts = e.StatusCode, e.Attempts
	} else if resp != nil {
		o.Attempts = resp.Attempts
	}
	for _, r := range srv.Requests() {
		// Ids, times and latencies differ from run to run; the rest must not.
		r.ID, r.Time, r.RequestID, r.Duration = 0, time.Time{}, "", 0
		o.Requests = append(o.Requests, r)
	}
	return o
}

// The SDK sees the same over a socket and in-process: results, errors,
// attempts, and the requests the fake received, headers included.
func TestInProcessTransportBehavesAsASocket(t *testing.T) {
	for _, tc := range inProcessFlows {
		t.Run(tc.name, func(t *testing.T) {
			socket := runFlow(t, false, tc.opts, tc.timeout, tc.run)
			inProcess := runFlow(t, true, tc.opts, tc.timeout, tc.run)
			if !reflect.DeepEqual(socket, inProcess) {
				t.Errorf("in-process differs from the socket:\nsocket:     %+v\nin-process: %+v", socket, inProcess)
			}
			t.Logf("%+v", inProcess)
		})
	}
}

// The outcomes the parity test compares are the ones each flow is about,
// so that two equally broken paths cannot pass it.
func TestInProcessTransportFlowOutcomes(t *testing.T) {
	want := map[string]func(outcome) bool{
		"read":  func(o outcome) bool { return o.Value != "" && o.Matches == nil && o.Attempts == 1 },
		"write": func(o outcome) bool { return o.Value != "" && o.Matches == nil && len(o.Requests) == 1 },
		"error status": func(o outcome) bool {
			return o.Status == http.StatusNotFound && reflect.DeepEqual(o.Matches, []string{"ErrNotFound"})
		},
		"token then error status (Qualifio)": func(o outcome) bool {
			return o.Status == http.StatusNotFound && len(o.Requests) == 2 && o.Requests[0].Path == contract.QualifioTokenPath
		},
		"cut connection on a read is retried": func(o outcome) bool { return o.Value != "" && o.Attempts == 2 && len(o.Requests) == 2 },
		"cut connection on a write is ErrMaybeApplied": func(o outcome) bool {
			return reflect.DeepEqual(o.Matches, []string{"ErrMaybeApplied"}) && len(o.Requests) == 1
		},
		"context cancelled while the handler blocks": func(o outcome) bool {
			return reflect.DeepEqual(o.Matches, []string{"ErrMaybeApplied", "context.Canceled"}) && len(o.Requests) == 1
		},
		"http.Client timeout while the handler blocks": func(o outcome) bool {
			return reflect.DeepEqual(o.Matches, []string{"ErrMaybeApplied", "context.DeadlineExceeded"}) && len(o.Requests) == 1
		},
		"answer over WithMaxResponseBytes": func(o outcome) bool {
			return reflect.DeepEqual(o.Matches, []string{"ErrResponseTooLarge"}) && len(o.Requests) == 1
		},
		"server closed": func(o outcome) bool { return o.Value == "" && o.Matches == nil && len(o.Requests) == 0 },
	}
	for _, tc := range inProcessFlows {
		t.Run(tc.name, func(t *testing.T) {
			check := want[tc.name]
			if check == nil {
				t.Fatal("no expected outcome for this flow")
			}
			if o := runFlow(t, true, tc.opts, tc.timeout, tc.run); !check(o) {
				t.Errorf("unexpected outcome: %+v", o)
			}
		})
	}
}

// BenchmarkCustomersGet compares one Customers.Get over the fake's socket
// (httptest, keep-alive) with the same call in-process.
func BenchmarkCustomersGet(b *testing.B) {
	for _, way := range []string{"socket", "in-process"} {
		b.Run(way, func(b *testing.B) {
			srv := loyaltytest.New(b)
			var opts []loyalty.Option
			if way == "in-process" {
				opts = append(opts, loyalty.WithHTTPClient(&http.Client{Transport: srv.InProcessTransport()}))
			}
			c := srv.Client(opts...)
			ctx := context.Background()
			if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"}); err != nil {
				b.Fatal(err)
			}
			b.ReportAllocs()
			b.ResetTimer()
			for range b.N {
				if _, _, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}
