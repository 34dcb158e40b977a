package loyalty

import (
	"encoding/json"
	"strings"
	"time"
)

// The model shared by the two commerce platforms, Yotpo and Influence.io:
// one Go type per concept, mapped to each platform's JSON in its platform
// file, so that code does not change when a merchant moves between them.

// CustomerRef identifies one customer on the commerce platform. Build it
// with ByEmail, ByID, ByPOSAccount or ByPhone: exactly one identifier is set.
type CustomerRef struct {
	Email        string
	ID           string // your (the merchant's) customer id
	POSAccountID string
	// Phone is in E.164 form (+14155550123), or a national number together
	// with PhoneCountry.
	Phone string
	// PhoneCountry is the ISO 3166-1 alpha-2 country of a national Phone
	// ("US", "GB"); leave it empty when Phone is full E.164.
	PhoneCountry string
}

// ByEmail identifies a customer by e-mail address.
func ByEmail(email string) CustomerRef { return CustomerRef{Email: email} }

// ByID identifies a customer by your own customer id.
func ByID(id string) CustomerRef { return CustomerRef{ID: id} }

// ByPOSAccount identifies a customer by point-of-sale account id.
func ByPOSAccount(id string) CustomerRef { return CustomerRef{POSAccountID: id} }

// ByPhone identifies a customer by phone number: E.164 with country "",
// or a national number with its ISO 3166-1 alpha-2 country.
func ByPhone(phone, country string) CustomerRef {
	return CustomerRef{Phone: phone, PhoneCountry: country}
}

// check reports, for method op, whether exactly one identifier is set and
// well formed; field prefixes the field names in the error ("Customer.").
func (r CustomerRef) check(op, field string) error {
	n := 0
	for _, v := range []string{r.Email, r.ID, r.POSAccountID, r.Phone} {
		if v != "" {
			n++
		}
	}
	switch {
	case n == 0:
		return inputErr(op, strings.TrimSuffix(field, "."), "set one of Email, ID, POSAccountID or Phone (use loyalty.ByEmail, ByID, ...)")
	case n > 1:
		return inputErr(op, strings.TrimSuffix(field, "."), "set exactly one of Email, ID, POSAccountID or Phone")
	case r.Email != "" && !plausibleEmail(r.Email):
		return inputErr(op, field+"Email", "%q is not an e-mail address", r.Email)
	case r.PhoneCountry != "" && r.Phone == "":
		return inputErr(op, field+"PhoneCountry", "is only used together with Phone")
	case r.Phone != "":
		return checkPhone(op, field+"Phone", field+"PhoneCountry", r.Phone, r.PhoneCountry)
	}
	return nil
}

// checkPhone accepts E.164 (+ and 2 to 15 digits) with no country, or a
// national number of digits with an alpha-2 country.
func checkPhone(op, phoneField, countryField, phone, country string) error {
	if country == "" {
		if len(phone) < 3 || len(phone) > 16 || phone[0] != '+' || phone[1] == '0' || !allDigits(phone[1:]) {
			return inputErr(op, phoneField, "%q is not E.164 (+ and up to 15 digits); give a national number with its country instead", phone)
		}
		return nil
	}
	if err := checkCountry(op, countryField, country); err != nil {
		return err
	}
	national := strings.TrimPrefix(phone, "+")
	if national == "" || len(national) > 15 || !allDigits(national) {
		return inputErr(op, phoneField, "%q is not a phone number (digits only)", phone)
	}
	return nil
}

// checkCountry accepts an ISO 3166-1 alpha-2 code: two letters A-Z.
func checkCountry(op, field, code string) error {
	if len(code) != 2 || strings.ContainsFunc(code, func(r rune) bool { return r < 'A' || r > 'Z' }) {
		return inputErr(op, field, "%q is not an ISO 3166-1 alpha-2 code such as US", code)
	}
	return nil
}

func allDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// plausibleEmail is a deliberately loose check (one @, something on both
// sides, no spaces): the platform is the judge of the rest.
func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n")
}

