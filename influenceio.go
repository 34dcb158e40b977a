package loyalty

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/internal/iso4217"
	"github.com/loyalty-go/loyalty/internal/transport"
)

// InfluenceIOConfig configures WithInfluenceIO. The key is in the dashboard
// under Settings, API Settings, Platform API Settings.
type InfluenceIOConfig struct {
	APIKey string
	// BaseURL defaults to https://platform.api.influence.io.
	BaseURL string
}

// WithInfluenceIO configures the Influence.io Platform API as the commerce
// platform (customers, orders, products, points), called through
// NewRequest and Do.
func WithInfluenceIO(cfg InfluenceIOConfig) Option {
	return func(s *settings) error {
		const opt = "WithInfluenceIO"
		if err := required(opt, "APIKey", cfg.APIKey); err != nil {
			return err
		}
		var err error
		if cfg.BaseURL, err = checkBaseURL(opt, "BaseURL", cfg.BaseURL, contract.InfluenceIOBaseURL); err != nil {
			return err
		}
		s.influenceio = &cfg
		return nil
	}
}

func (cfg *InfluenceIOConfig) backend(s *settings) *backend {
	auth := transport.NewHeaders(map[string]string{contract.InfluenceIOHeaderAPIKey: cfg.APIKey})
	b := newBackend(InfluenceIO, cfg.BaseURL, s, auth, nil, transport.Policy{ServerRetryable: anyServerError})
	b.secrets = []string{cfg.APIKey}
	return b
}

// influenceIOOnly fails, before any request, a method of a resource only
// Influence.io has: ErrNotSupported when the Client's commerce platform is
// Yotpo, ErrNotConfigured when Influence.io is not configured.
func (c *Client) influenceIOOnly(op string) error {
	if c.Configured(InfluenceIO) {
		return nil
	}
	if c.Configured(Yotpo) {
		return notSupported(op, Yotpo, InfluenceIO)
	}
	_, err := c.backend(InfluenceIO)
	return err
}

// Influence.io money on the wire: decimal major units ("49.90", not cents;
// decided). influenceAmount and influenceMoney are the one place it is
// converted, for products and orders; influencePrice is how an order amount
// is encoded, a string or a number as contract.InfluenceIOOrderPricesAsStrings
// says.

// influenceAmount is m as an Influence.io amount: a JSON number in major
// units with exactly the currency's minor digits (0.30 for 30 USD cents, 500
// for 500 JPY, 1.250 for 1250 KWD fils), exact, no float64 involved. A bad
// currency is an *InputError naming op and field.
func influenceAmount(op, field string, m Money) (json.Number, error) {
	digits, err := iso4217.MinorDigits(m.Currency)
	if err != nil {
		return "", inputErr(op, field+".Currency", "%v", err)
	}
	return json.Number(minorToDecimal(m.Minor, digits)), nil
}

// influencePrice is an order amount in decimal major units, encoded as
// contract.InfluenceIOOrderPricesAsStrings says: "49.90" or 49.90.
type influencePrice string

func (p influencePrice) MarshalJSON() ([]byte, error) {
	if contract.InfluenceIOOrderPricesAsStrings {
		return json.Marshal(string(p))
	}
	return []byte(p), nil
}

// influenceOrderAmount is m as an order amount (see influenceAmount).
func influenceOrderAmount(op, field string, m Money) (*influencePrice, error) {
	n, err := influenceAmount(op, field, m)
	if err != nil {
		return nil, err
	}
	p := influencePrice(n)
	return &p, nil
}

// influenceNumber is an amount as read from a response: a JSON number or a
// numeric string, kept as its decimal text ("" when absent or null).
type influenceNumber string

func (n *influenceNumber) UnmarshalJSON(b []byte) error {
	s := strings.TrimSpace(strings.Trim(string(b), `"`))
	if s == "null" {
		s = ""
	}
	*n = influenceNumber(s)
	return nil
}

func (influenceNumber) wireProblem(b []byte) string {
	s := strings.TrimSpace(strings.Trim(string(b), `"`))
	if c := b[0]; c == '{' || c == '[' || c == 't' || c == 'f' {
		return "want number, got " + jsonKind(c)
	} else if _, err := strconv.ParseFloat(s, 64); s != "" && err != nil && !errors.Is(err, strconv.ErrRange) {
		return "want number, got a string that is not a number"
	}
	return ""
}

