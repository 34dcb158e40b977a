package otelloyalty_test

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"sync"
	"testing"
	"time"

	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/propagation"
	sdkmetric "go.opentelemetry.io/otel/sdk/metric"
	"go.opentelemetry.io/otel/sdk/metric/metricdata"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"
	"go.opentelemetry.io/otel/sdk/trace/tracetest"
	"go.opentelemetry.io/otel/trace"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/otelloyalty"
	"github.com/loyalty-go/loyalty/webhook"
)

// telemetry is an Observer over the SDK's in-memory exporter and a manual
// metric reader.
type telemetry struct {
	obs    *otelloyalty.Observer
	spans  *tracetest.InMemoryExporter
	reader *sdkmetric.ManualReader
}

func newTelemetry(t *testing.T, opts ...otelloyalty.Option) *telemetry {
	t.Helper()
	exp := tracetest.NewInMemoryExporter()
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exp))
	reader := sdkmetric.NewManualReader()
	mp := sdkmetric.NewMeterProvider(sdkmetric.WithReader(reader))
	t.Cleanup(func() { _ = tp.Shutdown(context.Background()); _ = mp.Shutdown(context.Background()) })
	opts = append([]otelloyalty.Option{otelloyalty.WithTracerProvider(tp), otelloyalty.WithMeterProvider(mp)}, opts...)
	return &telemetry{obs: otelloyalty.New(opts...), spans: exp, reader: reader}
}

func (tm *telemetry) metrics(t *testing.T) map[string]metricdata.Metrics {
	t.Helper()
	var rm metricdata.ResourceMetrics
	if err := tm.reader.Collect(context.Background(), &rm); err != nil {
		t.Fatal(err)
	}
	out := map[string]metricdata.Metrics{}
	for _, sm := range rm.ScopeMetrics {
		for _, m := range sm.Metrics {
			out[m.Name] = m
		}
	}
	return out
}

func attrs(s tracetest.SpanStub) map[attribute.Key]attribute.Value {
	m := map[attribute.Key]attribute.Value{}
	for _, kv := range s.Attributes {
		m[kv.Key] = kv.Value
	}
	return m
}

