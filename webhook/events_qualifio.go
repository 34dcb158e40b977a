package webhook

import (
	"encoding/json"
	"fmt"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
)

// Qualifio Loyalty webhook events (../shared/platforms/qualifio.md §6). A
// request body is a JSON array of events {id, type, programId, createdAt,
// member, data}; the typed events below hold the envelope and the fields of
// data side by side. The type strings and data fields are decided, not
// documented, so the package reads them leniently.

// QualifioMember identifies the member of a Qualifio event.
type QualifioMember struct {
	ID         string `json:"id"` // Qualifio's member id
	Email      string `json:"email"`
	CustomerID string `json:"customerId"` // the merchant's id
}

// QualifioEnvelope is what every Qualifio event carries.
type QualifioEnvelope struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	ProgramID string         `json:"programId"`
	CreatedAt Time           `json:"createdAt"`
	Member    QualifioMember `json:"member"`
}

// QualifioPoints is the balance part of the points events. Amount is the
// size of the change, always positive; the type gives the direction. Amounts
// are float64 because multipliers can make fractions.
type QualifioPoints struct {
	Currency      string  `json:"currency"` // "points" unless the program has several currencies
	Amount        float64 `json:"amount"`
	Balance       float64 `json:"balance"`
	LifetimeTotal float64 `json:"lifetimeTotal"`
}

// QualifioLevel is a level of the program.
type QualifioLevel struct {
	ID   string `json:"id"`
	Name string `json:"name"`
}

// QualifioReward is a reward given or bought with points.
type QualifioReward struct {
	ID        string  `json:"id"`
	Name      string  `json:"name"`
	PromoCode *string `json:"promoCode"` // nil when no promo code was handed out
}

// QualifioProfileCreated (profile.created, KindCustomerUpdated): the member
// authenticated for the first time.
type QualifioProfileCreated struct {
	QualifioEnvelope
	Source string `json:"source"` // "sso", "secureToken" or "api"
}

// QualifioPortalVisited (portal.visited, KindOther): the member visited the
// member portal.
type QualifioPortalVisited struct {
	QualifioEnvelope
}

// QualifioLevelChanged (level.changed, KindTierChanged). OldLevel or
// NewLevel is nil when there was no level before or after.
type QualifioLevelChanged struct {
	QualifioEnvelope
	OldLevel *QualifioLevel `json:"oldLevel"`
	NewLevel *QualifioLevel `json:"newLevel"`
}

// QualifioPointsEarned (points.earned, KindPointsEarned, delta +Amount).
type QualifioPointsEarned struct {
	QualifioEnvelope
	QualifioPoints
	RuleID string `json:"ruleId"` // the earning rule, if any
}

// QualifioPointsBurned (points.burned, KindPointsRedeemed, delta -Amount):
// points were exchanged for Reward.
type QualifioPointsBurned struct {
	QualifioEnvelope
	QualifioPoints
	Reward QualifioReward `json:"reward"`
}

// QualifioPointsCorrectedAdded (points.corrected.added, KindPointsAdjusted,
// delta +Amount): a program manager added points.
type QualifioPointsCorrectedAdded struct {
	QualifioEnvelope
	QualifioPoints
	Reason string `json:"reason"`
}

// QualifioPointsCorrectedRemoved (points.corrected.removed,
// KindPointsAdjusted, delta -Amount): a program manager removed points.
type QualifioPointsCorrectedRemoved struct {
	QualifioEnvelope
	QualifioPoints
	Reason string `json:"reason"`
}

// QualifioGiftGiven (gift.given, KindOther): a program manager gave a gift.
type QualifioGiftGiven struct {
	QualifioEnvelope
	Reward QualifioReward `json:"reward"`
}

// qualifioWire is one element of the body; data is decoded by type.
type qualifioWire struct {
	QualifioEnvelope
	Data json.RawMessage `json:"data"`
}

