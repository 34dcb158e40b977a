package webhook_test

import (
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/webhook"
)

// TestFakeDeliveriesPassTheReceivers sends the webhooks of loyaltytest, the
// SDK's fake, to this package's handlers: the fake signs with the contract
// functions and writes its bodies from the platform docs on its own, so this
// catches a header, signature or field-name disagreement between the two.
func TestFakeDeliveriesPassTheReceivers(t *testing.T) {
	var mu sync.Mutex
	var got []webhook.Event
	record := func(_ context.Context, ev webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		got = append(got, ev)
		return nil
	}
	q := must[*webhook.Receiver](t)(webhook.NewQualifio(webhook.QualifioConfig{HeaderName: "X-Shop-Auth", HeaderValues: []string{"hv"}, SigningSecrets: []string{"qs"}}))
	y := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"yt"}}))
	in := must[*webhook.Receiver](t)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"it"}}))
	mux := http.NewServeMux()
	var rejected []string
	opts := webhook.HandlerOptions{OnError: func(r *http.Request, err error) {
		mu.Lock()
		defer mu.Unlock()
		rejected = append(rejected, r.URL.Path+": "+err.Error())
	}}
	mux.Handle("/qualifio", q.Handler(record, opts))
	mux.Handle("/yotpo", y.Handler(record, opts))
	mux.Handle("/influenceio", in.Handler(record, opts))
	recv := httptest.NewServer(mux)
	defer recv.Close()

	do := func(c *loyalty.Client, p loyalty.Platform, method, path string, body, out any) {
		t.Helper()
		req, err := c.NewRequest(p, method, path, body)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := c.Do(context.Background(), req, out); err != nil {
			t.Fatalf("%s %s: %v", method, path, err)
		}
	}

	// Qualifio and Yotpo on one fake (its Client speaks Yotpo for commerce).
	srv := loyaltytest.New(t)
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: recv.URL + "/qualifio", HeaderName: "X-Shop-Auth", HeaderValue: "hv", Secret: "qs"})
	srv.Yotpo().SetWebhook(recv.URL+"/yotpo", "Bearer yt")
	c := srv.Client()
	var member struct {
		ID string `json:"id"`
	}
	do(c, loyalty.Qualifio, http.MethodPost, contract.QualifioPathMembers, map[string]any{"email": "ana@example.com", "customerId": "C-1042"}, &member)
	if err := srv.Qualifio().CorrectPoints(member.ID, 25, "goodwill"); err != nil {
		t.Fatal(err)
	}
	if err := srv.Qualifio().CorrectPoints(member.ID, -5, "typo"); err != nil {
		t.Fatal(err)
	}
	do(c, loyalty.Yotpo, http.MethodPost, contract.YotpoPathCustomers, map[string]any{"id": "C-1042", "email": "ana@example.com", "opted_in": true}, nil)
	do(c, loyalty.Yotpo, http.MethodPost, contract.YotpoPathPointsAdjust, map[string]any{"customer_email": "ana@example.com", "point_adjustment_amount": 100}, nil)

	// Influence.io on a second fake; its deliveries carry the URL token only.
	srv2 := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient())
	for _, topic := range contract.InfluenceIOWebhookTopics {
		srv2.InfluenceIO().RegisterWebhook(topic, recv.URL+"/influenceio?token=it")
	}
	c2 := srv2.Client()
	do(c2, loyalty.InfluenceIO, http.MethodPut, contract.InfluenceIOCustomerPath("C-1042"), map[string]any{"email": "ana@example.com", "name": "Ana Peeters"}, nil)
	do(c2, loyalty.InfluenceIO, http.MethodPost, contract.InfluenceIOPointsPath("C-1042"), map[string]any{"points": 50, "action": "Bonus"}, nil)
	if _, err := srv2.InfluenceIO().Redeem("C-1042", 20, "INF-5OFF", "fixedamountdiscount"); err != nil {
		t.Fatal(err)
	}

	for _, s := range []*loyaltytest.Server{srv, srv2} {
		if err := s.WaitForWebhooks(context.Background()); err != nil {
			t.Fatal(err)
		}
		for _, d := range s.WebhookDeliveries() {
			if !d.Delivered || len(d.Attempts) != 1 {
				t.Errorf("%s %s: delivered %v after %d attempts", d.Platform, d.Topic, d.Delivered, len(d.Attempts))
			}
		}
	}
	mu.Lock()
	defer mu.Unlock()
	if len(rejected) > 0 {
		t.Errorf("rejected deliveries:\n%s", strings.Join(rejected, "\n"))
	}
	var seen []string
	for _, ev := range got {
		if _, raw := ev.Data.(json.RawMessage); raw {
			t.Errorf("%s %s: not decoded into a typed event", ev.Platform, ev.Topic)
		}
		if ev.CustomerEmail != "ana@example.com" || ev.ID == "" {
			t.Errorf("%s %s: customer %q, id %q", ev.Platform, ev.Topic, ev.CustomerEmail, ev.ID)
		}
		seen = append(seen, string(ev.Platform)+" "+ev.Topic+" "+string(ev.Kind))
	}
	sort.Strings(seen)
	t.Logf("received:\n%s", strings.Join(seen, "\n"))
	for _, want := range []string{
		"qualifio profile.created customer_updated",
		"qualifio points.corrected.added points_adjusted",
		"qualifio points.corrected.removed points_adjusted",
		"yotpo loyalty/opt_in opt_in",
		"yotpo swell/account/created customer_updated",
		"yotpo swell/points/changed points_adjusted",
		"influenceio customers/updated customer_updated",
		"influenceio points/earned points_earned",
		"influenceio points/redeemed points_redeemed",
	} {
		if !slices.Contains(seen, want) {
			t.Errorf("no %q among the received events:\n%s", want, strings.Join(seen, "\n"))
		}
	}
	for _, ev := range got {
		switch d := ev.Data.(type) {
		case *webhook.QualifioPointsCorrectedRemoved:
			if *ev.PointsDelta != -5 || *ev.PointsBalance != 20 || d.Reason != "typo" || ev.CustomerID != "C-1042" {
				t.Errorf("qualifio removal: delta %v balance %v %+v", *ev.PointsDelta, *ev.PointsBalance, d)
			}
		case *webhook.InfluenceIOPointsRedeemed:
			if *ev.PointsDelta != -20 || d.CouponCode != "INF-5OFF" || d.RewardType != "fixedamountdiscount" {
				t.Errorf("influenceio redemption: delta %v %+v", *ev.PointsDelta, d)
			}
		}
	}
}
