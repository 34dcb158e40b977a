package yotpofake

import (
	"net/http"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// calendarDay is a stored anniversary; year nil when not given.
type calendarDay struct {
	Day   int  `json:"day"`
	Month int  `json:"month"`
	Year  *int `json:"year"`
}

// getAnniversary serves GET /customer_anniversary?customer_email=:
// {"day","month","year"} (documented). 404 for an unknown customer, and
// also, decided, for a customer with no anniversary set.
func (f *Fake) getAnniversary(w http.ResponseWriter, r *http.Request) {
	email := r.URL.Query().Get(contract.YotpoQueryCustomerEmail)
	if email == "" {
		WriteError(w, http.StatusBadRequest, "customer_email is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, identifiers{email: email})
	if c == nil {
		return
	}
	if c.anniversary == nil {
		WriteError(w, contract.YotpoStatusAnniversaryNotSet, "Anniversary not set")
		return
	}
	writeJSON(w, c.anniversary)
}

// postAnniversary serves POST /customer_anniversary: customer_email, day and
// month required, year optional; 200 {} (decided).
func (f *Fake) postAnniversary(w http.ResponseWriter, r *http.Request) {
	var req birthdayRequest
	if !f.readBody(w, r, &req) {
		return
	}
	if req.CustomerEmail == "" {
		WriteError(w, http.StatusBadRequest, "customer_email is required")
		return
	}
	if !req.checkDay(w) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, identifiers{email: req.CustomerEmail})
	if c == nil {
		return
	}
	c.anniversary = &calendarDay{Day: req.Day, Month: req.Month, Year: req.Year}
	c.updatedAt = f.env.Now()
	writeOK(w)
}

// deleteAnniversary serves DELETE /customer_anniversary with
// customer_email in the JSON body (documented; the query is not read):
// removes it, 200 {} whether or not one was set.
func (f *Fake) deleteAnniversary(w http.ResponseWriter, r *http.Request) {
	var req struct {
		CustomerEmail string `json:"customer_email"`
	}
	if !f.readBody(w, r, &req) {
		return
	}
	email := req.CustomerEmail
	if email == "" {
		WriteError(w, http.StatusBadRequest, "customer_email is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, identifiers{email: email})
	if c == nil {
		return
	}
	if c.anniversary != nil {
		c.anniversary = nil
		c.updatedAt = f.env.Now()
	}
	writeOK(w)
}
