// Package contract holds every wire fact of the four platforms that the client
// (package loyalty), the webhook receiver (package webhook) and the fake
// (package loyaltytest) must agree on: hosts, paths, header and query names,
// type and topic strings, status codes and limits.
//
// Each value is marked "documented" (a vendor page, cited by URL, states
// it) or "decided" (no public source confirms it, so we chose it).
// Correcting a decided value here corrects the client and the fake together.
//
// Wire structs (JSON field names of bodies) are deliberately NOT here: the
// client and the fake each keep their own, so that a mistake in one is caught
// by the tests of the other.
package contract
