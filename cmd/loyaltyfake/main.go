// Command loyaltyfake serves the loyaltytest fake of Qualifio Loyalty, Yotpo
// Loyalty & Referrals, Influence.io and Monterosa on one address, for manual
// runs and for tests not written in Go.
//
//	go run ./cmd/loyaltyfake -addr 127.0.0.1:8080
//
// On start it prints each platform's base URL and credentials that work. It
// keeps state in memory until it exits, cleanly, on SIGINT or SIGTERM.
// Yotpo's rate limit (10 requests per second) is emulated unless
// -ratelimit=false.
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"os/signal"
	"syscall"
	"time"

	"github.com/loyalty-go/loyalty/loyaltytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	defer stop()
	if err := run(ctx, os.Args[1:], os.Stdout, os.Stderr); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			os.Exit(0)
		}
		fmt.Fprintln(os.Stderr, "loyaltyfake:", err)
		if errors.Is(err, errUsage) {
			os.Exit(2)
		}
		os.Exit(1)
	}
}

// errUsage marks a bad command line; main exits with status 2 for it, as
// the flag package does.
var errUsage = errors.New("usage")

// run serves until ctx ends. Its own flag set keeps the flags that
// net/http/httptest registers on the global one out of -help.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loyaltyfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "address to listen on")
	rateLimit := fs.Bool("ratelimit", true, "emulate Yotpo's 10 requests per second")
	maxBody := fs.Int64("max-body", loyaltytest.DefaultMaxBodyBytes, "request body cap in bytes")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return err
		}
		return fmt.Errorf("%w: %v", errUsage, err)
	}
	switch {
	case fs.NArg() > 0:
		return fmt.Errorf("%w: unexpected arguments %q", errUsage, fs.Args())
	case *maxBody <= 0:
		fs.Usage()
		return fmt.Errorf("%w: -max-body must be a positive number of bytes, not %d", errUsage, *maxBody)
	}
	l, err := net.Listen("tcp", *addr)
	if err != nil {
		return err
	}
	opts := []loyaltytest.Option{
		loyaltytest.WithListener(l),
		loyaltytest.WithMaxBodyBytes(*maxBody),
		// Outside tests, back off like a real platform would.
		loyaltytest.WithWebhookRetry(loyaltytest.DefaultWebhookAttempts, time.Second),
		// A long run would otherwise keep every request.
		loyaltytest.WithRecordLimit(-1),
		// A back end's token for any user named by userId.
		loyaltytest.WithMonterosaServiceToken(loyaltytest.DefaultMonterosaServiceToken),
	}
	if *rateLimit {
		opts = append(opts, loyaltytest.WithRateLimit())
	}
	srv := loyaltytest.NewServer(opts...)
	defer srv.Close()
	printBanner(stdout, srv, *rateLimit)
	<-ctx.Done()
	fmt.Fprintln(stdout, "loyaltyfake: shutting down")
	return nil
}

// printBanner prints what a client needs. These credentials are the fake's
// and unlock nothing else, so printing them is the point.
func printBanner(w io.Writer, srv *loyaltytest.Server, rateLimit bool) {
	q, y, i, m := srv.QualifioConfig(), srv.YotpoConfig(), srv.InfluenceIOConfig(), srv.MonterosaConfig()
	tok, _ := m.TokenSource.Token()
	fmt.Fprintf(w, "loyaltyfake: serving on %s (any non-empty credentials work; these do)\n", srv.URL)
	fmt.Fprintf(w, "  Qualifio     base %s\n               token %s\n               client_id %s client_secret %s\n", q.BaseURL, q.TokenURL, q.ClientID, q.ClientSecret)
	fmt.Fprintf(w, "  Yotpo        base %s\n               X-GUID %s X-API-KEY %s (rate limit: %v)\n", y.BaseURL, y.GUID, y.APIKey, rateLimit)
	fmt.Fprintf(w, "  Influence.io base %s\n               x-api-key %s\n", i.BaseURL, i.APIKey)
	fmt.Fprintf(w, "  Monterosa    base %s\n               Authorization: Bearer %s (any token names its user; a JWT by its sub)\n", m.BaseURL, tok.AccessToken)
	fmt.Fprintf(w, "               service token %s (acts for the user named by ?userId=)\n", loyaltytest.DefaultMonterosaServiceToken)
	fmt.Fprintf(w, "For the live contract tests (go test -tags live -run Live ./...), export:\n")
	for _, kv := range [][2]string{
		{"QUALIFIO_CLIENT_ID", q.ClientID}, {"QUALIFIO_CLIENT_SECRET", q.ClientSecret},
		{"QUALIFIO_BASE_URL", q.BaseURL}, {"QUALIFIO_TOKEN_URL", q.TokenURL},
		{"YOTPO_GUID", y.GUID}, {"YOTPO_API_KEY", y.APIKey}, {"YOTPO_BASE_URL", y.BaseURL},
		{"INFLUENCEIO_API_KEY", i.APIKey}, {"INFLUENCEIO_BASE_URL", i.BaseURL},
		{"MONTEROSA_SPACE_URL", m.BaseURL}, {"MONTEROSA_TOKEN", tok.AccessToken},
		{"MONTEROSA_SERVICE_TOKEN", loyaltytest.DefaultMonterosaServiceToken}, {"MONTEROSA_USER_ID", tok.AccessToken},
	} {
		fmt.Fprintf(w, "  export %s=%s\n", kv[0], kv[1])
	}
}
