package yotpofake

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// benchFake is a Fake holding n customers "cust-0" … with e-mails and ids,
// put in place directly (the HTTP path is what the benchmark measures).
func benchFake(n int) *Fake {
	ids := 0
	f := New(fakekit.Env{
		Now:     time.Now,
		NewID:   func() string { ids++; return "id-" + strconv.Itoa(ids) },
		Emit:    func(fakekit.Delivery) {},
		MaxBody: 1 << 20,
	}, Config{})
	f.mu.Lock()
	defer f.mu.Unlock()
	for i := range n {
		c := f.newCustomer(fmt.Sprintf("c%d@example.com", i))
		id := "cust-" + strconv.Itoa(i)
		f.setIdentifiers(c, &id, nil, nil)
	}
	if c, _ := f.byID.First("cust-0"); c == nil || c.email != "c0@example.com" {
		panic("benchFake: customers not indexed by id")
	}
	return f
}

// BenchmarkUpsertByID is POST /customers naming an existing customer by
// id (Customers.Upsert): with an index the cost does not grow with the
// number of customers.
func BenchmarkUpsertByID(b *testing.B) {
	for _, n := range []int{1000, 100000} {
		b.Run("customers="+strconv.Itoa(n), func(b *testing.B) {
			f := benchFake(n)
			bodies := make([]string, 64)
			for i := range bodies {
				k := (i * 7919) % n
				bodies[i] = fmt.Sprintf(`{"id":"cust-%d","email":"c%d@example.com","first_name":"Ana"}`, k, k)
			}
			runtime.GC() // the setup's garbage is not the benchmark's
			b.ReportAllocs()
			b.ResetTimer()
			for i := range b.N {
				req := httptest.NewRequest(http.MethodPost, contract.YotpoBasePath+contract.YotpoPathCustomers, strings.NewReader(bodies[i%len(bodies)]))
				req.Header.Set(contract.YotpoHeaderGUID, "g")
				req.Header.Set(contract.YotpoHeaderAPIKey, "k")
				req.Header.Set("Content-Type", "application/json")
				w := httptest.NewRecorder()
				f.ServeHTTP(w, req)
				if w.Code != http.StatusOK {
					b.Fatalf("status %d: %s", w.Code, w.Body)
				}
			}
		})
	}
}
