package bench

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// rateLimitRun turns on TestYotpoRateLimit, which takes rateLimitFor.
var rateLimitRun = flag.Bool("ratelimit", false, "run TestYotpoRateLimit (30 s against the fake with Yotpo's limit on)")

// yotpoHeaders authenticate with the fake's default Yotpo credentials.
func yotpoHeaders() http.Header {
	h := http.Header{}
	h.Set(contract.YotpoHeaderGUID, loyaltytest.DefaultYotpoGUID)
	h.Set(contract.YotpoHeaderAPIKey, loyaltytest.DefaultYotpoAPIKey)
	h.Set("Accept", "application/json")
	return h
}

// parallelGET sends GETs of urlFor(i) to a server over keep-alive
// connections, 8 goroutines at once, and reports requests per second.
func parallelGET(b *testing.B, urlFor func(i int64) string, h http.Header) {
	tr := &http.Transport{MaxIdleConns: 64, MaxIdleConnsPerHost: 64}
	defer tr.CloseIdleConnections()
	hc := &http.Client{Transport: tr}
	var n atomic.Int64
	b.ReportAllocs()
	b.SetParallelism(4) // 8 goroutines on 2 cores
	b.ResetTimer()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			req, _ := http.NewRequest(http.MethodGet, urlFor(n.Add(1)), nil)
			req.Header = h
			resp, err := hc.Do(req)
			if err != nil {
				b.Error(err)
				return
			}
			_, _ = io.Copy(io.Discard, resp.Body)
			resp.Body.Close()
			if resp.StatusCode != http.StatusOK {
				b.Errorf("status %d", resp.StatusCode)
				return
			}
		}
	})
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
}

// BenchmarkFakeThroughput is one Yotpo GET /customers on the fake beside a
// bare net/http handler that writes the bytes the fake answered, with the
// same headers, over the same client: the fake's own cost per request.
func BenchmarkFakeThroughput(b *testing.B) {
	fake := loyaltytest.New(b)
	ctx := context.Background()
	if _, _, err := fake.Client().Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com", ID: "C-1"}); err != nil {
		b.Fatal(err)
	}
	path := contract.YotpoBasePath + contract.YotpoPathCustomers + "?customer_email=ana%40example.com&with_history=false&with_referral_code=false"
	// What the fake answers, for the bare handler to answer the same.
	req, _ := http.NewRequest(http.MethodGet, fake.URL+path, nil)
	req.Header = yotpoHeaders()
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		b.Fatal(err)
	}
	answer, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	ctype := resp.Header.Get("Content-Type")
	bare := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get(contract.YotpoHeaderAPIKey) == "" {
			http.Error(w, "unauthorized", http.StatusUnauthorized)
			return
		}
		w.Header().Set("Content-Type", ctype)
		w.Write(answer)
	}))
	b.Cleanup(bare.Close)
	h := yotpoHeaders()
	b.Run("impl=fake", func(b *testing.B) {
		parallelGET(b, func(int64) string { return fake.URL + path }, h)
	})
	b.Run("impl=bare", func(b *testing.B) {
		parallelGET(b, func(int64) string { return bare.URL + path }, h)
	})
}

// grown holds the fakes of BenchmarkFakeState, built once per size and
// shared by the -count runs: building 100,000 customers takes seconds.
var grown sync.Map // int → *loyaltytest.Server

