package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/webhook"
)

// The benchmarks compare Receiver.ConstructEvents (verify + parse +
// normalize) with a floor: bare crypto/hmac and one json.Unmarshal of the
// same body into a hand-written struct of the same fields, which is the least
// a careful receiver does by hand.

// qualifioBatch is a compact Qualifio body of about 2 KB: the fixtures'
// events in a row, as one request carrying several events.
func qualifioBatch(b *testing.B) []byte {
	var all []json.RawMessage
	for _, typ := range contract.QualifioWebhookTypes {
		var events []json.RawMessage
		if err := json.Unmarshal(fixture(b, "qualifio", typ), &events); err != nil {
			b.Fatal(err)
		}
		all = append(all, events...)
	}
	var body []byte
	for n := 1; n <= len(all); n++ {
		body, _ = json.Marshal(all[:n])
		if len(body) >= 2000 {
			break
		}
	}
	return body
}

// qualifioFloor has the fields of every Qualifio event type.
type qualifioFloor []struct {
	ID        string    `json:"id"`
	Type      string    `json:"type"`
	ProgramID string    `json:"programId"`
	CreatedAt time.Time `json:"createdAt"`
	Member    struct {
		ID, Email, CustomerID string
	} `json:"member"`
	Data struct {
		Source        string  `json:"source"`
		Currency      string  `json:"currency"`
		Amount        float64 `json:"amount"`
		Balance       float64 `json:"balance"`
		LifetimeTotal float64 `json:"lifetimeTotal"`
		RuleID        string  `json:"ruleId"`
		Reason        string  `json:"reason"`
		Reward        *struct {
			ID, Name  string
			PromoCode *string
		} `json:"reward"`
		OldLevel, NewLevel *struct{ ID, Name string }
	} `json:"data"`
}

// benchConstruct logs the body size and runs the ConstructEvents side of a
// platform's benchmark; the floor beside it is each platform's own.
func benchConstruct(b *testing.B, rc *webhook.Receiver, r *http.Request, body []byte) {
	b.Logf("body: %d bytes", len(body))
	b.Run("ConstructEvents", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			if _, err := rc.ConstructEvents(r, body); err != nil {
				b.Fatal(err)
			}
		}
	})
}

