package contract

import "time"

// Yotpo Loyalty & Referrals REST v2 (https://loyaltyapi.yotpo.com/reference).
const (
	YotpoBaseURL       = "https://loyalty.yotpo.com/api/v2"    // documented
	YotpoLegacyBaseURL = "https://app.swellrewards.com/api/v2" // documented
	// YotpoBasePath is the path of YotpoBaseURL: where the fake mounts the API.
	YotpoBasePath = "/api/v2"

	YotpoHeaderGUID   = "X-GUID"    // documented
	YotpoHeaderAPIKey = "X-API-KEY" // documented
	YotpoQueryGUID    = "guid"      // documented (query mode)
	YotpoQueryAPIKey  = "api_key"   // documented (query mode)

	// Paths relative to the API base (documented).
	YotpoPathCustomers         = "/customers"
	YotpoPathCustomersRecent   = "/customers/recent"
	YotpoPathCustomersAll      = "/customers/all" // documented by public client code (the Singer tap for Swell Rewards)
	YotpoPathCustomerBirthdays = "/customer_birthdays"

	// YotpoPathCustomerAnniversary serves GET, answered as {day, month, year}
	// (documented: https://loyaltyapi.yotpo.com/reference/get-customer-anniversary),
	// POST (https://loyaltyapi.yotpo.com/reference/createupdate-customer-anniversary)
	// and DELETE, customer_email in the body
	// (https://loyaltyapi.yotpo.com/reference/remove-customer-anniversary).
	YotpoPathCustomerAnniversary = "/customer_anniversary"

	YotpoPathActions           = "/actions"
	YotpoPathPointsAdjust      = "/points/adjust"
	YotpoPathOrders            = "/orders"
	YotpoPathRefunds           = "/refunds"
	YotpoPathRedemptions       = "/redemptions"
	YotpoPathRedemptionOptions = "/redemption_options"
	YotpoPathCampaigns         = "/campaigns"
	// YotpoPathVIPTiers is documented: https://loyaltyapi.yotpo.com/reference/fetch-vip-tiers.
	YotpoPathVIPTiers = "/vip_tiers"

	// Rate limit: 10 requests per second per merchant (documented).
	YotpoRateLimitPerSecond = 10
	// YotpoClientRatePerSecond is the Client's default pace, decided: 4 %
	// under the limit, so that a request a network or scheduling delay of
	// up to 40 ms pushes into the next of Yotpo's one-second windows does
	// not make an eleventh there (at exactly 10 per second any delay
	// does, and the platform answers 429).
	YotpoClientRatePerSecond = 9.6
	YotpoHeaderRateLimit     = "ratelimit-limit"     // documented
	YotpoHeaderRateRemaining = "ratelimit-remaining" // documented
	YotpoHeaderRateReset     = "ratelimit-reset"     // documented: seconds until the window resets
	YotpoHeaderRateLimitMin  = "x-ratelimit-limit-minute"
	YotpoHeaderRateRemainMin = "x-ratelimit-remaining-minute"

	YotpoMaxPerPage = 100 // decided

	// YotpoCentsPerMinorUnit: Yotpo documents its amounts only as "cents"
	// (*_cents fields); the SDK reads a *_cents value as the currency's
	// ISO 4217 minor units, one to one (decided), so a JPY amount is whole
	// yen and a BHD amount is fils. The fake keeps the integers as sent.
	YotpoCentsPerMinorUnit = 1

	// YotpoListAllSince is the last_seen_at sent on /customers/all when the
	// caller names no time (decided: the public integration treats the
	// parameter as required, and the epoch keeps every customer).
	YotpoListAllSince = "1970-01-01T00:00:00Z"

	// POST /points/adjust answers 423 when the record is locked: retryable (decided meaning).
	YotpoStatusLocked = 423

	YotpoCustomActionType = "CustomAction" // documented

	// Webhooks.
	YotpoWebhookAuthHeader = "Authorization"    // decided
	YotpoWebhookMessageID  = "WebhookMessageId" // documented for platform webhooks
)

