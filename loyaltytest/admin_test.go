package loyaltytest_test

import (
	"context"
	"fmt"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// admin sends one admin API request; body is sent as JSON unless it is a
// string.
func admin(t *testing.T, srv *loyaltytest.Server, method, path string, body any) reply {
	t.Helper()
	var h http.Header
	if body != nil {
		h = http.Header{"Content-Type": {"application/json"}}
	}
	r := do(t, srv, call{method: method, path: loyaltytest.AdminPath + path, header: h, body: body})
	if ct := r.header.Get("Content-Type"); ct != "application/json" {
		t.Fatalf("%s %s: Content-Type %q, body %s", method, path, ct, r.body)
	}
	return r
}

// wantAdminError checks an error answer: status and a message containing want.
func wantAdminError(t *testing.T, r reply, status int, want string) {
	t.Helper()
	wantStatus(t, r, status)
	var e struct{ Error string }
	r.json(t, &e)
	if !strings.Contains(e.Error, want) {
		t.Fatalf("error %q does not say %q", e.Error, want)
	}
}

// itemsOf decodes a list answer.
func itemsOf(t *testing.T, r reply) []map[string]any {
	t.Helper()
	wantStatus(t, r, http.StatusOK)
	var out struct{ Items []map[string]any }
	r.json(t, &out)
	if out.Items == nil {
		t.Fatalf("no items in %s", r.body)
	}
	return out.Items
}

func TestAdminIndexAndPlatformState(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	earnOnYotpo(t, srv, "ana@example.com", 10000)

	idx := admin(t, srv, http.MethodGet, "/", nil)
	wantStatus(t, idx, http.StatusOK)
	if p, _ := idx.obj(t)["platforms"].([]any); len(p) != 4 {
		t.Fatalf("index %s", idx.body)
	}
	cust := itemsOf(t, admin(t, srv, http.MethodGet, "/yotpo/customers", nil))
	if len(cust) != 1 || cust[0]["email"] != "ana@example.com" || cust[0]["pointsBalance"] != 100.0 || cust[0]["vipTierName"] != "Bronze" {
		t.Fatalf("customers %v", cust)
	}
	if h, _ := cust[0]["history"].([]any); len(h) == 0 {
		t.Fatalf("no ledger in %v", cust[0])
	}
	if o := itemsOf(t, admin(t, srv, http.MethodGet, "/yotpo/orders", nil)); len(o) != 1 || o[0]["pointsAwarded"] != 100.0 {
		t.Fatalf("orders %v", o)
	}
	for platform, resources := range map[string][]string{
		"yotpo":       {"customers", "orders", "redemptions", "campaigns", "redemption-options", "vip-tiers"},
		"influenceio": {"customers", "orders", "rewards", "earn-rules", "tiers"},
		"qualifio":    {"members", "mapped-events"},
		"monterosa":   {"profiles", "coupons"},
	} {
		all := admin(t, srv, http.MethodGet, "/"+platform, nil)
		wantStatus(t, all, http.StatusOK)
		for _, res := range resources {
			itemsOf(t, admin(t, srv, http.MethodGet, "/"+platform+"/"+res, nil))
			if _, ok := all.obj(t)[res]; !ok {
				t.Errorf("GET /%s has no %q", platform, res)
			}
		}
		wantAdminError(t, admin(t, srv, http.MethodGet, "/"+platform+"/nope", nil), http.StatusNotFound, `no resource "nope"`)
		wantAdminError(t, admin(t, srv, http.MethodPost, "/"+platform, "{}"), http.StatusMethodNotAllowed, "method not allowed")
	}
	if r := admin(t, srv, http.MethodGet, "/qualifio/earning-rule", nil); r.obj(t)["id"] != "r-demo" {
		t.Fatalf("earning rule %s", r.body)
	}
	if r := admin(t, srv, http.MethodGet, "/monterosa/space", nil); len(r.obj(t)["challenges"].([]any)) != 1 {
		t.Fatalf("space %s", r.body)
	}
	if ev := itemsOf(t, admin(t, srv, http.MethodGet, "/qualifio/mapped-events", nil)); len(ev) != 4 || ev[0]["Secret"] != nil {
		t.Fatalf("mapped events %v", ev)
	}
	wantAdminError(t, admin(t, srv, http.MethodGet, "/shopify", nil), http.StatusNotFound, `unknown platform or resource "shopify"`)
	wantAdminError(t, admin(t, srv, http.MethodGet, "/shopify/customers", nil), http.StatusNotFound, "unknown platform")
	r := admin(t, srv, http.MethodDelete, "/yotpo/customers", nil)
	wantAdminError(t, r, http.StatusMethodNotAllowed, "GET")
	if r.header.Get("Allow") != "GET" {
		t.Fatalf("Allow %q", r.header.Get("Allow"))
	}
}

// The admin API is its own: a platform path never reaches it, and it is not
// recorded, faulted or rate limited.
func TestAdminIsApart(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithRateLimit())
	srv.InjectFault(loyaltytest.Fault{Status: http.StatusServiceUnavailable, Times: 100})
	for range 20 {
		wantStatus(t, admin(t, srv, http.MethodGet, "/yotpo", nil), http.StatusOK)
	}
	if n := len(srv.Requests()); n != 0 {
		t.Fatalf("%d admin requests recorded", n)
	}
	srv.ClearFaults()
	for _, p := range []string{"/_fake/apix", contract.YotpoBasePath + "/_fake/api/yotpo", "/_fake"} {
		r := do(t, srv, call{method: http.MethodGet, path: p, header: yotpoAuth})
		if r.status != http.StatusNotFound || r.header.Get("Content-Type") == "" || strings.Contains(string(r.body), `"items"`) {
			t.Fatalf("%s: %d %s", p, r.status, r.body)
		}
	}
}

