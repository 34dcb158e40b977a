package qualifiofake

import (
	"crypto/subtle"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// eventJSON is a standard event.
type eventJSON struct {
	ID     string `json:"id"`
	Type   string `json:"type"`
	Member *struct {
		Email      string `json:"email"`
		CustomerID string `json:"customerId"`
	} `json:"member"`
	Timestamp string             `json:"timestamp"`
	Tags      map[string]string  `json:"tags"`
	Counters  map[string]float64 `json:"counters"`
	Purchase  *struct {
		OrderID  string   `json:"orderId"`
		Amount   *float64 `json:"amount"`
		Currency string   `json:"currency"`
	} `json:"purchase"`
}

func (e *eventJSON) validate() error {
	switch {
	case e.ID == "":
		return errors.New("id is required")
	case e.Type == "":
		return errors.New("type is required")
	case e.Timestamp == "":
		return errors.New("timestamp is required")
	case e.Member == nil || (e.Member.Email == "" && e.Member.CustomerID == ""):
		return errors.New("member needs an email or a customerId")
	}
	if _, err := time.Parse(time.RFC3339, e.Timestamp); err != nil {
		return errors.New("timestamp must be RFC 3339")
	}
	purchase := e.Type == contract.QualifioEventPurchase
	switch {
	case purchase && e.Purchase == nil:
		return errors.New("purchase is required for " + contract.QualifioEventPurchase)
	case !purchase && e.Purchase != nil:
		return errors.New("purchase is only allowed on " + contract.QualifioEventPurchase)
	case purchase && (e.Purchase.OrderID == "" || e.Purchase.Amount == nil || len(e.Purchase.Currency) != 3):
		return errors.New("purchase needs orderId, amount and a 3-letter currency")
	case purchase && (*e.Purchase.Amount < 0 || math.IsInf(*e.Purchase.Amount, 0)):
		return errors.New("purchase.amount must not be negative")
	case purchase && *e.Purchase.Amount > MaxAmount:
		return errUnprocessable
	}
	return nil
}

// MaxAmount bounds a purchase amount and a member's balance (decided):
// beyond it float64 points stop being exact, and past it lies +Inf, which
// no webhook can encode.
const MaxAmount = 1e15

// errUnprocessable is a well-formed event the fake refuses with 422.
var errUnprocessable = errors.New("purchase.amount or the resulting balance is beyond " + strconv.FormatFloat(MaxAmount, 'g', -1, 64))

// fits reports whether adding amount keeps a balance exact and finite.
func fits(balance, amount float64) bool {
	return !math.IsNaN(amount) && !math.IsInf(amount, 0) && amount <= MaxAmount && balance+amount <= MaxAmount
}

type receipt struct {
	ID string `json:"id"`
}

// postEvent accepts a standard event once per id and runs the earning rule.
// The real platform earns after the 202; the fake earns before answering so
// that tests see the result without polling.
func (f *Fake) postEvent(w http.ResponseWriter, r *http.Request) {
	var e eventJSON
	if !f.readJSON(w, r, &e) {
		return
	}
	if err := e.validate(); err != nil {
		status := http.StatusBadRequest
		if errors.Is(err, errUnprocessable) {
			status = http.StatusUnprocessableEntity
		}
		WriteError(w, status, err.Error())
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if !f.seenEvents[e.ID] {
		if !f.earn(&e) {
			WriteError(w, http.StatusUnprocessableEntity, errUnprocessable.Error())
			return
		}
		f.seenEvents[e.ID] = true
	}
	fakekit.WriteJSON(w, contract.QualifioStatusEventAccepted, receipt{ID: e.ID})
}

// earn credits the event's member per the earning rule; an unknown member
// drops the event (decided). It reports false, changing nothing, when the
// points would take the balance beyond MaxAmount. Callers hold f.mu.
func (f *Fake) earn(e *eventJSON) bool {
	var id string
	if e.Member.Email != "" {
		id = f.byEmail[strings.ToLower(e.Member.Email)]
	}
	if id == "" && e.Member.CustomerID != "" {
		id = f.byCustomer[e.Member.CustomerID]
	}
	m := f.members[id]
	if m == nil {
		return true
	}
	amount := f.rule.PerEvent
	if e.Purchase != nil {
		amount = f.rule.PerCurrencyUnit * *e.Purchase.Amount
	}
	if amount <= 0 {
		return true
	}
	if !fits(m.balance, amount) || !fits(m.lifetime, amount) {
		return false
	}
	m.balance += amount
	m.lifetime += amount
	data := f.ledgerData(m, amount)
	if f.rule.ID != "" {
		data["ruleId"] = f.rule.ID
	}
	f.emit(contract.QualifioPointsEarned, m, data)
	return true
}

// postMapped accepts any JSON for a known integration, authenticated the
// integration's way.
func (f *Fake) postMapped(w http.ResponseWriter, r *http.Request) {
	id, _ := fakekit.PathID(r, prefixMapped)
	f.mu.Lock()
	integ, ok := f.mapped[id]
	f.mu.Unlock()
	if !ok {
		WriteError(w, http.StatusNotFound, "unknown mapped-event integration")
		return
	}
	if err := fakekit.CheckJSONContentType(r); err != nil {
		WriteError(w, http.StatusUnsupportedMediaType, err.Error())
		return
	}
	body, err := io.ReadAll(io.LimitReader(r.Body, f.env.MaxBody+1))
	switch {
	case err != nil:
		WriteError(w, http.StatusBadRequest, "unreadable body")
		return
	case int64(len(body)) > f.env.MaxBody:
		WriteError(w, http.StatusRequestEntityTooLarge, fakekit.ErrTooLarge.Error())
		return
	}
	if !f.mappedAuthOK(r, integ, body) {
		WriteError(w, http.StatusUnauthorized, "wrong token or signature for this integration")
		return
	}
	if !json.Valid(body) {
		WriteError(w, http.StatusBadRequest, fakekit.ErrMalformed.Error())
		return
	}
	f.mu.Lock()
	f.received[id] = append(f.received[id], body)
	f.mu.Unlock()
	fakekit.WriteJSON(w, contract.QualifioStatusEventAccepted, receipt{ID: f.env.NewID()})
}

func (f *Fake) mappedAuthOK(r *http.Request, m MappedEvent, body []byte) bool {
	eq := func(a, b string) bool { return a != "" && subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }
	switch m.Auth {
	case AuthHeader:
		return eq(r.Header.Get(m.Name), m.Secret)
	case AuthQuery:
		return eq(r.URL.Query().Get(m.Name), m.Secret)
	case AuthHubSignature:
		want := contract.QualifioHubSHA256Prefix + contract.HMACSHA256Hex([]byte(m.Secret), body)
		if m.SHA1 {
			want = contract.QualifioHubSHA1Prefix + contract.HMACSHA1Hex([]byte(m.Secret), body)
		}
		return eq(r.Header.Get(contract.QualifioHubSignatureHeader), want)
	default:
		return f.tokenOK(r)
	}
}

// webhookEvent is one element of a webhook body.
type webhookEvent struct {
	ID        string         `json:"id"`
	Type      string         `json:"type"`
	ProgramID string         `json:"programId"`
	CreatedAt string         `json:"createdAt"`
	Member    webhookMember  `json:"member"`
	Data      map[string]any `json:"data"`
}

type webhookMember struct {
	ID         string `json:"id"`
	Email      string `json:"email,omitempty"`
	CustomerID string `json:"customerId,omitempty"`
}

// emit queues a webhook of one event about m. Callers hold f.mu, which keeps
// deliveries in the order of the changes.
func (f *Fake) emit(typ string, m *member, data map[string]any) {
	if f.hook.URL == "" {
		return
	}
	if data == nil {
		data = map[string]any{}
	}
	body, err := json.Marshal([]webhookEvent{{
		ID: f.env.NewID(), Type: typ, ProgramID: f.programID, CreatedAt: f.stamp(f.env.Now()),
		Member: webhookMember{ID: m.id, Email: m.email, CustomerID: m.customerID},
		Data:   data,
	}})
	if err != nil {
		// Recorded as a delivery that failed without an attempt, so that a
		// test sees it instead of a webhook that silently never came.
		f.env.Emit(fakekit.Delivery{Platform: fakekit.Qualifio, Topic: typ, URL: f.hook.URL, EncodeErr: err.Error()})
		return
	}
	h := http.Header{"Content-Type": {"application/json"}}
	if f.hook.HeaderName != "" {
		h.Set(f.hook.HeaderName, f.hook.HeaderValue)
	}
	if f.hook.Secret != "" {
		h.Set(contract.QualifioWebhookSignatureHeader, contract.QualifioWebhookSignature([]byte(f.hook.Secret), body))
	}
	f.env.Emit(fakekit.Delivery{Platform: fakekit.Qualifio, Topic: typ, URL: f.hook.URL, Header: h, Body: body})
}