// Yotpo rate-limit back-off bounds when only ratelimit-reset is known (decided).
const (
	YotpoResetMin = 1 * time.Second
	YotpoResetMax = 60 * time.Second
)

// Yotpo webhook topics (documented unless noted).
const (
	YotpoTopicPointsEarned         = "swell/points/earned"
	YotpoTopicPointsChanged        = "swell/points/changed"
	YotpoTopicRedemptionCreated    = "swell/redemption/created"
	YotpoTopicReferralCompleted    = "swell/referral/completed"
	YotpoTopicReferralShare        = "swell/referral/share"
	YotpoTopicReferralShared       = "yotpo/referral/shared"
	YotpoTopicPointsReminder       = "swell/points/reminder"
	YotpoTopicRedemptionReminder   = "swell/redemption/reminder"
	YotpoTopicCustomerBirthday     = "swell/customer/birthday"
	YotpoTopicCustomerAnniversary  = "swell/customer/anniversary"
	YotpoTopicTierEarned           = "swell/tier/earned"
	YotpoTopicTierLost             = "swell/tier/lost"
	YotpoTopicTierStatusChanged    = "swell/tier/status/changed"
	YotpoTopicOptIn                = "loyalty/opt_in"
	YotpoTopicOptOut               = "loyalty/opt_out"
	YotpoTopicExpirationReminder   = "loyalty/expiration/reminder"
	YotpoTopicProductShare         = "loyalty/referral/product_share"
	YotpoTopicProductShareReminder = "loyalty/referral/product_share/reminder"
	YotpoTopicAccountCreated       = "swell/account/created" // decided: seen only in third-party code
)

// YotpoWebhookTopics lists every known webhook topic.
var YotpoWebhookTopics = []string{
	YotpoTopicPointsEarned, YotpoTopicPointsChanged, YotpoTopicRedemptionCreated, YotpoTopicReferralCompleted,
	YotpoTopicReferralShare, YotpoTopicReferralShared, YotpoTopicPointsReminder, YotpoTopicRedemptionReminder,
	YotpoTopicCustomerBirthday, YotpoTopicCustomerAnniversary, YotpoTopicTierEarned, YotpoTopicTierLost,
	YotpoTopicTierStatusChanged, YotpoTopicOptIn, YotpoTopicOptOut, YotpoTopicExpirationReminder,
	YotpoTopicProductShare, YotpoTopicProductShareReminder, YotpoTopicAccountCreated, YotpoTopicYotpoReferralCompleted,
}

// YotpoErrorKeys are the keys, in order, that carry an error message (decided).
var YotpoErrorKeys = []string{"error_message", "message", "error", "errors"}

// Yotpo query parameter names: documented on each endpoint's page of
// https://loyaltyapi.yotpo.com/reference (customers/all by the public
// Singer tap for Swell Rewards) unless noted.
const (
	YotpoQueryCustomerID       = "customer_id"
	YotpoQueryCustomerEmail    = "customer_email"
	YotpoQueryPOSAccountID     = "pos_account_id"
	YotpoQueryPhoneNumber      = "phone_number"
	YotpoQueryCountryISOCode   = "country_iso_code"
	YotpoQueryWithReferralCode = "with_referral_code"
	YotpoQueryWithHistory      = "with_history"
	YotpoQueryPage             = "page" // /customers/all only (documented by the public Singer tap for Swell Rewards)

	// YotpoQueryPageInfo is the cursor of /customers/recent; the next one is
	// the response's metadata.next_page_info (documented: https://loyaltyapi.yotpo.com/reference; corrected
	// 2026-12-01: was page + links.total_pages).
	YotpoQueryPageInfo = "page_info"

	YotpoQueryPerPage      = "per_page"
	YotpoQueryLastSeenAt   = "last_seen_at"
	YotpoQueryWithStatus   = "with_status"
	YotpoQueryOffline      = "is_offline"    // documented: https://loyaltyapi.yotpo.com/reference (corrected 2026-12-01; was the decided "offline")
	YotpoQueryDiscountType = "discount_type" // documented: https://loyaltyapi.yotpo.com/reference
)

