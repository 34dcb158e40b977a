package loyaltytest

import (
	"context"
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
)

// discardWriter is a ResponseWriter that keeps nothing, so that
// BenchmarkServeYotpoGetCustomer counts the fake's work alone.
type discardWriter struct {
	h      http.Header
	status int
}

func (w *discardWriter) Header() http.Header         { return w.h }
func (w *discardWriter) WriteHeader(code int)        { w.status = code }
func (w *discardWriter) Write(p []byte) (int, error) { return len(p), nil }

// BenchmarkServeYotpoGetCustomer is the fake's own cost of the GET
// /customers of bench's BenchmarkFakeThroughput (request log on), without
// a connection or a client: what that benchmark's impl=fake pays beyond
// impl=bare, in CPU and allocations, with less of a loaded machine's noise.
func BenchmarkServeYotpoGetCustomer(b *testing.B) {
	srv := New(b)
	if _, _, err := srv.Client().Customers.Upsert(context.Background(), loyalty.CustomerInput{Email: "ana@example.com", ID: "C-1"}); err != nil {
		b.Fatal(err)
	}
	target := srv.URL + contract.YotpoBasePath + contract.YotpoPathCustomers + "?customer_email=ana%40example.com&with_history=false&with_referral_code=false"
	h := http.Header{}
	h.Set(contract.YotpoHeaderGUID, DefaultYotpoGUID)
	h.Set(contract.YotpoHeaderAPIKey, DefaultYotpoAPIKey)
	h.Set("Accept", "application/json")
	req, err := http.NewRequest(http.MethodGet, target, nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Header = h
	w := &discardWriter{h: http.Header{}}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		clear(w.h)
		w.status = 0
		srv.serve(w, req)
		if w.status != http.StatusOK {
			b.Fatalf("status %d", w.status)
		}
	}
}
