package loyalty_test

// The SDK against loyaltytest, the reference fake. The two share no wire
// structs: the JSON here is written from the platforms' wire contracts like
// the fake's, so a field-name mistake on either side fails these tests.

import (
	"context"
	"net/http"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

func do(t *testing.T, c *loyalty.Client, p loyalty.Platform, method, path string, body, out any) (*loyalty.Response, error) {
	t.Helper()
	req, err := c.NewRequest(p, method, path, body)
	require.NoError(t, err)
	return c.Do(context.Background(), req, out)
}

func TestFakeYotpoCustomerRoundTrip(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	_, err := do(t, c, loyalty.Yotpo, http.MethodPost, "/customers", map[string]any{
		"id": "C-1042", "email": "ana@example.com", "first_name": "Ana", "opted_in": true,
	}, nil)
	require.NoError(t, err)

	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	require.NoError(t, err)
	req.Query.Set("customer_email", "ana@example.com")
	var got struct {
		Email         string `json:"email"`
		FirstName     string `json:"first_name"`
		ThirdPartyID  string `json:"third_party_id"`
		PointsBalance int    `json:"points_balance"`
	}
	_, err = c.Do(context.Background(), req, &got)
	require.NoError(t, err)
	assert.Equal(t, "ana@example.com", got.Email)
	assert.Equal(t, "Ana", got.FirstName)
	assert.Equal(t, "C-1042", got.ThirdPartyID)

	req.Query.Set("customer_email", "nobody@example.com")
	_, err = c.Do(context.Background(), req, nil)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.NotEmpty(t, e.Message, "the fake's error_message reaches Error.Message")

	// The fake saw the documented auth headers and no key in any URL.
	for _, r := range srv.Requests() {
		assert.NotEmpty(t, r.Header.Get("X-GUID"))
		assert.Empty(t, r.Query.Get("api_key"))
	}
}

func TestFakeFaultsAreRetriedOrNot(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	path := "/api/v2/customers"

	// A GET survives two 503s and a dropped connection.
	srv.InjectFault(loyaltytest.Fault{Method: http.MethodGet, Path: path, Status: http.StatusServiceUnavailable, Times: 2})
	srv.InjectFault(loyaltytest.Fault{Method: http.MethodGet, Path: path, Drop: true})
	req, _ := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	req.Query.Set("customer_email", "nobody@example.com")
	_, err := c.Do(context.Background(), req, nil)
	assert.ErrorIs(t, err, loyalty.ErrNotFound, "after the faults the fake answers for real")

	// A POST /orders is not retried on 500: the fault is seen once, and
	// nothing was created.
	srv.ClearFaults()
	srv.ResetRequests()
	srv.InjectFault(loyaltytest.Fault{Method: http.MethodPost, Path: "/api/v2/orders", Status: http.StatusInternalServerError, Times: 5})
	_, err = do(t, c, loyalty.Yotpo, http.MethodPost, "/orders", map[string]any{"customer_email": "ana@example.com", "order_id": "O-1", "total_amount_cents": 1000}, nil)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusInternalServerError, e.StatusCode)
	assert.Equal(t, 1, e.Attempts)
	assert.Len(t, srv.Requests(), 1)

	// 429 with Retry-After is retried even for a POST.
	srv.ClearFaults()
	srv.InjectFault(loyaltytest.Fault{Method: http.MethodPost, Path: "/api/v2/orders", Status: http.StatusTooManyRequests, RetryAfter: time.Second})
	_, err = do(t, c, loyalty.Yotpo, http.MethodPost, "/orders", map[string]any{"customer_email": "ana@example.com", "order_id": "O-1", "total_amount_cents": 1000}, nil)
	require.NoError(t, err)
}

func TestFakeYotpoRateLimitSeldomHitByClientLimiter(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithRateLimit())
	// The client's own limiter at Yotpo's 10/s against the fake's fixed
	// one-second windows. A token bucket at exactly the limit can still
	// land an 11th request in a window when a goroutine leaves late, so a
	// rare 429 is retried; without the client's limiter, 16 calls at once
	// would collect six of them (checked by the count below).
	cfg := srv.YotpoConfig()
	cfg.RateLimit = 0
	c, err := loyalty.NewClient(loyalty.WithYotpo(cfg), loyalty.WithHTTPClient(srv.HTTPClient()), loyalty.WithRetryPolicy(loyaltytest.TestRetryPolicy))
	require.NoError(t, err)
	var wg sync.WaitGroup
	var last *loyalty.Response
	var mu sync.Mutex
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 4; i++ {
				resp, err := do(t, c, loyalty.Yotpo, http.MethodGet, "/campaigns", nil, nil)
				if !assert.NoError(t, err) {
					return
				}
				mu.Lock()
				last = resp
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	require.NotNil(t, last)
	assert.Equal(t, 10, last.RateLimit.Limit, "the fake's ratelimit-limit header is parsed")
	var calls int
	for _, r := range srv.Requests() {
		if r.Path == "/api/v2/campaigns" {
			calls++
		}
	}
	assert.LessOrEqual(t, calls-16, 2, "at most a couple of 429s retried, not a burst of them")
}