// Yotpo campaign types (documented: https://loyaltyapi.yotpo.com/reference/get-active-campaigns); the type list is open.
const (
	YotpoCampaignSpendBased       = "SpendBasedCampaign"
	YotpoCampaignTransactionBased = "TransactionBasedCampaign"
	YotpoCampaignReferral         = "ReferralCampaign"
	YotpoCampaignCustomAction     = "CustomActionCampaign"
	YotpoCampaignBirthday         = "BirthdayCampaign"
)

// Yotpo redemption codes, cancellations, referrals and privacy (documented
// in https://loyaltyapi.yotpo.com/reference unless noted), and the
// referral-completed topic of newer Shopify merchants.
const (
	// POST /redemptions/{point_redemption_id}/cancellation_completed.
	YotpoPathRedemptionCancelled = "/cancellation_completed"
	YotpoPathRedemptionCodes     = "/redemption_codes"
	YotpoPathReferralShare       = "/referral/share"
	YotpoPathReferralReferrer    = "/referral/referrer"
	YotpoPathPrivacyDataExists   = "/privacy/data/exists"
	YotpoPathPrivacyData         = "/privacy/data"

	// GET /redemption_codes and the privacy calls.
	YotpoQueryThirdPartyID = "third_party_id"
	YotpoQueryCode         = "code"
	YotpoQueryEmail        = "email"
	// DELETE /privacy/data takes email and all_stores in the JSON body,
	// not the query (documented: https://loyaltyapi.yotpo.com/reference/anonymize-user),
	// as DELETE /customer_anniversary takes customer_email
	// (https://loyaltyapi.yotpo.com/reference/remove-customer-anniversary).

	// POST /redemption_codes takes at most this many codes per call
	// (documented: https://loyaltyapi.yotpo.com/reference/add-coupon-codes);
	// the SDK splits a longer list (decided).
	YotpoMaxCodesPerUpload = 10000

	// The discount_type of a variable-points reward, which takes
	// points_to_redeem on POST /redemptions.
	YotpoDiscountVariable = "variable"

	YotpoTopicYotpoReferralCompleted = "yotpo/referral/completed"
)

// Keys and statuses of Yotpo answers, read by the client and the fake
// (decided unless noted).
const (
	// YotpoKeyVIPTiers is the key under which GET /vip_tiers may wrap its
	// array; the SDK also reads a bare array (decided).
	YotpoKeyVIPTiers = "vip_tiers"
	// The fields read inside a GET /vip_tiers tier's entry_threshold,
	// retain_threshold and regain_threshold. The reference names those
	// objects without their fields
	// (https://loyaltyapi.yotpo.com/reference/fetch-vip-tiers); these are
	// the webhook tier's names, plus referrals_completed as the customer's
	// VIP progress names it (decided).
	YotpoKeyThresholdPoints     = "points_earned"
	YotpoKeyThresholdSpentCents = "amount_spent_cents"
	YotpoKeyThresholdPurchases  = "purchases_made"
	YotpoKeyThresholdReferrals  = "referrals_completed"
	// YotpoKeyHasData is the one key of GET /privacy/data/exists
	// (documented: https://loyaltyapi.yotpo.com/reference/data-exists).
	YotpoKeyHasData = "has_data"
	// YotpoStatusAnniversaryNotSet answers GET /customer_anniversary for a
	// customer without one (decided).
	YotpoStatusAnniversaryNotSet = 404
	// YotpoStatusCodesExhausted answers POST /redemptions when every
	// uploaded code of the option is used (decided).
	YotpoStatusCodesExhausted = 422
)
