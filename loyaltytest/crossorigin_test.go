package loyaltytest_test

import (
	"io"
	"net"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/loyaltytest"
)

// adminRaw sends one admin API request with exactly the headers given (no
// Content-Type is added) and returns the status and body.
func adminRaw(t *testing.T, srv *loyaltytest.Server, method, path, body string, h http.Header) (int, string) {
	t.Helper()
	return adminAt(t, srv, "", method, path, body, h)
}

// adminAt is adminRaw with the request's Host set to host (dialing the
// fake's own address all the same), as a browser sends it after a DNS
// name resolved to the fake; "" keeps the URL's.
func adminAt(t *testing.T, srv *loyaltytest.Server, host, method, path, body string, h http.Header) (int, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.URL+loyaltytest.AdminPath+path, r)
	if err != nil {
		t.Fatal(err)
	}
	req.Header = h
	if host != "" {
		req.Host = host
	}
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	if resp.Header.Get("Access-Control-Allow-Origin") != "" {
		t.Errorf("%s %s: the fake grants CORS: %v", method, path, resp.Header)
	}
	return resp.StatusCode, string(b)
}

// adminState is everything the admin API can change, as it reads it.
func adminState(t *testing.T, srv *loyaltytest.Server) string {
	t.Helper()
	var b strings.Builder
	for _, p := range []string{"/yotpo", "/influenceio", "/qualifio", "/monterosa", "/faults", "/ratelimit", "/webhooks/deliveries"} {
		status, body := adminRaw(t, srv, http.MethodGet, p, "", nil)
		if status != http.StatusOK {
			t.Fatalf("GET %s: %d %s", p, status, body)
		}
		b.WriteString(body)
	}
	return b.String()
}

const evilHook = "https://evil.example/hook"

// TestAdminRefusesCrossSiteRequests sends the admin API's state-changing
// requests as a page of another site would (and as no program does) and
// checks that each is refused and changed nothing: no reset, no seed, no
// fault, no rate-limit switch, no webhook target (a Yotpo event afterwards
// goes nowhere).
func TestAdminRefusesCrossSiteRequests(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	earnOnYotpo(t, srv, "ana@example.com", 10000) // a customer a reset would remove
	srv.InjectFault(loyaltytest.Fault{Path: "/nowhere", Status: 500})
	before := adminState(t, srv)

	json := func(h http.Header) http.Header {
		h = h.Clone()
		h.Set("Content-Type", "application/json")
		return h
	}
	crossSite := http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}
	requests := []struct{ method, path, body string }{
		{http.MethodPost, "/reset", ""},
		{http.MethodPost, "/yotpo/webhooks", `{"url": "` + evilHook + `"}`},
		{http.MethodPost, "/influenceio/webhooks", `{"url": "` + evilHook + `", "topic": "customers/updated"}`},
		{http.MethodPost, "/qualifio/webhooks", `{"url": "` + evilHook + `"}`},
		{http.MethodPost, "/seed", `{"yotpo": {"campaigns": [{"type": "SpendBasedCampaign", "title": "evil", "rewardPoints": 100}]}}`},
		{http.MethodPost, "/faults", `{"path": "/api/v2/orders", "status": 503}`},
		{http.MethodDelete, "/faults", ""},
		{http.MethodPut, "/ratelimit", `{"enabled": true}`},
		{http.MethodDelete, "/requests", ""},
	}
	for _, c := range []struct {
		name   string
		header http.Header
		status int
	}{
		{"the report: text/plain, cross-site", http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}, "Content-Type": {"text/plain"}}, http.StatusForbidden},
		{"cross-site with a JSON type", json(crossSite), http.StatusForbidden},
		{"Sec-Fetch-Site cross-site alone", json(http.Header{"Sec-Fetch-Site": {"cross-site"}}), http.StatusForbidden},
		{"Sec-Fetch-Site same-site", json(http.Header{"Sec-Fetch-Site": {"same-site"}}), http.StatusForbidden},
		{"another origin alone", json(http.Header{"Origin": {"https://evil.example"}}), http.StatusForbidden},
		{"same-origin claimed, another origin", json(http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"same-origin"}}), http.StatusForbidden},
		{"Origin null", json(http.Header{"Origin": {"null"}}), http.StatusForbidden},
		{"the fake's host on another port", json(http.Header{"Origin": {strings.TrimSuffix(srv.URL, srv.URL[strings.LastIndex(srv.URL, ":"):]) + ":1"}}), http.StatusForbidden},
		{"a form body, no browser header", http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}, http.StatusUnsupportedMediaType},
		{"text/plain, no browser header", http.Header{"Content-Type": {"text/plain"}}, http.StatusUnsupportedMediaType},
		{"multipart, no browser header", http.Header{"Content-Type": {"multipart/form-data; boundary=x"}}, http.StatusUnsupportedMediaType},
	} {
		for _, r := range requests {
			status, body := adminRaw(t, srv, r.method, r.path, r.body, c.header)
			if status != c.status || !strings.Contains(body, `"error"`) {
				t.Errorf("%s: %s %s: %d %s; want %d", c.name, r.method, r.path, status, body, c.status)
			}
		}
	}
	// A JSON body needs its type: sent without one it is refused too.
	if status, body := adminRaw(t, srv, http.MethodPost, "/seed", `{}`, nil); status != http.StatusUnsupportedMediaType {
		t.Errorf("a body with no Content-Type: %d %s", status, body)
	}
	if after := adminState(t, srv); after != before {
		t.Fatalf("refused requests changed the state:\nbefore %s\nafter  %s", before, after)
	}
	if srv.RateLimited() {
		t.Fatal("a refused request switched the rate limit on")
	}
	earnOnYotpo(t, srv, "bo@example.com", 100) // swell/account/created: to a registered target, if any
	for _, d := range srv.WebhookDeliveries() {
		if strings.Contains(d.URL, "evil.example") {
			t.Fatalf("a refused request registered a webhook target: %+v", d)
		}
	}
}

