package loyalty_test

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// badAnswer is a 2xx answer the SDK cannot read as the call's result.
type badAnswer struct {
	name   string
	status int
	body   string
	broken bool // the body breaks off mid-stream after these bytes
}

var badAnswers = []badAnswer{
	{name: "200 id is a number", status: http.StatusOK, body: `{"id":12345}`},
	{name: "200 not JSON", status: http.StatusOK, body: `accepted`},
	{name: "201 ok object", status: http.StatusCreated, body: `{"ok":true}`},
	{name: "200 array", status: http.StatusOK, body: `[1,2]`},
	{name: "200 wrong envelope types", status: http.StatusOK, body: `{"webhook":"x","customer":7,"product":[],"data":{"x":1}}`},
	{name: "200 broken mid-stream", status: http.StatusOK, body: `{"id":`, broken: true},
}

// writeCall is one write of a service, on the platform that serves it.
type writeCall struct {
	name     string
	platform loyalty.Platform
	call     func(ctx context.Context, c *loyalty.Client) error
}

// everyWrite lists every call of every service that can change state on
// a platform: the write methods, and the GETs the SDK sends at most once.
func everyWrite() []writeCall {
	ana := loyalty.ByEmail("ana@example.com")
	eur := func(c int64) loyalty.Money { return loyalty.NewMoney(c, "EUR") }
	order := loyalty.Order{ID: "O-1", CustomerEmail: "ana@example.com", Total: eur(1500), Status: loyalty.OrderPaid}
	hook := loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicPointsEarned, URL: "https://shop.example/hooks"}
	w := func(name string, p loyalty.Platform, f func(ctx context.Context, c *loyalty.Client) error) writeCall {
		return writeCall{name: name, platform: p, call: f}
	}
	return []writeCall{
		// Qualifio.
		w("Members.Create", loyalty.Qualifio, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "ana@example.com"})
			return err
		}),
		w("Members.Update", loyalty.Qualifio, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{Firstname: loyalty.SetTo("Ana")})
			return err
		}),
		w("Members.Delete", loyalty.Qualifio, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Members.Delete(ctx, "m-1")
			return err
		}),
		w("Events.Send", loyalty.Qualifio, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Events.Send(ctx, loyalty.Event{Type: loyalty.EventCustomBasic, Email: "ana@example.com"})
			return err
		}),
		w("Events.SendBatch", loyalty.Qualifio, func(ctx context.Context, c *loyalty.Client) error {
			res, err := c.Events.SendBatch(ctx, []loyalty.Event{{Type: loyalty.EventCustomBasic, Email: "ana@example.com"}}, nil)
			if err != nil {
				return err
			}
			return res[0].Err
		}),
		w("Events.SendMapped", loyalty.Qualifio, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Events.SendMapped(ctx, "i-1", map[string]any{"visits": 2}, loyalty.MappedHeader("X-Token", "t"))
			return err
		}),
		// Yotpo.
		w("Customers.Upsert (Yotpo)", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"})
			return err
		}),
		w("Customers.AdjustPoints (Yotpo)", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: ana, Points: 20})
			return err
		}),
		w("Customers.RecordAction", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Customers.RecordAction(ctx, loyalty.Action{Customer: ana, Name: "reviewed_product"})
			return err
		}),
		w("Customers.SetBirthday (Yotpo)", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Customers.SetBirthday(ctx, ana, loyalty.CalendarDay{Day: 12, Month: time.April})
			return err
		}),
		w("Customers.SetAnniversary", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Customers.SetAnniversary(ctx, ana, loyalty.CalendarDay{Day: 14, Month: time.June, Year: 2019})
			return err
		}),
		w("Customers.RemoveAnniversary", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Customers.RemoveAnniversary(ctx, ana)
			return err
		}),
		w("Orders.Create (Yotpo)", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Orders.Create(ctx, order)
			return err
		}),
		w("Orders.Refund (Yotpo)", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Orders.Refund(ctx, loyalty.Refund{ID: "R-1", OrderID: "O-1", Total: eur(500)})
			return err
		}),
		w("Coupons.Upload", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Coupons.Upload(ctx, 11, []string{"CODE-1"})
			return err
		}),
		w("Redemptions.Redeem", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Redemptions.Redeem(ctx, loyalty.RedeemInput{Customer: ana, OptionID: 11})
			return err
		}),
		w("Redemptions.ConfirmCancellation", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Redemptions.ConfirmCancellation(ctx, 9001, "CODE-1")
			return err
		}),
		w("Referrals.Share", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Referrals.Share(ctx, loyalty.ShareInput{Email: "a@example.com", Friends: []string{"b@example.com"}})
			return err
		}),
		w("Referrals.Referrer", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Referrals.Referrer(ctx, loyalty.ReferrerInput{Email: "a@example.com"})
			return err
		}),
		w("Privacy.RequestData", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Privacy.RequestData(ctx, "ana@example.com")
			return err
		}),
		w("Privacy.Anonymize", loyalty.Yotpo, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Privacy.Anonymize(ctx, "ana@example.com", nil)
			return err
		}),
		// Influence.io.
		w("Customers.Upsert (Influence.io)", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"})
			return err
		}),
		w("Customers.AdjustPoints (Influence.io)", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-1"), Points: 20})
			return err
		}),
		w("Customers.EnrollMembership", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Customers.EnrollMembership(ctx, loyalty.ByID("C-1"), "")
			return err
		}),
		w("Customers.RemoveMembership", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Customers.RemoveMembership(ctx, loyalty.ByID("C-1"))
			return err
		}),
		w("Customers.SetBirthday (Influence.io)", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Customers.SetBirthday(ctx, loyalty.ByID("C-1"), loyalty.CalendarDay{Day: 12, Month: time.April})
			return err
		}),
		w("Orders.Create (Influence.io)", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			o := order
			o.CustomerID = "C-1"
			_, _, err := c.Orders.Create(ctx, o)
			return err
		}),
		w("Orders.Update", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Orders.Update(ctx, "O-1", loyalty.OrderUpdate{Status: loyalty.OrderPaid})
			return err
		}),
		w("Orders.Refund whole (Influence.io)", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Orders.Refund(ctx, loyalty.Refund{OrderID: "O-1", Full: true})
			return err
		}),
		w("Coupons.MarkUsed", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Coupons.MarkUsed(ctx, "INF-5OFF")
			return err
		}),
		w("Products.Upsert", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Products.Upsert(ctx, loyalty.ProductInput{ID: "P-1", Title: "Tee", Price: loyalty.Ptr(eur(1999))})
			return err
		}),
		w("Products.SetVariants", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Products.SetVariants(ctx, "P-1", []loyalty.Variant{{ID: "S", Title: "Small", Price: loyalty.Ptr(eur(1999))}})
			return err
		}),
		w("Webhooks.Create", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Webhooks.Create(ctx, hook)
			return err
		}),
		w("Webhooks.CreateWithToken", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Webhooks.CreateWithToken(ctx, hook.Topic, hook.URL, "tok-1")
			return err
		}),
		w("Webhooks.Replace", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Webhooks.Replace(ctx, "w-1", hook)
			return err
		}),
		w("Webhooks.ReplaceWithToken", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Webhooks.ReplaceWithToken(ctx, "w-1", hook.Topic, hook.URL, "tok-1")
			return err
		}),
		w("Webhooks.Delete", loyalty.InfluenceIO, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Webhooks.Delete(ctx, "w-1")
			return err
		}),
		// Monterosa.
		w("Rewards.Notifications", loyalty.Monterosa, func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Rewards.Notifications(ctx)
			return err
		}),
		w("Rewards.ReportAction", loyalty.Monterosa, func(ctx context.Context, c *loyalty.Client) error {
			_, err := c.Rewards.ReportAction(ctx, loyalty.RewardsAction{Name: "video_watched"})
			return err
		}),
	}
}

