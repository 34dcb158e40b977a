package loyaltytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"path"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"
)

// AdminPath is the root of the admin API, the fake's own HTTP API for tests
// in any language and for a dashboard: read each platform's state, load a
// seed, reset, script faults, switch the rate limit, register webhook
// targets, list and re-send webhook deliveries and read the request log.
// No platform path starts with it, requests to it are neither recorded nor
// faulted nor rate limited, and it needs no credentials (the fake serves
// tests, on loopback by default).
//
// Every answer is JSON. A list is {"items": [...]}, oldest or by id; an
// error is {"error": "<message>"} with 400 (a body that is not valid JSON
// for the route, unknown fields included, or a value out of range), 404
// (an unknown platform, resource or id), 405 (a method the route does not
// serve, with Allow), 413 or 415. Bodies are JSON, sent with Content-Type:
// application/json, up to MaxSeedBytes. Requests that change state from a
// page of another site are refused (403), and so is any request whose Host
// is a DNS name other than localhost (DNS rebinding): see sameOriginOnly;
// programs, and pages the fake serves itself, are not. Routes, below
// AdminPath:
//
//	GET    /                                     the routes and platforms
//	GET    /{platform}                           the platform's state: every list below, in one object
//	GET    /yotpo/{customers|orders|redemptions|campaigns|redemption-options|vip-tiers|pending-refunds}
//	POST   /yotpo/refunds/process                apply the pending refunds (WithYotpoAsyncRefunds): {"processed": n}
//	GET    /influenceio/{customers|orders|products|rewards|earn-rules|tiers}
//	GET    /qualifio/{members|mapped-events}     members with balances and levels; integration ids with bodies received
//	GET    /qualifio/earning-rule                the rule in force (an object)
//	GET    /monterosa/{profiles|coupons}         profiles with metrics, inventory and challenge progress
//	GET    /monterosa/space                      the space configuration (an object)
//	POST   /{platform}/webhooks                  register a webhook target (yotpo, qualifio, influenceio)
//	POST   /seed                                 load a Seed (its JSON form)
//	POST   /reset                                Server.Reset
//	GET    /faults                               waiting faults; POST one to inject it (201); DELETE clears them
//	GET    /faults/{id}                          one waiting fault; DELETE removes it
//	GET    /ratelimit                            {"enabled": bool}; PUT the same to switch Yotpo's rate limit
//	GET    /webhooks/deliveries                  deliveries with their attempts and answers
//	GET    /webhooks/deliveries/{id}             one delivery
//	POST   /webhooks/deliveries/{id}/redeliver   send it again as a new delivery (202)
//	GET    /requests                             the request log, redacted (?platform= filters); DELETE clears it
//
// A fault is {"method", "path", "route", "times", "status", "retryAfter",
// "delay", "drop", "afterApply"} with the meaning of Fault's fields,
// durations as Go duration strings ("1.5s"). A recorded request also has
// "route", "requestId", "status" (0: no answer), "duration" and "fault". Secrets in webhook URLs and headers are redacted in
// what the admin API answers, as in the request log.
const AdminPath = "/_fake/api"

// isAdminPath reports whether p is the admin API's.
func isAdminPath(p string) bool { return p == AdminPath || strings.HasPrefix(p, AdminPath+"/") }

// adminHandler serves one method of an admin route.
type adminHandler func(w http.ResponseWriter, r *http.Request)

// adminError is the body of every admin API error.
type adminError struct {
	Error string `json:"error"`
}

func writeAdmin(w http.ResponseWriter, status int, v any) {
	w.Header().Set("Content-Type", "application/json")
	w.Header().Set("Cache-Control", "no-store")
	w.WriteHeader(status)
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	_ = enc.Encode(v)
}

func adminFail(w http.ResponseWriter, status int, format string, args ...any) {
	writeAdmin(w, status, adminError{Error: fmt.Sprintf(format, args...)})
}

// items is the shape of every admin list.
type items[T any] struct {
	Items []T `json:"items"`
}

