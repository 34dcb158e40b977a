// Package transport is the HTTP plumbing under the loyalty Client: the retry
// policy plugged into go-retryablehttp, the round-trippers that authenticate,
// rate-limit and log every attempt, and the parsing of Retry-After.
//
// The chain for one platform is
//
//	retryablehttp.Client (retry loop, backoff)
//	  -> http.Client (the user's: timeout, redirects)
//	    -> Limit -> Logging -> Auth -> the user's Transport
//
// so that every attempt, including each retry, waits for the rate limiter,
// is logged (its duration without the limiter's wait) and gets fresh
// credentials.
package transport
