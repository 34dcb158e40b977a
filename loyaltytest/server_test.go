package loyaltytest_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"golang.org/x/oauth2"
	"golang.org/x/oauth2/clientcredentials"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

var yotpoAuth = http.Header{contract.YotpoHeaderGUID: {"g"}, contract.YotpoHeaderAPIKey: {"k"}}

const yCampaigns = contract.YotpoBasePath + contract.YotpoPathCampaigns

func TestUnknownRoutes(t *testing.T) {
	srv := loyaltytest.New(t)
	for _, c := range []struct{ path, key string }{
		{"/", "message"},
		{"/nothing/here", "message"},
		{"/api/other", "message"},
		{contract.QualifioBasePath + "/ingestor/nope", "error"},
		{"/api/loyalty/nope", "message"},
		{contract.YotpoBasePath + "/nope", "error_message"},
	} {
		h := yotpoAuth.Clone()
		h.Set("Authorization", "Bearer x")
		r := do(t, srv, call{method: http.MethodGet, path: c.path, header: h})
		wantStatus(t, r, http.StatusNotFound)
		if r.obj(t)[c.key] == nil {
			t.Errorf("%s: body %s has no %q", c.path, r.body, c.key)
		}
	}
}

func TestRecorderRedactsSecrets(t *testing.T) {
	srv := loyaltytest.New(t)
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"topsecret"}}
	do(t, srv, call{method: http.MethodPost, path: contract.QualifioTokenPath,
		header: http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, body: form.Encode()})
	do(t, srv, call{method: http.MethodGet, path: yCampaigns + "?guid=g&api_key=topsecret&page=2", header: yotpoAuth})
	do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer("topsecret")})
	// Influence.io subscriptions carry the receiver's ?token=<secret> in
	// their url: only that value is redacted, the rest of the
	// JSON stays byte for byte.
	hook := `{"topic": "points/redeemed", "url":"https://merchant.example/hooks?a=1\u0026token=topsecret&b=2", "n":[1, 2.50]}`
	do(t, srv, call{method: http.MethodPost, path: contract.InfluenceIOPathWebhooks, header: http.Header{"X-Api-Key": {"topsecret"}}, body: hook})
	do(t, srv, call{method: http.MethodPut, path: contract.InfluenceIOWebhookPath("w-1"), header: http.Header{"X-Api-Key": {"k"}},
		body: `{"url":"http://u:topsecret@127.0.0.1/h?token=topsecret","topic":"customers/updated"}`})
	// Qualifio mapped-event credentials travel under names the test chose,
	// which no name pattern can guess: the registered names are redacted.
	srv.Qualifio().AddMappedEvent(loyaltytest.QualifioMappedEvent{ID: "hdr", Auth: "header", Name: "X-Shop-Pass", Secret: "topsecret"})
	srv.Qualifio().AddMappedEvent(loyaltytest.QualifioMappedEvent{ID: "qry", Auth: "query", Name: "p", Secret: "topsecret"})
	do(t, srv, call{method: http.MethodPost, path: contract.QualifioBasePath + contract.QualifioMappedPath("hdr"),
		header: http.Header{"X-Shop-Pass": {"topsecret"}}, body: `{"e":1}`})
	do(t, srv, call{method: http.MethodPost, path: contract.QualifioBasePath + contract.QualifioMappedPath("qry") + "?p=topsecret&keep=1", body: `{"e":2}`})
	// The names are Qualifio's: another platform's "p" is not a secret.
	do(t, srv, call{method: http.MethodGet, path: yCampaigns + "?p=2", header: yotpoAuth})

	reqs := srv.Requests()
	if len(reqs) != 8 {
		t.Fatalf("%d requests recorded", len(reqs))
	}
	for _, rr := range reqs {
		dump := fmt.Sprintf("%v %v %s", rr.Query, rr.Header, rr.Body)
		if strings.Contains(dump, "topsecret") {
			t.Errorf("secret recorded: %s %s: %s", rr.Method, rr.Path, dump)
		}
	}
	tok, y, m, i := reqs[0], reqs[1], reqs[2], reqs[3]
	if tok.Platform != loyaltytest.Qualifio || !strings.Contains(string(tok.Body), "client_id=id") || !strings.Contains(string(tok.Body), "client_secret="+loyaltytest.Redacted) {
		t.Errorf("token request %+v %s", tok, tok.Body)
	}
	if y.Platform != loyaltytest.Yotpo || y.Query.Get("guid") != "g" || y.Query.Get("page") != "2" || y.Header.Get(contract.YotpoHeaderGUID) != "g" || y.Header.Get(contract.YotpoHeaderAPIKey) != loyaltytest.Redacted {
		t.Errorf("yotpo request %+v", y)
	}
	if m.Platform != loyaltytest.Monterosa || m.Header.Get("Authorization") != loyaltytest.Redacted || m.Method != http.MethodGet || m.Path != contract.MonterosaPathProfile {
		t.Errorf("monterosa request %+v", m)
	}
	wantHook := `{"topic": "points/redeemed", "url":"https://merchant.example/hooks?a=1&token=` + loyaltytest.Redacted + `&b=2", "n":[1, 2.50]}`
	if i.Platform != loyaltytest.InfluenceIO || string(i.Body) != wantHook {
		t.Errorf("influence.io request %+v\nbody %s\nwant %s", i, i.Body, wantHook)
	}
	wantPut := `{"url":"http://u:` + loyaltytest.Redacted + `@127.0.0.1/h?token=` + loyaltytest.Redacted + `","topic":"customers/updated"}`
	if put := reqs[4]; string(put.Body) != wantPut {
		t.Errorf("influence.io PUT body %s, want %s", put.Body, wantPut)
	}
	if hdr := reqs[5]; hdr.Platform != loyaltytest.Qualifio || hdr.Header.Get("X-Shop-Pass") != loyaltytest.Redacted || string(hdr.Body) != `{"e":1}` {
		t.Errorf("mapped event with a header %+v", hdr)
	}
	if qry := reqs[6]; qry.Query.Get("p") != loyaltytest.Redacted || qry.Query.Get("keep") != "1" {
		t.Errorf("mapped event with a query %+v", qry)
	}
	if other := reqs[7]; other.Query.Get("p") != "2" {
		t.Errorf("yotpo query p redacted: %+v", other.Query)
	}
	srv.ResetRequests()
	if len(srv.Requests()) != 0 {
		t.Fatal("ResetRequests kept requests")
	}
}

