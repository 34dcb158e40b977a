package influenceiofake

import (
	"encoding/json"
	"net/http"
	"net/url"
	"slices"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// webhook is one subscription; guarded by Fake.mu.
type webhook struct {
	ID    string `json:"id"`
	Topic string `json:"topic"`
	URL   string `json:"url"`
}

// RegisterWebhook subscribes url to topic, as POST /v1/webhooks does, and
// returns the subscription id. The URL is kept as given, `?token=` included.
// It does not validate: tests may register what the API would refuse.
func (f *Fake) RegisterWebhook(topic, url string) (id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	wh := &webhook{ID: f.env.NewID(), Topic: topic, URL: url}
	f.webhooks = append(f.webhooks, wh)
	return wh.ID
}

// webhookRequest is the body of POST and PUT /v1/webhooks.
type webhookRequest struct {
	Topic string `json:"topic"`
	URL   string `json:"url"`
}

// validate applies the subscription rules: a documented topic and an absolute http(s) URL
// (plain http is accepted for local tests).
func (req webhookRequest) validate() string {
	if !slices.Contains(contract.InfluenceIOWebhookTopics, req.Topic) {
		return "topic must be one of the documented webhook topics"
	}
	u, err := url.Parse(req.URL)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "url must be an absolute https URL"
	}
	return ""
}

// findWebhookOr404 returns the index and the webhook with id, or answers 404
// and returns -1, nil. Callers hold f.mu.
func (f *Fake) findWebhookOr404(w http.ResponseWriter, id string) (int, *webhook) {
	for i, wh := range f.webhooks {
		if wh.ID == id {
			return i, wh
		}
	}
	writeError(w, http.StatusNotFound, "Webhook not found")
	return -1, nil
}

// listWebhooks serves GET /v1/webhooks (not paginated).
func (f *Fake) listWebhooks(w http.ResponseWriter, _ *http.Request, _ string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]webhook, 0, len(f.webhooks))
	for _, wh := range f.webhooks {
		out = append(out, *wh)
	}
	fakekit.WriteJSON(w, http.StatusOK, map[string][]webhook{"webhooks": out})
}

// createWebhook serves POST /v1/webhooks.
func (f *Fake) createWebhook(w http.ResponseWriter, r *http.Request, _ string) {
	var req webhookRequest
	if !f.readValid(w, r, &req) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	wh := &webhook{ID: f.env.NewID(), Topic: req.Topic, URL: req.URL}
	f.webhooks = append(f.webhooks, wh)
	fakekit.WriteJSON(w, contract.InfluenceIOStatusWebhookCreated, map[string]webhook{"webhook": *wh})
}

// getWebhook serves GET /v1/webhooks/{id}.
func (f *Fake) getWebhook(w http.ResponseWriter, _ *http.Request, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	_, wh := f.findWebhookOr404(w, id)
	if wh == nil {
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, map[string]webhook{"webhook": *wh})
}

// putWebhook serves PUT /v1/webhooks/{id}: replaces topic and url.
func (f *Fake) putWebhook(w http.ResponseWriter, r *http.Request, id string) {
	var req webhookRequest
	if !f.readValid(w, r, &req) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	_, wh := f.findWebhookOr404(w, id)
	if wh == nil {
		return
	}
	wh.Topic, wh.URL = req.Topic, req.URL
	fakekit.WriteJSON(w, http.StatusOK, map[string]webhook{"webhook": *wh})
}

// deleteWebhook serves DELETE /v1/webhooks/{id}.
func (f *Fake) deleteWebhook(w http.ResponseWriter, _ *http.Request, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	i, _ := f.findWebhookOr404(w, id)
	if i < 0 {
		return
	}
	f.webhooks = slices.Delete(f.webhooks, i, i+1)
	w.WriteHeader(contract.InfluenceIOStatusWebhookDeleted)
}

// webhookCustomerJSON is the webhook Customer object: `referralUrl`
// where the REST object says `referralLink`.
type webhookCustomerJSON struct {
	ID                 string   `json:"id"`
	ExternalID         string   `json:"externalId"`
	Email              string   `json:"email"`
	Name               string   `json:"name"`
	BirthdayMonth      *int     `json:"birthdayMonth"`
	BirthdayDay        *int     `json:"birthdayDay"`
	ReferralURL        string   `json:"referralUrl"`
	PointBalance       int      `json:"pointBalance"`
	CurrentLoyaltyTier *tierRef `json:"currentLoyaltyTier"`
	CreatedAt          string   `json:"createdAt"`
	UpdatedAt          string   `json:"updatedAt"`
}

func (f *Fake) webhookCustomer(c *customer) *webhookCustomerJSON {
	if c == nil {
		return nil
	}
	return &webhookCustomerJSON{
		ID: c.id, ExternalID: c.externalID, Email: c.email, Name: c.name,
		BirthdayMonth: c.birthdayMonth, BirthdayDay: c.birthdayDay, ReferralURL: c.referralLink,
		PointBalance: c.pointBalance, CurrentLoyaltyTier: f.tier(c.tierID).ref(),
		CreatedAt: fakekit.FormatTime(c.createdAt), UpdatedAt: fakekit.FormatTime(c.updatedAt),
	}
}

// pointsEvent is the payload of points/earned.
type pointsEvent struct {
	ID       string               `json:"id"`
	Customer *webhookCustomerJSON `json:"customer"`
	Action   string               `json:"action"`
	Points   int                  `json:"points"`
	Type     string               `json:"type"`
	RuleID   string               `json:"ruleId"`
}

// redeemedEvent is the payload of points/redeemed.
type redeemedEvent struct {
	pointsEvent
	CouponCode string      `json:"couponCode"`
	RewardType string      `json:"rewardType"`
	RedeemRule *redeemRule `json:"redeemRule,omitempty"`
}

type redeemRule struct {
	PointCost int `json:"pointCost"`
}

// emit sends payload to every subscription of topic. All of one event's
// deliveries share one X-Webhook-Id (decided: it identifies the event, so a
// receiver de-duplicates retries and copies alike). Callers hold f.mu, so
// deliveries leave in the order the changes happened.
func (f *Fake) emit(topic string, payload any) {
	var body []byte
	var eventID string
	for _, wh := range f.webhooks {
		if wh.Topic != topic {
			continue
		}
		if body == nil {
			b, err := json.Marshal(payload)
			if err != nil {
				return // unreachable: payloads are plain structs
			}
			body, eventID = b, f.env.NewID()
		}
		h := http.Header{}
		h.Set("Content-Type", "application/json")
		h.Set(contract.InfluenceIOHeaderTopic, topic)
		h.Set(contract.InfluenceIOHeaderWebhookID, eventID)
		f.env.Emit(fakekit.Delivery{Platform: fakekit.InfluenceIO, Topic: topic, URL: wh.URL, Header: h, Body: body})
	}
}
