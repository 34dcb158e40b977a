package loyaltytest_test

import (
	"crypto/rand"
	"crypto/rsa"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// space is a small configuration: a two-mission challenge rewarding XP
// (clamped at 150) and a badge, and a one-mission challenge.
var space = loyaltytest.MonterosaSpace{
	Metrics: []loyaltytest.MonterosaMetric{{ID: "xp", Title: "XP", DefaultValue: 100, MinimumValue: 0, MaximumValue: 150}},
	Inventory: []loyaltytest.MonterosaInventorySet{{ID: "badges", Title: "Badges",
		Items: []loyaltytest.MonterosaItem{{ID: "warmup", Title: "Warm-up"}}}},
	Challenges: []loyaltytest.MonterosaChallenge{
		{
			ID: "c-1", Title: "Matchday warm-up",
			Notification: loyaltytest.MonterosaNotification{Display: "toast", Title: "Challenge complete", Message: "Well done"},
			Missions: []loyaltytest.MonterosaMission{
				{ID: "m-1", Type: "video_watched", Notification: loyaltytest.MonterosaNotification{Display: "none", Title: "Video"}},
				{ID: "m-2", Type: "quiz_answered"},
			},
			Rewards: []loyaltytest.MonterosaReward{
				{Type: "metric", MetricID: "xp", MetricQuantity: 100},
				{Type: "inventory", InventorySetID: "badges", InventoryItemID: "warmup"},
			},
		},
		{ID: "c-2", Missions: []loyaltytest.MonterosaMission{{ID: "m-3", Type: "video_watched"}}},
		{ID: "c-future", Time: loyaltytest.MonterosaTime{From: time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC).UnixMilli()},
			Missions: []loyaltytest.MonterosaMission{{ID: "m-4", Type: "video_watched"}}},
	},
}

type envelope[T any] struct {
	Message string `json:"message"`
	Data    T      `json:"data"`
}

type mProfile struct {
	Metrics    map[string]float64  `json:"metrics"`
	Inventory  map[string][]string `json:"inventory"`
	Challenges map[string]struct {
		IsCompleted       bool     `json:"isCompleted"`
		MissionsCompleted []string `json:"missionsCompleted"`
	} `json:"challenges"`
}

type mItem struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"`
	Type      string `json:"type"`
	Display   string `json:"display"`
	Title     string `json:"title"`
	Payload   struct {
		ChallengeID   string `json:"challengeId"`
		MissionID     string `json:"missionId"`
		MetricChanges map[string]struct {
			OldValue float64 `json:"oldValue"`
			NewValue float64 `json:"newValue"`
		} `json:"metricChanges"`
		InventoryChanges *struct {
			Received []struct{ SetID, ItemID string } `json:"received"`
		} `json:"inventoryChanges"`
	} `json:"payload"`
}

func mget[T any](t *testing.T, srv *loyaltytest.Server, path, tok string) T {
	t.Helper()
	r := do(t, srv, call{method: http.MethodGet, path: path, header: bearer(tok)})
	wantStatus(t, r, http.StatusOK)
	var e envelope[T]
	r.json(t, &e)
	if e.Message != contract.MonterosaOKMessage {
		t.Fatalf("message %q", e.Message)
	}
	return e.Data
}

func action(t *testing.T, srv *loyaltytest.Server, tok string, body any) reply {
	t.Helper()
	return do(t, srv, call{method: http.MethodPost, path: contract.MonterosaPathAction, header: bearer(tok), body: body})
}