func TestAdminSeedAndReset(t *testing.T) {
	srv := loyaltytest.New(t)
	// Keys are matched without regard to case: the Go field names of
	// earlier seed files still load.
	body := `{"yotpo": {"campaigns": [{"Type": "SpendBasedCampaign", "Title": "x", "RewardPoints": 4}]}}`
	wantStatus(t, admin(t, srv, http.MethodPost, "/seed", body), http.StatusOK)
	if got := earnOnYotpo(t, srv, "a@example.com", 1000); got != 40 {
		t.Fatalf("seeded over HTTP: earned %d", got)
	}
	wantAdminError(t, admin(t, srv, http.MethodPost, "/seed", `{"yotpo": {"campaigns": [{"type": "x", "title": "y"}]}}`), http.StatusBadRequest, "yotpo.campaigns[0].type")
	wantAdminError(t, admin(t, srv, http.MethodPost, "/seed", `{"yotpo": [`), http.StatusBadRequest, "malformed JSON")
	wantAdminError(t, admin(t, srv, http.MethodPost, "/seed", `{"shopify": {}}`), http.StatusBadRequest, "shopify: unknown field")
	wantAdminError(t, admin(t, srv, http.MethodGet, "/seed", nil), http.StatusMethodNotAllowed, "POST")
	// A form content type (what curl -d sends without -H, and what a page of
	// another site can send) is refused: bodies are sent as JSON.
	r := do(t, srv, call{method: http.MethodPost, path: loyaltytest.AdminPath + "/seed",
		header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body: `{"influenceio": {"earnRules": [{"id": "e"}]}}`})
	wantAdminError(t, r, http.StatusUnsupportedMediaType, "application/json")
	if n := len(srv.InfluenceIO().EarnRules()); n != 0 {
		t.Fatalf("a refused seed loaded %d earn rules", n)
	}
	wantAdminError(t, admin(t, srv, http.MethodPost, "/seed", strings.Repeat(" ", loyaltytest.MaxSeedBytes+1)), http.StatusRequestEntityTooLarge, "larger than")

	srv.InjectFault(loyaltytest.Fault{Path: "/nowhere", Status: 500})
	wantStatus(t, admin(t, srv, http.MethodPost, "/reset", nil), http.StatusOK)
	if n := len(itemsOf(t, admin(t, srv, http.MethodGet, "/yotpo/customers", nil))); n != 0 {
		t.Fatalf("%d customers after reset", n)
	}
	if n := len(itemsOf(t, admin(t, srv, http.MethodGet, "/yotpo/campaigns", nil))); n != 0 {
		t.Fatalf("%d campaigns after reset: a seed loaded at run time stays until reset", n)
	}
	if len(srv.Faults()) != 0 || len(srv.Requests()) != 0 {
		t.Fatal("reset kept faults or requests")
	}
	wantAdminError(t, admin(t, srv, http.MethodGet, "/reset", nil), http.StatusMethodNotAllowed, "POST")
	wantAdminError(t, admin(t, srv, http.MethodPost, "/reset/now", nil), http.StatusNotFound, "no admin route")
}

