package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"sort"
	"strings"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
	"github.com/loyalty-go/loyalty/webhook"
)

// The demo's webhook secrets: they protect the loopback receivers below
// and nothing else.
const (
	qualifioHeader, qualifioHeaderValue = "X-Shop-Webhook", "demo-header-value"
	qualifioSigningSecret               = "demo-signing-secret"
	yotpoWebhookToken                   = "demo-yotpo-token"
	influenceIOWebhookToken             = "demo-influenceio-token"
)

// tour runs the demo flow against the fake; the tests inject faults to see
// a failing step fail the tour.
func tour(out io.Writer, faults ...loyaltytest.Fault) error {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	fmt.Fprintln(out, "no credentials in the environment: touring loyaltytest, the in-process fake, with its demo data")

	inbox := &inbox{}
	receivers, err := startReceivers(inbox)
	if err != nil {
		return err
	}
	defer receivers.close()

	srv := loyaltytest.NewServer(loyaltytest.WithDemoData())
	defer srv.Close() // before the receivers: no delivery is left in flight
	for _, f := range faults {
		srv.InjectFault(f)
	}
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{
		URL: receivers.qualifio.URL, HeaderName: qualifioHeader, HeaderValue: qualifioHeaderValue, Secret: qualifioSigningSecret,
	})
	srv.Yotpo().SetWebhook(receivers.yotpo.URL, "Bearer "+yotpoWebhookToken)

	c := srv.Client() // Qualifio, Yotpo (the commerce platform) and Monterosa
	defer c.CloseIdleConnections()
	// One Client has one commerce platform: Influence.io gets its own.
	infl := srv.ClientFor(loyalty.InfluenceIO)
	defer infl.CloseIdleConnections()

	steps := []struct {
		name string
		run  func() error
	}{
		{"qualifio", func() error { return tourQualifio(ctx, out, c, srv) }},
		{"yotpo", func() error { return tourYotpo(ctx, out, c) }},
		{"influenceio", func() error { return tourInfluenceIO(ctx, out, infl, receivers.influenceIO.URL) }},
		{"monterosa", func() error { return tourMonterosa(ctx, out, c) }},
	}
	for _, s := range steps {
		if err := s.run(); err != nil {
			return fmt.Errorf("%s: %w", s.name, err)
		}
	}

	if err := srv.WaitForWebhooks(ctx); err != nil {
		return fmt.Errorf("waiting for webhooks: %w", err)
	}
	for _, d := range srv.WebhookDeliveries() {
		if !d.Delivered {
			return fmt.Errorf("webhook %s %s was not delivered: %v", d.Platform, d.Topic, d.Attempts)
		}
	}
	fmt.Fprintln(out, "webhooks received:")
	for _, line := range inbox.lines() {
		fmt.Fprintln(out, "  "+line)
	}
	return inbox.err()
}

// tourQualifio enrols a member, sends a purchase event and reads the
// balance.
func tourQualifio(ctx context.Context, out io.Writer, c *loyalty.Client, srv *loyaltytest.Server) error {
	m, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "ana@example.com", CustomerID: "C-1042", Firstname: "Ana"})
	if err != nil {
		return fmt.Errorf("member: %w", err)
	}
	fmt.Fprintf(out, "qualifio: member %s (%s) enrolled\n", m.Email, m.CustomerID)
	_, _, err = c.Events.Send(ctx, loyalty.Event{
		Type: loyalty.EventPurchase, CustomerID: "C-1042", Timestamp: time.Date(2026, 5, 1, 12, 30, 0, 0, time.UTC),
		Purchase: &loyalty.Purchase{OrderID: "O-77812", Amount: loyalty.NewMoney(4990, "EUR")},
	})
	if err != nil { // the event id Send returns makes a resend safe
		return fmt.Errorf("purchase event: %w", err)
	}
	fmt.Fprintln(out, "qualifio: purchase O-77812 of 49.90 EUR sent")
	// The SDK has no balance call (Qualifio's members API reports none):
	// the balance comes from the fake's state, as a test would read it.
	balance, _, ok := srv.Qualifio().Points(m.ID)
	if !ok {
		return fmt.Errorf("balance: no member %s in the fake", m.ID)
	}
	fmt.Fprintf(out, "qualifio: %s has %g points\n", m.Email, balance)
	return nil
}