// yotpo returns a Client for a Yotpo served by h, observed by tm.
func yotpo(t *testing.T, tm *telemetry, h http.HandlerFunc, opts ...loyalty.Option) *loyalty.Client {
	t.Helper()
	srv := httptest.NewServer(h)
	t.Cleanup(srv.Close)
	all := append([]loyalty.Option{
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL, RateLimit: rate.Inf}),
		loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 2, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond}),
		loyalty.WithObserver(tm.obs.Client()),
	}, opts...)
	c, err := loyalty.NewClient(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func do(t *testing.T, c *loyalty.Client, method, path string) error {
	t.Helper()
	req, err := c.NewRequest(loyalty.Yotpo, method, path, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Query.Set("customer_email", "ann@example.com")
	_, err = c.Do(context.Background(), req, nil)
	return err
}

// byName splits the spans into the call's and its attempts', checking
// the attempts are children of the call.
func callAndAttempts(t *testing.T, spans tracetest.SpanStubs) (tracetest.SpanStub, []tracetest.SpanStub) {
	t.Helper()
	var call tracetest.SpanStub
	var attempts []tracetest.SpanStub
	for _, s := range spans {
		if s.SpanKind == trace.SpanKindClient {
			attempts = append(attempts, s)
		} else {
			call = s
		}
	}
	for _, a := range attempts {
		if a.Parent.SpanID() != call.SpanContext.SpanID() || a.SpanContext.TraceID() != call.SpanContext.TraceID() {
			t.Errorf("attempt span %q is not a child of the call span %q", a.Name, call.Name)
		}
	}
	return call, attempts
}

func TestCallSpan(t *testing.T) {
	tm := newTelemetry(t)
	c := yotpo(t, tm, func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("X-Request-Id", "req-1")
		w.Write([]byte(`{}`))
	})
	if err := do(t, c, http.MethodGet, "/customers/ann@example.com"); err != nil {
		t.Fatal(err)
	}
	spans := tm.spans.GetSpans()
	if len(spans) != 2 {
		t.Fatalf("%d spans; want a call and an attempt", len(spans))
	}
	call, attempts := callAndAttempts(t, spans)
	if call.Name != "loyalty Do" || call.SpanKind != trace.SpanKindInternal || call.Status.Code != codes.Unset {
		t.Errorf("call span %q kind %v status %v", call.Name, call.SpanKind, call.Status)
	}
	ca := attrs(call)
	want := map[string]any{
		"loyalty.platform": "yotpo", "loyalty.operation": "Do", "http.request.method": "GET",
		"url.template": "/customers/{id}", "server.address": "127.0.0.1", "loyalty.attempts": int64(1),
		"http.response.status_code": int64(200), "loyalty.maybe_applied": false, "loyalty.request_id": "req-1",
	}
	for k, v := range want {
		if got := ca[attribute.Key(k)].AsInterface(); got != v {
			t.Errorf("call %s = %v; want %v", k, got, v)
		}
	}
	if _, ok := ca["error.type"]; ok {
		t.Error("error.type on a success")
	}
	a := attempts[0]
	aa := attrs(a)
	if a.Name != "GET /customers/{id}" || aa["http.response.status_code"].AsInt64() != 200 || aa["url.template"].AsString() != "/customers/{id}" {
		t.Errorf("attempt span %q %v", a.Name, a.Attributes)
	}
	if _, ok := aa["http.request.resend_count"]; ok {
		t.Error("resend count on a first attempt")
	}
	if _, ok := aa["server.port"]; !ok {
		t.Error("no server.port")
	}
}

func TestRetrySpansAndMetrics(t *testing.T) {
	tm := newTelemetry(t)
	var n int
	c := yotpo(t, tm, func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		w.Write([]byte(`{}`))
	})
	if err := do(t, c, http.MethodGet, "/customers"); err != nil {
		t.Fatal(err)
	}
	call, attempts := callAndAttempts(t, tm.spans.GetSpans())
	if len(attempts) != 2 {
		t.Fatalf("%d attempt spans; want 2", len(attempts))
	}
	first, second := attrs(attempts[0]), attrs(attempts[1])
	if first["loyalty.retry_reason"].AsString() != "server_error" || first["error.type"].AsString() != "503" ||
		first["http.response.status_code"].AsInt64() != 503 || attempts[0].Status.Code != codes.Error {
		t.Errorf("first attempt: %v %v", attempts[0].Attributes, attempts[0].Status)
	}
	if _, ok := second["loyalty.retry_reason"]; ok || second["http.request.resend_count"].AsInt64() != 1 ||
		second["http.response.status_code"].AsInt64() != 200 || attempts[1].Status.Code != codes.Unset {
		t.Errorf("second attempt: %v %v", attempts[1].Attributes, attempts[1].Status)
	}
	if attrs(call)["loyalty.attempts"].AsInt64() != 2 || call.Status.Code != codes.Unset {
		t.Errorf("call: %v", call.Attributes)
	}

	m := tm.metrics(t)
	var points uint64
	for _, dp := range m["http.client.request.duration"].Data.(metricdata.Histogram[float64]).DataPoints {
		points += dp.Count
		status, _ := dp.Attributes.Value("http.response.status_code")
		if tmpl, _ := dp.Attributes.Value("url.template"); tmpl.AsString() != "/customers" {
			t.Errorf("url.template %v", tmpl)
		}
		if status.AsInt64() == 503 {
			if et, _ := dp.Attributes.Value("error.type"); et.AsString() != "503" {
				t.Errorf("503 without error.type: %v", dp.Attributes)
			}
		}
	}
	if points != 2 {
		t.Errorf("http.client.request.duration: %d points; want one per attempt", points)
	}
	calls := m["client.call.duration"].Data.(metricdata.Histogram[float64]).DataPoints
	if len(calls) != 1 || calls[0].Count != 1 {
		t.Errorf("client.call.duration: %+v", calls)
	}
	tries := m["client.call.attempts"].Data.(metricdata.Sum[int64]).DataPoints
	if len(tries) != 1 || tries[0].Value != 2 {
		t.Errorf("client.call.attempts: %+v", tries)
	}
	if op, _ := tries[0].Attributes.Value("loyalty.operation"); op.AsString() != "Do" {
		t.Errorf("client.call.attempts attributes %v", tries[0].Attributes)
	}
	waits := m["loyalty.rate_limiter.wait"].Data.(metricdata.Histogram[float64]).DataPoints
	if len(waits) != 1 || waits[0].Count != 2 {
		t.Errorf("loyalty.rate_limiter.wait: %+v", waits)
	}
}