func TestRecorderLimit(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithRecordLimit(2))
	for i := range 3 {
		do(t, srv, call{method: http.MethodGet, path: fmt.Sprint("/r", i)})
	}
	if r := srv.Requests(); len(r) != 2 || r[0].Path != "/r1" || r[1].Path != "/r2" {
		t.Fatalf("kept %+v", r)
	}
	off := loyaltytest.New(t, loyaltytest.WithRecordLimit(-1))
	do(t, off, call{method: http.MethodGet, path: "/"})
	if len(off.Requests()) != 0 {
		t.Fatal("recording not off")
	}
	zero := loyaltytest.New(t, loyaltytest.WithRecordLimit(0))
	wantStatus(t, do(t, zero, call{method: http.MethodGet, path: "/"}), http.StatusNotFound)
	if len(zero.Requests()) != 0 {
		t.Fatal("limit 0 recorded requests")
	}
}

// TestRecorderByteBudget checks that the request log holds at most its
// byte budget: the oldest requests go first, the newest are kept in order,
// and a request larger than the whole budget keeps the part of its body
// that fits. Before the budget, 100 requests of 4 KiB all stayed (the log
// could reach RecordLimit × the body cap).
func TestRecorderByteBudget(t *testing.T) {
	const budget = 64 << 10
	srv := loyaltytest.New(t, loyaltytest.WithRecordBytes(budget))
	body := strings.Repeat("x", 4<<10)
	for i := range 100 {
		do(t, srv, call{method: http.MethodPost, path: fmt.Sprint("/r", i), body: body})
	}
	kept := srv.Requests()
	held := 0
	for i, r := range kept {
		held += len(r.Body) + len(r.Path) + len(r.Method)
		for k, vs := range r.Header {
			held += len(k) + len(strings.Join(vs, ""))
		}
		if want := fmt.Sprint("/r", 100-len(kept)+i); r.Path != want || string(r.Body) != body {
			t.Fatalf("record %d is %s with %d bytes of body, want %s with all of it", i, r.Path, len(r.Body), want)
		}
	}
	if held > budget || len(kept) < 8 {
		t.Fatalf("kept %d requests holding %d bytes, want at least 8 within %d", len(kept), held, budget)
	}

	small := loyaltytest.New(t, loyaltytest.WithRecordBytes(8<<10))
	do(t, small, call{method: http.MethodPost, path: "/before", body: "{}"})
	big := strings.Repeat("y", 20<<10)
	do(t, small, call{method: http.MethodPost, path: "/big", body: big})
	if r := small.Requests(); len(r) != 1 || r[0].Path != "/big" || len(r[0].Body) == 0 || len(r[0].Body) >= 8<<10 || !strings.HasPrefix(big, string(r[0].Body)) {
		t.Fatalf("a request over the whole budget: kept %d records, the last with %d bytes of body", len(r), len(r[len(r)-1].Body))
	}

	// n <= 0 keeps the default budget rather than recording nothing.
	dflt := loyaltytest.New(t, loyaltytest.WithRecordBytes(0))
	do(t, dflt, call{method: http.MethodPost, path: "/r", body: body})
	if r := dflt.Requests(); len(r) != 1 || string(r[0].Body) != body {
		t.Fatalf("WithRecordBytes(0) kept %d records", len(r))
	}
}