func TestAdminFaults(t *testing.T) {
	srv := loyaltytest.New(t)
	r := admin(t, srv, http.MethodPost, "/faults", map[string]any{"method": "GET", "path": yCampaigns, "status": 503, "retryAfter": "2s", "times": 2})
	wantStatus(t, r, http.StatusCreated)
	f := r.obj(t)
	id := strconv.Itoa(int(f["id"].(float64)))
	if f["retryAfter"] != "2s" || f["times"] != 2.0 || r.header.Get("Location") != loyaltytest.AdminPath+"/faults/"+id {
		t.Fatalf("fault %s, Location %q", r.body, r.header.Get("Location"))
	}
	if got := admin(t, srv, http.MethodGet, "/faults/"+id, nil).obj(t); got["status"] != 503.0 {
		t.Fatalf("GET fault %v", got)
	}
	y := do(t, srv, call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth})
	if y.status != 503 || y.header.Get("Retry-After") != "2" {
		t.Fatalf("faulted request %d %v", y.status, y.header)
	}
	if got := itemsOf(t, admin(t, srv, http.MethodGet, "/faults", nil)); len(got) != 1 || got[0]["times"] != 1.0 {
		t.Fatalf("faults after one use %v", got)
	}
	wantStatus(t, admin(t, srv, http.MethodDelete, "/faults/"+id, nil), http.StatusOK)
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth}), http.StatusOK)
	wantAdminError(t, admin(t, srv, http.MethodDelete, "/faults/"+id, nil), http.StatusNotFound, "no waiting fault")
	wantAdminError(t, admin(t, srv, http.MethodGet, "/faults/x", nil), http.StatusNotFound, "positive integers")

	admin(t, srv, http.MethodPost, "/faults", map[string]any{"drop": true})
	wantStatus(t, admin(t, srv, http.MethodDelete, "/faults", nil), http.StatusOK)
	if len(srv.Faults()) != 0 {
		t.Fatal("DELETE /faults kept faults")
	}
	for _, c := range []struct{ body, want string }{
		{`{"status": 200}`, "status: 200"},
		{`{"status": 503, "delay": "forever"}`, `"forever" is not a duration`},
		{`{"status": 503, "delay": "1h"}`, "delay: must be between"},
		{`{"status": 503, "path": "[x"}`, "path.Match"},
		{`{"status": 503, "method": "get"}`, "upper case"},
		{`{}`, "needs a status"},
		{`{"status": 503, "statuz": 1}`, "statuz: unknown field"},
		{`{"status": "503"}`, "status"},
		{`[`, "malformed JSON"},
	} {
		wantAdminError(t, admin(t, srv, http.MethodPost, "/faults", c.body), http.StatusBadRequest, c.want)
	}
	wantAdminError(t, admin(t, srv, http.MethodPut, "/faults", "{}"), http.StatusMethodNotAllowed, "DELETE, GET, POST")
	wantAdminError(t, admin(t, srv, http.MethodPost, "/faults/1", "{}"), http.StatusMethodNotAllowed, "DELETE")
}

func TestAdminRateLimit(t *testing.T) {
	srv := loyaltytest.New(t)
	if r := admin(t, srv, http.MethodGet, "/ratelimit", nil); r.obj(t)["enabled"] != false {
		t.Fatalf("ratelimit %s", r.body)
	}
	if r := admin(t, srv, http.MethodPut, "/ratelimit", `{"enabled": true}`); r.status != 200 || r.obj(t)["enabled"] != true {
		t.Fatalf("PUT ratelimit %d %s", r.status, r.body)
	}
	if y := do(t, srv, call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth}); y.header.Get(contract.YotpoHeaderRateLimit) == "" {
		t.Fatalf("no rate limit headers once on: %v", y.header)
	}
	admin(t, srv, http.MethodPut, "/ratelimit", `{"enabled": false}`)
	if y := do(t, srv, call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth}); y.header.Get(contract.YotpoHeaderRateLimit) != "" || srv.RateLimited() {
		t.Fatalf("rate limit headers once off: %v", y.header)
	}
	wantAdminError(t, admin(t, srv, http.MethodPut, "/ratelimit", `{}`), http.StatusBadRequest, "enabled: is required")
	wantAdminError(t, admin(t, srv, http.MethodPut, "/ratelimit", `{"enabled": "yes"}`), http.StatusBadRequest, "enabled")
	wantAdminError(t, admin(t, srv, http.MethodPost, "/ratelimit", `{"enabled": true}`), http.StatusMethodNotAllowed, "GET, PUT")
}

