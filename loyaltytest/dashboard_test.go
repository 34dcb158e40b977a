package loyaltytest_test

import (
	"context"
	"io"
	"net/http"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// get fetches a dashboard path and returns status, headers and body.
func dashboardGet(t *testing.T, srv *loyaltytest.Server, path string) (int, http.Header, string) {
	t.Helper()
	resp, err := srv.HTTPClient().Get(srv.URL + path)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, resp.Header, string(b)
}

// TestDashboardShowsState checks that the page shows each platform's
// state, the request log and the controls, from server-rendered HTML.
func TestDashboardShowsState(t *testing.T) {
	ctx := context.Background()
	srv := loyaltytest.New(t, loyaltytest.WithDashboard(), loyaltytest.WithDemoData())
	c := srv.Client()
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{Email: "ana@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Customers.AdjustPoints(ctx, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 42, HistoryTitle: "Welcome gift"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "bo@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := c.Rewards.ForUser("fan-7").ReportAction(ctx, loyalty.RewardsAction{Name: "vote"}); err != nil {
		t.Fatal(err)
	}
	srv.InjectFault(loyaltytest.Fault{Route: "/api/v2/orders", AfterApply: true, Status: 504})

	status, h, page := dashboardGet(t, srv, "/_fake/")
	if status != http.StatusOK || !strings.HasPrefix(h.Get("Content-Type"), "text/html") {
		t.Fatalf("GET /_fake/: %d %s", status, h.Get("Content-Type"))
	}
	if csp := h.Get("Content-Security-Policy"); !strings.Contains(csp, "frame-ancestors 'none'") || !strings.Contains(csp, "script-src 'self'") {
		t.Errorf("CSP %q", csp)
	}
	for _, want := range []string{
		"ana@example.com", ">42<", "Welcome gift", // Yotpo customer, balance, ledger
		"bo@example.com",  // Qualifio member
		"fan-7", "m-vote", // Monterosa profile... (mission ids are not shown; the count is)
		"/api/v2/points/adjust", "/api/management/members", // the request log's routes
		"after apply", "504", // the waiting fault
		"/_fake/assets/app.js",
	} {
		if want == "m-vote" {
			want = "welcome: 1 missions"
		}
		if !strings.Contains(page, want) {
			t.Errorf("the page lacks %q", want)
		}
	}
	// The parts the script refreshes, with the request log's filters.
	_, _, part := dashboardGet(t, srv, "/_fake/part/requests?platform=qualifio")
	if !strings.Contains(part, "/api/management/members") || strings.Contains(part, "/api/v2/points/adjust") {
		t.Errorf("platform filter: %s", part)
	}
	_, _, part = dashboardGet(t, srv, "/_fake/part/requests?q=/points/adjust&status=2xx")
	if !strings.Contains(part, "/api/v2/points/adjust") || strings.Contains(part, "/api/management/members") {
		t.Errorf("route filter: %s", part)
	}
	if status, _, _ := dashboardGet(t, srv, "/_fake/part/nothing"); status != http.StatusNotFound {
		t.Errorf("unknown part: %d", status)
	}
	if status, h, js := dashboardGet(t, srv, "/_fake/assets/app.js"); status != http.StatusOK || !strings.Contains(h.Get("Content-Type"), "javascript") || !strings.Contains(js, "refreshAll") {
		t.Errorf("app.js: %d %s", status, h.Get("Content-Type"))
	}
	// The dashboard's own requests are not in the request log.
	for _, rr := range srv.Requests() {
		if strings.HasPrefix(rr.Path, "/_fake") {
			t.Errorf("dashboard request recorded: %s", rr.Path)
		}
	}
}

// TestDashboardEscapes checks that values from requests are escaped:
// a customer e-mail holding a script tag shows as text.
func TestDashboardEscapes(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithDashboard())
	evil := `<script>alert("x")</script>@example.com`
	r := do(t, srv, call{method: http.MethodPost, path: "/api/v2/customers",
		header: http.Header{"X-Guid": {"g"}, "X-Api-Key": {"k"}, "Content-Type": {"application/json"}},
		body:   `{"email": "` + strings.ReplaceAll(evil, `"`, `\"`) + `"}`}) // raw, so that the request log holds the tag too
	if r.status != http.StatusOK {
		t.Fatalf("create: %d %s", r.status, r.body)
	}
	if len(srv.Yotpo().Customers()) != 1 {
		t.Fatal("no customer")
	}
	for _, path := range []string{"/_fake/", "/_fake/part/state", "/_fake/part/requests"} {
		_, _, page := dashboardGet(t, srv, path)
		if strings.Contains(page, "<script>alert") {
			t.Errorf("%s: the e-mail is not escaped", path)
		}
		if !strings.Contains(page, "&lt;script&gt;alert(") {
			t.Errorf("%s: the escaped e-mail is missing", path)
		}
	}
}

// TestDashboardNeverShowsCredentials checks the request log on the page:
// the platforms' credentials are redacted, Yotpo's GUID included.
func TestDashboardNeverShowsCredentials(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithDashboard(), loyaltytest.WithYotpoCredentials("guid-SECRET1", "key-SECRET2"))
	if _, _, err := srv.Client().Customers.Get(context.Background(), loyalty.ByEmail("a@example.com"), nil); err == nil {
		t.Fatal("want a 404")
	}
	// And by query, which Yotpo also takes.
	do(t, srv, call{method: http.MethodGet, path: "/api/v2/customers?customer_email=a@example.com&guid=guid-SECRET1&api_key=key-SECRET2"})
	_, _, page := dashboardGet(t, srv, "/_fake/part/requests")
	if strings.Contains(page, "SECRET") {
		t.Fatalf("a credential shows on the dashboard:\n%s", page)
	}
	if !strings.Contains(page, "REDACTED") {
		t.Fatal("nothing redacted")
	}
}

