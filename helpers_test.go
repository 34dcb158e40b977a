package loyalty_test

import (
	"net/http"
	"net/http/httptest"
	"sort"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// fastRetry keeps the tests quick while still exercising backoff.
var fastRetry = loyalty.RetryPolicy{MaxRetries: 3, MinWait: time.Millisecond, MaxWait: 5 * time.Millisecond, MaxRetryAfter: 2 * time.Second}

// yotpoBase is where the test servers mount Yotpo, below the root, so that a
// request built with an absolute path misses the mux and fails loudly.
const yotpoBase = "/api/v2"

// recorder counts and timestamps the requests a test server gets.
type recorder struct {
	mu    sync.Mutex
	times []time.Time
	reqs  []*http.Request
}

func (r *recorder) add(req *http.Request) int {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.times = append(r.times, time.Now())
	r.reqs = append(r.reqs, req.Clone(req.Context()))
	return len(r.times)
}

func (r *recorder) count() int {
	r.mu.Lock()
	defer r.mu.Unlock()
	return len(r.times)
}

// yotpoServer serves h under yotpoBase and returns a client for it with
// fastRetry, no client-side rate limit, and the given extra options.
func yotpoServer(t *testing.T, h http.HandlerFunc, opts ...loyalty.Option) (*loyalty.Client, *httptest.Server) {
	t.Helper()
	mux := http.NewServeMux()
	mux.Handle(yotpoBase+"/", h)
	srv := httptest.NewServer(mux)
	t.Cleanup(srv.Close)
	all := append([]loyalty.Option{
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "guid-1", APIKey: "key-1", BaseURL: srv.URL + yotpoBase, RateLimit: rate.Inf}),
		loyalty.WithRetryPolicy(fastRetry),
	}, opts...)
	c, err := loyalty.NewClient(all...)
	if err != nil {
		t.Fatal(err)
	}
	return c, srv
}

// collect drains an iterator, failing the test on an error.
func collect[T any](t *testing.T, seq func(func(*T, error) bool)) []*T {
	t.Helper()
	var out []*T
	for v, err := range seq {
		require.NoError(t, err)
		out = append(out, v)
	}
	return out
}

// firstErr returns the first error an iterator yields.
func firstErr[T any](seq func(func(*T, error) bool)) error {
	_, err := firstErrOf(seq)
	return err
}

// firstErrOf returns the first error an iterator yields and how many items
// came before it.
func firstErrOf[T any](seq func(func(T, error) bool)) (int, error) {
	n := 0
	for _, err := range seq {
		if err != nil {
			return n, err
		}
		n++
	}
	return n, nil
}

// sortIssues orders decode issues as sorted field paths, descending, for
// comparing them regardless of the answer's key order.
func sortIssues(is []loyalty.DecodeIssue) []loyalty.DecodeIssue {
	sort.Slice(is, func(i, j int) bool { return is[i].Field > is[j].Field })
	return is
}