func TestFakeQualifioTokenAndExpiry(t *testing.T) {
	var mu sync.Mutex
	now := time.Now()
	clock := func() time.Time { mu.Lock(); defer mu.Unlock(); return now }
	srv := loyaltytest.New(t, loyaltytest.WithClock(clock))
	c := srv.Client()

	var member struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	}
	_, err := do(t, c, loyalty.Qualifio, http.MethodPost, "/management/members", map[string]any{"email": "ana@example.com", "customerId": "C-1042", "firstname": "Ana"}, &member)
	require.NoError(t, err)
	require.NotEmpty(t, member.ID)

	// The fake expires its tokens on its own clock: the SDK's cached token
	// is now refused, so it fetches a new one and replays the call once.
	mu.Lock()
	now = now.Add(2 * time.Hour)
	mu.Unlock()
	req, _ := c.NewRequest(loyalty.Qualifio, http.MethodGet, "/management/members", nil)
	req.Query.Set("email", "ana@example.com")
	var found struct {
		ID string `json:"id"`
	}
	_, err = c.Do(context.Background(), req, &found)
	require.NoError(t, err)
	assert.Equal(t, member.ID, found.ID)

	tokenCalls := 0
	for _, r := range srv.Requests() {
		if r.Path == "/auth/realms/Qualifio/protocol/openid-connect/token" {
			tokenCalls++
		}
	}
	assert.Equal(t, 2, tokenCalls, "one token, then one after the 401")

	// A repeated event id is accepted and processed once.
	evt := map[string]any{"id": "evt-1", "type": "custom/basic", "member": map[string]string{"email": "ana@example.com"}, "timestamp": now.UTC().Format(time.RFC3339)}
	for i := 0; i < 2; i++ {
		var ack struct {
			ID string `json:"id"`
		}
		resp, err := do(t, c, loyalty.Qualifio, http.MethodPost, "/ingestor/events", evt, &ack)
		require.NoError(t, err)
		assert.Equal(t, http.StatusAccepted, resp.StatusCode)
		assert.Equal(t, "evt-1", ack.ID)
	}
}

func TestFakeInfluenceIOAndMonterosa(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient())
	c := srv.Client()
	assert.Equal(t, []loyalty.Platform{loyalty.Qualifio, loyalty.InfluenceIO, loyalty.Monterosa}, c.Platforms())

	var wrapped struct {
		Customer struct {
			ExternalID   string `json:"externalId"`
			Email        string `json:"email"`
			PointBalance int    `json:"pointBalance"`
		} `json:"customer"`
	}
	_, err := do(t, c, loyalty.InfluenceIO, http.MethodPut, "/v1/customers/C-1042", map[string]any{"email": "ana@example.com", "firstName": "Ana"}, &wrapped)
	require.NoError(t, err)
	_, err = do(t, c, loyalty.InfluenceIO, http.MethodPost, "/v1/customers/C-1042/points", map[string]any{"points": 50, "action": "Welcome bonus"}, &wrapped)
	require.NoError(t, err)
	assert.Equal(t, "C-1042", wrapped.Customer.ExternalID)
	assert.Equal(t, 50, wrapped.Customer.PointBalance)
	_, err = do(t, c, loyalty.InfluenceIO, http.MethodGet, "/v1/customers/C-404", nil, nil)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)

	var profile struct {
		Message string `json:"message"`
		Data    struct {
			Metrics map[string]float64 `json:"metrics"`
		} `json:"data"`
	}
	_, err = do(t, c, loyalty.Monterosa, http.MethodGet, "/api/loyalty/profile", nil, &profile)
	require.NoError(t, err)
	assert.Equal(t, "OK", profile.Message)
	resp, err := do(t, c, loyalty.Monterosa, http.MethodPost, "/api/loyalty/action", map[string]any{"action": "video_watched", "data": map[string]any{"seconds": 95}}, nil)
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}
