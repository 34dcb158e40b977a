package loyalty_test

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// seen is one request as a test server got it.
type seen struct {
	Method, Path string
	Query        url.Values
	Header       http.Header
	Body         []byte
}

// optServer is a Yotpo test server answering each request with answer(n),
// n counting requests from 1, and keeping what it got.
type optServer struct {
	mu   sync.Mutex
	reqs []seen
}

func (s *optServer) got() []seen {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]seen(nil), s.reqs...)
}

func newOptServer(t *testing.T, answer func(n int, w http.ResponseWriter, r *http.Request), opts ...loyalty.Option) (*loyalty.Client, *optServer) {
	t.Helper()
	s := &optServer{}
	c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		s.mu.Lock()
		s.reqs = append(s.reqs, seen{r.Method, r.URL.Path, r.URL.Query(), r.Header.Clone(), body})
		n := len(s.reqs)
		s.mu.Unlock()
		answer(n, w, r)
	}, opts...)
	return c, s
}

func answerJSON(body string) func(int, http.ResponseWriter, *http.Request) {
	return func(_ int, w http.ResponseWriter, _ *http.Request) {
		w.Header().Set("Content-Type", "application/json")
		io.WriteString(w, body)
	}
}

const customerJSON = `{"email":"ana@example.com","points_balance":10}`

func getAna(c *loyalty.Client, opts ...loyalty.CallOption) error {
	_, _, err := c.Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), nil, opts...)
	return err
}

func requireInputError(t *testing.T, err error, op, field string) *loyalty.InputError {
	t.Helper()
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, op, ie.Op)
	assert.Equal(t, field, ie.Field)
	return ie
}

// Header adds exactly the header asked for; the rest of the request is the
// SDK's own.
func TestHeaderOptionExactRequest(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(customerJSON))
	require.NoError(t, getAna(c))
	require.NoError(t, getAna(c, loyalty.Header("x-trace-id", "t-1"), loyalty.Header("X-Feature", "a"), loyalty.Header("X-Feature", "b")))
	got := srv.got()
	require.Len(t, got, 2)
	plain, with := got[0], got[1]
	assert.Equal(t, http.MethodGet, with.Method)
	assert.Equal(t, yotpoBase+"/customers", with.Path)
	assert.Equal(t, url.Values{"customer_email": {"ana@example.com"}, "with_history": {"false"}, "with_referral_code": {"false"}}, with.Query)
	assert.Equal(t, plain.Query, with.Query)
	assert.Empty(t, with.Body)
	assert.Equal(t, []string{"t-1"}, with.Header["X-Trace-Id"])
	assert.Equal(t, []string{"a", "b"}, with.Header["X-Feature"])
	for k, vs := range plain.Header {
		assert.Equal(t, vs, with.Header[k], "header %s as without the option", k)
	}
	assert.Len(t, with.Header, len(plain.Header)+2, "two headers more, no other change")
}

func TestHeaderOptionRefused(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(customerJSON))
	for _, h := range []string{"X-GUID", "x-api-key", "Host", "Content-Length", "transfer-encoding", "Accept-Encoding", "Connection", "User-Agent", "bad name", ""} {
		err := getAna(c, loyalty.Header(h, "v"))
		requireInputError(t, err, "Customers.Get", "Header")
		if h != "" && h != "bad name" {
			assert.Contains(t, strings.ToLower(err.Error()), strings.ToLower(h), "the error names the header")
		}
	}
	requireInputError(t, getAna(c, loyalty.Header("X-A", "line\r\nX-B: injected")), "Customers.Get", "Header")
	// A whole header line pasted as the name: its value stays out of the error.
	err := getAna(c, loyalty.Header("Authorization: Bearer PASTED-TOKEN", "v"))
	requireInputError(t, err, "Customers.Get", "Header")
	assert.NotContains(t, err.Error(), "PASTED-TOKEN")
	// A header the call already carries is not overridden.
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/customers", nil)
	require.NoError(t, err)
	req.Header.Set("X-Mine", "1")
	_, err = c.Do(context.Background(), req, nil, loyalty.Header("x-mine", "2"))
	ie := requireInputError(t, err, "Do", "Header")
	assert.Contains(t, ie.Reason, "X-Mine")
	assert.Empty(t, srv.got(), "nothing sent")
}

