// Command fans acts for many Monterosa fans at once from one back end: one
// Client, a per-fan view (Rewards.ForUser) for each fan's token, and a
// bounded number of fans served concurrently.
//
//	go run ./examples/fans                       # 10 fans of the fake
//	go run ./examples/fans -n 100 -concurrency 8
//
// Each fan reports an action (every other fan a second one) and reads back
// their profile. With MONTEROSA_SPACE_URL set it acts on that space for the
// fans whose tokens are in -tokens (one per line), and reports -action only
// when given: without it, it only reads the profiles. A back end holding a
// service token would use Rewards.ForUserID(id) in the same way. Without
// MONTEROSA_SPACE_URL it starts loyaltytest, the SDK's in-process fake,
// with its demo space (a "welcome" challenge of a "vote" and a "share").
package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "fans:", err)
		os.Exit(1)
	}
}

// A fan is one user the back end acts for.
type fan struct {
	name    string   // printed; never the token
	token   string   // the Monterosa access token the fan's app sent
	actions []string // reported in order
}

// A result is what acting for one fan gave.
type result struct {
	points    float64
	completed bool
	err       error
	attempted bool
}

func run(ctx context.Context, out io.Writer, env func(string) string, args []string) error {
	fs := flag.NewFlagSet("fans", flag.ContinueOnError)
	fs.SetOutput(out)
	n := fs.Int("n", 10, "number of the fake's fans")
	concurrency := fs.Int("concurrency", 4, "fans served at once")
	tokens := fs.String("tokens", "", "file of fan tokens, one per line (with MONTEROSA_SPACE_URL)")
	action := fs.String("action", "", "action to report for each fan of a real space (default: read only)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *concurrency < 1 || *n < 1 {
		return errors.New("-n and -concurrency must be at least 1")
	}

	baseURL := env("MONTEROSA_SPACE_URL")
	var fans []fan
	if baseURL != "" {
		var err error
		if fans, err = readFans(*tokens, *action); err != nil {
			return err
		}
	} else {
		srv := loyaltytest.NewServer(loyaltytest.WithDemoData())
		defer srv.Close()
		baseURL = srv.URL
		fmt.Fprintln(out, "no MONTEROSA_SPACE_URL: acting for fans of loyaltytest, the in-process fake")
		for i := range *n {
			f := fan{name: fmt.Sprintf("fan-%03d", i+1), actions: []string{"vote"}}
			f.token = f.name // the fake reads a plain token as its user's name
			if i%2 == 0 {
				f.actions = append(f.actions, "share")
			}
			fans = append(fans, f)
		}
	}

	// No TokenSource: the back end has no user of its own, so every call
	// goes through a fan's view.
	c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: baseURL}))
	if err != nil {
		return err
	}
	defer c.CloseIdleConnections()
	cfg, _, err := c.Rewards.ForUser(fans[0].token).Config(ctx)
	if err != nil {
		return fmt.Errorf("config: %w", err)
	}

	results := make([]result, len(fans))
	var inFlight, peak atomic.Int64
	sem := make(chan struct{}, *concurrency)
	var wg sync.WaitGroup
	for i, f := range fans {
		select {
		case sem <- struct{}{}:
		case <-ctx.Done(): // the fans not started are reported as not attempted
		}
		if ctx.Err() != nil {
			break
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			defer func() { <-sem }()
			now := inFlight.Add(1)
			defer inFlight.Add(-1)
			for p := peak.Load(); now > p && !peak.CompareAndSwap(p, now); p = peak.Load() {
			}
			results[i] = actFor(ctx, c.Rewards.ForUser(f.token), cfg, f.actions)
		}()
	}
	wg.Wait()

	var done, failed, skipped int
	for i, r := range results {
		switch {
		case !r.attempted:
			skipped++
		case r.err != nil:
			failed++
			fmt.Fprintf(out, "%s: %v\n", fans[i].name, r.err) // SDK errors never hold the token
		default:
			done++
			did := strings.Join(fans[i].actions, "+")
			if did == "" {
				did = "no action"
			}
			fmt.Fprintf(out, "%s: %s -> %g points, welcome done %v\n", fans[i].name, did, r.points, r.completed)
		}
	}
	fmt.Fprintf(out, "%d fans: %d served, %d failed, %d not attempted; at most %d at once\n", len(fans), done, failed, skipped, peak.Load())
	if failed+skipped > 0 {
		return fmt.Errorf("%d of %d fans were not served", failed+skipped, len(fans))
	}
	return nil
}

// actFor reports a fan's actions and reads their profile through the fan's
// view. ReportAction is not de-duplicated by Monterosa: a failed one is not
// retried blindly.
func actFor(ctx context.Context, view *loyalty.RewardsService, cfg *loyalty.RewardsConfig, actions []string) result {
	for _, a := range actions {
		if _, err := view.ReportAction(ctx, loyalty.RewardsAction{Name: a}); err != nil {
			return result{attempted: true, err: fmt.Errorf("action %s: %w", a, err)}
		}
	}
	p, _, err := view.Profile(ctx)
	if err != nil {
		return result{attempted: true, err: fmt.Errorf("profile: %w", err)}
	}
	points, _ := p.MetricValue(cfg, "points")
	return result{attempted: true, points: points, completed: p.Challenges["welcome"].IsCompleted}
}

// readFans reads one token per line; fans are named by line number, so that
// no token is printed.
func readFans(path, action string) ([]fan, error) {
	if path == "" {
		return nil, errors.New("with MONTEROSA_SPACE_URL, give the fans' tokens with -tokens FILE")
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var fans []fan
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 16<<10), 64<<10) // a JWT is a few KiB
	for n := 1; sc.Scan(); n++ {
		tok := strings.TrimSpace(sc.Text())
		if tok == "" {
			continue
		}
		ft := fan{name: fmt.Sprintf("fan on line %d", n), token: tok}
		if action != "" {
			ft.actions = []string{action}
		}
		fans = append(fans, ft)
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if len(fans) == 0 {
		return nil, fmt.Errorf("%s holds no token", path)
	}
	return fans, nil
}
