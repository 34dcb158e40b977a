package influenceiofake

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// Financial statuses the fake acts on (values from contract.InfluenceIOFinancialStatuses).
const (
	statusPaid              = "paid"
	statusRefunded          = "refunded"
	statusPartiallyRefunded = "partially_refunded"
)

// order is a recorded order; guarded by Fake.mu.
type order struct {
	id              string
	customerID      string
	email           string
	currency        string
	totalPrice      *fakekit.Float
	subtotalPrice   *fakekit.Float
	createdAt       string
	financialStatus string
	lineItems       []lineItem
	discountCodes   []discountCode
	pointsAwarded   bool
	pointsRefunded  bool
	awarded         int       // points the award credited
	awardedTo       *customer // who got them
	updatedAt       time.Time
}

type lineItem struct {
	ProductID string         `json:"productId"`
	VariantID string         `json:"variantId"`
	Title     string         `json:"title"`
	Quantity  int            `json:"quantity"`
	Price     *fakekit.Float `json:"price"`
}

type discountCode struct {
	Code   string         `json:"code"`
	Amount *fakekit.Float `json:"amount"`
	Type   string         `json:"type"`
}

// orderRequest is the body of POST /v1/orders and PATCH /v1/orders/{id};
// on PATCH every field is optional and `id` is ignored.
type orderRequest struct {
	ID              string          `json:"id"`
	CustomerID      *string         `json:"customerId"`
	Email           *string         `json:"email"`
	Currency        *string         `json:"currency"`
	TotalPrice      *fakekit.Float  `json:"totalPrice"`
	SubtotalPrice   *fakekit.Float  `json:"subtotalPrice"`
	CreatedAt       *string         `json:"createdAt"`
	FinancialStatus *string         `json:"financialStatus"`
	LineItems       *[]lineItem     `json:"lineItems"`
	DiscountCodes   *[]discountCode `json:"discountCodes"`
}

// validate checks the fields common to create and update.
func (req *orderRequest) validate() string {
	switch {
	case req.FinancialStatus != nil && !slices.Contains(contract.InfluenceIOFinancialStatuses, *req.FinancialStatus):
		return "financialStatus must be one of " + strings.Join(contract.InfluenceIOFinancialStatuses, ", ")
	case negative(req.TotalPrice) || negative(req.SubtotalPrice):
		return "prices must not be negative"
	}
	if req.CreatedAt != nil {
		if _, err := time.Parse(time.RFC3339Nano, *req.CreatedAt); err != nil {
			return "createdAt must be an RFC 3339 date-time"
		}
	}
	if req.LineItems != nil {
		for _, li := range *req.LineItems {
			if li.Quantity < 0 || negative(li.Price) {
				return "lineItems quantity and price must not be negative"
			}
		}
	}
	if req.DiscountCodes != nil {
		for _, d := range *req.DiscountCodes {
			if d.Code == "" {
				return "discountCodes need a code"
			}
			if d.Type != "" && d.Type != "fixed_amount" && d.Type != "percentage" && d.Type != "shipping" {
				return "discountCodes type must be fixed_amount, percentage or shipping"
			}
		}
	}
	return ""
}

func negative(v *fakekit.Float) bool { return v != nil && *v < 0 }

// apply copies the present fields onto o.
func (req *orderRequest) apply(o *order) {
	set(&o.customerID, req.CustomerID)
	set(&o.email, req.Email)
	set(&o.currency, req.Currency)
	set(&o.createdAt, req.CreatedAt)
	set(&o.financialStatus, req.FinancialStatus)
	if req.TotalPrice != nil {
		o.totalPrice = req.TotalPrice
	}
	if req.SubtotalPrice != nil {
		o.subtotalPrice = req.SubtotalPrice
	}
	if req.LineItems != nil {
		o.lineItems = append([]lineItem{}, *req.LineItems...)
	}
	if req.DiscountCodes != nil {
		o.discountCodes = append([]discountCode{}, *req.DiscountCodes...)
	}
}

// orderJSON is the Order object: the request fields as stored plus flags.
type orderJSON struct {
	ID              string         `json:"id"`
	CustomerID      string         `json:"customerId"`
	Email           string         `json:"email"`
	Currency        string         `json:"currency"`
	TotalPrice      *float64       `json:"totalPrice"`
	SubtotalPrice   *float64       `json:"subtotalPrice"`
	CreatedAt       string         `json:"createdAt"`
	FinancialStatus string         `json:"financialStatus"`
	LineItems       []lineItem     `json:"lineItems"`
	DiscountCodes   []discountCode `json:"discountCodes"`
	PointsAwarded   bool           `json:"pointsAwarded"`
	PointsRefunded  bool           `json:"pointsRefunded"`
	UpdatedAt       string         `json:"updatedAt"`
}

