package loyalty_test

import (
	"bytes"
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// logBuffer is a slog handler's output, safe for concurrent writes.
type logBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (l *logBuffer) Write(p []byte) (int, error) {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.b.Write(p)
}
func (l *logBuffer) String() string { l.mu.Lock(); defer l.mu.Unlock(); return l.b.String() }

// warnLines are the WARN lines a text handler wrote.
func (l *logBuffer) warnLines() []string {
	var out []string
	for _, line := range strings.Split(strings.TrimSpace(l.String()), "\n") {
		if strings.Contains(line, "level=WARN") {
			out = append(out, line)
		}
	}
	return out
}

func bufferLogger(l *logBuffer) loyalty.Option {
	return loyalty.WithLogger(slog.New(slog.NewTextHandler(l, &slog.HandlerOptions{Level: slog.LevelWarn})))
}

// TestDecodeIssues: on every platform, an answer with a field of the wrong
// JSON type and a required field absent succeeds, with one DecodeIssue per
// field on the Response (by its path) and one WARN line each that names
// the platform, the route template and the field, never the value; the
// same answer again is recorded but not logged again; a correct answer
// has no issue.
func TestDecodeIssues(t *testing.T) {
	const secret = "SECRET-VALUE-42" // in the wrong-typed field: must not be logged
	cases := []struct {
		name  string
		p     loyalty.Platform
		path  string
		query url.Values
		bad   string
		good  string
		call  func(*loyalty.Client) (*loyalty.Response, error)
		route string
		want  map[string]string // field: problem
	}{{
		name: "yotpo customer", p: loyalty.Yotpo, path: "/customers",
		query: url.Values{"customer_email": {"ana@example.com"}, "with_history": {"false"}, "with_referral_code": {"false"}},
		bad:   `{"first_name":"Ana","points_balance":"` + secret + `","vip_tier_name":{"n":"` + secret + `"}}`,
		good:  `{"email":"ana@example.com","points_balance":"120","vip_tier_name":"Gold","last_seen_at":"2024-05-01 12:30:00"}`,
		call: func(c *loyalty.Client) (*loyalty.Response, error) {
			_, resp, err := c.Customers.Get(context.Background(), loyalty.ByEmail("ana@example.com"), nil)
			return resp, err
		},
		route: "GET /customers",
		want: map[string]string{"points_balance": "want integer, got a string that is not a number",
			"vip_tier_name": "want string, got object", "email": "required field absent or null"},
	}, {
		name: "influenceio customer", p: loyalty.InfluenceIO, path: "/v1/customers/C-1",
		bad:  `{"customer":{"externalId":"C-1","pointBalance":12.5,"acceptsMarketing":"` + secret + `"}}`,
		good: `{"customer":{"id":"cus_1","externalId":"C-1","pointBalance":12,"acceptsMarketing":"true"}}`,
		call: func(c *loyalty.Client) (*loyalty.Response, error) {
			_, resp, err := c.Customers.Get(context.Background(), loyalty.ByID("C-1"), nil)
			return resp, err
		},
		route: "GET /v1/customers/{id}",
		want: map[string]string{"customer.pointBalance": "want integer, got a fraction",
			"customer.acceptsMarketing": "want boolean, got string", "customer.id": "required field absent or null"},
	}, {
		name: "qualifio member", p: loyalty.Qualifio, path: "/management/members/m-1",
		bad:  `{"email":"ana@example.com","firstname":["` + secret + `"]}`,
		good: `{"id":"m-1","email":"ana@example.com","firstname":"Ana","createdAt":"2024-05-01T12:30:00Z"}`,
		call: func(c *loyalty.Client) (*loyalty.Response, error) {
			_, resp, err := c.Members.Get(context.Background(), "m-1")
			return resp, err
		},
		route: "GET /management/members/{id}",
		want:  map[string]string{"firstname": "want string, got array", "id": "required field absent or null"},
	}, {
		name: "monterosa notifications", p: loyalty.Monterosa, path: "/api/loyalty/notifications",
		bad:  ok(`[{"id":"n-1","timestamp":"` + secret + `","type":"x"},{"id":"n-2","timestamp":1714566605123,"title":{"t":"` + secret + `"}}]`),
		good: ok(`[{"id":"n-1","timestamp":1714566605123,"type":"x"},{"id":"n-2","timestamp":0}]`),
		call: func(c *loyalty.Client) (*loyalty.Response, error) {
			_, resp, err := c.Rewards.Notifications(context.Background())
			return resp, err
		},
		route: "GET /api/loyalty/notifications",
		want: map[string]string{"data[0].timestamp": "want epoch milliseconds",
			"data[1].title": "want string, got object; only id, type and Raw kept"},
	}}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var hdr map[string]string
			if tc.p == loyalty.Monterosa {
				hdr = mockAuth
			}
			ex := func(body string) exchange {
				return exchange{Method: http.MethodGet, Path: tc.path, Query: tc.query, Header: hdr, Resp: body}
			}
			m := newPlatformMock(t, ex(tc.bad), ex(tc.bad), ex(tc.good))
			var logs logBuffer
			c := m.client(tc.p, bufferLogger(&logs))

			resp, err := tc.call(c)
			require.NoError(t, err, "a decode issue never fails the call")
			got := map[string]string{}
			for _, is := range resp.DecodeIssues {
				assert.Equal(t, tc.p, is.Platform)
				assert.Equal(t, tc.route, is.Route)
				got[is.Field] = is.Problem
			}
			assert.Equal(t, tc.want, got)
			lines := logs.warnLines()
			assert.Len(t, lines, len(tc.want), "one WARN line per issue:\n%s", logs.String())
			for _, l := range lines {
				assert.Contains(t, l, "platform="+string(tc.p))
				assert.Contains(t, l, `route="`+tc.route+`"`)
			}
			for field := range tc.want {
				assert.Contains(t, logs.String(), "field="+field)
			}
			assert.NotContains(t, logs.String(), secret, "the value is never logged")
			for _, is := range resp.DecodeIssues {
				assert.NotContains(t, is.String(), secret)
			}

			resp, err = tc.call(c) // the same answer again: recorded, not logged again
			require.NoError(t, err)
			assert.Len(t, resp.DecodeIssues, len(tc.want))
			assert.Len(t, logs.warnLines(), len(tc.want), "logged once per Client")

			resp, err = tc.call(c)
			require.NoError(t, err)
			assert.Empty(t, resp.DecodeIssues, "a correct answer has none")
		})
	}
}

