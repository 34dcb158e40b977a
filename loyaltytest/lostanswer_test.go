package loyaltytest_test

import (
	"context"
	"errors"
	"net/http"
	"slices"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// lostAnswerModes are the ways Fault.AfterApply loses an answer that the
// SDK must report as ErrMaybeApplied.
var lostAnswerModes = []struct {
	name  string
	fault loyaltytest.Fault
}{
	{"cut", loyaltytest.Fault{AfterApply: true, Drop: true}},
	{"502", loyaltytest.Fault{AfterApply: true, Status: http.StatusBadGateway}},
	{"504", loyaltytest.Fault{AfterApply: true, Status: http.StatusGatewayTimeout}},
}

// TestAfterApplyFaultAppliesTheWrite checks, for one write per platform,
// that a fault after the write lets the platform apply it and the SDK
// says ErrMaybeApplied, once: the fault is used up and the next call is
// answered.
func TestAfterApplyFaultAppliesTheWrite(t *testing.T) {
	ctx := context.Background()
	writes := []struct {
		platform, method, route string
		// write makes the call; applied counts how often its change shows
		// in the fake's state.
		write   func(c *loyalty.Client, n int) error
		applied func(srv *loyaltytest.Server) int
	}{
		{"yotpo", http.MethodPost, "/api/v2/points/adjust",
			func(c *loyalty.Client, _ int) error {
				_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 25, Earned: true})
				return err
			},
			func(srv *loyaltytest.Server) int {
				for _, cu := range srv.Yotpo().Customers() {
					if cu.Email == "ana@example.com" {
						return int(cu.PointsBalance / 25)
					}
				}
				return 0
			}},
		{"influenceio", http.MethodPost, "/v1/customers/{id}/points",
			func(c *loyalty.Client, _ int) error {
				_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("c-1"), Points: 25})
				return err
			},
			func(srv *loyaltytest.Server) int {
				for _, cu := range srv.InfluenceIO().Customers() {
					if cu.ID == "c-1" {
						return cu.PointBalance / 25
					}
				}
				return 0
			}},
		{"qualifio", http.MethodPost, "/api/management/members",
			func(c *loyalty.Client, n int) error {
				_, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "m" + strings.Repeat("x", n) + "@example.com"})
				return err
			},
			func(srv *loyaltytest.Server) int { return len(srv.Qualifio().Members()) }},
		{"monterosa", http.MethodPost, "/api/loyalty/action",
			func(c *loyalty.Client, n int) error {
				_, err := c.Rewards.ForUser("fan-1").ReportAction(ctx, loyalty.RewardsAction{Name: []string{"vote", "share", "vote"}[n]})
				return err
			},
			func(srv *loyaltytest.Server) int {
				for _, p := range srv.Monterosa().Profiles() {
					if p.UserID == "fan-1" {
						return len(p.Challenges["welcome"].MissionsCompleted)
					}
				}
				return 0
			}},
	}
	for _, w := range writes {
		for _, mode := range lostAnswerModes {
			t.Run(w.platform+"/"+mode.name, func(t *testing.T) {
				srv := loyaltytest.New(t, loyaltytest.WithDemoData())
				c := srv.Client()
				if w.platform == "influenceio" {
					c = srv.ClientFor(loyalty.InfluenceIO)
					if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "c-1", Email: "c1@example.com"}); err != nil {
						t.Fatal(err)
					}
				}
				if w.platform == "yotpo" {
					if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"}); err != nil {
						t.Fatal(err)
					}
				}
				before := w.applied(srv)
				f := mode.fault
				f.Method, f.Route = w.method, w.route
				srv.InjectFault(f)

				err := w.write(c, 0)
				if !errors.Is(err, loyalty.ErrMaybeApplied) {
					t.Fatalf("write under %s: err %v, want ErrMaybeApplied", mode.name, err)
				}
				if got := w.applied(srv); got != before+1 {
					t.Fatalf("the write was not applied once: state count %d, want %d", got, before+1)
				}
				var recorded []loyaltytest.RecordedRequest
				for _, rr := range srv.Requests() {
					if rr.Route == w.route {
						recorded = append(recorded, rr)
					}
				}
				if len(recorded) != 1 {
					t.Fatalf("the write was sent %d times, want once (never retried): %+v", len(recorded), recorded)
				}
				if want := "applied, then " + strings.TrimPrefix(mode.name, "cut"); mode.name == "cut" && recorded[0].Fault != "applied, then drop" || mode.name != "cut" && recorded[0].Fault != want {
					t.Errorf("recorded fault %q for %s", recorded[0].Fault, mode.name)
				}
				if err := w.write(c, 1); err != nil {
					t.Fatalf("the fault was not used up: %v", err)
				}
				if got := w.applied(srv); got != before+2 {
					t.Fatalf("after the second write: state count %d, want %d", got, before+2)
				}
			})
		}
	}
}

// TestAfterApplyFaultTimes checks Times and the route and method matching:
// the fault hits the next N matching calls only.
func TestAfterApplyFaultTimes(t *testing.T) {
	ctx := context.Background()
	srv := loyaltytest.New(t)
	c := srv.Client()
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"}); err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(loyaltytest.Fault{Method: http.MethodPost, Route: "/api/v2/points/adjust", AfterApply: true, Status: 504, Times: 2})
	// Another route and another method on the same path pass.
	if _, _, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil); err != nil {
		t.Fatal(err)
	}
	var errs []bool
	for range 3 {
		_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 1})
		errs = append(errs, errors.Is(err, loyalty.ErrMaybeApplied))
	}
	if !slices.Equal(errs, []bool{true, true, false}) {
		t.Fatalf("ErrMaybeApplied per call %v, want the first two", errs)
	}
	if got := srv.Yotpo().Customers()[0].PointsBalance; got != 3 {
		t.Fatalf("balance %d, want all three writes applied", got)
	}
	if f := srv.Faults(); len(f) != 0 {
		t.Fatalf("faults left %+v", f)
	}
}

// TestAdminAfterApplyFault scripts the fault over the admin API.
func TestAdminAfterApplyFault(t *testing.T) {
	ctx := context.Background()
	srv := loyaltytest.New(t)
	r := do(t, srv, call{method: http.MethodPost, path: loyaltytest.AdminPath + "/faults",
		body: map[string]any{"method": "POST", "route": "/api/management/members", "afterApply": true, "drop": true, "times": 1}})
	if r.status != http.StatusCreated {
		t.Fatalf("inject: %d %s", r.status, r.body)
	}
	if got := r.obj(t); got["route"] != "/api/management/members" || got["afterApply"] != true {
		t.Fatalf("fault as stored %v", got)
	}
	_, _, err := srv.Client().Members.Create(ctx, loyalty.MemberInput{Email: "ana@example.com"})
	if !errors.Is(err, loyalty.ErrMaybeApplied) {
		t.Fatalf("err %v, want ErrMaybeApplied", err)
	}
	if n := len(srv.Qualifio().Members()); n != 1 {
		t.Fatalf("%d members, want the create applied", n)
	}
	r = do(t, srv, call{method: http.MethodPost, path: loyaltytest.AdminPath + "/faults",
		body: map[string]any{"route": "v1/customers", "status": 502}})
	if r.status != http.StatusBadRequest || !strings.Contains(string(r.body), "route") {
		t.Fatalf("a route without / : %d %s", r.status, r.body)
	}
}