func list[T any](v []T) items[T] {
	if v == nil {
		v = []T{}
	}
	return items[T]{Items: v}
}

// adminPlatforms are the platforms the admin API names, in path form.
var adminPlatforms = []string{string(Qualifio), string(Yotpo), string(InfluenceIO), string(Monterosa)}

// serveAdmin routes an admin API request.
func (s *Server) serveAdmin(w http.ResponseWriter, r *http.Request) {
	rest := strings.Trim(strings.TrimPrefix(r.URL.Path, AdminPath), "/")
	var seg []string
	if rest != "" {
		seg = strings.Split(rest, "/")
	}
	methods, status, msg := s.adminRoute(seg)
	if methods == nil {
		adminFail(w, status, "%s", msg)
		return
	}
	h := methods[r.Method]
	if h == nil {
		allowed := make([]string, 0, len(methods))
		for m := range methods {
			allowed = append(allowed, m)
		}
		sort.Strings(allowed)
		w.Header().Set("Allow", strings.Join(allowed, ", "))
		adminFail(w, http.StatusMethodNotAllowed, "%s %s: method not allowed; use %s", r.Method, r.URL.Path, strings.Join(allowed, ", "))
		return
	}
	h(w, r)
}

// adminRoute returns the handlers of the route seg names, or the status and
// message of a 404.
func (s *Server) adminRoute(seg []string) (map[string]adminHandler, int, string) {
	get := func(f func() any) map[string]adminHandler {
		return map[string]adminHandler{http.MethodGet: func(w http.ResponseWriter, _ *http.Request) { writeAdmin(w, http.StatusOK, f()) }}
	}
	if len(seg) == 0 {
		return get(func() any { return adminIndex() }), 0, ""
	}
	switch seg[0] {
	case "seed":
		if len(seg) == 1 {
			return map[string]adminHandler{http.MethodPost: s.adminSeed}, 0, ""
		}
	case "reset":
		if len(seg) == 1 {
			return map[string]adminHandler{http.MethodPost: func(w http.ResponseWriter, _ *http.Request) {
				s.Reset()
				writeAdmin(w, http.StatusOK, map[string]string{"message": "reset to the state at start"})
			}}, 0, ""
		}
	case "faults":
		return s.adminFaults(seg[1:])
	case "ratelimit":
		if len(seg) == 1 {
			return map[string]adminHandler{
				http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
					writeAdmin(w, http.StatusOK, rateLimitJSON{Enabled: s.RateLimited()})
				},
				http.MethodPut: s.adminSetRateLimit,
			}, 0, ""
		}
	case "requests":
		if len(seg) == 1 {
			return map[string]adminHandler{
				http.MethodGet: s.adminRequests,
				http.MethodDelete: func(w http.ResponseWriter, _ *http.Request) {
					s.ResetRequests()
					writeAdmin(w, http.StatusOK, map[string]string{"message": "request log cleared"})
				},
			}, 0, ""
		}
	case "webhooks":
		return s.adminDeliveries(seg[1:])
	default:
		if !slices.Contains(adminPlatforms, seg[0]) {
			return nil, http.StatusNotFound, fmt.Sprintf("unknown platform or resource %q: platforms are %s", seg[0], strings.Join(adminPlatforms, ", "))
		}
		return s.adminPlatform(seg)
	}
	return nil, http.StatusNotFound, fmt.Sprintf("no admin route %s/%s", AdminPath, strings.Join(seg, "/"))
}

// adminIndex describes the API, for a person or a dashboard finding its way.
func adminIndex() any {
	return map[string]any{
		"platforms": adminPlatforms,
		"resources": map[string][]string{
			"qualifio":    qualifioResources,
			"yotpo":       yotpoResources,
			"influenceio": influenceResources,
			"monterosa":   monterosaResources,
		},
		"routes": []string{
			"GET /{platform}", "GET /{platform}/{resource}", "POST /{platform}/webhooks",
			"POST /yotpo/refunds/process", "POST /seed", "POST /reset", "GET|POST|DELETE /faults", "GET|DELETE /faults/{id}",
			"GET|PUT /ratelimit", "GET /webhooks/deliveries", "GET /webhooks/deliveries/{id}",
			"POST /webhooks/deliveries/{id}/redeliver", "GET|DELETE /requests",
		},
	}
}