// Customer is a customer of the commerce platform, as the platform reports
// it. Fields the platform does not report stay zero; what only one platform
// has is in its details struct, and every field the SDK does not model is in
// Raw.
type Customer struct {
	ID        string // your (the merchant's) customer id
	Email     string
	FirstName string
	LastName  string
	Phone     string
	Tags      []string
	// OptIn reports whether the customer takes part in the loyalty
	// program, since OptedInAt.
	OptIn     bool
	OptedInAt time.Time

	PointsBalance int64 // spendable now
	PointsEarned  int64 // lifetime total
	// Tier is the name of the customer's VIP tier, "" when in none.
	Tier string
	// ReferralLink and ReferralCode are set when asked for
	// (CustomerGetOptions.WithReferralCode); Influence.io always reports
	// the link, and no code.
	ReferralLink string
	ReferralCode string

	// TotalSpent is what the customer spent; its Currency is "" when the
	// platform does not say (Yotpo reports cents only).
	TotalSpent     Money
	Purchases      int
	LastPurchaseAt time.Time
	LastSeenAt     time.Time
	// Birthday is nil when none is set.
	Birthday *CalendarDay

	// History is the points history, when asked for
	// (CustomerGetOptions.WithHistory).
	History []HistoryItem

	// Yotpo holds what only Yotpo reports; nil on other platforms.
	Yotpo *YotpoCustomer
	// InfluenceIO holds what only Influence.io reports; nil on other
	// platforms.
	InfluenceIO *InfluenceIOCustomer

	// Raw is the platform's JSON object of this customer.
	Raw json.RawMessage
}

// YotpoCustomer is what Yotpo reports beyond the shared Customer fields.
type YotpoCustomer struct {
	POSAccountID    string
	HasStoreAccount bool
	PerksRedeemed   int
	// CreditBalance and CreditBalanceInCustomerCurrency are store credit as
	// Yotpo formats it, e.g. "$0" (a display string, not an amount).
	CreditBalance                   string
	CreditBalanceInCustomerCurrency string
	PointsExpireAt                  time.Time
	NextPointsExpireOn              time.Time // a date
	NextPointsExpireAmount          int64
	// VIPTierEntryDate and VIPTierExpiration are kept as Yotpo sends them:
	// a date or a date-time.
	VIPTierEntryDate  string
	VIPTierExpiration string
	// VIPProgress is what counts towards a tier; VIPUpgradeNeeds what the
	// next tier still needs, VIPMaintenanceNeeds what keeping this one needs.
	VIPProgress         VIPProgress
	VIPUpgradeNeeds     VIPRequirements
	VIPMaintenanceNeeds VIPRequirements
	// ReferralLinkExpired reports whether the referral link has expired.
	ReferralLinkExpired bool
}

// VIPProgress is a customer's progress towards VIP tiers. Yotpo does not
// say the currency of its amounts: AmountSpent is in the store's currency,
// AmountSpentInCustomerCurrency in the customer's, both with Currency "".
type VIPProgress struct {
	PointsEarned                  int64
	AmountSpent                   Money
	AmountSpentInCustomerCurrency Money
	PurchasesMade                 int
	ReferralsCompleted            int
	// CampaignsCompleted are the campaigns done towards a tier
	// (campaigns_completed), each as Yotpo sent it: their fields are not
	// documented. nil when none.
	CampaignsCompleted []json.RawMessage
}

// VIPRequirements is what a customer still needs for a tier; amounts as in
// VIPProgress.
type VIPRequirements struct {
	PointsNeeded                   int64
	AmountNeeded                   Money
	AmountNeededInCustomerCurrency Money
	PurchasesNeeded                int
	ReferralsNeeded                int
	// CampaignsNeeded are the campaigns still to do (campaigns_needed),
	// each as Yotpo sent it: their fields are not documented. nil when none.
	CampaignsNeeded []json.RawMessage
}

// HistoryItem is one line of a customer's points history.
type HistoryItem struct {
	CreatedAt time.Time
	// CompletedAt is when the action happened (a back-dated action's
	// Action.CreatedAt).
	CompletedAt time.Time
	Action      string // human label, e.g. "Made a purchase"
	ActionName  string // the custom action's name, when one earned it
	Points      int64  // negative for redemptions and reversals
	Status      HistoryStatus
}

// HistoryStatus is the status of a history item. The list is open: Yotpo
// also reports a percentage, or the coupon code of a redemption.
type HistoryStatus string

// Known history statuses.
const (
	HistoryApproved HistoryStatus = "Approved"
	HistoryPending  HistoryStatus = "Pending"
	HistoryReversed HistoryStatus = "Reversed"
)

// CalendarDay is a day of the year, with the year when known (0 when not):
// a birthday or an anniversary.
type CalendarDay struct {
	Day   int // 1-31
	Month time.Month
	Year  int // 4 digits, or 0
}

// check validates d for op, naming field.
func (d CalendarDay) check(op, field string) error {
	switch {
	case d.Month < time.January || d.Month > time.December:
		return inputErr(op, field+".Month", "%d is not a month (1-12)", int(d.Month))
	case d.Year != 0 && (d.Year < 1000 || d.Year > 9999):
		return inputErr(op, field+".Year", "%d must have 4 digits, or be 0 when unknown", d.Year)
	}
	year := d.Year
	if year == 0 {
		year = 2000 // a leap year: 29 February is a valid day with no year
	}
	if last := time.Date(year, d.Month+1, 0, 0, 0, 0, 0, time.UTC).Day(); d.Day < 1 || d.Day > last {
		return inputErr(op, field+".Day", "%d is not a day of %s (1-%d)", d.Day, d.Month, last)
	}
	return nil
}

