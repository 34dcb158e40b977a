package otelloyalty_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"strings"

	"go.opentelemetry.io/otel"
	"go.opentelemetry.io/otel/exporters/stdout/stdouttrace"
	sdktrace "go.opentelemetry.io/otel/sdk/trace"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/otelloyalty"
	"github.com/loyalty-go/loyalty/webhook"
)

// Example traces a Client's calls and a webhook Handler's deliveries and
// exports the spans to stdout with stdouttrace. The Yotpo fake answers the
// first attempt at its campaigns 503, so the call has two attempt spans; the delivery is
// received twice, so its second event is a duplicate.
func Example() {
	// Export to stdout. (For a short, stable output below, each exported
	// span goes through summary, which prints its name and a few
	// attributes; stdouttrace.New() alone prints every field.)
	exporter, err := stdouttrace.New(stdouttrace.WithWriter(&summary{w: os.Stdout}))
	if err != nil {
		panic(err)
	}
	tp := sdktrace.NewTracerProvider(sdktrace.WithSyncer(exporter))
	defer tp.Shutdown(context.Background())
	otel.SetTracerProvider(tp)

	srv := loyaltytest.NewServer()
	defer srv.Close()
	srv.InjectFault(loyaltytest.Fault{Path: "/api/v2/campaigns", Status: http.StatusServiceUnavailable})
	cfg := srv.YotpoConfig()
	receiver, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"webhook-token"}})
	if err != nil {
		panic(err)
	}
	fn := func(ctx context.Context, ev webhook.Event) error { return nil }

	obs := otelloyalty.New()
	client, err := loyalty.NewClient(loyalty.WithYotpo(cfg), loyalty.WithObserver(obs.Client()))
	handler := receiver.Handler(fn, webhook.HandlerOptions{Observer: obs.Webhook()})
	if err != nil {
		panic(err)
	}

	req, err := client.NewRequest(loyalty.Yotpo, http.MethodGet, "/campaigns", nil)
	if err != nil {
		panic(err)
	}
	if _, err := client.Do(context.Background(), req, nil); err != nil {
		fmt.Println(err)
	}

	body := []byte(`{"topic":"swell/points/earned","customer":{"email":"ann@example.com"},"points_earned":50}`)
	for range 2 {
		delivery, err := webhook.YotpoSigner{Token: "webhook-token"}.NewRequest("https://merchant.example/hooks", "m-1", body)
		if err != nil {
			panic(err)
		}
		handler.ServeHTTP(httptest.NewRecorder(), delivery)
	}
	// Output:
	// GET /campaigns url.template=/campaigns http.response.status_code=503 error.type=503 loyalty.retry_reason=server_error
	// GET /campaigns url.template=/campaigns http.response.status_code=200
	// loyalty Do url.template=/campaigns http.response.status_code=200 loyalty.attempts=2
	// loyalty webhook event loyalty.webhook.topic=swell/points/earned loyalty.webhook.dedup=new
	// loyalty webhook yotpo http.response.status_code=200
	// loyalty webhook event loyalty.webhook.topic=swell/points/earned loyalty.webhook.dedup=duplicate
	// loyalty webhook yotpo http.response.status_code=200
}

// summary is a writer for stdouttrace that prints, for each span it
// exports (one JSON object a line), the span's name and those of
// summaryKeys it has.
type summary struct {
	w   io.Writer
	buf []byte
}

var summaryKeys = []string{"url.template", "http.response.status_code", "error.type", "loyalty.retry_reason",
	"loyalty.attempts", "loyalty.webhook.topic", "loyalty.webhook.dedup"}

func (s *summary) Write(b []byte) (int, error) {
	s.buf = append(s.buf, b...)
	for {
		i := bytes.IndexByte(s.buf, '\n')
		if i < 0 {
			return len(b), nil
		}
		var span struct {
			Name       string
			Attributes []struct {
				Key   string
				Value struct{ Value any }
			}
		}
		if err := json.Unmarshal(s.buf[:i], &span); err != nil {
			return 0, err
		}
		s.buf = s.buf[i+1:]
		line := []string{span.Name}
		for _, k := range summaryKeys {
			for _, a := range span.Attributes {
				if a.Key == k {
					line = append(line, fmt.Sprintf("%s=%v", k, a.Value.Value))
				}
			}
		}
		fmt.Fprintln(s.w, strings.Join(line, " "))
	}
}
