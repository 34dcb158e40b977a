// Command loyaltyfake serves the loyaltytest fake of Qualifio Loyalty, Yotpo
// Loyalty & Referrals, Influence.io and Monterosa on one address, for manual
// runs and for tests not written in Go.
//
//	go run ./cmd/loyaltyfake -addr 127.0.0.1:8080
//
// On start it prints each platform's base URL, credentials that work, the
// dashboard (/_fake/: each platform's state, the live request log, webhook
// deliveries, fault controls; -dashboard=false turns it off) and where the
// admin API is (/_fake/api/: read state, load a seed, reset,
// script faults, switch the rate limit, register webhook targets, list and
// re-send webhooks, read the request log; its routes are listed by
// GET /_fake/api/ and documented at loyaltytest.AdminPath). It keeps state
// in memory until it exits, cleanly, on SIGINT or SIGTERM.
//
// It starts with the demo data (loyaltytest.DemoSeed: campaigns, rewards,
// tiers, earning rules, a Monterosa space) unless -seed=none, or with a seed
// file: -seed=FILE, the JSON form of loyaltytest.Seed (-print-demo-seed
// prints a complete one to start from). A seed file it cannot use stops it
// at start with the field at fault and exit status 2. Yotpo's rate limit
// (10 requests per second) is emulated unless -ratelimit=false. -help
// lists every flag.
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

// defaultRecord is -record's default: enough for a test run or a
// dashboard, bounded for a long run.
const defaultRecord = 1000

// run serves until ctx ends. Its own flag set keeps the flags that
// net/http/httptest registers on the global one out of -help.
func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("loyaltyfake", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on (host:port; port 0 picks a free one)")
	rateLimit := fs.Bool("ratelimit", true, "emulate Yotpo's 10 requests per second (switch it at run time with PUT /_fake/api/ratelimit)")
	maxBody := fs.Int64("max-body", loyaltytest.DefaultMaxBodyBytes, "request body cap in `bytes`; larger bodies get 413")
	seedFlag := fs.String("seed", "demo", "state at start and after POST /_fake/api/reset: `demo` (loyaltytest.DemoSeed), none (empty), or a seed FILE (JSON of loyaltytest.Seed; ./demo names a file called demo)")
	record := fs.Int("record", defaultRecord, "how many of the most recent `requests` the request log (GET /_fake/api/requests) keeps; 0 keeps none")
	recordBytes := fs.Int64("record-bytes", loyaltytest.DefaultRecordBytes, "most `bytes` the request log holds (bodies, headers, paths); the oldest requests go first")
	printDemo := fs.Bool("print-demo-seed", false, "print the demo seed as a seed file and exit")
	dashboard := fs.Bool("dashboard", true, "serve the dashboard at "+loyaltytest.DashboardPath+" (state, request log, webhooks, faults)")
	fs.Usage = func() {
		fmt.Fprintf(fs.Output(), "Usage: loyaltyfake [flags]\n\n"+
			"Serves the loyaltytest fake of Qualifio, Yotpo, Influence.io and Monterosa on one address,\n"+
			"with its admin API under %s/ (GET %s/ lists the routes).\n\nFlags:\n", loyaltytest.AdminPath, loyaltytest.AdminPath)
		fs.PrintDefaults()
	}
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
	case *record < 0:
		fs.Usage()
		return fmt.Errorf("%w: -record must be 0 or more, not %d", errUsage, *record)
	case *recordBytes <= 0:
		fs.Usage()
		return fmt.Errorf("%w: -record-bytes must be a positive number of bytes, not %d", errUsage, *recordBytes)
	}
	if *printDemo {
		_, err := stdout.Write(loyaltytest.DemoSeedJSON())
		return err
	}
	// The seed is read before listening, so that a bad file stops the
	// program before anything could have talked to it.
	var seedOpt loyaltytest.Option
	switch *seedFlag {
	case "demo":
		seedOpt = loyaltytest.WithDemoData()
	case "none", "":
	default:
		seed, err := loyaltytest.LoadSeedFile(*seedFlag)
		if err != nil {
			return fmt.Errorf("%w: -seed: %v", errUsage, err)
		}
		seedOpt = loyaltytest.WithSeed(seed)
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
		// A bounded log: a long run would otherwise keep every request.
		loyaltytest.WithRecordLimit(*record),
		loyaltytest.WithRecordBytes(*recordBytes),
		seedOpt,
		// A back end's token for any user named by userId.
		loyaltytest.WithMonterosaServiceToken(loyaltytest.DefaultMonterosaServiceToken),
	}
	if *rateLimit {
		opts = append(opts, loyaltytest.WithRateLimit())
	}
	if *dashboard {
		opts = append(opts, loyaltytest.WithDashboard())
	}
	srv, err := loyaltytest.Start(opts...)
	if err != nil {
		return err // the seed was checked above; nothing else fails
	}
	defer srv.Close()
	printBanner(stdout, srv, *rateLimit, *seedFlag, *dashboard)
	<-ctx.Done()
	fmt.Fprintln(stdout, "loyaltyfake: shutting down")
	return nil
}

// printBanner prints what a client needs. These credentials are the fake's
// and unlock nothing else, so printing them is the point.
func printBanner(w io.Writer, srv *loyaltytest.Server, rateLimit bool, seed string, dashboard bool) {
	q, y, i, m := srv.QualifioConfig(), srv.YotpoConfig(), srv.InfluenceIOConfig(), srv.MonterosaConfig()
	tok, _ := m.TokenSource.Token()
	fmt.Fprintf(w, "loyaltyfake: serving on %s (any non-empty credentials work; these do)\n", srv.URL)
	if dashboard {
		fmt.Fprintf(w, "  Dashboard    %s%s\n", srv.URL, loyaltytest.DashboardPath)
	}
	fmt.Fprintf(w, "  Admin API    %s%s/ (state, seed, reset, faults, ratelimit, webhooks, requests; GET it for the routes)\n", srv.URL, loyaltytest.AdminPath)
	fmt.Fprintf(w, "               seeded with: %s\n", seed)
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
	if seed == "demo" {
		// The demo seed's header-authenticated integration, for the mapped
		// event live test (an unseeded fake has no integration).
		for _, m := range loyaltytest.DemoSeed().Qualifio.MappedEvents {
			if m.Auth == loyaltytest.QualifioAuthHeader {
				fmt.Fprintf(w, "  export QUALIFIO_MAPPED_ID=%s\n  export QUALIFIO_MAPPED_AUTH=header:%s\n  export QUALIFIO_MAPPED_SECRET=%s\n", m.ID, m.Name, m.Secret)
				break
			}
		}
	}
}