func TestAdminWebhooks(t *testing.T) {
	srv := loyaltytest.New(t)
	rc := newReceiver(t, http.StatusInternalServerError) // Yotpo's: the first attempt fails, the retry succeeds
	other := newReceiver(t)                              // the others', so that rc sees Yotpo's deliveries alone, in order
	r := admin(t, srv, http.MethodPost, "/yotpo/webhooks", map[string]any{"url": rc.URL + "/hook?token=topsecret", "authorization": "Bearer topsecret"})
	wantStatus(t, r, http.StatusCreated)
	if strings.Contains(string(r.body), "topsecret") {
		t.Fatalf("secret answered: %s", r.body)
	}
	r = admin(t, srv, http.MethodPost, "/influenceio/webhooks", map[string]any{"url": other.URL, "topic": contract.InfluenceIOTopicCustomersUpdated})
	if wantStatus(t, r, http.StatusCreated); r.obj(t)["id"] == "" {
		t.Fatalf("influence.io subscription %s", r.body)
	}
	wantStatus(t, admin(t, srv, http.MethodPost, "/qualifio/webhooks", map[string]any{"url": other.URL, "secret": "s", "headerName": "X-Shop", "headerValue": "topsecret"}), http.StatusCreated)
	for _, c := range []struct {
		path, body string
		status     int
		want       string
	}{
		{"/yotpo/webhooks", `{"url": "ftp://x"}`, 400, "url: want an absolute http"},
		{"/yotpo/webhooks", `{"url": "http://x", "topic": "t"}`, 400, "topic: not a yotpo webhook setting"},
		{"/influenceio/webhooks", `{"url": "http://x"}`, 400, "topic: is required"},
		{"/qualifio/webhooks", `{"url": "http://x", "headerName": "X"}`, 400, "go together"},
		{"/qualifio/webhooks", `{"url": 1}`, 400, "url"},
		{"/qualifio/webhooks", `{"url": "http://x",`, 400, "malformed JSON"},
		{"/monterosa/webhooks", `{"url": "http://x"}`, 404, "no webhooks"},
		{"/shopify/webhooks", `{"url": "http://x"}`, 404, "unknown platform"},
	} {
		wantAdminError(t, admin(t, srv, http.MethodPost, c.path, c.body), c.status, c.want)
	}
	wantAdminError(t, admin(t, srv, http.MethodGet, "/yotpo/webhooks", nil), http.StatusMethodNotAllowed, "POST")

	earnOnYotpo(t, srv, "ana@example.com", 100)
	if _, _, err := srv.Client().Members.Create(context.Background(), loyalty.MemberInput{Email: "bo@example.com"}); err != nil {
		t.Fatal(err)
	}
	waitHooks(t, srv)
	ds := itemsOf(t, admin(t, srv, http.MethodGet, "/webhooks/deliveries", nil))
	if len(ds) == 0 {
		t.Fatal("no deliveries")
	}
	first := ds[0]
	for _, d := range ds {
		if d["platform"] == "yotpo" {
			first = d
			break
		}
	}
	if first["platform"] != "yotpo" || first["delivered"] != true || len(first["attempts"].([]any)) != 2 {
		t.Fatalf("delivery %v", first)
	}
	if a := first["attempts"].([]any)[0].(map[string]any); a["status"] != 500.0 {
		t.Fatalf("first attempt %v", a)
	}
	if dump := admin(t, srv, http.MethodGet, "/webhooks/deliveries", nil); strings.Contains(string(dump.body), "topsecret") ||
		!strings.Contains(string(dump.body), `"qualifio"`) || !strings.Contains(string(dump.body), "X-Shop") {
		t.Fatalf("secret in deliveries: %s", dump.body)
	}
	id := strconv.Itoa(int(first["id"].(float64)))
	if one := admin(t, srv, http.MethodGet, "/webhooks/deliveries/"+id, nil).obj(t); one["body"] != first["body"] {
		t.Fatalf("delivery %s: %v", id, one)
	}
	before := rc.count()
	r = admin(t, srv, http.MethodPost, "/webhooks/deliveries/"+id+"/redeliver", nil)
	wantStatus(t, r, http.StatusAccepted)
	if again := r.obj(t); again["id"] == first["id"] || again["body"] != first["body"] {
		t.Fatalf("redelivery %v", again)
	}
	waitHooks(t, srv)
	if rc.count() != before+1 {
		t.Fatalf("redelivery not sent: %d then %d", before, rc.count())
	}
	wantAdminError(t, admin(t, srv, http.MethodPost, "/webhooks/deliveries/9999/redeliver", nil), http.StatusNotFound, "no delivery 9999")
	wantAdminError(t, admin(t, srv, http.MethodGet, "/webhooks/deliveries/9999", nil), http.StatusNotFound, "no delivery 9999")
	wantAdminError(t, admin(t, srv, http.MethodGet, "/webhooks/deliveries/"+id+"/redeliver", nil), http.StatusMethodNotAllowed, "POST")
	wantAdminError(t, admin(t, srv, http.MethodPost, "/webhooks/deliveries", "{}"), http.StatusMethodNotAllowed, "GET")
	wantAdminError(t, admin(t, srv, http.MethodGet, "/webhooks/targets", nil), http.StatusNotFound, "no admin route")
}