func TestScriptedFaults(t *testing.T) {
	srv := loyaltytest.New(t)
	srv.InjectFault(loyaltytest.Fault{Method: http.MethodGet, Path: "/api/loyalty/*", Times: 2, Status: 503, RetryAfter: 1500 * time.Millisecond})
	get := call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer("u")}
	for range 2 {
		r := do(t, srv, get)
		wantStatus(t, r, http.StatusServiceUnavailable)
		if r.header.Get("Retry-After") != "2" || r.obj(t)["message"] == nil {
			t.Fatalf("fault reply %v %s", r.header, r.body)
		}
	}
	wantStatus(t, do(t, srv, get), http.StatusOK)

	// A fault answers in the platform's shape and changes nothing.
	srv.InjectFault(loyaltytest.Fault{Path: contract.QualifioBasePath + contract.QualifioPathMembers, Status: 500})
	h := bearer(qualifioToken(t, srv))
	r := do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "a@b.c"}})
	wantStatus(t, r, http.StatusInternalServerError)
	if r.obj(t)["error"] != contract.QualifioErrInternal {
		t.Fatalf("body %s", r.body)
	}
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: qMembers + "?email=a%40b.c", header: h}), http.StatusNotFound)

	// Method and path must both match; ClearFaults drops the rest.
	srv.InjectFault(loyaltytest.Fault{Method: http.MethodPost, Path: contract.MonterosaPathProfile, Status: 500})
	wantStatus(t, do(t, srv, get), http.StatusOK)
	srv.ClearFaults()
	wantStatus(t, do(t, srv, call{method: http.MethodPost, path: contract.MonterosaPathProfile, header: bearer("u")}), http.StatusMethodNotAllowed)
}

func TestFaultDropAndDelay(t *testing.T) {
	srv := loyaltytest.New(t)
	srv.InjectFault(loyaltytest.Fault{Path: contract.MonterosaPathAction, Drop: true})
	req, _ := http.NewRequest(http.MethodPost, srv.URL+contract.MonterosaPathAction, strings.NewReader(`{"action":"a"}`))
	req.Header.Set("Authorization", "Bearer u")
	if resp, err := srv.HTTPClient().Do(req); err == nil {
		resp.Body.Close()
		t.Fatalf("dropped connection answered %d", resp.StatusCode)
	}

	// A delay-only fault serves the request after the delay.
	srv.InjectFault(loyaltytest.Fault{Delay: time.Millisecond})
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer("u")}), http.StatusOK)

	// A long delay is cut short by the client giving up.
	srv.InjectFault(loyaltytest.Fault{Delay: time.Hour, Status: 500})
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Millisecond)
	defer cancel()
	req, _ = http.NewRequestWithContext(ctx, http.MethodGet, srv.URL+contract.MonterosaPathProfile, nil)
	if _, err := srv.HTTPClient().Do(req); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("delayed request: %v", err)
	}
}

