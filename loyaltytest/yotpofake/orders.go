package yotpofake

import (
	"fmt"
	"math/big"
	"math/bits"
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// order is a recorded order; guarded by Fake.mu.
type order struct {
	id             string
	customer       *customer
	currency       string
	status         string
	totalCents     int64
	counted        bool  // it counted: added to the spend stats and earned
	countedCents   int64 // what it added to total_spend_cents when it counted
	refundedCents  int64
	pendingCents   int64 // accepted refunds not yet applied (Config.AsyncRefunds)
	pointsAwarded  int64
	pointsReversed int64
}

// orderRequest is the body of POST /orders. Money fields take an
// integer or a numeric string.
type orderRequest struct {
	CustomerEmail       string         `json:"customer_email"`
	CustomerID          string         `json:"customer_id"`
	OrderID             string         `json:"order_id"`
	TotalAmountCents    *fakekit.Int   `json:"total_amount_cents"`
	CurrencyCode        string         `json:"currency_code"`
	Status              string         `json:"status"`
	CreatedAt           *string        `json:"created_at"`
	CouponCode          string         `json:"coupon_code"`
	IPAddress           string         `json:"ip_address"`
	UserAgent           string         `json:"user_agent"`
	DiscountAmountCents *fakekit.Int   `json:"discount_amount_cents"`
	ShippingAmountCents *fakekit.Int   `json:"shipping_amount_cents"`
	TaxAmountCents      *fakekit.Int   `json:"tax_amount_cents"`
	TotalRefundedCents  *fakekit.Int   `json:"total_refunded_cents"`
	CustomerTags        string         `json:"customer_tags"`
	Tags                string         `json:"tags"` // order tags, comma-separated (https://loyaltyapi.yotpo.com/reference/create-order)
	IgnoreIPUA          bool           `json:"ignore_ip_ua"`
	Items               []orderItem    `json:"items"`
	Customer            *orderCustomer `json:"customer"`
}

// negativeField names the first amount or quantity of the order that is
// negative, or is "" (decided: 422, as for the total).
func (req *orderRequest) negativeField() string {
	for _, f := range []struct {
		name string
		v    *fakekit.Int
	}{
		{"discount_amount_cents", req.DiscountAmountCents}, {"shipping_amount_cents", req.ShippingAmountCents},
		{"tax_amount_cents", req.TaxAmountCents}, {"total_refunded_cents", req.TotalRefundedCents},
	} {
		if f.v != nil && *f.v < 0 {
			return f.name
		}
	}
	for i, it := range req.Items {
		if it.PriceCents != nil && *it.PriceCents < 0 {
			return fmt.Sprintf("items[%d].price_cents", i)
		}
		if it.Quantity != nil && *it.Quantity < 0 {
			return fmt.Sprintf("items[%d].quantity", i)
		}
	}
	return ""
}

type orderItem struct {
	ID          string       `json:"id"`
	Name        string       `json:"name"`
	PriceCents  *fakekit.Int `json:"price_cents"`
	Quantity    *fakekit.Int `json:"quantity"`
	Vendor      string       `json:"vendor"`
	Type        string       `json:"type"`
	Collections string       `json:"collections"`
}

// orderCustomer is the order's customer object; its opt-in is opted_in
// (decided 2026-12-01: the vendor's parameter list, not its example's
// opt_in).
type orderCustomer struct {
	Tags       *string `json:"tags"`
	HasAccount *bool   `json:"has_account"`
	OptedIn    *bool   `json:"opted_in"`
	OptedInAt  *string `json:"opted_in_at"`
}

// countingStatuses are the order statuses that count towards campaigns
// (decided; an absent status counts, as in Yotpo's generic integration).
var countingStatuses = map[string]bool{"": true, "paid": true, "complete": true, "completed": true, "fulfilled": true}

// postOrder serves POST /orders. The status decides when the order counts:
// a counting order adds to the spend stats and earns on every seeded
// spend- or transaction-based campaign; any other status records the order
// without counting it. An unknown customer_email creates the customer.
//
// A repeated order_id never counts twice (decided from "awards nothing
// twice"): a repeat of an order that already counted, or a repeat with a
// status that does not count, is acknowledged and changes nothing. A repeat
// with a counting status of an order that has not counted yet (first sent
// "pending", then "paid") counts it once, for the customer it was first
// recorded for, with the repeat's total_amount_cents, currency_code and
// created_at.
func (f *Fake) postOrder(w http.ResponseWriter, r *http.Request) {
	var req orderRequest
	if !f.readBody(w, r, &req) {
		return
	}
	switch {
	case req.OrderID == "":
		WriteError(w, http.StatusBadRequest, "order_id is required")
		return
	case req.CustomerEmail == "" && req.CustomerID == "":
		WriteError(w, http.StatusBadRequest, "customer_email or customer_id is required")
		return
	case req.TotalAmountCents == nil || *req.TotalAmountCents < 0:
		WriteError(w, http.StatusBadRequest, "total_amount_cents is required and must not be negative")
		return
	case req.CustomerEmail != "" && !strings.Contains(req.CustomerEmail, "@"):
		WriteError(w, http.StatusUnprocessableEntity, "customer_email is invalid")
		return
	case req.negativeField() != "":
		WriteError(w, http.StatusUnprocessableEntity, req.negativeField()+" must not be negative")
		return
	}
	createdAt, err := parseOptionalTime(req.CreatedAt)
	var optedInAt *time.Time
	if err == nil && req.Customer != nil {
		optedInAt, err = parseOptionalTime(req.Customer.OptedInAt)
	}
	if err != nil {
		WriteError(w, http.StatusBadRequest, "created_at must be RFC 3339 or YYYY-MM-DD HH:MM:SS")
		return
	}

	counts := countingStatuses[strings.ToLower(req.Status)]

	f.mu.Lock()
	defer f.mu.Unlock()
	if o := f.orders[req.OrderID]; o != nil {
		if o.counted || !counts {
			writeOK(w)
			return
		}
		cur := o.currency
		if req.CurrencyCode != "" {
			cur = req.CurrencyCode
		}
		awards, ok := f.orderAwards(o.customer, int64(*req.TotalAmountCents), cur)
		if !ok {
			WriteError(w, http.StatusUnprocessableEntity, errBeyondRange)
			return
		}
		o.status, o.totalCents = req.Status, int64(*req.TotalAmountCents)
		if req.CurrencyCode != "" {
			o.currency = req.CurrencyCode
		}
		f.countOrder(o, createdAt, awards)
		f.updateTier(o.customer)
		writeOK(w)
		return
	}
	c := f.lookup(identifiers{id: req.CustomerID})
	if c == nil && req.CustomerEmail != "" {
		c = f.lookup(identifiers{email: req.CustomerEmail})
	}
	if c == nil && req.CustomerEmail == "" {
		WriteError(w, http.StatusNotFound, "Customer not found")
		return
	}
	var awards []award
	if counts {
		ok := true
		if c != nil {
			awards, ok = f.orderAwards(c, int64(*req.TotalAmountCents), req.CurrencyCode)
		} else {
			awards, ok = f.orderAwards(&customer{}, int64(*req.TotalAmountCents), req.CurrencyCode)
		}
		if !ok {
			WriteError(w, http.StatusUnprocessableEntity, errBeyondRange)
			return
		}
	}
	if c == nil {
		c = f.newCustomer(req.CustomerEmail)
		f.setIdentifiers(c, &req.CustomerID, nil, nil)
		f.emit(contract.YotpoTopicAccountCreated, c, nil)
	}
	now := f.env.Now()
	c.lastSeenAt, c.updatedAt = now, now
	if oc := req.Customer; oc != nil {
		setString(&c.tags, oc.Tags)
		if oc.HasAccount != nil {
			c.hasAccount = *oc.HasAccount
		}
		f.setOptIn(c, oc.OptedIn, optedInAt)
	}
	o := &order{id: req.OrderID, customer: c, currency: req.CurrencyCode, status: req.Status, totalCents: int64(*req.TotalAmountCents)}
	f.orders[o.id] = o
	if counts {
		f.countOrder(o, createdAt, awards)
	}
	// coupon_code may hold several codes, comma-separated
	// (https://loyaltyapi.yotpo.com/reference/create-order).
	for _, code := range strings.Split(req.CouponCode, ",") {
		f.settleDelayedRedemption(c, strings.TrimSpace(code))
	}
	f.updateTier(c)
	writeOK(w)
}

// errBeyondRange answers a change that would take a total or balance beyond
// fakekit.MaxExact (422, decided: refused rather than wrapped).
const errBeyondRange = "The change would take total_spend_cents or points beyond 9007199254740991 (2^53-1)"

// countOrder makes o count, once: it adds o's total to its customer's spend
// stats and earns awards (from orderAwards, which checked the bounds).
// createdAt nil means now. Callers hold f.mu.
func (f *Fake) countOrder(o *order, createdAt *time.Time, awards []award) {
	if o.counted {
		return
	}
	if createdAt == nil {
		now := f.env.Now()
		createdAt = &now
	}
	c := o.customer
	o.counted, o.countedCents = true, o.totalCents
	c.totalSpendCents += o.countedCents
	c.totalPurchases++
	c.lastPurchaseAt = createdAt
	c.updatedAt = f.env.Now()
	for _, a := range awards {
		c.completions[a.campaignID]++
		o.pointsAwarded += a.points
		f.apply(c, f.earning(c, a.campaignID, a.points, a.title, "", *createdAt))
	}
}

// award is the points one campaign gives for an order.
type award struct {
	campaignID int64
	title      string
	points     int64
}

// orderAwards is what an order of totalCents (minor units of currency)
// earns c on each live spend- and transaction-based campaign, scaled by c's
// tier multiplier: a spend-based campaign gives its reward_points per major
// unit of the currency (fakekit.EarnedPoints). ok is false
// when c's total_spend_cents, balance or points_earned would leave
// ±fakekit.MaxExact; the caller then refuses the order with 422 before
// changing anything. Callers hold f.mu.
func (f *Fake) orderAwards(c *customer, totalCents int64, currency string) (awards []award, ok bool) {
	if _, ok := fakekit.Add(c.totalSpendCents, totalCents); !ok {
		return nil, false
	}
	mult := f.multiplierFor(c)
	now := f.env.Now()
	bal, earned := c.pointsBalance, c.pointsEarned
	for _, cp := range f.earningCampaigns().perOrder {
		if cp.EndsAt != nil && !now.Before(*cp.EndsAt) {
			continue
		}
		var units *big.Rat
		switch cp.Type {
		case contract.YotpoCampaignSpendBased:
			units = fakekit.MajorUnits(totalCents, currency)
		case contract.YotpoCampaignTransactionBased:
			units = big.NewRat(1, 1)
		default:
			continue
		}
		points, inRange := fakekit.EarnedPoints(units, float64(cp.RewardPoints), mult)
		if !inRange {
			return nil, false
		}
		if points <= 0 {
			continue
		}
		var okBal, okEarned bool
		bal, okBal = fakekit.Add(bal, points)
		earned, okEarned = fakekit.Add(earned, points)
		if !okBal || !okEarned {
			return nil, false
		}
		awards = append(awards, award{campaignID: cp.ID, title: cp.Title, points: points})
	}
	return awards, true
}

// refundRequest is the body of POST /refunds.
type refundRequest struct {
	ID               string       `json:"id"`
	OrderID          string       `json:"order_id"`
	TotalAmountCents *fakekit.Int `json:"total_amount_cents"`
	Items            []refundItem `json:"items"`
	Currency         string       `json:"currency"`
}

// refundItem is a refunded line: the order item's id and a quantity, the
// whole shape Yotpo documents (https://loyaltyapi.yotpo.com/reference/create-refund).
// Other keys are ignored, as the platform ignores unknown fields.
type refundItem struct {
	ID       string       `json:"id"`
	Quantity *fakekit.Int `json:"quantity"`
}

// postRefund serves POST /refunds. It reverses the order's earned points in
// proportion to the amount refunded so far (the balance stops at zero: points
// already spent are not clawed back) and lowers total_spend_cents by the
// amount, which never exceeds what the order added to it. A refund id seen
// before is acknowledged and changes nothing. Refunds are applied at once,
// unless Config.AsyncRefunds: then, as on the platform, whose 200 "only
// acknowledges receipt" (https://loyaltyapi.yotpo.com/reference/create-refund),
// an accepted refund waits in PendingRefunds until ProcessRefunds. It is
// checked in full when accepted (pending refunds count against the order's
// total), so that processing it cannot fail.
//
// Refunding an order that never counted (recorded with a status such as
// "pending") is 422 (decided): the order added nothing to the spend stats
// and earned nothing, so any refund exceeds what it counted, as a refund
// above the order total does. Nothing changes, and the order may still
// count later.
func (f *Fake) postRefund(w http.ResponseWriter, r *http.Request) {
	var req refundRequest
	if !f.readBody(w, r, &req) {
		return
	}
	switch {
	case req.OrderID == "":
		WriteError(w, http.StatusBadRequest, "order_id is required")
		return
	case req.TotalAmountCents == nil || *req.TotalAmountCents <= 0:
		WriteError(w, http.StatusBadRequest, "total_amount_cents is required and must be positive")
		return
	}
	for i, it := range req.Items {
		if it.ID == "" || it.Quantity == nil || *it.Quantity < 1 {
			WriteError(w, http.StatusBadRequest, fmt.Sprintf("items[%d] needs an id and a quantity of at least 1", i))
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if req.ID != "" && f.refundIDs[req.ID] {
		writeOK(w)
		return
	}
	o := f.orders[req.OrderID]
	switch {
	case o == nil:
		WriteError(w, http.StatusNotFound, "Order not found")
		return
	case req.Currency != "" && o.currency != "" && !strings.EqualFold(req.Currency, o.currency):
		WriteError(w, http.StatusUnprocessableEntity, "Refund currency does not match the order currency")
		return
	case !o.counted:
		WriteError(w, http.StatusUnprocessableEntity, "Order has not counted yet (status "+strconv.Quote(o.status)+"): nothing to refund")
		return
	case int64(*req.TotalAmountCents) > o.countedCents-o.refundedCents-o.pendingCents:
		WriteError(w, http.StatusUnprocessableEntity, "Refund exceeds the order total")
		return
	}
	if req.ID != "" {
		f.refundIDs[req.ID] = true
	}
	amount := int64(*req.TotalAmountCents)
	if f.cfg.AsyncRefunds {
		o.pendingCents += amount
		f.pending = append(f.pending, pendingRefund{id: req.ID, order: o, amountCents: amount, acceptedAt: f.env.Now()})
		writeOK(w)
		return
	}
	f.applyRefund(o, amount)
	writeOK(w)
}

// applyRefund refunds amount (checked) of o. Callers hold f.mu.
func (f *Fake) applyRefund(o *order, amount int64) {
	o.refundedCents += amount
	c := o.customer
	c.totalSpendCents = max(0, c.totalSpendCents-amount) // amount ≤ what o added: the clamp never bites
	c.updatedAt = f.env.Now()
	var reverse int64
	if o.countedCents > 0 {
		reverse = mulDiv(o.pointsAwarded, o.refundedCents, o.countedCents) - o.pointsReversed
	}
	if reverse > 0 {
		o.pointsReversed += reverse
		now := f.env.Now()
		f.apply(c, move{
			delta: -min(reverse, c.pointsBalance), earned: -reverse, reason: reasonRefund,
			item: &historyItem{createdAt: now, completedAt: now, action: reasonRefund, points: -reverse, status: statusReversed},
		})
	}
	f.updateTier(c)
}

// pendingRefund is a refund accepted and not yet applied
// (Config.AsyncRefunds); guarded by Fake.mu.
type pendingRefund struct {
	id          string
	order       *order
	amountCents int64
	acceptedAt  time.Time
}

// PendingRefund is a refund the platform acknowledged and has not applied
// yet (Config.AsyncRefunds).
type PendingRefund struct {
	ID          string    `json:"id,omitempty"` // the refund's id, when it was sent one
	OrderID     string    `json:"orderId"`
	AmountCents int64     `json:"amountCents"`
	AcceptedAt  time.Time `json:"acceptedAt"`
}

// PendingRefunds returns the refunds waiting for ProcessRefunds, oldest
// first; none unless Config.AsyncRefunds.
func (f *Fake) PendingRefunds() []PendingRefund {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]PendingRefund, 0, len(f.pending))
	for _, p := range f.pending {
		out = append(out, PendingRefund{ID: p.id, OrderID: p.order.id, AmountCents: p.amountCents, AcceptedAt: p.acceptedAt})
	}
	return out
}

// ProcessRefunds applies the pending refunds, oldest first, as the
// platform does some time after acknowledging them, and returns how many
// it applied.
func (f *Fake) ProcessRefunds() int {
	f.mu.Lock()
	defer f.mu.Unlock()
	n := len(f.pending)
	for _, p := range f.pending {
		p.order.pendingCents -= p.amountCents
		f.applyRefund(p.order, p.amountCents)
	}
	f.pending = nil
	return n
}

// mulDiv is a×b/c rounded down for 0 ≤ b ≤ c and a ≥ 0, without overflowing
// the product.
func mulDiv(a, b, c int64) int64 {
	hi, lo := bits.Mul64(uint64(a), uint64(b))
	q, _ := bits.Div64(hi, lo, uint64(c))
	return int64(q)
}