// tourYotpo creates a customer, records a paid order, reads the points and
// history, and redeems a reward.
func tourYotpo(ctx context.Context, out io.Writer, c *loyalty.Client) error {
	ana := loyalty.ByEmail("ana@example.com")
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1042", Email: "ana@example.com", FirstName: "Ana", OptIn: loyalty.Ptr(true)}); err != nil {
		return fmt.Errorf("customer: %w", err)
	}
	fmt.Fprintln(out, "yotpo: customer ana@example.com (C-1042) created")
	order := loyalty.Order{
		ID: "O-77813", CustomerEmail: "ana@example.com", Status: loyalty.OrderPaid, Total: loyalty.NewMoney(65000, "EUR"),
		Items: []loyalty.OrderItem{{ID: "SKU-9", Name: "Jacket", Price: loyalty.NewMoney(65000, "EUR"), Quantity: 1}},
	}
	if _, _, err := c.Orders.Create(ctx, order); err != nil { // Yotpo de-duplicates on the order id
		return fmt.Errorf("order: %w", err)
	}
	fmt.Fprintln(out, "yotpo: order O-77813 of 650.00 EUR paid")

	var redeemable *loyalty.RedemptionOption
	for opt, err := range c.Redemptions.Options(ctx, &loyalty.RedemptionOptionFilter{Eligible: &ana}) {
		if err != nil {
			return fmt.Errorf("redemption options: %w", err)
		}
		if opt.Name == "5.00 off" {
			redeemable = opt
		}
	}
	if redeemable == nil {
		return fmt.Errorf("the 5.00 off reward is not on offer to %s", ana)
	}
	// Not retried on failure: Yotpo does not de-duplicate redemptions.
	rd, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: ana, OptionID: redeemable.ID})
	if err != nil {
		return fmt.Errorf("redeem: %w", err)
	}
	fmt.Fprintf(out, "yotpo: redeemed %q for %d points, coupon issued: %v\n", redeemable.Name, redeemable.Points, rd.CouponCode != "")

	cust, _, err := c.Customers.Get(ctx, ana, &loyalty.CustomerGetOptions{WithHistory: true})
	if err != nil {
		return fmt.Errorf("customer: %w", err)
	}
	fmt.Fprintf(out, "yotpo: %s has %d points (%d earned), tier %s\n", cust.Email, cust.PointsBalance, cust.PointsEarned, cust.Tier)
	for _, h := range cust.History {
		fmt.Fprintf(out, "yotpo:   history %+d %s\n", h.Points, h.Action)
	}
	return nil
}

// tourInfluenceIO subscribes the webhook receiver to every topic, then
// creates a customer, a paid order and its refund, and keeps a product in
// step.
func tourInfluenceIO(ctx context.Context, out io.Writer, c *loyalty.Client, receiverURL string) error {
	for _, topic := range loyalty.InfluenceIOTopics() {
		if _, _, err := c.Webhooks.CreateWithToken(ctx, topic, receiverURL, influenceIOWebhookToken); err != nil {
			return fmt.Errorf("webhook %s: %w", topic, err)
		}
	}
	n := 0
	for _, err := range c.Webhooks.List(ctx) {
		if err != nil {
			return fmt.Errorf("webhooks: %w", err)
		}
		n++ // a subscription's URL holds the token: not printed
	}
	fmt.Fprintf(out, "influenceio: %d webhook subscriptions\n", n)

	// Customers are named by your own id on Influence.io.
	bo := loyalty.ByID("C-2077")
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-2077", Email: "bo@example.com", FirstName: "Bo"}); err != nil {
		return fmt.Errorf("customer: %w", err)
	}
	fmt.Fprintln(out, "influenceio: customer bo@example.com (C-2077) created")
	total := loyalty.NewMoney(8000, "EUR")
	res, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O-90001", CustomerID: "C-2077", CustomerEmail: "bo@example.com",
		Total: total, Status: loyalty.OrderPaid})
	if err != nil { // a resent order id is counted once
		return fmt.Errorf("order: %w", err)
	}
	fmt.Fprintf(out, "influenceio: order O-90001 of %s paid, points awarded: %v\n", total, res.PointsAwarded != nil && *res.PointsAwarded)
	cust, _, err := c.Customers.Get(ctx, bo, nil)
	if err != nil {
		return fmt.Errorf("customer: %w", err)
	}
	fmt.Fprintf(out, "influenceio: %s has %d points\n", cust.Email, cust.PointsBalance)
	// The order is returned: a full refund takes its points back. (How many
	// a partial one takes back is the account's setting on Influence.io.)
	if _, err := c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-90001", Total: total}); err != nil {
		return fmt.Errorf("refund: %w", err)
	}
	if cust, _, err = c.Customers.Get(ctx, bo, nil); err != nil {
		return fmt.Errorf("customer: %w", err)
	}
	fmt.Fprintf(out, "influenceio: order O-90001 refunded, %s has %d points\n", cust.Email, cust.PointsBalance)

	p, _, err := c.Products.Upsert(ctx, loyalty.ProductInput{
		ID: "P-7", Title: "Tee", URL: "https://shop.example/p/tee", Price: loyalty.Ptr(loyalty.NewMoney(1999, "EUR")),
	})
	if err != nil {
		return fmt.Errorf("product: %w", err)
	}
	fmt.Fprintf(out, "influenceio: product %s %q at %s\n", p.ID, p.Title, p.Price)
	return nil
}

