package loyalty_test

// The Qualifio services against loyaltytest, the reference fake, which
// shares no wire struct with the SDK.

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

func TestFakeQualifioMemberAndPurchaseFlow(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	ctx := context.Background()

	m, resp, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "ana@example.com", CustomerID: "C-1042", Firstname: "Ana",
		Custom: map[string]any{"newsletter": true, "store": "brussels"}})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	require.NotEmpty(t, m.ID)
	assert.False(t, m.CreatedAt.IsZero())

	_, _, err = c.Members.Create(ctx, loyalty.MemberInput{Email: "ANA@example.com"})
	assert.ErrorIs(t, err, loyalty.ErrConflict, "emails compare case-insensitively")

	// A purchase earns 1 point per euro (the fake's default rule), once per id.
	purchase := loyalty.Event{Type: loyalty.EventPurchase, Email: "ana@example.com",
		Purchase: &loyalty.Purchase{OrderID: "O-77812", Amount: loyalty.NewMoney(4990, "EUR")}, Tags: map[string]string{"channel": "web"}}
	id, _, err := c.Events.Send(ctx, purchase)
	require.NoError(t, err)
	balance, lifetime, ok := srv.Qualifio().Points(m.ID)
	require.True(t, ok)
	assert.InDelta(t, 49.90, balance, 1e-9)
	assert.InDelta(t, 49.90, lifetime, 1e-9)

	purchase.ID = id
	again, _, err := c.Events.Send(ctx, purchase)
	require.NoError(t, err)
	assert.Equal(t, id, again)
	balance, _, _ = srv.Qualifio().Points(m.ID)
	assert.InDelta(t, 49.90, balance, 1e-9, "the same event id earns once")

	_, _, err = c.Events.Send(ctx, loyalty.Event{Type: loyalty.EventCustomBasic, CustomerID: "C-1042", Counters: map[string]float64{"visits": 1}})
	require.NoError(t, err)
	balance, _, _ = srv.Qualifio().Points(m.ID)
	assert.InDelta(t, 59.90, balance, 1e-9, "a basic event earns 10")

	up, _, err := c.Members.Update(ctx, m.ID, loyalty.MemberUpdate{
		Firstname: loyalty.SetTo("Anna"), Lastname: loyalty.SetTo("Peeters"), CustomerID: loyalty.ClearField[string](),
		Birthdate: loyalty.SetTo(time.Date(1990, 4, 12, 0, 0, 0, 0, time.UTC)),
		Custom:    map[string]any{"store": nil, "tier": "gold"},
	})
	require.NoError(t, err)
	assert.Equal(t, "Anna", up.Firstname)
	assert.Empty(t, up.CustomerID)
	assert.Equal(t, map[string]any{"newsletter": true, "tier": "gold"}, up.Custom, "merged key by key, store removed")
	assert.True(t, up.UpdatedAt.After(m.UpdatedAt))

	found, _, err := c.Members.Lookup(ctx, loyalty.ByEmail("ana@example.com"))
	require.NoError(t, err)
	assert.Equal(t, m.ID, found.ID)
	assert.Equal(t, "Peeters", found.Lastname)
	assert.True(t, found.Birthdate.Equal(time.Date(1990, 4, 12, 0, 0, 0, 0, time.UTC)))
	_, _, err = c.Members.Lookup(ctx, loyalty.ByID("C-1042"))
	assert.ErrorIs(t, err, loyalty.ErrNotFound, "the cleared customerId is free")

	_, err = c.Members.Delete(ctx, m.ID)
	require.NoError(t, err)
	_, _, err = c.Members.Get(ctx, m.ID)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	_, err = c.Members.Delete(ctx, m.ID)
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func TestFakeQualifioWrongSecretCarriesTheOAuthCode(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithQualifioClient("client-1", "right-secret"))
	cfg := srv.QualifioConfig()
	cfg.ClientSecret = "WRONG-SECRET"
	c, err := loyalty.NewClient(loyalty.WithQualifio(cfg), loyalty.WithHTTPClient(srv.HTTPClient()), loyalty.WithRetryPolicy(loyaltytest.TestRetryPolicy))
	require.NoError(t, err)
	_, _, err = c.Members.Get(context.Background(), "m-1")
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusBadRequest, e.StatusCode)
	assert.Equal(t, contract.QualifioTokenErrWrongSecret, e.Code)
	assert.ErrorIs(t, err, loyalty.ErrBadRequest)
	assert.NotContains(t, err.Error(), "WRONG-SECRET")
	assert.Contains(t, err.Error(), "unauthorized_client")
}