var (
	yotpoResources     = []string{"customers", "orders", "redemptions", "campaigns", "redemption-options", "vip-tiers", "pending-refunds"}
	influenceResources = []string{"customers", "orders", "products", "rewards", "earn-rules", "tiers"}
	qualifioResources  = []string{"members", "mapped-events", "earning-rule"}
	monterosaResources = []string{"profiles", "coupons", "space"}
)

// platformState returns the resources of one platform by name.
func (s *Server) platformState(platform string) map[string]func() any {
	switch platform {
	case string(Yotpo):
		y := s.Yotpo()
		return map[string]func() any{
			"customers":          func() any { return list(y.Customers()) },
			"orders":             func() any { return list(y.Orders()) },
			"redemptions":        func() any { return list(y.Redemptions()) },
			"campaigns":          func() any { return list(y.Campaigns()) },
			"redemption-options": func() any { return list(y.RedemptionOptions()) },
			"vip-tiers":          func() any { return list(y.VIPTiers()) },
			"pending-refunds":    func() any { return list(y.PendingRefunds()) },
		}
	case string(InfluenceIO):
		f := s.InfluenceIO()
		return map[string]func() any{
			"customers":  func() any { return list(f.Customers()) },
			"orders":     func() any { return list(f.Orders()) },
			"products":   func() any { return list(f.Products()) },
			"rewards":    func() any { return list(f.Rewards()) },
			"earn-rules": func() any { return list(f.EarnRules()) },
			"tiers":      func() any { return list(f.Tiers()) },
		}
	case string(Qualifio):
		q := s.Qualifio()
		return map[string]func() any{
			"members":       func() any { return list(q.Members()) },
			"mapped-events": func() any { return list(s.qualifioMapped()) },
			"earning-rule":  func() any { return q.EarningRule() },
		}
	default:
		m := s.Monterosa()
		return map[string]func() any{
			"profiles": func() any { return list(m.Profiles()) },
			"coupons":  func() any { return list(m.Coupons()) },
			"space":    func() any { return m.Config() },
		}
	}
}

// mappedEventJSON is what the admin API shows of a Qualifio integration:
// its id and the bodies it received, not its secret.
type mappedEventJSON struct {
	ID       string            `json:"id"`
	Received []json.RawMessage `json:"received"`
}

func (s *Server) qualifioMapped() []mappedEventJSON {
	q := s.Qualifio()
	out := []mappedEventJSON{}
	for _, id := range q.MappedEventIDs() {
		m := mappedEventJSON{ID: id, Received: []json.RawMessage{}}
		for _, b := range q.MappedEvents(id) {
			if !json.Valid(b) {
				b, _ = json.Marshal(string(b)) // kept as text
			}
			m.Received = append(m.Received, json.RawMessage(b))
		}
		out = append(out, m)
	}
	return out
}

