// Command quickstart tours loyalty-go's typed services on all four
// platforms.
//
//	go run ./examples/quickstart
//
// With no credentials in the environment it starts loyaltytest, the SDK's
// in-process fake, with its demo data, and walks a realistic flow on every
// platform: a Qualifio member, a purchase event and the balance; a Yotpo
// customer, an order, the points and history, and a redemption; an
// Influence.io customer, paid order, points and refund (a second Client:
// one Client has one commerce platform), a product and webhook
// subscriptions; Monterosa's configuration, actions, profiles and
// notifications for two fans; then the webhooks the fake sent for all of
// it, received by package webhook and printed in their normalized form.
//
// With credentials (the variables the live contract tests read) it only
// checks connectivity to each configured platform with read-only calls, and
// never writes to a real account:
//
//	QUALIFIO_CLIENT_ID, QUALIFIO_CLIENT_SECRET   Qualifio (QUALIFIO_BASE_URL, QUALIFIO_TOKEN_URL optional)
//	YOTPO_GUID, YOTPO_API_KEY                    Yotpo (YOTPO_BASE_URL optional)
//	INFLUENCEIO_API_KEY                          Influence.io (INFLUENCEIO_BASE_URL optional)
//	MONTEROSA_SPACE_URL, MONTEROSA_TOKEN         Monterosa
//
// It exits with status 1 when a step or a check fails.
package main

import (
	"fmt"
	"io"
	"os"
)

func main() {
	if err := run(os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

// run is the program with its output and environment given, for the tests.
func run(out io.Writer, env func(string) string) error {
	for _, name := range credentialVars {
		if env(name) != "" {
			return check(out, env)
		}
	}
	return tour(out)
}
