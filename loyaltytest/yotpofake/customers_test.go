package yotpofake

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func TestCreateCustomerValidation(t *testing.T) {
	h := newHarness(t, Config{})
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathCustomers, nil, `{"first_name":"Ann"}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathCustomers, nil, `{"email":"not-an-email"}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathCustomers, nil, `{"email":"a@example.com","opted_in_at":"yesterday"}`)
	h.MustStatus(http.StatusNotFound, http.MethodGet, contract.YotpoPathCustomers, url.Values{contract.YotpoQueryCustomerEmail: {"a@example.com"}}, "")
}

func TestCreateGetAndUpdateCustomer(t *testing.T) {
	h := newHarness(t, Config{})
	c := h.create(`{"id":"c-1","email":"Ann@Example.com","first_name":"Ann","last_name":"Lee","phone_number":"+14155552671",
		"pos_account_id":"pos-1","tags":"vip,early","has_account":true,"opted_in":true,"opted_in_at":"2026-02-01T09:00:00Z"}`)
	if c.Email != "Ann@Example.com" || c.ThirdPartyID != "c-1" || c.ThirtyPartyID != "c-1" || c.FirstName != "Ann" ||
		!c.HasStoreAccount || !c.OptIn || c.Tags != "vip,early" || c.CreditBalance != "$0" {
		t.Fatalf("created customer %+v", c)
	}
	if c.OptedInAt == nil || *c.OptedInAt != "2026-02-01T09:00:00.000Z" {
		t.Errorf("opted_in_at %v", c.OptedInAt)
	}
	if c.HistoryItems != nil || c.ReferralCode != nil {
		t.Errorf("POST response carries history or referral data")
	}

	// Every documented identifier finds the customer; email case does not matter.
	for _, q := range []url.Values{
		{contract.YotpoQueryCustomerID: {"c-1"}},
		{contract.YotpoQueryCustomerEmail: {"ann@example.com"}},
		{contract.YotpoQueryPOSAccountID: {"pos-1"}},
		{contract.YotpoQueryPhoneNumber: {"+14155552671"}},
	} {
		var got testCustomer
		decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomers, q, ""), &got)
		if got.ThirdPartyID != "c-1" {
			t.Errorf("lookup %v found %+v", q, got)
		}
	}
	// customer_id wins over customer_email, even when the email would match.
	h.create(`{"id":"c-2","email":"bob@example.com"}`)
	var got testCustomer
	q := url.Values{contract.YotpoQueryCustomerID: {"c-2"}, contract.YotpoQueryCustomerEmail: {"ann@example.com"}}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomers, q, ""), &got)
	if got.Email != "bob@example.com" {
		t.Errorf("precedence: got %s, want bob@example.com", got.Email)
	}
	q = url.Values{contract.YotpoQueryCustomerID: {"nobody"}, contract.YotpoQueryCustomerEmail: {"ann@example.com"}}
	h.mustError(http.StatusNotFound, http.MethodGet, contract.YotpoPathCustomers, q, "")
	h.mustError(http.StatusBadRequest, http.MethodGet, contract.YotpoPathCustomers, nil, "")

	// Update: absent fields stay, tags overwrite, and the id lets the email change.
	h.Advance(time.Minute)
	upd := h.create(`{"id":"c-1","email":"ann.lee@example.com","tags":"gold"}`)
	if upd.Email != "ann.lee@example.com" || upd.FirstName != "Ann" || upd.Tags != "gold" || !upd.OptIn {
		t.Errorf("updated customer %+v", upd)
	}
	h.MustStatus(http.StatusNotFound, http.MethodGet, contract.YotpoPathCustomers, url.Values{contract.YotpoQueryCustomerEmail: {"ann@example.com"}}, "")
	h.get("ann.lee@example.com")
	// Taking another customer's email is refused and changes nothing.
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathCustomers, nil, `{"id":"c-1","email":"bob@example.com","tags":"x"}`)
	if c := h.get("ann.lee@example.com"); c.Tags != "gold" {
		t.Errorf("rejected update changed tags to %q", c.Tags)
	}
}