func TestAdminRequests(t *testing.T) {
	srv := loyaltytest.New(t)
	do(t, srv, call{method: http.MethodGet, path: yCampaigns + "?api_key=topsecret", header: yotpoAuth})
	do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer("topsecret")})
	all := itemsOf(t, admin(t, srv, http.MethodGet, "/requests", nil))
	if len(all) != 2 || all[0]["platform"] != "yotpo" || all[1]["platform"] != "monterosa" || all[0]["id"] != 1.0 {
		t.Fatalf("requests %v", all)
	}
	if dump := admin(t, srv, http.MethodGet, "/requests", nil); strings.Contains(string(dump.body), "topsecret") {
		t.Fatalf("secret in request log: %s", dump.body)
	}
	if ys := itemsOf(t, admin(t, srv, http.MethodGet, "/requests?platform=yotpo", nil)); len(ys) != 1 {
		t.Fatalf("filtered %v", ys)
	}
	wantAdminError(t, admin(t, srv, http.MethodGet, "/requests?platform=shopify", nil), http.StatusBadRequest, `unknown platform "shopify"`)
	wantStatus(t, admin(t, srv, http.MethodDelete, "/requests", nil), http.StatusOK)
	if n := len(itemsOf(t, admin(t, srv, http.MethodGet, "/requests", nil))); n != 0 {
		t.Fatalf("%d requests after DELETE", n)
	}
	wantAdminError(t, admin(t, srv, http.MethodPost, "/requests", "{}"), http.StatusMethodNotAllowed, "DELETE, GET")
}

// A Qualifio webhook header set from Go is as secret as one set over the
// admin API: the deliveries list hides its value.
func TestAdminDeliveriesHideQualifioHeaderSetFromGo(t *testing.T) {
	srv := loyaltytest.New(t)
	rc := newReceiver(t)
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: rc.URL, HeaderName: "X-Shop", HeaderValue: "topsecret"})
	h := bearer(qualifioToken(t, srv))
	wantStatus(t, do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "a@b.c"}}), http.StatusCreated)
	waitHooks(t, srv)
	r := admin(t, srv, http.MethodGet, "/webhooks/deliveries", nil)
	wantStatus(t, r, http.StatusOK)
	if len(itemsOf(t, r)) == 0 || strings.Contains(string(r.body), "topsecret") {
		t.Fatalf("deliveries %s", r.body)
	}
}

// Reset waits for the requests being served: none lands on the discarded
// fake after Reset returns. Here the webhook target is set after start, so
// the reset fake has none, and a delivery added after Reset returned would
// come from a write that the discarded fake served late.
func TestResetWaitsForRequestsInFlight(t *testing.T) {
	for range 20 {
		srv := loyaltytest.New(t)
		rc := newReceiver(t)
		srv.Yotpo().SetWebhook(rc.URL, "tok")
		c := srv.Client()
		stop := make(chan struct{})
		var wg sync.WaitGroup
		for g := range 4 {
			wg.Add(1)
			go func() {
				defer wg.Done()
				for i := 0; ; i++ {
					select {
					case <-stop:
						return
					default:
					}
					_, _, _ = c.Customers.Upsert(context.Background(), loyalty.CustomerInput{Email: fmt.Sprintf("g%d-%d@example.com", g, i)})
				}
			}()
		}
		time.Sleep(5 * time.Millisecond)
		srv.Reset()
		n := len(srv.WebhookDeliveries())
		close(stop)
		wg.Wait()
		c.CloseIdleConnections()
		if later := len(srv.WebhookDeliveries()); later != n {
			t.Fatalf("%d deliveries right after Reset, %d later: writes landed on the discarded fake", n, later)
		}
	}
}