// The limiter's wait shows on the attempt that waited.
func TestLimiterWait(t *testing.T) {
	tm := newTelemetry(t)
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) }))
	t.Cleanup(srv.Close)
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL, RateLimit: 20, Burst: 1}),
		loyalty.WithObserver(tm.obs.Client()))
	if err != nil {
		t.Fatal(err)
	}
	for range 2 {
		if err := do(t, c, http.MethodGet, "/customers"); err != nil {
			t.Fatal(err)
		}
	}
	var waits []float64
	for _, s := range tm.spans.GetSpans() {
		if s.SpanKind == trace.SpanKindClient {
			waits = append(waits, attrs(s)["loyalty.rate_limiter.wait"].AsFloat64())
		}
	}
	if len(waits) != 2 || waits[0] > 0.02 || waits[1] < 0.02 {
		t.Errorf("limiter waits %v; want ~0 then ~0.05 s", waits)
	}
}

// A write whose connection broke after it was sent: maybe applied, and
// not retried.
func TestMaybeAppliedSpan(t *testing.T) {
	tm := newTelemetry(t)
	c := yotpo(t, tm, func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
			conn.Close()
		}
	})
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/customers", map[string]string{"email": "ann@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := c.Do(context.Background(), req, nil); err == nil {
		t.Fatal("no error")
	}
	call, attempts := callAndAttempts(t, tm.spans.GetSpans())
	ca := attrs(call)
	if len(attempts) != 1 || !ca["loyalty.maybe_applied"].AsBool() || ca["error.type"].AsString() != "transport_error" ||
		call.Status.Code != codes.Error {
		t.Errorf("call %v, %d attempts", call.Attributes, len(attempts))
	}
	if _, ok := ca["http.response.status_code"]; ok {
		t.Error("a status code on a call that got no answer")
	}
}

// A method the platform does not offer fails before any request: no span,
// no metric.
func TestNotSupportedRecordsNothing(t *testing.T) {
	tm := newTelemetry(t)
	c := yotpo(t, tm, func(w http.ResponseWriter, r *http.Request) { t.Error("no request expected") })
	_, _, err := c.Products.Upsert(context.Background(), loyalty.ProductInput{})
	if err == nil {
		t.Fatal("no error")
	}
	if n := len(tm.spans.GetSpans()); n != 0 {
		t.Errorf("%d spans", n)
	}
	if m := tm.metrics(t); len(m) != 0 {
		t.Errorf("metrics %v", m)
	}
}

func TestPropagationIsOptIn(t *testing.T) {
	for _, tc := range []struct {
		name string
		opts []otelloyalty.Option
		want bool
	}{
		{"off", nil, false},
		{"on", []otelloyalty.Option{otelloyalty.WithPropagation(propagation.TraceContext{})}, true},
		{"yotpo", []otelloyalty.Option{otelloyalty.WithPropagation(propagation.TraceContext{}, loyalty.Yotpo)}, true},
		{"other platforms", []otelloyalty.Option{otelloyalty.WithPropagation(propagation.TraceContext{}, loyalty.Qualifio)}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tm := newTelemetry(t, tc.opts...)
			var got string
			c := yotpo(t, tm, func(w http.ResponseWriter, r *http.Request) {
				got = r.Header.Get("Traceparent")
				w.Write([]byte(`{}`))
			})
			if err := do(t, c, http.MethodGet, "/customers"); err != nil {
				t.Fatal(err)
			}
			if !tc.want {
				if got != "" {
					t.Errorf("traceparent %q sent", got)
				}
				return
			}
			_, attempts := callAndAttempts(t, tm.spans.GetSpans())
			sc := attempts[0].SpanContext
			if want := "00-" + sc.TraceID().String() + "-" + sc.SpanID().String() + "-01"; got != want {
				t.Errorf("traceparent %q; want %q (the attempt span)", got, want)
			}
		})
	}
}

