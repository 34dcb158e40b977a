// Package yotpofake is the stateful fake of the Yotpo Loyalty & Referrals REST
// API v2 (https://loyaltyapi.yotpo.com/reference): customers, a points ledger behind
// balances and history, orders, refunds, redemptions, campaigns, redemption
// options and VIP tiers, uploaded coupon codes, referral e-mails and privacy
// requests, plus the loyalty webhook the merchant sets in admin.
//
// It keeps its own wire structs, built from the platform docs and never from
// the SDK, so that a mistake on either side fails the other's tests.
//
// Every request is validated in full before any state changes, so a rejected
// request never leaves a half-applied change. One mutex guards all state.
//
// Money and points stay within ±2^53−1 (fakekit.MaxExact, decided): a cents
// or points value beyond it is 400, and a change that would take
// total_spend_cents, points_balance or points_earned beyond it is 422,
// refused rather than wrapped.
//
// Tests get the Fake of a running server from (*loyaltytest.Server).Yotpo
// and seed and inspect it with the methods and types documented here; the
// loyaltytest package re-exports the types under Yotpo-prefixed names.
// New is for package loyaltytest only: its Env parameter is internal.
package yotpofake

import (
	"cmp"
	"crypto/subtle"
	"net/http"
	"net/textproto"
	"strings"
	"sync"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// Config pins the credentials the fake accepts. An empty field accepts any
// non-empty value, so tests need no setup; a set field must match exactly.
type Config struct {
	GUID, APIKey string
	// AsyncRefunds makes POST /refunds acknowledge a refund and leave it
	// pending until ProcessRefunds, as the platform processes refunds
	// asynchronously; by default a refund is applied before the answer.
	AsyncRefunds bool
}

// Fake is one Yotpo merchant account. Use New; the zero value is not usable.
type Fake struct {
	env    fakekit.Env
	cfg    Config
	routes map[string]map[string]http.HandlerFunc // path below the base → method → handler

	// Every key a request names a thing by is indexed (fakekit's OrderedMap
	// and Index), so that no request and no seed scans the state.
	mu          sync.Mutex
	customers   []*customer                       // creation order
	byEmail     map[string]*customer              // lower-cased email → customer
	byID        *fakekit.Index[string, *customer] // customer_id (third_party_id) → customers, oldest first
	byPOS       *fakekit.Index[string, *customer] // pos_account_id → customers, oldest first
	byPhone     *fakekit.Index[string, *customer] // phone_number → customers, oldest first
	orders      map[string]*order                 // order_id → order
	refundIDs   map[string]bool                   // refund ids already applied or accepted
	pending     []pendingRefund                   // accepted refunds, oldest first (Config.AsyncRefunds)
	campaigns   *fakekit.OrderedMap[int64, Campaign]
	byEarning   *earningIndex // the campaigns by how they earn; nil until needed after a change
	options     *fakekit.OrderedMap[int64, RedemptionOption]
	tiers       *fakekit.OrderedMap[int64, VIPTier] // by ascending rank, then as added
	redemptions []*redemption
	redemption  map[int64]*redemption // id → redemption
	webhookURL  string
	webhookAuth string
	lastID      int64 // last integer id handed out (customers, perks, redemptions, seeds)
	rewards     rewardsState
}

// New returns an empty merchant account using env for time, ids, webhook
// emission and the body cap.
// Only loyaltytest can call it (fakekit.Env is internal).
func New(env fakekit.Env, cfg Config) *Fake {
	oldestFirst := func(a, b *customer) bool { return a.seq < b.seq }
	f := &Fake{
		env:        env,
		cfg:        cfg,
		byEmail:    map[string]*customer{},
		byID:       fakekit.NewIndex[string](oldestFirst),
		byPOS:      fakekit.NewIndex[string](oldestFirst),
		byPhone:    fakekit.NewIndex[string](oldestFirst),
		orders:     map[string]*order{},
		refundIDs:  map[string]bool{},
		campaigns:  fakekit.NewOrderedMap[int64, Campaign](nil),
		options:    fakekit.NewOrderedMap[int64, RedemptionOption](nil),
		tiers:      fakekit.NewOrderedMap[int64](func(a, b VIPTier) int { return cmp.Compare(a.Rank, b.Rank) }),
		redemption: map[int64]*redemption{},
	}
	f.routes = map[string]map[string]http.HandlerFunc{
		contract.YotpoPathCustomers:         {http.MethodGet: f.getCustomer, http.MethodPost: f.postCustomer},
		contract.YotpoPathCustomersRecent:   {http.MethodGet: f.listRecent},
		contract.YotpoPathCustomersAll:      {http.MethodGet: f.listAll},
		contract.YotpoPathCustomerBirthdays: {http.MethodPost: f.postBirthday},
		contract.YotpoPathActions:           {http.MethodPost: f.postAction},
		contract.YotpoPathPointsAdjust:      {http.MethodPost: f.postAdjust},
		contract.YotpoPathOrders:            {http.MethodPost: f.postOrder},
		contract.YotpoPathRefunds:           {http.MethodPost: f.postRefund},
		contract.YotpoPathRedemptions:       {http.MethodPost: f.postRedemption},
		contract.YotpoPathRedemptionOptions: {http.MethodGet: f.listRedemptionOptions},
		contract.YotpoPathCampaigns:         {http.MethodGet: f.listCampaigns},
		contract.YotpoPathVIPTiers:          {http.MethodGet: f.listVIPTiers},

		// Coupon codes, referrals and privacy; the
		// cancellation_completed has an id in its path (redemptionRoute).
		contract.YotpoPathRedemptionCodes:   {http.MethodGet: f.getRedemptionCode, http.MethodPost: f.postRedemptionCodes},
		contract.YotpoPathReferralShare:     {http.MethodPost: f.postReferralShare},
		contract.YotpoPathReferralReferrer:  {http.MethodPost: f.postReferrer},
		contract.YotpoPathPrivacyDataExists: {http.MethodGet: f.getDataExists},
		contract.YotpoPathPrivacyData:       {http.MethodGet: f.getData, http.MethodDelete: f.deleteData},

		// Customer endpoints added on 2026-12-01.
		contract.YotpoPathCustomerAnniversary: {http.MethodGet: f.getAnniversary, http.MethodPost: f.postAnniversary, http.MethodDelete: f.deleteAnniversary},
	}
	return f
}

// ServeHTTP serves full request paths (contract.YotpoBasePath followed by a
// contract.YotpoPath* value). Credentials are checked before routing, as the
// platform authenticates every request: a bad key never learns which paths exist.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if !f.authorized(r) {
		WriteError(w, http.StatusUnauthorized, "Unauthorized: invalid GUID or API key")
		return
	}
	rest, ok := strings.CutPrefix(r.URL.Path, contract.YotpoBasePath)
	methods := f.routes[rest]
	if methods == nil {
		methods = f.redemptionRoute(rest)
	}
	if !ok || methods == nil {
		WriteError(w, http.StatusNotFound, "Not found")
		return
	}
	h := methods[r.Method]
	if h == nil {
		w.Header().Set("Allow", fakekit.Allow(methods))
		WriteError(w, http.StatusMethodNotAllowed, "Method not allowed")
		return
	}
	h(w, r)
}

