package shop_test

// Copy this file next to your integration: each test starts its own fake
// (loyaltytest.New closes it when the test ends), so they can run in
// parallel.

import (
	"context"
	"net/http/httptest"
	"sync"
	"testing"

	"github.com/loyalty-go/loyalty"
	shop "github.com/loyalty-go/loyalty/examples/testing"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/webhook"
)

var paid = shop.Order{
	ID: "O-1001", CustomerID: "C-1042", Email: "ana@example.com", FirstName: "Ana",
	Total: loyalty.NewMoney(12000, "EUR"), Paid: true, // 120.00 EUR
}

// points is the balance the fake holds for email.
func points(t *testing.T, srv *loyaltytest.Server, email string) int64 {
	t.Helper()
	for _, c := range srv.Yotpo().Customers() {
		if c.Email == email {
			return c.PointsBalance
		}
	}
	t.Fatalf("no customer %s in the fake", email)
	return 0
}

func TestPaidOrderEarnsPoints(t *testing.T) {
	t.Parallel()
	srv := loyaltytest.New(t, loyaltytest.WithDemoData()) // 1 point per 1.00
	if err := shop.AwardPaidOrder(context.Background(), srv.Client(), paid); err != nil {
		t.Fatal(err)
	}
	if got := points(t, srv, "ana@example.com"); got != 120 {
		t.Errorf("balance %d, want 120", got)
	}
}

func TestUnpaidOrderSendsNothing(t *testing.T) {
	t.Parallel()
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	pending := paid
	pending.Paid = false
	if err := shop.AwardPaidOrder(context.Background(), srv.Client(), pending); err != nil {
		t.Fatal(err)
	}
	if reqs := srv.Requests(); len(reqs) != 0 {
		t.Errorf("%d requests sent for an unpaid order, first %s %s", len(reqs), reqs[0].Method, reqs[0].Path)
	}
}

// The shop retries after an error: the order is counted once.
func TestResentOrderCountsOnce(t *testing.T) {
	t.Parallel()
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	for range 3 {
		if err := shop.AwardPaidOrder(context.Background(), srv.Client(), paid); err != nil {
			t.Fatal(err)
		}
	}
	if got := points(t, srv, "ana@example.com"); got != 120 {
		t.Errorf("balance %d after three sends, want 120", got)
	}
}

// A platform outage of one request: the SDK retries the order (safe, as
// Yotpo de-duplicates it) and the call succeeds.
func TestOrderSurvivesAnOutage(t *testing.T) {
	t.Parallel()
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	srv.InjectFault(loyaltytest.Fault{Path: "/api/v2/orders", Status: 503, Times: 1})
	if err := shop.AwardPaidOrder(context.Background(), srv.Client(), paid); err != nil {
		t.Fatal(err)
	}
	if got := points(t, srv, "ana@example.com"); got != 120 {
		t.Errorf("balance %d, want 120", got)
	}
	if n := len(srv.Faults()); n != 0 {
		t.Errorf("%d faults left unused: the retry did not happen", n)
	}
}

// A longer outage: the error reaches the shop, which can send again later.
func TestOrderReportsALongOutage(t *testing.T) {
	t.Parallel()
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	srv.InjectFault(loyaltytest.Fault{Path: "/api/v2/orders", Status: 503, Times: 100})
	err := shop.AwardPaidOrder(context.Background(), srv.Client(), paid)
	if err == nil {
		t.Fatal("no error through a long outage")
	}
	srv.ClearFaults()
	if err := shop.AwardPaidOrder(context.Background(), srv.Client(), paid); err != nil {
		t.Fatal(err)
	}
	if got := points(t, srv, "ana@example.com"); got != 120 {
		t.Errorf("balance %d, want 120", got)
	}
}

// The webhooks the platform sends about it, received by the same
// webhook.Receiver handler your shop serves.
func TestPaidOrderWebhooks(t *testing.T) {
	t.Parallel()
	rc, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"test-token"}})
	if err != nil {
		t.Fatal(err)
	}
	var mu sync.Mutex
	var events []webhook.Event
	recv := httptest.NewServer(rc.Handler(func(_ context.Context, ev webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		events = append(events, ev)
		return nil
	}, webhook.HandlerOptions{}))
	t.Cleanup(recv.Close) // registered first, so it closes after the fake

	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	srv.Yotpo().SetWebhook(recv.URL, "Bearer test-token")
	if err := shop.AwardPaidOrder(context.Background(), srv.Client(), paid); err != nil {
		t.Fatal(err)
	}
	if err := srv.WaitForWebhooks(context.Background()); err != nil {
		t.Fatal(err)
	}

	mu.Lock()
	defer mu.Unlock()
	var earned *webhook.Event
	for i, ev := range events {
		if ev.Kind == webhook.KindPointsEarned {
			earned = &events[i]
		}
	}
	if earned == nil {
		t.Fatalf("no points_earned webhook among %d events", len(events))
	}
	if earned.CustomerEmail != "ana@example.com" || earned.PointsDelta == nil || *earned.PointsDelta != 120 ||
		earned.PointsBalance == nil || *earned.PointsBalance != 120 {
		t.Errorf("points_earned: %+v", *earned)
	}
}
