package yotpofake

import (
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// redemption is one redeemed reward; guarded by Fake.mu.
type redemption struct {
	id         int64
	customer   *customer
	option     RedemptionOption
	rewardText string
	token      string // Yotpo's token of the redemption
	points     int64  // the cost: the option's amount, or points_to_redeem of a variable reward
	delayed    bool   // points are deducted when an order uses rewardText
	cancelled  bool   // the store cancelled the coupon (cancellation_completed)
	approvedAt *time.Time
	createdAt  time.Time
	updatedAt  time.Time
}

// redemptionJSON is the redemption object of webhooks; the answer of POST
// /redemptions adds code, token and the third-party ids (documented:
// https://loyaltyapi.yotpo.com/reference/create-redemption). The fake's
// code is the coupon (reward_text) and it has no store platform, so the
// third-party ids are absent (decided); every redemption is made through the
// API, not by an admin, at a POS or at checkout.
type redemptionJSON struct {
	ID               int64   `json:"id"`
	RewardText       string  `json:"reward_text"`
	Approved         bool    `json:"approved"`
	ApprovedAt       *string `json:"approved_at"`
	CreatedAt        string  `json:"created_at"`
	UpdatedAt        string  `json:"updated_at"`
	IsAdmin          bool    `json:"is_admin"`
	IsPOS            bool    `json:"is_pos"`
	AtCheckout       bool    `json:"at_checkout"`
	Code             *string `json:"code,omitempty"`
	Token            *string `json:"token,omitempty"`
	ThirdPartyID     *string `json:"third_party_id,omitempty"`
	ThirdPartyRuleID *string `json:"third_party_rule_id,omitempty"`
}

func (rd *redemption) wire(webhook bool) *redemptionJSON {
	j := &redemptionJSON{
		ID: rd.id, RewardText: rd.rewardText, Approved: rd.approvedAt != nil, ApprovedAt: fakekit.TimePtr(rd.approvedAt),
		CreatedAt: fakekit.FormatTime(rd.createdAt), UpdatedAt: fakekit.FormatTime(rd.updatedAt),
	}
	if !webhook {
		j.Code, j.Token = &rd.rewardText, &rd.token
	}
	return j
}

// optionJSON is the redemption option object.
type optionJSON struct {
	ID                    int64   `json:"id"`
	Name                  string  `json:"name"`
	Description           string  `json:"description"`
	Icon                  string  `json:"icon"`
	CostText              string  `json:"cost_text"`
	Amount                int64   `json:"amount"`
	AppliesToProductType  string  `json:"applies_to_product_type"`
	Duration              string  `json:"duration"`
	Type                  string  `json:"type"`
	DiscountType          string  `json:"discount_type"`
	DiscountAmountCents   int64   `json:"discount_amount_cents"`
	DiscountRateCents     int64   `json:"discount_rate_cents"`
	DiscountValueCents    int64   `json:"discount_value_cents"`
	DiscountPercentage    float64 `json:"discount_percentage"`
	UnrenderedName        string  `json:"unrendered_name"`
	UnrenderedDescription string  `json:"unrendered_description"`
	CartGreaterThan       *int64  `json:"cart_greater_than"`
	DiscountWithCurrency  string  `json:"discount_with_currency"`
}

func optionWire(o RedemptionOption) *optionJSON {
	cost := o.CostText
	if cost == "" {
		cost = strconv.FormatInt(o.Amount, 10) + " points"
	}
	return &optionJSON{
		ID: o.ID, Name: o.Name, Description: o.Description, Icon: o.Icon, CostText: cost, Amount: o.Amount,
		AppliesToProductType: o.AppliesToProduct, Duration: o.Duration, Type: o.Type, DiscountType: o.DiscountType,
		DiscountAmountCents: o.DiscountAmountCents, DiscountValueCents: o.DiscountAmountCents,
		DiscountPercentage: o.DiscountPercentage, UnrenderedName: o.Name, UnrenderedDescription: o.Description,
		CartGreaterThan: o.CartGreaterThan,
	}
}

// redemptionRequest is the body of POST /redemptions.
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
	PointsToRedeem       *fakekit.Int `json:"points_to_redeem"`
}

