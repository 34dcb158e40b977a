package influenceiofake

import (
	"net/http"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// DefaultMembershipID is the membership an enroll without membershipId
// joins, and the one an upserted customer starts in (decided: the docs name
// no id for the default program).
const DefaultMembershipID = "default"

// enrollRequest is the optional body of
// POST /v1/customers/{id}/membership/enroll.
type enrollRequest struct {
	MembershipID *string `json:"membershipId"`
}

// enrollMembership serves POST /v1/customers/{id}/membership/enroll: the
// customer joins membershipId, or the default program when it is omitted,
// and earns from orders again. 404 for an unknown customer. Emits
// customers/updated (decided).
func (f *Fake) enrollMembership(w http.ResponseWriter, r *http.Request, id string) {
	var req enrollRequest
	if r.ContentLength != 0 && !f.readBody(w, r, &req) {
		return
	}
	if req.MembershipID != nil && strings.TrimSpace(*req.MembershipID) == "" {
		invalid(w, "membershipId must not be empty")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.customerOr404(w, id)
	if c == nil {
		return
	}
	c.removed, c.membershipID = false, DefaultMembershipID
	if req.MembershipID != nil {
		c.membershipID = *req.MembershipID
	}
	f.touchMembership(w, c)
}

// removeMembership serves POST /v1/customers/{id}/membership/remove (no
// body): the customer leaves the program and earns no points from orders
// until enrolled again. 404 for an unknown customer. Emits customers/updated
// (decided).
func (f *Fake) removeMembership(w http.ResponseWriter, _ *http.Request, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.customerOr404(w, id)
	if c == nil {
		return
	}
	c.removed, c.membershipID = true, ""
	f.touchMembership(w, c)
}

// touchMembership records a membership change and answers it. Callers hold
// f.mu.
func (f *Fake) touchMembership(w http.ResponseWriter, c *customer) {
	c.updatedAt = f.env.Now()
	f.emit(contract.InfluenceIOTopicCustomersUpdated, f.webhookCustomer(c))
	fakekit.WriteJSON(w, http.StatusOK, customerEnvelope{f.customerWire(c)})
}
