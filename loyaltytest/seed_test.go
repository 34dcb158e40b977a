package loyaltytest_test

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"sync"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// earnOnYotpo records a paid order of total cents for email and returns the
// balance the SDK reads back.
func earnOnYotpo(t *testing.T, srv *loyaltytest.Server, email string, cents int64) int64 {
	t.Helper()
	ctx := context.Background()
	c := srv.Client()
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: email}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O-" + email, CustomerEmail: email, Total: loyalty.NewMoney(cents, "EUR"), Status: loyalty.OrderPaid}); err != nil {
		t.Fatal(err)
	}
	cust, _, err := c.Customers.Get(ctx, loyalty.ByEmail(email), nil)
	if err != nil {
		t.Fatal(err)
	}
	return cust.PointsBalance
}

// The demo data earns on every platform: a 100.00 Yotpo order earns 100
// points (an unseeded fake earns 0), and the seeded rules, tiers, space and
// coupon are what the fakes serve.
func TestWithDemoData(t *testing.T) {
	if got := earnOnYotpo(t, loyaltytest.New(t), "plain@example.com", 10000); got != 0 {
		t.Fatalf("unseeded fake earned %d", got)
	}
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	if got := earnOnYotpo(t, srv, "ana@example.com", 10000); got != 100 {
		t.Fatalf("demo data: 100.00 earned %d points, want 100", got)
	}
	y := srv.Yotpo()
	if len(y.Campaigns()) != 3 || len(y.RedemptionOptions()) != 3 || len(y.VIPTiers()) != 3 {
		t.Fatalf("yotpo seeded %d campaigns, %d options, %d tiers", len(y.Campaigns()), len(y.RedemptionOptions()), len(y.VIPTiers()))
	}
	if cs := y.Customers(); len(cs) != 1 || cs[0].VIPTierName != "Bronze" || cs[0].PointsBalance != 100 {
		t.Fatalf("yotpo customers %+v", cs)
	}
	if i := srv.InfluenceIO(); len(i.EarnRules()) != 2 || len(i.Tiers()) != 3 {
		t.Fatalf("influence.io seeded %d rules, %d tiers", len(i.EarnRules()), len(i.Tiers()))
	}
	if q := srv.Qualifio(); q.EarningRule().ID != "r-demo" || len(q.MappedEventIDs()) != 4 {
		t.Fatalf("qualifio rule %+v, mapped %v", q.EarningRule(), q.MappedEventIDs())
	}
	ctx := context.Background()
	cfg, _, err := srv.Client().Rewards.ForUser("ana").Config(ctx)
	if err != nil || len(cfg.Challenges) != 1 || len(cfg.Challenges[0].Missions) != 2 {
		t.Fatalf("monterosa config %+v, %v", cfg, err)
	}
	if _, _, err := srv.Client().Rewards.ForUser("ana").Coupon(ctx, "welcome-coupon"); err != nil {
		t.Fatal(err)
	}
}

// The demo seed is defined once: its JSON decodes back to the same value,
// strictly, so the printed file is a valid seed file.
func TestDemoSeedJSONRoundTrips(t *testing.T) {
	got, err := loyaltytest.DecodeSeed(bytes.NewReader(loyaltytest.DemoSeedJSON()))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(got, loyaltytest.DemoSeed()) {
		t.Fatalf("decoded demo seed differs:\n%+v", got)
	}
	d := loyaltytest.DemoSeed()
	d.Yotpo.Campaigns[0].Title = "changed"
	if loyaltytest.DemoSeed().Yotpo.Campaigns[0].Title == "changed" {
		t.Fatal("DemoSeed returned shared state")
	}
}

