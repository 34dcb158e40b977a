// Package monterosafake is the Monterosa Loyalty API part of the loyaltytest
// fake: a seedable space configuration (metrics, inventory, challenges,
// missions, rewards), per-user profiles created on first use, actions that
// complete missions and challenges, notifications, history and coupons. It
// follows the Loyalty API reference
// (https://products.monterosa.co/mic/reference/audience-api-preview/loyalty-api),
// decided parts included, and keeps its own wire structs.
//
// Tests get the Fake of a running server from (*loyaltytest.Server).Monterosa
// and seed and inspect it with the methods and types documented here; the
// loyaltytest package re-exports the types under Monterosa-prefixed names.
// New is for package loyaltytest only: its Env parameter is internal.
package monterosafake

import (
	"crypto/rsa"
	"net/http"
	"path"
	"sync"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// Options configures authentication. The zero value accepts any Bearer
// token: a JWT names its user by its sub claim (signature unchecked), any
// other string names the user itself.
type Options struct {
	// Token, when set, is the only user token accepted.
	Token string
	// ServiceToken, when set, is a back-end token that may act for any user
	// named by the userId query parameter, which it must send.
	ServiceToken string
	// RSAPublicKey, when set, makes the fake accept only RS256 JWTs signed by
	// the matching private key and not expired (exp, when present).
	RSAPublicKey *rsa.PublicKey
}

// Fake is the Monterosa fake. It is safe for concurrent use.
type Fake struct {
	env  fakekit.Env
	opts Options

	mu       sync.Mutex
	config   Config
	coupons  map[string]Coupon
	profiles map[string]*profile
}

// New returns a space with an empty configuration.
// Only loyaltytest can call it (fakekit.Env is internal).
func New(env fakekit.Env, opts Options) *Fake {
	return &Fake{env: env, opts: opts, coupons: map[string]Coupon{}, profiles: map[string]*profile{}}
}

// SetConfig replaces the space configuration. Profiles keep their progress.
func (f *Fake) SetConfig(c Config) {
	c = c.clone()
	f.mu.Lock()
	f.config = c
	f.mu.Unlock()
}

// AddCoupon creates or replaces a coupon.
func (f *Fake) AddCoupon(c Coupon) {
	f.mu.Lock()
	f.coupons[c.ID] = c
	f.mu.Unlock()
}

// Prefix is the path prefix the fake answers under.
var Prefix = path.Dir(contract.MonterosaPathConfig) + "/"

// ServeHTTP serves /api/loyalty/.
func (f *Fake) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	p := r.URL.Path
	method := http.MethodGet
	var h func(http.ResponseWriter, *http.Request, string)
	switch {
	case p == contract.MonterosaPathConfig:
		f.getConfig(w, r) // its own auth: the vendor example sends no token
		return
	case p == contract.MonterosaPathProfile:
		h = f.getProfile
	case p == contract.MonterosaPathNotifications:
		h = f.getNotifications
	case p == contract.MonterosaPathHistory:
		h = f.getHistory
	case isCoupon(r):
		h = f.getCoupon
	case p == contract.MonterosaPathAction:
		method, h = http.MethodPost, f.postAction
	default:
		WriteError(w, http.StatusNotFound, "Not Found")
		return
	}
	if r.Method != method {
		WriteError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	user, status := f.authenticate(r)
	if status != 0 {
		WriteError(w, status, http.StatusText(status))
		return
	}
	h(w, r, user)
}

// envelope is the documented success envelope.
type envelope struct {
	Message string `json:"message"`
	Data    any    `json:"data"`
}

func writeOK(w http.ResponseWriter, data any) {
	fakekit.WriteJSON(w, http.StatusOK, envelope{Message: contract.MonterosaOKMessage, Data: data})
}

// bodyMessages answers a failed request body as a "Bad Request: " followed by
// the fakekit error's text.
var bodyMessages = fakekit.BodyMessages{
	TooLarge:    "Bad Request: " + fakekit.ErrTooLarge.Error(),
	ContentType: "Bad Request: " + fakekit.ErrContentType.Error(),
	Malformed:   "Bad Request: " + fakekit.ErrMalformed.Error(),
}

type errorBody struct {
	Message string `json:"message"`
}

// WriteError writes the decided Monterosa error body.
func WriteError(w http.ResponseWriter, status int, msg string) {
	fakekit.WriteJSON(w, status, errorBody{Message: msg})
}

func (f *Fake) getConfig(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet {
		WriteError(w, http.StatusMethodNotAllowed, "Method Not Allowed")
		return
	}
	if r.Header.Get("Authorization") != "" {
		if _, status := f.authenticate(r); status != 0 {
			WriteError(w, status, http.StatusText(status))
			return
		}
	}
	f.mu.Lock()
	c := f.config.clone()
	f.mu.Unlock()
	writeOK(w, c)
}

func isCoupon(r *http.Request) bool {
	_, ok := fakekit.PathID(r, contract.MonterosaPathCoupons)
	return ok
}

func (f *Fake) getCoupon(w http.ResponseWriter, r *http.Request, _ string) {
	id, _ := fakekit.PathID(r, contract.MonterosaPathCoupons)
	f.mu.Lock()
	c, ok := f.coupons[id]
	f.mu.Unlock()
	if !ok {
		WriteError(w, http.StatusNotFound, "Coupon not found")
		return
	}
	writeOK(w, c)
}