// CustomerInput creates or updates a customer (CustomersService.Upsert).
// Unset optional fields are not sent, so they keep their stored value.
type CustomerInput struct {
	// ID is your customer id; Yotpo needs it for a generic integration,
	// and it lets an update change the e-mail address.
	ID        string
	Email     string // required
	FirstName string
	LastName  string
	// Phone is E.164 (+14155550123), or a national number with its
	// ISO 3166-1 alpha-2 PhoneCountry.
	Phone        string
	PhoneCountry string
	// Tags replace the stored tags when not nil (an empty, non-nil slice
	// clears them). On Yotpo, which joins them with commas, a tag must not
	// contain a comma.
	Tags []string
	// OptIn opts the customer in or out of the loyalty program; nil leaves
	// it to the account's setting.
	OptIn     *bool
	OptedInAt time.Time

	// Yotpo holds inputs only Yotpo takes.
	Yotpo *YotpoCustomerInput
	// InfluenceIO holds inputs only Influence.io takes.
	InfluenceIO *InfluenceIOCustomerInput
}

// YotpoCustomerInput is what only Yotpo takes on a customer.
type YotpoCustomerInput struct {
	POSAccountID string
	// HasAccount says whether the customer has a store account, created
	// at AccountCreatedAt.
	HasAccount       *bool
	AccountCreatedAt time.Time
}

// OrderStatus is an order's status; it decides when the order counts
// towards points. The list is open: other values are passed through.
type OrderStatus string

// Known order statuses (Shopify's financial statuses, shared by Yotpo's
// examples and Influence.io).
const (
	OrderPaid              OrderStatus = "paid"
	OrderPending           OrderStatus = "pending"
	OrderAuthorized        OrderStatus = "authorized"
	OrderPartiallyPaid     OrderStatus = "partially_paid"
	OrderRefunded          OrderStatus = "refunded"
	OrderPartiallyRefunded OrderStatus = "partially_refunded"
	OrderVoided            OrderStatus = "voided"
)

// Order is an order to record (OrdersService.Create). Every Money field is
// in the currency of Total.
type Order struct {
	ID            string // your order id, required
	CustomerEmail string // the customer: by e-mail, ID, or both
	CustomerID    string
	Total         Money // required
	// Subtotal is the order before shipping and tax, when known; Influence.io
	// takes it (subtotalPrice), Yotpo has no such field and does not receive
	// it.
	Subtotal  *Money
	Status    OrderStatus
	CreatedAt time.Time // zero: not sent (the platform takes the time it receives the order)
	// Discounts are the discount codes applied. Yotpo takes the codes only
	// (coupon_code, comma-joined; the total discount goes in Discount), so
	// a code must not contain a comma.
	Discounts []OrderDiscount
	// IPAddress and UserAgent of the customer's session, for referral
	// fraud checks; when both are unknown the SDK says so to Yotpo
	// (ignore_ip_ua).
	IPAddress string
	UserAgent string

	Discount      *Money
	Shipping      *Money
	Tax           *Money
	TotalRefunded *Money

	// Tags of the order and of the customer, for include/exclude rules.
	Tags         []string
	CustomerTags []string

	Items           []OrderItem
	BillingAddress  *Address
	ShippingAddress *Address
	// Customer carries the customer's profile along with the order.
	Customer *OrderCustomer

	// Yotpo holds order fields only Yotpo takes.
	Yotpo *YotpoOrder
}

// OrderDiscount is a discount code applied to an order.
type OrderDiscount struct {
	Code string // required
	// Amount is what the code took off, in the order's currency; nil when
	// unknown or for a percentage (see Percent). Yotpo does not take it per
	// code.
	Amount *Money
	// Type is the kind of discount (DiscountFixedAmount, DiscountPercentage,
	// DiscountShipping); "" when unknown. Yotpo does not take it.
	Type DiscountType
	// Percent is the percentage a DiscountPercentage code took off, as a
	// decimal ("10", "12.5"); "" when unknown. Only with that Type.
	Percent string
}

// OrderUpdate changes a recorded order (OrdersService.Update). Unset
// fields are not sent and keep their stored value; every Money is in one
// currency.
type OrderUpdate struct {
	// Status is the new financial status; it drives points (OrderPaid
	// awards them once) and their reversal (OrderRefunded,
	// OrderPartiallyRefunded).
	Status        OrderStatus
	CustomerEmail string
	CustomerID    string
	Total         *Money
	Subtotal      *Money
	CreatedAt     time.Time
	// Items, when not nil, replace the order's lines whole (an empty,
	// non-nil slice clears them); Discounts likewise.
	Items     []OrderItem
	Discounts []OrderDiscount
}

