package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// PrivacyService answers data-subject requests (GDPR): whether Yotpo holds
// data about a person, a copy of it, and its anonymization. Yotpo only
// (https://loyaltyapi.yotpo.com/reference, the privacy pages).
type PrivacyService service

// DataExists reports whether Yotpo holds data about the person with this
// e-mail (GET /privacy/data/exists, answered as {"has_data": bool}:
// https://loyaltyapi.yotpo.com/reference/data-exists).
func (s *PrivacyService) DataExists(ctx context.Context, email string, callOpts ...CallOption) (bool, *Response, error) {
	const op = "Privacy.DataExists"
	q, err := s.emailQuery(op, email)
	if err != nil {
		return false, nil, err
	}
	var raw json.RawMessage
	resp, err := s.client.call(ctx, op, Yotpo, http.MethodGet, contract.YotpoPathPrivacyDataExists, q, nil, &raw, callOpts...)
	if err != nil {
		return false, resp, err
	}
	var w map[string]json.RawMessage // {"has_data": bool}
	if err := decodeTolerant(resp, atTop, raw, &w); err != nil {
		return false, resp, fmt.Errorf("loyalty: %s: decoding response: %w", op, err)
	}
	var has wireBool
	v, ok := w[contract.YotpoKeyHasData]
	_ = has.UnmarshalJSON(v)
	if !ok || string(v) == "null" {
		resp.addDecodeIssue(contract.YotpoKeyHasData, "required field absent or null")
	} else if p := has.wireProblem(v); p != "" {
		resp.addDecodeIssue(contract.YotpoKeyHasData, p)
	}
	return bool(has), resp, nil
}

// RequestData has Yotpo e-mail the person a link to their data, valid for
// 48 hours (GET /privacy/data); nothing comes back in the response. Each
// call may send another e-mail, so although it is a GET the SDK treats it
// as a write: sent at most once (neither the SDK nor net/http sends it
// again once it may have reached Yotpo, and then a failure matches
// ErrMaybeApplied), and not retried on server errors.
func (s *PrivacyService) RequestData(ctx context.Context, email string, callOpts ...CallOption) (*Response, error) {
	const op = "Privacy.RequestData"
	q, err := s.emailQuery(op, email)
	if err != nil {
		return nil, err
	}
	req, err := s.client.request(op, Yotpo, http.MethodGet, contract.YotpoPathPrivacyData, nil)
	if err != nil {
		return nil, err
	}
	req.Query = q
	req.Idempotent = false // a retry may e-mail the person again
	return s.client.Do(ctx, req, nil, callOpts...)
}

// AnonymizeOptions shapes Anonymize.
type AnonymizeOptions struct {
	// AllStores anonymizes the person in every store of the merchant, not
	// only this one (all_stores).
	AllStores bool
}

// Anonymize removes the person's personal data from Yotpo (DELETE
// /privacy/data, with email and all_stores in the JSON body:
// https://loyaltyapi.yotpo.com/reference/anonymize-user). Anonymizing twice
// leaves the same result, so it is retried like any DELETE.
func (s *PrivacyService) Anonymize(ctx context.Context, email string, opts *AnonymizeOptions, callOpts ...CallOption) (*Response, error) {
	const op = "Privacy.Anonymize"
	if _, err := s.emailQuery(op, email); err != nil {
		return nil, err
	}
	body := struct {
		Email     string `json:"email"`
		AllStores bool   `json:"all_stores,omitempty"`
	}{email, opts != nil && opts.AllStores}
	return s.client.call(ctx, op, Yotpo, http.MethodDelete, contract.YotpoPathPrivacyData, nil, body, nil, callOpts...)
}

// emailQuery checks the platform and the e-mail of a privacy call.
func (s *PrivacyService) emailQuery(op, email string) (url.Values, error) {
	if err := s.client.yotpoOnly(op); err != nil {
		return nil, err
	}
	if !plausibleEmail(email) {
		return nil, inputErr(op, "email", "%q is not an e-mail address", email)
	}
	return url.Values{contract.YotpoQueryEmail: {email}}, nil
}