func TestQueryParamOptionExactRequest(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(customerJSON))
	require.NoError(t, getAna(c, loyalty.QueryParam("include", "tags"), loyalty.QueryParam("include", "vip")))
	got := srv.got()
	require.Len(t, got, 1)
	assert.Equal(t, url.Values{
		"customer_email": {"ana@example.com"}, "with_history": {"false"}, "with_referral_code": {"false"},
		"include": {"tags", "vip"},
	}, got[0].Query)

	// Refused: a credential parameter, one the SDK sets on the call, an
	// empty name; nothing is sent.
	for _, k := range []string{"api_key", "GUID", "customer_email", "with_history", ""} {
		requireInputError(t, getAna(c, loyalty.QueryParam(k, "x")), "Customers.Get", map[bool]string{true: "Query", false: "QueryParam"}[k == "api_key" || k == "GUID"])
	}
	_, err := firstErrOf(c.Customers.List(context.Background(), nil, loyalty.QueryParam("page", "7")))
	requireInputError(t, err, "Customers.List", "QueryParam")
	assert.Len(t, srv.got(), 1, "nothing more sent")
}

// A listing's pages all get the option, and the SDK's own page parameter
// still moves on (the option never touches the shared first query).
func TestQueryParamOptionOnEveryPage(t *testing.T) {
	c, srv := newOptServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			io.WriteString(w, `{"customers":[{"email":"a@example.com"}],"links":{"total_pages":2}}`)
			return
		}
		io.WriteString(w, `{"customers":[{"email":"b@example.com"}],"links":{"total_pages":2}}`)
	})
	n := len(collect(t, c.Customers.List(context.Background(), &loyalty.CustomerListOptions{PerPage: 1}, loyalty.QueryParam("x", "1"))))
	assert.Equal(t, 2, n)
	got := srv.got()
	require.Len(t, got, 2)
	for i, r := range got {
		assert.Equal(t, "1", r.Query.Get("x"))
		assert.Equal(t, []string{[]string{"1", "2"}[i]}, r.Query["page"])
	}
}

func recordAction(c *loyalty.Client, opts ...loyalty.CallOption) error {
	_, err := c.Customers.RecordAction(context.Background(), loyalty.Action{Customer: loyalty.ByEmail("ana@example.com"), Name: "review"}, opts...)
	return err
}

func TestBodyFieldOptionExactRequest(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(`{}`))
	require.NoError(t, recordAction(c))
	require.NoError(t, recordAction(c, loyalty.BodyField("channel", "pos"), loyalty.BodyField("weight", 2.5)))
	got := srv.got()
	require.Len(t, got, 2)
	assert.Equal(t, http.MethodPost, got[1].Method)
	assert.Equal(t, yotpoBase+"/actions", got[1].Path)
	assert.Equal(t, got[0].Query, got[1].Query)
	assert.Equal(t, got[0].Header.Get("Content-Type"), got[1].Header.Get("Content-Type"))
	var body map[string]any
	require.NoError(t, json.Unmarshal(got[1].Body, &body))
	assert.Equal(t, map[string]any{
		"type": "CustomAction", "customer_email": "ana@example.com", "action_name": "review",
		"channel": "pos", "weight": 2.5,
	}, body)
	// The SDK's bytes are kept as they were, the fields appended.
	sdk := got[0].Body
	assert.Equal(t, string(sdk[:len(sdk)-1])+`,"channel":"pos","weight":2.5}`, string(got[1].Body))
}

