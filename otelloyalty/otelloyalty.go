// Package otelloyalty traces and measures a loyalty Client's calls and a
// webhook Handler's deliveries with OpenTelemetry:
//
//	obs := otelloyalty.New()
//	client, err := loyalty.NewClient(loyalty.WithYotpo(cfg), loyalty.WithObserver(obs.Client()))
//	handler := receiver.Handler(fn, webhook.HandlerOptions{Observer: obs.Webhook()})
//
// Each call is a span named "loyalty <Operation>" ("loyalty
// Customers.Get", "loyalty Do" for Client.Do), with a child client span per
// attempt ("GET /customers/{id}") following the OpenTelemetry HTTP client
// semantic conventions: http.request.method, url.template (the route
// template, never the raw path or query), server.address, server.port,
// http.response.status_code, error.type, http.request.resend_count; plus
// loyalty.platform, loyalty.operation, loyalty.attempts,
// loyalty.retry_reason, loyalty.maybe_applied, loyalty.request_id and
// loyalty.rate_limiter.wait.
//
// Metrics: http.client.request.duration per attempt, client.call.duration
// and client.call.attempts per call (as aws-sdk-go-v2 names them),
// loyalty.rate_limiter.wait per attempt, and loyalty.webhook.events per
// webhook event.
//
// Nothing here can hold a credential: the Client's observer hook sees each
// attempt before authentication and is given no header, URL, body or error
// value. Trace context is sent to a platform only with WithPropagation:
// none of them documents traceparent.
package otelloyalty

import (
	"context"
	"slices"
	"strconv"
	"time"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/attribute"
	"go.opentelemetry.io/otel/codes"
	"go.opentelemetry.io/otel/metric"
	"go.opentelemetry.io/otel/propagation"
	semconv "go.opentelemetry.io/otel/semconv/v1.43.0"
	"go.opentelemetry.io/otel/trace"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/webhook"
)

// ScopeName is the instrumentation scope of the tracer and meter.
const ScopeName = "github.com/loyalty-go/loyalty/otelloyalty"

// Attribute keys of this package; the others are OpenTelemetry's semantic
// conventions.
const (
	AttrPlatform     = attribute.Key("loyalty.platform")
	AttrOperation    = attribute.Key("loyalty.operation")
	AttrAttempts     = attribute.Key("loyalty.attempts")
	AttrRetryReason  = attribute.Key("loyalty.retry_reason")
	AttrMaybeApplied = attribute.Key("loyalty.maybe_applied")
	AttrRequestID    = attribute.Key("loyalty.request_id")
	// AttrLimiterWait is the seconds an attempt waited for the
	// client-side rate limiter, on an attempt that waited a millisecond or
	// more (a shorter time is only the passage through the limiter).
	AttrLimiterWait   = attribute.Key("loyalty.rate_limiter.wait")
	AttrWebhookTopic  = attribute.Key("loyalty.webhook.topic")
	AttrWebhookKind   = attribute.Key("loyalty.webhook.kind")
	AttrWebhookDedup  = attribute.Key("loyalty.webhook.dedup")
	AttrWebhookEvents = attribute.Key("loyalty.webhook.events")
)

// An Option configures New.
type Option func(*config)

type config struct {
	tp        trace.TracerProvider
	mp        metric.MeterProvider
	prop      propagation.TextMapPropagator
	propagate bool
	platforms []loyalty.Platform
}

// WithTracerProvider sets the TracerProvider; the default is the global
// one (otel.GetTracerProvider).
func WithTracerProvider(tp trace.TracerProvider) Option {
	return func(c *config) { c.tp = tp }
}

// WithMeterProvider sets the MeterProvider; the default is the global one
// (otel.GetMeterProvider).
func WithMeterProvider(mp metric.MeterProvider) Option {
	return func(c *config) { c.mp = mp }
}

// WithPropagation sends the trace context of each attempt to the platforms
// named (all when none is named), through p (the global propagator,
// otel.GetTextMapPropagator, when p is nil). Without it nothing is added to
// a request: the platforms do not document traceparent, and a platform's
// gateway may refuse or log headers it does not know. A header the request
// already has is never replaced.
func WithPropagation(p propagation.TextMapPropagator, platforms ...loyalty.Platform) Option {
	return func(c *config) { c.prop, c.propagate, c.platforms = p, true, platforms }
}