// The example seed file loads every section, and what it says is what the
// platforms do.
func TestWithSeedFile(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithSeedFile(filepath.Join("testdata", "seed.json")))
	if got := earnOnYotpo(t, srv, "ana@example.com", 10000); got != 200 {
		t.Fatalf("2 points per unit: 100.00 earned %d", got)
	}
	ctx := context.Background()
	c := srv.Client()
	m, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "bo@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Events.Send(ctx, loyalty.Event{Type: loyalty.EventPurchase, Email: "bo@example.com",
		Purchase: &loyalty.Purchase{OrderID: "P-1", Amount: loyalty.NewMoney(1000, "EUR")}}); err != nil {
		t.Fatal(err)
	}
	if bal, _, ok := srv.Qualifio().Points(m.ID); !ok || bal != 20 {
		t.Fatalf("qualifio balance %v (%v); want 2 per unit of 10.00", bal, ok)
	}
	if _, err := c.Rewards.ForUser("cy").ReportAction(ctx, loyalty.RewardsAction{Name: "answer"}); err != nil {
		t.Fatal(err)
	}
	ps := srv.Monterosa().Profiles()
	if len(ps) != 1 || ps[0].Metrics["coins"] != 30 || !ps[0].Challenges["first-quiz"].IsCompleted || len(ps[0].Inventory["stickers"]) != 1 {
		t.Fatalf("monterosa profiles %+v", ps)
	}
	if tiers := srv.InfluenceIO().Tiers(); len(tiers) != 2 || tiers[1].EntryReward == nil || tiers[1].EntryReward.CouponCode != "PLUS5" {
		t.Fatalf("influence.io tiers %+v", tiers)
	}
	if ids := srv.Qualifio().MappedEventIDs(); len(ids) != 4 {
		t.Fatalf("mapped events %v", ids)
	}
}

// WithSeed and Server.Seed load a Seed value; a seed given at start comes
// back on Reset, one loaded later does not.
func TestWithSeedAndServerSeed(t *testing.T) {
	seed := loyaltytest.Seed{Yotpo: &loyaltytest.YotpoSeed{Campaigns: []loyaltytest.YotpoCampaign{
		{Type: loyaltytest.YotpoCampaignSpendBased, Title: "Triple", RewardPoints: 3},
	}}}
	srv := loyaltytest.New(t, loyaltytest.WithSeed(seed))
	if got := earnOnYotpo(t, srv, "a@example.com", 1000); got != 30 {
		t.Fatalf("earned %d, want 30", got)
	}
	err := srv.Seed(loyaltytest.Seed{Yotpo: &loyaltytest.YotpoSeed{Campaigns: []loyaltytest.YotpoCampaign{
		{Type: loyaltytest.YotpoCampaignTransactionBased, Title: "Per order", RewardPoints: 5},
	}}})
	if err != nil {
		t.Fatal(err)
	}
	if got := earnOnYotpo(t, srv, "b@example.com", 1000); got != 35 {
		t.Fatalf("earned %d, want 30 + 5", got)
	}
	srv.Reset()
	if n := len(srv.Yotpo().Customers()); n != 0 {
		t.Fatalf("%d customers after Reset", n)
	}
	if got := earnOnYotpo(t, srv, "c@example.com", 1000); got != 30 {
		t.Fatalf("after Reset earned %d, want the start seed's 30", got)
	}
}

