package yotpofake

import (
	"encoding/base64"
	"fmt"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// customer is the fake's state for one customer; guarded by Fake.mu.
type customer struct {
	seq              int64
	email            string
	firstName        string
	lastName         string
	phone            string
	countryISO       string
	thirdPartyID     string
	posAccountID     string
	tags             string
	hasAccount       bool
	accountCreatedAt *time.Time
	optIn            bool
	optedInAt        *time.Time
	birthMonth       *int
	birthDay         *int
	birthYear        *int
	anniversary      *calendarDay // nil: none set

	pointsBalance   int64
	pointsEarned    int64
	totalSpendCents int64
	totalPurchases  int64
	perksRedeemed   int64
	lastPurchaseAt  *time.Time
	lastSeenAt      time.Time
	createdAt       time.Time
	updatedAt       time.Time

	referralCode string
	delayed      []*redemption // delayed redemptions not yet deducted, oldest first (settled by an order's coupon)
	history      []historyItem
	completions  map[int64]int64 // campaign id → times completed
	tierID       int64           // 0: no tier
	tierEntry    *time.Time
}

// identifiers are the documented ways to name a customer.
type identifiers struct{ id, email, pos, phone string }

func (i identifiers) any() bool { return i.id != "" || i.email != "" || i.pos != "" || i.phone != "" }

// lookup finds the customer by the first identifier present, in the decided
// precedence customer_id, customer_email, pos_account_id, phone_number.
// Callers hold f.mu.
func (f *Fake) lookup(i identifiers) *customer {
	switch {
	case i.id != "":
		c, _ := f.byID.First(i.id)
		return c
	case i.email != "":
		return f.byEmail[strings.ToLower(i.email)]
	case i.pos != "":
		c, _ := f.byPOS.First(i.pos)
		return c
	case i.phone != "":
		c, _ := f.byPhone.First(i.phone)
		return c
	}
	return nil
}

// lookupOr404 is lookup that answers 404 when no customer matches. Callers
// hold f.mu.
func (f *Fake) lookupOr404(w http.ResponseWriter, i identifiers) *customer {
	c := f.lookup(i)
	if c == nil {
		WriteError(w, http.StatusNotFound, "Customer not found")
	}
	return c
}

// setIdentifiers changes c's customer_id, pos_account_id and phone number
// (nil: unchanged) and re-indexes c under them. Callers hold f.mu.
func (f *Fake) setIdentifiers(c *customer, id, pos, phone *string) {
	for _, x := range []struct {
		index *fakekit.Index[string, *customer]
		field *string
		v     *string
	}{{f.byID, &c.thirdPartyID, id}, {f.byPOS, &c.posAccountID, pos}, {f.byPhone, &c.phone, phone}} {
		if x.v != nil {
			x.index.Move(*x.field, *x.v, c)
			*x.field = *x.v
		}
	}
}

// unindex removes c from every customer lookup. Callers hold f.mu.
func (f *Fake) unindex(c *customer) {
	delete(f.byEmail, strings.ToLower(c.email))
	f.byID.Remove(c.thirdPartyID, c)
	f.byPOS.Remove(c.posAccountID, c)
	f.byPhone.Remove(c.phone, c)
}

// newCustomer creates and indexes a customer and emits swell/account/created.
// Callers hold f.mu and have validated email.
func (f *Fake) newCustomer(email string) *customer {
	now := f.env.Now()
	c := &customer{
		seq:         f.nextID(),
		email:       email,
		createdAt:   now,
		updatedAt:   now,
		lastSeenAt:  now,
		completions: map[int64]int64{},
	}
	c.referralCode = fmt.Sprintf("ref%06d", c.seq)
	f.customers = append(f.customers, c)
	f.byEmail[strings.ToLower(email)] = c
	return c
}

// customerRequest is the body of POST /customers (with the corrected
// names opted_in and platform_account_created_at; the response object still
// reports opt_in).
type customerRequest struct {
	ID                       *string `json:"id"`
	Email                    string  `json:"email"`
	FirstName                *string `json:"first_name"`
	LastName                 *string `json:"last_name"`
	PhoneNumber              *string `json:"phone_number"`
	CountryISOCode           *string `json:"country_iso_code"`
	HasAccount               *bool   `json:"has_account"`
	PlatformAccountCreatedAt *string `json:"platform_account_created_at"`
	OptedIn                  *bool   `json:"opted_in"`
	POSAccountID             *string `json:"pos_account_id"`
	Tags                     *string `json:"tags"`
	OptedInAt                *string `json:"opted_in_at"`
}

// postCustomer serves POST /customers: update the customer named by `id` (so
// an email change is an update) or else by `email`, or create one. Absent
// fields stay unchanged; `tags` overwrites. A new customer with no
// `opted_in` is not opted in (decided: the account requires explicit
// opt-in).
func (f *Fake) postCustomer(w http.ResponseWriter, r *http.Request) {
	var req customerRequest
	if !f.readBody(w, r, &req) {
		return
	}
	if req.Email == "" {
		WriteError(w, http.StatusBadRequest, "email is required")
		return
	}
	if !strings.Contains(req.Email, "@") {
		WriteError(w, http.StatusUnprocessableEntity, "email is invalid")
		return
	}
	accountCreated, err1 := parseOptionalTime(req.PlatformAccountCreatedAt)
	optedIn, err2 := parseOptionalTime(req.OptedInAt)
	if err1 != nil || err2 != nil {
		WriteError(w, http.StatusUnprocessableEntity, "platform_account_created_at and opted_in_at must be dates or date-times")
		return
	}

	f.mu.Lock()
	defer f.mu.Unlock()
	var c *customer
	if req.ID != nil && *req.ID != "" {
		c = f.lookup(identifiers{id: *req.ID})
	}
	if c == nil {
		c = f.byEmail[strings.ToLower(req.Email)]
	} else if other := f.byEmail[strings.ToLower(req.Email)]; other != nil && other != c {
		WriteError(w, http.StatusUnprocessableEntity, "email is already taken by another customer")
		return
	}
	created := c == nil
	if created {
		c = f.newCustomer(req.Email)
	} else if !strings.EqualFold(c.email, req.Email) {
		delete(f.byEmail, strings.ToLower(c.email))
		f.byEmail[strings.ToLower(req.Email)] = c
	}
	c.email = req.Email
	f.setIdentifiers(c, req.ID, req.POSAccountID, req.PhoneNumber)
	setString(&c.firstName, req.FirstName)
	setString(&c.lastName, req.LastName)
	setString(&c.countryISO, req.CountryISOCode)
	setString(&c.tags, req.Tags)
	if req.HasAccount != nil {
		c.hasAccount = *req.HasAccount
	}
	if accountCreated != nil {
		c.accountCreatedAt = accountCreated
	}
	c.updatedAt = f.env.Now()
	if created {
		f.emit(contract.YotpoTopicAccountCreated, c, nil)
	}
	f.setOptIn(c, req.OptedIn, optedIn)
	j := f.customerValue(c, false, false)
	writeCustomer(w, &j)
}

// setOptIn applies an opt-in change and emits loyalty/opt_in or
// loyalty/opt_out when the flag flips. Callers hold f.mu.
func (f *Fake) setOptIn(c *customer, optIn *bool, at *time.Time) {
	if optIn == nil || *optIn == c.optIn {
		if at != nil && c.optIn {
			c.optedInAt = at
		}
		return
	}
	c.optIn = *optIn
	c.updatedAt = f.env.Now()
	if c.optIn {
		if at == nil {
			now := f.env.Now()
			at = &now
		}
		c.optedInAt = at
		f.emit(contract.YotpoTopicOptIn, c, nil)
		return
	}
	c.optedInAt = nil
	f.emit(contract.YotpoTopicOptOut, c, nil)
}

func setString(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

// getCustomer serves GET /customers by one identifier.
func (f *Fake) getCustomer(w http.ResponseWriter, r *http.Request) {
	var q [len(getCustomerParams)]string
	fakekit.Query(r.URL.RawQuery).GetEach(getCustomerParams[:], q[:])
	id := identifiers{id: q[0], email: q[1], pos: q[2], phone: q[3]}
	if !id.any() {
		WriteError(w, http.StatusBadRequest, "one of customer_id, customer_email, pos_account_id or phone_number is required")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, id)
	if c == nil {
		return
	}
	j := f.customerValue(c, queryBool(q[4]), queryBool(q[5]))
	writeCustomer(w, &j)
}

// getCustomerParams are the query parameters GET /customers reads, in one
// pass: the identifiers in identifiers' order, then the two flags.
var getCustomerParams = [...]string{
	contract.YotpoQueryCustomerID, contract.YotpoQueryCustomerEmail, contract.YotpoQueryPOSAccountID, contract.YotpoQueryPhoneNumber,
	contract.YotpoQueryWithHistory, contract.YotpoQueryWithReferralCode,
}

// customerPage is the body of /customers/all.
type customerPage struct {
	Customers []*customerJSON `json:"customers"`
	Links     struct {
		TotalPages int `json:"total_pages"`
	} `json:"links"`
}

// recentPage is the body of /customers/recent (corrected 2026-12-01):
// the next cursor is metadata.next_page_info, absent on the last page.
type recentPage struct {
	Customers []*customerJSON `json:"customers"`
	Metadata  struct {
		NextPageInfo string `json:"next_page_info,omitempty"`
	} `json:"metadata"`
}

// recentKey is a position in the /customers/recent order (newest update
// first, then newest customer first). The page_info cursor names the last
// customer of the previous page by it, so that a page starts after that
// customer however many customers came or went before it (decided).
type recentKey struct {
	updated int64 // updatedAt, Unix nanoseconds
	seq     int64
}

func keyOf(c *customer) recentKey { return recentKey{c.updatedAt.UnixNano(), c.seq} }

// before reports whether k comes before o in the recent order.
func (k recentKey) before(o recentKey) bool {
	if k.updated != o.updated {
		return k.updated > o.updated
	}
	return k.seq > o.seq
}

func (k recentKey) cursor() string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(k.updated, 10) + "." + strconv.FormatInt(k.seq, 10)))
}

