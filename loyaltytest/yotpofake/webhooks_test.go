package yotpofake

import (
	"strconv"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func itoa(n int64) string { return strconv.FormatInt(n, 10) }

func TestWebhookDeliveryHeaders(t *testing.T) {
	h := newHarness(t, Config{})
	h.create(`{"email":"quiet@example.com"}`)
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Fatalf("no Webhook URL set, yet %v", topics(d))
	}
	h.fake.SetWebhook(hookURL, "Bearer s3cret")
	h.create(`{"email":"a@example.com","first_name":"Ann","id":"c-1","opted_in":true}`)
	ds := h.TakeDeliveries()
	if len(ds) != 2 {
		t.Fatalf("deliveries %v", topics(ds))
	}
	seen := map[string]bool{}
	for _, d := range ds {
		if d.Platform != "yotpo" || d.URL != hookURL {
			t.Errorf("delivery target %q %q", d.Platform, d.URL)
		}
		if got := d.Header.Get(contract.YotpoWebhookAuthHeader); got != "Bearer s3cret" {
			t.Errorf("Authorization %q", got)
		}
		if got := d.Header.Get("Content-Type"); got != "application/json" {
			t.Errorf("Content-Type %q", got)
		}
		id := d.Header.Get(contract.YotpoWebhookMessageID)
		if id == "" || seen[id] {
			t.Errorf("WebhookMessageId %q missing or repeated", id)
		}
		seen[id] = true
		env := envelope(t, d)
		if env["topic"] != d.Topic || env["email"] != "a@example.com" {
			t.Errorf("envelope %s", d.Body)
		}
		cust := env["customer"].(map[string]any)
		if cust["first_name"] != "Ann" || cust["third_party_id"] != "c-1" || cust["thirty_party_id"] != "c-1" || cust["credit_balance"] != "$0" {
			t.Errorf("webhook customer %v", cust)
		}
		// referral_code and referred_by_customer, as in the vendor's samples.
		if rc, ok := cust["referral_code"].(map[string]any); !ok || rc["code"] != cust["referral_discount_code"] || rc["code"] == "" {
			t.Errorf("webhook customer referral_code %v", cust["referral_code"])
		}
		if v, ok := cust["referred_by_customer"]; !ok || v != nil {
			t.Errorf("webhook customer referred_by_customer %v (present %v), want null", v, ok)
		}
	}
	if ds[0].Topic != contract.YotpoTopicAccountCreated || envelope(t, ds[0])["name"] != "Swell Account Created" {
		t.Errorf("first delivery %s", ds[0].Body)
	}

	// A raw authentication value is sent as is; an empty URL stops deliveries.
	h.fake.SetWebhook(hookURL, "raw-value")
	h.create(`{"email":"a@example.com","opted_in":false}`)
	if ds = h.TakeDeliveries(); len(ds) != 1 || ds[0].Header.Get(contract.YotpoWebhookAuthHeader) != "raw-value" {
		t.Errorf("raw auth deliveries %v", ds)
	}
	h.fake.SetWebhook("", "")
	h.create(`{"email":"a@example.com","opted_in":true}`)
	if ds = h.TakeDeliveries(); len(ds) != 0 {
		t.Errorf("deliveries after unsetting the URL: %v", topics(ds))
	}
}