func TestRandomFaultsReproducible(t *testing.T) {
	run := func(seed int64) string {
		srv := loyaltytest.New(t, loyaltytest.WithRandomFaults(loyaltytest.RandomFaults{Rate: 0.3, Seed: seed}))
		var b strings.Builder
		for range 60 {
			r := do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathConfig})
			if r.status != http.StatusOK && r.status != http.StatusServiceUnavailable {
				t.Fatalf("status %d", r.status)
			}
			fmt.Fprint(&b, r.status/100)
		}
		return b.String()
	}
	a, b, c := run(7), run(7), run(8)
	// A path pattern keeps other paths safe.
	srv := loyaltytest.New(t, loyaltytest.WithRandomFaults(loyaltytest.RandomFaults{Rate: 1, Path: "/api/v2/*"}))
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathConfig}), http.StatusOK)
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth}), http.StatusServiceUnavailable)
	if a != b {
		t.Fatalf("same seed, different runs:\n%s\n%s", a, b)
	}
	if a == c || !strings.Contains(a, "5") || !strings.Contains(a, "2") {
		t.Fatalf("seeds 7 and 8: %s %s", a, c)
	}
}

func TestRandomFaultsMixStatuses(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithRandomFaults(loyaltytest.RandomFaults{
		Rate: 1, Seed: 3, Statuses: []int{http.StatusServiceUnavailable, http.StatusTooManyRequests},
	}))
	seen := map[int]int{}
	for range 40 {
		seen[do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathConfig}).status]++
	}
	if len(seen) != 2 || seen[http.StatusServiceUnavailable] == 0 || seen[http.StatusTooManyRequests] == 0 {
		t.Fatalf("statuses %v, want a mix of 503 and 429 only", seen)
	}
}

func TestYotpoRateLimit(t *testing.T) {
	clk := newClock()
	srv := loyaltytest.New(t, loyaltytest.WithRateLimit(), loyaltytest.WithClock(clk.Now))
	get := call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth}
	for i := range contract.YotpoRateLimitPerSecond {
		r := do(t, srv, get)
		wantStatus(t, r, http.StatusOK)
		if got := r.header.Get(contract.YotpoHeaderRateRemaining); got != fmt.Sprint(contract.YotpoRateLimitPerSecond-1-i) {
			t.Fatalf("request %d: remaining %q", i, got)
		}
		if r.header.Get(contract.YotpoHeaderRateLimit) != "10" || r.header.Get(contract.YotpoHeaderRateReset) != "1" ||
			r.header.Get(contract.YotpoHeaderRateLimitMin) == "" || r.header.Get(contract.YotpoHeaderRateRemainMin) == "" {
			t.Fatalf("headers %v", r.header)
		}
	}
	r := do(t, srv, get)
	wantStatus(t, r, http.StatusTooManyRequests)
	if r.header.Get(contract.YotpoHeaderRateRemaining) != "0" || r.obj(t)["error_message"] == nil {
		t.Fatalf("429 %v %s", r.header, r.body)
	}
	// Other platforms are not limited and carry no Yotpo headers.
	r = do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathConfig})
	wantStatus(t, r, http.StatusOK)
	if r.header.Get(contract.YotpoHeaderRateLimit) != "" {
		t.Fatal("Monterosa response with Yotpo rate-limit headers")
	}
	clk.Add(time.Second)
	wantStatus(t, do(t, srv, get), http.StatusOK)

	// Off by default.
	free := loyaltytest.New(t)
	for range 2 * contract.YotpoRateLimitPerSecond {
		wantStatus(t, do(t, free, get), http.StatusOK)
	}
}

func TestWebhookRetries(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithWebhookRetry(3, time.Millisecond))
	flaky := newReceiver(t, 500, 503)
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: flaky.URL})
	h := bearer(qualifioToken(t, srv))
	wantStatus(t, do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "a@b.c"}}), http.StatusCreated)
	waitHooks(t, srv)
	d := srv.WebhookDeliveries()
	if len(d) != 1 || !d[0].Done || !d[0].Delivered || len(d[0].Attempts) != 3 || d[0].Attempts[0].Status != 500 || d[0].Attempts[2].Status != 200 {
		t.Fatalf("deliveries %+v", d)
	}
	if flaky.count() != 3 || string(flaky.body[0]) != string(flaky.body[2]) {
		t.Fatal("retries did not resend the same bytes")
	}

	// A receiver that never succeeds uses up the attempts.
	down := newReceiver(t, 500, 500, 500, 500)
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: down.URL})
	wantStatus(t, do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "b@b.c"}}), http.StatusCreated)
	waitHooks(t, srv)
	d = srv.WebhookDeliveries()
	if len(d) != 2 || !d[1].Done || d[1].Delivered || len(d[1].Attempts) != 3 {
		t.Fatalf("failed delivery %+v", d[1])
	}
}