// TestDecodeIssuesOnListPages: a list returns no Response, so its pages'
// issues are logged; one wrong field in every item of a page is one line
// (the same field and problem at another index is not logged again).
func TestDecodeIssuesOnListPages(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodGet, Path: "/customers/all",
		Query: url.Values{"page": {"1"}, "per_page": {"100"}, "last_seen_at": {"1970-01-01T00:00:00Z"}},
		Resp:  `{"customers":[{"email":"a@example.com","points_balance":true},{"email":"b@example.com","points_balance":[]},{"email":"c@example.com","points_balance":false}],"links":{"total_pages":"one"}}`})
	var logs logBuffer
	c := m.client(loyalty.Yotpo, bufferLogger(&logs))
	n := 0
	for cust, err := range c.Customers.List(context.Background(), nil) {
		require.NoError(t, err)
		assert.NotEmpty(t, cust.Email)
		n++
	}
	assert.Equal(t, 3, n)
	lines := logs.warnLines()
	require.Len(t, lines, 3, "customers[0] and customers[2] have the same issue: one line; "+logs.String())
	all := logs.String()
	assert.Contains(t, all, "field=customers[0].points_balance")
	assert.Contains(t, all, `problem="want integer, got boolean"`)
	assert.Contains(t, all, `problem="want integer, got array"`, "another problem is another line")
	assert.Contains(t, all, "field=links.total_pages", "the page envelope is checked too")
}