func (s *Server) adminPlatform(seg []string) (map[string]adminHandler, int, string) {
	platform := seg[0]
	if len(seg) == 2 && seg[1] == "webhooks" {
		if platform == string(Monterosa) {
			return nil, http.StatusNotFound, "monterosa sends no webhooks"
		}
		return map[string]adminHandler{http.MethodPost: func(w http.ResponseWriter, r *http.Request) { s.adminWebhookTarget(w, r, platform) }}, 0, ""
	}
	if platform == string(Yotpo) && len(seg) == 3 && seg[1] == "refunds" && seg[2] == "process" {
		return map[string]adminHandler{http.MethodPost: func(w http.ResponseWriter, _ *http.Request) {
			writeAdmin(w, http.StatusOK, map[string]int{"processed": s.Yotpo().ProcessRefunds()})
		}}, 0, ""
	}
	switch len(seg) {
	case 1:
		return map[string]adminHandler{http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
			out := map[string]any{}
			for name, f := range s.platformState(platform) {
				out[name] = f()
			}
			writeAdmin(w, http.StatusOK, out)
		}}, 0, ""
	case 2:
		f := s.platformState(platform)[seg[1]]
		if f == nil {
			names := make([]string, 0)
			for name := range s.platformState(platform) {
				names = append(names, name)
			}
			sort.Strings(names)
			return nil, http.StatusNotFound, fmt.Sprintf("%s has no resource %q: it has %s", platform, seg[1], strings.Join(names, ", "))
		}
		return map[string]adminHandler{http.MethodGet: func(w http.ResponseWriter, _ *http.Request) { writeAdmin(w, http.StatusOK, f()) }}, 0, ""
	}
	return nil, http.StatusNotFound, fmt.Sprintf("no admin route %s/%s", AdminPath, strings.Join(seg, "/"))
}

// readAdminBody decodes r's body strictly into v, answering 400 with the
// field at fault when it cannot, and 413 above MaxSeedBytes.
// sameOriginOnly has checked that the body is sent as JSON.
func readAdminBody(w http.ResponseWriter, r *http.Request, v any) bool {
	data, err := io.ReadAll(io.LimitReader(r.Body, MaxSeedBytes+1))
	switch {
	case err != nil:
		adminFail(w, http.StatusBadRequest, "reading the body: %v", err)
		return false
	case len(data) > MaxSeedBytes:
		adminFail(w, http.StatusRequestEntityTooLarge, "the body is larger than %d bytes", MaxSeedBytes)
		return false
	}
	if err := decodeStrict(bytes.NewReader(data), v, MaxSeedBytes); err != nil {
		adminFail(w, http.StatusBadRequest, "%s", strings.TrimPrefix(err.Error(), "loyaltytest: seed: "))
		return false
	}
	return true
}

func (s *Server) adminSeed(w http.ResponseWriter, r *http.Request) {
	var seed Seed
	if !readAdminBody(w, r, &seed) {
		return
	}
	if err := s.Seed(seed); err != nil {
		adminFail(w, http.StatusBadRequest, "%s", strings.TrimPrefix(err.Error(), "loyaltytest: seed: "))
		return
	}
	writeAdmin(w, http.StatusOK, map[string]string{"message": "seed loaded"})
}

// duration is a time.Duration written as a Go duration string ("1.5s").
type duration time.Duration

func (d duration) MarshalJSON() ([]byte, error) { return json.Marshal(time.Duration(d).String()) }

func (d *duration) UnmarshalJSON(b []byte) error {
	var s string
	if err := json.Unmarshal(b, &s); err != nil {
		return errors.New(`a duration is a string such as "250ms" or "2s"`)
	}
	v, err := time.ParseDuration(s)
	if err != nil {
		return fmt.Errorf("%q is not a duration such as \"250ms\" or \"2s\"", s)
	}
	*d = duration(v)
	return nil
}

// faultJSON is a Fault on the admin API.
type faultJSON struct {
	ID         int      `json:"id,omitempty"`
	Method     string   `json:"method,omitempty"`
	Path       string   `json:"path,omitempty"`
	Route      string   `json:"route,omitempty"`
	Times      int      `json:"times,omitempty"`
	Status     int      `json:"status,omitempty"`
	RetryAfter duration `json:"retryAfter,omitempty"`
	Delay      duration `json:"delay,omitempty"`
	Drop       bool     `json:"drop,omitempty"`
	AfterApply bool     `json:"afterApply,omitempty"`
}

// fault is f as a Fault.
func (f faultJSON) fault() Fault {
	return Fault{
		Method: f.Method, Path: f.Path, Route: f.Route, Times: f.Times, Status: f.Status,
		RetryAfter: time.Duration(f.RetryAfter), Delay: time.Duration(f.Delay), Drop: f.Drop, AfterApply: f.AfterApply,
	}
}