func (o *order) wire() map[string]*orderJSON {
	j := &orderJSON{
		ID: o.id, CustomerID: o.customerID, Email: o.email, Currency: o.currency,
		TotalPrice: fakekit.FloatPtr(o.totalPrice), SubtotalPrice: fakekit.FloatPtr(o.subtotalPrice), CreatedAt: o.createdAt,
		FinancialStatus: o.financialStatus,
		// The stored items encode as they are (fakekit.Float is a float64);
		// the non-nil copies keep [] for none.
		LineItems: append([]lineItem{}, o.lineItems...), DiscountCodes: append([]discountCode{}, o.discountCodes...),
		PointsAwarded: o.pointsAwarded, PointsRefunded: o.pointsRefunded, UpdatedAt: fakekit.FormatTime(o.updatedAt),
	}
	return map[string]*orderJSON{"order": j}
}

// createOrder serves POST /v1/orders: 201, or 409 for an id already seen
// (so an order never counts twice). A paid order earns points at once; any
// order may complete a pending referral.
func (f *Fake) createOrder(w http.ResponseWriter, r *http.Request, _ string) {
	var req orderRequest
	if !f.readBody(w, r, &req) {
		return
	}
	if req.ID == "" {
		invalid(w, "id is required")
		return
	}
	if deref(req.CustomerID) == "" && deref(req.Email) == "" {
		invalid(w, "customerId or email is required")
		return
	}
	if msg := req.validate(); msg != "" {
		invalid(w, msg)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.orders[req.ID] != nil {
		writeError(w, http.StatusConflict, "Order already exists")
		return
	}
	o := &order{id: req.ID, updatedAt: f.env.Now()}
	req.apply(o)
	if !f.canSettle(o) {
		writeError(w, http.StatusUnprocessableEntity, errBeyondRange)
		return
	}
	f.orders[o.id] = o
	f.settle(o)
	f.completeReferrals(o)
	fakekit.WriteJSON(w, contract.InfluenceIOStatusOrderCreated, o.wire())
}

// patchOrder serves PATCH /v1/orders/{id}: present fields replace stored
// ones; then the status decides the points (see settle).
func (f *Fake) patchOrder(w http.ResponseWriter, r *http.Request, id string) {
	var req orderRequest
	if !f.readValid(w, r, &req) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	o := f.orders[id]
	if o == nil {
		writeError(w, http.StatusNotFound, "Order not found")
		return
	}
	if req.CustomerID != nil && *req.CustomerID == "" && deref(req.Email) == "" && o.email == "" {
		invalid(w, "customerId or email is required")
		return
	}
	n := *o
	req.apply(&n)
	if !f.canSettle(&n) {
		writeError(w, http.StatusUnprocessableEntity, errBeyondRange)
		return
	}
	*o = n
	o.updatedAt = f.env.Now()
	f.settle(o)
	fakekit.WriteJSON(w, http.StatusOK, o.wire())
}

// settle moves points for o's status: paid awards floor(totalPrice ×
// EarnRate) once, to the customer matched by customerId or else email;
// refunded and partially_refunded take the awarded points back once (the
// balance stops at zero: points already spent are not clawed back).
//
// partially_refunded reverses in full, like refunded (decided). The vendor only
// says a refund deducts "according to the financial-status settings" of the
// account, and neither the order body nor the status says how much was
// refunded, so a proportional reversal has nothing to go by. The fake models
// settings that deduct the order's points on either refund status; a later
// refunded after partially_refunded takes nothing more, and the order never
// earns again. Callers hold f.mu.
func (f *Fake) settle(o *order) {
	switch o.financialStatus {
	case statusPaid:
		if o.pointsAwarded {
			return
		}
		c := f.orderCustomer(o)
		if c == nil || c.removed {
			return // stored; it earns when a later PATCH finds the customer enrolled
		}
		o.pointsAwarded, o.awardedTo = true, c
		o.awarded, _ = f.orderPoints(o) // canSettle checked the bound
		if o.awarded > 0 {
			f.earn(c, o.awarded, "Placed an order", contract.InfluenceIOPointsTypeOrder, "", true)
		}
	case statusRefunded, statusPartiallyRefunded:
		if !o.pointsAwarded || o.pointsRefunded {
			return
		}
		o.pointsRefunded = true
		if c := o.awardedTo; o.awarded > 0 {
			c.pointBalance = max(0, c.pointBalance-o.awarded)
			c.lifetimePoints = max(0, c.lifetimePoints-o.awarded)
			c.updatedAt = f.env.Now()
			f.emit(contract.InfluenceIOTopicCustomersUpdated, f.webhookCustomer(c))
			f.placeTier(c)
		}
	}
}

// errBeyondRange answers a change that would take a balance beyond
// fakekit.MaxExact (422, decided: refused rather than wrapped).
const errBeyondRange = "The change would take the point balance beyond 9007199254740991 (2^53-1)"

// orderCustomer is the customer a paid o earns for: by customerId, else by
// email; nil for none yet. Callers hold f.mu.
func (f *Fake) orderCustomer(o *order) *customer {
	c := f.customers[o.customerID]
	if c == nil && o.email != "" {
		c = f.customerByEmail(o.email)
	}
	return c
}

// orderPoints is what o earns: floor(totalPrice × EarnRate), totalPrice
// being major units of the order's currency (fakekit.EarnedPoints, the rule
// the Yotpo fake follows too); ok is false when that is beyond
// fakekit.MaxExact.
func (f *Fake) orderPoints(o *order) (points int, ok bool) {
	if o.totalPrice == nil {
		return 0, true
	}
	p, ok := fakekit.EarnedPoints(fakekit.Decimal(float64(*o.totalPrice)), f.earnRate())
	return int(p), ok
}

// canSettle reports whether settle(o) keeps its customer's balance and
// lifetime points within ±fakekit.MaxExact; createOrder and patchOrder
// check it before changing anything. Callers hold f.mu.
func (f *Fake) canSettle(o *order) bool {
	if o.financialStatus != statusPaid || o.pointsAwarded {
		return true // refunds only take points back
	}
	c := f.orderCustomer(o)
	if c == nil || c.removed {
		return true
	}
	points, ok := f.orderPoints(o)
	if !ok {
		return false
	}
	_, okBal := fakekit.Add(c.pointBalance, points)
	_, okLife := fakekit.Add(c.lifetimePoints, points)
	return okBal && okLife
}

func (f *Fake) earnRate() float64 {
	if f.cfg.EarnRate == 0 {
		return 1
	}
	return f.cfg.EarnRate
}

// product is a stored product; guarded by Fake.mu.
type product struct {
	ID          string    `json:"id"`
	Title       string    `json:"title"`
	URL         string    `json:"url"`
	ImageURL    string    `json:"imageUrl"`
	Price       *float64  `json:"price"`
	Collections []string  `json:"collections"`
	Variants    []variant `json:"variants"`
	CreatedAt   string    `json:"createdAt"`
	UpdatedAt   string    `json:"updatedAt"`
}

type variant struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Price *float64 `json:"price"`
	SKU   string   `json:"sku"`
}

