// Package transport is the HTTP plumbing under the loyalty Client: the retry
// loop and its policy, the round-trippers that authenticate, rate-limit and
// log every attempt, and the parsing of Retry-After.
//
// The chain for one platform is
//
//	Policy.Do (retry loop, backoff)
//	  -> Limit -> Logging -> Deadline -> Buffer -> Auth -> Once -> the user's Transport
//
// (with an observer, Observe -> Limit -> Waited -> Logging: Observe sees
// each attempt before it is authenticated, Waited marks the end of the
// limiter's wait)
//
// The user's http.Client is not in the chain, only its Transport: its
// Timeout bounds each attempt (Deadline's Default), and, as the Client asks
// of its copy, no redirect is followed and no cookie kept.
//
// So every attempt, including each retry, waits for the rate limiter,
// is logged (its duration without the limiter's wait), has its answer read
// whole and gets fresh credentials, and so that net/http never sends a
// call that must reach the platform at most once a second time.
package transport