func TestBodyFieldOptionRefused(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(customerJSON))
	ie := requireInputError(t, recordAction(c, loyalty.BodyField("action_name", "other")), "Customers.RecordAction", "BodyField")
	assert.Contains(t, ie.Reason, `"action_name"`, "names the field the SDK sets")
	requireInputError(t, recordAction(c, loyalty.BodyField("a", 1), loyalty.BodyField("a", 2)), "Customers.RecordAction", "BodyField")
	requireInputError(t, recordAction(c, loyalty.BodyField("f", func() {})), "Customers.RecordAction", "BodyField")
	requireInputError(t, getAna(c, loyalty.BodyField("f", 1)), "Customers.Get", "BodyField") // a GET has no body
	// A body that is not a JSON object.
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodPost, "/x", []int{1})
	require.NoError(t, err)
	_, err = c.Do(context.Background(), req, nil, loyalty.BodyField("f", 1))
	requireInputError(t, err, "Do", "BodyField")
	assert.Empty(t, srv.got(), "nothing sent")
}

// failThenAnswer answers 503 to the first fails requests, then 200.
func failThenAnswer(fails int, body string) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, _ *http.Request) {
		if n <= fails {
			w.WriteHeader(http.StatusServiceUnavailable)
			return
		}
		io.WriteString(w, body)
	}
}

func TestOneAttemptStopsARetry(t *testing.T) {
	c, srv := newOptServer(t, failThenAnswer(1, customerJSON))
	err := getAna(c, loyalty.OneAttempt())
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, http.StatusServiceUnavailable, e.StatusCode)
	assert.Equal(t, 1, e.Attempts)
	assert.Len(t, srv.got(), 1, "not retried")

	// Without it the same failure is retried (the Client's policy).
	require.NoError(t, getAna(c))
	assert.Len(t, srv.got(), 2)
}

// Retries raises the retries of an idempotent call past the Client's
// policy (3 here), for that call only.
func TestRetriesOptionRaisesRetries(t *testing.T) {
	c, srv := newOptServer(t, failThenAnswer(5, customerJSON))
	var resp *loyalty.Response
	require.NoError(t, getAna(c, loyalty.Retries(5), loyalty.CaptureResponse(&resp)))
	assert.Len(t, srv.got(), 6)
	require.NotNil(t, resp)
	assert.Equal(t, 6, resp.Attempts)

	c, srv = newOptServer(t, failThenAnswer(5, customerJSON))
	err := getAna(c) // the policy's 3 retries: 4 attempts, then the 503
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 4, e.Attempts)
	assert.Len(t, srv.got(), 4)

	c, srv = newOptServer(t, failThenAnswer(5, customerJSON))
	require.ErrorAs(t, getAna(c, loyalty.Retries(1)), &e) // lowered
	assert.Equal(t, 2, e.Attempts)
	assert.Len(t, srv.got(), 2)
}

// A retry option never makes a write that is not safe to repeat go twice:
// it is refused before anything is sent.
func TestRetriesOptionRefusedOnNonIdempotentWrite(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(`{}`))
	ie := requireInputError(t, recordAction(c, loyalty.Retries(2)), "Customers.RecordAction", "Retries")
	assert.Contains(t, ie.Reason, "not safe to repeat")
	req, err := c.NewRequest(loyalty.Yotpo, http.MethodGet, "/send-mail", nil)
	require.NoError(t, err)
	req.Idempotent = false // a GET that must run once
	_, err = c.Do(context.Background(), req, nil, loyalty.Retries(1))
	requireInputError(t, err, "Do", "Retries")
	assert.Empty(t, srv.got(), "the server saw no request")

	// OneAttempt and Retries(0) are always allowed.
	require.NoError(t, recordAction(c, loyalty.OneAttempt()))
	require.NoError(t, recordAction(c, loyalty.Retries(0)))
	assert.Len(t, srv.got(), 2)
}

