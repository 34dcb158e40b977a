package webhook

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
)

// Qualifio Loyalty webhook events (https://developers.qualifio.com/docs/loyalty/webhooks/). A
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
	Currency      string  `json:"currency"` // "points" (the default) unless the program has several; Event's points fields are set only for the default
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

// qualifioWire is one element of the body. Its data holds the fields of
// every known type, so that a body decodes in one pass; the raw object of an
// unknown type is read in a second pass, only when there is one.
type qualifioWire struct {
	QualifioEnvelope
	Data qualifioData `json:"data"`
}

type qualifioData struct {
	QualifioPoints
	Source   string         `json:"source"`
	RuleID   string         `json:"ruleId"`
	Reason   string         `json:"reason"`
	Reward   QualifioReward `json:"reward"`
	OldLevel *QualifioLevel `json:"oldLevel"`
	NewLevel *QualifioLevel `json:"newLevel"`
}

// ParseQualifio parses a Qualifio body, a JSON array of events, without
// verifying it; use Receiver.ConstructEvents on untrusted input. An empty
// array gives no events. An event without an id is malformed, since the id is
// what de-duplicates it. An unknown type gives an Event whose Data is the raw
// JSON of the whole event object (id, type, programId, createdAt, member and
// data), so that nothing the envelope carries is lost.
func ParseQualifio(body []byte) ([]Event, error) {
	if firstByte(body) != '[' {
		return nil, fmt.Errorf("webhook: qualifio: body is not a JSON array: %w", ErrMalformed)
	}
	// The wire events are scratch (qualifioEvent copies what it keeps), so
	// their slice is pooled. encoding/json fills a slice's spare capacity
	// before growing it, and growing copies every event decoded so far:
	// start from a guess of one event per 256 bytes, bounded.
	p := qualifioWirePool.Get().(*[]qualifioWire)
	defer putQualifioWire(p)
	if n := min(len(body)/256+1, qualifioWirePoolMax); cap(*p) < n {
		*p = make([]qualifioWire, 0, n)
	}
	if err := decode(body, p); err != nil {
		return nil, fmt.Errorf("webhook: qualifio: %w: %v", ErrMalformed, err)
	}
	wire := *p
	events := make([]Event, len(wire))
	pts := make([]float64, 2*len(wire)) // the points of every event, in one allocation
	unknown := false
	for i := range wire {
		w := &wire[i]
		if w.ID == "" {
			return nil, fmt.Errorf("webhook: qualifio: event %d has no id: %w", i, ErrMalformed)
		}
		events[i] = qualifioEvent(w, (*[2]float64)(pts[2*i:]))
		unknown = unknown || events[i].Data == nil
	}
	if unknown {
		var raw []json.RawMessage
		_ = decode(body, &raw) // decoded once already: the same length, no new error
		for i := range events {
			if events[i].Data == nil {
				events[i].Data = raw[i]
			}
		}
	}
	return events, nil
}

// qualifioWirePoolMax is the largest slice of wire events kept in
// qualifioWirePool, and the largest first guess of a body's events.
const qualifioWirePoolMax = 64

// qualifioWirePool holds the *[]qualifioWire of ParseQualifio, zeroed:
// encoding/json decodes into an element of the spare capacity as it finds
// it, so that a field absent from the body would otherwise keep the value
// of an earlier one.
var qualifioWirePool = sync.Pool{New: func() any { return new([]qualifioWire) }}

func putQualifioWire(p *[]qualifioWire) {
	if cap(*p) > qualifioWirePoolMax {
		return // a rare large batch: not worth keeping
	}
	clear((*p)[:cap(*p)]) // json may have written past the final length
	*p = (*p)[:0]
	qualifioWirePool.Put(p)
}

// qualifioEvent builds the Event of w, keeping its points delta and balance
// in pts; Data is nil for an unknown type.
func qualifioEvent(w *qualifioWire, pts *[2]float64) Event {
	ev := Event{
		Platform:      loyalty.Qualifio,
		ID:            w.ID,
		Topic:         w.Type,
		Kind:          KindOther,
		CustomerEmail: w.Member.Email,
		CustomerID:    w.Member.CustomerID,
		OccurredAt:    w.CreatedAt.Time,
	}
	env, d := w.QualifioEnvelope, &w.Data
	// setPoints records the points of a points event; sign gives the
	// direction. Another currency than points leaves them nil.
	setPoints := func(kind Kind, sign float64) {
		ev.Kind = kind
		if d.Currency != "" && d.Currency != contract.QualifioDefaultCurrency {
			return
		}
		pts[0], pts[1] = sign*d.Amount, d.Balance
		ev.PointsDelta, ev.PointsBalance = &pts[0], &pts[1]
	}
	switch w.Type {
	case contract.QualifioProfileCreated:
		ev.Kind = KindCustomerUpdated
		ev.Data = &QualifioProfileCreated{QualifioEnvelope: env, Source: d.Source}
	case contract.QualifioPortalVisited:
		ev.Data = &QualifioPortalVisited{QualifioEnvelope: env}
	case contract.QualifioLevelChanged:
		ev.Kind = KindTierChanged
		ev.Data = &QualifioLevelChanged{QualifioEnvelope: env, OldLevel: d.OldLevel, NewLevel: d.NewLevel}
	case contract.QualifioPointsEarned:
		setPoints(KindPointsEarned, 1)
		ev.Data = &QualifioPointsEarned{QualifioEnvelope: env, QualifioPoints: d.QualifioPoints, RuleID: d.RuleID}
	case contract.QualifioPointsBurned:
		setPoints(KindPointsRedeemed, -1)
		ev.Data = &QualifioPointsBurned{QualifioEnvelope: env, QualifioPoints: d.QualifioPoints, Reward: d.Reward}
	case contract.QualifioPointsCorrectedAdded:
		setPoints(KindPointsAdjusted, 1)
		ev.Data = &QualifioPointsCorrectedAdded{QualifioEnvelope: env, QualifioPoints: d.QualifioPoints, Reason: d.Reason}
	case contract.QualifioPointsCorrectedRemove:
		setPoints(KindPointsAdjusted, -1)
		ev.Data = &QualifioPointsCorrectedRemoved{QualifioEnvelope: env, QualifioPoints: d.QualifioPoints, Reason: d.Reason}
	case contract.QualifioGiftGiven:
		ev.Data = &QualifioGiftGiven{QualifioEnvelope: env, Reward: d.Reward}
	}
	return ev
}
