package loyaltytest

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"net/http"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/influenceiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/monterosafake"
	"github.com/loyalty-go/loyalty/loyaltytest/qualifiofake"
	"github.com/loyalty-go/loyalty/loyaltytest/yotpofake"
)

// DashboardPath is where the dashboard of WithDashboard is served: a page
// to watch the fake while a test or a manual run talks to it (each
// platform's state, the live request log, webhook deliveries) and to
// break it on purpose (faults, the rate limit, a seed, reset). It is
// server-rendered, with a little script that refreshes its parts and
// sends its actions to the admin API (AdminPath), whose protections
// against other sites' pages apply to them; the page itself is refused to
// a Host that is not an address, as the admin API is. No platform path
// starts with it, and its requests are not recorded.
const DashboardPath = "/_fake/"

// WithDashboard serves the dashboard at DashboardPath (cmd/loyaltyfake
// does by default). Without it, that path is answered as an unknown
// platform route (404).
func WithDashboard() Option { return func(c *config) { c.dashboard = true } }

// isDashboardPath reports whether p is the dashboard's (the admin API,
// below it, is matched first).
func isDashboardPath(p string) bool {
	return p == strings.TrimSuffix(DashboardPath, "/") || strings.HasPrefix(p, DashboardPath)
}

//go:embed dashboard
var dashboardFiles embed.FS

var dashboardTemplates = template.Must(template.New("").Funcs(template.FuncMap{
	"clock": func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format("15:04:05.000")
	},
	"ms": func(d time.Duration) string {
		if d == 0 {
			return "…"
		}
		prec := 1
		if d < time.Millisecond {
			prec = 2
		}
		return strconv.FormatFloat(float64(d)/float64(time.Millisecond), 'f', prec, 64) + " ms"
	},
	"statusClass": func(status int) string {
		switch {
		case status == 0:
			return "st-none"
		case status < 300:
			return "st-ok"
		case status < 500:
			return "st-client"
		}
		return "st-server"
	},
	"join": strings.Join,
	"cents": func(c int64) string {
		sign := ""
		if c < 0 {
			sign, c = "-", -c
		}
		return sign + strconv.FormatInt(c/100, 10) + "." + strconv.FormatInt(c%100+100, 10)[1:]
	},
}).ParseFS(dashboardFiles, "dashboard/*.html"))

// newDashboard is the dashboard's handler (GET and HEAD only: its
// actions go to the admin API).
func (s *Server) newDashboard() http.Handler {
	assets, _ := fs.Sub(dashboardFiles, "dashboard/assets")
	files := http.StripPrefix(DashboardPath+"assets/", http.FileServer(http.FS(assets)))
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Method != http.MethodGet && r.Method != http.MethodHead {
			w.Header().Set("Allow", "GET, HEAD")
			http.Error(w, "the dashboard only shows; its actions go to "+AdminPath, http.StatusMethodNotAllowed)
			return
		}
		h := w.Header()
		// The page takes actions: no other site may frame it or run script in it.
		h.Set("Content-Security-Policy", "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'none'; frame-ancestors 'none'; base-uri 'none'")
		h.Set("X-Frame-Options", "DENY")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Referrer-Policy", "no-referrer")
		h.Set("Cache-Control", "no-store")
		rest := strings.TrimPrefix(r.URL.Path, DashboardPath)
		switch {
		case r.URL.Path == strings.TrimSuffix(DashboardPath, "/"):
			http.Redirect(w, r, DashboardPath, http.StatusFound)
		case rest == "":
			s.renderDashboard(w, "page", s.dashboardView(r, ""))
		case strings.HasPrefix(rest, "assets/"):
			files.ServeHTTP(w, r)
		case strings.HasPrefix(rest, "part/"):
			name := strings.TrimPrefix(rest, "part/")
			if !slices.Contains([]string{"state", "requests", "webhooks", "controls"}, name) {
				http.NotFound(w, r)
				return
			}
			s.renderDashboard(w, name, s.dashboardView(r, name))
		default:
			http.NotFound(w, r)
		}
	})
}

func (s *Server) renderDashboard(w http.ResponseWriter, name string, v dashboardView) {
	var b bytes.Buffer
	if err := dashboardTemplates.ExecuteTemplate(&b, name, v); err != nil {
		http.Error(w, "dashboard: "+err.Error(), http.StatusInternalServerError)
		return
	}
	w.Header().Set("Content-Type", "text/html; charset=utf-8")
	_, _ = w.Write(b.Bytes())
}