func TestFakeQualifioMappedEvents(t *testing.T) {
	srv := loyaltytest.New(t)
	c := srv.Client()
	q := srv.Qualifio()
	for _, tc := range []struct {
		integ loyaltytest.QualifioMappedEvent
		auth  loyalty.MappedAuth
		wrong loyalty.MappedAuth
	}{
		{loyaltytest.QualifioMappedEvent{ID: "m-bearer"}, loyalty.MappedBearer(), loyalty.MappedHeader("X-Authorization", "x")},
		{loyaltytest.QualifioMappedEvent{ID: "m-header", Auth: loyaltytest.QualifioAuthHeader, Name: "X-Authorization", Secret: "tok-h"},
			loyalty.MappedHeader("X-Authorization", "tok-h"), loyalty.MappedHeader("X-Authorization", "nope")},
		{loyaltytest.QualifioMappedEvent{ID: "m-query", Auth: loyaltytest.QualifioAuthQuery, Name: "token", Secret: "tok q&="},
			loyalty.MappedQuery("token", "tok q&="), loyalty.MappedQuery("token", "nope")},
		{loyaltytest.QualifioMappedEvent{ID: "m-hub", Auth: loyaltytest.QualifioAuthHubSignature, Secret: "hub-secret"},
			loyalty.MappedHubSignature("hub-secret"), loyalty.MappedHubSignatureSHA1("hub-secret")},
		{loyaltytest.QualifioMappedEvent{ID: "m-hub1", Auth: loyaltytest.QualifioAuthHubSignature, Secret: "hub-secret", SHA1: true},
			loyalty.MappedHubSignatureSHA1("hub-secret"), loyalty.MappedHubSignature("hub-secret")},
	} {
		q.AddMappedEvent(tc.integ)
		body := []byte(fmt.Sprintf(`{"integration":%q, "total": 49.90}`, tc.integ.ID))
		rcpt, _, err := c.Events.SendMapped(context.Background(), tc.integ.ID, body, tc.auth)
		require.NoError(t, err, tc.integ.ID)
		assert.NotEmpty(t, rcpt)
		assert.Equal(t, [][]byte{body}, q.MappedEvents(tc.integ.ID), "the fake got the exact bytes (and verified them)")

		_, _, err = c.Events.SendMapped(context.Background(), tc.integ.ID, body, tc.wrong)
		assert.ErrorIs(t, err, loyalty.ErrUnauthorized, tc.integ.ID)
		assert.Len(t, q.MappedEvents(tc.integ.ID), 1)
	}
	_, _, err := c.Events.SendMapped(context.Background(), "unknown", []byte(`{}`), loyalty.MappedBearer())
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

// A batch with 20% of the event sends answered 503 or 429 before the fake
// sees them: every event ends earned once or reported failed, and the
// balances prove which.
func TestFakeQualifioBatchUnderFaults(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithRandomFaults(loyaltytest.RandomFaults{
		Rate: 0.2, Seed: 42, Statuses: []int{http.StatusServiceUnavailable, http.StatusTooManyRequests},
		Path: contract.QualifioBasePath + contract.QualifioPathEvents,
	}))
	srv.Qualifio().SetEarningRule(loyaltytest.QualifioEarningRule{ID: "r-1", PerEvent: 1})
	// One retry, so that some events fail for good (about 0.2² of them).
	c := srv.Client(loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: 1, MinWait: time.Millisecond, MaxWait: 2 * time.Millisecond, MaxRetryAfter: 2 * time.Millisecond}))
	ctx := context.Background()

	const members, n = 10, 1000
	ids := make([]string, members)
	for i := range ids {
		m, _, err := c.Members.Create(ctx, loyalty.MemberInput{CustomerID: fmt.Sprint("C-", i)})
		require.NoError(t, err)
		ids[i] = m.ID
	}
	events := make([]loyalty.Event, n)
	for i := range events {
		events[i] = loyalty.Event{Type: loyalty.EventCustomBasic, CustomerID: fmt.Sprint("C-", i%members)}
	}
	res, err := c.Events.SendBatch(ctx, events, &loyalty.EventBatchOptions{Concurrency: 8})
	require.NoError(t, err)
	require.Len(t, res, n)

	earned := make([]int, members)
	var sent, failed int
	for i, r := range res {
		require.NotEmpty(t, r.ID, i)
		if r.Err == nil {
			sent++
			earned[i%members]++
			continue
		}
		failed++
		var e *loyalty.Error
		require.ErrorAs(t, r.Err, &e, "event %d", i)
		assert.Contains(t, []int{http.StatusServiceUnavailable, http.StatusTooManyRequests}, e.StatusCode)
		assert.False(t, errors.Is(r.Err, loyalty.ErrNotAttempted))
	}
	assert.Equal(t, n, sent+failed, "every event is accounted for")
	assert.Positive(t, failed, "the faults were felt")
	assert.Greater(t, sent, n*9/10)
	for i, id := range ids {
		balance, _, _ := srv.Qualifio().Points(id)
		assert.Equal(t, float64(earned[i]), balance, "member %d: each sent event earned once, no failed one earned", i)
	}
	t.Logf("%d sent, %d failed", sent, failed)
}
