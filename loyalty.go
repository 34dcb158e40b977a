// Package loyalty is a Go client for four loyalty-program platforms:
// Qualifio Loyalty, Yotpo Loyalty & Referrals, Influence.io and the Monterosa
// Loyalty API.
//
// A Client is built with functional options and configured only for the
// platforms they name:
//
//	WithQualifio     Qualifio management API (member profiles) and ingestor API (events)
//	WithYotpo        Yotpo customers, orders, points, redemptions (a commerce platform)
//	WithInfluenceIO  Influence.io customers, orders, products, points (a commerce platform)
//	WithMonterosa    Monterosa config, profile, notifications, history, coupons, actions
//
// A Client holds at most one commerce platform (Yotpo or Influence.io), since
// both would serve customers and orders. A call to a platform that is not
// configured fails before any request with ErrNotConfigured, naming the
// missing option.
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
// four platforms, for tests, lives in loyaltytest.
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
