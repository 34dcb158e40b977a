package yotpofake

import (
	"net/http"
	"slices"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// ReferralShare is one POST /referral/share the fake received: the e-mails
// Yotpo would have sent.
type ReferralShare struct {
	From       string   // the referrer's e-mail
	CustomerID string   // as sent, "" when absent
	To         []string // the friends' addresses
	At         time.Time
}

// ReferralShares returns the referral e-mails sent so far, oldest first.
func (f *Fake) ReferralShares() []ReferralShare {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]ReferralShare, len(f.rewards.shares))
	for i, s := range f.rewards.shares {
		s.To = slices.Clone(s.To)
		out[i] = s
	}
	return out
}

// postReferralShare serves POST /referral/share: the referrer (email) must
// be a customer (404 otherwise, decided); emails is a comma-separated list.
// Each friend's invitation is recorded and sent as swell/referral/share.
func (f *Fake) postReferralShare(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email      string `json:"email"`
		CustomerID string `json:"customer_id"`
		Emails     string `json:"emails"`
	}
	if !f.readBody(w, r, &req) {
		return
	}
	var to []string
	for _, e := range strings.Split(req.Emails, ",") {
		if e = strings.TrimSpace(e); e != "" {
			to = append(to, e)
		}
	}
	switch {
	case req.Email == "":
		WriteError(w, http.StatusBadRequest, "email is required")
		return
	case len(to) == 0:
		WriteError(w, http.StatusBadRequest, "emails is required")
		return
	}
	for _, e := range to {
		if !strings.Contains(e, "@") {
			WriteError(w, http.StatusUnprocessableEntity, "emails holds an invalid address")
			return
		}
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, identifiers{email: req.Email})
	if c == nil {
		return
	}
	f.addShare(ReferralShare{From: req.Email, CustomerID: req.CustomerID, To: to, At: f.env.Now()})
	for _, friend := range to { // one swell/referral/share per invitation: email is the friend
		f.emit(contract.YotpoTopicReferralShare, c, map[string]any{"email": friend, "from": c.email, "referral_link": referralURL(c.referralCode)})
	}
	writeOK(w)
}

// addShare keeps s and indexes the addresses it names. Callers hold f.mu.
func (f *Fake) addShare(s ReferralShare) {
	f.rewards.shares = append(f.rewards.shares, s)
	if f.rewards.sharesNaming == nil {
		f.rewards.sharesNaming = map[string]int{}
	}
	named := map[string]bool{strings.ToLower(s.From): true}
	for _, t := range s.To {
		named[strings.ToLower(t)] = true
	}
	for e := range named {
		f.rewards.sharesNaming[e]++
	}
}

// referrerJSON is the answer of POST /referral/referrer (documented:
// https://loyaltyapi.yotpo.com/reference/identify-referrer). The fake's
// referral discount code is the customer's referral code, its id the
// customer's (decided); it keeps no referral receipts (their fields are
// not documented), so referral_receipts is empty.
type referrerJSON struct {
	ID                     int64    `json:"id"`
	Email                  string   `json:"email"`
	MerchantID             int64    `json:"merchant_id"`
	ReferralLink           string   `json:"referral_link"`
	ReferralDiscountCode   string   `json:"referral_discount_code"`
	ReferralDiscountCodeID int64    `json:"referral_discount_code_id"`
	ReferralReceipts       []string `json:"referral_receipts"`
}

// merchantID is the fake's Yotpo id of the one store it serves (decided).
const merchantID = 1

// postReferrer serves POST /referral/referrer: finds the customer by email
// or creates them (with first_name and last_name), and answers the
// referrer: its id, e-mail, referral link and discount code.
func (f *Fake) postReferrer(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email     string `json:"email"`
		FirstName string `json:"first_name"`
		LastName  string `json:"last_name"`
	}
	if !f.readBody(w, r, &req) {
		return
	}
	switch {
	case req.Email == "":
		WriteError(w, http.StatusBadRequest, "email is required")
		return
	case !strings.Contains(req.Email, "@"):
		WriteError(w, http.StatusUnprocessableEntity, "email is invalid")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookup(identifiers{email: req.Email})
	if c == nil {
		c = f.newCustomer(req.Email)
		c.firstName, c.lastName = req.FirstName, req.LastName
		f.emit(contract.YotpoTopicAccountCreated, c, nil)
	}
	writeJSON(w, &referrerJSON{
		ID: c.seq, Email: c.email, MerchantID: merchantID, ReferralLink: referralURL(c.referralCode),
		ReferralDiscountCode: c.referralCode, ReferralDiscountCodeID: c.seq, ReferralReceipts: []string{},
	})
}
