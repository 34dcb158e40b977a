package loyalty_test

import (
	"context"
	"fmt"
	"net/http"
	"runtime"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// BenchmarkSendBatch sends 10,000 standard events per op through
// SendBatch to the in-process fake (default concurrency), without faults
// and with 20% of the sends answered 503 or 429 and retried
// (loyaltytest.TestRetryPolicy: millisecond waits). It reports events/s and
// allocations per event; both sides run in this process, so the
// allocations include the fake's.
func BenchmarkSendBatch(b *testing.B) {
	const n = 10000
	for _, rate := range []float64{0, 0.2} {
		b.Run(fmt.Sprintf("faults=%.0f%%", rate*100), func(b *testing.B) {
			srv := loyaltytest.New(b, loyaltytest.WithRecordLimit(-1), loyaltytest.WithRandomFaults(loyaltytest.RandomFaults{
				Rate: rate, Seed: 1, Statuses: []int{http.StatusServiceUnavailable, http.StatusTooManyRequests},
				Path: contract.QualifioBasePath + contract.QualifioPathEvents,
			}))
			c := srv.Client()
			ctx := context.Background()
			if _, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "ana@example.com"}); err != nil {
				b.Fatal(err)
			}
			events := make([]loyalty.Event, n)
			for i := range events {
				events[i] = loyalty.Event{Type: loyalty.EventCustomBasic, Email: "ana@example.com",
					Tags: map[string]string{"channel": "web"}, Counters: map[string]float64{"pages": 2}}
			}
			var before, after runtime.MemStats
			runtime.ReadMemStats(&before)
			b.ReportAllocs()
			b.ResetTimer()
			failed := 0
			for range b.N {
				res, err := c.Events.SendBatch(ctx, events, nil)
				if err != nil {
					b.Fatal(err)
				}
				for _, r := range res {
					if r.Err != nil {
						failed++
					}
				}
			}
			b.StopTimer()
			runtime.ReadMemStats(&after)
			total := float64(n * b.N)
			b.ReportMetric(total/b.Elapsed().Seconds(), "events/s")
			b.ReportMetric(float64(after.Mallocs-before.Mallocs)/total, "allocs/event")
			b.ReportMetric(float64(failed)/total, "failed/event")
		})
	}
}