func parseCursor(s string) (recentKey, bool) {
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil {
		return recentKey{}, false
	}
	u, sq, ok := strings.Cut(string(b), ".")
	updated, err1 := strconv.ParseInt(u, 10, 64)
	seq, err2 := strconv.ParseInt(sq, 10, 64)
	return recentKey{updated, seq}, ok && err1 == nil && err2 == nil
}

// listRecent serves GET /customers/recent: newest update first, one page of
// per_page after the customer the page_info cursor names (the first page
// when it is absent). An unreadable cursor is 400.
func (f *Fake) listRecent(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	perPage, ok := perPageParam(w, q)
	if !ok {
		return
	}
	var after *recentKey
	if s := q.Get(contract.YotpoQueryPageInfo); s != "" {
		k, ok := parseCursor(s)
		if !ok {
			WriteError(w, http.StatusBadRequest, "page_info is not a valid cursor")
			return
		}
		after = &k
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	list := append([]*customer(nil), f.customers...)
	sort.Slice(list, func(i, j int) bool { return keyOf(list[i]).before(keyOf(list[j])) })
	start := 0
	if after != nil {
		start = sort.Search(len(list), func(i int) bool { return after.before(keyOf(list[i])) })
	}
	end := min(len(list), start+perPage)
	out := recentPage{Customers: make([]*customerJSON, 0, end-start)}
	for _, c := range list[start:end] {
		out.Customers = append(out.Customers, f.customerWire(c, false, false))
	}
	if end < len(list) {
		out.Metadata.NextPageInfo = keyOf(list[end-1]).cursor()
	}
	writeJSON(w, out)
}

// listAll serves GET /customers/all in creation order, keeping customers
// seen at or after `last_seen_at` when given.
func (f *Fake) listAll(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	page, perPage, ok := paging(w, q)
	if !ok {
		return
	}
	var since *time.Time
	if s := q.Get(contract.YotpoQueryLastSeenAt); s != "" {
		t, err := parseTime(s)
		if err != nil {
			WriteError(w, http.StatusBadRequest, "last_seen_at must be an ISO-8601 date-time")
			return
		}
		since = &t
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var list []*customer
	for _, c := range f.customers {
		if since == nil || !c.lastSeenAt.Before(*since) {
			list = append(list, c)
		}
	}
	f.writePage(w, list, page, perPage)
}

// paging reads page (1-based, default 1) and per_page.
func paging(w http.ResponseWriter, q url.Values) (page, perPage int, ok bool) {
	page = 1
	if s := q.Get(contract.YotpoQueryPage); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			WriteError(w, http.StatusBadRequest, "page must be a positive integer")
			return 0, 0, false
		}
		page = n
	}
	perPage, ok = perPageParam(w, q)
	return page, perPage, ok
}