func TestWebhookErrorsHideURLSecrets(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithWebhookRetry(1, 0))
	// Port 1 on loopback refuses connections.
	for _, u := range []string{"http://127.0.0.1:1/hook?token=topsecret", "http://127.0.0.1:1/hooks/topsecret", "http://127.0.0.1:1/hook#topsecret"} {
		srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: u})
		h := bearer(qualifioToken(t, srv))
		wantStatus(t, do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": u + "@b.c"}}), http.StatusCreated)
		waitHooks(t, srv)
		d := srv.WebhookDeliveries()
		a := d[len(d)-1].Attempts
		if len(a) != 1 || a[0].Err == "" || strings.Contains(a[0].Err, "topsecret") || !strings.Contains(a[0].Err, "127.0.0.1:1") {
			t.Fatalf("%s: attempts %+v", u, a)
		}
	}
}

func TestCloseStopsWebhookWorkers(t *testing.T) {
	release := make(chan struct{})
	recv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-release:
		case <-r.Context().Done():
		}
	}))
	t.Cleanup(recv.Close)
	defer close(release)
	srv := loyaltytest.NewServer()
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: recv.URL})
	h := bearer(qualifioToken(t, srv))
	wantStatus(t, do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "a@b.c"}}), http.StatusCreated)
	done := make(chan struct{})
	go func() { srv.Close(); close(done) }()
	select {
	case <-done:
	case <-time.After(10 * time.Second):
		t.Fatal("Close hung on an in-flight webhook")
	}
	if err := srv.WaitForWebhooks(context.Background()); err != nil {
		t.Fatal(err)
	}
	if d := srv.WebhookDeliveries(); len(d) != 1 || d[0].Delivered {
		t.Fatalf("deliveries %+v", d)
	}
}

func TestBodyCap(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithMaxBodyBytes(32))
	big := `{"action":"` + strings.Repeat("a", 64) + `"}`
	r := do(t, srv, call{method: http.MethodPost, path: contract.MonterosaPathAction, header: bearer("u"), body: big})
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if r.obj(t)["message"] == nil {
		t.Fatalf("body %s", r.body)
	}
	if rr := srv.Requests(); len(rr[0].Body) != 32 {
		t.Fatalf("recorded %d bytes, want the cap", len(rr[0].Body))
	}

	// The Qualifio token endpoint answers 413 too, in its OAuth error shape.
	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {strings.Repeat("s", 64)}}
	r = tokenRequest(t, srv, [2]string{}, form)
	wantStatus(t, r, http.StatusRequestEntityTooLarge)
	if r.obj(t)["error"] == nil {
		t.Fatalf("token body %s", r.body)
	}

	// A cap of zero or less is ignored: the default applies (it used to
	// panic on every request with a body).
	for _, n := range []int64{-1, 0} {
		srv := loyaltytest.New(t, loyaltytest.WithMaxBodyBytes(n))
		r := do(t, srv, call{method: http.MethodPost, path: contract.MonterosaPathAction, header: bearer("u"), body: `{"action":"a"}`})
		wantStatus(t, r, contract.MonterosaStatusAction)
		huge := `{"action":"` + strings.Repeat("a", loyaltytest.DefaultMaxBodyBytes) + `"}`
		wantStatus(t, do(t, srv, call{method: http.MethodPost, path: contract.MonterosaPathAction, header: bearer("u"), body: huge}), http.StatusRequestEntityTooLarge)
		if rr := srv.Requests(); len(rr) != 2 || string(rr[0].Body) != `{"action":"a"}` || len(rr[1].Body) != loyaltytest.DefaultMaxBodyBytes {
			t.Fatalf("WithMaxBodyBytes(%d): recorded %d requests", n, len(rr))
		}
	}
}