// OrderResult is what Orders.Create and Update know of the recorded order.
type OrderResult struct {
	// Order is the order as recorded: the platform's stored copy where it
	// answers one, otherwise the order as sent (Yotpo answers {}, so its
	// result is the input).
	Order Order
	// PointsAwarded reports whether the order has earned points; nil when
	// the platform does not say (Yotpo).
	PointsAwarded *bool
	// PointsRefunded reports whether the order's points were taken back
	// after a refund; nil when the platform does not say (Yotpo).
	PointsRefunded *bool
	// Raw is the platform's answer, as it came ({} on Yotpo).
	Raw json.RawMessage
}

// OrderItem is one line of an order or refund.
type OrderItem struct {
	ID string // the product id
	// VariantID is the product variant; Yotpo has no variant field and does
	// not receive it.
	VariantID   string
	Name        string
	Price       Money // per unit, in the order's currency
	Quantity    int
	Vendor      string
	Type        string
	Collections []string
}

// Address is a billing or shipping address.
type Address struct {
	FirstName   string
	LastName    string
	Address1    string
	Address2    string
	City        string
	State       string
	Zip         string
	CountryCode string // ISO 3166-1 alpha-2
	Phone       string
}

// OrderCustomer is the customer profile sent with an order.
type OrderCustomer struct {
	Tags       []string
	HasAccount *bool
	OptIn      *bool
	OptedInAt  time.Time
}

// YotpoOrder holds Yotpo's point-of-sale fields of an order.
type YotpoOrder struct {
	ClerkEmployeeID string
	ClerkName       string
	StoreAddress    string
	StoreCity       string
	StoreState      string
	ChannelType     string
}

// Refund is a refund of (part of) an order (OrdersService.Refund).
type Refund struct {
	ID      string // your refund id, optional; not sent to Influence.io, which takes none
	OrderID string // required: the order refunded
	// Total is the amount refunded, in the order's currency: required
	// unless Full. The order's total refunds it whole.
	Total Money
	// Items are the refunded lines, each by the order item's ID and a
	// Quantity; the other OrderItem fields are not sent (Yotpo's refund
	// takes {id, quantity} only). Not sent to Influence.io, whose update
	// would replace the order's lines with them.
	Items []OrderItem
	// Full refunds the whole order without naming the amount; it goes
	// alone (with a Total it is an *InputError). Only Influence.io, which
	// takes no amount, accepts it: on Yotpo set Total to the order's total.
	Full bool
}

// PointsAdjustment adds or removes points (CustomersService.AdjustPoints).
type PointsAdjustment struct {
	Customer CustomerRef // by Email or ID
	// Points is signed: positive adds, negative removes; not zero.
	Points int64
	// Earned moves the lifetime total too: set it when rewarding or
	// removing earned points, not when giving back redeemed or expired
	// points.
	Earned bool
	// HistoryTitle is the history text.
	HistoryTitle string
	// Hidden keeps the adjustment out of the customer's visible history
	// (Yotpo; Influence.io has no hidden awards and refuses it).
	Hidden bool

	// InfluenceIO holds what only Influence.io's award takes.
	InfluenceIO *InfluenceIOPoints
}

// AdjustmentRecord is the platform's record of a points adjustment
// (CustomersService.AdjustPoints). Yotpo answers POST /points/adjust with
// it (https://loyaltyapi.yotpo.com/reference/adjust-a-customers-point-balance);
// Influence.io answers with the customer instead, so there it is zero.
type AdjustmentRecord struct {
	ID int64 // Yotpo's id of the adjustment
	// CustomerID is Yotpo's own id of the customer, not your customer id.
	CustomerID int64
	MerchantID int64 // Yotpo's id of your store
	Name       string
	Type       string // Yotpo's type of the adjustment, as sent
	ReferralID int64  // the referral it belongs to; 0 when none
	CreatedAt  time.Time
	UpdatedAt  time.Time
	Raw        json.RawMessage
}

// Action is a customer action to record (CustomersService.RecordAction). It
// earns points when Name matches a custom-action campaign.
type Action struct {
	Customer CustomerRef // by Email or ID
	Name     string      // required: the campaign's action name
	// Type defaults to "CustomAction".
	Type string
	// IPAddress is required when the action completes a referral
	// requirement; UserAgent is strongly recommended then.
	IPAddress string
	UserAgent string
	// CreatedAt back-dates the action; zero means now.
	CreatedAt time.Time
	// Points overrides the campaign's points when not nil.
	Points *int64
	// HistoryTitle overrides the history text.
	HistoryTitle string
}
