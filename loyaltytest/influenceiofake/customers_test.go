package influenceiofake

import (
	"net/http"
	"net/url"
	"slices"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func TestPutAndGetCustomer(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.RegisterWebhook(contract.InfluenceIOTopicCustomersUpdated, hookURL)
	path := contract.InfluenceIOCustomerPath("C-1042")
	h.mustError(http.StatusNotFound, http.MethodGet, path, nil, "")
	if msg := h.mustError(http.StatusBadRequest, http.MethodPut, path, nil, `{"firstName":"Ana"}`); msg != "Invalid request: email is required" {
		t.Errorf("missing email message %q", msg)
	}
	for _, bad := range []string{
		`{"email":"ana@example.com","birthdayMonth":13}`, `{"email":"ana@example.com","birthdayMonth":0}`,
		`{"email":"ana@example.com","birthdayDay":32}`, `{"email":"nope"}`,
	} {
		h.mustError(http.StatusBadRequest, http.MethodPut, path, nil, bad)
	}
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Fatalf("rejected PUTs emitted %v", topics(d))
	}

	c := h.put("C-1042", `{"email":"ana@example.com","firstName":"Ana","lastName":"Peeters","phone":"+3212345678",
		"birthdayMonth":4,"birthdayDay":12,"acceptsMarketing":true,"tags":["vip"]}`)
	if c.ID == "" || c.ID == "C-1042" || c.ExternalID != "C-1042" || c.Name != "Ana Peeters" || c.Phone != "+3212345678" ||
		*c.BirthdayMonth != 4 || *c.BirthdayDay != 12 || !c.AcceptsMarketing || !slices.Equal(c.Tags, []string{"vip"}) ||
		c.PointBalance != 0 || c.ReferralLink == "" || c.LastSeenAt != nil || c.CreatedAt != "2026-03-01T10:00:00.000Z" {
		t.Fatalf("created %+v", c)
	}
	ds := h.TakeDeliveries()
	if len(ds) != 1 || ds[0].Topic != contract.InfluenceIOTopicCustomersUpdated {
		t.Fatalf("create webhooks %v", topics(ds))
	}
	p := payload(t, ds[0].Body)
	if p["id"] != c.ID || p["externalId"] != "C-1042" || p["name"] != "Ana Peeters" || p["referralUrl"] != c.ReferralLink || p["pointBalance"] != 0.0 {
		t.Errorf("customers/updated payload %s", ds[0].Body)
	}
	if _, ok := p["referralLink"]; ok {
		t.Errorf("webhook customer uses the REST name referralLink")
	}

	// Update: absent fields stay; a given name wins; tags are replaced.
	h.Advance(time.Hour)
	u := h.put("C-1042", `{"name":"Ana P.","tags":[]}`)
	if u.ID != c.ID || u.Email != "ana@example.com" || u.FirstName != "Ana" || u.Name != "Ana P." || len(u.Tags) != 0 ||
		*u.BirthdayMonth != 4 || u.CreatedAt != c.CreatedAt || u.UpdatedAt != "2026-03-01T11:00:00.000Z" {
		t.Errorf("updated %+v", u)
	}
	if g := h.get("C-1042"); g.Name != "Ana P." || g.UpdatedAt != u.UpdatedAt {
		t.Errorf("get after update %+v", g)
	}
	// A name is given on create: no defaulting.
	if c := h.put("C-2", `{"email":"b@example.com","firstName":"Bo","name":"Bobby"}`); c.Name != "Bobby" {
		t.Errorf("explicit name %q", c.Name)
	}
	if c := h.put("C-3", `{"email":"c@example.com","lastName":"Cee"}`); c.Name != "Cee" {
		t.Errorf("name from last name only %q", c.Name)
	}
}

