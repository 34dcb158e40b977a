package loyalty_test

import (
	"bytes"
	"context"
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/url"
	"regexp"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// capture is an API that answers every call with the next status of its
// script (202 when the script is done) and keeps what it received. Its
// token endpoint issues mockQualifioAccessToken and counts its calls.
type capture struct {
	srv    *httptest.Server
	tokens atomic.Int32

	mu      sync.Mutex
	script  []int
	bodies  [][]byte
	headers []http.Header
	queries []url.Values
	paths   []string
}

func newCapture(t *testing.T, script ...int) *capture {
	t.Helper()
	c := &capture{script: script}
	c.srv = httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == mockQualifioToken {
			c.tokens.Add(1)
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"`+mockQualifioAccessToken+`","token_type":"Bearer","expires_in":3600}`)
			return
		}
		body, _ := io.ReadAll(r.Body)
		c.mu.Lock()
		c.bodies = append(c.bodies, body)
		c.headers = append(c.headers, r.Header.Clone())
		c.queries = append(c.queries, r.URL.Query())
		c.paths = append(c.paths, r.URL.EscapedPath())
		status := http.StatusAccepted
		if len(c.script) > 0 {
			status, c.script = c.script[0], c.script[1:]
		}
		c.mu.Unlock()
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(status)
		if status == http.StatusAccepted {
			var e struct{ ID string }
			if json.Unmarshal(body, &e) != nil || e.ID == "" {
				e.ID = "rcpt-1"
			}
			fmt.Fprintf(w, `{"id":%q,"status":"queued"}`, e.ID)
			return
		}
		fmt.Fprintf(w, `{"error":"x","message":"status %d"}`, status)
	}))
	t.Cleanup(c.srv.Close)
	return c
}

func (c *capture) client(t *testing.T, opts ...loyalty.Option) *loyalty.Client {
	t.Helper()
	all := append([]loyalty.Option{loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "mock-id", ClientSecret: "mock-secret",
		BaseURL: c.srv.URL + mockQualifioBase, TokenURL: c.srv.URL + mockQualifioToken}), loyalty.WithRetryPolicy(fastRetry)}, opts...)
	cl, err := loyalty.NewClient(all...)
	require.NoError(t, err)
	return cl
}

func (c *capture) received() ([][]byte, []http.Header, []url.Values) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.bodies, c.headers, c.queries
}

// eventID is the form of a generated event id: a UUID v7, holding its time.
var eventID = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestEventsSendPurchase(t *testing.T) {
	m := newPlatformMock(t, exchange{
		Method: http.MethodPost, Path: "/ingestor/events", Header: qualifioJSONHeaders(),
		Body: `{"id":"0b6e5a8e-3f0c-4c1e-9a57-2b1d7f0c9e11","type":"ecommerce/purchase",
			"member":{"email":"ana@example.com","customerId":"C-1042"},"timestamp":"2024-05-01T12:30:00Z",
			"tags":{"channel":"web","store":"brussels"},"counters":{"items":3},
			"purchase":{"orderId":"O-77812","amount":49.90,"currency":"EUR"}}`,
		Status: http.StatusAccepted, Resp: `{"id":"0b6e5a8e-3f0c-4c1e-9a57-2b1d7f0c9e11","queuedAt":"2024-05-01T12:30:01Z"}`,
	})
	id, resp, err := m.client(loyalty.Qualifio).Events.Send(context.Background(), loyalty.Event{
		ID: "0b6e5a8e-3f0c-4c1e-9a57-2b1d7f0c9e11", Type: loyalty.EventPurchase,
		Email: "ana@example.com", CustomerID: "C-1042",
		Timestamp: time.Date(2024, 5, 1, 14, 30, 0, 0, time.FixedZone("CEST", 2*3600)),
		Tags:      map[string]string{"channel": "web", "store": "brussels"},
		Counters:  map[string]float64{"items": 3},
		Purchase:  &loyalty.Purchase{OrderID: "O-77812", Amount: loyalty.NewMoney(4990, "EUR")},
	})
	require.NoError(t, err)
	assert.Equal(t, "0b6e5a8e-3f0c-4c1e-9a57-2b1d7f0c9e11", id)
	assert.Equal(t, http.StatusAccepted, resp.StatusCode)
}

// The amount goes out as the exact decimal, with the currency's digits.
func TestEventsSendAmountIsExactDecimal(t *testing.T) {
	cp := newCapture(t)
	c := cp.client(t)
	for _, amt := range []loyalty.Money{loyalty.NewMoney(4990, "EUR"), loyalty.NewMoney(500, "JPY"), loyalty.NewMoney(1250, "KWD"), loyalty.NewMoney(1, "USD")} {
		_, _, err := c.Events.Send(context.Background(), loyalty.Event{Type: loyalty.EventPurchase, CustomerID: "C-1",
			Purchase: &loyalty.Purchase{OrderID: "O-1", Amount: amt}})
		require.NoError(t, err)
	}
	bodies, _, _ := cp.received()
	require.Len(t, bodies, 4)
	for i, want := range []string{`"amount":49.90,"currency":"EUR"`, `"amount":500,"currency":"JPY"`, `"amount":1.250,"currency":"KWD"`, `"amount":0.01,"currency":"USD"`} {
		assert.Contains(t, string(bodies[i]), want)
	}
}

func TestEventsSendGeneratesIDAndKeepsItAcrossRetries(t *testing.T) {
	cp := newCapture(t, http.StatusServiceUnavailable, http.StatusBadGateway)
	before := time.Now().UTC().Add(-time.Second)
	id, _, err := cp.client(t).Events.Send(context.Background(), loyalty.Event{Type: "custom/newsletter-signup", Email: "ana@example.com"})
	require.NoError(t, err)
	assert.Regexp(t, eventID, id)
	bodies, headers, _ := cp.received()
	require.Len(t, bodies, 3, "retried on 503 and 502: the platform de-duplicates on the id")
	assert.Equal(t, bodies[0], bodies[1])
	assert.Equal(t, bodies[0], bodies[2])
	var sent struct {
		ID, Type, Timestamp string
		Member              map[string]string
		Tags, Counters      any
	}
	require.NoError(t, json.Unmarshal(bodies[0], &sent))
	assert.Equal(t, id, sent.ID)
	assert.Equal(t, "custom/newsletter-signup", sent.Type, "other category/name types pass through")
	assert.Equal(t, map[string]string{"email": "ana@example.com"}, sent.Member)
	assert.Nil(t, sent.Tags, "empty tags are omitted")
	assert.Nil(t, sent.Counters)
	ts, err := time.Parse(time.RFC3339, sent.Timestamp)
	require.NoError(t, err)
	assert.True(t, strings.HasSuffix(sent.Timestamp, "Z"), "UTC: %s", sent.Timestamp)
	assert.True(t, ts.After(before) && ts.Before(time.Now().Add(time.Second)), "zero timestamp means now: %s", sent.Timestamp)
	assert.Equal(t, "Bearer "+mockQualifioAccessToken, headers[0].Get("Authorization"))

	// Two sends get two ids.
	id2, _, err := cp.client(t).Events.Send(context.Background(), loyalty.Event{Type: loyalty.EventCustomBasic, CustomerID: "C-1"})
	require.NoError(t, err)
	assert.NotEqual(t, id, id2)
}

func TestEventsSendReturnsIDOnFailure(t *testing.T) {
	cp := newCapture(t, 503, 503, 503, 503)
	id, _, err := cp.client(t).Events.Send(context.Background(), loyalty.Event{Type: loyalty.EventCustomBasic, CustomerID: "C-1"})
	assert.ErrorIs(t, err, loyalty.ErrServer)
	assert.Regexp(t, eventID, id, "the caller can resend with the same id")
}

func TestEventsRejectBadInputBeforeSending(t *testing.T) {
	m := newPlatformMock(t)
	c := m.client(loyalty.Qualifio)
	eur := &loyalty.Purchase{OrderID: "O-1", Amount: loyalty.NewMoney(100, "EUR")}
	for _, tc := range []struct {
		name, field string
		e           loyalty.Event
	}{
		{"no type", "Type", loyalty.Event{Email: "a@b.c"}},
		{"type without name", "Type", loyalty.Event{Type: "custom/", Email: "a@b.c"}},
		{"type with space", "Type", loyalty.Event{Type: "custom/a b", Email: "a@b.c"}},
		{"type with two slashes", "Type", loyalty.Event{Type: "a/b/c", Email: "a@b.c"}},
		{"no identity", "", loyalty.Event{Type: loyalty.EventCustomBasic}},
		{"bad email", "Email", loyalty.Event{Type: loyalty.EventCustomBasic, Email: "ana"}},
		{"id with newline", "ID", loyalty.Event{ID: "e-1\n", Type: loyalty.EventCustomBasic, Email: "a@b.c"}},
		{"empty tag key", "Tags", loyalty.Event{Type: loyalty.EventCustomBasic, Email: "a@b.c", Tags: map[string]string{"": "x"}}},
		{"empty counter key", "Counters", loyalty.Event{Type: loyalty.EventCustomBasic, Email: "a@b.c", Counters: map[string]float64{" ": 1}}},
		{"purchase missing", "Purchase", loyalty.Event{Type: loyalty.EventPurchase, Email: "a@b.c"}},
		{"purchase misplaced", "Purchase", loyalty.Event{Type: loyalty.EventCustomBasic, Email: "a@b.c", Purchase: eur}},
		{"no order id", "Purchase.OrderID", loyalty.Event{Type: loyalty.EventPurchase, Email: "a@b.c", Purchase: &loyalty.Purchase{Amount: loyalty.NewMoney(1, "EUR")}}},
		{"lower-case currency", "Purchase.Amount.Currency", loyalty.Event{Type: loyalty.EventPurchase, Email: "a@b.c", Purchase: &loyalty.Purchase{OrderID: "O", Amount: loyalty.NewMoney(1, "eur")}}},
		{"unknown currency", "Purchase.Amount.Currency", loyalty.Event{Type: loyalty.EventPurchase, Email: "a@b.c", Purchase: &loyalty.Purchase{OrderID: "O", Amount: loyalty.NewMoney(1, "XYZ")}}},
		{"no currency", "Purchase.Amount.Currency", loyalty.Event{Type: loyalty.EventPurchase, Email: "a@b.c", Purchase: &loyalty.Purchase{OrderID: "O", Amount: loyalty.Money{Minor: 1}}}},
		{"negative amount", "Purchase.Amount", loyalty.Event{Type: loyalty.EventPurchase, Email: "a@b.c", Purchase: &loyalty.Purchase{OrderID: "O", Amount: loyalty.NewMoney(-1, "EUR")}}},
		{"year 10000", "Timestamp", loyalty.Event{Type: loyalty.EventCustomBasic, Email: "a@b.c", Timestamp: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"year -1", "Timestamp", loyalty.Event{Type: loyalty.EventCustomBasic, Email: "a@b.c", Timestamp: time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC)}},
		{"year 10000 in UTC", "Timestamp", loyalty.Event{Type: loyalty.EventCustomBasic, Email: "a@b.c", Timestamp: time.Date(9999, 12, 31, 23, 0, 0, 0, time.FixedZone("W", -2*3600))}},
		{"blank customer id", "CustomerID", loyalty.Event{Type: loyalty.EventCustomBasic, CustomerID: "  "}},
		{"blank customer id beside an email", "CustomerID", loyalty.Event{Type: loyalty.EventCustomBasic, Email: "a@b.c", CustomerID: "\t"}},
		{"blank email", "Email", loyalty.Event{Type: loyalty.EventCustomBasic, Email: " ", CustomerID: "C-1"}},
	} {
		_, _, err := c.Events.Send(context.Background(), tc.e)
		var ie *loyalty.InputError
		if assert.True(t, errors.As(err, &ie), "%s: %v", tc.name, err) {
			assert.Equal(t, "Events.Send", ie.Op, tc.name)
			assert.Equal(t, tc.field, ie.Field, tc.name)
		}
	}
	assert.Empty(t, m.requests())
}

func hmacHex(h func() hash.Hash, secret string, body []byte) string {
	mac := hmac.New(h, []byte(secret))
	mac.Write(body)
	return hex.EncodeToString(mac.Sum(nil))
}

func TestEventsSendMappedAuthModes(t *testing.T) {
	const body = `{"order":{"id":"O-1","total":"49.90"},"customer":"ana@example.com"}`
	for _, tc := range []struct {
		name   string
		auth   loyalty.MappedAuth
		header map[string]string
		query  url.Values
	}{
		{"bearer", loyalty.MappedBearer(), map[string]string{"Authorization": "Bearer " + mockQualifioAccessToken}, nil},
		{"header", loyalty.MappedHeader("X-Authorization", "tok-123"), map[string]string{"X-Authorization": "tok-123", "Authorization": ""}, nil},
		{"query", loyalty.MappedQuery("token", "tok/+ 1"), map[string]string{"Authorization": ""}, url.Values{"token": {"tok/+ 1"}}},
		{"hub sha256", loyalty.MappedHubSignature("hub-secret"), map[string]string{"Authorization": "",
			"X-Hub-Signature": "sha256=" + hmacHex(sha256.New, "hub-secret", []byte(body))}, nil},
		{"hub sha1", loyalty.MappedHubSignatureSHA1("hub-secret"), map[string]string{"Authorization": "",
			"X-Hub-Signature": "sha1=" + hmacHex(sha1.New, "hub-secret", []byte(body))}, nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := map[string]string{"Content-Type": "application/json"}
			for k, v := range tc.header {
				h[k] = v
			}
			m := newPlatformMock(t, exchange{Method: http.MethodPost, Path: "/ingestor/mapped-events/integ%2F7", Query: tc.query,
				Header: h, Body: body, Status: http.StatusAccepted, Resp: `{"id":"rcpt-9","extra":1}`})
			id, resp, err := m.client(loyalty.Qualifio).Events.SendMapped(context.Background(), "integ/7", []byte(body), tc.auth)
			require.NoError(t, err)
			assert.Equal(t, "rcpt-9", id)
			assert.Equal(t, http.StatusAccepted, resp.StatusCode)
		})
	}
}

func TestEventsSendMappedEncodesValuesAndAcceptsEmptyAnswer(t *testing.T) {
	cp := newCapture(t, http.StatusNoContent)
	id, _, err := cp.client(t).Events.SendMapped(context.Background(), "i-1", map[string]any{"visits": 2}, loyalty.MappedHeader("X-Token", "t"))
	require.NoError(t, err)
	assert.Equal(t, "", id)
	bodies, _, _ := cp.received()
	assert.Equal(t, `{"visits":2}`, string(bodies[0]))
	assert.Equal(t, int32(0), cp.tokens.Load(), "no OAuth token is fetched for a header-authenticated integration")
}

// A Go string is the JSON text itself, sent as it is (its encoding, a JSON
// string, is no body Qualifio takes).
func TestEventsSendMappedStringIsJSONText(t *testing.T) {
	cp := newCapture(t, http.StatusNoContent)
	_, _, err := cp.client(t).Events.SendMapped(context.Background(), "i-1", `{"visits": 2}`, loyalty.MappedHeader("X-Token", "t"))
	require.NoError(t, err)
	bodies, _, _ := cp.received()
	assert.Equal(t, `{"visits": 2}`, string(bodies[0]))
}

// A retried signed send re-sends the same bytes with the same signature,
// and the signature verifies over what the server received.
func TestEventsSendMappedSignedRetrySendsSameBytes(t *testing.T) {
	cp := newCapture(t, http.StatusTooManyRequests)
	body := []byte(`[ {"b": 2, "a": 1} ]`) // sent as given: not re-encoded
	_, _, err := cp.client(t).Events.SendMapped(context.Background(), "i-1", json.RawMessage(body), loyalty.MappedHubSignature("s3cret"))
	require.NoError(t, err)
	bodies, headers, _ := cp.received()
	require.Len(t, bodies, 2, "429 is retried")
	for i := range bodies {
		assert.Equal(t, body, bodies[i])
		want := "sha256=" + hmacHex(sha256.New, "s3cret", bodies[i])
		assert.Equal(t, want, headers[i].Get("X-Hub-Signature"))
	}
}

func TestEventsSendMappedIsNotRetriedOnServerError(t *testing.T) {
	cp := newCapture(t, http.StatusServiceUnavailable)
	_, _, err := cp.client(t).Events.SendMapped(context.Background(), "i-1", []byte(`{}`), loyalty.MappedBearer())
	assert.ErrorIs(t, err, loyalty.ErrServer)
	bodies, _, _ := cp.received()
	assert.Len(t, bodies, 1, "mapped events are not de-duplicated: no blind retry")
}

func TestEventsSendMappedRejectsBadInput(t *testing.T) {
	m := newPlatformMock(t)
	c := m.client(loyalty.Qualifio)
	for _, tc := range []struct {
		name, field string
		id          string
		body        any
		auth        loyalty.MappedAuth
	}{
		{"empty id", "integrationID", "", []byte(`{}`), loyalty.MappedBearer()},
		{"unset auth", "auth", "i", []byte(`{}`), loyalty.MappedAuth{}},
		{"bad header name", "auth", "i", []byte(`{}`), loyalty.MappedHeader("X Token", "t")},
		{"reserved header", "auth", "i", []byte(`{}`), loyalty.MappedHeader("content-type", "t")},
		{"empty query name", "auth", "i", []byte(`{}`), loyalty.MappedQuery("", "t")},
		{"empty token", "auth", "i", []byte(`{}`), loyalty.MappedHeader("X-T", "")},
		{"token with newline", "auth", "i", []byte(`{}`), loyalty.MappedHeader("X-T", "t\n")},
		{"empty secret", "auth", "i", []byte(`{}`), loyalty.MappedHubSignature("")},
		{"nil body", "body", "i", nil, loyalty.MappedBearer()},
		{"not JSON", "body", "i", []byte(`{"a":`), loyalty.MappedBearer()},
		{"not encodable", "body", "i", map[string]any{"f": func() {}}, loyalty.MappedBearer()},
		{"number", "body", "i", []byte(`42`), loyalty.MappedBearer()},
		{"JSON string", "body", "i", json.RawMessage(` "x"`), loyalty.MappedBearer()},
		{"null", "body", "i", []byte(`null`), loyalty.MappedBearer()},
		{"encoded bool", "body", "i", true, loyalty.MappedBearer()},
		{"Go string not JSON", "body", "i", "hello", loyalty.MappedBearer()},
		{"Go string of a scalar", "body", "i", `"hello"`, loyalty.MappedBearer()},
	} {
		_, _, err := c.Events.SendMapped(context.Background(), tc.id, tc.body, tc.auth)
		var ie *loyalty.InputError
		if assert.True(t, errors.As(err, &ie), "%s: %v", tc.name, err) {
			assert.Equal(t, "Events.SendMapped", ie.Op, tc.name)
			assert.Equal(t, tc.field, ie.Field, tc.name)
			assert.NotContains(t, err.Error(), "t\n", tc.name)
		}
	}
	assert.Empty(t, m.requests())
}

func TestMappedAuthNeverPrintsItsSecret(t *testing.T) {
	const secret = "SUPER-SECRET-42"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, nil))
	for _, a := range []loyalty.MappedAuth{loyalty.MappedHeader("X-T", secret), loyalty.MappedQuery("t", secret),
		loyalty.MappedHubSignature(secret), loyalty.MappedHubSignatureSHA1(secret)} {
		logger.Info("auth", "auth", a)
		out := fmt.Sprintf("%v %+v %#v %s", a, a, a, a)
		assert.NotContains(t, out, secret)
		assert.Contains(t, out, "[redacted]")
	}
	assert.NotContains(t, logs.String(), secret)
}

// The query-token mode puts the secret in the URL on the wire only: not in
// errors, logs, or the Response's request.
func TestEventsSendMappedQueryTokenStaysOffURLsWePrint(t *testing.T) {
	const secret = "QUERY-SECRET-77"
	var logs bytes.Buffer
	logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
	auth := loyalty.MappedQuery("token", secret)

	// An error response.
	cp := newCapture(t, http.StatusUnauthorized, http.StatusUnauthorized)
	_, resp, err := cp.client(t, loyalty.WithLogger(logger)).Events.SendMapped(context.Background(), "i-1", []byte(`{}`), auth)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	_, _, queries := cp.received()
	require.Len(t, queries, 1, "a 401 to a mapped-event credential is not replayed: it cannot go stale")
	assert.Equal(t, secret, queries[0].Get("token"), "the server did get the token")
	assert.NotContains(t, err.Error(), secret)
	assert.NotContains(t, fmt.Sprintf("%+v", *e), secret)
	assert.NotContains(t, e.Response.Request.URL.String(), secret)
	assert.NotContains(t, resp.Request.URL.String(), secret)

	// A connection cut after sending, and one refused.
	for _, base := range []string{hijackServer(t), closedURL(t)} {
		c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "i", ClientSecret: "s",
			BaseURL: base + mockQualifioBase, TokenURL: base + mockQualifioToken}), loyalty.WithRetryPolicy(fastRetry), loyalty.WithLogger(logger))
		require.NoError(t, err)
		_, _, err = c.Events.SendMapped(context.Background(), "i-1", []byte(`{}`), auth)
		require.Error(t, err)
		assert.NotContains(t, err.Error(), secret)
	}
	assert.NotEmpty(t, logs.String())
	assert.NotContains(t, logs.String(), secret)
}

func TestEventsSendBatchKeepsOrderAndBoundsConcurrency(t *testing.T) {
	var inFlight, peak atomic.Int32
	var mu sync.Mutex
	got := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == mockQualifioToken {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"t","expires_in":3600}`)
			return
		}
		n := inFlight.Add(1)
		defer inFlight.Add(-1)
		for p := peak.Load(); n > p && !peak.CompareAndSwap(p, n); p = peak.Load() {
		}
		time.Sleep(2 * time.Millisecond)
		var e struct{ ID, Type string }
		_ = json.NewDecoder(r.Body).Decode(&e)
		mu.Lock()
		got[e.ID]++
		mu.Unlock()
		w.WriteHeader(http.StatusAccepted)
		fmt.Fprintf(w, `{"id":%q}`, e.ID)
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "i", ClientSecret: "s", BaseURL: srv.URL, TokenURL: srv.URL + mockQualifioToken}), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)

	events := make([]loyalty.Event, 40)
	for i := range events {
		events[i] = loyalty.Event{Type: loyalty.EventCustomBasic, CustomerID: fmt.Sprint("C-", i)}
	}
	events[7].ID = "mine-7"
	events[9].Type = "bad" // fails alone, before sending
	res, err := c.Events.SendBatch(context.Background(), events, &loyalty.EventBatchOptions{Concurrency: 3})
	require.NoError(t, err)
	require.Len(t, res, len(events))
	assert.Equal(t, "mine-7", res[7].ID)
	var ie *loyalty.InputError
	require.ErrorAs(t, res[9].Err, &ie)
	assert.Equal(t, "events[9].Type", ie.Field)
	assert.Equal(t, "Events.SendBatch", ie.Op)
	for i, r := range res {
		if i == 9 {
			continue
		}
		assert.NoError(t, r.Err, i)
		assert.Equal(t, 1, got[r.ID], "event %d sent once under its id", i)
	}
	assert.Len(t, got, len(events)-1)
	assert.LessOrEqual(t, peak.Load(), int32(3))
	assert.Equal(t, int32(3), peak.Load(), "the bound is used")

	_, err = c.Events.SendBatch(context.Background(), events, &loyalty.EventBatchOptions{Concurrency: -1})
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "opts.Concurrency", ie.Field)
}