// TestAdminAcceptsItsOwnPagesAndPrograms checks what stays allowed: programs
// (no Origin, no Sec-Fetch-Site, as Go's net/http and curl send), a page of
// the fake itself (same-origin, or its own Origin), a request the user
// typed (Sec-Fetch-Site: none), a POST with no body and no type
// (curl -X POST), and reads from anywhere.
func TestAdminAcceptsItsOwnPagesAndPrograms(t *testing.T) {
	srv := loyaltytest.New(t)
	own := srv.URL
	jsonType := http.Header{"Content-Type": {"application/json; charset=utf-8"}}
	for _, c := range []struct {
		name   string
		header http.Header
	}{
		{"a program", jsonType},
		{"the fake's own page", http.Header{"Content-Type": {"application/json"}, "Origin": {own}, "Sec-Fetch-Site": {"same-origin"}}},
		{"its own Origin alone", http.Header{"Content-Type": {"application/json"}, "Origin": {own}}},
		{"typed by the user", http.Header{"Content-Type": {"application/json"}, "Sec-Fetch-Site": {"none"}}},
	} {
		if status, body := adminRaw(t, srv, http.MethodPost, "/faults", `{"path": "/nowhere", "status": 500}`, c.header); status != http.StatusCreated {
			t.Errorf("%s: POST /faults: %d %s", c.name, status, body)
		}
		if status, body := adminRaw(t, srv, http.MethodPut, "/ratelimit", `{"enabled": false}`, c.header); status != http.StatusOK {
			t.Errorf("%s: PUT /ratelimit: %d %s", c.name, status, body)
		}
	}
	if n := len(srv.Faults()); n != 4 {
		t.Fatalf("%d faults injected, want 4", n)
	}
	if status, body := adminRaw(t, srv, http.MethodDelete, "/faults", "", nil); status != http.StatusOK || len(srv.Faults()) != 0 {
		t.Fatalf("DELETE /faults with no body and no type: %d %s", status, body)
	}
	if status, body := adminRaw(t, srv, http.MethodPost, "/yotpo/webhooks", `{"url": "https://merchant.example/hook"}`, jsonType); status != http.StatusCreated {
		t.Fatalf("a program registering a webhook target: %d %s", status, body)
	}
	earnOnYotpo(t, srv, "ana@example.com", 100)
	if ds := srv.WebhookDeliveries(); len(ds) == 0 || !strings.Contains(ds[0].URL, "merchant.example") {
		t.Fatalf("the registered target got no delivery: %+v", ds)
	}
	if status, body := adminRaw(t, srv, http.MethodPost, "/reset", "", nil); status != http.StatusOK {
		t.Fatalf("POST /reset with no body and no type: %d %s", status, body)
	}
	// Reads are allowed from anywhere: they change nothing, and without CORS
	// headers (adminRaw checks) another site cannot read the answer.
	if status, body := adminRaw(t, srv, http.MethodGet, "/faults", "", http.Header{"Origin": {"https://evil.example"}, "Sec-Fetch-Site": {"cross-site"}}); status != http.StatusOK {
		t.Fatalf("a cross-site GET: %d %s", status, body)
	}
}