func TestWebhookSpans(t *testing.T) {
	tm := newTelemetry(t)
	body := fixture(t, "influenceio", "points_redeemed.json")
	rc, err := webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"t"}})
	if err != nil {
		t.Fatal(err)
	}
	var fnSpans []trace.SpanID
	h := rc.Handler(func(ctx context.Context, ev webhook.Event) error {
		fnSpans = append(fnSpans, trace.SpanContextFromContext(ctx).SpanID())
		return nil
	}, webhook.HandlerOptions{Observer: tm.obs.Webhook()})
	for range 2 {
		req, err := webhook.InfluenceIOSigner{Token: "t"}.NewRequest("https://merchant.example/hooks", "points/redeemed", "wh-1", body)
		if err != nil {
			t.Fatal(err)
		}
		w := httptest.NewRecorder()
		h.ServeHTTP(w, req)
		if w.Code != http.StatusOK {
			t.Fatalf("delivery: %d", w.Code)
		}
	}
	spans := tm.spans.GetSpans()
	var deliveries, events []tracetest.SpanStub
	for _, s := range spans {
		switch s.Name {
		case "loyalty webhook influenceio":
			deliveries = append(deliveries, s)
		case "loyalty webhook event":
			events = append(events, s)
		default:
			t.Errorf("span %q", s.Name)
		}
	}
	if len(deliveries) != 2 || len(events) != 2 {
		t.Fatalf("%d deliveries, %d events", len(deliveries), len(events))
	}
	for i, want := range []string{"new", "duplicate"} {
		ev := events[i]
		ea := attrs(ev)
		if ea["loyalty.webhook.dedup"].AsString() != want || ea["loyalty.webhook.topic"].AsString() != "points/redeemed" ||
			ea["loyalty.platform"].AsString() != "influenceio" || ev.Parent.SpanID() != deliveries[i].SpanContext.SpanID() {
			t.Errorf("event %d: %v", i, ev.Attributes)
		}
		da := attrs(deliveries[i])
		if da["http.response.status_code"].AsInt64() != 200 || da["loyalty.webhook.events"].AsInt64() != 1 || deliveries[i].SpanKind != trace.SpanKindServer {
			t.Errorf("delivery %d: %v", i, deliveries[i].Attributes)
		}
	}
	if len(fnSpans) != 1 || fnSpans[0] != events[0].SpanContext.SpanID() {
		t.Errorf("fn ran in spans %v; want once, in the first event's", fnSpans)
	}
	var counted int64
	for _, dp := range tm.metrics(t)["loyalty.webhook.events"].Data.(metricdata.Sum[int64]).DataPoints {
		counted += dp.Value
	}
	if counted != 2 {
		t.Errorf("loyalty.webhook.events: %d", counted)
	}
}

// fixture reads a webhook body of the SDK's test data.
func fixture(t *testing.T, platform, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", "webhooks", platform, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// collected gathers every string of the spans and metrics, for the secret
// test.
type collected struct {
	mu      sync.Mutex
	strings []string
}

func (c *collected) add(s ...string) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.strings = append(c.strings, s...)
}

func (c *collected) kvs(set []attribute.KeyValue) {
	for _, kv := range set {
		c.add(string(kv.Key), kv.Value.String())
	}
}