// Observer holds the tracer and instruments; it is safe for concurrent use
// and serves any number of Clients and Handlers.
type Observer struct {
	cfg    config
	tracer trace.Tracer

	attemptDuration metric.Float64Histogram
	callDuration    metric.Float64Histogram
	callAttempts    metric.Int64Counter
	limiterWait     metric.Float64Histogram
	webhookEvents   metric.Int64Counter
}

// minWait is the shortest limiter wait an attempt span shows.
const minWait = time.Millisecond

// durationBuckets are the HTTP semantic conventions' advice for
// http.client.request.duration, in seconds.
var durationBuckets = []float64{0.005, 0.01, 0.025, 0.05, 0.075, 0.1, 0.25, 0.5, 0.75, 1, 2.5, 5, 7.5, 10}

// New builds an Observer. An instrument that cannot be created is
// reported to otel.Handle and left out (a no-op).
func New(opts ...Option) *Observer {
	var c config
	for _, o := range opts {
		if o != nil {
			o(&c)
		}
	}
	if c.tp == nil {
		c.tp = otel.GetTracerProvider()
	}
	if c.mp == nil {
		c.mp = otel.GetMeterProvider()
	}
	if c.propagate && c.prop == nil {
		c.prop = otel.GetTextMapPropagator()
	}
	o := &Observer{cfg: c}
	o.tracer = c.tp.Tracer(ScopeName, trace.WithInstrumentationVersion(loyalty.Version), trace.WithSchemaURL(semconv.SchemaURL))
	m := c.mp.Meter(ScopeName, metric.WithInstrumentationVersion(loyalty.Version), metric.WithSchemaURL(semconv.SchemaURL))
	var err error
	o.attemptDuration, err = m.Float64Histogram("http.client.request.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of HTTP client requests: each attempt of a call, retries included."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	handle(err)
	o.callDuration, err = m.Float64Histogram("client.call.duration", metric.WithUnit("s"),
		metric.WithDescription("Duration of a call, its retries and the waits between them included."),
		metric.WithExplicitBucketBoundaries(durationBuckets...))
	handle(err)
	o.callAttempts, err = m.Int64Counter("client.call.attempts", metric.WithUnit("{attempt}"),
		metric.WithDescription("Attempts made by calls, retries included."))
	handle(err)
	o.limiterWait, err = m.Float64Histogram("loyalty.rate_limiter.wait", metric.WithUnit("s"),
		metric.WithDescription("Time an attempt waited for the client-side rate limiter."),
		metric.WithExplicitBucketBoundaries(0, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10))
	handle(err)
	o.webhookEvents, err = m.Int64Counter("loyalty.webhook.events", metric.WithUnit("{event}"),
		metric.WithDescription("Webhook events received, by topic and de-duplication outcome."))
	handle(err)
	return o
}

// handle reports an instrument error; the instrument stays a usable no-op.
func handle(err error) {
	if err != nil {
		otel.Handle(err)
	}
}

// Client returns the hooks for loyalty.WithObserver.
func (o *Observer) Client() loyalty.Observer {
	return loyalty.Observer{StartCall: o.startCall, StartAttempt: o.startAttempt, EndAttempt: o.endAttempt, EndCall: o.endCall}
}

// Webhook returns the hooks for webhook.HandlerOptions.Observer.
func (o *Observer) Webhook() *webhook.Observer {
	return &webhook.Observer{StartDelivery: o.startDelivery, EndDelivery: o.endDelivery, StartEvent: o.startEvent, EndEvent: o.endEvent}
}

func callAttrs(c loyalty.CallInfo) []attribute.KeyValue {
	attrs := []attribute.KeyValue{
		AttrPlatform.String(string(c.Platform)),
		AttrOperation.String(c.Operation),
		method(c.Method),
		semconv.URLTemplate(c.Route),
		semconv.ServerAddress(c.ServerAddress),
		semconv.ServerPort(c.ServerPort),
	}
	if !knownMethods[c.Method] {
		attrs = append(attrs, semconv.HTTPRequestMethodOriginal(c.Method))
	}
	return attrs
}

// knownMethods are the methods http.request.method names; any other
// (a custom method sent with Client.Do) is "_OTHER", as the HTTP semantic
// conventions ask, so that it cannot grow a metric's cardinality.
var knownMethods = map[string]bool{
	"GET": true, "HEAD": true, "POST": true, "PUT": true, "DELETE": true,
	"CONNECT": true, "OPTIONS": true, "TRACE": true, "PATCH": true,
}

func method(m string) attribute.KeyValue {
	if knownMethods[m] {
		return semconv.HTTPRequestMethodKey.String(m)
	}
	return semconv.HTTPRequestMethodOther
}

// Span start options, built once. The attributes are set after the start,
// on a recording span only, so that a no-op provider builds none of them;
// a sampler sees the span's name and kind.
var (
	internalSpan = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindInternal)}
	clientSpan   = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindClient)}
	serverSpan   = []trace.SpanStartOption{trace.WithSpanKind(trace.SpanKindServer)}
)

