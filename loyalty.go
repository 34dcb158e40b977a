// Package loyalty is a Go client for four loyalty-program platforms:
// Qualifio Loyalty, Yotpo Loyalty & Referrals, Influence.io and the Monterosa
// Loyalty API.
//
// A Client is built with functional options and configured only for the
// platforms they name; its services group the calls by resource:
//
//	WithQualifio     Members (management API), Events (ingestor API: standard, mapped, batches)
//	WithYotpo        Customers, Orders, Redemptions, Coupons, Campaigns, Tiers, Referrals, Privacy
//	WithInfluenceIO  Customers, Orders, Products, Coupons.MarkUsed, Webhooks (subscriptions)
//	WithMonterosa    Rewards: config, profile, notifications, history, coupons, actions, per user
//
// A Client holds at most one commerce platform (Yotpo or Influence.io), since
// both would serve Customers and Orders. A call to a platform that is not
// configured fails before any request with ErrNotConfigured, naming the
// missing option; a call the configured platform does not offer fails with
// ErrNotSupported, naming the platform that has it; bad input fails with an
// *InputError naming the method and the field. A write that may have
// reached the platform before it failed matches ErrMaybeApplied; each write
// method says whether repeating it is safe. Money is exact (Money, in ISO
// 4217 minor units), times are time.Time. NewRequest and Do reach any other
// endpoint.
//
// Every call takes a context.Context first and honours its cancellation, also
// while waiting to retry. Calls are authenticated on every attempt, retried
// with capped, jittered exponential backoff (Retry-After honoured up to a cap),
// and rate-limited on the client side where the platform publishes a limit
// (Yotpo: 10 requests per second). Errors from a platform are *Error values,
// usable with errors.As and with errors.Is against the sentinels (ErrNotFound,
// ErrUnauthorized, ErrRateLimited, ...).
//
// Webhook receiving lives in the webhook subpackage; an in-process fake of all
// four platforms, for tests, lives in loyaltytest. WithObserver reports
// every call and attempt for tracing and metrics, without a credential or
// a raw path; the separate module github.com/loyalty-go/loyalty/otelloyalty
// turns that into OpenTelemetry spans and metrics.
package loyalty

// Platform names one of the supported loyalty platforms.
type Platform string

// The supported platforms.
const (
	Qualifio    Platform = "qualifio"
	Yotpo       Platform = "yotpo"
	InfluenceIO Platform = "influenceio"
	Monterosa   Platform = "monterosa"
)
