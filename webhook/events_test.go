package webhook_test

import (
	"encoding/json"
	"errors"
	"os"
	"reflect"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/webhook"
)

// want is the normalized view a fixture must produce.
type want struct {
	kind          webhook.Kind
	id            string
	email, custID string
	delta, bal    *float64
	at            string // RFC 3339, "" for the zero time
}

func checkNormalized(t *testing.T, ev webhook.Event, p loyalty.Platform, topic string, w want) {
	t.Helper()
	if ev.Platform != p || ev.Topic != topic || ev.Kind != w.kind || ev.ID != w.id {
		t.Errorf("platform, topic, kind, id = %q %q %q %q; want %q %q %q %q", ev.Platform, ev.Topic, ev.Kind, ev.ID, p, topic, w.kind, w.id)
	}
	if ev.CustomerEmail != w.email || ev.CustomerID != w.custID {
		t.Errorf("customer = %q %q; want %q %q", ev.CustomerEmail, ev.CustomerID, w.email, w.custID)
	}
	if !eqPtr(ev.PointsDelta, w.delta) || !eqPtr(ev.PointsBalance, w.bal) {
		t.Errorf("delta, balance = %v %v; want %v %v", fmtPtr(ev.PointsDelta), fmtPtr(ev.PointsBalance), fmtPtr(w.delta), fmtPtr(w.bal))
	}
	var at time.Time
	if w.at != "" {
		at = mustTime(t, w.at)
	}
	if !ev.OccurredAt.Equal(at) {
		t.Errorf("occurred at = %v; want %v", ev.OccurredAt, at)
	}
}

// as asserts that data is a *T and returns it.
func as[T any](t *testing.T, data any) *T {
	t.Helper()
	v, ok := data.(*T)
	if !ok {
		t.Fatalf("Data is %T; want *%s", data, reflect.TypeFor[T]().Name())
	}
	return v
}

func TestEveryDocumentedTopicHasAFixture(t *testing.T) {
	for platform, topics := range map[string][]string{
		"qualifio":    contract.QualifioWebhookTypes,
		"yotpo":       contract.YotpoWebhookTopics,
		"influenceio": contract.InfluenceIOWebhookTopics,
	} {
		for _, topic := range topics {
			if _, err := os.Stat(fixturePath(platform, topic)); err != nil {
				t.Errorf("%s %s: %v", platform, topic, err)
			}
		}
	}
}