// TestDashboardProtections checks that the dashboard is opt-in, answers
// only GET, refuses a Host that is a DNS name (DNS rebinding), and that
// its actions, sent to the admin API, are refused from another site.
func TestDashboardProtections(t *testing.T) {
	off := loyaltytest.New(t)
	if status, _, _ := dashboardGet(t, off, "/_fake/"); status != http.StatusNotFound {
		t.Errorf("without WithDashboard: %d, want 404", status)
	}
	srv := loyaltytest.New(t, loyaltytest.WithDashboard())
	req, _ := http.NewRequest(http.MethodPost, srv.URL+"/_fake/", nil)
	resp, err := srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusMethodNotAllowed {
		t.Errorf("POST /_fake/: %d", resp.StatusCode)
	}
	req, _ = http.NewRequest(http.MethodGet, srv.URL+"/_fake/", nil)
	req.Host = "evil.example"
	resp, err = srv.HTTPClient().Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusForbidden {
		t.Errorf("GET with Host evil.example: %d, want 403", resp.StatusCode)
	}
	// The dashboard's reset, as a page of another site would send it.
	srv.InjectFault(loyaltytest.Fault{Path: "/nowhere", Status: 500})
	for _, hdr := range []http.Header{
		{"Origin": {"http://evil.example"}, "Content-Type": {"application/json"}},
		{"Sec-Fetch-Site": {"cross-site"}, "Content-Type": {"application/json"}},
		{"Content-Type": {"text/plain"}},
	} {
		r := do(t, srv, call{method: http.MethodPost, path: loyaltytest.AdminPath + "/reset", header: hdr, body: "{}"})
		if r.status != http.StatusForbidden && r.status != http.StatusUnsupportedMediaType {
			t.Errorf("reset with %v: %d", hdr, r.status)
		}
	}
	if len(srv.Faults()) != 1 {
		t.Fatal("a cross-site reset went through")
	}
	// The same from the page itself passes.
	r := do(t, srv, call{method: http.MethodPost, path: loyaltytest.AdminPath + "/reset",
		header: http.Header{"Origin": {srv.URL}, "Sec-Fetch-Site": {"same-origin"}, "Content-Type": {"application/json"}}, body: "{}"})
	if r.status != http.StatusOK || len(srv.Faults()) != 0 {
		t.Fatalf("same-origin reset: %d %s", r.status, r.body)
	}
}
