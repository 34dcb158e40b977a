package loyaltytest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// TestRequestIDs checks that every platform's answers carry a request id
// in the platform's header, new for each request, that the request log
// shows it, and that the SDK reads it into Response.RequestID and
// Error.RequestID (a platform error, a fault before the write, and a
// gateway's answer after it).
func TestRequestIDs(t *testing.T) {
	ctx := context.Background()
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	c := srv.Client()
	ci := srv.ClientFor(loyalty.InfluenceIO)
	calls := []struct {
		platform string
		ok       func() (*loyalty.Response, error)
		fail     func() error
	}{
		{"yotpo",
			func() (*loyalty.Response, error) {
				_, r, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"})
				return r, err
			},
			func() error {
				_, _, err := c.Customers.Get(ctx, loyalty.ByEmail("nobody@example.com"), nil)
				return err
			}},
		{"influenceio",
			func() (*loyalty.Response, error) {
				_, r, err := ci.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "c-1", Email: "c1@example.com"})
				return r, err
			},
			func() error {
				_, _, err := ci.Customers.Get(ctx, loyalty.ByID("nobody"), nil)
				return err
			}},
		{"qualifio",
			func() (*loyalty.Response, error) {
				_, r, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "m@example.com"})
				return r, err
			},
			func() error {
				_, _, err := c.Members.Get(ctx, "00000000-0000-0000-0000-000000000000")
				return err
			}},
		{"monterosa",
			func() (*loyalty.Response, error) {
				_, r, err := c.Rewards.ForUser("fan-1").Profile(ctx)
				return r, err
			},
			func() error {
				_, _, err := c.Rewards.ForUser("fan-1").Coupon(ctx, "no-such-coupon")
				return err
			}},
	}
	seen := map[string]bool{}
	for _, call := range calls {
		header := contract.FakeRequestIDHeaders[call.platform]
		if header == "" {
			t.Fatalf("no request-id header for %s", call.platform)
		}
		resp, err := call.ok()
		if err != nil {
			t.Fatalf("%s: %v", call.platform, err)
		}
		if resp.RequestID == "" || resp.Header.Get(header) != resp.RequestID {
			t.Errorf("%s: Response.RequestID %q, %s %q", call.platform, resp.RequestID, header, resp.Header.Get(header))
		}
		last := srv.Requests()[len(srv.Requests())-1]
		if last.RequestID != resp.RequestID || string(last.Platform) != call.platform {
			t.Errorf("%s: the log has %q for %s, the answer %q", call.platform, last.RequestID, last.Platform, resp.RequestID)
		}
		var e *loyalty.Error
		if err := call.fail(); !errors.As(err, &e) {
			t.Fatalf("%s: want an *Error, got %v", call.platform, err)
		}
		if e.RequestID == "" || e.RequestID == resp.RequestID || e.Response.Header.Get(header) != e.RequestID {
			t.Errorf("%s: Error.RequestID %q (the success had %q)", call.platform, e.RequestID, resp.RequestID)
		}
		for _, id := range []string{resp.RequestID, e.RequestID} {
			if seen[id] {
				t.Errorf("request id %q seen twice", id)
			}
			seen[id] = true
		}
	}

	// Faults: before the platform (503) and a gateway's answer after it (504).
	for _, f := range []loyaltytest.Fault{
		{Route: "/api/loyalty/profile", Status: http.StatusServiceUnavailable, Times: 10},
		{Route: "/api/loyalty/action", AfterApply: true, Status: http.StatusGatewayTimeout},
	} {
		srv.InjectFault(f)
		var err error
		if f.AfterApply {
			_, err = c.Rewards.ForUser("fan-1").ReportAction(ctx, loyalty.RewardsAction{Name: "vote"})
		} else {
			_, _, err = c.Rewards.ForUser("fan-1").Profile(ctx)
		}
		var e *loyalty.Error
		if !errors.As(err, &e) || e.StatusCode != f.Status {
			t.Fatalf("fault %+v: %v", f, err)
		}
		last := srv.Requests()[len(srv.Requests())-1]
		if e.RequestID == "" || e.RequestID != last.RequestID || seen[e.RequestID] {
			t.Errorf("fault %d: Error.RequestID %q, logged %q", f.Status, e.RequestID, last.RequestID)
		}
		seen[e.RequestID] = true
		srv.ClearFaults()
	}
}