func TestParseQualifioFixtures(t *testing.T) {
	ana := want{email: "ana@example.com", custID: "C-1042"}
	with := func(w want, f func(*want)) want { f(&w); return w }
	tests := []struct {
		typ   string
		want  want
		check func(t *testing.T, data any)
	}{
		{contract.QualifioProfileCreated, with(ana, func(w *want) {
			w.kind, w.id, w.at = webhook.KindCustomerUpdated, "0b6f5a8e-1c2d-4e3f-9a0b-1c2d3e4f5a60", "2024-05-01T09:12:44Z"
		}), func(t *testing.T, data any) {
			d := as[webhook.QualifioProfileCreated](t, data)
			if d.Source != "sso" || d.Member.ID != "5d0a3c5e-8a8f-4a2b-9d8e-4f0e0f7c2a91" || d.ProgramID != "3c9a4a0e-2f55-4d8a-b1b8-0d7f5b1f6a22" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.QualifioPortalVisited, with(ana, func(w *want) {
			w.kind, w.id, w.at = webhook.KindOther, "1c7a6b9f-2d3e-4f50-8b1c-2d3e4f5a6b71", "2024-05-01T09:13:02Z"
		}), func(t *testing.T, data any) {
			if d := as[webhook.QualifioPortalVisited](t, data); d.Type != contract.QualifioPortalVisited {
				t.Errorf("%+v", d)
			}
		}},
		{contract.QualifioLevelChanged, with(ana, func(w *want) {
			w.kind, w.id, w.at = webhook.KindTierChanged, "2d8b7ca0-3e4f-4061-9c2d-3e4f5a6b7c82", "2024-05-01T12:30:06Z"
		}), func(t *testing.T, data any) {
			d := as[webhook.QualifioLevelChanged](t, data)
			if d.OldLevel == nil || d.OldLevel.Name != "Bronze" || d.NewLevel == nil || d.NewLevel.ID != "lvl-silver" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.QualifioPointsEarned, with(ana, func(w *want) {
			w.kind, w.id, w.at = webhook.KindPointsEarned, "e7f1c2d4-7c55-4a6e-a0f3-1f9b0c6d2e10", "2024-05-01T12:30:05Z"
			w.delta, w.bal = ptr(50), ptr(350)
		}), func(t *testing.T, data any) {
			d := as[webhook.QualifioPointsEarned](t, data)
			if d.Currency != "points" || d.Amount != 50 || d.LifetimeTotal != 900 || d.RuleID != "r-purchase" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.QualifioPointsBurned, with(ana, func(w *want) {
			w.kind, w.id, w.at = webhook.KindPointsRedeemed, "3e9c8db1-4f50-4172-8d3e-4f5a6b7c8d93", "2024-05-02T08:00:00.25Z"
			w.delta, w.bal = ptr(-200), ptr(150)
		}), func(t *testing.T, data any) {
			d := as[webhook.QualifioPointsBurned](t, data)
			if d.Reward.ID != "rw-coffee" || d.Reward.PromoCode == nil || *d.Reward.PromoCode != "COFFEE-7K2Q" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.QualifioPointsCorrectedAdded, with(ana, func(w *want) {
			w.kind, w.id, w.at = webhook.KindPointsAdjusted, "4fa0d9c2-5061-4283-9e4f-5a6b7c8d9ea4", "2024-05-03T08:15:00Z"
			w.delta, w.bal = ptr(25.5), ptr(175.5)
		}), func(t *testing.T, data any) {
			if d := as[webhook.QualifioPointsCorrectedAdded](t, data); d.Reason != "Goodwill after delivery delay" || d.LifetimeTotal != 925.5 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.QualifioPointsCorrectedRemove, with(ana, func(w *want) {
			w.kind, w.id, w.at = webhook.KindPointsAdjusted, "50b1ead3-6172-4394-af50-6b7c8d9eafb5", "2024-05-04T16:45:30Z"
			w.delta, w.bal = ptr(-30), ptr(145.5)
		}), func(t *testing.T, data any) {
			if d := as[webhook.QualifioPointsCorrectedRemoved](t, data); d.Reason != "" || d.Amount != 30 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.QualifioGiftGiven, with(ana, func(w *want) {
			w.kind, w.id, w.at = webhook.KindOther, "61c2fbe4-7283-44a5-b061-7c8d9eafb0c6", "2024-05-05T11:00:00Z"
		}), func(t *testing.T, data any) {
			if d := as[webhook.QualifioGiftGiven](t, data); d.Reward.Name != "Tote bag" || d.Reward.PromoCode != nil {
				t.Errorf("%+v", d)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.typ, func(t *testing.T) {
			events, err := webhook.ParseQualifio(fixture(t, "qualifio", tt.typ))
			if err != nil || len(events) != 1 {
				t.Fatalf("ParseQualifio: %d events, %v", len(events), err)
			}
			checkNormalized(t, events[0], loyalty.Qualifio, tt.typ, tt.want)
			tt.check(t, events[0].Data)
		})
	}
}

func TestParseQualifioBatchAndEdges(t *testing.T) {
	body := []byte(`[
	 {"id":"a","type":"points.earned","createdAt":"2024-05-01T12:30:05Z","member":{"id":"m"},"data":{"amount":1.5,"balance":3}},
	 {"id":"b","type":"points.expired","programId":"p-1","createdAt":"2024-05-02","member":{"id":"m-9","email":"x@example.com"},"data":{"amount":7},"extra":true},
	 {"id":"c","type":"points.burned","createdAt":null,"data":{"amount":"ten","balance":1}}
	]`)
	events, err := webhook.ParseQualifio(body)
	if err != nil || len(events) != 3 {
		t.Fatalf("%d events, %v", len(events), err)
	}
	if *events[0].PointsDelta != 1.5 || *events[0].PointsBalance != 3 {
		t.Errorf("fractional amounts: %+v", events[0])
	}
	// Unknown type: kept as the whole raw event object (programId and
	// member.id included), envelope normalized, never an error.
	if raw, ok := events[1].Data.(json.RawMessage); !ok || string(raw) != `{"id":"b","type":"points.expired","programId":"p-1","createdAt":"2024-05-02","member":{"id":"m-9","email":"x@example.com"},"data":{"amount":7},"extra":true}` || events[1].Kind != webhook.KindOther ||
		events[1].CustomerEmail != "x@example.com" || !events[1].OccurredAt.Equal(mustTime(t, "2024-05-02T00:00:00Z")) {
		t.Errorf("unknown type: %+v", events[1])
	}
	// A field of the wrong type is left at zero; the rest decodes.
	if d := as[webhook.QualifioPointsBurned](t, events[2].Data); d.Amount != 0 || d.Balance != 1 || !events[2].OccurredAt.IsZero() {
		t.Errorf("tolerant decode: %+v", d)
	}

	if events, err := webhook.ParseQualifio([]byte(" [] ")); err != nil || len(events) != 0 {
		t.Errorf("empty array: %v %v", events, err)
	}
	for _, bad := range []string{``, `{}`, `null`, `[`, `[1]`, `["x"]`, `[{"type":"points.earned"}]`, `[{"id":"a"}] x`} {
		if _, err := webhook.ParseQualifio([]byte(bad)); !errors.Is(err, webhook.ErrMalformed) {
			t.Errorf("ParseQualifio(%q) = %v; want ErrMalformed", bad, err)
		}
	}
}

func TestParseYotpoFixtures(t *testing.T) {
	const msgID = "0a1b2c3d-msg"
	ana := want{id: msgID, email: "ana@example.com", custID: "C-1042"}
	with := func(f func(*want)) want { w := ana; f(&w); return w }
	other := with(func(w *want) { w.kind = webhook.KindOther })
	tests := []struct {
		topic string
		want  want
		check func(t *testing.T, data any)
	}{
		{contract.YotpoTopicPointsEarned, with(func(w *want) {
			w.kind, w.delta, w.bal, w.at = webhook.KindPointsEarned, ptr(50), ptr(350), "2024-05-01T12:30:05Z"
		}), func(t *testing.T, data any) {
			d := as[webhook.YotpoPointsEarned](t, data)
			if d.Perk.ID != 90211 || d.Perk.HistoryTitle != "Made a purchase" || d.Name != "Swell Points Earned" ||
				d.Customer.TotalSpendCents != 18450 || d.Customer.CreditBalance != "$0" ||
				!d.Customer.LoyaltyOptInDate.Equal(mustTime(t, "2024-01-03T00:00:00Z")) {
				t.Errorf("%+v", d)
			}
			checkYotpoCustomerReferral(t, &d.Customer)
		}},
		{contract.YotpoTopicPointsChanged, with(func(w *want) {
			w.kind, w.delta, w.bal = webhook.KindPointsAdjusted, ptr(-500), ptr(350)
		}), func(t *testing.T, data any) {
			d := as[webhook.YotpoPointsChanged](t, data)
			if d.PreviousBalance != 850 || d.Difference != 500 || d.PointsChangedReason != "Redemption Made" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicRedemptionCreated, with(func(w *want) {
			w.kind, w.delta, w.bal, w.at = webhook.KindPointsRedeemed, ptr(-500), ptr(350), "2024-05-02T08:00:00Z"
		}), func(t *testing.T, data any) {
			d := as[webhook.YotpoRedemptionCreated](t, data)
			if d.Redemption.RewardText != "SWELL-5OFF-X8T2" || d.RedemptionOption.CostText != "500 Points" || d.Perk != nil {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicReferralCompleted, with(func(w *want) {
			w.kind, w.at = webhook.KindReferralCompleted, "2024-05-06T14:02:11Z"
		}), func(t *testing.T, data any) {
			d := as[webhook.YotpoReferralCompleted](t, data)
			if d.ReferredCustomer == nil || d.ReferredCustomer.Email != "bram@example.com" || d.ReferralCode == nil || d.ReferralCode.Clicks != 7 ||
				d.Referrer == nil || d.Referrer.ThirdPartyID != "C-1042" || d.Perk == nil || d.Perk.RewardPoints != 500 || d.Customer.Email != "" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicYotpoReferralCompleted, with(func(w *want) { w.kind, w.custID = webhook.KindReferralCompleted, "" }), func(t *testing.T, data any) {
			d := as[webhook.YotpoNewReferralCompleted](t, data)
			if d.ReferredCustomer == nil || d.ReferredCustomer.Email != "bram@example.com" || d.ReferredCustomer.FirstName != "Bram" ||
				d.Perk == nil || d.Perk.Redemption == nil || d.Perk.Redemption.RewardText != "REF-10OFF-Q7Z1" ||
				d.Perk.RedemptionOption == nil || d.Perk.RedemptionOption.Name != "$10 off for referring a friend" ||
				d.ReferralCode == nil || d.ReferralCode.Code != "ana42" || len(d.ReferralCode.CompletedReferralCustomers) != 2 ||
				d.ReferralCode.CompletedReferralCustomers[1].ReferralStatus != "pending_review" || d.StoreName != "Example Shop" || d.Customer.Email != "" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicReferralShare, with(func(w *want) { w.kind = webhook.KindReferralStarted }), func(t *testing.T, data any) {
			if d := as[webhook.YotpoReferralShare](t, data); d.Email != "bram@example.com" || d.ReferralLink != "http://rwrd.io/ana42" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicReferralShared, with(func(w *want) { w.kind = webhook.KindReferralStarted }), func(t *testing.T, data any) {
			d := as[webhook.YotpoReferralShared](t, data)
			if d.ReferralCode == nil || d.ReferralCode.Code != "ana42" || d.ReferralCode.WhatsAppShares != 1 || d.StoreName != "Example Shop" ||
				d.RedemptionOption == nil || d.RedemptionOption.ID != 4411 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicPointsReminder, other, func(t *testing.T, data any) {
			if d := as[webhook.YotpoPointsReminder](t, data); d.PointsNeeded != 150 || d.RedemptionOption.Amount != 500 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicRedemptionReminder, other, func(t *testing.T, data any) {
			if d := as[webhook.YotpoRedemptionReminder](t, data); d.RedemptionOption == nil || d.RedemptionOption.Name != "$5 off coupon" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicCustomerBirthday, other, func(t *testing.T, data any) {
			if d := as[webhook.YotpoCustomerBirthday](t, data); d.Redemption.RewardText != "BDAY-10-QP3Z" || d.Perk.RedemptionOptionID != 4412 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicCustomerAnniversary, other, func(t *testing.T, data any) {
			if d := as[webhook.YotpoCustomerAnniversary](t, data); d.RedemptionOption.DiscountPercentage != 15 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicTierEarned, with(func(w *want) { w.kind = webhook.KindTierChanged }), func(t *testing.T, data any) {
			d := as[webhook.YotpoTierEarned](t, data)
			if d.NewTier.Name != "Silver" || d.NewTier.PointsMultiplier != 1.25 || d.OldTier.Rank != 1 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicTierLost, with(func(w *want) { w.kind = webhook.KindTierChanged }), func(t *testing.T, data any) {
			if d := as[webhook.YotpoTierLost](t, data); d.OldTier.Name != "Silver" || d.NewTier.Name != "Bronze" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicTierStatusChanged, other, func(t *testing.T, data any) {
			d := as[webhook.YotpoTierStatusChanged](t, data)
			if d.VIPStats.AmountSpentCents != 18450 || d.VIPStats.ReferralsCompleted != 1 || d.VIPStatsNeededNext.AmountCentsNeeded != 11550 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicOptIn, with(func(w *want) { w.kind, w.at = webhook.KindOptIn, "2024-01-03T00:00:00Z" }), func(t *testing.T, data any) {
			if d := as[webhook.YotpoOptIn](t, data); !d.Customer.IsOptIn || !d.Customer.HasStoreAccount || d.WebsiteURL != "https://shop.example.com" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicOptOut, with(func(w *want) { w.kind = webhook.KindOptOut }), func(t *testing.T, data any) {
			if d := as[webhook.YotpoOptOut](t, data); d.Customer.IsOptIn || !d.Customer.LoyaltyOptInDate.IsZero() {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicExpirationReminder, other, func(t *testing.T, data any) {
			d := as[webhook.YotpoExpirationReminder](t, data)
			if !d.NextPointsExpireOn.Equal(mustTime(t, "2024-06-01T00:00:00Z")) || d.NextPointsExpireAmount != 120 || d.DaysToPointExpiration != 14 {
				t.Errorf("%+v", d)
			}
			checkYotpoCustomerReferral(t, &d.Customer)
		}},
		{contract.YotpoTopicProductShare, with(func(w *want) { w.kind = webhook.KindReferralStarted }), func(t *testing.T, data any) {
			if d := as[webhook.YotpoProductShare](t, data); d.ProductID != "8812334455" || d.ProductName != "Linen shirt" || d.Email != "bram@example.com" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicProductShareReminder, other, func(t *testing.T, data any) {
			if d := as[webhook.YotpoProductShareReminder](t, data); d.ProductReferralLink != "https://rwrd.io/p/ana42-8812" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.YotpoTopicAccountCreated, with(func(w *want) { w.kind = webhook.KindCustomerUpdated }), func(t *testing.T, data any) {
			if d := as[webhook.YotpoAccountCreated](t, data); d.Customer.PointsEarned != 0 || d.Customer.FirstName != "Ana" {
				t.Errorf("%+v", d)
			}
		}},
	}
	if len(tests) != len(contract.YotpoWebhookTopics) {
		t.Errorf("%d cases for %d topics", len(tests), len(contract.YotpoWebhookTopics))
	}
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			ev, err := webhook.ParseYotpo(fixture(t, "yotpo", tt.topic), msgID)
			if err != nil {
				t.Fatal(err)
			}
			checkNormalized(t, ev, loyalty.Yotpo, tt.topic, tt.want)
			tt.check(t, ev.Data)
		})
	}
}

// checkYotpoCustomerReferral checks the webhook customer's referral_code and
// referred_by_customer of the fixtures, as the vendor's points-earned and
// points-expiration-reminder samples carry them.
func checkYotpoCustomerReferral(t *testing.T, c *webhook.YotpoCustomer) {
	t.Helper()
	if c == nil || c.ReferralCode == nil {
		t.Fatalf("no customer referral_code: %+v", c)
	}
	rc := c.ReferralCode
	if rc.Code != "ana42" || rc.TotalClicks != 9 || rc.Shares != 3 || rc.TwitterShares != 1 || rc.EmailsSent != 2 || rc.EmailsViewed != 1 ||
		rc.LinksClickedFromEmail != 4 || rc.Orders != 1 || rc.AmountCents != 4500 || rc.AverageAmountCents != 4500 || !rc.ExpiresAt.IsZero() ||
		len(rc.CompletedReferralCustomers) != 1 || rc.CompletedReferralCustomers[0].ReferralPointsContributed != 100 {
		t.Errorf("referral_code %+v", rc)
	}
	if string(c.ReferredByCustomer) != "null" {
		t.Errorf("referred_by_customer %q, want the null sent", c.ReferredByCustomer)
	}
}

func TestParseYotpoEdges(t *testing.T) {
	body := []byte(`{"topic":"loyalty/custom_reward/redeemed","email":"a@example.com","customer":{"third_party_id":"","thirty_party_id":"C-9"},"x":1}`)
	ev, err := webhook.ParseYotpo(body, "")
	if err != nil {
		t.Fatal(err)
	}
	if ev.ID != contract.SHA256Hex(body) || ev.Kind != webhook.KindOther || ev.CustomerEmail != "a@example.com" || ev.CustomerID != "C-9" {
		t.Errorf("unknown topic: %+v", ev)
	}
	if raw, ok := ev.Data.(json.RawMessage); !ok || string(raw) != string(body) {
		t.Errorf("Data = %T %s", ev.Data, ev.Data)
	}
	// Points as a string: left at zero rather than failing the delivery.
	ev, err = webhook.ParseYotpo([]byte(`{"topic":"swell/points/earned","perk":{"reward_points":"50"},"customer":{"points_balance":7}}`), "m")
	if err != nil || *ev.PointsDelta != 0 || *ev.PointsBalance != 7 {
		t.Errorf("tolerant: %+v %v", ev, err)
	}
	// The topic decides the type wherever it is, as encoding/json reads it:
	// the last of duplicate keys, escapes decoded.
	for body, want := range map[string]string{
		`{"topic":"swell/tier/lost","topic":"loyalty/opt_in"}`:         contract.YotpoTopicOptIn,
		`{"name":"x","topic":"loyalty/opt_in"}`:                        contract.YotpoTopicOptIn,
		` { "topic" : "loyalty\/opt_out" }`:                            contract.YotpoTopicOptOut,
		"{\n  \"topic\": \"loyalty/opt_out\",\n  \"topic\": \"nope\"}": "nope",
	} {
		ev, err := webhook.ParseYotpo([]byte(body), "m")
		if err != nil || ev.Topic != want {
			t.Errorf("ParseYotpo(%s) topic %q, %v; want %q", body, ev.Topic, err, want)
		}
	}
	for _, bad := range []string{``, `[]`, `null`, `"x"`, `{`, `{"topic":}`, `{"topic":"loyalty/opt_in",`, `{"topic":"loyalty/opt_in"} x`} {
		if _, err := webhook.ParseYotpo([]byte(bad), "m"); !errors.Is(err, webhook.ErrMalformed) {
			t.Errorf("ParseYotpo(%q) = %v; want ErrMalformed", bad, err)
		}
	}
}

func TestParseInfluenceIOFixtures(t *testing.T) {
	ana := want{id: "wh_123", email: "ana@example.com", custID: "C-1042"}
	with := func(f func(*want)) want { w := ana; f(&w); return w }
	tests := []struct {
		topic string
		want  want
		check func(t *testing.T, data any)
	}{
		{contract.InfluenceIOTopicCustomersUpdated, with(func(w *want) {
			w.kind, w.bal, w.at = webhook.KindCustomerUpdated, ptr(650), "2024-05-01T12:20:00Z"
		}), func(t *testing.T, data any) {
			d := as[webhook.InfluenceIOCustomersUpdated](t, data)
			if d.ID != "0f5c2b1e-6a3d-4c8e-9f10-2a3b4c5d6e7f" || *d.BirthdayMonth != 4 || d.CurrentLoyaltyTier.Title != "Silver" || d.ReferralURL == "" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.InfluenceIOTopicCustomersTierChanged, with(func(w *want) {
			w.kind, w.at = webhook.KindTierChanged, "2024-05-01T00:00:00Z" // a date-only updatedAt
		}), func(t *testing.T, data any) {
			d := as[webhook.InfluenceIOCustomersTierChanged](t, data)
			if d.OldTier.Title != "Bronze" || d.NewTier.Threshold != "500" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.InfluenceIOTopicTierEntryRewardEarned, with(func(w *want) { w.kind = webhook.KindOther }), func(t *testing.T, data any) {
			d := as[webhook.InfluenceIOTierEntryRewardEarned](t, data)
			if d.ID != "ter_01HY3K9" || d.Tier.ID != "t1" || d.Reward.CouponCode != "INF-SILVER-Q7Y1" || d.Reward.DiscountAmount != 10 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.InfluenceIOTopicPointsEarned, with(func(w *want) {
			w.kind, w.delta, w.bal = webhook.KindPointsEarned, ptr(120), ptr(650)
		}), func(t *testing.T, data any) {
			d := as[webhook.InfluenceIOPointsEarned](t, data)
			if d.ID != "act_01HXYA" || d.Type != "order" || d.RuleID != "er_place_order" || d.Action != "Placed order #1042" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.InfluenceIOTopicPointsRedeemed, with(func(w *want) {
			w.kind, w.delta, w.bal = webhook.KindPointsRedeemed, ptr(-500), ptr(150)
		}), func(t *testing.T, data any) {
			d := as[webhook.InfluenceIOPointsRedeemed](t, data)
			if d.CouponCode != "INF-5OFF-8Q2K" || d.RewardType != "fixedamountdiscount" || d.RedeemRule == nil || d.RedeemRule.PointCost != 500 {
				t.Errorf("%+v", d)
			}
		}},
		{contract.InfluenceIOTopicReferralsStarted, with(func(w *want) { w.kind = webhook.KindReferralStarted }), func(t *testing.T, data any) {
			d := as[webhook.InfluenceIOReferralsStarted](t, data)
			if d.FriendCustomer != nil || d.CustomerReward != nil || d.FriendEmail != "bram@example.com" || d.FriendReward.CouponCode != "FRIEND-10-A1B2" {
				t.Errorf("%+v", d)
			}
		}},
		{contract.InfluenceIOTopicReferralsCompleted, with(func(w *want) { w.kind = webhook.KindReferralCompleted }), func(t *testing.T, data any) {
			d := as[webhook.InfluenceIOReferralsCompleted](t, data)
			if d.FriendCustomer == nil || d.FriendCustomer.ExternalID != "C-2077" || d.FriendCustomer.BirthdayDay != nil ||
				d.CustomerReward == nil || d.CustomerReward.DiscountAmount != 5 {
				t.Errorf("%+v", d)
			}
		}},
	}
	if len(tests) != len(contract.InfluenceIOWebhookTopics) {
		t.Errorf("%d cases for %d topics", len(tests), len(contract.InfluenceIOWebhookTopics))
	}
	for _, tt := range tests {
		t.Run(tt.topic, func(t *testing.T) {
			ev, err := webhook.ParseInfluenceIO(fixture(t, "influenceio", tt.topic), tt.topic, "wh_123")
			if err != nil {
				t.Fatal(err)
			}
			checkNormalized(t, ev, loyalty.InfluenceIO, tt.topic, tt.want)
			tt.check(t, ev.Data)
		})
	}
}

func TestParseInfluenceIOEdges(t *testing.T) {
	body := fixture(t, "influenceio", contract.InfluenceIOTopicPointsEarned)
	ev, err := webhook.ParseInfluenceIO(body, "orders/created", "")
	if err != nil {
		t.Fatal(err)
	}
	if ev.Kind != webhook.KindOther || ev.ID != contract.SHA256Hex(body) || ev.CustomerEmail != "" {
		t.Errorf("unknown topic: %+v", ev)
	}
	if raw, ok := ev.Data.(json.RawMessage); !ok || string(raw) != string(body) {
		t.Errorf("Data = %T", ev.Data)
	}
	// The tier threshold is a string; a number there is tolerated as "".
	ev, err = webhook.ParseInfluenceIO([]byte(`{"customer":{"email":"a@example.com"},"newTier":{"id":"t2","threshold":1000}}`), contract.InfluenceIOTopicCustomersTierChanged, "w")
	if d := as[webhook.InfluenceIOCustomersTierChanged](t, ev.Data); err != nil || d.NewTier.ID != "t2" || d.NewTier.Threshold != "" || d.OldTier != nil {
		t.Errorf("tolerant: %+v %v", d, err)
	}
	for _, topic := range []string{contract.InfluenceIOTopicPointsEarned, "unknown/topic", ""} {
		for _, bad := range []string{``, `[]`, `null`, `{`, `{"points":}`} {
			if _, err := webhook.ParseInfluenceIO([]byte(bad), topic, "w"); !errors.Is(err, webhook.ErrMalformed) {
				t.Errorf("ParseInfluenceIO(%q, %q) = %v; want ErrMalformed", bad, topic, err)
			}
		}
	}
}

func TestTimeFormats(t *testing.T) {
	for in, want := range map[string]string{
		`"2024-05-01T12:30:05Z"`:         "2024-05-01T12:30:05Z",
		`"2024-05-01T12:30:05.123Z"`:     "2024-05-01T12:30:05.123Z",
		`"2024-05-01T14:30:05.5+02:00"`:  "2024-05-01T12:30:05.5Z",
		`"2024-05-01T12:30:05"`:          "2024-05-01T12:30:05Z",
		`"2024-05-01 12:30:05"`:          "2024-05-01T12:30:05Z",
		`"2024-05-01 14:30:05 +0200"`:    "2024-05-01T12:30:05Z",
		`"2024-05-01T12:30:05+0000"`:     "2024-05-01T12:30:05Z",
		`"2024-05-01T14:30:05+0200"`:     "2024-05-01T12:30:05Z",
		`"2024-05-01T12:30:05.250+0000"`: "2024-05-01T12:30:05.25Z",
		`"2024-05-01T04:30:05.5-0800"`:   "2024-05-01T12:30:05.5Z",
		`"2024-05-01 12:30:05 UTC"`:      "2024-05-01T12:30:05Z",
		// An unknown zone abbreviation would be read as +0000: not read.
		`"2024-05-01 04:30:05 PST"`:   "",
		`"2024-05-01 12:30:05 CEST"`:  "",
		`"2024-05-01"`:                "2024-05-01T00:00:00Z",
		`"2024-05-01T12:30:05\u005a"`: "2024-05-01T12:30:05Z",
		`null`:                        "",
		`""`:                          "",
		`"yesterday"`:                 "",
		`1714566605`:                  "",
		`{"a":1}`:                     "",
	} {
		var v struct{ T webhook.Time }
		if err := json.Unmarshal([]byte(`{"T":`+in+`}`), &v); err != nil {
			t.Errorf("%s: %v", in, err)
			continue
		}
		var w time.Time
		if want != "" {
			w = mustTime(t, want)
		}
		if !v.T.Equal(w) {
			t.Errorf("%s: got %v; want %v", in, v.T.Time, w)
		}
	}
}

// A swell/redemption/created that carries perk is a coupon a campaign
// awarded: no points were spent, so there is no delta.
func TestYotpoRedemptionCreatedByCampaign(t *testing.T) {
	paid := `{"topic":"swell/redemption/created","customer":{"points_balance":350},"redemption":{"id":1},"redemption_option":{"amount":500}}`
	awarded := `{"topic":"swell/redemption/created","customer":{"points_balance":350},"redemption":{"id":2},"redemption_option":{"amount":500},"perk":{"id":9,"campaign_id":4,"reward_points":0}}`
	ev, err := webhook.ParseYotpo([]byte(paid), "m1")
	if err != nil || !eqPtr(ev.PointsDelta, ptr(-500)) || !eqPtr(ev.PointsBalance, ptr(350)) {
		t.Errorf("paid with points: delta %v, balance %v, %v", fmtPtr(ev.PointsDelta), fmtPtr(ev.PointsBalance), err)
	}
	ev, err = webhook.ParseYotpo([]byte(awarded), "m2")
	if err != nil || ev.PointsDelta != nil || !eqPtr(ev.PointsBalance, ptr(350)) || ev.Kind != webhook.KindPointsRedeemed {
		t.Errorf("awarded by a campaign: delta %v, balance %v, kind %s, %v; want no delta", fmtPtr(ev.PointsDelta), fmtPtr(ev.PointsBalance), ev.Kind, err)
	}
}

// Event's points fields are about points: an event in another Qualifio
// currency leaves them nil; the typed event keeps the amount.
func TestQualifioOtherCurrency(t *testing.T) {
	body := []byte(`[
	 {"id":"e1","type":"points.earned","member":{"id":"m"},"data":{"currency":"stars","amount":3,"balance":10}},
	 {"id":"e2","type":"points.burned","member":{"id":"m"},"data":{"currency":"points","amount":5,"balance":20}},
	 {"id":"e3","type":"points.corrected.added","member":{"id":"m"},"data":{"amount":2,"balance":22}},
	 {"id":"e4","type":"points.corrected.removed","member":{"id":"m"},"data":{"currency":"stars","amount":1,"balance":9}}
	]`)
	events, err := webhook.ParseQualifio(body)
	if err != nil {
		t.Fatal(err)
	}
	want := []struct {
		delta, balance *float64
		kind           webhook.Kind
	}{
		{nil, nil, webhook.KindPointsEarned},
		{ptr(-5), ptr(20), webhook.KindPointsRedeemed},
		{ptr(2), ptr(22), webhook.KindPointsAdjusted},
		{nil, nil, webhook.KindPointsAdjusted},
	}
	for i, w := range want {
		ev := events[i]
		if !eqPtr(ev.PointsDelta, w.delta) || !eqPtr(ev.PointsBalance, w.balance) || ev.Kind != w.kind {
			t.Errorf("%s: delta %v balance %v kind %s; want %v %v %s", ev.ID, fmtPtr(ev.PointsDelta), fmtPtr(ev.PointsBalance), ev.Kind, fmtPtr(w.delta), fmtPtr(w.balance), w.kind)
		}
	}
	if d := as[webhook.QualifioPointsEarned](t, events[0].Data); d.Currency != "stars" || d.Amount != 3 || d.Balance != 10 {
		t.Errorf("typed: %+v", d)
	}
}

// ParseQualifio reuses its scratch events: a batch whose events lack
// fields must not get them from an earlier, larger batch, nor must an
// event returned earlier change when later batches are parsed.
func TestParseQualifioReusesNothingOfEarlierBatches(t *testing.T) {
	full := []byte(`[` +
		`{"id":"a","type":"level.changed","member":{"email":"a@example.com"},"data":{"oldLevel":{"id":"l1"},"newLevel":{"id":"l2"}}},` +
		`{"id":"b","type":"points.burned","data":{"amount":5,"balance":7,"reward":{"id":"r","promoCode":"P"}}}]`)
	bare := []byte(`[{"id":"c","type":"level.changed"},{"id":"d","type":"points.burned"},{"id":"e","type":"points.burned"}]`)
	first, err := webhook.ParseQualifio(full)
	if err != nil {
		t.Fatal(err)
	}
	for range 3 {
		evs, err := webhook.ParseQualifio(bare)
		if err != nil || len(evs) != 3 {
			t.Fatalf("%v, %v", evs, err)
		}
		lc := evs[0].Data.(*webhook.QualifioLevelChanged)
		if lc.OldLevel != nil || lc.NewLevel != nil || evs[0].CustomerEmail != "" {
			t.Errorf("level.changed without levels or member: %+v, email %q", lc, evs[0].CustomerEmail)
		}
		for _, ev := range evs[1:] {
			pb := ev.Data.(*webhook.QualifioPointsBurned)
			if pb.Amount != 0 || pb.Balance != 0 || pb.Reward != (webhook.QualifioReward{}) || *ev.PointsBalance != 0 {
				t.Errorf("points.burned without data: %+v", pb)
			}
		}
	}
	lc, pb := first[0].Data.(*webhook.QualifioLevelChanged), first[1].Data.(*webhook.QualifioPointsBurned)
	if lc.OldLevel.ID != "l1" || lc.NewLevel.ID != "l2" || first[0].CustomerEmail != "a@example.com" ||
		pb.Balance != 7 || *pb.Reward.PromoCode != "P" || *first[1].PointsDelta != -5 {
		t.Errorf("the first batch changed: %+v %+v", lc, pb)
	}
}