func faultOut(p PendingFault) faultJSON {
	return faultJSON{
		ID: p.ID, Method: p.Method, Path: p.Path, Route: p.Route, Times: p.Times, Status: p.Status,
		RetryAfter: duration(p.RetryAfter), Delay: duration(p.Delay), Drop: p.Drop, AfterApply: p.AfterApply,
	}
}

// maxFaultDelay bounds a fault's delay from the admin API: the server's
// write timeout ends the answer anyway.
const maxFaultDelay = serverWriteTimeout

// check returns what is wrong with f, or "".
func (f faultJSON) check() (field, reason string) {
	switch {
	case f.ID != 0:
		return "id", "is assigned by the server"
	case f.Method != "" && strings.ToUpper(f.Method) != f.Method:
		return "method", fmt.Sprintf("%q: methods are upper case", f.Method)
	case f.Times < 0:
		return "times", "must not be negative"
	case f.Status != 0 && (f.Status < 400 || f.Status > 599):
		return "status", fmt.Sprintf("%d: a fault answers 400 to 599 (or 0: only delay)", f.Status)
	case f.RetryAfter < 0:
		return "retryAfter", "must not be negative"
	case f.Delay < 0 || time.Duration(f.Delay) > maxFaultDelay:
		return "delay", fmt.Sprintf("must be between 0 and %s", maxFaultDelay)
	case f.Status == 0 && !f.Drop && f.Delay == 0:
		return "status", "a fault needs a status, drop or a delay"
	case f.Route != "" && !strings.HasPrefix(f.Route, "/"):
		return "route", fmt.Sprintf("%q: a route template starts with /, e.g. /v1/customers/{id}/points", f.Route)
	}
	if f.Path != "" {
		if _, err := path.Match(f.Path, "/"); err != nil {
			return "path", fmt.Sprintf("%q is not a path.Match pattern: %v", f.Path, err)
		}
	}
	return "", ""
}

func (s *Server) adminFaults(seg []string) (map[string]adminHandler, int, string) {
	switch len(seg) {
	case 0:
		return map[string]adminHandler{
			http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
				out := []faultJSON{}
				for _, p := range s.Faults() {
					out = append(out, faultOut(p))
				}
				writeAdmin(w, http.StatusOK, list(out))
			},
			http.MethodPost: func(w http.ResponseWriter, r *http.Request) {
				var f faultJSON
				if !readAdminBody(w, r, &f) {
					return
				}
				if field, reason := f.check(); field != "" {
					adminFail(w, http.StatusBadRequest, "%s: %s", field, reason)
					return
				}
				p := s.injectFault(f.fault())
				w.Header().Set("Location", AdminPath+"/faults/"+strconv.Itoa(p.ID))
				writeAdmin(w, http.StatusCreated, faultOut(p))
			},
			http.MethodDelete: func(w http.ResponseWriter, _ *http.Request) {
				s.ClearFaults()
				writeAdmin(w, http.StatusOK, map[string]string{"message": "faults cleared"})
			},
		}, 0, ""
	case 1:
		id, err := strconv.Atoi(seg[0])
		if err != nil || id <= 0 {
			return nil, http.StatusNotFound, fmt.Sprintf("no fault %q: fault ids are positive integers", seg[0])
		}
		return map[string]adminHandler{
			http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
				for _, p := range s.Faults() {
					if p.ID == id {
						writeAdmin(w, http.StatusOK, faultOut(p))
						return
					}
				}
				adminFail(w, http.StatusNotFound, "no waiting fault %d", id)
			},
			http.MethodDelete: func(w http.ResponseWriter, _ *http.Request) {
				if !s.RemoveFault(id) {
					adminFail(w, http.StatusNotFound, "no waiting fault %d", id)
					return
				}
				writeAdmin(w, http.StatusOK, map[string]string{"message": fmt.Sprintf("fault %d removed", id)})
			},
		}, 0, ""
	}
	return nil, http.StatusNotFound, fmt.Sprintf("no admin route %s/faults/%s", AdminPath, strings.Join(seg, "/"))
}