func (o *Observer) startCall(ctx context.Context, c loyalty.CallInfo) context.Context {
	ctx, span := o.tracer.Start(ctx, "loyalty "+c.Operation, internalSpan...)
	if span.IsRecording() {
		span.SetAttributes(callAttrs(c)...)
	}
	return ctx
}

func (o *Observer) endCall(ctx context.Context, c loyalty.CallInfo, e loyalty.CallEnd) {
	span := trace.SpanFromContext(ctx)
	if span.IsRecording() {
		span.SetAttributes(AttrAttempts.Int(e.Attempts), AttrMaybeApplied.Bool(e.MaybeApplied))
		setOutcome(span, e.StatusCode, e.RequestID, e.ErrorKind)
	}
	span.End()
	if !o.callDuration.Enabled(ctx) {
		return
	}
	attrs := []attribute.KeyValue{AttrPlatform.String(string(c.Platform)), AttrOperation.String(c.Operation)}
	if e.ErrorKind != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(e.ErrorKind))
	}
	o.callDuration.Record(ctx, e.Duration.Seconds(), metric.WithAttributes(attrs...))
}

// setOutcome records what a call or an attempt ended with on its span:
// the status, the platform's request id and, on failure, the error kind.
func setOutcome(span trace.Span, status int, requestID, errorKind string) {
	if status != 0 {
		span.SetAttributes(semconv.HTTPResponseStatusCode(status))
	}
	if requestID != "" {
		span.SetAttributes(AttrRequestID.String(requestID))
	}
	if errorKind != "" {
		span.SetAttributes(semconv.ErrorTypeKey.String(errorKind))
		span.SetStatus(codes.Error, errorKind)
	}
}

func (o *Observer) startAttempt(ctx context.Context, c loyalty.CallInfo, a loyalty.AttemptStart) context.Context {
	ctx, span := o.tracer.Start(ctx, c.Method+" "+c.Route, clientSpan...)
	if span.IsRecording() {
		attrs := callAttrs(c)
		if a.Number > 1 {
			attrs = append(attrs, semconv.HTTPRequestResendCount(a.Number-1))
		}
		span.SetAttributes(attrs...)
	}
	if o.cfg.propagate && (len(o.cfg.platforms) == 0 || slices.Contains(o.cfg.platforms, c.Platform)) {
		o.cfg.prop.Inject(ctx, propagation.HeaderCarrier(a.Header))
	}
	return ctx
}

