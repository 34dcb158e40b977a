package otelloyalty_test

import (
	"io"
	"net/http"
	"runtime"
	"syscall"
	"testing"
	"time"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/otelloyalty"
)

// BenchmarkObserverOverhead alternates, in blocks of calls (in either
// order), GETs without an observer and with otelloyalty over no-op
// providers, in process (the worst case: no network time to hide in), and
// reports per call the wall time and the CPU time of the benchmark's own
// OS thread (getrusage RUSAGE_THREAD) of each, and the overhead of both in
// percent. The thread's CPU time leaves out the time other processes held
// the CPU, which on a shared machine moves wall times far more than the
// observer does; it also leaves out the collector's background workers,
// so allocations count only as far as the call pays for them itself.
func BenchmarkObserverOverhead(b *testing.B) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, benchBody)
	})
	client := func(opts ...loyalty.Option) *loyalty.Client {
		c, err := loyalty.NewClient(append([]loyalty.Option{
			loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: "https://loyalty.yotpo.com/api/v2", RateLimit: rate.Inf}),
			loyalty.WithHTTPClient(&http.Client{Transport: inProcess{handler}}),
		}, opts...)...)
		if err != nil {
			b.Fatal(err)
		}
		return c
	}
	o := otelloyalty.New(otelloyalty.WithTracerProvider(tracenoop.NewTracerProvider()), otelloyalty.WithMeterProvider(metricnoop.NewMeterProvider()))
	clients := [2]*loyalty.Client{client(), client(loyalty.WithObserver(o.Client()))}
	runtime.LockOSThread()
	defer runtime.UnlockOSThread()
	const block = 50
	var wall, cpu [2]time.Duration
	calls := [2]int{}
	b.ResetTimer()
	for i := 0; i < b.N; i += 2 * block {
		order := [2]int{0, 1}
		if (i/(2*block))%2 == 1 {
			order = [2]int{1, 0}
		}
		for _, k := range order {
			startWall, startCPU := time.Now(), threadCPU(b)
			for range block {
				benchGet(b, clients[k])
			}
			wall[k] += time.Since(startWall)
			cpu[k] += threadCPU(b) - startCPU
			calls[k] += block
		}
	}
	per := func(d time.Duration, n int) float64 { return float64(d.Nanoseconds()) / float64(n) }
	b.ReportMetric(per(wall[0], calls[0]), "wall-ns/none")
	b.ReportMetric(per(wall[1], calls[1]), "wall-ns/noop")
	b.ReportMetric(per(cpu[0], calls[0]), "cpu-ns/none")
	b.ReportMetric(per(cpu[1], calls[1]), "cpu-ns/noop")
	b.ReportMetric(100*(per(wall[1], calls[1])/per(wall[0], calls[0])-1), "wall-overhead-pct")
	b.ReportMetric(100*(per(cpu[1], calls[1])/per(cpu[0], calls[0])-1), "cpu-overhead-pct")
}

// threadCPU is the user and system CPU time of the calling OS thread.
func threadCPU(b *testing.B) time.Duration {
	var ru syscall.Rusage
	if err := syscall.Getrusage(syscall.RUSAGE_THREAD, &ru); err != nil {
		b.Fatal(err)
	}
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}