func TestEventsSendBatchCancelledReportsTheRestNotAttempted(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path == mockQualifioToken {
			w.Header().Set("Content-Type", "application/json")
			io.WriteString(w, `{"access_token":"t","expires_in":3600}`)
			return
		}
		if calls.Add(1) == 5 {
			cancel() // the caller gives up while the fifth event is in flight
		}
		w.WriteHeader(http.StatusAccepted)
	}))
	defer srv.Close()
	c, err := loyalty.NewClient(loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "i", ClientSecret: "s", BaseURL: srv.URL, TokenURL: srv.URL + mockQualifioToken}), loyalty.WithRetryPolicy(fastRetry))
	require.NoError(t, err)
	events := make([]loyalty.Event, 100)
	for i := range events {
		events[i] = loyalty.Event{Type: loyalty.EventCustomBasic, Email: "ana@example.com"}
	}
	res, err := c.Events.SendBatch(ctx, events, &loyalty.EventBatchOptions{Concurrency: 1})
	require.NoError(t, err)
	require.Len(t, res, 100)
	var sent, failed, notAttempted int
	for i, r := range res {
		switch {
		case r.Err == nil:
			sent++
			assert.Regexp(t, eventID, r.ID)
		case errors.Is(r.Err, loyalty.ErrNotAttempted):
			notAttempted++
			assert.ErrorIs(t, r.Err, context.Canceled)
			assert.Empty(t, r.ID, "no id was generated for it")
			assert.Greater(t, i, 3, "only events after the cancel are not attempted")
		default:
			failed++
		}
	}
	assert.Equal(t, 100, sent+failed+notAttempted)
	assert.Equal(t, int(calls.Load()), sent+failed, "every request sent is reported sent or failed")
	assert.GreaterOrEqual(t, notAttempted, 90)
	assert.LessOrEqual(t, failed, 1, "at most the one in flight")
}