func TestMonterosaMissionsChallengesRewards(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithClock(newClock().Now))
	srv.Monterosa().SetConfig(space)

	cfg := mget[map[string]any](t, srv, contract.MonterosaPathConfig, "ana")
	if ch := cfg["challenges"].([]any); len(ch) != 3 {
		t.Fatalf("config %v", cfg)
	}
	// The vendor's config example sends no token.
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathConfig}), http.StatusOK)

	p := mget[mProfile](t, srv, contract.MonterosaPathProfile, "ana")
	if p.Metrics == nil || len(p.Metrics) != 0 || p.Inventory == nil || p.Challenges == nil {
		t.Fatalf("new profile %+v", p)
	}

	r := action(t, srv, "ana", map[string]any{"action": "video_watched", "data": map[string]any{"videoId": "v-1", "seconds": 95, "done": true}})
	wantStatus(t, r, http.StatusOK) // documented: 200, no content
	if len(r.body) != 0 {
		t.Fatalf("action answered with a body: %s", r.body)
	}
	p = mget[mProfile](t, srv, contract.MonterosaPathProfile, "ana")
	if c := p.Challenges["c-1"]; c.IsCompleted || len(c.MissionsCompleted) != 1 || c.MissionsCompleted[0] != "m-1" {
		t.Fatalf("c-1 after one mission %+v", c)
	}
	if c := p.Challenges["c-2"]; !c.IsCompleted {
		t.Fatalf("c-2 should be complete: %+v", c)
	}
	if _, ok := p.Challenges["c-future"]; ok {
		t.Fatal("a challenge outside its time window progressed")
	}
	// Repeating the action completes nothing new.
	wantStatus(t, action(t, srv, "ana", map[string]any{"action": "video_watched"}), contract.MonterosaStatusAction)
	wantStatus(t, action(t, srv, "ana", map[string]any{"action": "quiz_answered"}), contract.MonterosaStatusAction)
	p = mget[mProfile](t, srv, contract.MonterosaPathProfile, "ana")
	if !p.Challenges["c-1"].IsCompleted || p.Metrics["xp"] != 150 || len(p.Inventory["badges"]) != 1 {
		t.Fatalf("after c-1: %+v", p)
	}

	// Notifications: unread once, ascending.
	n := mget[[]mItem](t, srv, contract.MonterosaPathNotifications, "ana")
	var types []string
	for _, it := range n {
		types = append(types, it.Type+":"+it.Payload.ChallengeID)
	}
	want := "missionCompleted:c-1,missionCompleted:c-2,challengeCompleted:c-2,missionCompleted:c-1,challengeCompleted:c-1"
	if strings.Join(types, ",") != want {
		t.Fatalf("notifications %v, want %s", types, want)
	}
	last := n[len(n)-1]
	if last.Display != "toast" || last.Title != "Challenge complete" || last.Payload.MetricChanges["xp"].OldValue != 100 ||
		last.Payload.MetricChanges["xp"].NewValue != 150 || last.Payload.InventoryChanges == nil || last.Payload.InventoryChanges.Received[0].ItemID != "warmup" {
		t.Fatalf("challenge notification %+v", last)
	}
	if n[0].Display != "none" || n[0].Payload.MissionID != "m-1" {
		t.Fatalf("mission notification %+v", n[0])
	}
	if again := mget[[]mItem](t, srv, contract.MonterosaPathNotifications, "ana"); len(again) != 0 {
		t.Fatalf("notifications not marked read: %v", again)
	}

	// History keeps everything with strictly increasing timestamps even on
	// a frozen clock, and has no display fields.
	h := mget[[]mItem](t, srv, contract.MonterosaPathHistory, "ana")
	if len(h) != 5 {
		t.Fatalf("history %d items", len(h))
	}
	for i := 1; i < len(h); i++ {
		if h[i].Timestamp <= h[i-1].Timestamp || h[i].ID != n[i].ID {
			t.Fatalf("history %+v", h)
		}
	}
	r = do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathHistory, header: bearer("ana")})
	if strings.Contains(string(r.body), `"display"`) {
		t.Fatalf("history item with display: %s", r.body)
	}
	from, to := h[1].Timestamp, h[3].Timestamp
	sub := mget[[]mItem](t, srv, fmt.Sprintf("%s?from=%d&to=%d", contract.MonterosaPathHistory, from, to), "ana")
	if len(sub) != 3 || sub[0].ID != h[1].ID || sub[2].ID != h[3].ID {
		t.Fatalf("history from/to %+v", sub)
	}

	// Users are separate.
	if p := mget[mProfile](t, srv, contract.MonterosaPathProfile, "bo"); len(p.Challenges) != 0 {
		t.Fatalf("bo sees ana's progress: %+v", p)
	}
}