// TestConcurrentClients runs many clients at once against every platform,
// writing to each, and checks the final state of each; run with -race.
// Workers report with t.Errorf and return: t.Fatal may only be called from
// the test's own goroutine.
func TestConcurrentClients(t *testing.T) {
	srv := loyaltytest.New(t)
	srv.Monterosa().SetConfig(space)
	srv.Yotpo().AddCampaign(loyaltytest.YotpoCampaign{Type: contract.YotpoCampaignTransactionBased, Title: "Order", RewardPoints: 10})
	rc := newReceiver(t)
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: rc.URL, Secret: "s"})
	tok := qualifioToken(t, srv)
	ih := http.Header{contract.InfluenceIOHeaderAPIKey: {"k"}}
	yPath := func(p string) string { return contract.YotpoBasePath + p }
	wantYotpo(t, srv, call{method: http.MethodPost, path: yPath(contract.YotpoPathCustomers), header: yotpoAuth, body: map[string]any{"email": "shared@example.com"}})
	const clients, events = 32, 5
	ids := make([]string, clients)
	var wg sync.WaitGroup
	for c := range clients {
		wg.Add(1)
		go func() {
			defer wg.Done()
			// expect sends one call and reports a transport error or an
			// unexpected status; false means the worker should stop.
			expect := func(cl call, statuses ...int) (reply, bool) {
				r, err := send(srv, cl)
				if err != nil {
					t.Errorf("client %d: %v", c, err)
					return r, false
				}
				for _, st := range statuses {
					if r.status == st {
						return r, true
					}
				}
				t.Errorf("client %d: %s %s: status %d, want %v; body %s", c, cl.method, cl.path, r.status, statuses, r.body)
				return r, false
			}
			h := bearer(tok)
			email := fmt.Sprintf("user%d@example.com", c)
			r, ok := expect(call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": email}}, http.StatusCreated)
			if !ok {
				return
			}
			var member struct {
				ID string `json:"id"`
			}
			if err := json.Unmarshal(r.body, &member); err != nil || member.ID == "" {
				t.Errorf("client %d: member %s: %v", c, r.body, err)
				return
			}
			ids[c] = member.ID
			yEmail := fmt.Sprintf("y%d@example.com", c)
			iID := fmt.Sprint("i", c)
			if _, ok := expect(call{method: http.MethodPost, path: yPath(contract.YotpoPathCustomers), header: yotpoAuth, body: map[string]any{"email": yEmail}}, http.StatusOK); !ok {
				return
			}
			if _, ok := expect(call{method: http.MethodPut, path: contract.InfluenceIOCustomerPath(iID), header: ih, body: map[string]any{"email": iID + "@example.com"}}, http.StatusOK); !ok {
				return
			}
			for e := range events {
				ev := event(fmt.Sprintf("c%d-e%d", c, e%3), contract.QualifioEventCustomBasic, nil) // ids repeat: e0,e1,e2,e0,e1
				ev["member"] = map[string]any{"email": email}
				user := fmt.Sprint("fan", c)
				// Order ids repeat the same way: each counts once.
				yOrder := map[string]any{"order_id": fmt.Sprintf("y%d-o%d", c, e%3), "customer_email": yEmail, "total_amount_cents": 100}
				iOrder := map[string]any{"id": fmt.Sprintf("i%d-o%d", c, e%3), "customerId": iID, "totalPrice": 10, "financialStatus": "paid"}
				for _, step := range []struct {
					cl       call
					statuses []int
				}{
					{call{method: http.MethodPost, path: qEvents, header: h, body: ev}, []int{http.StatusAccepted}},
					{call{method: http.MethodPost, path: contract.MonterosaPathAction, header: bearer(user), body: map[string]any{"action": "video_watched"}}, []int{contract.MonterosaStatusAction}},
					{call{method: http.MethodGet, path: contract.MonterosaPathNotifications, header: bearer(user)}, []int{http.StatusOK}},
					{call{method: http.MethodPost, path: yPath(contract.YotpoPathPointsAdjust), header: yotpoAuth, body: map[string]any{"customer_email": yEmail, "point_adjustment_amount": 1}}, []int{http.StatusOK}},
					{call{method: http.MethodPost, path: yPath(contract.YotpoPathPointsAdjust), header: yotpoAuth, body: map[string]any{"customer_email": "shared@example.com", "point_adjustment_amount": 1}}, []int{http.StatusOK}},
					{call{method: http.MethodPost, path: yPath(contract.YotpoPathOrders), header: yotpoAuth, body: yOrder}, []int{http.StatusOK}},
					{call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth}, []int{http.StatusOK}},
					{call{method: http.MethodPost, path: contract.InfluenceIOPointsPath(iID), header: ih, body: map[string]any{"points": 2}}, []int{http.StatusOK}},
					{call{method: http.MethodPost, path: contract.InfluenceIOPathOrders, header: ih, body: iOrder}, []int{http.StatusCreated, http.StatusConflict}},
					{call{method: http.MethodGet, path: contract.InfluenceIOPathCustomers, header: ih}, []int{http.StatusOK}},
				} {
					if _, ok := expect(step.cl, step.statuses...); !ok {
						return
					}
				}
			}
		}()
	}
	wg.Wait()
	if t.Failed() {
		t.FailNow()
	}
	for _, id := range ids {
		if bal, _, _ := srv.Qualifio().Points(id); bal != 30 { // three distinct event ids at 10 points
			t.Errorf("qualifio member %s has %v points, want 30", id, bal)
		}
	}
	yotpoCustomer := func(email string) map[string]any {
		t.Helper()
		q := url.Values{contract.YotpoQueryCustomerEmail: {email}}
		return wantYotpo(t, srv, call{method: http.MethodGet, path: yPath(contract.YotpoPathCustomers) + "?" + q.Encode(), header: yotpoAuth})
	}
	for c := range clients {
		// events adjustments of 1, and three distinct orders at 10 points and 100 cents.
		y := yotpoCustomer(fmt.Sprintf("y%d@example.com", c))
		if y["points_balance"] != float64(events+3*10) || y["total_purchases"] != 3.0 || y["total_spend_cents"] != 300.0 {
			t.Errorf("yotpo customer %d: balance %v purchases %v spend %v", c, y["points_balance"], y["total_purchases"], y["total_spend_cents"])
		}
		var ic struct {
			Customer struct {
				PointBalance int `json:"pointBalance"`
			} `json:"customer"`
		}
		r := do(t, srv, call{method: http.MethodGet, path: contract.InfluenceIOCustomerPath(fmt.Sprint("i", c)), header: ih})
		wantStatus(t, r, http.StatusOK)
		r.json(t, &ic)
		if want := events*2 + 3*10; ic.Customer.PointBalance != want { // awards of 2, three distinct paid orders of 10
			t.Errorf("influence.io customer i%d: balance %d, want %d", c, ic.Customer.PointBalance, want)
		}
	}
	if s := yotpoCustomer("shared@example.com"); s["points_balance"] != float64(clients*events) {
		t.Errorf("shared yotpo customer: balance %v, want %d", s["points_balance"], clients*events)
	}
	waitHooks(t, srv)
	if got := rc.count(); got != clients*4 { // profile.created + three points.earned
		t.Fatalf("%d webhooks, want %d", got, clients*4)
	}
}