// An event resent with the id Send returned, and still no Timestamp, goes
// out as the same bytes: the timestamp of the first send, not a new one.
func TestEventsResendWithReturnedIDCarriesTheSameBytes(t *testing.T) {
	cp := newCapture(t, http.StatusInternalServerError, http.StatusInternalServerError, http.StatusInternalServerError, http.StatusInternalServerError)
	c := cp.client(t)
	e := loyalty.Event{Type: loyalty.EventCustomBasic, Email: "ana@example.com", Tags: map[string]string{"channel": "web"}}
	id, _, err := c.Events.Send(context.Background(), e)
	require.ErrorIs(t, err, loyalty.ErrServer)
	require.NotEmpty(t, id)
	time.Sleep(5 * time.Millisecond) // a new timestamp would differ
	e.ID = id
	_, _, err = c.Events.Send(context.Background(), e)
	require.NoError(t, err)
	res, err := c.Events.SendBatch(context.Background(), []loyalty.Event{e}, nil)
	require.NoError(t, err)
	require.NoError(t, res[0].Err)
	bodies, _, _ := cp.received()
	require.Len(t, bodies, 6)
	for _, b := range bodies[1:] {
		assert.Equal(t, string(bodies[0]), string(b), "byte for byte")
	}
}

// SendMapped signs its body (X-Hub-Signature): a BodyField would change
// the body after the signature was made, and Qualifio would refuse the
// event. It is refused before sending (the body is the caller's own JSON,
// to which the field can be added), and so are Header and QueryParam
// options naming the integration's own credential, which the call's
// authentication would otherwise overwrite silently.
func TestSendMappedRefusesOptionsThatBreakItsAuthentication(t *testing.T) {
	ctx := context.Background()
	for name, tc := range map[string]struct {
		auth  loyalty.MappedAuth
		opt   loyalty.CallOption
		field string
	}{
		"BodyField signed":    {loyalty.MappedHubSignature("s3cret"), loyalty.BodyField("extra", 1), "BodyField"},
		"Header of the token": {loyalty.MappedHeader("X-Token", "t"), loyalty.Header("x-token", "other"), "Header"},
		"Query of the token":  {loyalty.MappedQuery("token", "t"), loyalty.QueryParam("token", "other"), "QueryParam"},
	} {
		t.Run(name, func(t *testing.T) {
			cp := newCapture(t)
			_, _, err := cp.client(t).Events.SendMapped(ctx, "i-1", map[string]int{"visits": 2}, tc.auth, tc.opt)
			requireInputError(t, err, "Events.SendMapped", tc.field)
			bodies, _, _ := cp.received()
			assert.Empty(t, bodies, "nothing sent")
		})
	}

	// Other options still go, and the signature verifies over what was sent.
	cp := newCapture(t)
	_, _, err := cp.client(t).Events.SendMapped(ctx, "i-1", map[string]int{"visits": 2}, loyalty.MappedHubSignature("s3cret"), loyalty.Header("X-Trace-Id", "t-1"))
	require.NoError(t, err)
	bodies, headers, _ := cp.received()
	require.Len(t, bodies, 1)
	assert.Equal(t, "sha256="+hmacHex(sha256.New, "s3cret", bodies[0]), headers[0].Get("X-Hub-Signature"))
	assert.Equal(t, "t-1", headers[0].Get("X-Trace-Id"))
}