// A seed the fake cannot use is refused whole, naming the field at fault.
func TestSeedErrorsNameTheField(t *testing.T) {
	for _, c := range []struct{ json, field, reason string }{
		{`{"yotpo": {"campaigns": [{"type": "SpendBasedCampaign", "title": "x", "rewardPoints": 1}, {"type": "Nope", "title": "y"}]}}`, "yotpo.campaigns[1].type", `"Nope" is not one of`},
		{`{"yotpo": {"campaigns": [{"type": "SpendBasedCampaign", "title": "x"}, {"type": "SpendBasedCampaign", "title": "x", "rewardPoints": "ten"}]}}`, "yotpo.campaigns[1].rewardPoints", "cannot be a int64"},
		{`{"yotpo": {"campaigns": [{"Type": "SpendBasedCampaign", "Title": "x", "RewardPoints": "ten"}]}}`, "yotpo.campaigns[0].RewardPoints", "cannot be a int64"},
		{`{"yotpo": {"campaigns": [{"type": "SpendBasedCampaign", "title": "x"}, {"type": "SpendBasedCampaign", "title": "y", "endsAt": "tomorrow"}]}}`, "yotpo.campaigns[1].endsAt", `parsing time "tomorrow"`},
		{`{"yotpo": {"campaigns": [{"type": "SpendBasedCampaign", "title": "x", "endsAt": 5}]}}`, "yotpo.campaigns[0].endsAt", "not a JSON string"},
		{`{"influenceio": {"tiers": [{"id": "a", "title": "A", "entryReward": {"discountAmount": "5"}}]}}`, "influenceio.tiers[0].entryReward.discountAmount", "cannot be a float64"},
		{`{"yotpo": {"campagns": []}}`, "yotpo.campagns", "unknown field"},
		{`{"shopify": {}}`, "shopify", "unknown field"},
		{`{"yotpo": {"campaigns": [{"type": "SpendBasedCampaign", "title": "x", "rewardPoints": 1}, {"type": "SpendBasedCampaign", "title": "y", "rewardPoint": 1}]}}`, "yotpo.campaigns[1].rewardPoint", "unknown field"},
		{`{"yotpo": {"campaigns": [{"Type": "SpendBasedCampaign", "Title": "x", "RewardPoints": 1}, {"type": "SpendBasedCampaign"}, {"title": "z", "endsAt": "2026-01-01T00:00:00Z", "rewardPoint": 1}]}}`, "yotpo.campaigns[2].rewardPoint", "unknown field"},
		{`{"influenceio": {"tiers": [{"id": "a", "title": "A"}], "earnRules": [{"id": "r"}, {"id": "s", "pointz": 5}]}}`, "influenceio.earnRules[1].pointz", "unknown field"},
		{`{"influenceio": {"tiers": [{"id": "a", "title": "A", "entryReward": {"discountAmount": 5, "discount": 5}}]}}`, "influenceio.tiers[0].entryReward.discount", "unknown field"},
		{`{"monterosa": {"space": {"challenges": [{"id": "c", "missions": [{"id": "m", "type": "t"}, {"id": "n", "kind": "t"}]}]}}}`, "monterosa.space.challenges[0].missions[1].kind", "unknown field"},
		{`{"qualifio": {"earningRule": {"id": "r", "perEvnt": 1}}}`, "qualifio.earningRule.perEvnt", "unknown field"},
		{`{"yotpo": {"redemptionOptions": [{"name": "x", "amount": 0}]}}`, "yotpo.redemptionOptions[0].amount", "must be positive"},
		{`{"yotpo": {"campaigns": [{"id": 7, "type": "BirthdayCampaign", "title": "a"}, {"type": "BirthdayCampaign", "title": "b"}, {"id": 7, "type": "BirthdayCampaign", "title": "c"}]}}`, "yotpo.campaigns[2].id", "7 is used twice"},
		{`{"yotpo": {"redemptionOptions": [{"id": 3, "name": "a", "amount": 1}, {"id": 3, "name": "b", "amount": 1}]}}`, "yotpo.redemptionOptions[1].id", "3 is used twice"},
		{`{"yotpo": {"vipTiers": [{"id": 4, "name": "a"}, {"id": 4, "name": "b"}]}}`, "yotpo.vipTiers[1].id", "4 is used twice"},
		{`{"influenceio": {"tiers": [{"id": "a", "title": "A"}, {"id": "a", "title": "B"}]}}`, "influenceio.tiers[1].id", "used twice"},
		{`{"qualifio": {"mappedEvents": [{"id": "h", "auth": "header", "secret": "s"}]}}`, "qualifio.mappedEvents[0].name", "required"},
		{`{"qualifio": {"mappedEvents": [{"id": "h", "auth": "basic"}]}}`, "qualifio.mappedEvents[0].auth", "not one of"},
		{`{"monterosa": {"space": {"metrics": [], "challenges": [{"id": "c", "missions": [{"id": "m", "type": "t"}], "rewards": [{"type": "metric", "metricId": "gold"}]}]}}}`, "monterosa.space.challenges[0].rewards[0].metricId", `"gold" is not a metric`},
		{`{"yotpo": {}} {}`, "", "after the JSON value"},
		{`{"yotpo": {"campaigns": [}`, "", "line 1"},
		{``, "", "empty"},
	} {
		_, err := loyaltytest.DecodeSeed(strings.NewReader(c.json))
		var se *loyaltytest.SeedError
		if !errors.As(err, &se) || se.Field != c.field || !strings.Contains(se.Reason, c.reason) {
			t.Errorf("DecodeSeed(%s): %v; want field %q, reason with %q", c.json, err, c.field, c.reason)
		}
	}

	srv := loyaltytest.New(t)
	bad := loyaltytest.Seed{
		Yotpo:    &loyaltytest.YotpoSeed{Campaigns: []loyaltytest.YotpoCampaign{{Type: loyaltytest.YotpoCampaignSpendBased, Title: "ok", RewardPoints: 1}}},
		Qualifio: &loyaltytest.QualifioSeed{EarningRule: &loyaltytest.QualifioEarningRule{PerEvent: 1}},
	}
	if err := srv.Seed(bad); err == nil || !strings.Contains(err.Error(), "qualifio.earningRule.id") {
		t.Fatalf("Seed: %v", err)
	}
	if n := len(srv.Yotpo().Campaigns()); n != 0 {
		t.Fatalf("a refused seed loaded %d campaigns", n)
	}
}