func TestWithHistoryAndReferralCode(t *testing.T) {
	h := newHarness(t, Config{})
	h.create(`{"email":"a@example.com"}`)
	q := url.Values{contract.YotpoQueryCustomerEmail: {"a@example.com"}}
	var plain testCustomer
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomers, q, ""), &plain)
	if plain.HistoryItems != nil || plain.ReferralCode != nil || plain.ReferralLink != nil {
		t.Errorf("without flags: %+v", plain)
	}
	full := h.get("a@example.com")
	if full.HistoryItems == nil || len(*full.HistoryItems) != 0 {
		t.Errorf("with_history: want an empty list, got %v", full.HistoryItems)
	}
	if full.ReferralCode == nil || full.ReferralCode.Code == "" || full.ReferralLink == nil ||
		full.ReferralLink.Code != full.ReferralCode.Code || full.ReferralLink.Link != "rwrd.io/"+full.ReferralCode.Code {
		t.Errorf("with_referral_code: %+v %+v", full.ReferralCode, full.ReferralLink)
	}
}

func TestOptInWebhooks(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.SetWebhook(hookURL, "tok")
	h.create(`{"email":"a@example.com"}`)
	if got := topics(h.TakeDeliveries()); !slices.Equal(got, []string{contract.YotpoTopicAccountCreated}) {
		t.Fatalf("create without opt_in: %v", got)
	}
	if c := h.get("a@example.com"); c.OptIn {
		t.Errorf("opt_in defaulted to true")
	}
	h.create(`{"email":"a@example.com","opted_in":true}`)
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.YotpoTopicOptIn}) {
		t.Fatalf("opt in: %v", topics(ds))
	}
	env := envelope(t, ds[0])
	cust := env["customer"].(map[string]any)
	if env["name"] != "Loyalty Opt In" || env["email"] != "a@example.com" || cust["is_opt_in"] != true ||
		cust["loyalty_opt_in_date"] != "2026-03-01" {
		t.Errorf("opt-in envelope %s", ds[0].Body)
	}
	if _, ok := cust["opt_in"]; ok {
		t.Errorf("webhook customer uses the REST name opt_in")
	}
	h.create(`{"email":"a@example.com","opted_in":true}`)
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Errorf("unchanged opt_in emitted %v", topics(d))
	}
	h.create(`{"email":"a@example.com","opted_in":false}`)
	ds = h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.YotpoTopicOptOut}) || envelope(t, ds[0])["customer"].(map[string]any)["is_opt_in"] != false {
		t.Errorf("opt out: %v", topics(ds))
	}
}