func BenchmarkQualifio(b *testing.B) {
	body := qualifioBatch(b)
	secret := []byte("qualifio-signing-secret")
	rc := must[*webhook.Receiver](b)(webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{string(secret)}}))
	r := must[*http.Request](b)(webhook.QualifioSigner{Secret: string(secret)}.NewRequest(target, body))
	benchConstruct(b, rc, r, body)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		header := r.Header.Get(contract.QualifioWebhookSignatureHeader)
		for range b.N {
			m := hmac.New(sha256.New, secret)
			m.Write(body)
			got, err := hex.DecodeString(strings.TrimPrefix(header, "sha256="))
			if err != nil || !hmac.Equal(m.Sum(nil), got) {
				b.Fatal("signature")
			}
			var v qualifioFloor
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// padded returns the fixture compacted and grown to about 2 KB, like the
// Qualifio batch, with the fields add sets: realistic fields of the same
// objects, some of which the typed event skips as unknown (the floor decodes
// into the same struct, so it skips them too).
func padded(b *testing.B, platform, topic string, add func(body map[string]any)) []byte {
	var m map[string]any
	if err := json.Unmarshal(fixture(b, platform, topic), &m); err != nil {
		b.Fatal(err)
	}
	add(m)
	// encoding/json sorts map keys; keep "topic" first, where Yotpo's
	// examples (and the fixtures) have it.
	t, hasTopic := m["topic"].(string)
	delete(m, "topic")
	body, err := json.Marshal(m)
	if err != nil {
		b.Fatal(err)
	}
	if hasTopic {
		body = append([]byte(fmt.Sprintf(`{"topic":%q,`, t)), body[1:]...)
	}
	if len(body) < 1900 || len(body) > 2300 {
		b.Fatalf("%s body of %d bytes; want about 2 KB", topic, len(body))
	}
	return body
}

// influenceBody is the referrals/completed fixture (the largest documented
// Influence.io payload, 1.3 KB pretty-printed) compacted, with the referrer's
// and friend's customer objects carrying the extra profile fields an
// Influence.io account stores (phone, tags, address, order totals).
func influenceBody(b *testing.B) []byte {
	return padded(b, "influenceio", contract.InfluenceIOTopicReferralsCompleted, func(m map[string]any) {
		for i, key := range []string{"customer", "friendCustomer"} {
			c := m[key].(map[string]any)
			c["phone"] = fmt.Sprintf("+32 470 12 34 5%d", i)
			c["locale"] = "nl-BE"
			c["acceptsMarketing"] = true
			c["tags"] = []string{"vip", "newsletter", "instagram", "spring-2024"}
			c["orderCount"] = 4 + i
			c["totalSpent"] = 184.5
			c["lastOrderAt"] = "2024-05-06T14:02:11Z"
			c["defaultAddress"] = map[string]any{"address1": "Meir 12", "city": "Antwerpen", "zip": "2000", "countryCode": "BE"}
			c["source"] = "shopify"
			c["firstName"], c["lastName"] = strings.Fields(c["name"].(string))[0], strings.Fields(c["name"].(string))[1]
			c["referralCode"] = fmt.Sprintf("REF-%04d-%s", 4242+i, c["externalId"])
			c["lifetimePoints"] = 900 + 10*i
			c["lastSeenAt"] = "2024-05-06T14:05:40Z"
			c["marketingConsentAt"] = "2024-01-03T09:00:12Z"
		}
	})
}

// BenchmarkInfluenceIO verifies and parses a 2 KB referrals/completed body
// with the check of a real config, the URL token (Influence.io signs
// nothing). The floor does the same by hand: query token, one json.Unmarshal.
func BenchmarkInfluenceIO(b *testing.B) {
	body := influenceBody(b)
	const token = "influence-url-token"
	rc := must[*webhook.Receiver](b)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{token}}))
	r := must[*http.Request](b)(webhook.InfluenceIOSigner{Token: token}.NewRequest(target, contract.InfluenceIOTopicReferralsCompleted, "wh-1", body))
	benchConstruct(b, rc, r, body)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			if subtle.ConstantTimeCompare([]byte(r.URL.Query().Get("token")), []byte(token)) != 1 {
				b.Fatal("token")
			}
			var v webhook.InfluenceIOReferralsCompleted
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// yotpoBody is the swell/points/earned fixture compacted, with the perk's
// redemption option and the customer's referral code, which
// real deliveries carry.
func yotpoBody(b *testing.B) []byte {
	return padded(b, "yotpo", contract.YotpoTopicPointsEarned, func(m map[string]any) {
		perk := m["perk"].(map[string]any)
		perk["redemption_option"] = map[string]any{
			"id": 8812, "name": "$5 off your next order", "description": "Redeem 500 points for $5 off any order over $25.",
			"icon": "fa-dollar", "cost_text": "500 Points", "amount": 500, "type": "Coupon",
			"discount_type": "fixed_amount", "discount_amount_cents": 500, "discount_percentage": 0,
		}
		c := m["customer"].(map[string]any)
		c["referred_by_customer"] = nil
		c["referral_code"] = map[string]any{
			"code": "ana42", "customer_id": 70211, "expired": false, "total_shares": 6, "email_shares": 3,
			"sms_shares": 1, "whatsapp_shares": 1, "copy_link_shares": 1, "personal_email_shares": 0,
			"unique_clicks": 9, "total_clicks": 14, "friends_orders": 2,
			"friends_amount_spent_cents": 12900, "friends_average_amount_cents": 6450, "emails_viewed": 5,
			"links_clicked_from_email": 6, "links_clicked_from_sms": 2, "links_clicked_from_whatsapp": 3,
			"links_clicked_from_personal_email": 0, "links_clicked_from_copy_link": 3,
		}
	})
}

// BenchmarkYotpo has no HMAC to compare with, as Yotpo signs nothing: its
// floor is a constant-time token comparison and one json.Unmarshal into the
// typed event. The body is the 2 KB yotpoBody.
func BenchmarkYotpo(b *testing.B) {
	body := yotpoBody(b)
	rc := must[*webhook.Receiver](b)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"yotpo-token"}}))
	r := must[*http.Request](b)(webhook.YotpoSigner{Token: "yotpo-token", Bearer: true}.NewRequest(target, "msg-1", body))
	benchConstruct(b, rc, r, body)
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			got := strings.TrimPrefix(r.Header.Get(contract.YotpoWebhookAuthHeader), "Bearer ")
			if subtle.ConstantTimeCompare([]byte(got), []byte("yotpo-token")) != 1 {
				b.Fatal("token")
			}
			var v webhook.YotpoPointsEarned
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}
