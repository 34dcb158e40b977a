// Package influenceiofake is the stateful fake of the Influence.io Platform
// API (https://developer.influence.io/reference): customers with cursor listing, a
// points balance moved by awards, paid and refunded orders and widget
// redemptions, membership enroll and remove, tiers with entry rewards,
// products and their variants, reward coupons, referrals
// and webhook subscriptions whose deliveries carry only the documented
// X-Webhook-Topic and X-Webhook-Id headers (Influence.io signs nothing; a
// token travels in the registered URL).
//
// It keeps its own wire structs, built from the platform docs and never from
// the SDK, so that a mistake on either side fails the other's tests.
//
// Every request is validated in full before any state changes, so a rejected
// request never leaves a half-applied change. One mutex guards all state.
//
// Points move on an order's financialStatus: paid awards floor(totalPrice ×
// Config.EarnRate) once; refunded and partially_refunded both take the whole
// award back, once (decided: the API carries no refunded amount, so a
// partial refund cannot be proportional).
//
// Money and points stay within ±2^53−1 (fakekit.MaxExact, decided): a price
// or points value beyond it is 400, and an order or award that would take a
// customer's balance beyond it is 422 {"message"} (decided: the docs list no
// such case), refused rather than wrapped.
//
// Tests get the Fake of a running server from (*loyaltytest.Server).InfluenceIO
// and seed and inspect it with the methods and types documented here; the
// loyaltytest package re-exports the types under InfluenceIO-prefixed names.
// New is for package loyaltytest only: its Env parameter is internal.
package influenceiofake