func TestAwardPoints(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsEarned, hookURL)
	no := false
	h.fake.AddEarnRule(EarnRule{ID: "rule-review", Title: "Left a review", Points: 40, UpdateLastSeenAt: &no})
	h.put("c-1", `{"email":"a@example.com"}`)
	path := contract.InfluenceIOPointsPath("c-1")
	for _, bad := range []string{`{}`, `{"points":0}`, `{"points":-5}`, `{"action":"x"}`} {
		h.mustError(http.StatusBadRequest, http.MethodPost, path, nil, bad)
	}
	if msg := h.mustError(http.StatusNotFound, http.MethodPost, contract.InfluenceIOPointsPath("ghost"), nil, `{"points":5}`); msg != "Customer not found" {
		t.Errorf("404 message %q", msg)
	}
	if msg := h.mustError(http.StatusNotFound, http.MethodPost, path, nil, `{"earnRuleId":"nope"}`); msg != "Earn rule not found" {
		t.Errorf("unknown rule message %q", msg)
	}

	h.Advance(time.Minute)
	var env struct {
		Customer testCustomer `json:"customer"`
	}
	decode(t, h.MustStatus(http.StatusOK, http.MethodPost, path, nil, `{"points":25,"action":"Birthday bonus"}`), &env)
	if env.Customer.PointBalance != 25 || env.Customer.LastSeenAt == nil || *env.Customer.LastSeenAt != "2026-03-01T10:01:00.000Z" {
		t.Fatalf("after award %+v", env.Customer)
	}
	// The rule's points and title apply; its updateLastSeenAt=false keeps lastSeenAt.
	h.Advance(time.Minute)
	decode(t, h.MustStatus(http.StatusOK, http.MethodPost, path, nil, `{"earnRuleId":"rule-review"}`), &env)
	if env.Customer.PointBalance != 65 || *env.Customer.LastSeenAt != "2026-03-01T10:01:00.000Z" {
		t.Errorf("rule award %+v", env.Customer)
	}
	// Explicit points override the rule; explicit updateLastSeenAt overrides its default.
	decode(t, h.MustStatus(http.StatusOK, http.MethodPost, path, nil, `{"earnRuleId":"rule-review","points":5,"updateLastSeenAt":true}`), &env)
	if env.Customer.PointBalance != 70 || *env.Customer.LastSeenAt != "2026-03-01T10:02:00.000Z" {
		t.Errorf("override award %+v", env.Customer)
	}

	ds := h.TakeDeliveries()
	if len(ds) != 3 {
		t.Fatalf("deliveries %v", topics(ds))
	}
	p := payload(t, ds[0].Body)
	if p["points"] != 25.0 || p["action"] != "Birthday bonus" || p["type"] != contract.InfluenceIOPointsTypeAPI || p["ruleId"] != "" || p["id"] == "" ||
		p["customer"].(map[string]any)["pointBalance"] != 25.0 {
		t.Errorf("points/earned payload %s", ds[0].Body)
	}
	if p := payload(t, ds[1].Body); p["ruleId"] != "rule-review" || p["action"] != "Left a review" || p["points"] != 40.0 {
		t.Errorf("rule payload %s", ds[1].Body)
	}
}

