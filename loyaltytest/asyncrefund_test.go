package loyaltytest_test

import (
	"context"
	"errors"
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// TestYotpoAsyncRefunds checks WithYotpoAsyncRefunds: a refund is
// acknowledged (200) and changes nothing until it is processed, pending
// refunds count against the order's total when the next one is accepted,
// and processing (from Go or the admin API) applies them in order.
func TestYotpoAsyncRefunds(t *testing.T) {
	ctx := context.Background()
	srv := loyaltytest.New(t, loyaltytest.WithDemoData(), loyaltytest.WithYotpoAsyncRefunds())
	earned := earnOnYotpo(t, srv, "ana@example.com", 10000)
	if earned <= 0 {
		t.Fatalf("the demo order earned %d", earned)
	}
	c := srv.Client()
	order := "O-ana@example.com"
	if _, err := c.Orders.Refund(ctx, loyalty.Refund{ID: "R-1", OrderID: order, Total: loyalty.NewMoney(6000, "EUR")}); err != nil {
		t.Fatal(err)
	}
	balance := func() int64 {
		cust, _, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil)
		if err != nil {
			t.Fatal(err)
		}
		return cust.PointsBalance
	}
	if got := balance(); got != earned {
		t.Fatalf("balance %d right after the refund, want %d (not processed yet)", got, earned)
	}
	p := srv.Yotpo().PendingRefunds()
	if len(p) != 1 || p[0].ID != "R-1" || p[0].OrderID != order || p[0].AmountCents != 6000 {
		t.Fatalf("pending %+v", p)
	}
	// 60.00 pending + 50.00 exceeds the 100.00 order.
	_, err := c.Orders.Refund(ctx, loyalty.Refund{OrderID: order, Total: loyalty.NewMoney(5000, "EUR")})
	if !errors.Is(err, loyalty.ErrInvalid) {
		t.Fatalf("a refund beyond the total with one pending: %v", err)
	}
	// The same refund id again is acknowledged and queues nothing.
	if _, err := c.Orders.Refund(ctx, loyalty.Refund{ID: "R-1", OrderID: order, Total: loyalty.NewMoney(6000, "EUR")}); err != nil {
		t.Fatal(err)
	}
	if n := srv.Yotpo().ProcessRefunds(); n != 1 {
		t.Fatalf("processed %d, want 1", n)
	}
	if got, want := balance(), earned-earned*6/10; got != want {
		t.Fatalf("balance %d after processing, want %d", got, want)
	}
	if _, err := c.Orders.Refund(ctx, loyalty.Refund{OrderID: order, Total: loyalty.NewMoney(4000, "EUR")}); err != nil {
		t.Fatal(err)
	}
	if o := srv.Yotpo().Orders()[0]; o.RefundedCents != 6000 || o.PendingRefundCents != 4000 {
		t.Fatalf("order %+v", o)
	}
	r := do(t, srv, call{method: http.MethodPost, path: loyaltytest.AdminPath + "/yotpo/refunds/process"})
	if r.status != http.StatusOK || r.obj(t)["processed"] != float64(1) {
		t.Fatalf("admin process: %d %s", r.status, r.body)
	}
	if got := balance(); got != 0 {
		t.Fatalf("balance %d after the whole order was refunded", got)
	}
	if p := srv.Yotpo().PendingRefunds(); len(p) != 0 {
		t.Fatalf("pending after processing %+v", p)
	}
}

// Without the option a refund is applied before the answer.
func TestYotpoRefundsSyncByDefault(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	earned := earnOnYotpo(t, srv, "ana@example.com", 10000)
	if _, err := srv.Client().Orders.Refund(context.Background(), loyalty.Refund{OrderID: "O-ana@example.com", Total: loyalty.NewMoney(10000, "EUR")}); err != nil {
		t.Fatal(err)
	}
	if c := srv.Yotpo().Customers()[0]; c.PointsBalance != 0 || earned == 0 || len(srv.Yotpo().PendingRefunds()) != 0 {
		t.Fatalf("customer %+v", c)
	}
}