func TestInvalidCallOptionsRefused(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(customerJSON))
	for field, o := range map[string]loyalty.CallOption{
		"CaptureResponse": loyalty.CaptureResponse(nil),
		"AttemptTimeout":  loyalty.AttemptTimeout(-time.Second),
		"Retries":         loyalty.Retries(-1),
	} {
		requireInputError(t, getAna(c, o), "Customers.Get", field)
	}
	requireInputError(t, getAna(c, loyalty.AttemptTimeout(0)), "Customers.Get", "AttemptTimeout")
	requireInputError(t, getAna(c, loyalty.Retries(11)), "Customers.Get", "Retries")
	require.NoError(t, getAna(c, nil), "a nil CallOption is ignored")
	assert.Len(t, srv.got(), 1)
}

// stall answers the first request only after a long wait (the headers, or
// with midBody half the body first), and the others at once.
func stall(midBody bool, release <-chan struct{}) func(int, http.ResponseWriter, *http.Request) {
	return func(n int, w http.ResponseWriter, r *http.Request) {
		if n == 1 {
			if midBody {
				w.Header().Set("Content-Length", "100")
				io.WriteString(w, `{"email":`)
				w.(http.Flusher).Flush()
			}
			select {
			case <-release:
			case <-r.Context().Done():
			}
			return
		}
		io.WriteString(w, customerJSON)
	}
}

// Each attempt gets its own deadline: the stalled first attempt times out
// (also when it stalls reading the body) and the retry succeeds.
func TestAttemptTimeoutRetriesTheStalledAttempt(t *testing.T) {
	for _, midBody := range []bool{false, true} {
		release := make(chan struct{})
		c, srv := newOptServer(t, stall(midBody, release))
		var resp *loyalty.Response
		start := time.Now()
		err := getAna(c, loyalty.AttemptTimeout(100*time.Millisecond), loyalty.CaptureResponse(&resp))
		close(release)
		require.NoError(t, err, "midBody %v", midBody)
		assert.Less(t, time.Since(start), 5*time.Second)
		assert.Len(t, srv.got(), 2)
		require.NotNil(t, resp)
		assert.Equal(t, 2, resp.Attempts)
	}
}

// On a write that may have been sent, a timed-out attempt is not retried:
// it fails with ErrMaybeApplied, and the error says which timeout fired.
func TestAttemptTimeoutOnWriteIsMaybeApplied(t *testing.T) {
	release := make(chan struct{})
	defer close(release)
	c, srv := newOptServer(t, stall(false, release))
	err := recordAction(c, loyalty.AttemptTimeout(100*time.Millisecond))
	require.ErrorIs(t, err, loyalty.ErrMaybeApplied)
	require.ErrorIs(t, err, context.DeadlineExceeded)
	assert.Contains(t, err.Error(), "AttemptTimeout")
	assert.Len(t, srv.got(), 1)
}

// The rate limiter's wait is not part of an attempt: a call that waits
// longer than its AttemptTimeout for its turn still gets a whole attempt.
func TestAttemptTimeoutExcludesTheLimiterWait(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(customerJSON))
	c2, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: yotpoURL(t, c), RateLimit: rate.Every(300 * time.Millisecond)}))
	require.NoError(t, err)
	require.NoError(t, getAna(c2, loyalty.AttemptTimeout(100*time.Millisecond)))
	start := time.Now()
	require.NoError(t, getAna(c2, loyalty.AttemptTimeout(100*time.Millisecond)), "waited ~300ms for the limiter")
	assert.Greater(t, time.Since(start), 150*time.Millisecond, "the second call did wait")
	assert.Len(t, srv.got(), 3, "yotpoURL's and the two calls")
}

// yotpoURL is the Yotpo base URL c was built with, read back from a
// request's Response.
func yotpoURL(t *testing.T, c *loyalty.Client) string {
	t.Helper()
	var resp *loyalty.Response
	require.NoError(t, getAna(c, loyalty.CaptureResponse(&resp)))
	u := *resp.Request.URL
	u.Path, u.RawQuery = yotpoBase, ""
	return u.String()
}