// influenceMoney reads n in currency, exactly: nil when n is absent, the
// currency unknown, or n not exact in its minor digits (a rounding would
// invent money; the raw JSON still has it).
func influenceMoney(n influenceNumber, currency string) *Money {
	if n == "" {
		return nil
	}
	digits, err := iso4217.MinorDigits(currency)
	if err != nil {
		return nil
	}
	minor, err := decimalToMinor(string(n), digits)
	if err != nil {
		return nil
	}
	return &Money{Minor: minor, Currency: currency}
}

// influenceTime reads Influence.io's ISO-8601 date-times as tolerantly as
// Yotpo's (RFC 3339 first); null or anything unreadable is the zero time.
type influenceTime = yotpoTime

// The mapping between the commerce model (commerce.go) and Influence.io's
// JSON (https://developer.influence.io/reference). Bodies are decided;
// decoding is tolerant like Yotpo's: an odd
// field stays zero and the raw JSON keeps it.

// InfluenceIOCustomer is what Influence.io reports beyond the shared
// Customer fields.
type InfluenceIOCustomer struct {
	// ID is Influence.io's own id of the customer (a UUID), not yours
	// (Customer.ID).
	ID               string
	Name             string // full name
	AcceptsMarketing bool
	TierID           string // the current loyalty tier's id, "" when in none
	// MembershipID is the program the customer is enrolled in; "" when
	// removed from it (Customer.OptIn is then false).
	MembershipID string
	// Membership is the program the customer is enrolled in, when the
	// answer carries it (currentMembership); nil otherwise.
	Membership *InfluenceIOMembership
	// CustomerType is Influence.io's kind of customer, as it sends it.
	CustomerType string
	// ReferralsCompleted counts the customer's completed referrals.
	ReferralsCompleted int
	// TierProgress is the customer's progress through the tiers as an
	// absolute value (currentLoyaltyTierProgress): with tiers at 0, 200
	// and 500, a progress of 201 is in the second tier.
	TierProgress int64
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// InfluenceIOMembership is a membership program a customer is enrolled in.
type InfluenceIOMembership struct {
	ID    string
	Title string
	Perks []string
}

// InfluenceIOCustomerInput is what only Influence.io takes on a customer.
type InfluenceIOCustomerInput struct {
	// Name is the full name; when it is left empty on creation,
	// Influence.io sets it to FirstName and LastName.
	Name             string
	AcceptsMarketing *bool
}

// InfluenceIOPoints is what only Influence.io takes on a points award.
type InfluenceIOPoints struct {
	// EarnRuleID names the earn rule the award applies; with it, Points
	// may be 0 to award the rule's points.
	EarnRuleID string
	// UpdateLastSeenAt, when not nil, says whether the award counts as the
	// customer being seen (which drives point expiry); nil leaves it to the
	// earn rule, or true without one.
	UpdateLastSeenAt *bool
}

// InfluenceIOCustomerFilter narrows Customers.List on Influence.io
// (https://developer.influence.io/reference/get_v1-customers). Every bound
// is inclusive; a zero bound is not sent.
type InfluenceIOCustomerFilter struct {
	PointBalanceMin, PointBalanceMax *int64
	CreatedAtMin, CreatedAtMax       time.Time
	UpdatedAtMin, UpdatedAtMax       time.Time
	// LastSeenAtMax bounds the last visit from above; the lower bound is
	// CustomerListOptions.LastSeenSince.
	LastSeenAtMax time.Time
}

type influenceTierJSON struct {
	ID    wireText `json:"id"`
	Title wireText `json:"title"`
}

// influenceCustomerJSON is the REST customer object.
type influenceCustomerJSON struct {
	ID                  wireText           `json:"id" wire:"required"`
	ExternalID          wireText           `json:"externalId"`
	Email               wireText           `json:"email"`
	FirstName           wireText           `json:"firstName"`
	LastName            wireText           `json:"lastName"`
	Name                wireText           `json:"name"`
	Phone               wireText           `json:"phone"`
	BirthdayMonth       *wireInt           `json:"birthdayMonth"`
	BirthdayDay         *wireInt           `json:"birthdayDay"`
	AcceptsMarketing    wireBool           `json:"acceptsMarketing"`
	Tags                []wireText         `json:"tags"`
	PointBalance        wireInt            `json:"pointBalance"`
	ReferralLink        wireText           `json:"referralLink"`
	CurrentLoyaltyTier  *influenceTierJSON `json:"currentLoyaltyTier"`
	CurrentTierID       wireText           `json:"currentLoyaltyTierId"`
	CurrentMembershipID json.RawMessage    `json:"currentMembershipId"`
	CurrentMembership   *struct {
		ID    wireText   `json:"id"`
		Title wireText   `json:"title"`
		Perks []wireText `json:"perks"`
	} `json:"currentMembership"`
	CustomerType       wireText      `json:"customerType"`
	ReferralsCompleted wireInt       `json:"referralsCompleted"`
	TierProgress       wireInt       `json:"currentLoyaltyTierProgress"`
	LastSeenAt         influenceTime `json:"lastSeenAt"`
	CreatedAt          influenceTime `json:"createdAt"`
	UpdatedAt          influenceTime `json:"updatedAt"`
}

// decodeInfluenceCustomer reads one customer object, keeping raw as
// Customer.Raw; only a value that is not a JSON object is an error.
func decodeInfluenceCustomer(resp *Response, at wireAt, raw json.RawMessage) (*Customer, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, errors.New("loyalty: influenceio: no customer in the answer")
	}
	var j influenceCustomerJSON
	if err := decodeTolerant(resp, at, raw, &j); err != nil {
		return nil, fmt.Errorf("loyalty: influenceio: decoding a customer: %w", err)
	}
	// Upserted customers are enrolled
	// (https://developer.influence.io/reference/get_v1-customers); only an
	// explicit null membership says the customer was removed (decided).
	var membership wireText
	_ = json.Unmarshal(j.CurrentMembershipID, &membership)
	optIn := len(j.CurrentMembershipID) == 0 || string(j.CurrentMembershipID) != "null"
	c := &Customer{
		ID: string(j.ExternalID), Email: string(j.Email), FirstName: string(j.FirstName), LastName: string(j.LastName),
		Phone: string(j.Phone), OptIn: optIn, PointsBalance: int64(j.PointBalance), ReferralLink: string(j.ReferralLink),
		LastSeenAt: j.LastSeenAt.Time, Raw: raw,
		InfluenceIO: &InfluenceIOCustomer{
			ID: string(j.ID), Name: string(j.Name), AcceptsMarketing: bool(j.AcceptsMarketing), TierID: string(j.CurrentTierID),
			MembershipID: string(membership), CustomerType: string(j.CustomerType), ReferralsCompleted: int(j.ReferralsCompleted),
			TierProgress: int64(j.TierProgress), CreatedAt: j.CreatedAt.Time, UpdatedAt: j.UpdatedAt.Time,
		},
	}
	if m := j.CurrentMembership; m != nil {
		cm := &InfluenceIOMembership{ID: string(m.ID), Title: string(m.Title)}
		for _, p := range m.Perks {
			cm.Perks = append(cm.Perks, string(p))
		}
		c.InfluenceIO.Membership = cm
		if c.InfluenceIO.MembershipID == "" {
			c.InfluenceIO.MembershipID = cm.ID
		}
	}
	for _, t := range j.Tags {
		c.Tags = append(c.Tags, string(t))
	}
	if t := j.CurrentLoyaltyTier; t != nil {
		c.Tier = string(t.Title)
		if c.InfluenceIO.TierID == "" {
			c.InfluenceIO.TierID = string(t.ID)
		}
	}
	if j.BirthdayMonth != nil && j.BirthdayDay != nil {
		d := CalendarDay{Day: int(*j.BirthdayDay), Month: time.Month(*j.BirthdayMonth)}
		if d.check("", "") == nil {
			c.Birthday = &d
		}
	}
	return c, nil
}