// perPageParam reads per_page (default and maximum contract.YotpoMaxPerPage;
// larger values are clamped, decided).
func perPageParam(w http.ResponseWriter, q url.Values) (int, bool) {
	perPage := contract.YotpoMaxPerPage
	if s := q.Get(contract.YotpoQueryPerPage); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			WriteError(w, http.StatusBadRequest, "per_page must be a positive integer")
			return 0, false
		}
		perPage = min(n, contract.YotpoMaxPerPage)
	}
	return perPage, true
}

// writePage answers one page; total_pages is at least 1 so that page 1 of an
// empty list is a valid, empty page, and any page past the end (however
// large) is empty. Callers hold f.mu.
func (f *Fake) writePage(w http.ResponseWriter, list []*customer, page, perPage int) {
	var out customerPage
	out.Links.TotalPages = max(1, (len(list)+perPage-1)/perPage)
	out.Customers = []*customerJSON{}
	// A page past the end is empty. Compare page with total_pages before
	// multiplying, so that no page number can overflow the offset.
	if page <= out.Links.TotalPages {
		start := (page - 1) * perPage
		for _, c := range list[start:min(len(list), start+perPage)] {
			out.Customers = append(out.Customers, f.customerWire(c, false, false))
		}
	}
	writeJSON(w, out)
}