func TestCaptureResponse(t *testing.T) {
	ctx := context.Background()
	c, _ := newOptServer(t, func(n int, w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case yotpoBase + "/customers/all":
			w.Header().Set("X-Request-Id", "page-"+r.URL.Query().Get("page"))
			io.WriteString(w, `{"customers":[{"email":"a@example.com"}],"links":{"total_pages":3}}`)
		case yotpoBase + "/customers":
			w.Header().Set("X-Request-Id", "get")
			if r.URL.Query().Get("customer_email") == "gone@example.com" {
				w.WriteHeader(http.StatusNotFound)
				return
			}
			io.WriteString(w, customerJSON)
		}
	})

	// Success: the call's own Response.
	var resp *loyalty.Response
	_, want, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil, loyalty.CaptureResponse(&resp))
	require.NoError(t, err)
	assert.Same(t, want, resp)

	// Failure: the Response of the error.
	_, _, err = c.Customers.Get(ctx, loyalty.ByEmail("gone@example.com"), nil, loyalty.CaptureResponse(&resp))
	require.ErrorIs(t, err, loyalty.ErrNotFound)
	require.NotNil(t, resp)
	assert.Equal(t, http.StatusNotFound, resp.StatusCode)

	// An iterator: the last page's.
	assert.Len(t, collect(t, c.Customers.List(ctx, &loyalty.CustomerListOptions{PerPage: 1}, loyalty.CaptureResponse(&resp))), 3)
	require.NotNil(t, resp)
	assert.Equal(t, "page-3", resp.RequestID)

	// Nothing answered: nil, also when the variable held an earlier one.
	_, _, err = c.Customers.Get(ctx, loyalty.ByEmail("not an e-mail"), nil, loyalty.CaptureResponse(&resp))
	require.Error(t, err)
	assert.Nil(t, resp)
	dead, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: "http://127.0.0.1:1", RateLimit: rate.Inf}), loyalty.WithRetryPolicy(loyalty.NoRetry))
	require.NoError(t, err)
	resp = &loyalty.Response{}
	_, _, err = dead.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil, loyalty.CaptureResponse(&resp))
	require.Error(t, err)
	assert.Nil(t, resp)
}