// influenceCustomerEnvelope is the {"customer": …} answer of single customers.
type influenceCustomerEnvelope struct {
	Customer json.RawMessage `json:"customer"`
}

// influenceCustomerBody is the body of PUT /v1/customers/{id}
// (decided): an absent field is left unchanged.
type influenceCustomerBody struct {
	Email            string    `json:"email,omitempty"`
	FirstName        string    `json:"firstName,omitempty"`
	LastName         string    `json:"lastName,omitempty"`
	Name             string    `json:"name,omitempty"`
	Phone            string    `json:"phone,omitempty"`
	BirthdayMonth    *int      `json:"birthdayMonth,omitempty"`
	BirthdayDay      *int      `json:"birthdayDay,omitempty"`
	AcceptsMarketing *bool     `json:"acceptsMarketing,omitempty"`
	Tags             *[]string `json:"tags,omitempty"`
}

// influenceCustomerWire maps in onto the upsert body; in is checked.
func influenceCustomerWire(op string, in CustomerInput) (influenceCustomerBody, error) {
	switch {
	case in.ID == "":
		return influenceCustomerBody{}, inputErr(op, "ID", "is required on Influence.io: your customer id is the path id")
	case in.PhoneCountry != "":
		return influenceCustomerBody{}, inputErr(op, "PhoneCountry", "Influence.io takes the phone in E.164 only (+14155550123)")
	case in.OptIn != nil && !*in.OptIn:
		return influenceCustomerBody{}, inputErr(op, "OptIn", "false is not an Influence.io upsert field; use Customers.RemoveMembership")
	case in.Yotpo != nil:
		return influenceCustomerBody{}, inputErr(op, "Yotpo", "only Yotpo takes these fields")
	}
	b := influenceCustomerBody{Email: in.Email, FirstName: in.FirstName, LastName: in.LastName, Phone: in.Phone}
	if in.Tags != nil {
		b.Tags = &in.Tags
	}
	if x := in.InfluenceIO; x != nil {
		b.Name, b.AcceptsMarketing = x.Name, x.AcceptsMarketing
	}
	return b, nil
}