// ParseQualifio parses a Qualifio body, a JSON array of events, without
// verifying it; use Receiver.ConstructEvents on untrusted input. An empty
// array gives no events. An event without an id is malformed, since the id is
// what de-duplicates it. An unknown type gives an Event whose Data is the raw
// JSON of its data object.
func ParseQualifio(body []byte) ([]Event, error) {
	if firstByte(body) != '[' {
		return nil, fmt.Errorf("webhook: qualifio: body is not a JSON array: %w", ErrMalformed)
	}
	var wire []qualifioWire
	if err := decode(body, &wire); err != nil {
		return nil, fmt.Errorf("webhook: qualifio: %w: %v", ErrMalformed, err)
	}
	events := make([]Event, len(wire))
	for i := range wire {
		w := &wire[i]
		if w.ID == "" {
			return nil, fmt.Errorf("webhook: qualifio: event %d has no id: %w", i, ErrMalformed)
		}
		events[i] = qualifioEvent(w)
	}
	return events, nil
}

func qualifioEvent(w *qualifioWire) Event {
	ev := Event{
		Platform:      loyalty.Qualifio,
		ID:            w.ID,
		Topic:         w.Type,
		Kind:          KindOther,
		CustomerEmail: w.Member.Email,
		CustomerID:    w.Member.CustomerID,
		OccurredAt:    w.CreatedAt.Time,
	}
	// pts records the points of a points event; sign gives the direction.
	pts := func(p *QualifioPoints, kind Kind, sign float64) {
		ev.Kind = kind
		ev.PointsDelta = points(sign * p.Amount)
		ev.PointsBalance = points(p.Balance)
	}
	switch w.Type {
	case contract.QualifioProfileCreated:
		d := &QualifioProfileCreated{}
		decodeData(w.Data, d)
		d.QualifioEnvelope = w.QualifioEnvelope
		ev.Kind, ev.Data = KindCustomerUpdated, d
	case contract.QualifioPortalVisited:
		ev.Data = &QualifioPortalVisited{QualifioEnvelope: w.QualifioEnvelope}
	case contract.QualifioLevelChanged:
		d := &QualifioLevelChanged{}
		decodeData(w.Data, d)
		d.QualifioEnvelope = w.QualifioEnvelope
		ev.Kind, ev.Data = KindTierChanged, d
	case contract.QualifioPointsEarned:
		d := &QualifioPointsEarned{}
		decodeData(w.Data, d)
		d.QualifioEnvelope = w.QualifioEnvelope
		pts(&d.QualifioPoints, KindPointsEarned, 1)
		ev.Data = d
	case contract.QualifioPointsBurned:
		d := &QualifioPointsBurned{}
		decodeData(w.Data, d)
		d.QualifioEnvelope = w.QualifioEnvelope
		pts(&d.QualifioPoints, KindPointsRedeemed, -1)
		ev.Data = d
	case contract.QualifioPointsCorrectedAdded:
		d := &QualifioPointsCorrectedAdded{}
		decodeData(w.Data, d)
		d.QualifioEnvelope = w.QualifioEnvelope
		pts(&d.QualifioPoints, KindPointsAdjusted, 1)
		ev.Data = d
	case contract.QualifioPointsCorrectedRemove:
		d := &QualifioPointsCorrectedRemoved{}
		decodeData(w.Data, d)
		d.QualifioEnvelope = w.QualifioEnvelope
		pts(&d.QualifioPoints, KindPointsAdjusted, -1)
		ev.Data = d
	case contract.QualifioGiftGiven:
		d := &QualifioGiftGiven{}
		decodeData(w.Data, d)
		d.QualifioEnvelope = w.QualifioEnvelope
		ev.Data = d
	default:
		ev.Data = w.Data
	}
	return ev
}

// decodeData decodes a Qualifio data object into the typed event. The
// envelope is set after it by the caller, so a stray "id" in data cannot
// overwrite it. data is already valid JSON, so the only possible errors are
// type mismatches, which leave fields at zero by design.
func decodeData(data json.RawMessage, v any) {
	if len(data) > 0 {
		_ = decode(data, v)
	}
}