import (
	"cmp"
	"crypto/subtle"
	"net/http"
	"net/url"
	"strings"
	"sync"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// Config configures one Influence.io account.
type Config struct {
	// APIKey pins the accepted x-api-key; empty accepts any non-empty key.
	APIKey string
	// EarnRate is the points a paid order earns per major currency unit of
	// totalPrice, rounded down once at the end, as the Yotpo fake's
	// spend-based campaigns count; 0 means 1.
	EarnRate float64
}

// Fake is one Influence.io account. Use New; the zero value is not usable.
type Fake struct {
	env    fakekit.Env
	cfg    Config
	routes []route

	// Every key a request names a thing by is indexed (fakekit's OrderedMap
	// and Index), so that no request and no seed scans the state.
	mu        sync.Mutex
	customers map[string]*customer              // externalId → customer
	byEmail   *fakekit.Index[string, *customer] // lower-cased email → customers, in listing order
	orders    map[string]*order                 // merchant order id → order
	products  map[string]*product               // merchant product id → product
	rewards   map[string]*reward                // coupon code → reward
	earnRules map[string]EarnRule               // rule id → rule
	referrals map[string][]*referral            // "email:"/"code:" and the lower-cased friend e-mail or coupon → pending referrals, oldest first
	refSeq    int64                             // referrals started
	tiers     *fakekit.OrderedMap[string, Tier] // ascending threshold, then as added
	webhooks  []*webhook                        // registration order
}

// route is one path pattern (segments; param matches any one segment) and
// the handlers of its methods, which get the path parameter.
type route struct {
	segments []string
	methods  map[string]func(w http.ResponseWriter, r *http.Request, id string)
}

// param is the placeholder for a path parameter when patterns are built from
// the contract's path functions.
const param = "{param}"

// New returns an empty account using env for time, ids, webhook emission and
// the body cap.
// Only loyaltytest can call it (fakekit.Env is internal).
func New(env fakekit.Env, cfg Config) *Fake {
	f := &Fake{
		env:       env,
		cfg:       cfg,
		customers: map[string]*customer{},
		byEmail:   fakekit.NewIndex[string](before),
		tiers:     fakekit.NewOrderedMap[string](func(a, b Tier) int { return cmp.Compare(a.Threshold, b.Threshold) }),
		orders:    map[string]*order{},
		products:  map[string]*product{},
		rewards:   map[string]*reward{},
		earnRules: map[string]EarnRule{},
		referrals: map[string][]*referral{},
	}
	type handler = func(http.ResponseWriter, *http.Request, string)
	add := func(path string, methods map[string]handler) {
		f.routes = append(f.routes, route{segments: splitPath(path), methods: methods})
	}
	add(contract.InfluenceIOPathCustomers, map[string]handler{http.MethodGet: f.listCustomers})
	add(contract.InfluenceIOCustomerPath(param), map[string]handler{http.MethodGet: f.getCustomer, http.MethodPut: f.putCustomer})
	add(contract.InfluenceIOPointsPath(param), map[string]handler{http.MethodPost: f.awardPoints})
	add(contract.InfluenceIOMembershipEnrollPath(param), map[string]handler{http.MethodPost: f.enrollMembership})
	add(contract.InfluenceIOMembershipRemovePath(param), map[string]handler{http.MethodPost: f.removeMembership})
	add(contract.InfluenceIOPathOrders, map[string]handler{http.MethodPost: f.createOrder})
	add(contract.InfluenceIOOrderPath(param), map[string]handler{http.MethodPatch: f.patchOrder})
	add(contract.InfluenceIOProductPath(param), map[string]handler{http.MethodPut: f.putProduct})
	add(contract.InfluenceIOVariantsPath(param), map[string]handler{http.MethodPost: f.setVariants})
	add(contract.InfluenceIORewardUsePath(param), map[string]handler{http.MethodPost: f.useReward})
	add(contract.InfluenceIOPathWebhooks, map[string]handler{http.MethodGet: f.listWebhooks, http.MethodPost: f.createWebhook})
	add(contract.InfluenceIOWebhookPath(param), map[string]handler{
		http.MethodGet: f.getWebhook, http.MethodPut: f.putWebhook, http.MethodDelete: f.deleteWebhook,
	})
	return f
}

// splitPath splits an escaped path into unescaped segments (nil when a
// segment is not valid escaping).
func splitPath(p string) []string {
	parts := strings.Split(strings.TrimPrefix(p, "/"), "/")
	for i, s := range parts {
		u, err := url.PathUnescape(s)
		if err != nil {
			return nil
		}
		parts[i] = u
	}
	return parts
}

// match returns the route serving segs and its path parameter.
func (f *Fake) match(segs []string) (*route, string) {
	for i := range f.routes {
		rt := &f.routes[i]
		if len(rt.segments) != len(segs) {
			continue
		}
		id, ok := "", true
		for j, s := range rt.segments {
			switch {
			case s == param && segs[j] != "":
				id = segs[j]
			case s != segs[j]:
				ok = false
			}
			if !ok {
				break
			}
		}
		if ok {
			return rt, id
		}
	}
	return nil, ""
}

// ServeHTTP serves full request paths under /v1/ (contract.InfluenceIOPath*).
// The key is checked before routing, as the platform authenticates first.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	key := r.Header.Get(contract.InfluenceIOHeaderAPIKey)
	if key == "" || (f.cfg.APIKey != "" && subtle.ConstantTimeCompare([]byte(key), []byte(f.cfg.APIKey)) != 1) {
		writeError(w, http.StatusUnauthorized, "Unauthorized")
		return
	}
	rt, id := f.match(splitPath(r.URL.EscapedPath()))
	if rt == nil {
		writeError(w, http.StatusNotFound, "Not found")
		return
	}
	h := rt.methods[r.Method]
	if h == nil {
		w.Header().Set("Allow", fakekit.Allow(rt.methods))
		writeError(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	h(w, r, id)
}

// errorBody is Influence.io's error shape.
type errorBody struct {
	Message string `json:"message"`
}

func writeError(w http.ResponseWriter, status int, msg string) {
	fakekit.WriteJSON(w, status, errorBody{Message: msg})
}

// invalid answers a 400 in the decided "Invalid request: …" form.
func invalid(w http.ResponseWriter, msg string) {
	writeError(w, http.StatusBadRequest, "Invalid request: "+msg)
}

// bodyMessages words the answers to a failed request body. A wrong content
// type gets 415 (decided: the docs are silent).
var bodyMessages = fakekit.BodyMessages{
	TooLarge:    "Request body too large",
	ContentType: "Content-Type must be application/json",
	Malformed:   "Invalid request: malformed JSON body",
}

// readBody decodes a JSON request body, answering the error itself when it
// fails.
func (f *Fake) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	return fakekit.ReadBody(w, r, f.env.MaxBody, v, bodyMessages, writeError)
}

// validator is a request body that checks itself: "" when valid, else the
// message of the 400.
type validator interface{ validate() string }

// readValid decodes a JSON request body into req and validates it, answering
// the error itself when either fails.
func (f *Fake) readValid(w http.ResponseWriter, r *http.Request, req validator) bool {
	if !f.readBody(w, r, req) {
		return false
	}
	if msg := req.validate(); msg != "" {
		invalid(w, msg)
		return false
	}
	return true
}