func TestListCustomersCursor(t *testing.T) {
	h := newHarness(t, Config{})
	// Five customers a minute apart, then two sharing a createdAt (ordered by id).
	for _, id := range []string{"c1", "c2", "c3", "c4", "c5"} {
		h.put(id, `{"email":"`+id+`@example.com"}`)
		h.Advance(time.Minute)
	}
	h.put("c6", `{"email":"c6@example.com"}`)
	h.put("c7", `{"email":"c7@example.com"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c2"), nil, `{"points":100}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c4"), nil, `{"points":300}`)

	type page struct {
		Customers []testCustomer `json:"customers"`
		Cursor    *string        `json:"cursor"`
	}
	list := func(q url.Values) page {
		var p page
		decode(t, h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOPathCustomers, q, ""), &p)
		return p
	}
	ids := func(p page) []string {
		var out []string
		for _, c := range p.Customers {
			out = append(out, c.ExternalID)
		}
		return out
	}

	// Walk all pages of 3; other params sent with a cursor are ignored.
	var all []string
	p := list(url.Values{contract.InfluenceIOQueryLimit: {"3"}})
	all = append(all, ids(p)...)
	for pages := 1; p.Cursor != nil; pages++ {
		if pages > 10 {
			t.Fatalf("cursor walk does not end: %v", all)
		}
		p = list(url.Values{contract.InfluenceIOQueryCursor: {*p.Cursor}, contract.InfluenceIOQueryLimit: {"1"}, contract.InfluenceIOQueryPointBalanceMin: {"1000"}})
		if len(p.Customers) > 3 || len(p.Customers) == 0 {
			t.Fatalf("page of %d", len(p.Customers))
		}
		all = append(all, ids(p)...)
	}
	// c6 and c7 share a createdAt; their order is by Influence id, and id-N sorts as a string.
	want := []string{"c1", "c2", "c3", "c4", "c5"}
	if !slices.Equal(all[:5], want) || len(all) != 7 || !slices.Contains(all[5:], "c6") || !slices.Contains(all[5:], "c7") {
		t.Errorf("walk %v", all)
	}
	// The last page has a null cursor; a page that fits has one too.
	b := h.MustStatus(http.StatusOK, http.MethodGet, contract.InfluenceIOPathCustomers, nil, "")
	if p := payload(t, b); p["cursor"] != nil || len(p["customers"].([]any)) != 7 {
		t.Errorf("single page %s", b)
	}
	// A customer added mid-walk after the cursor is still reached; nothing repeats.
	p = list(url.Values{contract.InfluenceIOQueryLimit: {"2"}})
	h.Advance(time.Hour)
	h.put("c8", `{"email":"c8@example.com"}`)
	var rest []string
	for pages := 1; p.Cursor != nil; pages++ {
		if pages > 10 {
			t.Fatalf("cursor walk does not end: %v", rest)
		}
		p = list(url.Values{contract.InfluenceIOQueryCursor: {*p.Cursor}})
		rest = append(rest, ids(p)...)
	}
	if len(rest) != 6 || rest[5] != "c8" || slices.Contains(rest, "c1") {
		t.Errorf("walk with insert %v", rest)
	}

	// Filters, inclusive at both ends, carried by the cursor.
	p = list(url.Values{contract.InfluenceIOQueryPointBalanceMin: {"100"}, contract.InfluenceIOQueryPointBalanceMax: {"300"}, contract.InfluenceIOQueryLimit: {"1"}})
	if !slices.Equal(ids(p), []string{"c2"}) || p.Cursor == nil {
		t.Fatalf("balance filter page 1 %v", ids(p))
	}
	if p = list(url.Values{contract.InfluenceIOQueryCursor: {*p.Cursor}}); !slices.Equal(ids(p), []string{"c4"}) || p.Cursor != nil {
		t.Errorf("balance filter page 2 %v", ids(p))
	}
	p = list(url.Values{contract.InfluenceIOQueryCreatedAtMin: {t0.Add(time.Minute).Format(time.RFC3339)}, contract.InfluenceIOQueryCreatedAtMax: {t0.Add(3 * time.Minute).Format(time.RFC3339)}})
	if !slices.Equal(ids(p), []string{"c2", "c3", "c4"}) {
		t.Errorf("createdAt filter %v", ids(p))
	}
	p = list(url.Values{contract.InfluenceIOQueryUpdatedAtMin: {t0.Add(5 * time.Minute).Format(time.RFC3339)}, contract.InfluenceIOQueryUpdatedAtMax: {t0.Add(5 * time.Minute).Format(time.RFC3339)}})
	if !slices.Equal(ids(p), []string{"c2", "c4", "c6", "c7"}) {
		t.Errorf("updatedAt filter %v", ids(p))
	}
	// Only c2 and c4 were ever seen (awards touch lastSeenAt).
	p = list(url.Values{contract.InfluenceIOQueryLastSeenAtMin: {t0.Format(time.RFC3339)}})
	if !slices.Equal(ids(p), []string{"c2", "c4"}) {
		t.Errorf("lastSeenAtMin filter %v", ids(p))
	}
	p = list(url.Values{contract.InfluenceIOQueryLastSeenAtMax: {t0.Format(time.RFC3339)}})
	if len(p.Customers) != 0 {
		t.Errorf("lastSeenAtMax filter %v", ids(p))
	}

	for _, q := range []url.Values{
		{contract.InfluenceIOQueryCursor: {"garbage"}},
		{contract.InfluenceIOQueryLimit: {"0"}},
		{contract.InfluenceIOQueryLimit: {"101"}},
		{contract.InfluenceIOQueryLimit: {"ten"}},
		{contract.InfluenceIOQueryPointBalanceMin: {"-1"}},
		{contract.InfluenceIOQueryPointBalanceMax: {"lots"}},
		{contract.InfluenceIOQueryCreatedAtMin: {"yesterday"}},
		{contract.InfluenceIOQueryLastSeenAtMax: {"2026-13-01"}},
	} {
		h.mustError(http.StatusBadRequest, http.MethodGet, contract.InfluenceIOPathCustomers, q, "")
	}
}