// TestAdminRefusesDNSRebinding sends admin requests as a page at
// evil.example:PORT would once evil.example resolves to the fake's
// loopback address: same-origin with itself, so its Origin matches its
// Host. The fake answers only to its address, so both the change and the
// read of the request log are refused; localhost and loopback IP literals
// still pass.
func TestAdminRefusesDNSRebinding(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	earnOnYotpo(t, srv, "ana@example.com", 10000)
	before := adminState(t, srv)
	u, err := url.Parse(srv.URL)
	if err != nil {
		t.Fatal(err)
	}
	port := u.Port()
	for _, host := range []string{"evil.example:" + port, "evil.example", "localhost.evil.example:" + port, "192.0.2.1:" + port} {
		page := http.Header{"Origin": {"http://" + host}, "Sec-Fetch-Site": {"same-origin"}}
		post := page.Clone()
		post.Set("Content-Type", "application/json")
		if status, body := adminAt(t, srv, host, http.MethodPost, "/reset", "", post); status != http.StatusForbidden || !strings.Contains(body, `"error"`) {
			t.Errorf("Host %s: POST /reset: %d %s; want 403", host, status, body)
		}
		if status, body := adminAt(t, srv, host, http.MethodGet, "/requests", "", page); status != http.StatusForbidden || strings.Contains(body, "ana@example.com") {
			t.Errorf("Host %s: GET /requests: %d %s; want 403", host, status, body)
		}
		if status, body := adminAt(t, srv, host, http.MethodGet, "/requests", "", nil); status != http.StatusForbidden {
			t.Errorf("Host %s: GET /requests from a program: %d %s; want 403", host, status, body)
		}
	}
	if after := adminState(t, srv); after != before {
		t.Fatalf("a refused request changed the state:\nbefore %s\nafter  %s", before, after)
	}
	for _, host := range []string{"localhost:" + port, "LocalHost:1", "localhost", "127.0.0.1:" + port, "127.0.0.2:" + port, "[::1]:" + port} {
		own := http.Header{"Origin": {"http://" + host}, "Content-Type": {"application/json"}}
		if status, body := adminAt(t, srv, host, http.MethodGet, "/requests", "", nil); status != http.StatusOK {
			t.Errorf("Host %s: GET /requests: %d %s", host, status, body)
		}
		if status, body := adminAt(t, srv, host, http.MethodPut, "/ratelimit", `{"enabled": false}`, own); status != http.StatusOK {
			t.Errorf("Host %s: PUT /ratelimit with its own Origin: %d %s", host, status, body)
		}
	}
}

// TestAdminOnAnUnspecifiedAddressAnswersAnyIP checks the rule for a fake
// listening on 0.0.0.0 (cmd/loyaltyfake -addr :8080): reached from another
// machine by one of this machine's IPs, it answers to that IP literal, but
// still not to a DNS name other than localhost. A fake on a loopback
// address answers to no other IP.
func TestAdminOnAnUnspecifiedAddressAnswersAnyIP(t *testing.T) {
	l, err := net.Listen("tcp", "0.0.0.0:0")
	if err != nil {
		t.Skipf("cannot listen on 0.0.0.0: %v", err)
	}
	srv := loyaltytest.New(t, loyaltytest.WithListener(l))
	port := strconv.Itoa(l.Addr().(*net.TCPAddr).Port)
	for host, want := range map[string]int{
		"192.0.2.1:" + port:          http.StatusOK,
		"[2001:db8::1]:" + port:      http.StatusOK,
		"localhost:" + port:          http.StatusOK,
		"evil.example:" + port:       http.StatusForbidden,
		"fake.internal.example:8080": http.StatusForbidden,
	} {
		if status, body := adminAt(t, srv, host, http.MethodGet, "/faults", "", nil); status != want {
			t.Errorf("Host %s: GET /faults: %d %s; want %d", host, status, body, want)
		}
	}
	loopback := loyaltytest.New(t)
	if status, body := adminAt(t, loopback, "192.0.2.1:1", http.MethodGet, "/faults", "", nil); status != http.StatusForbidden {
		t.Errorf("a loopback fake, Host 192.0.2.1: GET /faults: %d %s; want 403", status, body)
	}
}
