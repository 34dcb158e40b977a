package otelloyalty_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	metricnoop "go.opentelemetry.io/otel/metric/noop"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	tracenoop "go.opentelemetry.io/otel/trace/noop"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/otelloyalty"
)

const benchBody = `{"customer":{"email":"ana@example.com","first_name":"Ana","points_balance":350}}`

// inProcess serves a Client's requests with a handler, without a network:
// the worst case for the observer's share of a call.
type inProcess struct{ h http.Handler }

func (p inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	p.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// BenchmarkGet is one Yotpo GET through the Client without an observer,
// with otelloyalty over no-op providers (the goal: under 5 % over none),
// and over the SDK (every span sampled, no exporter), over loopback
// keep-alive connections and in process. Compare with
//
//	go test -run='^$' -bench=BenchmarkGet -count=6 | benchstat -col /observer -
func BenchmarkGet(b *testing.B) {
	handler := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, benchBody)
	})
	srv := httptest.NewServer(handler)
	b.Cleanup(srv.Close)
	observers := []struct {
		name string
		opts func(b *testing.B) []loyalty.Option
	}{
		{"none", func(*testing.B) []loyalty.Option { return nil }},
		{"noop", func(*testing.B) []loyalty.Option {
			o := otelloyalty.New(otelloyalty.WithTracerProvider(tracenoop.NewTracerProvider()), otelloyalty.WithMeterProvider(metricnoop.NewMeterProvider()))
			return []loyalty.Option{loyalty.WithObserver(o.Client())}
		}},
		{"sdk", func(b *testing.B) []loyalty.Option {
			tp := sdktrace.NewTracerProvider()
			mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader()))
			b.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
			o := otelloyalty.New(otelloyalty.WithTracerProvider(tp), otelloyalty.WithMeterProvider(mp))
			return []loyalty.Option{loyalty.WithObserver(o.Client())}
		}},
	}
	transports := []struct {
		name string
		base string
		hc   *http.Client
	}{
		{"loopback", srv.URL, srv.Client()},
		{"inprocess", "https://loyalty.yotpo.com/api/v2", &http.Client{Transport: inProcess{handler}}},
	}
	for _, tr := range transports {
		for _, ob := range observers {
			b.Run("transport="+tr.name+"/observer="+ob.name, func(b *testing.B) {
				opts := append([]loyalty.Option{
					loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: tr.base, RateLimit: rate.Inf}),
					loyalty.WithHTTPClient(tr.hc),
				}, ob.opts(b)...)
				c, err := loyalty.NewClient(opts...)
				if err != nil {
					b.Fatal(err)
				}
				b.ReportAllocs()
				b.ResetTimer()
				for i := 0; i < b.N; i++ {
					benchGet(b, c)
				}
			})
		}
	}
}

// benchGet is the GET both benchmarks make.
func benchGet(b *testing.B, c *loyalty.Client) {
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	if err != nil {
		b.Fatal(err)
	}
	req.Query.Set("customer_email", "ana@example.com")
	var out struct {
		Customer struct {
			PointsBalance int `json:"points_balance"`
		} `json:"customer"`
	}
	if _, err := c.Do(context.Background(), req, &out); err != nil || out.Customer.PointsBalance != 350 {
		b.Fatal(err, out)
	}
}

// BenchmarkHooks is otelloyalty's own share of a call of one attempt: the
// four hooks the Client calls, over no-op providers and over the SDK
// (every span sampled, no exporter). Being short and without I/O, it is
// far steadier than BenchmarkGet on a shared machine.
func BenchmarkHooks(b *testing.B) {
	info := loyalty.CallInfo{Platform: loyalty.Yotpo, Operation: "Customers.Get", Method: "GET", Route: "/customers",
		ServerAddress: "loyalty.yotpo.com", ServerPort: 443}
	for _, tc := range []struct {
		name string
		opts []otelloyalty.Option
	}{
		{"noop", []otelloyalty.Option{otelloyalty.WithTracerProvider(tracenoop.NewTracerProvider()), otelloyalty.WithMeterProvider(metricnoop.NewMeterProvider())}},
		{"sdk", []otelloyalty.Option{otelloyalty.WithTracerProvider(sdktrace.NewTracerProvider()),
			otelloyalty.WithMeterProvider(sdkmetric.NewMeterProvider(sdkmetric.WithReader(sdkmetric.NewManualReader())))}},
	} {
		b.Run("provider="+tc.name, func(b *testing.B) {
			h := otelloyalty.New(tc.opts...).Client()
			ctx := context.Background()
			b.ReportAllocs()
			b.ResetTimer()
			for i := 0; i < b.N; i++ {
				cctx := h.StartCall(ctx, info)
				actx := h.StartAttempt(cctx, info, loyalty.AttemptStart{Number: 1, Header: http.Header{}})
				h.EndAttempt(actx, info, loyalty.AttemptEnd{Number: 1, StatusCode: 200, Duration: time.Millisecond})
				h.EndCall(cctx, info, loyalty.CallEnd{Attempts: 1, StatusCode: 200, Duration: time.Millisecond})
			}
		})
	}
}