func TestMonterosaHistoryPaging(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithClock(newClock().Now))
	var missions []loyaltytest.MonterosaMission
	for i := range 150 {
		missions = append(missions, loyaltytest.MonterosaMission{ID: fmt.Sprint("m", i), Type: "tick"})
	}
	srv.Monterosa().SetConfig(loyaltytest.MonterosaSpace{Challenges: []loyaltytest.MonterosaChallenge{{ID: "big", Missions: missions}}})
	wantStatus(t, action(t, srv, "u", map[string]any{"action": "tick"}), contract.MonterosaStatusAction)

	var all []mItem
	path := contract.MonterosaPathHistory
	for {
		page := mget[[]mItem](t, srv, path, "u")
		all = append(all, page...)
		if len(page) < contract.MonterosaHistoryPageSize {
			break
		}
		path = fmt.Sprintf("%s?from=%d", contract.MonterosaPathHistory, page[len(page)-1].Timestamp+1)
	}
	if len(all) != 151 { // 150 missions and the challenge
		t.Fatalf("paged %d items", len(all))
	}
	for _, q := range []string{"?from=x", "?to=-1", "?from=10&to=5"} {
		r := do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathHistory + q, header: bearer("u")})
		wantStatus(t, r, http.StatusBadRequest)
		if m := r.obj(t)["message"].(string); !strings.HasPrefix(m, "Bad Request") {
			t.Fatalf("message %q", m)
		}
	}
}

func TestMonterosaActionValidation(t *testing.T) {
	srv := loyaltytest.New(t)
	srv.Monterosa().SetConfig(space)
	long := strings.Repeat("é", contract.MonterosaMaxStringLen) // 1024 code points, 2048 bytes
	wantStatus(t, action(t, srv, "u", map[string]any{"action": "x", "data": map[string]any{"s": long}}), contract.MonterosaStatusAction)
	for name, body := range map[string]any{
		"no action":     map[string]any{"data": map[string]any{}},
		"empty action":  map[string]any{"action": ""},
		"action number": map[string]any{"action": 5},
		"long string":   map[string]any{"action": "video_watched", "data": map[string]any{"s": long + "e"}},
		"nested":        map[string]any{"action": "video_watched", "data": map[string]any{"o": map[string]any{}}},
		"array":         map[string]any{"action": "video_watched", "data": map[string]any{"a": []int{1}}},
		"null":          map[string]any{"action": "video_watched", "data": map[string]any{"n": nil}},
		"malformed":     `{"action":`,
	} {
		r := action(t, srv, "u", body)
		if r.status != http.StatusBadRequest || r.obj(t)["message"] == nil {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	r := do(t, srv, call{method: http.MethodPost, path: contract.MonterosaPathAction, header: http.Header{"Authorization": {"Bearer u"}, "Content-Type": {"text/plain"}}, body: `{"action":"video_watched"}`})
	wantStatus(t, r, http.StatusUnsupportedMediaType)
	// Rejected actions changed nothing.
	if p := mget[mProfile](t, srv, contract.MonterosaPathProfile, "u"); len(p.Challenges) != 0 {
		t.Fatalf("rejected action progressed: %+v", p)
	}
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathAction, header: bearer("u")}), http.StatusMethodNotAllowed)
	r = do(t, srv, call{method: http.MethodGet, path: "/api/loyalty/nothing", header: bearer("u")})
	wantStatus(t, r, http.StatusNotFound)
	if r.obj(t)["message"] == nil {
		t.Fatalf("404 body %s", r.body)
	}
}

func TestMonterosaCoupons(t *testing.T) {
	srv := loyaltytest.New(t)
	srv.Monterosa().AddCoupon(loyaltytest.MonterosaCoupon{ID: "cp-1", Title: "10% off", CouponCode: "SAVE10", CouponType: "code", ShowOnNotification: true})
	c := mget[map[string]any](t, srv, contract.MonterosaCouponPath("cp-1"), "u")
	if c["coupon_code"] != "SAVE10" || c["showOnNotification"] != true || c["coupon_type"] != "code" {
		t.Fatalf("coupon %v", c)
	}
	// An id holding "/" travels as %2F and is one id.
	srv.Monterosa().AddCoupon(loyaltytest.MonterosaCoupon{ID: "club/cp-2", Title: "Free scarf", CouponCode: "SCARF"})
	if c := mget[map[string]any](t, srv, contract.MonterosaCouponPath("club/cp-2"), "u"); c["coupon_code"] != "SCARF" {
		t.Fatalf("coupon with a slash in its id: %v", c)
	}
	r := do(t, srv, call{method: http.MethodGet, path: contract.MonterosaCouponPath("nope"), header: bearer("u")})
	wantStatus(t, r, http.StatusNotFound)
	if r.obj(t)["message"] != "Coupon not found" {
		t.Fatalf("body %s", r.body)
	}
}