// birthdayRequest is the body of POST /customer_birthdays and of
// POST /customer_anniversary (which takes customer_email only).
type birthdayRequest struct {
	CustomerEmail string `json:"customer_email"`
	CustomerID    string `json:"customer_id"`
	Day           int    `json:"day"`
	Month         int    `json:"month"`
	Year          *int   `json:"year"`
}

// checkDay answers 400 unless day, month and year are in range.
func (req birthdayRequest) checkDay(w http.ResponseWriter) bool {
	switch {
	case req.Day < 1 || req.Day > 31 || req.Month < 1 || req.Month > 12:
		WriteError(w, http.StatusBadRequest, "day must be 1-31 and month 1-12")
		return false
	case req.Year != nil && (*req.Year < 1000 || *req.Year > 9999):
		WriteError(w, http.StatusBadRequest, "year must have 4 digits")
		return false
	}
	return true
}

// postBirthday serves POST /customer_birthdays: the customer by
// customer_email or customer_id (corrected 2026-12-01).
func (f *Fake) postBirthday(w http.ResponseWriter, r *http.Request) {
	var req birthdayRequest
	if !f.readBody(w, r, &req) {
		return
	}
	if req.CustomerEmail == "" && req.CustomerID == "" {
		WriteError(w, http.StatusBadRequest, "customer_email or customer_id is required")
		return
	}
	if !req.checkDay(w) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.lookupOr404(w, identifiers{id: req.CustomerID, email: req.CustomerEmail})
	if c == nil {
		return
	}
	day, month := req.Day, req.Month
	c.birthDay, c.birthMonth, c.birthYear = &day, &month, req.Year
	c.updatedAt = f.env.Now()
	writeOK(w)
}