// Start reports a bad seed file with the file and field; NewServer panics
// with the same message.
func TestStartRefusesBadSeedFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(path, []byte(`{"qualifio": {"earningRule": {"id": "r", "perEvent": -1}}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	srv, err := loyaltytest.Start(loyaltytest.WithSeedFile(path))
	var se *loyaltytest.SeedError
	if srv != nil || !errors.As(err, &se) || se.Source != path || se.Field != "qualifio.earningRule.perEvent" {
		t.Fatalf("Start: %v, %v", srv, err)
	}
	if _, err := loyaltytest.Start(loyaltytest.WithSeedFile(filepath.Join(t.TempDir(), "missing.json"))); !errors.As(err, &se) {
		t.Fatalf("missing file: %v", err)
	}
	defer func() {
		if r, _ := recover().(string); !strings.Contains(r, "qualifio.earningRule.perEvent") {
			t.Fatalf("NewServer panic %q", r)
		}
	}()
	loyaltytest.NewServer(loyaltytest.WithSeedFile(path)).Close()
}

// Reset swaps the platforms under the server's lock: requests, state reads
// and seeding running meanwhile are safe (run with -race).
func TestResetWhileServing(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; ; i++ {
				select {
				case <-done:
					return
				default:
				}
				_, _ = send(srv, call{method: http.MethodPost, path: contract.YotpoBasePath + contract.YotpoPathCustomers,
					header: yotpoAuth, body: map[string]any{"email": fmt.Sprintf("w%d-%d@example.com", w, i)}})
				_ = srv.Yotpo().Customers()
				_ = srv.Seed(loyaltytest.Seed{InfluenceIO: &loyaltytest.InfluenceIOSeed{EarnRules: []loyaltytest.InfluenceIOEarnRule{{ID: "x"}}}})
			}
		}()
	}
	for range 20 {
		srv.Reset()
	}
	close(done)
	wg.Wait()
	srv.Reset()
	if n := len(srv.Yotpo().Customers()); n != 0 || len(srv.Yotpo().Campaigns()) != 3 {
		t.Fatalf("after the last Reset: %d customers, %d campaigns", n, len(srv.Yotpo().Campaigns()))
	}
}

// The seed format has one key style, camelCase json tags, as the admin API's
// state has; files written with the Go field names decode the same.
func TestSeedKeysAreCamelCase(t *testing.T) {
	demo := string(loyaltytest.DemoSeedJSON())
	for _, want := range []string{`"rewardPoints"`, `"redemptionOptions"`, `"discountAmountCents"`, `"earnRules"`, `"perCurrencyUnit"`, `"auth"`} {
		if !strings.Contains(demo, want) {
			t.Errorf("demo seed JSON lacks %s", want)
		}
	}
	for _, goName := range []string{`"RewardPoints"`, `"Type"`, `"Title"`, `"ID"`, `"PerEvent"`, `"DiscountAmountCents"`} {
		if strings.Contains(demo, goName) {
			t.Errorf("demo seed JSON has Go field key %s", goName)
		}
	}
	camel := `{"yotpo": {"campaigns": [{"type": "CustomActionCampaign", "title": "T", "actionName": "a", "rewardPoints": 5, "ctaText": "Go", "endsAt": "2030-01-02T03:04:05Z"}],
		"redemptionOptions": [{"id": 9, "name": "N", "amount": 10, "cartGreaterThan": 500, "offline": true}], "vipTiers": [{"name": "V", "rank": 1, "amountSpentCents": 100}]},
		"influenceio": {"earnRules": [{"id": "e", "title": "E", "points": 3}], "tiers": [{"id": "t", "title": "T", "threshold": 5, "entryReward": {"couponCode": "C", "discountAmount": 1.5}}]},
		"qualifio": {"earningRule": {"id": "r", "perEvent": 1, "perCurrencyUnit": 2}, "mappedEvents": [{"id": "m", "auth": "hub-signature", "secret": "s", "sha1": true}]}}`
	goKeys := `{"yotpo": {"campaigns": [{"Type": "CustomActionCampaign", "Title": "T", "ActionName": "a", "RewardPoints": 5, "CTAText": "Go", "EndsAt": "2030-01-02T03:04:05Z"}],
		"redemptionOptions": [{"ID": 9, "Name": "N", "Amount": 10, "CartGreaterThan": 500, "Offline": true}], "vipTiers": [{"Name": "V", "Rank": 1, "AmountSpentCents": 100}]},
		"influenceio": {"earnRules": [{"ID": "e", "Title": "E", "Points": 3}], "tiers": [{"ID": "t", "Title": "T", "Threshold": 5, "EntryReward": {"CouponCode": "C", "DiscountAmount": 1.5}}]},
		"qualifio": {"earningRule": {"ID": "r", "PerEvent": 1, "PerCurrencyUnit": 2}, "mappedEvents": [{"ID": "m", "Auth": "hub-signature", "Secret": "s", "SHA1": true}]}}`
	a, err := loyaltytest.DecodeSeed(strings.NewReader(camel))
	if err != nil {
		t.Fatal(err)
	}
	b, err := loyaltytest.DecodeSeed(strings.NewReader(goKeys))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(a, b) {
		t.Fatalf("camelCase and Go-name keys decode differently:\n%+v\n%+v", a, b)
	}
	if o := a.Yotpo.RedemptionOptions[0]; o.ID != 9 || o.CartGreaterThan == nil || *o.CartGreaterThan != 500 || !o.Offline || !a.Qualifio.MappedEvents[0].SHA1 {
		t.Fatalf("decoded %+v", a)
	}
}

// An explicit Yotpo id is kept, replaces the seed with that id, and is
// never handed out afterwards.
func TestYotpoExplicitSeedIDs(t *testing.T) {
	srv := loyaltytest.New(t)
	y := srv.Yotpo()
	first := y.AddCampaign(loyaltytest.YotpoCampaign{ID: 50, Type: loyaltytest.YotpoCampaignBirthday, Title: "a"})
	next := y.AddCampaign(loyaltytest.YotpoCampaign{Type: loyaltytest.YotpoCampaignBirthday, Title: "b"})
	if first.ID != 50 || next.ID <= 50 {
		t.Fatalf("ids %d then %d: an assigned id must pass the explicit one", first.ID, next.ID)
	}
	opt := y.AddRedemptionOption(loyaltytest.YotpoRedemptionOption{Name: "o", Amount: 1})
	if opt.ID <= next.ID {
		t.Fatalf("option id %d reuses a campaign id (%d)", opt.ID, next.ID)
	}
	y.AddCampaign(loyaltytest.YotpoCampaign{ID: 50, Type: loyaltytest.YotpoCampaignBirthday, Title: "a2"})
	cs := y.Campaigns()
	if len(cs) != 2 || cs[0].ID != 50 || cs[0].Title != "a2" {
		t.Fatalf("re-adding id 50 should replace it: %+v", cs)
	}
	y.AddVIPTier(loyaltytest.YotpoVIPTier{ID: 7, Name: "Silver", Rank: 1})
	y.AddVIPTier(loyaltytest.YotpoVIPTier{ID: 7, Name: "Gold", Rank: 2})
	if ts := y.VIPTiers(); len(ts) != 1 || ts[0].Name != "Gold" {
		t.Fatalf("tiers %+v", ts)
	}
	if o := y.AddRedemptionOption(loyaltytest.YotpoRedemptionOption{ID: opt.ID, Name: "o2", Amount: 2}); o.ID != opt.ID || len(y.RedemptionOptions()) != 1 {
		t.Fatalf("options %+v", y.RedemptionOptions())
	}
}