// dashboardView is what the templates show.
type dashboardView struct {
	AdminPath, DashboardPath string
	Filter                   requestFilter
	Platforms                []string

	Yotpo          []yotpofake.CustomerState
	YotpoOrders    []yotpofake.OrderState
	YotpoPending   []yotpofake.PendingRefund
	YotpoRedeemed  []yotpofake.RedemptionState
	Influence      []influenceiofake.CustomerState
	InfluenceOrder []influenceiofake.OrderState
	Products       []influenceiofake.ProductState
	Members        []qualifiofake.MemberState
	Profiles       []monterosafake.ProfileState

	Requests      []dashboardRequest
	RequestsTotal int
	Deliveries    []deliveryJSON
	Faults        []faultJSON
	RateLimited   bool
}

// dashboardRequest is a request log line as the dashboard shows it.
type dashboardRequest struct {
	RecordedRequest
	Target  string // path and redacted query
	Headers []string
	Body    string
}

// requestFilter narrows the request log: each field empty matches all.
type requestFilter struct {
	Platform, Method, Status, Route string
	Faulted                         bool
}

func (f requestFilter) match(rr RecordedRequest) bool {
	switch {
	case f.Platform != "" && string(rr.Platform) != f.Platform,
		f.Method != "" && rr.Method != f.Method,
		f.Route != "" && !strings.Contains(rr.Route, f.Route) && !strings.Contains(rr.RequestID, f.Route),
		f.Faulted && rr.Fault == "":
		return false
	}
	switch f.Status {
	case "":
	case "none":
		return rr.Status == 0
	default: // "2xx", "4xx", ...
		return len(f.Status) == 3 && rr.Status/100 == int(f.Status[0]-'0')
	}
	return true
}

// dashboardShown is how many of the newest matching requests the log
// shows, and dashboardBody how much of a body.
const (
	dashboardShown = 200
	dashboardBody  = 16 << 10
)

// dashboardView gathers what part shows ("" for the whole page).
func (s *Server) dashboardView(r *http.Request, part string) dashboardView {
	q := r.URL.Query()
	v := dashboardView{
		AdminPath: AdminPath, DashboardPath: DashboardPath, Platforms: adminPlatforms,
		Filter: requestFilter{
			Platform: q.Get("platform"), Method: strings.ToUpper(q.Get("method")),
			Status: q.Get("status"), Route: q.Get("q"), Faulted: q.Get("faulted") != "",
		},
		RateLimited: s.RateLimited(),
	}
	if part == "" || part == "state" {
		y, inf, ql, m := s.Yotpo(), s.InfluenceIO(), s.Qualifio(), s.Monterosa()
		v.Yotpo, v.YotpoOrders, v.YotpoPending, v.YotpoRedeemed = y.Customers(), y.Orders(), y.PendingRefunds(), y.Redemptions()
		v.Influence, v.InfluenceOrder, v.Products = inf.Customers(), inf.Orders(), inf.Products()
		v.Members, v.Profiles = ql.Members(), m.Profiles()
	}
	if part == "" || part == "requests" {
		all := s.Requests()
		v.RequestsTotal = len(all)
		for i := len(all) - 1; i >= 0 && len(v.Requests) < dashboardShown; i-- {
			if rr := all[i]; v.Filter.match(rr) {
				v.Requests = append(v.Requests, dashboardLine(rr))
			}
		}
	}
	if part == "" || part == "webhooks" {
		ds := s.WebhookDeliveries()
		for i := len(ds) - 1; i >= 0; i-- {
			v.Deliveries = append(v.Deliveries, s.deliveryOut(ds[i]))
		}
	}
	if part == "" || part == "controls" {
		for _, p := range s.Faults() {
			v.Faults = append(v.Faults, faultOut(p))
		}
	}
	return v
}

// dashboardCredentials are credential names that the request log's
// name-based redaction does not catch (Yotpo's GUID goes with its key):
// the dashboard never shows a credential.
var dashboardCredentials = []string{contract.YotpoHeaderGUID, contract.YotpoQueryGUID}

func dashboardLine(rr RecordedRequest) dashboardRequest {
	d := dashboardRequest{RecordedRequest: rr, Target: rr.Path}
	q := rr.Query
	for k := range q {
		for _, c := range dashboardCredentials {
			if strings.EqualFold(k, c) {
				q[k] = []string{Redacted}
			}
		}
	}
	if len(q) > 0 {
		d.Target += "?" + q.Encode()
	}
	names := make([]string, 0, len(rr.Header))
	for k := range rr.Header {
		names = append(names, k)
	}
	slices.Sort(names)
	for _, k := range names {
		vs := rr.Header[k]
		for _, c := range dashboardCredentials {
			if strings.EqualFold(k, c) {
				vs = []string{Redacted}
			}
		}
		d.Headers = append(d.Headers, k+": "+strings.Join(vs, ", "))
	}
	body := rr.Body
	if len(body) > dashboardBody {
		body = append(body[:dashboardBody:dashboardBody], "… (cut)"...)
	}
	d.Body = string(body)
	return d
}
