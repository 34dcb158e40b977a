package influenceiofake

import (
	"encoding/base64"
	"encoding/json"
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
	id               string // Influence's own id (a UUID from env.NewID)
	externalID       string // the merchant's id, the path id
	email            string
	firstName        string
	lastName         string
	name             string
	phone            string
	birthdayMonth    *int
	birthdayDay      *int
	acceptsMarketing bool
	tags             []string
	pointBalance     int
	lifetimePoints   int    // points ever earned, net of refunds: places the tier
	tierID           string // "" when in no tier
	referralLink     string
	removed          bool   // left the program (membership/remove); earns nothing from orders
	membershipID     string // "" when removed; DefaultMembershipID unless enrolled in another
	lastSeenAt       *time.Time
	createdAt        time.Time
	updatedAt        time.Time
}

// customerJSON is the REST customer object.
type customerJSON struct {
	ID                   string   `json:"id"`
	ExternalID           string   `json:"externalId"`
	Email                string   `json:"email"`
	FirstName            string   `json:"firstName"`
	LastName             string   `json:"lastName"`
	Name                 string   `json:"name"`
	Phone                string   `json:"phone"`
	BirthdayMonth        *int     `json:"birthdayMonth"`
	BirthdayDay          *int     `json:"birthdayDay"`
	AcceptsMarketing     bool     `json:"acceptsMarketing"`
	Tags                 []string `json:"tags"`
	PointBalance         int      `json:"pointBalance"`
	ReferralLink         string   `json:"referralLink"`
	CurrentLoyaltyTier   *tierRef `json:"currentLoyaltyTier"`
	CurrentLoyaltyTierID *string  `json:"currentLoyaltyTierId"`
	CurrentMembershipID  *string  `json:"currentMembershipId"` // null when removed (documented by public Influence.io client code)
	// CurrentMembership is the enrolled program, null when removed; the
	// fake knows no title or perks (decided).
	CurrentMembership *membershipRef `json:"currentMembership"`
	// TierProgress is the absolute progress through the tiers
	// (currentLoyaltyTierProgress, documented for the Launcher customer):
	// the fake places tiers by lifetime points, so it is those.
	TierProgress int     `json:"currentLoyaltyTierProgress"`
	LastSeenAt   *string `json:"lastSeenAt"`
	CreatedAt    string  `json:"createdAt"`
	UpdatedAt    string  `json:"updatedAt"`
}

func (f *Fake) customerWire(c *customer) *customerJSON {
	tags := c.tags
	if tags == nil {
		tags = []string{}
	}
	j := &customerJSON{
		ID: c.id, ExternalID: c.externalID, Email: c.email, FirstName: c.firstName, LastName: c.lastName,
		Name: c.name, Phone: c.phone, BirthdayMonth: c.birthdayMonth, BirthdayDay: c.birthdayDay,
		AcceptsMarketing: c.acceptsMarketing, Tags: tags, PointBalance: c.pointBalance,
		ReferralLink: c.referralLink, LastSeenAt: fakekit.TimePtr(c.lastSeenAt),
		CreatedAt: fakekit.FormatTime(c.createdAt), UpdatedAt: fakekit.FormatTime(c.updatedAt),
	}
	if !c.removed {
		m := c.membershipID
		j.CurrentMembershipID = &m
		j.CurrentMembership = &membershipRef{ID: m, Perks: []string{}}
	}
	j.TierProgress = c.lifetimePoints
	if t := f.tier(c.tierID); t != nil {
		j.CurrentLoyaltyTier, j.CurrentLoyaltyTierID = t.ref(), &t.ID
	}
	return j
}

// membershipRef is a customer's currentMembership.
type membershipRef struct {
	ID    string   `json:"id"`
	Title string   `json:"title"`
	Perks []string `json:"perks"`
}

// customerEnvelope is the `{"customer": …}` wrapper of single customers.
type customerEnvelope struct {
	Customer *customerJSON `json:"customer"`
}

// customerByEmail finds the earliest-created customer with email
// (case-insensitive). Callers hold f.mu.
func (f *Fake) customerByEmail(email string) *customer {
	c, _ := f.byEmail.First(strings.ToLower(email))
	return c
}

// before is the listing order: createdAt, then id.
func before(a, b *customer) bool {
	if !a.createdAt.Equal(b.createdAt) {
		return a.createdAt.Before(b.createdAt)
	}
	return a.id < b.id
}