// wantYotpo sends a Yotpo call from the test's goroutine, wants 200 and
// returns the body as an object.
func wantYotpo(t *testing.T, srv *loyaltytest.Server, c call) map[string]any {
	t.Helper()
	r := do(t, srv, c)
	wantStatus(t, r, http.StatusOK)
	return r.obj(t)
}

func TestClientConfigsWorkOverHTTP(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithQualifioClient("cid", "csecret"))
	if srv.Client() == nil {
		t.Fatal("nil Client")
	}
	if srv.Client(loyalty.WithUserAgent("test")) == nil {
		t.Fatal("nil Client with an option")
	}

	// The Qualifio config gets a token with x/oauth2's default client auth.
	qc := srv.QualifioConfig()
	cc := clientcredentials.Config{ClientID: qc.ClientID, ClientSecret: qc.ClientSecret, TokenURL: qc.TokenURL}
	ctx := context.WithValue(context.Background(), oauth2.HTTPClient, srv.HTTPClient())
	tok, err := cc.Token(ctx)
	if err != nil || tok.Expiry.IsZero() {
		t.Fatalf("token: %v %+v", err, tok)
	}
	r := do(t, srv, call{method: http.MethodGet, path: strings.TrimPrefix(qc.BaseURL, srv.URL) + contract.QualifioPathMembers + "/x", header: bearer(tok.AccessToken)})
	wantStatus(t, r, http.StatusNotFound)

	yc := srv.YotpoConfig()
	r = do(t, srv, call{method: http.MethodGet, path: strings.TrimPrefix(yc.BaseURL, srv.URL) + contract.YotpoPathCampaigns,
		header: http.Header{contract.YotpoHeaderGUID: {yc.GUID}, contract.YotpoHeaderAPIKey: {yc.APIKey}}})
	wantStatus(t, r, http.StatusOK)

	mc := srv.MonterosaConfig()
	mt, err := mc.TokenSource.Token()
	if err != nil || mc.BaseURL != srv.URL {
		t.Fatalf("monterosa config %+v %v", mc, err)
	}
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer(mt.AccessToken)}), http.StatusOK)

	ic := srv.InfluenceIOConfig()
	r = do(t, srv, call{method: http.MethodGet, path: strings.TrimPrefix(ic.BaseURL+contract.InfluenceIOPathCustomers, srv.URL),
		header: http.Header{contract.InfluenceIOHeaderAPIKey: {ic.APIKey}}})
	wantStatus(t, r, http.StatusOK)
	if _, err := loyalty.NewClient(loyalty.WithInfluenceIO(srv.InfluenceIOConfig())); err != nil {
		t.Fatal(err)
	}
	if c := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient()).Client(); c == nil {
		t.Fatal("nil Influence.io Client")
	}

	defer func() {
		if recover() == nil {
			t.Fatal("two commerce platforms did not panic")
		}
	}()
	srv.Client(loyalty.WithInfluenceIO(srv.InfluenceIOConfig()))
}