func (o *Observer) endAttempt(ctx context.Context, c loyalty.CallInfo, a loyalty.AttemptEnd) {
	span := trace.SpanFromContext(ctx)
	if span.IsRecording() {
		if a.LimiterWait >= minWait {
			span.SetAttributes(AttrLimiterWait.Float64(a.LimiterWait.Seconds()))
		}
		if a.RetryReason != "" {
			span.SetAttributes(AttrRetryReason.String(a.RetryReason))
		}
		setOutcome(span, a.StatusCode, a.RequestID, a.ErrorKind)
	}
	span.End()
	if o.attemptDuration.Enabled(ctx) {
		o.recordAttempt(ctx, c, a)
	}
	if o.callAttempts.Enabled(ctx) || o.limiterWait.Enabled(ctx) {
		callAttrs := metric.WithAttributes(AttrPlatform.String(string(c.Platform)), AttrOperation.String(c.Operation))
		o.callAttempts.Add(ctx, 1, callAttrs)
		o.limiterWait.Record(ctx, a.LimiterWait.Seconds(), callAttrs)
	}
}

// recordAttempt records http.client.request.duration.
func (o *Observer) recordAttempt(ctx context.Context, c loyalty.CallInfo, a loyalty.AttemptEnd) {
	attrs := []attribute.KeyValue{
		AttrPlatform.String(string(c.Platform)),
		method(c.Method),
		semconv.URLTemplate(c.Route),
		semconv.ServerAddress(c.ServerAddress),
		semconv.ServerPort(c.ServerPort),
	}
	if a.StatusCode != 0 {
		attrs = append(attrs, semconv.HTTPResponseStatusCode(a.StatusCode))
	}
	if a.ErrorKind != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(a.ErrorKind))
	}
	o.attemptDuration.Record(ctx, a.Duration.Seconds(), metric.WithAttributes(attrs...))
}

func (o *Observer) startDelivery(ctx context.Context, p loyalty.Platform) context.Context {
	kind := serverSpan
	if sc := trace.SpanContextFromContext(ctx); sc.IsValid() && !sc.IsRemote() {
		// A middleware (otelhttp.NewHandler) already made the server span:
		// this one is its child.
		kind = internalSpan
	}
	ctx, span := o.tracer.Start(ctx, "loyalty webhook "+string(p), kind...)
	if span.IsRecording() {
		span.SetAttributes(AttrPlatform.String(string(p)))
	}
	return ctx
}

func (o *Observer) endDelivery(ctx context.Context, d webhook.Delivery) {
	span := trace.SpanFromContext(ctx)
	if span.IsRecording() {
		span.SetAttributes(AttrWebhookEvents.Int(d.Events))
		if d.StatusCode != 0 {
			span.SetAttributes(semconv.HTTPResponseStatusCode(d.StatusCode))
		}
		// A server span is an error on 5xx only (HTTP semantic
		// conventions): a 4xx is the sender's fault.
		if d.StatusCode >= 500 {
			kind := strconv.Itoa(d.StatusCode)
			span.SetAttributes(semconv.ErrorTypeKey.String(kind))
			span.SetStatus(codes.Error, kind)
		}
	}
	span.End()
}

func (o *Observer) startEvent(ctx context.Context, ev webhook.EventInfo) context.Context {
	ctx, span := o.tracer.Start(ctx, "loyalty webhook event", internalSpan...)
	if span.IsRecording() {
		span.SetAttributes(AttrPlatform.String(string(ev.Platform)), AttrWebhookTopic.String(ev.Topic), AttrWebhookKind.String(string(ev.Kind)))
	}
	return ctx
}

func (o *Observer) endEvent(ctx context.Context, ev webhook.EventInfo) {
	span := trace.SpanFromContext(ctx)
	if span.IsRecording() {
		span.SetAttributes(AttrWebhookDedup.String(string(ev.Dedup)))
		if ev.ErrorKind != "" {
			span.SetAttributes(semconv.ErrorTypeKey.String(ev.ErrorKind))
			span.SetStatus(codes.Error, ev.ErrorKind)
		}
	}
	span.End()
	if !o.webhookEvents.Enabled(ctx) {
		return
	}
	attrs := []attribute.KeyValue{AttrPlatform.String(string(ev.Platform)), AttrWebhookTopic.String(ev.Topic), AttrWebhookDedup.String(string(ev.Dedup))}
	if ev.ErrorKind != "" {
		attrs = append(attrs, semconv.ErrorTypeKey.String(ev.ErrorKind))
	}
	o.webhookEvents.Add(ctx, 1, metric.WithAttributes(attrs...))
}