// customerOr404 returns the customer with external id, or answers 404 and
// returns nil. Callers hold f.mu.
func (f *Fake) customerOr404(w http.ResponseWriter, id string) *customer {
	c := f.customers[id]
	if c == nil {
		writeError(w, http.StatusNotFound, "Customer not found")
	}
	return c
}

// getCustomer serves GET /v1/customers/{id}.
func (f *Fake) getCustomer(w http.ResponseWriter, _ *http.Request, id string) {
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.customerOr404(w, id)
	if c == nil {
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, customerEnvelope{f.customerWire(c)})
}

// customerRequest is the body of PUT /v1/customers/{id}.
type customerRequest struct {
	Email            *string   `json:"email"`
	FirstName        *string   `json:"firstName"`
	LastName         *string   `json:"lastName"`
	Name             *string   `json:"name"`
	Phone            *string   `json:"phone"`
	BirthdayMonth    *int      `json:"birthdayMonth"`
	BirthdayDay      *int      `json:"birthdayDay"`
	AcceptsMarketing *bool     `json:"acceptsMarketing"`
	Tags             *[]string `json:"tags"`
}

// putCustomer serves PUT /v1/customers/{id}: create (email required; name
// defaults to "first last") or update (absent fields unchanged; tags
// replaced when present). Both emit customers/updated (decided).
func (f *Fake) putCustomer(w http.ResponseWriter, r *http.Request, id string) {
	var req customerRequest
	if !f.readBody(w, r, &req) {
		return
	}
	switch {
	case req.Email != nil && !strings.Contains(*req.Email, "@"):
		invalid(w, "email is invalid")
		return
	case req.BirthdayMonth != nil && (*req.BirthdayMonth < 1 || *req.BirthdayMonth > 12):
		invalid(w, "birthdayMonth must be 1-12")
		return
	case req.BirthdayDay != nil && (*req.BirthdayDay < 1 || *req.BirthdayDay > 31):
		invalid(w, "birthdayDay must be 1-31")
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.customers[id]
	now := f.env.Now()
	if c == nil {
		if req.Email == nil {
			invalid(w, "email is required")
			return
		}
		c = &customer{id: f.env.NewID(), externalID: id, createdAt: now, membershipID: DefaultMembershipID}
		c.referralLink = "https://influence.io/r/" + url.PathEscape(f.env.NewID())
		f.customers[id] = c
		if req.Name == nil {
			name := strings.TrimSpace(deref(req.FirstName) + " " + deref(req.LastName))
			req.Name = &name
		}
	}
	if req.Email != nil {
		f.byEmail.Move(strings.ToLower(c.email), strings.ToLower(*req.Email), c)
		c.email = *req.Email
	}
	set(&c.firstName, req.FirstName)
	set(&c.lastName, req.LastName)
	set(&c.name, req.Name)
	set(&c.phone, req.Phone)
	if req.BirthdayMonth != nil {
		c.birthdayMonth = req.BirthdayMonth
	}
	if req.BirthdayDay != nil {
		c.birthdayDay = req.BirthdayDay
	}
	if req.AcceptsMarketing != nil {
		c.acceptsMarketing = *req.AcceptsMarketing
	}
	if req.Tags != nil {
		c.tags = append([]string{}, *req.Tags...)
	}
	c.updatedAt = now
	f.emit(contract.InfluenceIOTopicCustomersUpdated, f.webhookCustomer(c))
	fakekit.WriteJSON(w, http.StatusOK, customerEnvelope{f.customerWire(c)})
}

func set(dst *string, v *string) {
	if v != nil {
		*dst = *v
	}
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}

// EarnRule is an earn rule seeded into the account, referenced by
// `earnRuleId` on POST /v1/customers/{id}/points.
type EarnRule struct {
	ID     string `json:"id"`
	Title  string `json:"title,omitempty"` // the default `action` summary
	Points int    `json:"points"`          // awarded when the request has no `points`
	// UpdateLastSeenAt is the rule's default for updateLastSeenAt; nil means true.
	UpdateLastSeenAt *bool `json:"updateLastSeenAt,omitempty"`
}

// AddEarnRule seeds an earn rule (replacing one with the same ID).
func (f *Fake) AddEarnRule(r EarnRule) {
	f.mu.Lock()
	defer f.mu.Unlock()
	f.earnRules[r.ID] = r
}

// pointsRequest is the body of POST /v1/customers/{id}/points.
type pointsRequest struct {
	Points           *int   `json:"points"`
	Action           string `json:"action"`
	EarnRuleID       string `json:"earnRuleId"`
	UpdateLastSeenAt *bool  `json:"updateLastSeenAt"`
}

// awardPoints serves POST /v1/customers/{id}/points and emits points/earned
// with type "api".
func (f *Fake) awardPoints(w http.ResponseWriter, r *http.Request, id string) {
	var req pointsRequest
	if !f.readBody(w, r, &req) {
		return
	}
	switch {
	case req.Points == nil && req.EarnRuleID == "":
		invalid(w, "points or earnRuleId is required")
		return
	case req.Points != nil && *req.Points <= 0:
		invalid(w, "points must be greater than 0")
		return
	case req.Points != nil && *req.Points > fakekit.MaxExact:
		invalid(w, fakekit.ErrOutOfRange.Error())
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	c := f.customerOr404(w, id)
	if c == nil {
		return
	}
	points, action, touch := 0, req.Action, true
	if req.EarnRuleID != "" {
		rule, ok := f.earnRules[req.EarnRuleID]
		if !ok {
			writeError(w, http.StatusNotFound, "Earn rule not found")
			return
		}
		points = rule.Points
		if action == "" {
			action = rule.Title
		}
		if rule.UpdateLastSeenAt != nil {
			touch = *rule.UpdateLastSeenAt
		}
	}
	if req.Points != nil {
		points = *req.Points
	}
	if points <= 0 {
		invalid(w, "the earn rule awards no points")
		return
	}
	_, okBal := fakekit.Add(c.pointBalance, points)
	_, okLife := fakekit.Add(c.lifetimePoints, points)
	if !okBal || !okLife {
		writeError(w, http.StatusUnprocessableEntity, errBeyondRange)
		return
	}
	if req.UpdateLastSeenAt != nil {
		touch = *req.UpdateLastSeenAt
	}
	if action == "" {
		action = "Points awarded"
	}
	f.earn(c, points, action, contract.InfluenceIOPointsTypeAPI, req.EarnRuleID, touch)
	fakekit.WriteJSON(w, http.StatusOK, customerEnvelope{f.customerWire(c)})
}

// earn credits c and emits points/earned. Callers hold f.mu.
func (f *Fake) earn(c *customer, points int, action, typ, ruleID string, touch bool) {
	now := f.env.Now()
	c.pointBalance += points
	c.lifetimePoints += points
	c.updatedAt = now
	if touch {
		c.lastSeenAt = &now
	}
	f.emit(contract.InfluenceIOTopicPointsEarned, pointsEvent{
		ID: f.env.NewID(), Customer: f.webhookCustomer(c), Action: action, Points: points, Type: typ, RuleID: ruleID,
	})
	f.placeTier(c)
}

// listFilter is what a first list request asks for; the cursor carries it.
type listFilter struct {
	Limit           int        `json:"l"`
	PointBalanceMin *float64   `json:"pmin,omitempty"`
	PointBalanceMax *float64   `json:"pmax,omitempty"`
	CreatedAtMin    *time.Time `json:"cmin,omitempty"`
	CreatedAtMax    *time.Time `json:"cmax,omitempty"`
	UpdatedAtMin    *time.Time `json:"umin,omitempty"`
	UpdatedAtMax    *time.Time `json:"umax,omitempty"`
	LastSeenAtMin   *time.Time `json:"smin,omitempty"`
	LastSeenAtMax   *time.Time `json:"smax,omitempty"`
}

// cursorState is the decoded cursor: the filter and the last item served,
// so a page resumes after it even when customers were added meanwhile.
type cursorState struct {
	Filter     listFilter `json:"f"`
	AfterAt    time.Time  `json:"at"`
	AfterID    string     `json:"id"`
	AfterValid bool       `json:"v"`
}

func encodeCursor(s cursorState) string {
	b, _ := json.Marshal(s) // plain struct: cannot fail
	return base64.RawURLEncoding.EncodeToString(b)
}

func decodeCursor(s string) (cursorState, bool) {
	var st cursorState
	b, err := base64.RawURLEncoding.DecodeString(s)
	if err != nil || json.Unmarshal(b, &st) != nil || !st.AfterValid || st.Filter.Limit < 1 || st.Filter.Limit > contract.InfluenceIOMaxLimit {
		return cursorState{}, false
	}
	return st, true
}

// parseFilter reads the first-page query; the message says what is wrong.
func parseFilter(q url.Values) (listFilter, string) {
	lf := listFilter{Limit: contract.InfluenceIODefaultLimit}
	if s := q.Get(contract.InfluenceIOQueryLimit); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 || n > contract.InfluenceIOMaxLimit {
			return lf, "limit must be an integer from 1 to " + strconv.Itoa(contract.InfluenceIOMaxLimit)
		}
		lf.Limit = n
	}
	for _, p := range []struct {
		name string
		dst  **float64
	}{{contract.InfluenceIOQueryPointBalanceMin, &lf.PointBalanceMin}, {contract.InfluenceIOQueryPointBalanceMax, &lf.PointBalanceMax}} {
		if s := q.Get(p.name); s != "" {
			v, err := strconv.ParseFloat(s, 64)
			if err != nil || v < 0 {
				return lf, p.name + " must be a number >= 0"
			}
			*p.dst = &v
		}
	}
	for _, p := range []struct {
		name string
		dst  **time.Time
	}{
		{contract.InfluenceIOQueryCreatedAtMin, &lf.CreatedAtMin}, {contract.InfluenceIOQueryCreatedAtMax, &lf.CreatedAtMax},
		{contract.InfluenceIOQueryUpdatedAtMin, &lf.UpdatedAtMin}, {contract.InfluenceIOQueryUpdatedAtMax, &lf.UpdatedAtMax},
		{contract.InfluenceIOQueryLastSeenAtMin, &lf.LastSeenAtMin}, {contract.InfluenceIOQueryLastSeenAtMax, &lf.LastSeenAtMax},
	} {
		if s := q.Get(p.name); s != "" {
			t, err := time.Parse(time.RFC3339Nano, s)
			if err != nil {
				return lf, p.name + " must be an ISO-8601 date-time"
			}
			*p.dst = &t
		}
	}
	return lf, ""
}

// keep reports whether c passes the filter; all bounds are inclusive, and a
// lastSeenAt bound excludes customers never seen.
func (lf listFilter) keep(c *customer) bool {
	bal := float64(c.pointBalance)
	if (lf.PointBalanceMin != nil && bal < *lf.PointBalanceMin) || (lf.PointBalanceMax != nil && bal > *lf.PointBalanceMax) {
		return false
	}
	if !inRange(c.createdAt, lf.CreatedAtMin, lf.CreatedAtMax) || !inRange(c.updatedAt, lf.UpdatedAtMin, lf.UpdatedAtMax) {
		return false
	}
	if lf.LastSeenAtMin != nil || lf.LastSeenAtMax != nil {
		return c.lastSeenAt != nil && inRange(*c.lastSeenAt, lf.LastSeenAtMin, lf.LastSeenAtMax)
	}
	return true
}

func inRange(t time.Time, lo, hi *time.Time) bool {
	return (lo == nil || !t.Before(*lo)) && (hi == nil || !t.After(*hi))
}

// customerList is the body of GET /v1/customers.
type customerList struct {
	Customers []*customerJSON `json:"customers"`
	Cursor    *string         `json:"cursor"`
}

// listCustomers serves GET /v1/customers. With a cursor every other query
// parameter is ignored: the cursor carries the filters and limit.
func (f *Fake) listCustomers(w http.ResponseWriter, r *http.Request, _ string) {
	q := r.URL.Query()
	var st cursorState
	if s := q.Get(contract.InfluenceIOQueryCursor); s != "" {
		var ok bool
		if st, ok = decodeCursor(s); !ok {
			invalid(w, "cursor is not valid")
			return
		}
	} else {
		lf, msg := parseFilter(q)
		if msg != "" {
			invalid(w, msg)
			return
		}
		st.Filter = lf
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var list []*customer
	for _, c := range f.customers {
		if !st.Filter.keep(c) {
			continue
		}
		if st.AfterValid && !before(&customer{createdAt: st.AfterAt, id: st.AfterID}, c) {
			continue
		}
		list = append(list, c)
	}
	sort.Slice(list, func(i, j int) bool { return before(list[i], list[j]) })
	out := customerList{Customers: []*customerJSON{}}
	for i := 0; i < len(list) && i < st.Filter.Limit; i++ {
		out.Customers = append(out.Customers, f.customerWire(list[i]))
	}
	if len(list) > st.Filter.Limit {
		last := list[st.Filter.Limit-1]
		next := encodeCursor(cursorState{Filter: st.Filter, AfterAt: last.createdAt, AfterID: last.id, AfterValid: true})
		out.Cursor = &next
	}
	fakekit.WriteJSON(w, http.StatusOK, out)
}