// customerJSON is the REST customer object.
type customerJSON struct {
	Email                   string          `json:"email"`
	FirstName               string          `json:"first_name"`
	LastName                string          `json:"last_name"`
	PhoneNumber             string          `json:"phone_number"`
	ThirdPartyID            string          `json:"third_party_id"`
	ThirtyPartyID           string          `json:"thirty_party_id"`
	POSAccountID            *string         `json:"pos_account_id"`
	HasStoreAccount         bool            `json:"has_store_account"`
	PointsBalance           int64           `json:"points_balance"`
	PointsEarned            int64           `json:"points_earned"`
	PointsExpireAt          *string         `json:"points_expire_at"`
	TotalSpendCents         int64           `json:"total_spend_cents"`
	TotalPurchases          int64           `json:"total_purchases"`
	PerksRedeemed           int64           `json:"perks_redeemed"`
	LastPurchaseAt          *string         `json:"last_purchase_at"`
	LastSeenAt              string          `json:"last_seen_at"`
	CreditBalance           string          `json:"credit_balance"`
	CreditBalanceInCurrency string          `json:"credit_balance_in_customer_currency"`
	OptIn                   bool            `json:"opt_in"`
	OptedInAt               *string         `json:"opted_in_at"`
	Tags                    string          `json:"tags"`
	BirthdayMonth           *int            `json:"birthday_month"`
	BirthDay                *int            `json:"birth_day"`
	BirthdayYear            *int            `json:"birthday_year"`
	VIPTierName             *string         `json:"vip_tier_name"`
	VIPTierEntryDate        *string         `json:"vip_tier_entry_date"`
	VIPTierExpiration       *string         `json:"vip_tier_expiration"`
	VIPTierActionsCompleted vipActions      `json:"vip_tier_actions_completed"`
	VIPTierUpgrade          vipRequirements `json:"vip_tier_upgrade_requirements"`
	VIPTierMaintenance      vipRequirements `json:"vip_tier_maintenance_requirements"`
	ReferralCode            *referralCode   `json:"referral_code,omitempty"`
	ReferralLink            *referralLink   `json:"referral_link,omitempty"`
	HistoryItems            *[]historyJSON  `json:"history_items,omitempty"`
}

type vipActions struct {
	PointsEarned             int64    `json:"points_earned"`
	AmountSpentCents         int64    `json:"amount_spent_cents"`
	AmountSpentCentsCurrency int64    `json:"amount_spent_cents_in_customer_currency"`
	PurchasesMade            int64    `json:"purchases_made"`
	ReferralsCompleted       int64    `json:"referrals_completed"`
	CampaignsCompleted       []string `json:"campaigns_completed"`
}

type vipRequirements struct {
	PointsNeeded           int64    `json:"points_needed"`
	AmountCentsNeeded      int64    `json:"amount_cents_needed"`
	AmountCentsNeededInCur int64    `json:"amount_cents_needed_in_customer_currency"`
	PurchasesNeeded        int64    `json:"purchases_needed"`
	ReferralsNeeded        int64    `json:"referrals_needed"`
	CampaignsNeeded        []string `json:"campaigns_needed"`
}