// influenceRef returns the path id of ref: Influence.io finds customers by
// your id only (the path id, documented). Another identifier is an
// *InputError that also matches ErrNotSupported: Influence.io's customer
// list has no e-mail or phone filter to find one by
// (https://developer.influence.io/reference/get_v1-customers), so there is
// no request the SDK could make for it.
func influenceRef(op, field string, ref CustomerRef) (string, error) {
	if err := ref.check(op, field+"."); err != nil {
		return "", err
	}
	var name string
	switch {
	case ref.ID != "":
		if _, err := pathSegment(op, field+".ID", ref.ID); err != nil {
			return "", err
		}
		return ref.ID, nil
	case ref.Email != "":
		name = "Email"
	case ref.POSAccountID != "":
		name = "POSAccountID"
	default:
		name = "Phone"
	}
	return "", &tagged{sentinel: ErrNotSupported, cause: inputErr(op, field+"."+name,
		"Influence.io finds a customer by your customer id only (its customer list has no filter by this identifier: %s); name the customer with ByID",
		contract.InfluenceIODocListCustomers)}
}

// influencePointsBody is the body of POST /v1/customers/{id}/points.
type influencePointsBody struct {
	Points           *int64 `json:"points,omitempty"`
	Action           string `json:"action,omitempty"`
	EarnRuleID       string `json:"earnRuleId,omitempty"`
	UpdateLastSeenAt *bool  `json:"updateLastSeenAt,omitempty"`
}

// influenceListPage is the answer of GET /v1/customers (decided).
type influenceListPage struct {
	Customers []json.RawMessage `json:"customers"`
	Cursor    wireText          `json:"cursor"`
}

// influenceTimeString is what the SDK sends: RFC 3339 in UTC (decided).
func influenceTimeString(t time.Time) string { return yotpoTimeString(t) }

// influenceListQuery is the first-page query of Customers.List.
func influenceListQuery(limit int, since time.Time, f *InfluenceIOCustomerFilter) url.Values {
	q := url.Values{contract.InfluenceIOQueryLimit: {strconv.Itoa(limit)}}
	setTime := func(name string, t time.Time) {
		if !t.IsZero() {
			q.Set(name, influenceTimeString(t))
		}
	}
	setTime(contract.InfluenceIOQueryLastSeenAtMin, since)
	if f == nil {
		return q
	}
	for name, v := range map[string]*int64{contract.InfluenceIOQueryPointBalanceMin: f.PointBalanceMin, contract.InfluenceIOQueryPointBalanceMax: f.PointBalanceMax} {
		if v != nil {
			q.Set(name, strconv.FormatInt(*v, 10))
		}
	}
	setTime(contract.InfluenceIOQueryCreatedAtMin, f.CreatedAtMin)
	setTime(contract.InfluenceIOQueryCreatedAtMax, f.CreatedAtMax)
	setTime(contract.InfluenceIOQueryUpdatedAtMin, f.UpdatedAtMin)
	setTime(contract.InfluenceIOQueryUpdatedAtMax, f.UpdatedAtMax)
	setTime(contract.InfluenceIOQueryLastSeenAtMax, f.LastSeenAtMax)
	return q
}

