package webhook

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
)

// Influence.io webhook events (https://developer.influence.io/reference/introduction-to-webhooks). The
// topic is in the X-Webhook-Topic header and the body is one JSON object.
// Points are integers; the payloads carry no event time, so OccurredAt is the
// customer's updatedAt on customers/updated and customers/tier_changed and
// zero elsewhere.

// InfluenceIOCustomer is the customer object of Influence.io webhooks. ID is
// Influence.io's; ExternalID is the merchant's.
type InfluenceIOCustomer struct {
	ID                 string           `json:"id"`
	ExternalID         string           `json:"externalId"`
	Email              string           `json:"email"`
	Name               string           `json:"name"`
	BirthdayMonth      *int             `json:"birthdayMonth"`
	BirthdayDay        *int             `json:"birthdayDay"`
	ReferralURL        string           `json:"referralUrl"`
	PointBalance       int64            `json:"pointBalance"`
	CurrentLoyaltyTier *InfluenceIOTier `json:"currentLoyaltyTier"` // nil when in no tier
	CreatedAt          Time             `json:"createdAt"`
	UpdatedAt          Time             `json:"updatedAt"`
}

// InfluenceIOTier is a loyalty tier. Threshold is a string on the wire; a
// number there decodes as "". currentLoyaltyTier has no threshold.
type InfluenceIOTier struct {
	ID        string `json:"id"`
	Title     string `json:"title"`
	Threshold string `json:"threshold"`
}

// InfluenceIOReward is a reward coupon of a referral or a tier entry.
type InfluenceIOReward struct {
	ID               string  `json:"id"`
	CouponCode       string  `json:"couponCode"`
	CouponCodeStatus string  `json:"couponCodeStatus"`
	DiscountType     string  `json:"discountType"`
	DiscountAmount   float64 `json:"discountAmount"`
}

// InfluenceIORedeemRule is the rule of a redemption, seen in production
// payloads though not documented.
type InfluenceIORedeemRule struct {
	PointCost int64 `json:"pointCost"`
}

// InfluenceIOCustomersUpdated (customers/updated, KindCustomerUpdated): the
// body is the bare customer. PointsBalance is PointBalance.
type InfluenceIOCustomersUpdated struct {
	InfluenceIOCustomer
}

func (e *InfluenceIOCustomersUpdated) influenceNormalize(ev *Event) {
	influenceCustomer(ev, &e.InfluenceIOCustomer)
	ev.Kind = KindCustomerUpdated
	ev.PointsBalance = points(e.PointBalance)
	ev.OccurredAt = e.UpdatedAt.Time
}

// InfluenceIOCustomersTierChanged (customers/tier_changed, KindTierChanged).
// OldTier or NewTier is nil when there is no tier before or after.
type InfluenceIOCustomersTierChanged struct {
	Customer InfluenceIOCustomer `json:"customer"`
	OldTier  *InfluenceIOTier    `json:"oldTier"`
	NewTier  *InfluenceIOTier    `json:"newTier"`
}

func (e *InfluenceIOCustomersTierChanged) influenceNormalize(ev *Event) {
	influenceCustomer(ev, &e.Customer)
	ev.Kind = KindTierChanged
	ev.OccurredAt = e.Customer.UpdatedAt.Time
}

// InfluenceIOTierEntryRewardEarned (customers/tier_entry_reward_earned,
// KindOther): Reward was granted on entering Tier, which customers/
// tier_changed reports as the change of tier.
type InfluenceIOTierEntryRewardEarned struct {
	ID       string              `json:"id"`
	Customer InfluenceIOCustomer `json:"customer"`
	Tier     InfluenceIOTier     `json:"tier"`
	Reward   InfluenceIOReward   `json:"reward"`
}

func (e *InfluenceIOTierEntryRewardEarned) influenceNormalize(ev *Event) {
	influenceCustomer(ev, &e.Customer)
}

// InfluenceIOPointsEarned (points/earned, KindPointsEarned, delta +Points,
// balance customer.pointBalance). Type is open: "order", "api", ...
type InfluenceIOPointsEarned struct {
	ID       string              `json:"id"`
	Customer InfluenceIOCustomer `json:"customer"`
	Action   string              `json:"action"` // human summary
	Points   int64               `json:"points"`
	Type     string              `json:"type"`
	RuleID   string              `json:"ruleId"` // "" for awards without a rule
}

func (e *InfluenceIOPointsEarned) influenceNormalize(ev *Event) {
	influenceCustomer(ev, &e.Customer)
	ev.Kind = KindPointsEarned
	ev.PointsDelta = points(e.Points)
	ev.PointsBalance = points(e.Customer.PointBalance)
}

// InfluenceIOPointsRedeemed (points/redeemed, KindPointsRedeemed, delta
// -Points): the customer spent Points on a reward; the merchant must create
// CouponCode in its store.
type InfluenceIOPointsRedeemed struct {
	ID         string                 `json:"id"`
	Customer   InfluenceIOCustomer    `json:"customer"`
	Action     string                 `json:"action"`
	Points     int64                  `json:"points"` // points spent, positive
	Type       string                 `json:"type"`
	RuleID     string                 `json:"ruleId"`
	CouponCode string                 `json:"couponCode"`
	RewardType string                 `json:"rewardType"` // open: "fixedamountdiscount", "freeshipping", ...
	RedeemRule *InfluenceIORedeemRule `json:"redeemRule"`
}