// TestMountedPlatformsWebhooks checks that the server wires each platform's
// webhook emission and credential options to its delivery queue.
func TestMountedPlatformsWebhooks(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOAPIKey("ikey"))
	rc := newReceiver(t)
	srv.InfluenceIO().RegisterWebhook(contract.InfluenceIOTopicCustomersUpdated, rc.URL+"/hook?token=tok")
	ih := http.Header{contract.InfluenceIOHeaderAPIKey: {"wrong"}}
	r := do(t, srv, call{method: http.MethodPut, path: contract.InfluenceIOCustomerPath("c-1"), header: ih, body: map[string]any{"email": "a@b.c"}})
	wantStatus(t, r, http.StatusUnauthorized)
	ih.Set(contract.InfluenceIOHeaderAPIKey, "ikey")
	r = do(t, srv, call{method: http.MethodPut, path: contract.InfluenceIOCustomerPath("c-1"), header: ih, body: map[string]any{"email": "a@b.c"}})
	wantStatus(t, r, http.StatusOK)
	r = do(t, srv, call{method: http.MethodGet, path: "/v1/nope", header: ih})
	wantStatus(t, r, http.StatusNotFound)
	if r.obj(t)["message"] == nil {
		t.Fatalf("influence.io 404 body %s", r.body)
	}
	waitHooks(t, srv)
	if rc.count() != 1 {
		t.Fatalf("%d influence.io webhooks", rc.count())
	}
	h, body := rc.hdr[0], rc.body[0]
	if h.Get(contract.InfluenceIOHeaderTopic) != contract.InfluenceIOTopicCustomersUpdated || h.Get(contract.InfluenceIOHeaderWebhookID) == "" ||
		h.Get("X-Webhook-Signature") != "" || !json.Valid(body) || rc.url[0] != "/hook?token=tok" {
		t.Fatalf("influence.io webhook %v %s", h, rc.url[0])
	}
	if d := srv.WebhookDeliveries(); len(d) != 1 || d[0].Platform != loyaltytest.InfluenceIO || !d[0].Delivered {
		t.Fatalf("deliveries %+v", d)
	}

	yrc := newReceiver(t)
	srv.Yotpo().SetWebhook(yrc.URL, "Bearer yauth")
	r = do(t, srv, call{method: http.MethodPost, path: contract.YotpoBasePath + contract.YotpoPathCustomers, header: yotpoAuth, body: map[string]any{"email": "a@b.c"}})
	wantStatus(t, r, http.StatusOK)
	waitHooks(t, srv)
	if yrc.count() == 0 || yrc.hdr[0].Get(contract.YotpoWebhookAuthHeader) != "Bearer yauth" {
		t.Fatalf("yotpo webhooks %d %v", yrc.count(), yrc.hdr)
	}
}

// TestUnspecifiedListenerURL checks that a listener on all interfaces gives
// a URL that can be dialed (127.0.0.1 and the real port), not http://[::]:port.
func TestUnspecifiedListenerURL(t *testing.T) {
	l, err := net.Listen("tcp", ":0")
	if err != nil {
		t.Fatal(err)
	}
	srv := loyaltytest.New(t, loyaltytest.WithListener(l))
	want := "http://127.0.0.1:" + fmt.Sprint(l.Addr().(*net.TCPAddr).Port)
	if srv.URL != want || srv.YotpoConfig().BaseURL != want+contract.YotpoBasePath {
		t.Fatalf("URL %q, Yotpo %q; want %q", srv.URL, srv.YotpoConfig().BaseURL, want)
	}
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth}), http.StatusOK)
}
