package contract

import (
	"errors"
	"net/url"
)

// Influence.io Platform API (https://support.reviews.io/en/articles/6634616-influence-io-api,
// https://developer.influence.io/reference); "decided" marks what the docs leave open.
const (
	InfluenceIOBaseURL = "https://platform.api.influence.io" // documented

	InfluenceIOHeaderAPIKey = "x-api-key" // documented

	// Paths relative to the base (documented unless noted). A 404 answering
	// the customer list means an empty list (documented by public
	// production client code, which returns [] on it).
	InfluenceIOPathCustomers = "/v1/customers"
	InfluenceIOPathOrders    = "/v1/orders"
	InfluenceIOPathProducts  = "/v1/products"
	InfluenceIOPathRewards   = "/v1/rewards"
	InfluenceIOPathWebhooks  = "/v1/webhooks" // decided

	// Customer list query names (decided; lastSeenAtMin documented).
	InfluenceIOQueryCursor          = "cursor"
	InfluenceIOQueryLimit           = "limit"
	InfluenceIOQueryPointBalanceMin = "pointBalanceMin"
	InfluenceIOQueryPointBalanceMax = "pointBalanceMax"
	InfluenceIOQueryCreatedAtMin    = "createdAtMin"
	InfluenceIOQueryCreatedAtMax    = "createdAtMax"
	InfluenceIOQueryUpdatedAtMin    = "updatedAtMin"
	InfluenceIOQueryUpdatedAtMax    = "updatedAtMax"
	InfluenceIOQueryLastSeenAtMin   = "lastSeenAtMin"
	InfluenceIOQueryLastSeenAtMax   = "lastSeenAtMax"

	InfluenceIODefaultLimit = 50  // decided
	InfluenceIOMaxLimit     = 100 // decided

	// InfluenceIOOrderPricesAsStrings says how order amounts go out: as
	// decimal strings ("49.90") when true, as JSON numbers when false. The
	// update-order reference types every plain field of the order body as a
	// string, totalPrice and subtotalPrice among them, and lists no numeric
	// one (documented: https://developer.influence.io/reference/patch_v1-orders-orderid);
	// the create body is the same order (decided), and the line and
	// discount amounts inside the arrays, whose types the page does not
	// show, follow the same encoding (decided). Products keep numbers.
	InfluenceIOOrderPricesAsStrings = true

	InfluenceIOStatusOrderCreated   = 201 // decided
	InfluenceIOStatusWebhookCreated = 201 // decided
	InfluenceIOStatusWebhookDeleted = 204 // decided

	// Webhooks.
	// Influence.io documents these two headers and signs nothing
	// (https://developer.influence.io/reference/introduction-to-webhooks):
	// the token in the registered URL is the only secret a delivery carries.
	InfluenceIOHeaderTopic     = "X-Webhook-Topic" // documented
	InfluenceIOHeaderWebhookID = "X-Webhook-Id"    // documented; de-duplication key (decided)
	InfluenceIOQueryToken      = "token"           // decided: secret in the registered URL
)

// InfluenceIODocAwardPoints is the reference page of the points award, the
// only points endpoint whose path is published: a deduction is listed in the
// Customers group, its path is not (cited by the refusal of negative
// awards).
const InfluenceIODocAwardPoints = "https://developer.influence.io/reference/post_v1-customers-customerid-points"

// InfluenceIODocListCustomers is the reference page of the customer list,
// whose filters are point balance and dates only: no e-mail or phone (cited
// by the refusal of other identifiers than your customer id).
const InfluenceIODocListCustomers = "https://developer.influence.io/reference/get_v1-customers"

// Influence.io webhook topics (documented).
const (
	InfluenceIOTopicCustomersUpdated      = "customers/updated"
	InfluenceIOTopicCustomersTierChanged  = "customers/tier_changed"
	InfluenceIOTopicTierEntryRewardEarned = "customers/tier_entry_reward_earned"
	InfluenceIOTopicPointsEarned          = "points/earned"
	InfluenceIOTopicPointsRedeemed        = "points/redeemed"
	InfluenceIOTopicReferralsStarted      = "referrals/started"
	InfluenceIOTopicReferralsCompleted    = "referrals/completed"
)

// InfluenceIOWebhookTopics lists the seven documented topics.
var InfluenceIOWebhookTopics = []string{
	InfluenceIOTopicCustomersUpdated, InfluenceIOTopicCustomersTierChanged, InfluenceIOTopicTierEntryRewardEarned,
	InfluenceIOTopicPointsEarned, InfluenceIOTopicPointsRedeemed, InfluenceIOTopicReferralsStarted,
	InfluenceIOTopicReferralsCompleted,
}

// Order financial statuses (documented (code)).
var InfluenceIOFinancialStatuses = []string{
	"authorized", "pending", "paid", "partially_paid", "refunded", "partially_refunded", "voided", "expired",
}

// Points "type" values the fake sends (decided).
const (
	InfluenceIOPointsTypeOrder  = "order"
	InfluenceIOPointsTypeAPI    = "api"
	InfluenceIOPointsTypeRedeem = "redeem"
)

// InfluenceIOCustomerPath returns the path of one customer by the merchant's id.
func InfluenceIOCustomerPath(id string) string {
	return InfluenceIOPathCustomers + "/" + url.PathEscape(id)
}

// InfluenceIOPointsPath returns the award-points path of a customer.
func InfluenceIOPointsPath(id string) string { return InfluenceIOCustomerPath(id) + "/points" }

// InfluenceIOOrderPath returns the path of one order.
func InfluenceIOOrderPath(id string) string { return InfluenceIOPathOrders + "/" + url.PathEscape(id) }

// InfluenceIOProductPath returns the path of one product.
func InfluenceIOProductPath(id string) string {
	return InfluenceIOPathProducts + "/" + url.PathEscape(id)
}

// InfluenceIORewardUsePath returns the path that marks a reward coupon used.
func InfluenceIORewardUsePath(code string) string {
	return InfluenceIOPathRewards + "/" + url.PathEscape(code) + "/use"
}

// InfluenceIOWebhookPath returns the path of one webhook subscription.
func InfluenceIOWebhookPath(id string) string {
	return InfluenceIOPathWebhooks + "/" + url.PathEscape(id)
}

// InfluenceIOVariantsPath returns the variants path of a product
// (https://developer.influence.io/reference/post_v1-products-productid-variants).
func InfluenceIOVariantsPath(id string) string { return InfluenceIOProductPath(id) + "/variants" }

// InfluenceIOMembershipEnrollPath and InfluenceIOMembershipRemovePath return
// the membership paths of a customer (documented (code)).
func InfluenceIOMembershipEnrollPath(id string) string {
	return InfluenceIOCustomerPath(id) + "/membership/enroll"
}

// InfluenceIOMembershipRemovePath: see InfluenceIOMembershipEnrollPath.
func InfluenceIOMembershipRemovePath(id string) string {
	return InfluenceIOCustomerPath(id) + "/membership/remove"
}

// InfluenceIOTokenURL returns base with token set as the token query
// parameter, escaped; other parameters are kept (decided: the URL
// token is how a receiver knows a delivery came from the subscription). base
// must be an absolute http or https URL. The error never quotes base or
// token: either may be a secret.
func InfluenceIOTokenURL(base, token string) (string, error) {
	u, err := url.Parse(base)
	if err != nil || !u.IsAbs() || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return "", errors.New("is not an absolute http(s) URL")
	}
	if token == "" {
		return "", errors.New("token is empty")
	}
	q := u.Query()
	q.Set(InfluenceIOQueryToken, token)
	u.RawQuery = q.Encode()
	return u.String(), nil
}
