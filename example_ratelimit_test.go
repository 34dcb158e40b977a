package loyalty_test

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"sync"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// Two Clients of one merchant share one limiter, so that together they stay
// under Yotpo's limit (each with its own limiter, they would send twice it).
// Across processes, redisstore keeps the shared limit in Redis.
func ExampleNewRateLimiter() {
	srv := loyaltytest.NewServer(loyaltytest.WithRateLimit()) // Yotpo's 10 a second, 429 above
	defer srv.Close()

	cfg := srv.YotpoConfig()
	cfg.Limiter = loyalty.NewRateLimiter(9.6, 1) // one limit for every Client of the merchant
	a := srv.Client(loyalty.WithYotpo(cfg), loyalty.WithRetryPolicy(loyalty.NoRetry))
	b := srv.Client(loyalty.WithYotpo(cfg), loyalty.WithRetryPolicy(loyalty.NoRetry))

	var mu sync.Mutex
	var wg sync.WaitGroup
	ok, limited := 0, 0
	for _, c := range []*loyalty.Client{a, b, a, b, a, b, a, b, a, b} {
		wg.Add(1)
		go func() {
			defer wg.Done()
			req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/campaigns", nil)
			_, err := c.Do(context.Background(), req, nil)
			mu.Lock()
			defer mu.Unlock()
			switch {
			case err == nil:
				ok++
			case errors.Is(err, loyalty.ErrRateLimited):
				limited++
			}
		}()
	}
	wg.Wait()
	fmt.Println("answered:", ok, "rate limited:", limited)
	// Output: answered: 10 rate limited: 0
}