// grownFake returns a fake holding n Yotpo customers, each with one order
// and one points adjustment (so n orders and at least n ledger entries).
func grownFake(b *testing.B, n int) *loyaltytest.Server {
	if s, ok := grown.Load(n); ok {
		return s.(*loyaltytest.Server)
	}
	start := time.Now()
	srv := loyaltytest.NewServer(loyaltytest.WithRecordLimit(-1))
	// Built in process, through the Yotpo fake's handler: a loopback round
	// trip per write would make the 100,000 size take minutes.
	c := srv.Client(loyalty.WithHTTPClient(&http.Client{Transport: inProcess{srv.Yotpo()}}))
	ctx := context.Background()
	var (
		wg    sync.WaitGroup
		once  sync.Once
		first error
	)
	sem := make(chan struct{}, 8)
	for i := range n {
		sem <- struct{}{}
		wg.Add(1)
		go func() {
			defer func() { <-sem; wg.Done() }()
			if err := grow(ctx, c, i); err != nil {
				once.Do(func() { first = err })
			}
		}()
	}
	wg.Wait()
	if first != nil {
		srv.Close()
		b.Fatal(first)
	}
	if got := len(srv.Yotpo().Customers()); got != n {
		b.Fatalf("%d customers, want %d", got, n)
	}
	b.Logf("built %d customers, orders and adjustments in %v", n, time.Since(start).Round(time.Millisecond))
	grown.Store(n, srv)
	return srv
}

// inProcess serves requests with a handler, without a connection.
type inProcess struct{ h http.Handler }

func (t inProcess) RoundTrip(r *http.Request) (*http.Response, error) {
	w := httptest.NewRecorder()
	t.h.ServeHTTP(w, r)
	return w.Result(), nil
}

// grow adds customer i, its order and its points adjustment.
func grow(ctx context.Context, c *loyalty.Client, i int) error {
	email := fmt.Sprintf("c%d@example.com", i)
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: email, ID: fmt.Sprint("C-", i)}); err != nil {
		return err
	}
	if _, _, err := c.Orders.Create(ctx, loyalty.Order{ID: fmt.Sprint("O-", i), CustomerEmail: email,
		Total: loyalty.NewMoney(2500, "USD"), Status: loyalty.OrderPaid}); err != nil {
		return err
	}
	_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail(email), Points: 10, HistoryTitle: "bench"})
	return err
}

// BenchmarkFakeState is the fake's cost per request as its state grows
// from 1,000 to 100,000 customers (each with an order and a ledger
// entry): a GET of one customer by e-mail (spread over all of them) and a
// POST of a new order. Both stay flat: the fake indexes what it looks up.
// With -short only the 1,000 and 10,000 sizes run.
func BenchmarkFakeState(b *testing.B) {
	sizes := []int{1_000, 10_000, 100_000}
	if testing.Short() {
		sizes = sizes[:2]
	}
	h := yotpoHeaders()
	for _, n := range sizes {
		b.Run(fmt.Sprintf("op=get/customers=%d", n), func(b *testing.B) {
			srv := grownFake(b, n)
			base := srv.URL + contract.YotpoBasePath + contract.YotpoPathCustomers + "?with_history=false&with_referral_code=false&customer_email="
			parallelGET(b, func(i int64) string {
				return base + url.QueryEscape(fmt.Sprintf("c%d@example.com", (i*7919)%int64(n)))
			}, h)
		})
	}
	for _, n := range sizes {
		b.Run(fmt.Sprintf("op=order/customers=%d", n), func(b *testing.B) {
			srv := grownFake(b, n)
			c := srv.Client()
			ctx := context.Background()
			var seq atomic.Int64
			b.ReportAllocs()
			b.SetParallelism(4)
			b.ResetTimer()
			b.RunParallel(func(pb *testing.PB) {
				for pb.Next() {
					i := seq.Add(1)
					_, _, err := c.Orders.Create(ctx, loyalty.Order{ID: fmt.Sprintf("B-%d-%d", n, i),
						CustomerEmail: fmt.Sprintf("c%d@example.com", (i*7919)%int64(n)), Total: loyalty.NewMoney(1000, "USD"), Status: loyalty.OrderPaid})
					if err != nil {
						b.Error(err)
						return
					}
				}
			})
			b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "req/s")
		})
	}
}

