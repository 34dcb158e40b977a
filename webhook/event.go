package webhook

import (
	"time"

	"github.com/loyalty-go/loyalty"
)

// Kind is what an event means for the merchant, the same on every platform.
// The mapping of each topic is documented on its typed event.
type Kind string

// The kinds.
const (
	// KindPointsEarned: the customer earned points through the program.
	KindPointsEarned Kind = "points_earned"
	// KindPointsRedeemed: the customer spent (burned) points on a reward.
	KindPointsRedeemed Kind = "points_redeemed"
	// KindPointsAdjusted: the balance changed otherwise (manual corrections,
	// expiry, refunds) or the event reports every change of the balance
	// (Yotpo swell/points/changed, which also fires alongside earn and
	// redeem events, so counting it as either would count twice).
	// PointsDelta carries the sign.
	KindPointsAdjusted Kind = "points_adjusted"
	// KindTierChanged: the customer's tier or level changed.
	KindTierChanged Kind = "tier_changed"
	// KindCustomerUpdated: the customer was created or updated.
	KindCustomerUpdated Kind = "customer_updated"
	// KindReferralStarted: the customer invited a friend, or a friend signed up.
	KindReferralStarted Kind = "referral_started"
	// KindReferralCompleted: a referred friend placed a qualifying order.
	KindReferralCompleted Kind = "referral_completed"
	// KindOptIn and KindOptOut: the customer joined or left the program.
	KindOptIn  Kind = "opt_in"
	KindOptOut Kind = "opt_out"
	// KindOther: reminders, gifts, visits, birthdays and unknown topics.
	KindOther Kind = "other"
)

// Event is one webhook event: a normalized view the same for every platform,
// and the typed event in Data.
type Event struct {
	Platform loyalty.Platform
	// ID identifies the event for de-duplication: Qualifio's event id,
	// Yotpo's WebhookMessageId header (else the hex SHA-256 of the body,
	// plus ":" and the UTC date for the scheduled topics; see ParseYotpo),
	// Influence.io's X-Webhook-Id header (else the hex SHA-256 of the body).
	ID string
	// Topic is the platform's topic or event type, as sent.
	Topic string
	Kind  Kind
	// CustomerEmail and CustomerID identify the loyalty customer. CustomerID
	// is the merchant's own id (Qualifio customerId, Yotpo third_party_id,
	// Influence.io externalId) or "" when the event has none; the platform's
	// internal ids stay in Data.
	CustomerEmail string
	CustomerID    string
	// PointsDelta is the signed change of the points balance and
	// PointsBalance the balance after it, when the event carries them; nil
	// otherwise.
	//
	// They are about points only. A Qualifio program can have several
	// currencies: they are set only for the default currency
	// (contract.QualifioDefaultCurrency, "points", or no currency given);
	// an event in another currency (say "stars") leaves both nil and keeps
	// its kind, and its Currency, Amount and Balance are in the typed event.
	//
	// Summing PointsDelta over all events double-counts on Yotpo:
	// swell/points/changed (KindPointsAdjusted) reports every change of the
	// balance, including those also sent as swell/points/earned and
	// swell/redemption/created. Sum either the changed events alone, or the
	// others alone.
	PointsDelta   *float64
	PointsBalance *float64
	// OccurredAt is when the event happened, or the zero time when the
	// platform sends no time for it.
	OccurredAt time.Time
	// Data is the typed event, a pointer such as *YotpoPointsEarned, or a
	// json.RawMessage for a topic this package does not know: the body
	// (Yotpo, Influence.io) or the whole event object of the array (Qualifio,
	// envelope and data).
	Data any
}

// points returns a pointer to v, for the optional points fields of Event.
func points(v int64) *float64 {
	f := float64(v)
	return &f
}