// Every method that sends (it takes a context) of every service, the
// Monterosa views included, and Client.Do take ...CallOption last: a new
// method without them fails here.
func TestEveryCallTakesCallOptions(t *testing.T) {
	ctxType := reflect.TypeOf((*context.Context)(nil)).Elem()
	optsType := reflect.TypeOf([]loyalty.CallOption(nil))
	check := func(name string, m reflect.Type) {
		t.Helper()
		if m.NumIn() == 0 || m.In(0) != ctxType {
			return // sends nothing: a view (Rewards.ForUser) or String
		}
		if !m.IsVariadic() || m.In(m.NumIn()-1) != optsType {
			t.Errorf("%s does not take ...loyalty.CallOption last: %s", name, m)
		}
	}
	c, err := loyalty.NewClient(loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k"}))
	require.NoError(t, err)
	cv := reflect.ValueOf(c).Elem()
	services, methods := 0, 0
	for i := 0; i < cv.NumField(); i++ {
		f := cv.Type().Field(i)
		if !f.IsExported() || f.Type.Kind() != reflect.Pointer || f.Type.Elem().Kind() != reflect.Struct {
			continue
		}
		services++
		sv := cv.Field(i)
		for j := 0; j < sv.NumMethod(); j++ {
			check(f.Name+"."+f.Type.Method(j).Name, sv.Method(j).Type())
			methods++
		}
	}
	assert.Equal(t, 13, services, "every service of Client")
	assert.Greater(t, methods, 50)
	for _, view := range []*loyalty.RewardsService{c.Rewards.ForUser("t"), c.Rewards.ForUserID("u")} {
		vt := reflect.TypeOf(view)
		for j := 0; j < vt.NumMethod(); j++ {
			check("Rewards view."+vt.Method(j).Name, vt.Method(j).Type)
		}
	}
	do, _ := reflect.TypeOf(c).MethodByName("Do")
	check("Client.Do", do.Type)
}

// The request of a service method names the method (Request.operation):
// an option's error says which method refused it, through every helper
// that builds requests.
func TestCallOptionErrorsNameTheMethod(t *testing.T) {
	srv := loyaltytest.New(t)
	yotpo, influence := srv.ClientFor(loyalty.Yotpo), srv.ClientFor(loyalty.InfluenceIO)
	ctx := context.Background()
	bad := loyalty.AttemptTimeout(-1)
	fan := yotpo.Rewards.ForUser("fan")
	first := func(seq func(func(*loyalty.Customer, error) bool)) error { return firstErr(seq) }
	for op, call := range map[string]func() error{
		"Members.Get":    func() error { _, _, err := yotpo.Members.Get(ctx, "m-1", bad); return err },
		"Members.Delete": func() error { _, err := yotpo.Members.Delete(ctx, "m-1", bad); return err },
		"Members.Lookup": func() error {
			_, _, err := yotpo.Members.Lookup(ctx, loyalty.ByEmail("a@example.com"), bad)
			return err
		},
		"Events.Send": func() error {
			_, _, err := yotpo.Events.Send(ctx, loyalty.Event{Type: "shop/purchase", Email: "a@example.com"}, bad)
			return err
		},
		"Customers.Get": func() error {
			_, _, err := yotpo.Customers.Get(ctx, loyalty.ByEmail("a@example.com"), nil, bad)
			return err
		},
		"Customers.List":   func() error { return first(yotpo.Customers.List(ctx, nil, bad)) },
		"Customers.Recent": func() error { return first(yotpo.Customers.Recent(ctx, nil, bad)) },
		"Customers.Upsert": func() error {
			_, _, err := influence.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "c", Email: "a@example.com"}, bad)
			return err
		},
		"Orders.Refund": func() error {
			_, err := influence.Orders.Refund(ctx, loyalty.Refund{OrderID: "o", Total: loyalty.Money{Minor: 100, Currency: "EUR"}}, bad)
			return err
		},
		"Webhooks.Get":    func() error { _, _, err := influence.Webhooks.Get(ctx, "w", bad); return err },
		"Webhooks.List":   func() error { return firstErr(influence.Webhooks.List(ctx, bad)) },
		"Tiers.List":      func() error { return firstErr(yotpo.Tiers.List(ctx, bad)) },
		"Rewards.Config":  func() error { _, _, err := fan.Config(ctx, bad); return err },
		"Rewards.Profile": func() error { _, _, err := fan.Profile(ctx, bad); return err },
		"Rewards.History": func() error { return firstErr(fan.History(ctx, nil, bad)) },
		"Rewards.Coupon":  func() error { _, _, err := fan.Coupon(ctx, "c", bad); return err },
		"Rewards.ReportAction": func() error {
			_, err := fan.ReportAction(ctx, loyalty.RewardsAction{Name: "go"}, bad)
			return err
		},
		"Customers.ListPages": func() error {
			_, err := firstErrOf(yotpo.Customers.ListPages(ctx, nil, bad))
			return err
		},
		"Events.SendBatch": func() error {
			res, err := yotpo.Events.SendBatch(ctx, []loyalty.Event{{Type: "shop/purchase", Email: "a@example.com"}}, nil, bad)
			assert.Nil(t, res, "refused as a whole")
			return err
		},
	} {
		t.Run(op, func(t *testing.T) {
			srv.ResetRequests()
			err := call()
			var ie *loyalty.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, op, ie.Op)
			assert.Contains(t, ie.Field, "AttemptTimeout")
			assert.Empty(t, srv.Requests())
		})
	}
}

