package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// CouponsService manages coupon codes. On Yotpo: the pre-generated codes a
// redemption option hands out, looking one up and uploading more (Get,
// Upload; https://loyaltyapi.yotpo.com/reference, the redemption codes
// pages). On Influence.io: marking a reward coupon used (MarkUsed). A method
// of the other platform fails before any request with ErrNotSupported.
type CouponsService service

// Coupon is an uploaded coupon code as GET /redemption_codes reports it
// (https://loyaltyapi.yotpo.com/reference/get-redemption-code-data).
type Coupon struct {
	ID   int64 // Yotpo's id of the code's record
	Code string
	// Email is the customer's the code was handed out to; "" while unused.
	Email string
	// RedemptionID is the redemption that handed the code out
	// (point_redemption_id, a Redemption.ID); 0 while unused.
	RedemptionID int64
	// ThirdPartyID is the third_party_id Yotpo reports with the code, ""
	// when none. The reference calls it a third-party identifier and says
	// no more; the fake reports the holder's customer id (your id).
	ThirdPartyID string
	Raw          json.RawMessage
}

type couponJSON struct {
	ID                wireInt  `json:"id"`
	Code              wireText `json:"code" wire:"required"`
	Email             wireText `json:"email"`
	PointRedemptionID wireInt  `json:"point_redemption_id"`
	ThirdPartyID      wireText `json:"third_party_id"` // a number stays its digits
}

// CouponGetOptions narrows Get.
type CouponGetOptions struct {
	// ThirdPartyID, when set, is sent as third_party_id: the code must
	// carry that Coupon.ThirdPartyID.
	ThirdPartyID string
}

// Get looks up an uploaded coupon code (GET /redemption_codes). An unknown
// code is an error matching ErrNotFound.
func (s *CouponsService) Get(ctx context.Context, code string, opts *CouponGetOptions, callOpts ...CallOption) (*Coupon, *Response, error) {
	const op = "Coupons.Get"
	if err := s.client.yotpoOnly(op); err != nil {
		return nil, nil, err
	}
	if strings.TrimSpace(code) == "" {
		return nil, nil, inputErr(op, "code", "is required")
	}
	q := url.Values{contract.YotpoQueryCode: {code}}
	if opts != nil && opts.ThirdPartyID != "" {
		q.Set(contract.YotpoQueryThirdPartyID, opts.ThirdPartyID)
	}
	var raw json.RawMessage
	resp, err := s.client.call(ctx, op, Yotpo, http.MethodGet, contract.YotpoPathRedemptionCodes, q, nil, &raw, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	var w couponJSON
	if err := decodeTolerant(resp, atTop, raw, &w); err != nil {
		return nil, resp, fmt.Errorf("loyalty: %s: decoding response: %w", op, err)
	}
	return &Coupon{
		ID: int64(w.ID), Code: string(w.Code), Email: string(w.Email), RedemptionID: int64(w.PointRedemptionID),
		ThirdPartyID: string(w.ThirdPartyID), Raw: raw,
	}, resp, nil
}

// CouponUploadError is the failure of one call of a chunked Upload. The
// codes before Uploaded were uploaded by earlier calls; the failing chunk
// may or may not have been (see errors.Is(err, ErrMaybeApplied)), and the
// rest were not sent.
type CouponUploadError struct {
	Chunk    int // 0-based index of the call that failed
	Chunks   int // how many calls the upload needed
	Uploaded int // codes[:Uploaded] were uploaded
	Err      error
}

func (e *CouponUploadError) Error() string {
	return fmt.Sprintf("loyalty: Coupons.Upload: call %d of %d failed after %d codes were uploaded: %v", e.Chunk+1, e.Chunks, e.Uploaded, e.Err)
}

// Unwrap returns the failing call's error, so errors.Is and errors.As see
// through to it (ErrInvalid, ErrMaybeApplied, *Error, ...).
func (e *CouponUploadError) Unwrap() error { return e.Err }

// Upload adds pre-generated coupon codes to a redemption option (POST
// /redemption_codes), which hands them out on redemption. Yotpo takes at
// most 10,000 codes per call, so a longer list is sent in several calls, in
// order; the Response is the last call's. A code must be non-empty and
// hold no comma or space (Yotpo receives them comma-separated).
//
// If a call fails, the error is a *CouponUploadError saying how many codes
// went up; resume with codes[Uploaded:]. Yotpo does not document
// de-duplication of uploads, so no call is retried after its request may
// have been sent.
func (s *CouponsService) Upload(ctx context.Context, optionID int64, codes []string, callOpts ...CallOption) (*Response, error) {
	const op = "Coupons.Upload"
	if err := s.client.yotpoOnly(op); err != nil {
		return nil, err
	}
	if optionID <= 0 {
		return nil, inputErr(op, "optionID", "is required (a RedemptionOption.ID)")
	}
	if len(codes) == 0 {
		return nil, inputErr(op, "codes", "is empty")
	}
	for i, c := range codes {
		if c == "" || strings.ContainsAny(c, ", \t\r\n") {
			return nil, inputErr(op, fmt.Sprintf("codes[%d]", i), "%q must be non-empty, without commas or spaces", c)
		}
	}
	const limit = contract.YotpoMaxCodesPerUpload
	chunks := (len(codes) + limit - 1) / limit
	var resp *Response
	for i := range chunks {
		start := i * limit
		part := codes[start:min(len(codes), start+limit)]
		body := struct {
			RedemptionOptionID int64  `json:"redemption_option_id"`
			Codes              string `json:"codes"`
		}{optionID, strings.Join(part, ",")}
		var err error
		resp, err = s.client.call(ctx, op, Yotpo, http.MethodPost, contract.YotpoPathRedemptionCodes, nil, body, nil, callOpts...)
		if err != nil {
			return resp, &CouponUploadError{Chunk: i, Chunks: chunks, Uploaded: start, Err: err}
		}
	}
	return resp, nil
}

// MarkUsed marks an Influence.io reward coupon as used (POST
// /v1/rewards/{couponCode}/use; documented by working client code, response
// decided): the code that a points/redeemed webhook or a referral handed out,
// once your store has accepted it. A code never issued is ErrNotFound; one
// already used is ErrConflict, which is also what a repeat of a call that
// succeeded sees, so a retry cannot use a coupon twice. Influence.io only.
func (s *CouponsService) MarkUsed(ctx context.Context, couponCode string, callOpts ...CallOption) (*Response, error) {
	const op = "Coupons.MarkUsed"
	if err := s.client.influenceIOOnly(op); err != nil {
		return nil, err
	}
	if _, err := pathSegment(op, "couponCode", couponCode); err != nil {
		return nil, err
	}
	// Working code also sends the code in the body; the SDK does the same.
	body := struct {
		CouponCode string `json:"couponCode"`
	}{couponCode}
	return s.client.call(ctx, op, InfluenceIO, http.MethodPost, contract.InfluenceIORewardUsePath(couponCode), nil, body, nil, callOpts...)
}
