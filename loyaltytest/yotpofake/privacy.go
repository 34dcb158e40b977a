package yotpofake

import (
	"net/http"
	"slices"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// The privacy endpoints. The fake has one store, so all_stores
// changes nothing.

// emailParam reads the email query parameter, answering 400 when absent.
func emailParam(w http.ResponseWriter, r *http.Request) (string, bool) {
	email := strings.TrimSpace(r.URL.Query().Get(contract.YotpoQueryEmail))
	if email == "" {
		WriteError(w, http.StatusBadRequest, "email is required")
	}
	return email, email != ""
}

// getDataExists serves GET /privacy/data/exists: {"has_data": bool}
// (documented), true while the fake holds anything about the address.
func (f *Fake) getDataExists(w http.ResponseWriter, r *http.Request) {
	email, ok := emailParam(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	writeJSON(w, map[string]bool{contract.YotpoKeyHasData: f.holdsData(email)})
}

// holdsData reports whether anything in the store names email. Callers hold
// f.mu.
func (f *Fake) holdsData(email string) bool {
	e := strings.ToLower(email)
	return f.byEmail[e] != nil || f.rewards.sharesNaming[e] > 0 || f.rewards.dataRequests[e]
}

// getData serves GET /privacy/data: Yotpo e-mails the data; the fake
// records the request (200 {}, decided).
func (f *Fake) getData(w http.ResponseWriter, r *http.Request) {
	email, ok := emailParam(w, r)
	if !ok {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.holdsData(email) {
		if f.rewards.dataRequests == nil {
			f.rewards.dataRequests = map[string]bool{}
		}
		f.rewards.dataRequests[strings.ToLower(email)] = true
	}
	writeOK(w)
}

// deleteData serves DELETE /privacy/data with email and all_stores in the
// JSON body (documented; the query is not read): anonymizes the person and
// answers 200 {} whether or not the fake knew them (decided).
func (f *Fake) deleteData(w http.ResponseWriter, r *http.Request) {
	var req struct {
		Email     string `json:"email"`
		AllStores bool   `json:"all_stores"`
	}
	if !f.readBody(w, r, &req) {
		return
	}
	email := strings.TrimSpace(req.Email)
	if email == "" {
		WriteError(w, http.StatusBadRequest, "email is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	f.anonymize(email)
	writeOK(w)
}

// anonymize removes every trace of email from the store, so that no lookup
// finds the person again: the customer leaves the customer list and every
// index (e-mail, id, POS account and phone); their orders stay, for refunds, but belong to a detached
// anonymous customer that no lookup reaches; their redemptions go (so no
// later order settles them); uploaded codes they got forget them; referral
// shares drop the address. Callers hold f.mu.
func (f *Fake) anonymize(email string) {
	is := func(s string) bool { return strings.EqualFold(s, email) }
	if c := f.byEmail[strings.ToLower(email)]; c != nil {
		f.unindex(c)
		f.customers = slices.DeleteFunc(f.customers, func(x *customer) bool { return x == c })
		anon := &customer{completions: map[int64]int64{}}
		for _, o := range f.orders {
			if o.customer == c {
				o.customer = anon
			}
		}
		f.redemptions = slices.DeleteFunc(f.redemptions, func(rd *redemption) bool {
			if rd.customer == c {
				delete(f.redemption, rd.id)
			}
			return rd.customer == c
		})
		for _, u := range f.rewards.codes {
			if u.holder == c {
				u.holder, u.redemptionID = nil, 0
			}
		}
	}
	old := f.rewards.shares
	f.rewards.shares, f.rewards.sharesNaming = nil, nil
	for _, s := range old {
		s.To = slices.DeleteFunc(s.To, is)
		if !is(s.From) && len(s.To) > 0 {
			f.addShare(s)
		}
	}
	delete(f.rewards.dataRequests, strings.ToLower(email))
}