type referralCode struct {
	Code                       string              `json:"code"`
	TotalClicks                int64               `json:"total_clicks"`
	UniqueClicks               int64               `json:"unique_clicks"`
	Shares                     int64               `json:"shares"`
	Orders                     int64               `json:"orders"`
	AmountCents                int64               `json:"amount_cents"`
	Expired                    bool                `json:"expired"`
	CompletedReferralCustomers []completedReferral `json:"completed_referral_customers"`
}

// completedReferral is a friend whose referral completed (documented shape;
// the fake completes no referrals yet, so the list stays empty).
type completedReferral struct {
	Email     string `json:"email"`
	FirstName string `json:"first_name"`
	LastName  string `json:"last_name"`
}

type referralLink struct {
	Link       string `json:"link"`
	Code       string `json:"code"`
	Expired    bool   `json:"expired"`
	CustomerID string `json:"customer_id"`
}

// referralURL is the decided shape of a customer's referral link.
func referralURL(code string) string { return "rwrd.io/" + code }

// customerWire renders c; callers hold f.mu.
func (f *Fake) customerWire(c *customer, withHistory, withReferral bool) *customerJSON {
	j := f.customerValue(c, withHistory, withReferral)
	return &j
}

// customerValue is customerWire's customer, by value: GET /customers keeps
// it on the stack while writeCustomer encodes it. Callers hold f.mu.
func (f *Fake) customerValue(c *customer, withHistory, withReferral bool) customerJSON {
	j := customerJSON{
		Email: c.email, FirstName: c.firstName, LastName: c.lastName, PhoneNumber: c.phone,
		ThirdPartyID: c.thirdPartyID, ThirtyPartyID: c.thirdPartyID, HasStoreAccount: c.hasAccount,
		PointsBalance: c.pointsBalance, PointsEarned: c.pointsEarned,
		TotalSpendCents: c.totalSpendCents, TotalPurchases: c.totalPurchases, PerksRedeemed: c.perksRedeemed,
		LastPurchaseAt: fakekit.TimePtr(c.lastPurchaseAt), LastSeenAt: fakekit.FormatTime(c.lastSeenAt),
		CreditBalance: "$0", CreditBalanceInCurrency: "$0",
		OptIn: c.optIn, OptedInAt: fakekit.TimePtr(c.optedInAt), Tags: c.tags,
		BirthdayMonth: c.birthMonth, BirthDay: c.birthDay, BirthdayYear: c.birthYear,
		VIPTierActionsCompleted: vipActions{
			PointsEarned: c.pointsEarned, AmountSpentCents: c.totalSpendCents,
			AmountSpentCentsCurrency: c.totalSpendCents, PurchasesMade: c.totalPurchases,
			CampaignsCompleted: []string{},
		},
	}
	if c.posAccountID != "" {
		j.POSAccountID = &c.posAccountID
	}
	if t, ok := f.tierByID(c.tierID); ok {
		// A copy of the name, so that only a customer in a tier moves
		// one to the heap (&t.Name would move t on every call).
		name := t.Name
		j.VIPTierName = &name
		j.VIPTierEntryDate = fakekit.TimePtr(c.tierEntry)
	}
	j.VIPTierUpgrade = f.upgradeRequirements(c)
	j.VIPTierMaintenance = vipRequirements{CampaignsNeeded: []string{}}
	if withReferral {
		j.ReferralCode = &referralCode{Code: c.referralCode, CompletedReferralCustomers: []completedReferral{}}
		j.ReferralLink = &referralLink{Link: referralURL(c.referralCode), Code: c.referralCode, CustomerID: c.thirdPartyID}
	}
	if withHistory {
		items := make([]historyJSON, 0, len(c.history))
		for _, h := range c.history {
			items = append(items, h.wire())
		}
		j.HistoryItems = &items
	}
	return j
}

func writeJSON(w http.ResponseWriter, v any) { fakekit.WriteJSON(w, http.StatusOK, v) }

// queryBool reads a boolean query value; anything but a true value is false.
func queryBool(s string) bool {
	b, _ := strconv.ParseBool(s)
	return b
}