// influenceOrderBody is the body of POST /v1/orders and PATCH
// /v1/orders/{id} (decided). On PATCH, id is left out and a
// present field replaces the stored one (the arrays whole).
type influenceOrderBody struct {
	ID              string                   `json:"id,omitempty"`
	CustomerID      string                   `json:"customerId,omitempty"`
	Email           string                   `json:"email,omitempty"`
	Currency        string                   `json:"currency,omitempty"`
	TotalPrice      *influencePrice          `json:"totalPrice,omitempty"`
	SubtotalPrice   *influencePrice          `json:"subtotalPrice,omitempty"`
	CreatedAt       string                   `json:"createdAt,omitempty"`
	FinancialStatus string                   `json:"financialStatus,omitempty"`
	LineItems       *[]influenceLineItemJSON `json:"lineItems,omitempty"`
	DiscountCodes   *[]influenceDiscountJSON `json:"discountCodes,omitempty"`
}

type influenceLineItemJSON struct {
	ProductID string          `json:"productId,omitempty"`
	VariantID string          `json:"variantId,omitempty"`
	Title     string          `json:"title,omitempty"`
	Quantity  int             `json:"quantity"`
	Price     *influencePrice `json:"price,omitempty"`
}

type influenceDiscountJSON struct {
	Code   string          `json:"code"`
	Amount *influencePrice `json:"amount,omitempty"`
	Type   string          `json:"type,omitempty"`
}

// influenceItems encodes order lines; they are checked.
func influenceItems(op, field string, items []OrderItem) ([]influenceLineItemJSON, error) {
	out := make([]influenceLineItemJSON, 0, len(items))
	for i, it := range items {
		n, err := influenceOrderAmount(op, fmt.Sprintf("%s[%d].Price", field, i), it.Price)
		if err != nil {
			return nil, err
		}
		out = append(out, influenceLineItemJSON{ProductID: it.ID, VariantID: it.VariantID, Title: it.Name, Quantity: it.Quantity, Price: n})
	}
	return out, nil
}

// influenceDiscounts encodes discount codes; they are checked.
func influenceDiscounts(op, field string, ds []OrderDiscount) ([]influenceDiscountJSON, error) {
	out := make([]influenceDiscountJSON, 0, len(ds))
	for i, d := range ds {
		w := influenceDiscountJSON{Code: d.Code, Type: string(d.Type)}
		switch {
		case d.Type == DiscountPercentage && d.Amount != nil:
			return nil, inputErr(op, fmt.Sprintf("%s[%d].Amount", field, i), "a percentage code carries Percent, not an Amount")
		case d.Percent != "" && d.Type != DiscountPercentage:
			return nil, inputErr(op, fmt.Sprintf("%s[%d].Percent", field, i), "goes with Type DiscountPercentage")
		case d.Percent != "":
			if err := checkPercent(op, fmt.Sprintf("%s[%d].Percent", field, i), d.Percent); err != nil {
				return nil, err
			}
			// Influence.io's amount is the percent for a percentage code.
			n := influencePrice(d.Percent)
			w.Amount = &n
		}
		if d.Amount != nil {
			n, err := influenceOrderAmount(op, fmt.Sprintf("%s[%d].Amount", field, i), *d.Amount)
			if err != nil {
				return nil, err
			}
			w.Amount = n
		}
		out = append(out, w)
	}
	return out, nil
}

