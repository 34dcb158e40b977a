package yotpofake

import (
	"encoding/json"
	"net/http"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// topicNames are the documented `name` values of the envelope; the
// decided swell/account/created gets a name in the same style.
var topicNames = map[string]string{
	contract.YotpoTopicPointsEarned:      "Swell Points Earned",
	contract.YotpoTopicPointsChanged:     "Swell Points Changed",
	contract.YotpoTopicRedemptionCreated: "Swell Redemption Created",
	contract.YotpoTopicReferralShare:     "Swell Referral Share",
	contract.YotpoTopicTierEarned:        "Swell Tier Earned",
	contract.YotpoTopicTierLost:          "Swell Tier Lost",
	contract.YotpoTopicOptIn:             "Loyalty Opt In",
	contract.YotpoTopicOptOut:            "Loyalty Opt Out",
	contract.YotpoTopicAccountCreated:    "Swell Account Created",
}

// SetWebhook sets the merchant's Webhook URL and "Webhook Authentication"
// value, as in Loyalty admin. Deliveries carry `Authorization: <authValue>`
// verbatim, so pass "Bearer <value>" to test the Bearer form. An empty url
// stops deliveries.
func (f *Fake) SetWebhook(url, authValue string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.webhookURL, f.webhookAuth = url, authValue
}

// webhookCustomerJSON is the webhook customer object: its names
// differ from the REST object (is_opt_in, loyalty_opt_in_date).
type webhookCustomerJSON struct {
	Email            string  `json:"email"`
	FirstName        string  `json:"first_name"`
	LastName         string  `json:"last_name"`
	ThirdPartyID     string  `json:"third_party_id"`
	ThirtyPartyID    string  `json:"thirty_party_id"`
	IsMember         bool    `json:"is_member"`
	AcceptsMarketing bool    `json:"accepts_marketing"`
	LastSeenAt       string  `json:"last_seen_at"`
	TotalSpendCents  int64   `json:"total_spend_cents"`
	TotalPurchases   int64   `json:"total_purchases"`
	PerksRedeemed    int64   `json:"perks_redeemed"`
	LastPurchaseAt   *string `json:"last_purchase_at"`
	ReferredBy       *string `json:"referred_by"`
	// ReferredByCustomer is null, as in the vendor's samples (which show
	// no fields for it).
	ReferredByCustomer   json.RawMessage `json:"referred_by_customer"`
	ReferralLink         string          `json:"referral_link"`
	ReferralDiscountCode string          `json:"referral_discount_code"`
	// ReferralCode is the legacy referral_code object the vendor's
	// points-earned and points-expiration-reminder samples carry.
	ReferralCode            *referralCode `json:"referral_code"`
	IsAffiliate             bool          `json:"is_affiliate"`
	PointsEarned            int64         `json:"points_earned"`
	PointsBalance           int64         `json:"points_balance"`
	PointsExpireAt          *string       `json:"points_expire_at"`
	IsOptIn                 bool          `json:"is_opt_in"`
	LoyaltyOptInDate        *string       `json:"loyalty_opt_in_date"`
	HasStoreAccount         bool          `json:"has_store_account"`
	CreditBalance           string        `json:"credit_balance"`
	CreditBalanceInCurrency string        `json:"credit_balance_in_customer_currency"`
	VIPTierName             *string       `json:"vip_tier_name"`
	VIPTierEndsAt           *string       `json:"vip_tier_ends_at"`
}

func (f *Fake) webhookCustomer(c *customer) *webhookCustomerJSON {
	j := &webhookCustomerJSON{
		Email: c.email, FirstName: c.firstName, LastName: c.lastName,
		ThirdPartyID: c.thirdPartyID, ThirtyPartyID: c.thirdPartyID,
		IsMember: c.optIn, LastSeenAt: fakekit.FormatTime(c.lastSeenAt),
		TotalSpendCents: c.totalSpendCents, TotalPurchases: c.totalPurchases, PerksRedeemed: c.perksRedeemed,
		LastPurchaseAt: fakekit.TimePtr(c.lastPurchaseAt), ReferralLink: referralURL(c.referralCode),
		ReferralDiscountCode: c.referralCode,
		ReferralCode:         &referralCode{Code: c.referralCode, CompletedReferralCustomers: []completedReferral{}},
		PointsEarned:         c.pointsEarned, PointsBalance: c.pointsBalance,
		IsOptIn: c.optIn, HasStoreAccount: c.hasAccount, CreditBalance: "$0", CreditBalanceInCurrency: "$0",
	}
	if c.optedInAt != nil {
		d := c.optedInAt.UTC().Format("2006-01-02")
		j.LoyaltyOptInDate = &d
	}
	if t, ok := f.tierByID(c.tierID); ok {
		j.VIPTierName = &t.Name
	}
	return j
}

// emit queues one webhook about c when a Webhook URL is set: the envelope
// {topic, name, email, customer} plus the topic's extra top-level keys.
// Callers hold f.mu, so deliveries leave in the order the changes happened.
func (f *Fake) emit(topic string, c *customer, extra map[string]any) {
	if f.webhookURL == "" {
		return
	}
	env := map[string]any{
		"topic": topic, "name": topicNames[topic], "email": c.email, "customer": f.webhookCustomer(c),
	}
	for k, v := range extra {
		env[k] = v
	}
	body, err := json.Marshal(env)
	if err != nil {
		return // unreachable: every value is a plain struct or map
	}
	h := http.Header{}
	h.Set("Content-Type", "application/json")
	h.Set(contract.YotpoWebhookMessageID, f.env.NewID())
	if f.webhookAuth != "" {
		h.Set(contract.YotpoWebhookAuthHeader, f.webhookAuth)
	}
	f.env.Emit(fakekit.Delivery{Platform: fakekit.Yotpo, Topic: topic, URL: f.webhookURL, Header: h, Body: body})
}
