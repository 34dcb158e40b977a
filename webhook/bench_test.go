package webhook_test

import (
	"crypto/hmac"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
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

func BenchmarkQualifio(b *testing.B) {
	body := qualifioBatch(b)
	secret := []byte("qualifio-signing-secret")
	rc := must[*webhook.Receiver](b)(webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{string(secret)}}))
	r := must[*http.Request](b)(webhook.QualifioSigner{Secret: string(secret)}.NewRequest(target, body))
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

// BenchmarkInfluenceIO uses the referrals/completed fixture as stored: about
// 1.3 KB, the largest documented Influence.io payload (one event per request).
func BenchmarkInfluenceIO(b *testing.B) {
	body := fixture(b, "influenceio", contract.InfluenceIOTopicReferralsCompleted)
	secret := []byte("influence-signing-secret")
	rc := must[*webhook.Receiver](b)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{SigningSecrets: []string{string(secret)}}))
	r := must[*http.Request](b)(webhook.InfluenceIOSigner{Secret: string(secret)}.NewRequest(target, contract.InfluenceIOTopicReferralsCompleted, "wh-1", body))

	b.Run("ConstructEvents", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			if _, err := rc.ConstructEvents(r, body); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("floor", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		header := r.Header.Get(contract.InfluenceIOHeaderSignature)
		for range b.N {
			m := hmac.New(sha256.New, secret)
			m.Write(body)
			got, err := base64.StdEncoding.DecodeString(header)
			if err != nil || !hmac.Equal(m.Sum(nil), got) {
				b.Fatal("signature")
			}
			var v webhook.InfluenceIOReferralsCompleted
			if err := json.Unmarshal(body, &v); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkYotpo has no HMAC to compare with, as Yotpo signs nothing: its
// floor is a constant-time token comparison and one json.Unmarshal into the
// typed event. The body is the swell/points/earned fixture (about 1.5 KB).
func BenchmarkYotpo(b *testing.B) {
	body := fixture(b, "yotpo", contract.YotpoTopicPointsEarned)
	rc := must[*webhook.Receiver](b)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"yotpo-token"}}))
	r := must[*http.Request](b)(webhook.YotpoSigner{Token: "yotpo-token", Bearer: true}.NewRequest(target, "msg-1", body))

	b.Run("ConstructEvents", func(b *testing.B) {
		b.ReportAllocs()
		b.SetBytes(int64(len(body)))
		for range b.N {
			if _, err := rc.ConstructEvents(r, body); err != nil {
				b.Fatal(err)
			}
		}
	})
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
