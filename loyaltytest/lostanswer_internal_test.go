package loyaltytest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// TestCutWithoutHijacker checks that the connection-cut faults, before
// and after the write, work on a ResponseWriter that cannot be hijacked
// (HTTP/2, or a transport that calls the handler in process): the handler
// aborts with http.ErrAbortHandler and sends nothing, and after the write
// the change is made.
func TestCutWithoutHijacker(t *testing.T) {
	for _, after := range []bool{false, true} {
		s := NewServer()
		s.InjectFault(Fault{Route: "/api/v2/customers", Drop: true, AfterApply: after})
		req := httptest.NewRequest(http.MethodPost, "/api/v2/customers", strings.NewReader(`{"email":"ana@example.com"}`))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GUID", "g")
		req.Header.Set("X-API-KEY", "k")
		rec := httptest.NewRecorder()
		func() {
			defer func() {
				if v := recover(); v == nil || !errors.Is(v.(error), http.ErrAbortHandler) {
					t.Errorf("after=%v: recovered %v, want http.ErrAbortHandler", after, v)
				}
			}()
			s.serve(rec, req)
		}()
		if rec.Body.Len() != 0 || rec.Code != http.StatusOK && rec.Code != 0 || rec.Flushed {
			t.Errorf("after=%v: an answer was written: %d %q", after, rec.Code, rec.Body)
		}
		if got, want := len(s.Yotpo().Customers()), map[bool]int{false: 0, true: 1}[after]; got != want {
			t.Errorf("after=%v: %d customers, want %d", after, got, want)
		}
		if rr := s.Requests(); len(rr) != 1 || rr[0].Status != 0 || rr[0].Duration == 0 {
			t.Errorf("after=%v: recorded %+v, want one finished request with no status", after, rr)
		}
		s.Close()
	}
}

// A Yotpo request the rate limit refuses uses an after-apply fault up but
// is not applied: the request log must not say "applied".
func TestAfterApplyFaultRateLimitedIsNotLoggedAsApplied(t *testing.T) {
	at := time.Date(2026, 12, 7, 12, 0, 0, 0, time.UTC)
	s := NewServer(WithRateLimit(), WithClock(func() time.Time { return at }))
	defer s.Close()
	send := func(method, path, body string) int {
		req := httptest.NewRequest(method, path, strings.NewReader(body))
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("X-GUID", "g")
		req.Header.Set("X-API-KEY", "k")
		rec := httptest.NewRecorder()
		s.serve(rec, req)
		return rec.Code
	}
	for i := 0; i < contract.YotpoRateLimitPerSecond; i++ {
		send(http.MethodGet, "/api/v2/vip_tiers", "")
	}
	s.InjectFault(Fault{Route: "/api/v2/customers", AfterApply: true, Status: http.StatusGatewayTimeout})
	if code := send(http.MethodPost, "/api/v2/customers", `{"email":"ana@example.com"}`); code != http.StatusTooManyRequests {
		t.Fatalf("status %d, want the rate limit's 429", code)
	}
	if n := len(s.Yotpo().Customers()); n != 0 {
		t.Fatalf("%d customers: the refused request was applied", n)
	}
	rr := s.Requests()
	last := rr[len(rr)-1]
	if last.Status != http.StatusTooManyRequests || strings.HasPrefix(last.Fault, "applied") || last.Fault == "" {
		t.Errorf("logged status %d, fault %q: want the 429 and a note that the fault was used up, not applied", last.Status, last.Fault)
	}
	if len(s.Faults()) != 0 {
		t.Error("the fault is still waiting (it is used up, as documented)")
	}
}