// A BodyField of Orders.Refund goes with the refund, never with the empty
// update Influence.io's refund sends first to read the order: that update
// must change nothing.
func TestBodyFieldSkipsTheReadOfARefund(t *testing.T) {
	var mu sync.Mutex
	var bodies []string
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		mu.Lock()
		bodies = append(bodies, string(b))
		mu.Unlock()
		io.WriteString(w, `{"order":{"id":"O-1","financialStatus":"paid","currency":"EUR","totalPrice":"30.00"}}`)
	}))
	t.Cleanup(srv.Close)
	c := clientFor(t, loyalty.InfluenceIO, srv.URL)
	_, err := c.Orders.Refund(context.Background(), loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(1500, "EUR")},
		loyalty.BodyField("note", "damaged"), loyalty.Header("X-Trace-Id", "r-1"))
	require.NoError(t, err)
	require.Len(t, bodies, 2)
	assert.JSONEq(t, `{}`, bodies[0], "the read")
	assert.JSONEq(t, `{"financialStatus":"partially_refunded","note":"damaged"}`, bodies[1], "the refund")
}

// Accept and Content-Type are set by the SDK on every call (it reads and
// sends JSON): a Header option naming them is refused, as the README and
// Header's doc promise ("nothing is overridden silently").
func TestHeaderOptionRefusesTheSDKsAcceptAndContentType(t *testing.T) {
	c, srv := newOptServer(t, answerJSON(`{}`))
	for _, h := range []string{"Accept", "accept", "Content-Type", "content-type"} {
		requireInputError(t, getAna(c, loyalty.Header(h, "text/html")), "Customers.Get", "Header")
		requireInputError(t, recordAction(c, loyalty.Header(h, "text/plain")), "Customers.RecordAction", "Header")
	}
	assert.Empty(t, srv.got(), "nothing sent")
}

// An option the refund itself refuses (a BodyField the SDK sets) is an
// *InputError before the read of Influence.io's partial refund is sent:
// InputError means nothing was sent.
func TestRefundRefusesItsOptionsBeforeTheRead(t *testing.T) {
	var mu sync.Mutex
	sent := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		sent++
		mu.Unlock()
		io.WriteString(w, `{"order":{"id":"O-1","financialStatus":"paid","currency":"EUR","totalPrice":"30.00"}}`)
	}))
	t.Cleanup(srv.Close)
	c := clientFor(t, loyalty.InfluenceIO, srv.URL)
	_, err := c.Orders.Refund(context.Background(), loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(1500, "EUR")},
		loyalty.BodyField("financialStatus", "refunded"))
	requireInputError(t, err, "Orders.Refund", "BodyField")
	mu.Lock()
	defer mu.Unlock()
	assert.Equal(t, 0, sent, "nothing sent, the read included")
}

// ReplaceWithToken applies its call options like every method: a retry
// option, a capture, and an invalid option naming the method.
func TestReplaceWithTokenTakesItsCallOptions(t *testing.T) {
	ctx := context.Background()
	srv := loyaltytest.New(t)
	c := srv.ClientFor(loyalty.InfluenceIO)
	wh, _, err := c.Webhooks.CreateWithToken(ctx, loyalty.InfluenceIOTopicPointsEarned, "https://example.com/hooks", "t-1")
	require.NoError(t, err)

	_, _, err = c.Webhooks.ReplaceWithToken(ctx, wh.ID, loyalty.InfluenceIOTopicPointsEarned, "https://example.com/hooks", "t-2", loyalty.AttemptTimeout(-1))
	requireInputError(t, err, "Webhooks.ReplaceWithToken", "AttemptTimeout")

	srv.ResetRequests()
	srv.InjectFault(loyaltytest.Fault{Method: http.MethodPut, Status: http.StatusServiceUnavailable})
	var resp *loyalty.Response
	_, _, err = c.Webhooks.ReplaceWithToken(ctx, wh.ID, loyalty.InfluenceIOTopicPointsEarned, "https://example.com/hooks", "t-2",
		loyalty.OneAttempt(), loyalty.CaptureResponse(&resp))
	require.ErrorIs(t, err, loyalty.ErrServer, "OneAttempt: the 503 is not retried")
	assert.Len(t, srv.Requests(), 1)
	require.NotNil(t, resp, "CaptureResponse")
	assert.Equal(t, http.StatusServiceUnavailable, resp.StatusCode)
}
