package loyaltytest

import (
	"errors"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
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