type rateLimitJSON struct {
	Enabled bool `json:"enabled"`
}

func (s *Server) adminSetRateLimit(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Enabled *bool `json:"enabled"`
	}
	if !readAdminBody(w, r, &in) {
		return
	}
	if in.Enabled == nil {
		adminFail(w, http.StatusBadRequest, "enabled: is required (true or false)")
		return
	}
	s.SetRateLimit(*in.Enabled)
	writeAdmin(w, http.StatusOK, rateLimitJSON{Enabled: s.RateLimited()})
}

// requestJSON is a RecordedRequest on the admin API, the body as text.
type requestJSON struct {
	ID        int         `json:"id"`
	Time      time.Time   `json:"time"`
	Platform  string      `json:"platform"`
	Method    string      `json:"method"`
	Path      string      `json:"path"`
	Query     url.Values  `json:"query"`
	Header    http.Header `json:"header"`
	Body      string      `json:"body"`
	Route     string      `json:"route"`
	RequestID string      `json:"requestId,omitempty"`
	Status    int         `json:"status"`
	Duration  duration    `json:"duration"`
	Fault     string      `json:"fault,omitempty"`
}

func (s *Server) adminRequests(w http.ResponseWriter, r *http.Request) {
	platform := r.URL.Query().Get("platform")
	if platform != "" && !slices.Contains(adminPlatforms, platform) {
		adminFail(w, http.StatusBadRequest, "platform: unknown platform %q: platforms are %s", platform, strings.Join(adminPlatforms, ", "))
		return
	}
	out := []requestJSON{}
	for _, rr := range s.Requests() {
		if platform != "" && string(rr.Platform) != platform {
			continue
		}
		out = append(out, requestJSON{
			ID: rr.ID, Time: rr.Time, Platform: string(rr.Platform), Method: rr.Method, Path: rr.Path,
			Query: rr.Query, Header: rr.Header, Body: string(rr.Body),
			Route: rr.Route, RequestID: rr.RequestID, Status: rr.Status, Duration: duration(rr.Duration), Fault: rr.Fault,
		})
	}
	writeAdmin(w, http.StatusOK, list(out))
}

// deliveryJSON is a WebhookDelivery on the admin API: the URL and headers
// redacted, the body as text.
type deliveryJSON struct {
	ID        int           `json:"id"`
	Platform  string        `json:"platform"`
	Topic     string        `json:"topic"`
	URL       string        `json:"url"`
	Header    http.Header   `json:"header"`
	Body      string        `json:"body"`
	Attempts  []attemptJSON `json:"attempts"`
	Done      bool          `json:"done"`
	Delivered bool          `json:"delivered"`
}

type attemptJSON struct {
	Time   time.Time `json:"time"`
	Status int       `json:"status"` // 0: no answer
	Error  string    `json:"error,omitempty"`
}

func (s *Server) deliveryOut(d WebhookDelivery) deliveryJSON {
	out := deliveryJSON{
		ID: d.ID, Platform: string(d.Platform), Topic: d.Topic, URL: redactURLQuery(d.URL),
		Header: redactHeader(d.Header, s.rec.secretNames()), Body: string(d.Body), Done: d.Done, Delivered: d.Delivered,
		Attempts: []attemptJSON{},
	}
	for _, a := range d.Attempts {
		out.Attempts = append(out.Attempts, attemptJSON{Time: a.Time, Status: a.Status, Error: a.Err})
	}
	return out
}