// influenceOrderWire maps o onto the create body; o is checked.
func influenceOrderWire(op string, o Order) (influenceOrderBody, error) {
	if o.Yotpo != nil {
		return influenceOrderBody{}, inputErr(op, "Yotpo", "only Yotpo takes these fields")
	}
	total, err := influenceOrderAmount(op, "Total", o.Total)
	if err != nil {
		return influenceOrderBody{}, err
	}
	b := influenceOrderBody{ID: o.ID, CustomerID: o.CustomerID, Email: o.CustomerEmail, Currency: o.Total.Currency,
		TotalPrice: total, CreatedAt: influenceTimeString(o.CreatedAt), FinancialStatus: string(o.Status)}
	if o.Subtotal != nil {
		if b.SubtotalPrice, err = influenceOrderAmount(op, "Subtotal", *o.Subtotal); err != nil {
			return influenceOrderBody{}, err
		}
	}
	if o.Items != nil {
		items, err := influenceItems(op, "Items", o.Items)
		if err != nil {
			return influenceOrderBody{}, err
		}
		b.LineItems = &items
	}
	if o.Discounts != nil {
		ds, err := influenceDiscounts(op, "Discounts", o.Discounts)
		if err != nil {
			return influenceOrderBody{}, err
		}
		b.DiscountCodes = &ds
	}
	return b, nil
}

// influenceOrderJSON is the Order object of the answers (decided).
type influenceOrderJSON struct {
	ID              wireText        `json:"id" wire:"required"`
	CustomerID      wireText        `json:"customerId"`
	Email           wireText        `json:"email"`
	Currency        wireText        `json:"currency"`
	TotalPrice      influenceNumber `json:"totalPrice"`
	SubtotalPrice   influenceNumber `json:"subtotalPrice"`
	CreatedAt       influenceTime   `json:"createdAt"`
	FinancialStatus wireText        `json:"financialStatus"`
	LineItems       []struct {
		ProductID wireText        `json:"productId"`
		VariantID wireText        `json:"variantId"`
		Title     wireText        `json:"title"`
		Quantity  wireInt         `json:"quantity"`
		Price     influenceNumber `json:"price"`
	} `json:"lineItems"`
	DiscountCodes []struct {
		Code   wireText        `json:"code"`
		Amount influenceNumber `json:"amount"`
		Type   wireText        `json:"type"`
	} `json:"discountCodes"`
	PointsAwarded  *wireBool `json:"pointsAwarded"`
	PointsRefunded *wireBool `json:"pointsRefunded"`
}

// decodeInfluenceOrder reads the {"order": …} answer. fallback is the order
// as sent, the result's Order when the answer holds none; raw nil (a 2xx
// whose body did not decode) gives the fallback alone.
func decodeInfluenceOrder(resp *Response, raw json.RawMessage, fallback Order) *OrderResult {
	res := &OrderResult{Order: fallback, Raw: raw}
	var env struct {
		Order json.RawMessage `json:"order"`
	}
	if len(raw) == 0 || decodeTolerant(resp, atTop, raw, &env) != nil || len(env.Order) == 0 || string(env.Order) == "null" {
		return res
	}
	var j influenceOrderJSON
	if decodeTolerant(resp, atName("order"), env.Order, &j) != nil {
		return res
	}
	cur := string(j.Currency)
	o := Order{ID: string(j.ID), CustomerID: string(j.CustomerID), CustomerEmail: string(j.Email),
		Status: OrderStatus(j.FinancialStatus), CreatedAt: j.CreatedAt.Time}
	o.Total = fallback.Total // when the stored total cannot be read exactly
	if m := influenceMoney(j.TotalPrice, cur); m != nil {
		o.Total = *m
	}
	o.Subtotal = influenceMoney(j.SubtotalPrice, cur)
	for _, li := range j.LineItems {
		it := OrderItem{ID: string(li.ProductID), VariantID: string(li.VariantID), Name: string(li.Title), Quantity: int(li.Quantity)}
		if m := influenceMoney(li.Price, cur); m != nil {
			it.Price = *m
		}
		o.Items = append(o.Items, it)
	}
	for _, d := range j.DiscountCodes {
		od := OrderDiscount{Code: string(d.Code), Type: DiscountType(d.Type)}
		if DiscountType(d.Type) == DiscountPercentage {
			od.Percent = string(d.Amount)
		} else {
			od.Amount = influenceMoney(d.Amount, cur)
		}
		o.Discounts = append(o.Discounts, od)
	}
	res.Order = o
	if j.PointsAwarded != nil {
		res.PointsAwarded = Ptr(bool(*j.PointsAwarded))
	}
	if j.PointsRefunded != nil {
		res.PointsRefunded = Ptr(bool(*j.PointsRefunded))
	}
	return res
}