func TestListRecentAndAll(t *testing.T) {
	h := newHarness(t, Config{})
	for _, e := range []string{"a", "b", "c", "d", "e"} {
		h.create(`{"email":"` + e + `@example.com"}`)
		h.Advance(time.Minute)
	}
	// Touch "b" so it is the most recently updated.
	h.create(`{"email":"b@example.com","first_name":"B"}`)

	type page struct {
		Customers []testCustomer `json:"customers"`
		Links     struct {
			TotalPages int `json:"total_pages"`
		} `json:"links"`
	}
	list := func(path string, q url.Values) page {
		var p page
		decode(t, h.MustStatus(http.StatusOK, http.MethodGet, path, q, ""), &p)
		return p
	}
	emails := func(p page) []string {
		var out []string
		for _, c := range p.Customers {
			out = append(out, c.Email)
		}
		return out
	}

	// customers/recent follows the page_info cursor: newest update first,
	// and no next_page_info on the last page.
	var recent []string
	var cursors []string
	cursor := ""
	for range 5 {
		q := url.Values{contract.YotpoQueryPerPage: {"2"}}
		if cursor != "" {
			q.Set(contract.YotpoQueryPageInfo, cursor)
		}
		var rp struct {
			Customers []testCustomer `json:"customers"`
			Links     any            `json:"links"`
			Metadata  struct {
				NextPageInfo *string `json:"next_page_info"`
			} `json:"metadata"`
		}
		decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomersRecent, q, ""), &rp)
		if rp.Links != nil {
			t.Errorf("recent page carries links: %v", rp.Links)
		}
		for _, c := range rp.Customers {
			recent = append(recent, c.Email)
		}
		if rp.Metadata.NextPageInfo == nil {
			break
		}
		cursor = *rp.Metadata.NextPageInfo
		cursors = append(cursors, cursor)
	}
	if want := []string{"b@example.com", "e@example.com", "d@example.com", "c@example.com", "a@example.com"}; !slices.Equal(recent, want) {
		t.Errorf("recent via cursor: %v, want %v", recent, want)
	}
	if len(cursors) != 2 || cursors[0] == cursors[1] {
		t.Errorf("cursors %q: want two distinct ones", cursors)
	}
	// A page is positioned after the customer its cursor names: a customer
	// created meanwhile (newest, so first) does not shift the next page.
	h.create(`{"email":"f@example.com"}`)
	var rp struct {
		Customers []testCustomer `json:"customers"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.YotpoPathCustomersRecent,
		url.Values{contract.YotpoQueryPerPage: {"2"}, contract.YotpoQueryPageInfo: {cursors[0]}}, ""), &rp)
	if len(rp.Customers) != 2 || rp.Customers[0].Email != "d@example.com" {
		t.Errorf("page after a cursor, with a new customer: %+v", rp.Customers)
	}
	h.mustError(http.StatusBadRequest, http.MethodGet, contract.YotpoPathCustomersRecent, url.Values{contract.YotpoQueryPageInfo: {"%%%"}}, "")
	h.mustError(http.StatusBadRequest, http.MethodGet, contract.YotpoPathCustomersRecent, url.Values{contract.YotpoQueryPageInfo: {"bm9wZQ"}}, "")

	p := list(contract.YotpoPathCustomersAll, url.Values{contract.YotpoQueryPerPage: {"2"}, contract.YotpoQueryPage: {"2"}})
	if !slices.Equal(emails(p), []string{"c@example.com", "d@example.com"}) {
		t.Errorf("all page 2: %v", emails(p))
	}
	p = list(contract.YotpoPathCustomersAll, url.Values{contract.YotpoQueryPerPage: {"500"}})
	if len(p.Customers) != 6 || p.Links.TotalPages != 1 {
		t.Errorf("per_page clamp: %d customers, %d pages", len(p.Customers), p.Links.TotalPages)
	}
	p = list(contract.YotpoPathCustomersAll, url.Values{contract.YotpoQueryPage: {"9"}})
	if len(p.Customers) != 0 || p.Customers == nil {
		t.Errorf("past the end: %+v", p)
	}
	// A huge page is empty past the end; (page-1)*per_page must not
	// overflow into a bogus offset (it panicked with an index out of range).
	for _, path := range []string{contract.YotpoPathCustomersAll} {
		for _, pg := range []string{"92233720368547760", "9223372036854775807", "4611686018427387905"} {
			for _, per := range []string{"1", "2", "100"} {
				p = list(path, url.Values{contract.YotpoQueryPage: {pg}, contract.YotpoQueryPerPage: {per}})
				if len(p.Customers) != 0 || p.Customers == nil || p.Links.TotalPages < 1 {
					t.Errorf("%s page %s per_page %s: %+v", path, pg, per, p)
				}
			}
		}
	}
	// last_seen_at keeps customers seen at or after it: c (t0+2m), d, e.
	// (f was created after e, so it is kept too.)
	since := t0.Add(2 * time.Minute).Format(time.RFC3339)
	p = list(contract.YotpoPathCustomersAll, url.Values{contract.YotpoQueryLastSeenAt: {since}})
	if !slices.Equal(emails(p), []string{"c@example.com", "d@example.com", "e@example.com", "f@example.com"}) {
		t.Errorf("last_seen_at: %v", emails(p))
	}
	h.mustError(http.StatusBadRequest, http.MethodGet, contract.YotpoPathCustomersAll, url.Values{contract.YotpoQueryLastSeenAt: {"soon"}}, "")
	h.mustError(http.StatusBadRequest, http.MethodGet, contract.YotpoPathCustomersAll, url.Values{contract.YotpoQueryPage: {"0"}}, "")
	h.mustError(http.StatusBadRequest, http.MethodGet, contract.YotpoPathCustomersRecent, url.Values{contract.YotpoQueryPerPage: {"x"}}, "")
}

func TestCustomerBirthdays(t *testing.T) {
	h := newHarness(t, Config{})
	h.create(`{"email":"a@example.com"}`)
	for _, bad := range []string{`{"day":1,"month":1}`, `{"customer_email":"a@example.com","day":32,"month":1}`,
		`{"customer_email":"a@example.com","day":1,"month":13}`, `{"customer_email":"a@example.com","day":1,"month":1,"year":99}`} {
		h.mustError(http.StatusBadRequest, http.MethodPost, contract.YotpoPathCustomerBirthdays, nil, bad)
	}
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathCustomerBirthdays, nil, `{"customer_email":"x@example.com","day":1,"month":1}`)
	h.mustError(http.StatusNotFound, http.MethodPost, contract.YotpoPathCustomerBirthdays, nil, `{"customer_id":"nobody","day":1,"month":1}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathCustomerBirthdays, nil, `{"customer_email":"a@example.com","day":12,"month":4,"year":1990}`)
	c := h.get("a@example.com")
	if c.BirthDay == nil || *c.BirthDay != 12 || c.BirthdayMonth == nil || *c.BirthdayMonth != 4 || c.BirthdayYear == nil || *c.BirthdayYear != 1990 {
		t.Errorf("birthday %v/%v/%v", c.BirthDay, c.BirthdayMonth, c.BirthdayYear)
	}
}