// badAnswerServer answers every call with a, and Qualifio's token requests
// with a token; it counts the calls.
func badAnswerServer(t *testing.T, a badAnswer) (*httptest.Server, *atomic.Int32) {
	t.Helper()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		_, _ = io.Copy(io.Discard, r.Body)
		if r.URL.Path == mockQualifioToken {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"tok","token_type":"Bearer","expires_in":3600}`)
			return
		}
		calls.Add(1)
		w.Header().Set("Content-Type", "application/json")
		if a.broken {
			w.Header().Set("Content-Length", "100")
		}
		w.WriteHeader(a.status)
		io.WriteString(w, a.body)
		if a.broken {
			w.(http.Flusher).Flush()
			if conn, _, err := w.(http.Hijacker).Hijack(); err == nil {
				conn.Close()
			}
		}
	}))
	t.Cleanup(srv.Close)
	return srv, &calls
}

func clientFor(t *testing.T, p loyalty.Platform, base string) *loyalty.Client {
	t.Helper()
	var o loyalty.Option
	switch p {
	case loyalty.Qualifio:
		o = loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "id", ClientSecret: "secret",
			BaseURL: base + mockQualifioBase, TokenURL: base + mockQualifioToken})
	case loyalty.Yotpo:
		o = loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: base + mockYotpoBase, RateLimit: rate.Inf})
	case loyalty.InfluenceIO:
		o = loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: base + mockInfluenceIOBase})
	case loyalty.Monterosa:
		o = loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: base + mockMonterosaBase,
			TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "jwt"})})
	}
	c, err := loyalty.NewClient(o, loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	t.Cleanup(c.CloseIdleConnections)
	return c
}

// A write answered 2xx was done: whatever the answer's body (of the wrong
// shape, not JSON, cut off mid-stream), no write of any service reports it
// as a plain failure, which would have the caller send it again, and none
// is sent twice. It is either done (nil) or, where the method cannot give
// its result without the answer, ErrMaybeApplied.
func TestEveryWriteAnswered2xxIsDoneOrMaybeApplied(t *testing.T) {
	for _, wc := range everyWrite() {
		for _, a := range badAnswers {
			t.Run(wc.name+"/"+a.name, func(t *testing.T) {
				srv, calls := badAnswerServer(t, a)
				c := clientFor(t, wc.platform, srv.URL)
				err := wc.call(context.Background(), c)
				var ie *loyalty.InputError
				require.False(t, errors.As(err, &ie), "the test's input is refused: %v", err)
				assert.Equal(t, int32(1), calls.Load(), "sent once")
				if err != nil {
					assert.ErrorIs(t, err, loyalty.ErrMaybeApplied, "a 2xx answer is never a plain failure")
					assert.True(t, strings.Contains(err.Error(), "applied"), "%v", err)
				}
			})
		}
	}
}

// The three writes the review caught: a mapped event answered 2xx was
// counted, so its receipt is read as well as it can be and never fails
// the call; a webhook create answered without a readable webhook was
// done, so it says ErrMaybeApplied (List shows it), not a plain error.
func TestWritesAnswered2xxNamedInTheReview(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		answer  badAnswer
		receipt string
	}{
		{badAnswer{status: http.StatusOK, body: `{"id":12345}`}, "12345"},
		{badAnswer{status: http.StatusOK, body: `accepted`}, ""},
		{badAnswer{status: http.StatusCreated, body: `{"ok":true}`}, ""},
	} {
		srv, calls := badAnswerServer(t, tc.answer)
		c := clientFor(t, loyalty.Qualifio, srv.URL)
		id, resp, err := c.Events.SendMapped(ctx, "i-1", map[string]any{"visits": 2}, loyalty.MappedHeader("X-Token", "t"))
		require.NoError(t, err, tc.answer.body)
		assert.Equal(t, tc.receipt, id)
		assert.Equal(t, tc.answer.status, resp.StatusCode)
		assert.Equal(t, int32(1), calls.Load())

		srv, calls = badAnswerServer(t, tc.answer)
		c = clientFor(t, loyalty.InfluenceIO, srv.URL)
		hook := loyalty.WebhookInput{Topic: loyalty.InfluenceIOTopicPointsEarned, URL: "https://shop.example/hooks"}
		wh, resp, err := c.Webhooks.Create(ctx, hook)
		require.ErrorIs(t, err, loyalty.ErrMaybeApplied, tc.answer.body)
		assert.Contains(t, err.Error(), "the call was applied")
		assert.Nil(t, wh)
		require.NotNil(t, resp)
		assert.Equal(t, tc.answer.status, resp.StatusCode)
		_, _, err = c.Webhooks.CreateWithToken(ctx, hook.Topic, hook.URL, "tok-1")
		require.ErrorIs(t, err, loyalty.ErrMaybeApplied, tc.answer.body)
		assert.NotContains(t, err.Error(), "tok-1")
		assert.Equal(t, int32(2), calls.Load(), "each create sent once")
	}
}

// A Yotpo write answered 200 whose body breaks off mid-stream was applied
// (decided: the status line is the platform's answer). It is never sent
// again, not even when it is idempotent, and never a plain failure: a
// method whose result does not need the answer returns as on success; one
// whose result is the answer fails with ErrMaybeApplied, its Response
// carrying the 200. A read cut the same way is still retried.
func TestYotpoWriteCutMidAnswerIsAppliedNotResent(t *testing.T) {
	ctx := context.Background()
	cut := badAnswer{status: http.StatusOK, body: `{"id":`, broken: true}

	srv, calls := badAnswerServer(t, cut)
	c := clientFor(t, loyalty.Yotpo, srv.URL)
	order := loyalty.Order{ID: "O-1", CustomerEmail: "ana@example.com", Total: loyalty.NewMoney(1500, "EUR"), Status: loyalty.OrderPaid}
	res, _, err := c.Orders.Create(ctx, order) // idempotent: it used to be sent again
	require.NoError(t, err)
	assert.Equal(t, "O-1", res.Order.ID)
	assert.Equal(t, int32(1), calls.Load(), "an applied write is not sent again")

	srv, calls = badAnswerServer(t, cut)
	c = clientFor(t, loyalty.Yotpo, srv.URL)
	_, _, err = c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 20})
	require.NoError(t, err, "no answer needed: done")
	assert.Equal(t, int32(1), calls.Load())

	srv, calls = badAnswerServer(t, cut)
	c = clientFor(t, loyalty.Yotpo, srv.URL)
	_, resp, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"})
	require.ErrorIs(t, err, loyalty.ErrMaybeApplied)
	assert.Contains(t, err.Error(), "broke off")
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, int32(1), calls.Load())

	srv, calls = badAnswerServer(t, cut)
	c = clientFor(t, loyalty.Yotpo, srv.URL)
	_, _, err = c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil)
	require.Error(t, err)
	assert.False(t, errors.Is(err, loyalty.ErrMaybeApplied), "a read is never maybe-applied")
	assert.Equal(t, int32(1+fastRetry.MaxRetries), calls.Load(), "a read is retried")
}

// An Influence.io refund of a Total reads the order first (an empty
// update). When that read fails or its answer shows no total, nothing was
// refunded: the error says so and never matches ErrMaybeApplied, which
// would have the caller take the refund for done; the status update is
// never sent.
func TestInfluenceIORefundReadFailureRefundsNothing(t *testing.T) {
	for _, tc := range []struct {
		name   string
		status int
		body   string
		want   string
	}{
		{"gateway error on every attempt", http.StatusBadGateway, `{"message":"bad gateway"}`, "reading order O-1 to check Total failed, so nothing was refunded"},
		{"answer not JSON", http.StatusOK, `accepted`, "reading order O-1 to check Total failed, so nothing was refunded"},
		{"order without a total", http.StatusOK, `{"order":{"id":"O-1","financialStatus":"paid"}}`, "shows no readable total, so Total cannot be checked and nothing was refunded"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			var statusSent atomic.Bool
			srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
				b, _ := io.ReadAll(r.Body)
				if strings.Contains(string(b), "financialStatus") {
					statusSent.Store(true)
				}
				w.WriteHeader(tc.status)
				io.WriteString(w, tc.body)
			}))
			t.Cleanup(srv.Close)
			c := clientFor(t, loyalty.InfluenceIO, srv.URL)
			_, err := c.Orders.Refund(context.Background(), loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(1500, "EUR")})
			require.Error(t, err)
			assert.NotErrorIs(t, err, loyalty.ErrMaybeApplied)
			assert.Contains(t, err.Error(), tc.want)
			assert.False(t, statusSent.Load(), "the refund's status update was sent")
		})
	}
}
