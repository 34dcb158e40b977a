package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// ReferralsService runs the refer-a-friend program: sending referral
// e-mails and finding a referrer's link. Yotpo only
// (https://loyaltyapi.yotpo.com/reference, the referral pages).
type ReferralsService service

// ShareInput sends referral e-mails on a referrer's behalf.
type ShareInput struct {
	// Email is the referrer's e-mail; required.
	Email string
	// CustomerID is your id of the referrer, optional.
	CustomerID string
	// Friends are the addresses to invite; at least one.
	Friends []string
}

// Share has Yotpo e-mail the referrer's friends an invitation (POST
// /referral/share).
//
// Yotpo does not de-duplicate it: a second call sends the e-mails again, so
// it is not retried after the request may have been sent.
func (s *ReferralsService) Share(ctx context.Context, in ShareInput, callOpts ...CallOption) (*Response, error) {
	const op = "Referrals.Share"
	if err := s.client.yotpoOnly(op); err != nil {
		return nil, err
	}
	if !plausibleEmail(in.Email) {
		return nil, inputErr(op, "Email", "%q is not an e-mail address (the referrer's, required)", in.Email)
	}
	if len(in.Friends) == 0 {
		return nil, inputErr(op, "Friends", "is empty")
	}
	for i, f := range in.Friends {
		if !plausibleEmail(f) || strings.Contains(f, ",") {
			return nil, inputErr(op, fmt.Sprintf("Friends[%d]", i), "%q is not an e-mail address", f)
		}
	}
	body := struct {
		Email      string `json:"email"`
		CustomerID string `json:"customer_id,omitempty"`
		Emails     string `json:"emails"`
	}{in.Email, in.CustomerID, strings.Join(in.Friends, ",")}
	return s.client.call(ctx, op, Yotpo, http.MethodPost, contract.YotpoPathReferralShare, nil, body, nil, callOpts...)
}

// ReferrerInput names a referrer to find or create.
type ReferrerInput struct {
	Email               string // required
	FirstName, LastName string // used when Yotpo creates the referrer
}

// Referrer is a referrer as POST /referral/referrer answers it
// (https://loyaltyapi.yotpo.com/reference/identify-referrer): not a full
// customer, but what a referral needs, the link and the discount code.
type Referrer struct {
	// ID is Yotpo's own id of the customer (id), not your customer id.
	ID    int64
	Email string
	// MerchantID is Yotpo's id of your store (merchant_id).
	MerchantID int64
	// Link is the referral link friends follow, a URL (referral_link).
	Link string
	// DiscountCode is the referral discount code (referral_discount_code)
	// and DiscountCodeID its id; "" and 0 when Yotpo sends none.
	DiscountCode   string
	DiscountCodeID int64
	// Receipts are the referral receipts (referral_receipts), each as Yotpo
	// sent it: the reference does not describe their fields.
	Receipts []json.RawMessage
	Raw      json.RawMessage
}

type referrerJSON struct {
	ID                     wireInt           `json:"id"`
	Email                  wireText          `json:"email"`
	MerchantID             wireInt           `json:"merchant_id"`
	ReferralLink           wireText          `json:"referral_link"`
	ReferralDiscountCode   wireText          `json:"referral_discount_code"`
	ReferralDiscountCodeID wireInt           `json:"referral_discount_code_id"`
	ReferralReceipts       []json.RawMessage `json:"referral_receipts"`
}

// Referrer finds the referrer with that e-mail, creating them when Yotpo
// has none, and returns their referral link and discount code (POST
// /referral/referrer).
//
// Retries: Yotpo documents the call as "finds or creates" by e-mail; the
// SDK reads that as giving the same referrer however often it is sent
// (decided), so it is retried like a read. When Yotpo answers success with
// a body the SDK cannot read, the Referrer has only Email (and Raw).
func (s *ReferralsService) Referrer(ctx context.Context, in ReferrerInput, callOpts ...CallOption) (*Referrer, *Response, error) {
	const op = "Referrals.Referrer"
	if err := s.client.yotpoOnly(op); err != nil {
		return nil, nil, err
	}
	if !plausibleEmail(in.Email) {
		return nil, nil, inputErr(op, "Email", "%q is not an e-mail address", in.Email)
	}
	body := struct {
		Email     string `json:"email"`
		FirstName string `json:"first_name,omitempty"`
		LastName  string `json:"last_name,omitempty"`
	}{in.Email, in.FirstName, in.LastName}
	req, err := s.client.request(op, Yotpo, http.MethodPost, contract.YotpoPathReferralReferrer, body)
	if err != nil {
		return nil, nil, err
	}
	req.Idempotent = true // decided: a found-or-created referrer is the same on a resend
	var raw json.RawMessage
	resp, err := s.client.writeAnswer(ctx, req, &raw, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	// The referrer exists: an answer that does not decode says what is
	// known rather than fail.
	var w referrerJSON
	_ = decodeTolerant(resp, atTop, raw, &w)
	r := &Referrer{
		ID: int64(w.ID), Email: string(w.Email), MerchantID: int64(w.MerchantID), Link: string(w.ReferralLink),
		DiscountCode: string(w.ReferralDiscountCode), DiscountCodeID: int64(w.ReferralDiscountCodeID),
		Receipts: w.ReferralReceipts, Raw: raw,
	}
	if r.Email == "" {
		r.Email = in.Email
	}
	return r, resp, nil
}