// BenchmarkSendBatch sends 1,000 Qualifio events per op through
// Events.SendBatch to the fake (default concurrency), and reports events
// per second. Both sides run in this process, so the allocations include
// the fake's.
func BenchmarkSendBatch(b *testing.B) {
	const n = 1000
	srv := loyaltytest.New(b, loyaltytest.WithRecordLimit(-1))
	c := srv.Client()
	ctx := context.Background()
	if _, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "ana@example.com"}); err != nil {
		b.Fatal(err)
	}
	events := make([]loyalty.Event, n)
	for i := range events {
		events[i] = loyalty.Event{Type: loyalty.EventCustomBasic, Email: "ana@example.com",
			Tags: map[string]string{"channel": "web"}, Counters: map[string]float64{"pages": 2}}
	}
	b.ReportAllocs()
	b.ResetTimer()
	for range b.N {
		res, err := c.Events.SendBatch(ctx, events, nil)
		if err != nil {
			b.Fatal(err)
		}
		for _, r := range res {
			if r.Err != nil {
				b.Fatal(r.Err)
			}
		}
	}
	b.ReportMetric(float64(b.N*n)/b.Elapsed().Seconds(), "events/s")
}

// rateLimitFor is how long TestYotpoRateLimit sends.
const rateLimitFor = 30 * time.Second

// statusCounter counts the answers of each status on the wire, retried
// attempts included.
type statusCounter struct {
	base http.RoundTripper
	mu   sync.Mutex
	n    map[int]int
}

func (s *statusCounter) RoundTrip(r *http.Request) (*http.Response, error) {
	resp, err := s.base.RoundTrip(r)
	if err == nil {
		s.mu.Lock()
		s.n[resp.StatusCode]++
		s.mu.Unlock()
	}
	return resp, err
}

// TestYotpoRateLimit is bulk writing to Yotpo with its limit on at both
// ends: the fake enforces 10 requests per second (429 above it) and the
// Client keeps to its default limiter, 10 per second. 16 goroutines award
// points for rateLimitFor; the wire must see no 429 and at least 95% of
// 10 requests per second. It takes 30 s, so it runs only with -ratelimit:
//
//	go test -run TestYotpoRateLimit -ratelimit ./...
func TestYotpoRateLimit(t *testing.T) {
	if !*rateLimitRun {
		t.Skip("takes 30 s; run with -ratelimit")
	}
	srv := loyaltytest.New(t, loyaltytest.WithRateLimit())
	counter := &statusCounter{base: srv.HTTPClient().Transport, n: map[int]int{}}
	c := srv.Client(loyalty.WithHTTPClient(&http.Client{Transport: counter, Timeout: 30 * time.Second}))
	if c == nil {
		t.Fatal("no client")
	}
	ctx := context.Background()
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"}); err != nil {
		t.Fatal(err)
	}
	// Start on a fresh window of the fake's and the Client's limits.
	time.Sleep(1100 * time.Millisecond)
	counter.mu.Lock()
	clear(counter.n)
	counter.mu.Unlock()
	ctx, cancel := context.WithTimeout(ctx, rateLimitFor)
	defer cancel()
	start := time.Now()
	var ok atomic.Int64
	var wg sync.WaitGroup
	for range 16 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for ctx.Err() == nil {
				_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 1, HistoryTitle: "bulk"})
				if err != nil {
					if ctx.Err() != nil || errors.Is(err, context.DeadlineExceeded) {
						return // the run's end (the limiter refuses a wait past it)
					}
					t.Error(err)
					return
				}
				ok.Add(1)
			}
		}()
	}
	wg.Wait()
	elapsed := time.Since(start)
	counter.mu.Lock()
	defer counter.mu.Unlock()
	rate := float64(ok.Load()) / elapsed.Seconds()
	t.Logf("%d writes in %v: %.2f req/s (%.1f%% of %d/s); answers by status: %v", ok.Load(), elapsed.Round(time.Millisecond),
		rate, 100*rate/contract.YotpoRateLimitPerSecond, contract.YotpoRateLimitPerSecond, counter.n)
	if n := counter.n[http.StatusTooManyRequests]; n != 0 {
		t.Errorf("%d answers 429 on the wire, want 0", n)
	}
	if rate < 0.95*contract.YotpoRateLimitPerSecond {
		t.Errorf("%.2f req/s, want at least 95%% of %d", rate, contract.YotpoRateLimitPerSecond)
	}
}
