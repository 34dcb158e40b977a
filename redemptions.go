package loyalty

import (
	"context"
	"encoding/json"
	"iter"
	"net/http"
	"net/url"
	"strconv"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// RedemptionsService spends points on rewards: the redemption options on
// offer, redeeming one, and confirming a redemption's coupon was cancelled.
// Yotpo only (https://loyaltyapi.yotpo.com/reference/create-redemption).
type RedemptionsService service

// DiscountType is what a redemption option gives. The list is open: an
// unknown value is kept as it came.
type DiscountType string

// Known discount types (https://loyaltyapi.yotpo.com/reference/fetch-active-redemption-options).
const (
	DiscountFixedAmount DiscountType = "fixed_amount"
	DiscountPercentage  DiscountType = "percentage"
	// DiscountVariable rewards spend a chosen number of points
	// (RedeemInput.Points).
	DiscountVariable    DiscountType = "variable"
	DiscountFreeProduct DiscountType = "free_product"
	DiscountShipping    DiscountType = "shipping"
)

// RedemptionOption is a reward on offer. Money amounts carry no currency
// (Yotpo does not say; they are in the store's currency).
type RedemptionOption struct {
	ID          int64
	Name        string
	Description string
	Icon        string // a URL or a Font Awesome class
	CostText    string // e.g. "500 points"
	Points      int64  // the cost (amount); the minimum for a variable reward
	// Type is the coupon's kind on the store, e.g. "shopify_fixed_amount_coupon".
	Type                 string
	DiscountType         DiscountType
	DiscountAmount       Money // discount_amount_cents
	DiscountRate         Money // discount_rate_cents
	DiscountValue        Money // discount_value_cents
	DiscountPercentage   float64
	DiscountWithCurrency string // formatted, e.g. "$5"
	AppliesToProductType string
	Duration             string
	// CartGreaterThan is the minimum cart for the coupon, as Yotpo sends it;
	// nil when there is none.
	CartGreaterThan       *int64
	UnrenderedName        string
	UnrenderedDescription string
	Raw                   json.RawMessage
}

type redemptionOptionJSON struct {
	ID                    wireInt     `json:"id" wire:"required"`
	Name                  string      `json:"name"`
	Description           string      `json:"description"`
	Icon                  string      `json:"icon"`
	CostText              string      `json:"cost_text"`
	Amount                wireInt     `json:"amount"`
	Type                  string      `json:"type"`
	DiscountType          string      `json:"discount_type"`
	DiscountAmountCents   wireInt     `json:"discount_amount_cents"`
	DiscountRateCents     wireInt     `json:"discount_rate_cents"`
	DiscountValueCents    wireInt     `json:"discount_value_cents"`
	DiscountPercentage    float64     `json:"discount_percentage"`
	DiscountWithCurrency  string      `json:"discount_with_currency"`
	AppliesToProductType  string      `json:"applies_to_product_type"`
	Duration              string      `json:"duration"`
	CartGreaterThan       optionalInt `json:"cart_greater_than"`
	UnrenderedName        string      `json:"unrendered_name"`
	UnrenderedDescription string      `json:"unrendered_description"`
}

func (w *redemptionOptionJSON) option(raw json.RawMessage) *RedemptionOption {
	return &RedemptionOption{
		ID: int64(w.ID), Name: w.Name, Description: w.Description, Icon: w.Icon, CostText: w.CostText,
		Points: int64(w.Amount), Type: w.Type, DiscountType: DiscountType(w.DiscountType),
		// Yotpo does not say the currency of an option: the store's ("").
		DiscountAmount: moneyFromYotpoCents(w.DiscountAmountCents, ""), DiscountRate: moneyFromYotpoCents(w.DiscountRateCents, ""),
		DiscountValue: moneyFromYotpoCents(w.DiscountValueCents, ""), DiscountPercentage: w.DiscountPercentage,
		DiscountWithCurrency: w.DiscountWithCurrency, AppliesToProductType: w.AppliesToProductType,
		Duration: w.Duration, CartGreaterThan: w.CartGreaterThan.ptr(),
		UnrenderedName: w.UnrenderedName, UnrenderedDescription: w.UnrenderedDescription, Raw: raw,
	}
}

// RedemptionOptionFilter filters Options. The zero value lists every
// active option.
type RedemptionOptionFilter struct {
	// Eligible, when set, keeps the options this customer qualifies for.
	// Yotpo takes an e-mail, your customer id or a full E.164 phone here
	// (ByEmail, ByID, ByPhone with no country), not a POS account.
	Eligible *CustomerRef
	// Offline, when set, keeps the options offered offline (true) or online
	// (false): is_offline.
	Offline *bool
	// DiscountType, when set, keeps the options of that type.
	DiscountType DiscountType
}

// Options lists the active redemption options (GET /redemption_options),
// in Yotpo's order. Yotpo answers the list whole; the iterator fetches it
// on the first step.
func (s *RedemptionsService) Options(ctx context.Context, opts *RedemptionOptionFilter, callOpts ...CallOption) iter.Seq2[*RedemptionOption, error] {
	const op = "Redemptions.Options"
	q := url.Values{}
	err := s.client.yotpoOnly(op)
	if err == nil && opts != nil {
		if opts.Eligible != nil {
			var ref yotpoCustomerRefBody
			ref, err = yotpoRef(op, "Eligible", *opts.Eligible, refEmail|refID|refPhone)
			q = ref.query()
		}
		if opts.Offline != nil {
			q.Set(contract.YotpoQueryOffline, strconv.FormatBool(*opts.Offline))
		}
		if opts.DiscountType != "" {
			q.Set(contract.YotpoQueryDiscountType, string(opts.DiscountType))
		}
	}
	if err != nil {
		return failed[*RedemptionOption](err)
	}
	return yotpoList(ctx, s.client, op, contract.YotpoPathRedemptionOptions, q, nil, (*redemptionOptionJSON).option, callOpts)
}

// RedeemInput is one redemption.
type RedeemInput struct {
	// Customer redeems: by e-mail, your id, POS account or E.164 phone (a
	// national number with a country is refused: Yotpo matches the phone
	// exactly).
	Customer CustomerRef
	// OptionID is the redemption option (RedemptionOption.ID); required.
	OptionID int64
	// DelayDeduction deducts the points only when an order arrives whose
	// coupon code is the returned Redemption.CouponCode
	// (delay_points_deduction); otherwise they are deducted now.
	DelayDeduction bool
	// Points is how many points to spend on a variable reward
	// (points_to_redeem); zero leaves it to the option.
	Points int64
	// Currency is the ISO 4217 code; required by Yotpo on multi-currency
	// stores.
	Currency string
	// CouponCode and Discount describe a generic coupon on a custom
	// platform: its code and, for a variable or fixed-amount coupon, its
	// amount (discount_amount_cents). See
	// https://support.yotpo.com/docs/implementing-redemptions-via-api.
	CouponCode string
	Discount   *Money
}

// Redemption is a redeemed reward. CouponCode is what the checkout must
// honour. When Yotpo answered success with a body the SDK cannot read, the
// redemption was made but every field is zero (CouponCode too): find the
// code in the customer's history (Customers.Get WithHistory) rather than
// redeeming again.
type Redemption struct {
	ID         int64
	CouponCode string // reward_text
	Approved   bool
	ApprovedAt time.Time // zero until the points are deducted
	CreatedAt  time.Time
	UpdatedAt  time.Time
	// Code is the generated redemption code Yotpo reports beside
	// reward_text (code), "" when none; the coupon to honour is CouponCode.
	Code string
	// Token is Yotpo's token of the redemption.
	Token string
	// ThirdPartyID and ThirdPartyRuleID are the ids Yotpo reports for the
	// generated coupon and its rule on your store's platform (for example
	// a discount code and its price rule), "" when none.
	ThirdPartyID     string
	ThirdPartyRuleID string
	// IsAdmin, IsPOS and AtCheckout say where the redemption was made: by
	// an admin, at a point of sale, at checkout.
	IsAdmin    bool
	IsPOS      bool
	AtCheckout bool
	Raw        json.RawMessage
}

// redemptionJSON is the answer of POST /redemptions
// (https://loyaltyapi.yotpo.com/reference/create-redemption).
type redemptionJSON struct {
	ID               wireInt   `json:"id" wire:"required"`
	RewardText       wireText  `json:"reward_text"`
	Approved         wireBool  `json:"approved"`
	ApprovedAt       yotpoTime `json:"approved_at"`
	CreatedAt        yotpoTime `json:"created_at"`
	UpdatedAt        yotpoTime `json:"updated_at"`
	Code             wireText  `json:"code"`
	Token            wireText  `json:"token"`
	ThirdPartyID     wireText  `json:"third_party_id"`
	ThirdPartyRuleID wireText  `json:"third_party_rule_id"`
	IsAdmin          wireBool  `json:"is_admin"`
	IsPOS            wireBool  `json:"is_pos"`
	AtCheckout       wireBool  `json:"at_checkout"`
}

type redeemRequest struct {
	yotpoCustomerRefBody
	RedemptionOptionID   int64  `json:"redemption_option_id"`
	DelayPointsDeduction bool   `json:"delay_points_deduction,omitempty"`
	PointsToRedeem       int64  `json:"points_to_redeem,omitempty"`
	Currency             string `json:"currency,omitempty"`
	CouponCode           string `json:"coupon_code,omitempty"`
	DiscountAmountCents  *int64 `json:"discount_amount_cents,omitempty"`
}

// Redeem spends the customer's points on a reward (POST /redemptions) and
// returns the redemption with its coupon code. Yotpo checks the balance
// (422 ErrInvalid when it is short, also with DelayDeduction).
//
// Yotpo does not de-duplicate redemptions: sending the same input twice
// redeems twice. Redeem is therefore never retried after the request may
// have been sent; on an error matching ErrMaybeApplied, look at the
// customer's history before redeeming again.
func (s *RedemptionsService) Redeem(ctx context.Context, in RedeemInput, callOpts ...CallOption) (*Redemption, *Response, error) {
	const op = "Redemptions.Redeem"
	if err := s.client.yotpoOnly(op); err != nil {
		return nil, nil, err
	}
	body, err := in.wire(op)
	if err != nil {
		return nil, nil, err
	}
	req, err := s.client.request(op, Yotpo, http.MethodPost, contract.YotpoPathRedemptions, body)
	if err != nil {
		return nil, nil, err
	}
	var raw json.RawMessage
	resp, err := s.client.writeAnswer(ctx, req, &raw, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	// The points are spent: an answer that does not decode is not an error
	// (the caller would redeem again); the fields it lacks stay zero.
	var w redemptionJSON
	_ = decodeTolerant(resp, atTop, raw, &w)
	return &Redemption{
		ID: int64(w.ID), CouponCode: string(w.RewardText), Approved: bool(w.Approved), ApprovedAt: w.ApprovedAt.Time,
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time, Code: string(w.Code), Token: string(w.Token),
		ThirdPartyID: string(w.ThirdPartyID), ThirdPartyRuleID: string(w.ThirdPartyRuleID),
		IsAdmin: bool(w.IsAdmin), IsPOS: bool(w.IsPOS), AtCheckout: bool(w.AtCheckout), Raw: raw,
	}, resp, nil
}

func (in RedeemInput) wire(op string) (*redeemRequest, error) {
	// Yotpo matches the phone exactly: E.164 only.
	ref, err := yotpoRef(op, "Customer", in.Customer, refEmail|refID|refPOS|refPhone)
	if err != nil {
		return nil, err
	}
	switch {
	case in.OptionID <= 0:
		return nil, inputErr(op, "OptionID", "is required (a RedemptionOption.ID)")
	case in.Points < 0:
		return nil, inputErr(op, "Points", "must not be negative")
	}
	if in.Currency != "" {
		if err := checkCurrency(op, "Currency", in.Currency); err != nil {
			return nil, err
		}
	}
	req := &redeemRequest{
		yotpoCustomerRefBody: ref, RedemptionOptionID: in.OptionID, DelayPointsDeduction: in.DelayDeduction, PointsToRedeem: in.Points,
		Currency: in.Currency, CouponCode: in.CouponCode,
	}
	if d := in.Discount; d != nil {
		if d.Minor < 0 {
			return nil, inputErr(op, "Discount", "must not be negative")
		}
		if d.Currency != "" {
			if err := checkCurrency(op, "Discount.Currency", d.Currency); err != nil {
				return nil, err
			}
			if in.Currency != "" && d.Currency != in.Currency {
				return nil, inputErr(op, "Discount.Currency", "%s differs from Currency %s", d.Currency, in.Currency)
			}
		}
		req.DiscountAmountCents = yotpoCentsPtr(d)
		if req.Currency == "" {
			req.Currency = d.Currency
		}
	}
	return req, nil
}

// ConfirmCancellation tells Yotpo that the store cancelled the coupon of a
// redemption, so that its points go back to the customer (POST
// /redemptions/{id}/cancellation_completed, with the cancelled couponCode).
//
// Yotpo does not document de-duplication of this call, so it is not retried
// after the request may have been sent.
func (s *RedemptionsService) ConfirmCancellation(ctx context.Context, redemptionID int64, couponCode string, callOpts ...CallOption) (*Response, error) {
	const op = "Redemptions.ConfirmCancellation"
	if err := s.client.yotpoOnly(op); err != nil {
		return nil, err
	}
	switch {
	case redemptionID <= 0:
		return nil, inputErr(op, "redemptionID", "is required (a Redemption.ID)")
	case couponCode == "":
		return nil, inputErr(op, "couponCode", "is required (the Redemption.CouponCode that was cancelled)")
	}
	path := contract.YotpoPathRedemptions + "/" + strconv.FormatInt(redemptionID, 10) + contract.YotpoPathRedemptionCancelled
	body := struct {
		RewardText string `json:"reward_text"`
	}{couponCode}
	return s.client.call(ctx, op, Yotpo, http.MethodPost, path, nil, body, nil, callOpts...)
}
