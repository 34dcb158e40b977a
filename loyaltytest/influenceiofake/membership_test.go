package influenceiofake

import (
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func membershipOf(t *testing.T, b []byte) *string {
	t.Helper()
	var env struct {
		Customer struct {
			ExternalID          string  `json:"externalId"`
			CurrentMembershipID *string `json:"currentMembershipId"`
		} `json:"customer"`
	}
	decode(t, b, &env)
	if env.Customer.ExternalID == "" {
		t.Fatalf("no customer in %s", b)
	}
	return env.Customer.CurrentMembershipID
}

// Membership: enroll (optional membershipId) and remove answer {"customer"} or
// 404; a removed customer earns nothing from orders until enrolled again.
func TestMembershipEnrollRemove(t *testing.T) {
	h := newHarness(t, Config{})
	enroll, remove := contract.InfluenceIOMembershipEnrollPath("C-1"), contract.InfluenceIOMembershipRemovePath("C-1")
	if msg := h.mustError(http.StatusNotFound, http.MethodPost, enroll, nil, ""); msg != "Customer not found" {
		t.Errorf("enroll unknown: %q", msg)
	}
	h.mustError(http.StatusNotFound, http.MethodPost, remove, nil, "")
	h.put("C-1", `{"email":"a@example.com"}`)
	if m := membershipOf(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOCustomerPath("C-1"), nil, "")); m == nil || *m != DefaultMembershipID {
		t.Errorf("upserted customer's membership %v", m)
	}
	h.fake.RegisterWebhook(contract.InfluenceIOTopicCustomersUpdated, hookURL)
	if m := membershipOf(t, h.MustStatus(http.StatusOK, http.MethodPost, remove, nil, "")); m != nil {
		t.Errorf("after remove %q", *m)
	}
	if d := h.TakeDeliveries(); len(d) != 1 || d[0].Topic != contract.InfluenceIOTopicCustomersUpdated {
		t.Errorf("remove deliveries %v", topics(d))
	}
	// An order paid while removed earns nothing, and is not marked awarded.
	o := orderOf(t, h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"O-1","customerId":"C-1","currency":"EUR","totalPrice":40,"financialStatus":"paid"}`))
	if o.PointsAwarded || h.get("C-1").PointBalance != 0 {
		t.Errorf("removed customer earned: %+v", o)
	}
	h.mustError(http.StatusBadRequest, http.MethodPost, enroll, nil, `{"membershipId":" "}`)
	if m := membershipOf(t, h.MustStatus(http.StatusOK, http.MethodPost, enroll, nil, `{"membershipId":"vip"}`)); m == nil || *m != "vip" {
		t.Errorf("enrolled in %v", m)
	}
	if m := membershipOf(t, h.MustStatus(http.StatusOK, http.MethodPost, enroll, nil, "")); m == nil || *m != DefaultMembershipID {
		t.Errorf("enroll without body: %v", m)
	}
	// Enrolled again: the next order earns.
	h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"O-2","customerId":"C-1","currency":"EUR","totalPrice":25,"financialStatus":"paid"}`)
	if bal := h.get("C-1").PointBalance; bal != 25 {
		t.Errorf("balance %d after enrolling again; want 25", bal)
	}
	h.mustError(http.StatusMethodNotAllowed, http.MethodGet, enroll, nil, "")
}

// The customer list answers 200 with an empty list, never 404, when there
// is nobody (corrected 2026-12-01).
func TestListCustomersEmpty(t *testing.T) {
	h := newHarness(t, Config{})
	var list struct {
		Customers []any   `json:"customers"`
		Cursor    *string `json:"cursor"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOPathCustomers, nil, ""), &list)
	if list.Customers == nil || len(list.Customers) != 0 || list.Cursor != nil {
		t.Errorf("empty list %+v", list)
	}
}
