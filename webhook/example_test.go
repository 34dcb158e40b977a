package webhook_test

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"

	"github.com/loyalty-go/loyalty/webhook"
)

// Verify a delivery on its raw body, then use the typed event and the
// normalized view.
func ExampleReceiver_ConstructEvents() {
	rc, err := webhook.NewInfluenceIO(webhook.InfluenceIOConfig{
		Tokens: []string{"url-token-new", "url-token-old"}, // during rotation
	})
	if err != nil {
		panic(err)
	}
	body := []byte(`{"id":"act_01HXYZ","customer":{"externalId":"C-1042","email":"ana@example.com","pointBalance":150},
	  "action":"Redeemed $5 off","points":500,"type":"redeem","couponCode":"INF-5OFF-8Q2K","rewardType":"fixedamountdiscount"}`)

	// In a real server, r is the incoming request and body its bytes, read
	// with a size cap; here a signer builds an authentic delivery.
	signer := webhook.InfluenceIOSigner{Token: "url-token-old"}
	r, _ := signer.NewRequest("https://shop.example/hooks/influence", "points/redeemed", "wh-77", body)

	events, err := rc.ConstructEvents(r, body)
	switch {
	case errors.Is(err, webhook.ErrMissingHeader), errors.Is(err, webhook.ErrMissingToken),
		errors.Is(err, webhook.ErrBadToken), errors.Is(err, webhook.ErrBadSignature):
		fmt.Println("401:", err)
		return
	case err != nil:
		fmt.Println("400:", err)
		return
	}
	ev := events[0]
	fmt.Println(ev.Platform, ev.ID, ev.Kind, ev.CustomerEmail, *ev.PointsDelta, *ev.PointsBalance)
	if d, ok := ev.Data.(*webhook.InfluenceIOPointsRedeemed); ok {
		fmt.Println("create coupon", d.CouponCode, d.RewardType)
	}

	// The same body under a token the receiver does not know:
	r, _ = webhook.InfluenceIOSigner{Token: "guess"}.NewRequest("https://shop.example/hooks/influence", "points/redeemed", "wh-77", body)
	_, err = rc.ConstructEvents(r, body)
	fmt.Println(errors.Is(err, webhook.ErrBadToken))
	// Output:
	// influenceio wh-77 points_redeemed ana@example.com -500 150
	// create coupon INF-5OFF-8Q2K fixedamountdiscount
	// true
}

// Serve a platform's webhooks: each new event reaches the function once; a
// failure answers 500 so that the platform retries.
func ExampleReceiver_Handler() {
	rc, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"yotpo-webhook-auth"}})
	if err != nil {
		panic(err)
	}
	h := rc.Handler(func(ctx context.Context, ev webhook.Event) error {
		if d, ok := ev.Data.(*webhook.YotpoTierEarned); ok {
			fmt.Println(ev.CustomerEmail, "reached", d.NewTier.Name)
		}
		return nil // an error here answers 500, and the retry is processed
	}, webhook.HandlerOptions{MaxBodyBytes: 64 << 10})
	srv := httptest.NewServer(h) // or http.Handle("/webhooks/yotpo", h)
	defer srv.Close()

	body := []byte(`{"topic":"swell/tier/earned","email":"ana@example.com","customer":{"email":"ana@example.com"},"new_tier":{"name":"Silver"}}`)
	signer := webhook.YotpoSigner{Token: "yotpo-webhook-auth", Bearer: true}
	for _, messageID := range []string{"msg-1", "msg-1"} { // the second is a redelivery
		r, _ := signer.NewRequest(srv.URL, messageID, body)
		resp, err := http.DefaultClient.Do(r)
		if err != nil {
			panic(err)
		}
		resp.Body.Close()
		fmt.Println(resp.StatusCode)
	}
	resp, _ := http.Post(srv.URL, "application/json", strings.NewReader(string(body))) // no Authorization
	msg, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	fmt.Print(resp.StatusCode, " ", string(msg))
	// Output:
	// ana@example.com reached Silver
	// 200
	// 200
	// 401 Unauthorized
}

// The URL to register for an Influence.io webhook subscription, with the
// verification token the receiver checks. It holds the secret: register it,
// do not log it.
func ExampleInfluenceIOWebhookURL() {
	u, err := webhook.InfluenceIOWebhookURL("https://shop.example/hooks/influence", "s3cr3t/+&=")
	if err != nil {
		panic(err)
	}
	fmt.Println(u)
	// Output:
	// https://shop.example/hooks/influence?token=s3cr3t%2F%2B%26%3D
}

// Qualifio sends a JSON array of events per request. ConstructEventsFrom
// takes the headers and the raw body, as received from any transport.
func ExampleReceiver_ConstructEventsFrom_qualifioBatch() {
	rc, err := webhook.NewQualifio(webhook.QualifioConfig{
		HeaderName: "X-Shop-Webhook", HeaderValues: []string{"header-value"},
		SigningSecrets: []string{"qualifio-signing-secret"},
	})
	if err != nil {
		panic(err)
	}
	body := []byte(`[
	 {"id":"e1","type":"points.earned","programId":"p1","createdAt":"2024-05-01T12:30:05Z",
	  "member":{"id":"m1","email":"ana@example.com","customerId":"C-1042"},
	  "data":{"currency":"points","amount":50,"balance":350,"lifetimeTotal":900,"ruleId":"r-purchase"}},
	 {"id":"e2","type":"level.changed","programId":"p1","createdAt":"2024-05-01T12:30:06Z",
	  "member":{"id":"m1","email":"ana@example.com","customerId":"C-1042"},
	  "data":{"oldLevel":{"id":"l1","name":"Bronze"},"newLevel":{"id":"l2","name":"Silver"}}},
	 {"id":"e3","type":"points.burned","programId":"p1","createdAt":"2024-05-02T08:00:00Z",
	  "member":{"id":"m1","email":"ana@example.com","customerId":"C-1042"},
	  "data":{"currency":"points","amount":200,"balance":150,"lifetimeTotal":900,
	          "reward":{"id":"rw1","name":"Free coffee","promoCode":"COFFEE-42"}}}
	]`)
	header := http.Header{}
	header.Set("X-Shop-Webhook", "header-value")
	header.Set("X-Qualifio-Signature", "sha256="+hex.EncodeToString(hmacSHA256([]byte("qualifio-signing-secret"), body)))

	events, err := rc.ConstructEventsFrom(header, nil, body)
	if err != nil {
		fmt.Println("reject:", err)
		return
	}
	for _, ev := range events {
		line := fmt.Sprint(ev.ID, " ", ev.Kind, " ", ev.CustomerID)
		if ev.PointsDelta != nil {
			line += fmt.Sprintf(" %+g -> %g", *ev.PointsDelta, *ev.PointsBalance)
		}
		switch d := ev.Data.(type) {
		case *webhook.QualifioLevelChanged:
			line += " " + d.OldLevel.Name + " -> " + d.NewLevel.Name
		case *webhook.QualifioPointsBurned:
			line += " " + d.Reward.Name + " " + *d.Reward.PromoCode
		}
		fmt.Println(line)
	}
	// Output:
	// e1 points_earned C-1042 +50 -> 350
	// e2 tier_changed C-1042 Bronze -> Silver
	// e3 points_redeemed C-1042 -200 -> 150 Free coffee COFFEE-42
}

// hmacSHA256 is what the platform computes over the body.
func hmacSHA256(key, body []byte) []byte {
	m := hmac.New(sha256.New, key)
	m.Write(body)
	return m.Sum(nil)
}