func spanStrings(spans tracetest.SpanStubs, c *collected) {
	for _, s := range spans {
		c.add(s.Name, s.Status.Description)
		c.kvs(s.Attributes)
		for _, ev := range s.Events {
			c.add(ev.Name)
			c.kvs(ev.Attributes)
		}
		for _, l := range s.Links {
			c.kvs(l.Attributes)
		}
	}
}

func metricStrings(m map[string]metricdata.Metrics, c *collected) {
	for name, md := range m {
		c.add(name, md.Description, md.Unit)
		switch d := md.Data.(type) {
		case metricdata.Histogram[float64]:
			for _, dp := range d.DataPoints {
				c.kvs(dp.Attributes.ToSlice())
			}
		case metricdata.Sum[int64]:
			for _, dp := range d.DataPoints {
				c.kvs(dp.Attributes.ToSlice())
			}
		}
	}
}

// A method the conventions do not name is "_OTHER", so that it cannot grow
// a metric's cardinality; the span keeps it as http.request.method_original.
func TestCustomMethodIsOther(t *testing.T) {
	tm := newTelemetry(t)
	c := yotpo(t, tm, func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) })
	if err := do(t, c, "PURGE", "/customers"); err != nil {
		t.Fatal(err)
	}
	_, attempts := callAndAttempts(t, tm.spans.GetSpans())
	a := attrs(attempts[0])
	if a["http.request.method"].AsString() != "_OTHER" || a["http.request.method_original"].AsString() != "PURGE" {
		t.Errorf("attempt %v", attempts[0].Attributes)
	}
	for _, dp := range tm.metrics(t)["http.client.request.duration"].Data.(metricdata.Histogram[float64]).DataPoints {
		if m, _ := dp.Attributes.Value("http.request.method"); m.AsString() != "_OTHER" {
			t.Errorf("metric method %v", m)
		}
	}
}

// Under a server span of a middleware, the delivery span is its child and
// not a second server span.
func TestWebhookDeliveryUnderMiddleware(t *testing.T) {
	tm := newTelemetry(t)
	rc, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"t"}})
	if err != nil {
		t.Fatal(err)
	}
	h := rc.Handler(func(context.Context, webhook.Event) error { return nil }, webhook.HandlerOptions{Observer: tm.obs.Webhook()})
	req, err := webhook.YotpoSigner{Token: "t"}.NewRequest("https://merchant.example/hooks", "m-1", fixture(t, "yotpo", "swell_points_earned.json"))
	if err != nil {
		t.Fatal(err)
	}
	tp := sdktrace.NewTracerProvider()
	ctx, outer := tp.Tracer("middleware").Start(req.Context(), "POST /hooks", trace.WithSpanKind(trace.SpanKindServer))
	h.ServeHTTP(httptest.NewRecorder(), req.WithContext(ctx))
	outer.End()
	for _, s := range tm.spans.GetSpans() {
		if s.Name == "loyalty webhook yotpo" {
			if s.SpanKind != trace.SpanKindInternal || s.Parent.SpanID() != outer.SpanContext().SpanID() {
				t.Errorf("delivery span kind %v parent %v", s.SpanKind, s.Parent.SpanID())
			}
			return
		}
	}
	t.Error("no delivery span")
}

// A service method names its call span.
func TestServiceMethodNamesTheSpan(t *testing.T) {
	tm := newTelemetry(t)
	c := yotpo(t, tm, func(w http.ResponseWriter, r *http.Request) {
		w.Write([]byte(`{"email":"ann@example.com"}`))
	})
	if _, _, err := c.Customers.Get(context.Background(), loyalty.ByEmail("ann@example.com"), nil); err != nil {
		t.Fatal(err)
	}
	call, attempts := callAndAttempts(t, tm.spans.GetSpans())
	if call.Name != "loyalty Customers.Get" || attrs(call)["loyalty.operation"].AsString() != "Customers.Get" || len(attempts) != 1 {
		t.Errorf("call span %q %v, %d attempts", call.Name, call.Attributes, len(attempts))
	}
}