// authorized accepts the GUID and key from headers, or from the query when a
// header is absent (both transports are documented).
func (f *Fake) authorized(r *http.Request) bool {
	q := fakekit.Query(r.URL.RawQuery)
	guid := headerGet(r.Header, headerGUID)
	if guid == "" {
		guid = q.Get(contract.YotpoQueryGUID)
	}
	key := headerGet(r.Header, headerAPIKey)
	if key == "" {
		key = q.Get(contract.YotpoQueryAPIKey)
	}
	return credentialOK(guid, f.cfg.GUID) && credentialOK(key, f.cfg.APIKey)
}

// The credential headers in canonical form, worked out once: Header.Get
// canonicalises its argument on every call, and these names ("X-GUID",
// "X-API-KEY") are not canonical, so that costs an allocation each.
var (
	headerGUID   = textproto.CanonicalMIMEHeaderKey(contract.YotpoHeaderGUID)
	headerAPIKey = textproto.CanonicalMIMEHeaderKey(contract.YotpoHeaderAPIKey)
)

// headerGet is h.Get(key) for a key already in canonical form.
func headerGet(h http.Header, key string) string {
	if v := h[key]; len(v) > 0 {
		return v[0]
	}
	return ""
}

func credentialOK(got, want string) bool {
	if got == "" {
		return false
	}
	if want == "" {
		return true
	}
	return subtle.ConstantTimeCompare([]byte(got), []byte(want)) == 1
}

// errorBody is Yotpo's decided error shape.
type errorBody struct {
	ErrorMessage string `json:"error_message"`
}

// WriteError writes the decided Yotpo error body.
func WriteError(w http.ResponseWriter, status int, msg string) {
	fakekit.WriteJSON(w, status, errorBody{ErrorMessage: msg})
}

// writeOK answers the decided `{}` body of Yotpo's write endpoints.
func writeOK(w http.ResponseWriter) {
	fakekit.WriteJSON(w, http.StatusOK, struct{}{})
}

// bodyMessages words the answers to a failed request body. A wrong content
// type gets 415 (decided: the docs are silent).
var bodyMessages = fakekit.BodyMessages{
	TooLarge:    "Request body too large",
	ContentType: "Content-Type must be application/json",
	Malformed:   "Malformed JSON body",
}

// readBody decodes a JSON request body, answering the error itself when it
// fails.
func (f *Fake) readBody(w http.ResponseWriter, r *http.Request, v any) bool {
	return fakekit.ReadBody(w, r, f.env.MaxBody, v, bodyMessages, WriteError)
}

// nextID hands out the fake's integer ids; callers hold f.mu.
func (f *Fake) nextID() int64 {
	f.lastID++
	return f.lastID
}

// seedID returns id, or a new one when it is zero; an explicit id raises
// the counter past it, so that no id handed out later (a customer, a
// redemption, another seed) collides with it. Callers hold f.mu.
func (f *Fake) seedID(id int64) int64 {
	if id == 0 {
		return f.nextID()
	}
	f.lastID = max(f.lastID, id)
	return id
}