func TestCustomerBirthdayByID(t *testing.T) {
	h := newHarness(t, Config{})
	h.create(`{"id":"c-9","email":"a@example.com"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathCustomerBirthdays, nil, `{"customer_id":"c-9","day":29,"month":2}`)
	c := h.get("a@example.com")
	if c.BirthDay == nil || *c.BirthDay != 29 || *c.BirthdayMonth != 2 || c.BirthdayYear != nil {
		t.Errorf("birthday by id %v/%v/%v", c.BirthDay, c.BirthdayMonth, c.BirthdayYear)
	}
}

func TestCorrectedCustomerNames(t *testing.T) {
	h := newHarness(t, Config{})
	// The legacy decided names are not Yotpo's: they change nothing.
	c := h.create(`{"email":"a@example.com","opt_in":true,"account_created_at":"not a date"}`)
	if c.OptIn {
		t.Errorf("opt_in in a request opted the customer in")
	}
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.YotpoPathCustomers, nil, `{"email":"a@example.com","platform_account_created_at":"soon"}`)
	c = h.create(`{"email":"a@example.com","opted_in":true,"platform_account_created_at":"2025-01-02"}`)
	if !c.OptIn {
		t.Errorf("opted_in did not opt in: %+v", c)
	}
}

func TestCustomerAnniversary(t *testing.T) {
	h := newHarness(t, Config{})
	h.create(`{"email":"a@example.com"}`)
	q := url.Values{contract.YotpoQueryCustomerEmail: {"a@example.com"}}
	p := contract.YotpoPathCustomerAnniversary
	h.mustError(http.StatusNotFound, http.MethodGet, p, q, "")
	h.mustError(http.StatusNotFound, http.MethodGet, p, url.Values{contract.YotpoQueryCustomerEmail: {"x@example.com"}}, "")
	h.mustError(http.StatusBadRequest, http.MethodGet, p, nil, "")
	for _, bad := range []string{`{"day":1,"month":1}`, `{"customer_email":"a@example.com","day":0,"month":1}`,
		`{"customer_email":"a@example.com","day":1,"month":13}`, `{"customer_email":"a@example.com","day":1,"month":1,"year":12}`} {
		h.mustError(http.StatusBadRequest, http.MethodPost, p, nil, bad)
	}
	h.mustError(http.StatusNotFound, http.MethodPost, p, nil, `{"customer_email":"x@example.com","day":1,"month":1}`)
	h.MustStatus(http.StatusOK, http.MethodPost, p, nil, `{"customer_email":"a@example.com","day":14,"month":6,"year":2019}`)
	var got map[string]any
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, p, q, ""), &got)
	if got["day"] != 14.0 || got["month"] != 6.0 || got["year"] != 2019.0 {
		t.Errorf("anniversary %v", got)
	}
	h.MustStatus(http.StatusOK, http.MethodPost, p, nil, `{"customer_email":"a@example.com","day":1,"month":7}`)
	decode(t, h.MustStatus(http.StatusOK, http.MethodGet, p, q, ""), &got)
	if got["day"] != 1.0 || got["month"] != 7.0 || got["year"] != nil {
		t.Errorf("anniversary without year %v", got)
	}
	// DELETE takes customer_email in the body; the query is not read.
	h.mustError(http.StatusBadRequest, http.MethodDelete, p, q, `{}`)
	h.MustStatus(http.StatusOK, http.MethodDelete, p, nil, `{"customer_email":"a@example.com"}`)
	h.mustError(http.StatusNotFound, http.MethodGet, p, q, "")
	h.MustStatus(http.StatusOK, http.MethodDelete, p, nil, `{"customer_email":"a@example.com"}`)
	h.mustError(http.StatusNotFound, http.MethodDelete, p, nil, `{"customer_email":"x@example.com"}`)
}

// TestLookupsFollowIdentifierChanges checks the customer indexes: a changed
// customer_id, POS account or phone finds the customer under the new value
// only; a value two customers share finds the older; an anonymized
// customer is found by none.
func TestLookupsFollowIdentifierChanges(t *testing.T) {
	h := newHarness(t, Config{})
	h.create(`{"id":"c-1","email":"ann@example.com","phone_number":"+1000","pos_account_id":"pos-1"}`)
	h.create(`{"id":"c-2","email":"bob@example.com","phone_number":"+2000","pos_account_id":"pos-2"}`)
	find := func(key, value string) string {
		t.Helper()
		status, body := h.Request(http.MethodGet, contract.YotpoPathCustomers, url.Values{key: {value}}, "")
		if status == http.StatusNotFound {
			return ""
		}
		var got testCustomer
		decode(t, body, &got)
		return got.Email
	}
	check := func(key, value, want string) {
		t.Helper()
		if got := find(key, value); got != want {
			t.Errorf("%s=%s found %q, want %q", key, value, got, want)
		}
	}
	// Ann takes Bob's phone and a new id and POS account.
	h.create(`{"id":"c-9","email":"ann@example.com","phone_number":"+2000","pos_account_id":"pos-9"}`)
	check(contract.YotpoQueryCustomerID, "c-1", "")
	check(contract.YotpoQueryCustomerID, "c-9", "ann@example.com")
	check(contract.YotpoQueryPOSAccountID, "pos-1", "")
	check(contract.YotpoQueryPOSAccountID, "pos-9", "ann@example.com")
	check(contract.YotpoQueryPhoneNumber, "+1000", "")
	check(contract.YotpoQueryPhoneNumber, "+2000", "ann@example.com") // shared: the older customer
	// An order for an unknown id and e-mail creates a customer found by that id.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.YotpoPathOrders, nil,
		`{"order_id":"o-1","customer_id":"c-3","customer_email":"cy@example.com","total_amount_cents":100}`)
	check(contract.YotpoQueryCustomerID, "c-3", "cy@example.com")
	// Anonymizing Ann leaves Bob as the one with the shared phone.
	h.MustStatus(http.StatusOK, http.MethodDelete, contract.YotpoPathPrivacyData, nil, `{"email":"ann@example.com"}`)
	check(contract.YotpoQueryCustomerID, "c-9", "")
	check(contract.YotpoQueryPOSAccountID, "pos-9", "")
	check(contract.YotpoQueryPhoneNumber, "+2000", "bob@example.com")
	check(contract.YotpoQueryCustomerEmail, "ann@example.com", "")
}
