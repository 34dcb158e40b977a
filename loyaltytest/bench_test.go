package loyaltytest_test

import (
	"io"
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// benchGET measures the fake's throughput on one authenticated GET over
// keep-alive connections, many clients at once.
func benchGET(b *testing.B, srv *loyaltytest.Server, path string, h http.Header) {
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	b.ReportAllocs()
	b.SetParallelism(8)
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, srv.URL+path, nil)
			req.Header = h.Clone()
			resp, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

func BenchmarkQualifioGetMember(b *testing.B) {
	srv := loyaltytest.New(b)
	h := bearer(qualifioToken(b, srv))
	r := do(b, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "ana@example.com"}})
	var m struct{ ID string }
	r.json(b, &m)
	benchGET(b, srv, qMember(m.ID), h)
}

func BenchmarkMonterosaGetProfile(b *testing.B) {
	srv := loyaltytest.New(b)
	benchGET(b, srv, contract.MonterosaPathProfile, bearer("fan-1"))
}