// postRedemption serves POST /redemptions: checks the balance covers the
// cost (also when the deduction is delayed), deducts it unless
// delay_points_deduction is set, and returns the redemption whose
// reward_text is the coupon: the caller's coupon_code when given, else the
// next unused code uploaded for the option (422 when every uploaded code is
// out, decided), else a generated one.
//
// The cost is the option's amount; a variable reward (discount_type
// "variable") costs points_to_redeem, which it requires and which must be
// at least the amount (decided). points_to_redeem on another option is 422
// (decided).
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
	case req.PointsToRedeem != nil && (*req.PointsToRedeem <= 0 || *req.PointsToRedeem > fakekit.MaxExact):
		WriteError(w, http.StatusBadRequest, "points_to_redeem must be a positive integer")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, id)
	if c == nil {
		return
	}
	opt, ok := f.option(int64(*req.RedemptionOptionID))
	if !ok {
		WriteError(w, http.StatusNotFound, "Redemption option not found")
		return
	}
	cost := opt.Amount
	switch variable := opt.DiscountType == contract.YotpoDiscountVariable; {
	case variable && req.PointsToRedeem == nil:
		WriteError(w, http.StatusUnprocessableEntity, "points_to_redeem is required for a variable reward")
		return
	case variable && int64(*req.PointsToRedeem) < opt.Amount:
		WriteError(w, http.StatusUnprocessableEntity, "points_to_redeem is below the reward's minimum of "+strconv.FormatInt(opt.Amount, 10))
		return
	case variable:
		cost = int64(*req.PointsToRedeem)
	case req.PointsToRedeem != nil:
		WriteError(w, http.StatusUnprocessableEntity, "points_to_redeem applies to variable rewards only")
		return
	}
	if c.pointsBalance < cost {
		WriteError(w, http.StatusUnprocessableEntity, "Insufficient points for this redemption option")
		return
	}
	var uploaded *uploadedCode
	if req.CouponCode == "" {
		var out bool
		if uploaded, out = f.nextUploadedCode(opt.ID); out {
			WriteError(w, contract.YotpoStatusCodesExhausted, "No coupon codes left for this redemption option")
			return
		}
	}
	now := f.env.Now()
	rd := &redemption{
		id: f.nextID(), customer: c, option: opt, rewardText: req.CouponCode, token: f.env.NewID(), points: cost,
		delayed: req.DelayPointsDeduction, createdAt: now, updatedAt: now,
	}
	switch {
	case uploaded != nil:
		uploaded.used, uploaded.holder, uploaded.redemptionID = true, c, rd.id
		rd.rewardText = uploaded.code
	case rd.rewardText == "":
		rd.rewardText = couponCode(f.env.NewID())
	}
	f.redemptions = append(f.redemptions, rd)
	f.redemption[rd.id] = rd
	if rd.delayed {
		c.delayed = append(c.delayed, rd)
	}
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
		delta: -rd.points, reason: reasonRedemption,
		item: &historyItem{
			createdAt: now, completedAt: now, action: "Redeemed " + rd.option.Name,
			points: -rd.points, status: rd.rewardText,
		},
	})
}

// settleDelayedRedemption deducts a delayed redemption when c's order uses its
// coupon. With too few points left it stays pending (decided).
func (f *Fake) settleDelayedRedemption(c *customer, code string) {
	if code == "" {
		return
	}
	// Drop the ones settled or cancelled since, then settle the oldest
	// whose coupon the order used.
	c.delayed = slices.DeleteFunc(c.delayed, func(rd *redemption) bool { return rd.approvedAt != nil || rd.cancelled })
	for _, rd := range c.delayed {
		if strings.EqualFold(rd.rewardText, code) {
			if c.pointsBalance >= rd.points {
				f.deduct(rd)
			}
			return
		}
	}
}

func (f *Fake) option(id int64) (RedemptionOption, bool) { return f.options.Get(id) }

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
// `is_offline` and `discount_type` filter exactly.
func (f *Fake) listRedemptionOptions(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	var offline *bool
	if s := q.Get(contract.YotpoQueryOffline); s != "" {
		b, err := strconv.ParseBool(s)
		if err != nil {
			WriteError(w, http.StatusBadRequest, contract.YotpoQueryOffline+" must be true or false")
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
	for _, o := range f.options.Values() {
		if (c != nil && c.pointsBalance < o.Amount) || (offline != nil && o.Offline != *offline) ||
			(discountType != "" && o.DiscountType != discountType) {
			continue
		}
		out = append(out, optionWire(o))
	}
	writeJSON(w, out)
}

// redemptionRoute routes /redemptions/{id}/cancellation_completed, the one
// path with an id in it; nil for any other path.
func (f *Fake) redemptionRoute(rest string) map[string]http.HandlerFunc {
	id, okPrefix := strings.CutPrefix(rest, contract.YotpoPathRedemptions+"/")
	id, okSuffix := strings.CutSuffix(id, contract.YotpoPathRedemptionCancelled)
	if !okPrefix || !okSuffix || id == "" || strings.Contains(id, "/") {
		return nil
	}
	return map[string]http.HandlerFunc{http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
		f.postCancellationCompleted(w, r, id)
	}}
}

// postCancellationCompleted serves POST
// /redemptions/{id}/cancellation_completed: reward_text must be the
// redemption's coupon (422 otherwise, decided). Deducted points go back to
// the balance (not to points_earned) and a pending delayed redemption stops
// waiting for its order. A repeat is acknowledged and gives nothing back
// twice (decided).
func (f *Fake) postCancellationCompleted(w http.ResponseWriter, r *http.Request, rawID string) {
	var req struct {
		RewardText string `json:"reward_text"`
	}
	if !f.readBody(w, r, &req) {
		return
	}
	if req.RewardText == "" {
		WriteError(w, http.StatusBadRequest, "reward_text is required")
		return
	}
	id, err := strconv.ParseInt(rawID, 10, 64)
	f.mu.Lock()
	defer f.mu.Unlock()
	var rd *redemption
	if err == nil {
		rd = f.redemption[id]
	}
	switch {
	case rd == nil:
		WriteError(w, http.StatusNotFound, "Redemption not found")
		return
	case !strings.EqualFold(rd.rewardText, req.RewardText):
		WriteError(w, http.StatusUnprocessableEntity, "reward_text does not match the redemption's coupon")
		return
	case rd.cancelled:
		writeOK(w)
		return
	}
	if _, ok := fakekit.Add(rd.customer.pointsBalance, rd.points); rd.approvedAt != nil && !ok {
		WriteError(w, http.StatusUnprocessableEntity, errBeyondRange)
		return
	}
	now := f.env.Now()
	rd.cancelled, rd.updatedAt = true, now
	if rd.approvedAt != nil {
		f.apply(rd.customer, move{
			delta: rd.points, reason: reasonCancelled,
			item: &historyItem{createdAt: now, completedAt: now, action: reasonCancelled, points: rd.points, status: statusApproved},
		})
	}
	writeOK(w)
}

// reasonCancelled is the history text and points_changed_reason of a
// cancelled coupon's points coming back (decided).
const reasonCancelled = "Coupon cancelled"