func (s *Server) adminDeliveries(seg []string) (map[string]adminHandler, int, string) {
	if len(seg) == 0 || seg[0] != "deliveries" || len(seg) > 3 {
		return nil, http.StatusNotFound, fmt.Sprintf("no admin route %s/webhooks/%s: see %s/webhooks/deliveries", AdminPath, strings.Join(seg, "/"), AdminPath)
	}
	if len(seg) == 1 {
		return map[string]adminHandler{http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
			out := []deliveryJSON{}
			for _, d := range s.WebhookDeliveries() {
				out = append(out, s.deliveryOut(d))
			}
			writeAdmin(w, http.StatusOK, list(out))
		}}, 0, ""
	}
	id, err := strconv.Atoi(seg[1])
	if err != nil || id <= 0 {
		return nil, http.StatusNotFound, fmt.Sprintf("no delivery %q: delivery ids are positive integers", seg[1])
	}
	if len(seg) == 3 {
		if seg[2] != "redeliver" {
			return nil, http.StatusNotFound, fmt.Sprintf("no admin route %s/webhooks/deliveries/%d/%s", AdminPath, id, seg[2])
		}
		return map[string]adminHandler{http.MethodPost: func(w http.ResponseWriter, _ *http.Request) {
			d, ok := s.Redeliver(id)
			if !ok {
				adminFail(w, http.StatusNotFound, "no delivery %d", id)
				return
			}
			w.Header().Set("Location", AdminPath+"/webhooks/deliveries/"+strconv.Itoa(d.ID))
			writeAdmin(w, http.StatusAccepted, s.deliveryOut(d))
		}}, 0, ""
	}
	return map[string]adminHandler{http.MethodGet: func(w http.ResponseWriter, _ *http.Request) {
		for _, d := range s.WebhookDeliveries() {
			if d.ID == id {
				writeAdmin(w, http.StatusOK, s.deliveryOut(d))
				return
			}
		}
		adminFail(w, http.StatusNotFound, "no delivery %d", id)
	}}, 0, ""
}

// webhookTargetJSON is the body of POST /{platform}/webhooks: url on every
// platform, topic on Influence.io (one subscription per topic),
// authorization on Yotpo (sent verbatim as Authorization), headerName,
// headerValue and secret on Qualifio.
type webhookTargetJSON struct {
	URL           string `json:"url"`
	Topic         string `json:"topic,omitempty"`
	Authorization string `json:"authorization,omitempty"`
	HeaderName    string `json:"headerName,omitempty"`
	HeaderValue   string `json:"headerValue,omitempty"`
	Secret        string `json:"secret,omitempty"`
}

func (s *Server) adminWebhookTarget(w http.ResponseWriter, r *http.Request, platform string) {
	var in webhookTargetJSON
	if !readAdminBody(w, r, &in) {
		return
	}
	if u, err := url.Parse(in.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
		adminFail(w, http.StatusBadRequest, "url: want an absolute http or https URL")
		return
	}
	only := map[string][]string{
		string(Yotpo): {"authorization"}, string(InfluenceIO): {"topic"}, string(Qualifio): {"headerName", "headerValue", "secret"},
	}[platform]
	for field, set := range map[string]bool{
		"topic": in.Topic != "", "authorization": in.Authorization != "",
		"headerName": in.HeaderName != "", "headerValue": in.HeaderValue != "", "secret": in.Secret != "",
	} {
		if set && !slices.Contains(only, field) {
			adminFail(w, http.StatusBadRequest, "%s: not a %s webhook setting (it takes url, %s)", field, platform, strings.Join(only, ", "))
			return
		}
	}
	out := map[string]string{"platform": platform, "url": redactURLQuery(in.URL)}
	switch platform {
	case string(Yotpo):
		s.Yotpo().SetWebhook(in.URL, in.Authorization)
	case string(Qualifio):
		if (in.HeaderName == "") != (in.HeaderValue == "") {
			adminFail(w, http.StatusBadRequest, "headerName: headerName and headerValue go together")
			return
		}
		s.Qualifio().SetWebhook(QualifioWebhook{URL: in.URL, HeaderName: in.HeaderName, HeaderValue: in.HeaderValue, Secret: in.Secret})
	case string(InfluenceIO):
		if in.Topic == "" {
			adminFail(w, http.StatusBadRequest, "topic: is required, e.g. customers/updated")
			return
		}
		out["topic"] = in.Topic
		out["id"] = s.InfluenceIO().RegisterWebhook(in.Topic, in.URL)
	}
	writeAdmin(w, http.StatusCreated, out)
}