func (e *InfluenceIOPointsRedeemed) influenceNormalize(ev *Event) {
	influenceCustomer(ev, &e.Customer)
	ev.Kind = KindPointsRedeemed
	ev.PointsDelta = points(-e.Points)
	ev.PointsBalance = points(e.Customer.PointBalance)
}

// InfluenceIOReferral is the payload of both referral topics. Customer is the
// referrer; FriendCustomer is nil until the friend is a customer, and
// CustomerReward nil until the referrer is rewarded.
type InfluenceIOReferral struct {
	ID             string               `json:"id"`
	Customer       InfluenceIOCustomer  `json:"customer"`
	FriendCustomer *InfluenceIOCustomer `json:"friendCustomer"`
	FriendEmail    string               `json:"friendEmail"`
	CustomerReward *InfluenceIOReward   `json:"customerReward"`
	FriendReward   *InfluenceIOReward   `json:"friendReward"`
}

// InfluenceIOReferralsStarted (referrals/started, KindReferralStarted): the
// friend submitted their email.
type InfluenceIOReferralsStarted struct {
	InfluenceIOReferral
}

func (e *InfluenceIOReferralsStarted) influenceNormalize(ev *Event) {
	influenceCustomer(ev, &e.Customer)
	ev.Kind = KindReferralStarted
}

// InfluenceIOReferralsCompleted (referrals/completed,
// KindReferralCompleted): the friend's order used the referral.
type InfluenceIOReferralsCompleted struct {
	InfluenceIOReferral
}

func (e *InfluenceIOReferralsCompleted) influenceNormalize(ev *Event) {
	influenceCustomer(ev, &e.Customer)
	ev.Kind = KindReferralCompleted
}

func influenceCustomer(ev *Event, c *InfluenceIOCustomer) {
	ev.CustomerEmail = c.Email
	ev.CustomerID = c.ExternalID
}

type influenceEvent interface{ influenceNormalize(*Event) }

// InfluenceIOTopic is loyalty.InfluenceIOTopic: a delivery's X-Webhook-Topic
// and a subscription made with loyalty's Webhooks service are one type.
// Event.Topic holds it as a string: InfluenceIOTopic(ev.Topic).
type InfluenceIOTopic = loyalty.InfluenceIOTopic

// The seven documented Influence.io topics, the constants of package loyalty.
const (
	InfluenceIOTopicCustomersUpdated      = loyalty.InfluenceIOTopicCustomersUpdated
	InfluenceIOTopicCustomersTierChanged  = loyalty.InfluenceIOTopicCustomersTierChanged
	InfluenceIOTopicTierEntryRewardEarned = loyalty.InfluenceIOTopicTierEntryRewardEarned
	InfluenceIOTopicPointsEarned          = loyalty.InfluenceIOTopicPointsEarned
	InfluenceIOTopicPointsRedeemed        = loyalty.InfluenceIOTopicPointsRedeemed
	InfluenceIOTopicReferralsStarted      = loyalty.InfluenceIOTopicReferralsStarted
	InfluenceIOTopicReferralsCompleted    = loyalty.InfluenceIOTopicReferralsCompleted
)

// influenceTopics makes the typed event of each known topic.
var influenceTopics = map[InfluenceIOTopic]func() influenceEvent{
	InfluenceIOTopicCustomersUpdated:      func() influenceEvent { return new(InfluenceIOCustomersUpdated) },
	InfluenceIOTopicCustomersTierChanged:  func() influenceEvent { return new(InfluenceIOCustomersTierChanged) },
	InfluenceIOTopicTierEntryRewardEarned: func() influenceEvent { return new(InfluenceIOTierEntryRewardEarned) },
	InfluenceIOTopicPointsEarned:          func() influenceEvent { return new(InfluenceIOPointsEarned) },
	InfluenceIOTopicPointsRedeemed:        func() influenceEvent { return new(InfluenceIOPointsRedeemed) },
	InfluenceIOTopicReferralsStarted:      func() influenceEvent { return new(InfluenceIOReferralsStarted) },
	InfluenceIOTopicReferralsCompleted:    func() influenceEvent { return new(InfluenceIOReferralsCompleted) },
}

// ParseInfluenceIO parses an Influence.io body without verifying it; use
// Receiver.ConstructEvents on untrusted input. topic and webhookID are the
// X-Webhook-Topic and X-Webhook-Id headers; when webhookID is empty the event
// id is the hex SHA-256 of the body. An unknown or empty topic gives an Event
// whose Data is the raw body.
func ParseInfluenceIO(body []byte, topic, webhookID string) (Event, error) {
	if firstByte(body) != '{' {
		return Event{}, fmt.Errorf("webhook: influenceio: body is not a JSON object: %w", ErrMalformed)
	}
	ev := Event{Platform: loyalty.InfluenceIO, ID: webhookID, Topic: topic, Kind: KindOther}
	if ev.ID == "" {
		ev.ID = contract.SHA256Hex(body)
	}
	newEvent, ok := influenceTopics[InfluenceIOTopic(topic)]
	if !ok {
		if !json.Valid(body) {
			return Event{}, fmt.Errorf("webhook: influenceio: %w: invalid JSON", ErrMalformed)
		}
		ev.Data = json.RawMessage(bytes.Clone(body))
		return ev, nil
	}
	typed := newEvent()
	if err := decode(body, typed); err != nil {
		return Event{}, fmt.Errorf("webhook: influenceio: %w: %v", ErrMalformed, err)
	}
	typed.influenceNormalize(&ev)
	ev.Data = typed
	return ev, nil
}
