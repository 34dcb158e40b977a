// Package transport is the HTTP plumbing under the loyalty Client: the retry
// policy plugged into go-retryablehttp, the round-trippers that authenticate,
// rate-limit and log every attempt, and the parsing of Retry-After.
//
// The chain for one platform is
//
//	retryablehttp.Client (retry loop, backoff)
//	  -> http.Client (the user's: timeout, redirects)
//	    -> Limit -> Logging -> Deadline -> Buffer -> Auth -> Once -> the user's Transport
//
// (with an observer, Observe -> Limit -> Waited -> Logging: Observe sees
// each attempt before it is authenticated, Waited marks the end of the
// limiter's wait)
//
// so that every attempt, including each retry, waits for the rate limiter,
// is logged (its duration without the limiter's wait), has its answer read
// whole and gets fresh credentials, and so that net/http never sends a
// call that must reach the platform at most once a second time.
package transport