// jwt returns an unsigned JWT with claims, or one signed by key.
func jwt(t *testing.T, key *rsa.PrivateKey, claims map[string]any) string {
	t.Helper()
	if key != nil {
		sub, _ := claims["sub"].(string)
		var exp time.Time
		if e, ok := claims["exp"].(int64); ok {
			exp = time.Unix(e, 0)
		}
		tok, err := loyaltytest.SignMonterosaJWT(key, sub, exp)
		if err != nil {
			t.Fatal(err)
		}
		return tok
	}
	enc := func(v any) string {
		b, _ := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b)
	}
	return enc(map[string]string{"alg": "RS256", "typ": "JWT"}) + "." + enc(claims) + ".c2ln"
}

func TestMonterosaAuth(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithMonterosaServiceToken("svc"))
	srv.Monterosa().SetConfig(space)
	unauth := func(h http.Header) {
		t.Helper()
		r := do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: h})
		wantStatus(t, r, http.StatusUnauthorized)
		if r.obj(t)["message"] != "Unauthorized" {
			t.Fatalf("body %s", r.body)
		}
	}
	unauth(nil)
	unauth(http.Header{"Authorization": {"Basic dTpw"}})
	unauth(bearer(jwt(t, nil, map[string]any{"name": "no sub"})))

	// A JWT names its user by sub; its signature is not checked by default.
	wantStatus(t, action(t, srv, jwt(t, nil, map[string]any{"sub": "ana"}), map[string]any{"action": "quiz_answered"}), contract.MonterosaStatusAction)
	if p := mget[mProfile](t, srv, contract.MonterosaPathProfile, "ana"); len(p.Challenges["c-1"].MissionsCompleted) != 1 {
		t.Fatalf("the JWT did not act for ana: %+v", p)
	}
	// A service token needs userId; a user token may only name itself.
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer("svc")}), http.StatusForbidden)
	p := mget[mProfile](t, srv, contract.MonterosaPathProfile+"?userId=ana", "svc")
	if len(p.Challenges) != 1 {
		t.Fatalf("service token as ana: %+v", p)
	}
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile + "?userId=ana", header: bearer("bo")}), http.StatusForbidden)

	pinned := loyaltytest.New(t, loyaltytest.WithMonterosaToken("only-me"))
	wantStatus(t, do(t, pinned, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer("someone")}), http.StatusUnauthorized)
	wantStatus(t, do(t, pinned, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer("only-me")}), http.StatusOK)
}

func TestMonterosaRS256(t *testing.T) {
	key, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	other, err := rsa.GenerateKey(rand.Reader, 2048)
	if err != nil {
		t.Fatal(err)
	}
	clk := newClock()
	srv := loyaltytest.New(t, loyaltytest.WithMonterosaRS256Key(&key.PublicKey), loyaltytest.WithClock(clk.Now))
	exp := clk.Now().Add(time.Minute).Unix()
	good := jwt(t, key, map[string]any{"sub": "ana", "exp": exp})
	for name, tok := range map[string]string{
		"plain string": "ana",
		"unsigned":     jwt(t, nil, map[string]any{"sub": "ana"}),
		"other key":    jwt(t, other, map[string]any{"sub": "ana"}),
		"expired":      jwt(t, key, map[string]any{"sub": "ana", "exp": clk.Now().Unix()}),
	} {
		if r := do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer(tok)}); r.status != http.StatusUnauthorized {
			t.Errorf("%s: %d", name, r.status)
		}
	}
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer(good)}), http.StatusOK)
	clk.Add(time.Minute)
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: contract.MonterosaPathProfile, header: bearer(good)}), http.StatusUnauthorized)
}