// tourMonterosa reads the space's configuration, then acts for two fans
// through per-fan views of one Client.
func tourMonterosa(ctx context.Context, out io.Writer, c *loyalty.Client) error {
	cfg, _, err := c.Rewards.Config(ctx)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}
	fmt.Fprintf(out, "monterosa: space has %d metrics and %d challenge(s)\n", len(cfg.Metrics), len(cfg.Challenges))
	// The fans' tokens, as their apps sent them (the fake reads a plain
	// token as its user's name). Ana votes and shares; Bo only votes.
	fans := []struct {
		token   string
		actions []string
	}{{"ana", []string{"vote", "share"}}, {"bo", []string{"vote"}}}
	for _, f := range fans {
		fan := c.Rewards.ForUser(f.token)
		for _, a := range f.actions {
			if _, err := fan.ReportAction(ctx, loyalty.RewardsAction{Name: a}); err != nil {
				return fmt.Errorf("%s: action %s: %w", f.token, a, err)
			}
		}
		p, _, err := fan.Profile(ctx)
		if err != nil {
			return fmt.Errorf("%s: profile: %w", f.token, err)
		}
		points, _ := p.MetricValue(cfg, "points")
		fmt.Fprintf(out, "monterosa: %s did %s: %g points, welcome done %v\n", f.token, strings.Join(f.actions, "+"), points, p.Challenges["welcome"].IsCompleted)
		ns, _, err := fan.Notifications(ctx) // reading marks them read
		if err != nil {
			return fmt.Errorf("%s: notifications: %w", f.token, err)
		}
		for _, n := range ns {
			fmt.Fprintf(out, "monterosa:   %s notification %s %s\n", f.token, n.Type, n.Payload.ChallengeID)
		}
	}
	return nil
}

// receivers are the webhook endpoints the fake delivers to, one per
// platform that sends webhooks (Monterosa sends none).
type receivers struct {
	qualifio, yotpo, influenceIO *httptest.Server
}

func (r *receivers) close() {
	for _, s := range []*httptest.Server{r.qualifio, r.yotpo, r.influenceIO} {
		if s != nil {
			s.Close()
		}
	}
}

func startReceivers(in *inbox) (*receivers, error) {
	q, err := webhook.NewQualifio(webhook.QualifioConfig{
		HeaderName: qualifioHeader, HeaderValues: []string{qualifioHeaderValue}, SigningSecrets: []string{qualifioSigningSecret},
	})
	if err != nil {
		return nil, err
	}
	y, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{yotpoWebhookToken}})
	if err != nil {
		return nil, err
	}
	i, err := webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{influenceIOWebhookToken}})
	if err != nil {
		return nil, err
	}
	opts := webhook.HandlerOptions{OnError: in.fail}
	return &receivers{
		qualifio:    httptest.NewServer(q.Handler(in.add, opts)),
		yotpo:       httptest.NewServer(y.Handler(in.add, opts)),
		influenceIO: httptest.NewServer(i.Handler(in.add, opts)),
	}, nil
}

// inbox collects the normalized events the receivers accepted.
type inbox struct {
	mu     sync.Mutex // deliveries arrive concurrently
	events []webhook.Event
	errs   []error
}

func (in *inbox) add(_ context.Context, ev webhook.Event) error {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.events = append(in.events, ev)
	return nil
}

func (in *inbox) fail(_ *http.Request, err error) {
	in.mu.Lock()
	defer in.mu.Unlock()
	in.errs = append(in.errs, err)
}

func (in *inbox) err() error {
	in.mu.Lock()
	defer in.mu.Unlock()
	if len(in.errs) > 0 {
		return fmt.Errorf("a webhook was refused: %w", in.errs[0])
	}
	return nil
}

// lines formats the events, grouped by platform in a fixed order; within a
// platform they are in the order the fake sent them (one URL, delivered in
// order).
func (in *inbox) lines() []string {
	in.mu.Lock()
	defer in.mu.Unlock()
	rank := map[loyalty.Platform]int{loyalty.Qualifio: 0, loyalty.Yotpo: 1, loyalty.InfluenceIO: 2}
	evs := append([]webhook.Event(nil), in.events...)
	sort.SliceStable(evs, func(a, b int) bool { return rank[evs[a].Platform] < rank[evs[b].Platform] })
	out := make([]string, len(evs))
	for i, ev := range evs {
		out[i] = describe(ev)
	}
	return out
}

// describe is ev's normalized view on one line. Ids and times are left
// out: the fake generates them.
func describe(ev webhook.Event) string {
	s := fmt.Sprintf("%s %s (%s) customer=%s", ev.Platform, ev.Kind, ev.Topic, ev.CustomerEmail)
	if ev.CustomerID != "" {
		s += "/" + ev.CustomerID
	}
	if ev.PointsDelta != nil {
		s += fmt.Sprintf(" delta=%+g", *ev.PointsDelta)
	}
	if ev.PointsBalance != nil {
		s += fmt.Sprintf(" balance=%g", *ev.PointsBalance)
	}
	return s
}
