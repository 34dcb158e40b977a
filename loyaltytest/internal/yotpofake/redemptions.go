package yotpofake

import (
	"net/http"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// redemption is one redeemed reward; guarded by Fake.mu.
type redemption struct {
	id         int
	customer   *customer
	option     RedemptionOption
	rewardText string
	delayed    bool // points are deducted when an order uses rewardText
	approvedAt *time.Time
	createdAt  time.Time
	updatedAt  time.Time
}

// redemptionJSON is the redemption object (§4.10 and the webhook's §5.3).
type redemptionJSON struct {
	ID         int     `json:"id"`
	RewardText string  `json:"reward_text"`
	Approved   bool    `json:"approved"`
	ApprovedAt *string `json:"approved_at"`
	CreatedAt  string  `json:"created_at"`
	UpdatedAt  string  `json:"updated_at"`
	IsAdmin    *bool   `json:"is_admin,omitempty"`
	IsPOS      *bool   `json:"is_pos,omitempty"`
	AtCheckout *bool   `json:"at_checkout,omitempty"`
}

func (rd *redemption) wire(webhook bool) *redemptionJSON {
	j := &redemptionJSON{
		ID: rd.id, RewardText: rd.rewardText, Approved: rd.approvedAt != nil, ApprovedAt: fakekit.TimePtr(rd.approvedAt),
		CreatedAt: fakekit.FormatTime(rd.createdAt), UpdatedAt: fakekit.FormatTime(rd.updatedAt),
	}
	if webhook {
		no := false
		j.IsAdmin, j.IsPOS, j.AtCheckout = &no, &no, &no
	}
	return j
}

// optionJSON is the redemption option object (§4.11).
type optionJSON struct {
	ID                    int     `json:"id"`
	Name                  string  `json:"name"`
	Description           string  `json:"description"`
	Icon                  string  `json:"icon"`
	CostText              string  `json:"cost_text"`
	Amount                int     `json:"amount"`
	AppliesToProductType  string  `json:"applies_to_product_type"`
	Duration              string  `json:"duration"`
	Type                  string  `json:"type"`
	DiscountType          string  `json:"discount_type"`
	DiscountAmountCents   int     `json:"discount_amount_cents"`
	DiscountRateCents     int     `json:"discount_rate_cents"`
	DiscountValueCents    int     `json:"discount_value_cents"`
	DiscountPercentage    float64 `json:"discount_percentage"`
	UnrenderedName        string  `json:"unrendered_name"`
	UnrenderedDescription string  `json:"unrendered_description"`
	CartGreaterThan       *int    `json:"cart_greater_than"`
	DiscountWithCurrency  string  `json:"discount_with_currency"`
}

func optionWire(o RedemptionOption) *optionJSON {
	cost := o.CostText
	if cost == "" {
		cost = strconv.Itoa(o.Amount) + " points"
	}
	return &optionJSON{
		ID: o.ID, Name: o.Name, Description: o.Description, Icon: o.Icon, CostText: cost, Amount: o.Amount,
		AppliesToProductType: o.AppliesToProduct, Duration: o.Duration, Type: o.Type, DiscountType: o.DiscountType,
		DiscountAmountCents: o.DiscountAmountCents, DiscountValueCents: o.DiscountAmountCents,
		DiscountPercentage: o.DiscountPercentage, UnrenderedName: o.Name, UnrenderedDescription: o.Description,
		CartGreaterThan: o.CartGreaterThan,
	}
}

// redemptionRequest is the body of POST /redemptions (§4.10).
type redemptionRequest struct {
	CustomerEmail        string       `json:"customer_email"`
	CustomerID           string       `json:"customer_id"`
	POSAccountID         string       `json:"pos_account_id"`
	PhoneNumber          string       `json:"phone_number"`
	RedemptionOptionID   *fakekit.Int `json:"redemption_option_id"`
	DelayPointsDeduction bool         `json:"delay_points_deduction"`
	Currency             string       `json:"currency"`
	CouponCode           string       `json:"coupon_code"`
	DiscountAmount       *float64     `json:"discount_amount"`
	DiscountAmountCents  *fakekit.Int `json:"discount_amount_cents"`
}

// postRedemption serves POST /redemptions: checks the balance covers the
// option's cost (also when the deduction is delayed), deducts it unless
// delay_points_deduction is set, and returns the redemption whose
// reward_text is the coupon (the caller's coupon_code when given).
func (f *Fake) postRedemption(w http.ResponseWriter, r *http.Request) {
	var req redemptionRequest
	if !f.readBody(w, r, &req) {
		return
	}
	id := identifiers{id: req.CustomerID, email: req.CustomerEmail, pos: req.POSAccountID, phone: req.PhoneNumber}
	switch {
	case !id.any():
		WriteError(w, http.StatusBadRequest, "one of customer_email, customer_id, pos_account_id or phone_number is required")
		return
	case req.RedemptionOptionID == nil:
		WriteError(w, http.StatusBadRequest, "redemption_option_id is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, id)
	if c == nil {
		return
	}
	opt, ok := f.option(int(*req.RedemptionOptionID))
	if !ok {
		WriteError(w, http.StatusNotFound, "Redemption option not found")
		return
	}
	if c.pointsBalance < opt.Amount {
		WriteError(w, http.StatusUnprocessableEntity, "Insufficient points for this redemption option")
		return
	}
	now := f.env.Now()
	rd := &redemption{
		id: f.nextID(), customer: c, option: opt, rewardText: req.CouponCode,
		delayed: req.DelayPointsDeduction, createdAt: now, updatedAt: now,
	}
	if rd.rewardText == "" {
		rd.rewardText = couponCode(f.env.NewID())
	}
	f.redemptions = append(f.redemptions, rd)
	c.perksRedeemed++
	c.lastSeenAt, c.updatedAt = now, now
	if !rd.delayed {
		f.deduct(rd)
	}
	f.emit(contract.YotpoTopicRedemptionCreated, c, map[string]any{
		"redemption": rd.wire(true), "redemption_option": optionWire(opt),
	})
	writeJSON(w, rd.wire(false))
}

// deduct takes the redemption's cost from the balance and approves it.
// Callers hold f.mu and have checked the balance.
func (f *Fake) deduct(rd *redemption) {
	now := f.env.Now()
	rd.approvedAt, rd.updatedAt = &now, now
	f.apply(rd.customer, move{
		delta: -rd.option.Amount, reason: reasonRedemption,
		item: &historyItem{
			createdAt: now, completedAt: now, action: "Redeemed " + rd.option.Name,
			points: -rd.option.Amount, status: rd.rewardText,
		},
	})
}

// settleDelayedRedemption deducts a delayed redemption when c's order uses its
// coupon. With too few points left it stays pending (decided).
func (f *Fake) settleDelayedRedemption(c *customer, code string) {
	if code == "" {
		return
	}
	for _, rd := range f.redemptions {
		if rd.customer == c && rd.delayed && rd.approvedAt == nil && strings.EqualFold(rd.rewardText, code) {
			if c.pointsBalance >= rd.option.Amount {
				f.deduct(rd)
			}
			return
		}
	}
}

func (f *Fake) option(id int) (RedemptionOption, bool) {
	for _, o := range f.options {
		if o.ID == id {
			return o, true
		}
	}
	return RedemptionOption{}, false
}

// couponCode derives a coupon from a fresh id.
func couponCode(id string) string {
	code := strings.ToUpper(strings.ReplaceAll(id, "-", ""))
	if len(code) > 12 {
		code = code[:12]
	}
	return "YL-" + code
}

// listRedemptionOptions serves GET /redemption_options. Naming a customer
// keeps the options they can afford now (404 for an unknown customer);
// `offline` and `discount_type` filter exactly.
func (f *Fake) listRedemptionOptions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var offline *bool
	if s := q.Get(contract.YotpoQueryOffline); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			WriteError(w, http.StatusBadRequest, "offline must be true or false")
			return
		}
		offline = &b
	}
	discountType := q.Get(contract.YotpoQueryDiscountType)
	f.mu.Lock()
	defer f.mu.Unlock()
	var c *customer
	if id := (identifiers{id: q.Get(contract.YotpoQueryCustomerID), email: q.Get(contract.YotpoQueryCustomerEmail), phone: q.Get(contract.YotpoQueryPhoneNumber)}); id.any() {
		if c = f.lookupOr404(w, id); c == nil {
			return
		}
	}
	out := []*optionJSON{}
	for _, o := range f.options {
		if (c != nil && c.pointsBalance < o.Amount) || (offline != nil && o.Offline != *offline) ||
			(discountType != "" && o.DiscountType != discountType) {
			continue
		}
		out = append(out, optionWire(o))
	}
	writeJSON(w, out)
}
