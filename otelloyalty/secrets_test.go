package otelloyalty_test

import (
	"context"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"sync"
	"testing"

	"go.opentelemetry.io/otel/propagation"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/otelloyalty"
	"github.com/loyalty-go/loyalty/webhook"
)

// Every configured secret, and the personal data of the paths and queries
// the calls use, stays out of every span name, attribute, event, status and
// metric attribute, on successes and on failures alike.
func TestNoSecretInTelemetry(t *testing.T) {
	const (
		qualifioSecret  = "qualifio-SECRET-client"
		yotpoGUID       = "yotpo-SECRET-guid"
		yotpoKey        = "yotpo-SECRET-api-key"
		influenceKey    = "influenceio-SECRET-key"
		monterosaToken  = "monterosa-SECRET-token"
		mappedToken     = "mapped-SECRET-token"
		webhookYotpo    = "webhook-SECRET-yotpo"
		webhookIO       = "webhook-SECRET-influenceio"
		webhookQualifio = "webhook-SECRET-qualifio"
		email           = "ann.secret@example.com"
	)
	secrets := []string{qualifioSecret, yotpoGUID, yotpoKey, influenceKey, monterosaToken, mappedToken,
		webhookYotpo, webhookIO, webhookQualifio, email, "ann.secret", "SECRET"}

	// Propagation on: the headers an observer adds are covered too.
	tm := newTelemetry(t, otelloyalty.WithPropagation(propagation.TraceContext{}))
	srv := loyaltytest.New(t,
		loyaltytest.WithQualifioClient("qualifio-id", qualifioSecret),
		loyaltytest.WithYotpoCredentials(yotpoGUID, yotpoKey),
		loyaltytest.WithInfluenceIOAPIKey(influenceKey),
		loyaltytest.WithMonterosaToken(monterosaToken))
	ctx := context.Background()
	// wire sees what goes out, after authentication: the credentials
	// the SDK derives (Qualifio's access token) are secrets too.
	wire := &credentialsOnTheWire{base: srv.HTTPClient().Transport}
	hc := loyalty.WithHTTPClient(&http.Client{Transport: wire})
	yc := srv.YotpoConfig()
	yc.QueryAuth = true
	c := srv.Client(loyalty.WithYotpo(yc), hc, loyalty.WithObserver(tm.obs.Client()))
	io := srv.ClientFor(loyalty.InfluenceIO, hc, loyalty.WithObserver(tm.obs.Client()))

	// Successes and failures of every platform.
	_, _, _ = c.Members.Create(ctx, loyalty.MemberInput{Email: email})
	_, _, _ = c.Members.Get(ctx, email)
	_, _, _ = c.Customers.Get(ctx, loyalty.ByEmail(email), nil)
	_, _, _ = c.Events.SendMapped(ctx, "integration-1", map[string]string{"email": email}, loyalty.MappedQuery("token", mappedToken))
	_, _, _ = c.Rewards.Config(ctx)
	_, _, _ = io.Customers.Get(ctx, loyalty.ByID(email), nil)
	if _, _, err := io.Customers.Get(ctx, loyalty.ByEmail(email), nil); err == nil {
		t.Error("Influence.io found a customer by e-mail")
	}
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers/"+email, nil)
	if err != nil {
		t.Fatal(err)
	}
	req.Query.Set("customer_email", email)
	_, _ = c.Do(ctx, req, nil)

	// Refused credentials: a wrong Qualifio secret, a wrong Yotpo key.
	bad := yc
	bad.APIKey = yotpoKey + "-wrong"
	qc := srv.QualifioConfig()
	qc.ClientSecret = qualifioSecret + "-wrong"
	wrong := srv.Client(loyalty.WithYotpo(bad), loyalty.WithQualifio(qc), hc, loyalty.WithObserver(tm.obs.Client()))
	if _, _, err := wrong.Customers.Get(ctx, loyalty.ByEmail(email), nil); err == nil {
		t.Error("a wrong Yotpo key was accepted")
	}
	if _, _, err := wrong.Members.Get(ctx, email); err == nil {
		t.Error("a wrong Qualifio secret was accepted")
	}

	// Webhook deliveries, signed and forged.
	deliver := func(rc *webhook.Receiver, req *http.Request, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		h := rc.Handler(func(context.Context, webhook.Event) error { return nil }, webhook.HandlerOptions{Observer: tm.obs.Webhook()})
		h.ServeHTTP(httptest.NewRecorder(), req)
	}
	yr, _ := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{webhookYotpo}})
	ir, _ := webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{webhookIO}})
	qr, _ := webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{webhookQualifio}})
	target := "https://merchant.example/hooks"
	for _, tok := range []string{webhookYotpo, webhookYotpo + "-forged"} {
		req, err := webhook.YotpoSigner{Token: tok}.NewRequest(target, "m-1", fixture(t, "yotpo", "swell_points_earned.json"))
		deliver(yr, req, err)
		req, err = webhook.InfluenceIOSigner{Token: tok}.NewRequest(target, "points/redeemed", "wh-1", fixture(t, "influenceio", "points_redeemed.json"))
		deliver(ir, req, err)
		req, err = webhook.QualifioSigner{Secret: strings.Replace(tok, webhookYotpo, webhookQualifio, 1)}.NewRequest(target, fixture(t, "qualifio", "points.earned.json"))
		deliver(qr, req, err)
	}

	sent := wire.values()
	for _, want := range []string{yotpoKey, influenceKey, monterosaToken, mappedToken} {
		if !slices.Contains(sent, want) {
			t.Errorf("%q was not sent: the test did not exercise its platform", want)
		}
	}
	if len(sent) < 8 {
		t.Fatalf("credentials seen on the wire: %d; the transport did not see the calls", len(sent))
	}
	secrets = append(secrets, sent...)

	var got collected
	spans := tm.spans.GetSpans()
	spanStrings(spans, &got)
	metricStrings(tm.metrics(t), &got)
	if len(spans) < 20 {
		t.Fatalf("only %d spans: the test did not exercise the calls", len(spans))
	}
	platforms := map[string]bool{}
	for _, s := range spans {
		platforms[attrs(s)["loyalty.platform"].AsString()] = true
	}
	for _, p := range []loyalty.Platform{loyalty.Qualifio, loyalty.Yotpo, loyalty.InfluenceIO, loyalty.Monterosa} {
		if !platforms[string(p)] {
			t.Errorf("no span of %s", p)
		}
	}
	var sawToken, sawStatus401 bool
	for _, s := range got.strings {
		for _, secret := range secrets {
			if strings.Contains(s, secret) {
				t.Errorf("telemetry holds %q: %q", secret, s)
			}
		}
		sawToken = sawToken || s == "token_endpoint"
		sawStatus401 = sawStatus401 || s == "401"
	}
	if !sawToken || !sawStatus401 {
		t.Errorf("the failures were not recorded (token_endpoint %v, 401 %v)", sawToken, sawStatus401)
	}
}

// credentialsOnTheWire records the credential values of every request it
// carries: authorization and key headers, and Yotpo's query credentials.
type credentialsOnTheWire struct {
	base http.RoundTripper
	mu   sync.Mutex
	seen map[string]bool
}

func (c *credentialsOnTheWire) RoundTrip(r *http.Request) (*http.Response, error) {
	c.mu.Lock()
	if c.seen == nil {
		c.seen = map[string]bool{}
	}
	for k, vs := range r.Header {
		switch strings.ToLower(k) {
		case "authorization", "x-api-key", "x-guid":
			for _, v := range vs {
				c.seen[strings.TrimPrefix(v, "Bearer ")] = true
			}
		}
	}
	q := r.URL.Query()
	for _, k := range []string{"api_key", "guid", "token"} {
		if v := q.Get(k); v != "" {
			c.seen[v] = true
		}
	}
	c.mu.Unlock()
	return c.base.RoundTrip(r)
}

func (c *credentialsOnTheWire) values() []string {
	c.mu.Lock()
	defer c.mu.Unlock()
	var out []string
	for v := range c.seen {
		out = append(out, v)
	}
	return out
}
