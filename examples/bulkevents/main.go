// Command bulkevents sends many events to Qualifio Loyalty at once with
// Events.SendBatch, and reports how many were sent, failed, or not
// attempted.
//
//	go run ./examples/bulkevents                       # 50 generated events, against the fake
//	go run ./examples/bulkevents -file events.jsonl    # events from a JSON-lines file
//
// With QUALIFIO_CLIENT_ID and QUALIFIO_CLIENT_SECRET set (QUALIFIO_BASE_URL
// and QUALIFIO_TOKEN_URL optional) it sends to that program, and then only
// from -file: it never generates events into a real account. Without them
// it starts loyaltytest, the SDK's in-process fake, enrols the members the
// events name, and prints their balances afterwards.
//
// Each line of the file is one event:
//
//	{"id":"evt-1","type":"ecommerce/purchase","email":"ana@example.com","orderId":"O-1","amount":"49.90","currency":"EUR"}
//	{"type":"custom/basic","customerId":"C-1042","counters":{"pages":3},"tags":{"channel":"app"}}
//
// An event without an id gets one; the failed ones are printed with their
// ids, so that a resend with the same ids is never counted twice.
package main

import (
	"bufio"
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	defer stop()
	if err := run(ctx, os.Stdout, os.Getenv, os.Args[1:]); err != nil {
		fmt.Fprintln(os.Stderr, "bulkevents:", err)
		os.Exit(1)
	}
}

// run is the program with its context, output, environment and arguments
// given, for the tests.
func run(ctx context.Context, out io.Writer, env func(string) string, args []string) error {
	fs := flag.NewFlagSet("bulkevents", flag.ContinueOnError)
	fs.SetOutput(out)
	file := fs.String("file", "", "JSON-lines file of events (default: generate them)")
	generate := fs.Int("n", 50, "number of events to generate when there is no -file")
	concurrency := fs.Int("concurrency", 8, "events in flight at once")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *generate < 1 || *concurrency < 1 {
		return errors.New("-n and -concurrency must be at least 1")
	}

	var events []loyalty.Event
	var err error
	if *file != "" {
		if events, err = readEvents(*file); err != nil {
			return err
		}
	}

	live := env("QUALIFIO_CLIENT_ID") != "" || env("QUALIFIO_CLIENT_SECRET") != ""
	var c *loyalty.Client
	var srv *loyaltytest.Server
	if live {
		if *file == "" {
			return errors.New("with Qualifio credentials, give the events with -file (none are generated into a real account)")
		}
		c, err = loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{
			ClientID: env("QUALIFIO_CLIENT_ID"), ClientSecret: env("QUALIFIO_CLIENT_SECRET"),
			BaseURL: env("QUALIFIO_BASE_URL"), TokenURL: env("QUALIFIO_TOKEN_URL"),
		}))
		if err != nil {
			return err
		}
	} else {
		srv = loyaltytest.NewServer(loyaltytest.WithDemoData())
		defer srv.Close()
		c = srv.Client()
		if *file == "" {
			events = generateEvents(*generate)
		}
		if err := enrol(ctx, c, events); err != nil {
			return err
		}
		fmt.Fprintf(out, "no Qualifio credentials: sending to loyaltytest, the in-process fake\n")
	}
	defer c.CloseIdleConnections()

	start := time.Now()
	results, err := c.Events.SendBatch(ctx, events, &loyalty.EventBatchOptions{Concurrency: *concurrency})
	if err != nil {
		return err
	}
	var sent, failed, notAttempted int
	for i, r := range results {
		switch {
		case r.Err == nil:
			sent++
		case errors.Is(r.Err, loyalty.ErrNotAttempted):
			notAttempted++ // safe to send again as it is
		default:
			failed++
			fmt.Fprintf(out, "event %d (id %q) failed: %v\n", i+1, r.ID, r.Err)
		}
	}
	fmt.Fprintf(out, "%d events: %d sent, %d failed, %d not attempted (%s)\n",
		len(events), sent, failed, notAttempted, time.Since(start).Round(time.Millisecond))
	if srv != nil {
		printBalances(out, srv)
	}
	if failed+notAttempted > 0 {
		return fmt.Errorf("%d of %d events were not sent", failed+notAttempted, len(events))
	}
	return nil
}

// lineEvent is one line of the events file.
type lineEvent struct {
	ID         string             `json:"id"`
	Type       string             `json:"type"`
	Email      string             `json:"email"`
	CustomerID string             `json:"customerId"`
	Timestamp  time.Time          `json:"timestamp"` // RFC 3339; zero means now
	Tags       map[string]string  `json:"tags"`
	Counters   map[string]float64 `json:"counters"`
	OrderID    string             `json:"orderId"`
	Amount     string             `json:"amount"` // a decimal string, never a float: money stays exact
	Currency   string             `json:"currency"`
}

// readEvents reads a JSON-lines file; blank lines are skipped. Validation
// is SendBatch's: an invalid event fails alone, before any request.
func readEvents(path string) ([]loyalty.Event, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	var events []loyalty.Event
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 0, 64<<10), 1<<20) // a line is at most 1 MiB
	for n := 1; sc.Scan(); n++ {
		if len(sc.Bytes()) == 0 {
			continue
		}
		var l lineEvent
		if err := json.Unmarshal(sc.Bytes(), &l); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", path, n, err)
		}
		e := loyalty.Event{
			ID: l.ID, Type: loyalty.EventType(l.Type), Email: l.Email, CustomerID: l.CustomerID,
			Timestamp: l.Timestamp, Tags: l.Tags, Counters: l.Counters,
		}
		if l.OrderID != "" || l.Amount != "" {
			amount, err := loyalty.ParseMoney(l.Amount, l.Currency)
			if err != nil {
				return nil, fmt.Errorf("%s:%d: amount: %w", path, n, err)
			}
			e.Purchase = &loyalty.Purchase{OrderID: l.OrderID, Amount: amount}
		}
		events = append(events, e)
	}
	return events, sc.Err()
}

// generateEvents makes n events for five demo members: every fourth a
// purchase, the others page visits.
func generateEvents(n int) []loyalty.Event {
	events := make([]loyalty.Event, n)
	for i := range events {
		e := loyalty.Event{Type: loyalty.EventCustomBasic, Email: fmt.Sprintf("member-%d@example.com", i%5+1),
			Counters: map[string]float64{"pages": 1}}
		if i%4 == 3 {
			e.Type = loyalty.EventPurchase
			e.Counters = nil
			e.Purchase = &loyalty.Purchase{OrderID: fmt.Sprintf("O-%04d", i+1), Amount: loyalty.NewMoney(1990, "EUR")}
		}
		events[i] = e
	}
	return events
}

// enrol creates a member in the fake for each e-mail address the events
// name (Qualifio drops events about nobody).
func enrol(ctx context.Context, c *loyalty.Client, events []loyalty.Event) error {
	seen := map[string]bool{}
	for _, e := range events {
		if e.Email == "" || seen[e.Email] {
			continue
		}
		seen[e.Email] = true
		if _, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: e.Email}); err != nil {
			return fmt.Errorf("enrol %s: %w", e.Email, err)
		}
	}
	return nil
}

// printBalances prints each fake member's balance, in enrolment order.
func printBalances(out io.Writer, srv *loyaltytest.Server) {
	for _, m := range srv.Qualifio().Members() {
		fmt.Fprintf(out, "  %s: %.2f points\n", m.Email, m.Balance)
	}
}