// productRequest is the body of PUT /v1/products/{id}.
type productRequest struct {
	Title       *string           `json:"title"`
	URL         *string           `json:"url"`
	ImageURL    *string           `json:"imageUrl"`
	Price       *fakekit.Float    `json:"price"`
	Collections *[]string         `json:"collections"`
	Variants    *[]variantRequest `json:"variants"`
}

// putProduct serves PUT /v1/products/{id}: create or update; absent fields
// stay, and `variants` replaces the whole list when present.
func (f *Fake) putProduct(w http.ResponseWriter, r *http.Request, id string) {
	var req productRequest
	if !f.readBody(w, r, &req) {
		return
	}
	if negative(req.Price) {
		invalid(w, "price must not be negative")
		return
	}
	var variants []variant
	if req.Variants != nil {
		var msg string
		if variants, msg = checkVariants(*req.Variants); msg != "" {
			invalid(w, msg)
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	now := fakekit.FormatTime(f.env.Now())
	p := f.products[id]
	if p == nil {
		p = &product{ID: id, CreatedAt: now, Collections: []string{}, Variants: []variant{}}
		f.products[id] = p
	}
	set(&p.Title, req.Title)
	set(&p.URL, req.URL)
	set(&p.ImageURL, req.ImageURL)
	if req.Price != nil {
		p.Price = fakekit.FloatPtr(req.Price)
	}
	if req.Collections != nil {
		p.Collections = append([]string{}, *req.Collections...)
	}
	if variants != nil {
		p.Variants = variants
	}
	p.UpdatedAt = now
	cp := *p
	fakekit.WriteJSON(w, http.StatusOK, map[string]product{"product": cp})
}
