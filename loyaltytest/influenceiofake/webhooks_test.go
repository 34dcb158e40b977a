package influenceiofake

import (
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

type testWebhook struct {
	ID    string `json:"id"`
	Topic string `json:"topic"`
	URL   string `json:"url"`
}

func TestWebhookSubscriptionsCRUD(t *testing.T) {
	h := newHarness(t, Config{})
	for _, bad := range []string{
		`{"topic":"orders/created","url":"https://m.example/h"}`,
		`{"topic":"points/earned","url":"ftp://m.example/h"}`,
		`{"topic":"points/earned","url":"/relative"}`,
		`{"topic":"points/earned"}`,
	} {
		h.mustError(http.StatusBadRequest, http.MethodPost, contract.InfluenceIOPathWebhooks, nil, bad)
	}
	var created struct {
		Webhook testWebhook `json:"webhook"`
	}
	decode(t, h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathWebhooks, nil,
		`{"topic":"points/earned","url":"`+hookURL+`"}`), &created)
	wh := created.Webhook
	if wh.ID == "" || wh.Topic != contract.InfluenceIOTopicPointsEarned || wh.URL != hookURL {
		t.Fatalf("created %+v", wh)
	}
	plain := h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsRedeemed, "http://127.0.0.1:9/h")

	var list struct {
		Webhooks []testWebhook `json:"webhooks"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOPathWebhooks, nil, ""), &list)
	if len(list.Webhooks) != 2 || list.Webhooks[0].ID != wh.ID || list.Webhooks[1].ID != plain {
		t.Fatalf("list %+v", list.Webhooks)
	}
	var one struct {
		Webhook testWebhook `json:"webhook"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOWebhookPath(wh.ID), nil, ""), &one)
	if one.Webhook != wh {
		t.Errorf("get %+v", one.Webhook)
	}
	h.mustError(http.StatusBadRequest, http.MethodPut, contract.InfluenceIOWebhookPath(wh.ID), nil, `{"topic":"nope","url":"https://x.example"}`)
	decode(t, h.MustStatus(http.StatusOK, http.MethodPut, contract.InfluenceIOWebhookPath(wh.ID), nil,
		`{"topic":"customers/updated","url":"https://other.example/h"}`), &one)
	if one.Webhook.ID != wh.ID || one.Webhook.Topic != contract.InfluenceIOTopicCustomersUpdated || one.Webhook.URL != "https://other.example/h" {
		t.Errorf("put %+v", one.Webhook)
	}
	if got, b := h.Request(http.MethodDelete, contract.InfluenceIOWebhookPath(wh.ID), nil, ""); got != http.StatusNoContent || len(b) != 0 {
		t.Errorf("delete %d %q", got, b)
	}
	for _, m := range []string{http.MethodGet, http.MethodDelete} {
		if msg := h.mustError(http.StatusNotFound, m, contract.InfluenceIOWebhookPath(wh.ID), nil, ""); msg != "Webhook not found" {
			t.Errorf("%s after delete: %q", m, msg)
		}
	}
	h.mustError(http.StatusNotFound, http.MethodPut, contract.InfluenceIOWebhookPath("nope"), nil, `{"topic":"points/earned","url":"https://x.example"}`)
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOPathWebhooks, nil, ""), &list)
	if len(list.Webhooks) != 1 {
		t.Errorf("after delete %+v", list.Webhooks)
	}
}

// TestDeliveriesHeaders checks the documented headers and that nothing
// else authenticates a delivery: Influence.io signs nothing, so the fake
// sends no signature header (the URL's token is the only secret).
func TestDeliveriesHeaders(t *testing.T) {
	h := newHarness(t, Config{})
	h.put("c-1", `{"email":"a@example.com"}`)
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Fatalf("no subscription, yet %v", topics(d))
	}
	second := "https://second.example/h?token=other"
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsEarned, hookURL)
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsEarned, second)
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsRedeemed, hookURL)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":10}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":10}`)
	ds := h.TakeDeliveries()
	if len(ds) != 4 {
		t.Fatalf("deliveries %v", topics(ds))
	}
	if ds[0].URL != hookURL || ds[1].URL != second {
		t.Errorf("URLs %q %q: registered URLs must be kept verbatim", ds[0].URL, ds[1].URL)
	}
	for i, d := range ds {
		if d.Platform != "influenceio" || d.Topic != contract.InfluenceIOTopicPointsEarned ||
			d.Header.Get(contract.InfluenceIOHeaderTopic) != contract.InfluenceIOTopicPointsEarned || d.Header.Get("Content-Type") != "application/json" {
			t.Errorf("delivery %d: %q %q %v", i, d.Platform, d.Topic, d.Header)
		}
		if len(d.Header) != 3 || d.Header.Get("X-Webhook-Signature") != "" {
			t.Errorf("delivery %d: headers %v; want only Content-Type, %s and %s", i, d.Header, contract.InfluenceIOHeaderTopic, contract.InfluenceIOHeaderWebhookID)
		}
	}
	// One event to two subscriptions shares its id and bytes; the next event has a new id.
	id0, id1, id2 := ds[0].Header.Get(contract.InfluenceIOHeaderWebhookID), ds[1].Header.Get(contract.InfluenceIOHeaderWebhookID), ds[2].Header.Get(contract.InfluenceIOHeaderWebhookID)
	if id0 == "" || id0 != id1 || string(ds[0].Body) != string(ds[1].Body) || id2 == id0 {
		t.Errorf("webhook ids %q %q %q", id0, id1, id2)
	}
}
