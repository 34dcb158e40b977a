package loyaltytest_test

import (
	"encoding/json"
	"math"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

const (
	qMembers = contract.QualifioBasePath + contract.QualifioPathMembers
	qEvents  = contract.QualifioBasePath + contract.QualifioPathEvents
)

func qMember(id string) string { return contract.QualifioBasePath + contract.QualifioMemberPath(id) }

func tokenRequest(t *testing.T, srv *loyaltytest.Server, basic [2]string, form url.Values) reply {
	t.Helper()
	h := http.Header{"Content-Type": {"application/x-www-form-urlencoded"}}
	if basic[0] != "" || basic[1] != "" {
		req, _ := http.NewRequest("", "", nil)
		req.SetBasicAuth(basic[0], basic[1])
		h.Set("Authorization", req.Header.Get("Authorization"))
	}
	return do(t, srv, call{method: http.MethodPost, path: contract.QualifioTokenPath, header: h, body: form.Encode()})
}

func TestQualifioTokenEndpoint(t *testing.T) {
	clk := newClock()
	srv := loyaltytest.New(t, loyaltytest.WithClock(clk.Now), loyaltytest.WithQualifioTokenTTL(10*time.Minute))
	grant := url.Values{"grant_type": {"client_credentials"}}

	r := tokenRequest(t, srv, [2]string{"id", "s3cret"}, grant)
	wantStatus(t, r, http.StatusOK)
	var tok struct {
		AccessToken string `json:"access_token"`
		ExpiresIn   int    `json:"expires_in"`
		TokenType   string `json:"token_type"`
	}
	r.json(t, &tok)
	if tok.AccessToken == "" || tok.ExpiresIn != 600 || tok.TokenType != "Bearer" {
		t.Fatalf("token response %+v", tok)
	}

	form := url.Values{"grant_type": {"client_credentials"}, "client_id": {"id"}, "client_secret": {"s3cret"}}
	wantStatus(t, tokenRequest(t, srv, [2]string{}, form), http.StatusOK)

	for name, c := range map[string]struct {
		basic  [2]string
		form   url.Values
		status int
		code   string
	}{
		"no credentials": {form: grant, status: 401, code: "invalid_client"},
		"empty secret":   {basic: [2]string{"id", ""}, form: grant, status: 401, code: "invalid_client"},
		"wrong grant":    {basic: [2]string{"id", "s"}, form: url.Values{"grant_type": {"password"}}, status: 400, code: "unsupported_grant_type"},
	} {
		r := tokenRequest(t, srv, c.basic, c.form)
		wantStatus(t, r, c.status)
		if got := r.obj(t)["error"]; got != c.code {
			t.Errorf("%s: error %v, want %s", name, got, c.code)
		}
	}

	// Issued tokens work until they expire.
	get := call{method: http.MethodGet, path: qMember("nobody"), header: bearer(tok.AccessToken)}
	wantStatus(t, do(t, srv, get), http.StatusNotFound)
	clk.Add(10 * time.Minute)
	r = do(t, srv, get)
	wantStatus(t, r, http.StatusUnauthorized)
	if r.obj(t)["error"] != contract.QualifioErrUnauthorized {
		t.Fatalf("401 body %s", r.body)
	}
}

func TestQualifioPinnedClient(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithQualifioClient("me", "pw"))
	grant := url.Values{"grant_type": {"client_credentials"}}
	// A wrong secret is Qualifio's documented 400 unauthorized_client; an
	// unknown client 401 invalid_client. Neither echoes the secret.
	for name, c := range map[string]struct {
		basic  [2]string
		status int
		code   string
	}{
		"right":          {basic: [2]string{"me", "pw"}, status: http.StatusOK},
		"wrong secret":   {basic: [2]string{"me", "wrong"}, status: http.StatusBadRequest, code: contract.QualifioTokenErrWrongSecret},
		"unknown client": {basic: [2]string{"other", "pw"}, status: http.StatusUnauthorized, code: contract.QualifioTokenErrInvalidClient},
	} {
		r := tokenRequest(t, srv, c.basic, grant)
		wantStatus(t, r, c.status)
		if c.code == "" {
			continue
		}
		if r.obj(t)["error"] != c.code || strings.Contains(string(r.body), c.basic[1]) {
			t.Errorf("%s: body %s, want error %s and no secret", name, r.body, c.code)
		}
	}
	// The SDK's Config matches the pin.
	if c := srv.QualifioConfig(); c.ClientID != "me" || c.ClientSecret != "pw" {
		t.Fatalf("QualifioConfig %+v", c)
	}
}

func TestQualifioAuthRequired(t *testing.T) {
	srv := loyaltytest.New(t)
	for _, h := range []http.Header{nil, bearer("made-up"), {"Authorization": {"Basic abc"}}} {
		for _, c := range []call{
			{method: http.MethodGet, path: qMember("x")},
			{method: http.MethodPost, path: qMembers, body: map[string]any{"email": "a@b.c"}},
			{method: http.MethodPost, path: qEvents, body: map[string]any{}},
		} {
			c.header = h
			r := do(t, srv, c)
			wantStatus(t, r, http.StatusUnauthorized)
			if r.obj(t)["error"] != contract.QualifioErrUnauthorized {
				t.Fatalf("body %s", r.body)
			}
		}
	}
}

func TestQualifioMembers(t *testing.T) {
	srv := loyaltytest.New(t)
	h := bearer(qualifioToken(t, srv))

	r := do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{
		"email": "Ana@Example.com", "customerId": "C-1", "firstname": "Ana", "id": "ignored",
		"custom": map[string]any{"newsletter": true, "store": "bxl"},
	}})
	wantStatus(t, r, contract.QualifioStatusMemberCreated)
	created := r.obj(t)
	id, _ := created["id"].(string)
	if id == "" || id == "ignored" || created["createdAt"] == nil || created["email"] != "Ana@Example.com" {
		t.Fatalf("created %v", created)
	}

	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: qMember(id), header: h}), http.StatusOK)
	for _, q := range []string{"email=ana%40example.com", "customerId=C-1"} {
		r := do(t, srv, call{method: http.MethodGet, path: qMembers + "?" + q, header: h})
		wantStatus(t, r, http.StatusOK)
		if r.obj(t)["id"] != id {
			t.Fatalf("lookup %s: %s", q, r.body)
		}
	}
	for _, q := range []string{"", "email=a%40b.c&customerId=C-1"} {
		wantStatus(t, do(t, srv, call{method: http.MethodGet, path: qMembers + "?" + q, header: h}), http.StatusBadRequest)
	}
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: qMembers + "?customerId=c-1", header: h}), http.StatusNotFound)

	// Conflicts: email case-insensitively, customerId exactly.
	r = do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "ANA@example.COM"}})
	wantStatus(t, r, http.StatusConflict)
	if r.obj(t)["error"] != contract.QualifioErrConflict {
		t.Fatalf("409 body %s", r.body)
	}
	r = do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"customerId": "C-2", "email": "bo@example.com"}})
	wantStatus(t, r, http.StatusCreated)
	other := r.obj(t)["id"].(string)

	// Validation: no identity, wrong types, bad birthdate.
	for _, body := range []any{
		map[string]any{"firstname": "X"},
		map[string]any{"email": 5},
		map[string]any{"customerId": "C-9", "birthdate": "yesterday"},
		map[string]any{"customerId": "C-9", "custom": map[string]any{"nested": map[string]any{}}},
	} {
		r := do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: body})
		wantStatus(t, r, http.StatusBadRequest)
		if r.obj(t)["error"] != contract.QualifioErrInvalidRequest {
			t.Fatalf("400 body %s", r.body)
		}
	}

	// Merge patch: absent unchanged, null clears, custom merged per key.
	r = do(t, srv, call{method: http.MethodPatch, path: qMember(id), header: h, body: map[string]any{
		"firstname": nil, "lastname": "Peeters", "custom": map[string]any{"newsletter": nil, "tier": 2},
	}})
	wantStatus(t, r, http.StatusOK)
	m := r.obj(t)
	if _, ok := m["firstname"]; ok || m["lastname"] != "Peeters" || m["email"] != "Ana@Example.com" {
		t.Fatalf("patched %v", m)
	}
	if c := m["custom"].(map[string]any); len(c) != 2 || c["store"] != "bxl" || c["tier"] != 2.0 {
		t.Fatalf("custom %v", c)
	}
	if m["updatedAt"] == created["updatedAt"] {
		t.Fatal("updatedAt did not advance")
	}
	// A failing patch changes nothing.
	r = do(t, srv, call{method: http.MethodPatch, path: qMember(id), header: h, body: map[string]any{"lastname": "Z", "customerId": "C-2"}})
	wantStatus(t, r, http.StatusConflict)
	r = do(t, srv, call{method: http.MethodPatch, path: qMember(id), header: h, body: map[string]any{"lastname": "Z", "email": nil, "customerId": nil}})
	wantStatus(t, r, http.StatusBadRequest)
	r = do(t, srv, call{method: http.MethodGet, path: qMember(id), header: h})
	if r.obj(t)["lastname"] != "Peeters" {
		t.Fatalf("half-applied patch: %s", r.body)
	}
	wantStatus(t, do(t, srv, call{method: http.MethodPatch, path: qMember("nope"), header: h, body: map[string]any{}}), http.StatusNotFound)

	// Delete frees identities.
	wantStatus(t, do(t, srv, call{method: http.MethodDelete, path: qMember(other), header: h}), contract.QualifioStatusMemberDeleted)
	wantStatus(t, do(t, srv, call{method: http.MethodGet, path: qMember(other), header: h}), http.StatusNotFound)
	wantStatus(t, do(t, srv, call{method: http.MethodDelete, path: qMember(other), header: h}), http.StatusNotFound)
	wantStatus(t, do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"customerId": "C-2"}}), http.StatusCreated)
}

func TestQualifioBadInput(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithMaxBodyBytes(64))
	h := bearer(qualifioToken(t, srv))
	for _, c := range []struct {
		body   string
		ct     string
		status int
	}{
		{`{"email":`, "application/json", http.StatusBadRequest},
		{`{"email":"a@b.c"}`, "text/plain", http.StatusUnsupportedMediaType},
		{`{"email":"` + strings.Repeat("a", 100) + `@b.c"}`, "application/json", http.StatusRequestEntityTooLarge},
	} {
		hh := h.Clone()
		hh.Set("Content-Type", c.ct)
		r := do(t, srv, call{method: http.MethodPost, path: qMembers, header: hh, body: c.body})
		wantStatus(t, r, c.status)
		if r.obj(t)["error"] != contract.QualifioErrInvalidRequest {
			t.Fatalf("body %s", r.body)
		}
	}
	r := do(t, srv, call{method: http.MethodGet, path: qMembers + "?email=a%40b.c", header: h})
	wantStatus(t, r, http.StatusNotFound) // nothing was created
	r = do(t, srv, call{method: http.MethodPut, path: qMembers, header: h})
	wantStatus(t, r, http.StatusMethodNotAllowed)
	r = do(t, srv, call{method: http.MethodGet, path: contract.QualifioBasePath + "/management/other", header: h})
	wantStatus(t, r, http.StatusNotFound)
	if r.obj(t)["error"] != contract.QualifioErrNotFound {
		t.Fatalf("404 body %s", r.body)
	}
}

func event(id, typ string, purchase map[string]any) map[string]any {
	e := map[string]any{
		"id": id, "type": typ, "member": map[string]any{"email": "ana@example.com"},
		"timestamp": "2024-05-01T12:30:00Z", "tags": map[string]string{"channel": "web"},
	}
	if purchase != nil {
		e["purchase"] = purchase
	}
	return e
}

func TestQualifioEventsEarnOnceAndSendWebhooks(t *testing.T) {
	srv := loyaltytest.New(t)
	rc := newReceiver(t)
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: rc.URL, HeaderName: "X-Shop-Auth", HeaderValue: "hv", Secret: "whsec"})
	srv.Qualifio().SetEarningRule(loyaltytest.QualifioEarningRule{ID: "r-1", PerEvent: 5, PerCurrencyUnit: 2})
	h := bearer(qualifioToken(t, srv))

	r := do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "Ana@example.com"}})
	wantStatus(t, r, http.StatusCreated)
	id := r.obj(t)["id"].(string)

	send := func(e map[string]any) reply {
		return do(t, srv, call{method: http.MethodPost, path: qEvents, header: h, body: e})
	}
	r = send(event("e-1", contract.QualifioEventCustomBasic, nil))
	wantStatus(t, r, contract.QualifioStatusEventAccepted)
	if r.obj(t)["id"] != "e-1" {
		t.Fatalf("receipt %s", r.body)
	}
	wantStatus(t, send(event("e-1", contract.QualifioEventCustomBasic, nil)), contract.QualifioStatusEventAccepted)
	purchase := map[string]any{"orderId": "O-1", "amount": 12.5, "currency": "EUR"}
	wantStatus(t, send(event("e-2", contract.QualifioEventPurchase, purchase)), contract.QualifioStatusEventAccepted)
	// An unknown member's event is accepted and dropped.
	stranger := event("e-3", contract.QualifioEventCustomBasic, nil)
	stranger["member"] = map[string]any{"customerId": "nobody"}
	wantStatus(t, send(stranger), contract.QualifioStatusEventAccepted)

	if bal, life, ok := srv.Qualifio().Points(id); !ok || bal != 30 || life != 30 {
		t.Fatalf("points %v %v %v, want 5+25", bal, life, ok)
	}

	waitHooks(t, srv)
	if rc.count() != 3 {
		t.Fatalf("got %d webhooks, want profile.created and two points.earned", rc.count())
	}
	var types []string
	earned25 := false
	for i, body := range rc.body {
		if got := rc.hdr[i].Get(contract.QualifioWebhookSignatureHeader); got != contract.QualifioWebhookSignature([]byte("whsec"), body) {
			t.Fatalf("signature %q", got)
		}
		if rc.hdr[i].Get("X-Shop-Auth") != "hv" || rc.hdr[i].Get("Content-Type") != "application/json" {
			t.Fatalf("headers %v", rc.hdr[i])
		}
		var events []struct {
			ID, Type, ProgramID, CreatedAt string
			Member                         struct{ ID, Email string }
			Data                           map[string]any
		}
		if err := json.Unmarshal(body, &events); err != nil || len(events) != 1 {
			t.Fatalf("body %s: %v", body, err)
		}
		e := events[0]
		if e.ID == "" || e.ProgramID != srv.Qualifio().ProgramID() || e.Member.ID != id || e.Member.Email != "Ana@example.com" {
			t.Fatalf("event %+v", e)
		}
		types = append(types, e.Type)
		if e.Type == contract.QualifioPointsEarned && e.Data["amount"] == 25.0 {
			earned25 = true
		}
		if e.Type == contract.QualifioPointsEarned && e.Data["amount"] == 25.0 && (e.Data["balance"] != 30.0 || e.Data["lifetimeTotal"] != 30.0 || e.Data["ruleId"] != "r-1" || e.Data["currency"] != contract.QualifioDefaultCurrency) {
			t.Fatalf("points.earned data %v", e.Data)
		}
	}
	if !earned25 {
		t.Fatal("no points.earned for the purchase")
	}
	// One URL gets its deliveries in order.
	want := []string{contract.QualifioProfileCreated, contract.QualifioPointsEarned, contract.QualifioPointsEarned}
	if strings.Join(types, ",") != strings.Join(want, ",") {
		t.Fatalf("types %v, want %v", types, want)
	}
	d := srv.WebhookDeliveries()
	if len(d) != 3 || !d[0].Delivered || d[0].Platform != loyaltytest.Qualifio || d[0].Topic != contract.QualifioProfileCreated {
		t.Fatalf("deliveries %+v", d)
	}
}

func TestQualifioEventValidation(t *testing.T) {
	srv := loyaltytest.New(t)
	h := bearer(qualifioToken(t, srv))
	purchase := map[string]any{"orderId": "O-1", "amount": 1, "currency": "EUR"}
	noMember := event("e", contract.QualifioEventCustomBasic, nil)
	delete(noMember, "member")
	badTime := event("e", contract.QualifioEventCustomBasic, nil)
	badTime["timestamp"] = "May 1st"
	for name, e := range map[string]map[string]any{
		"no id":              event("", contract.QualifioEventCustomBasic, nil),
		"no type":            event("e", "", nil),
		"no member":          noMember,
		"bad timestamp":      badTime,
		"purchase missing":   event("e", contract.QualifioEventPurchase, nil),
		"purchase misplaced": event("e", contract.QualifioEventCustomBasic, purchase),
		"purchase no amount": event("e", contract.QualifioEventPurchase, map[string]any{"orderId": "O", "currency": "EUR"}),
	} {
		r := do(t, srv, call{method: http.MethodPost, path: qEvents, header: h, body: e})
		if r.status != http.StatusBadRequest || r.obj(t)["error"] != contract.QualifioErrInvalidRequest {
			t.Errorf("%s: %d %s", name, r.status, r.body)
		}
	}
	// A rejected event's id is not used up.
	r := do(t, srv, call{method: http.MethodPost, path: qEvents, header: h, body: event("e", contract.QualifioEventCustomBasic, nil)})
	wantStatus(t, r, http.StatusAccepted)
}

func TestQualifioMappedEvents(t *testing.T) {
	srv := loyaltytest.New(t)
	q := srv.Qualifio()
	q.AddMappedEvent(loyaltytest.QualifioMappedEvent{ID: "bearer"})
	q.AddMappedEvent(loyaltytest.QualifioMappedEvent{ID: "hdr", Auth: "header", Name: "X-Authorization", Secret: "t1"})
	q.AddMappedEvent(loyaltytest.QualifioMappedEvent{ID: "qry", Auth: "query", Name: "auth", Secret: "t 2"})
	q.AddMappedEvent(loyaltytest.QualifioMappedEvent{ID: "hub", Auth: "hub-signature", Secret: "k"})
	q.AddMappedEvent(loyaltytest.QualifioMappedEvent{ID: "hub1", Auth: "hub-signature", Secret: "k", SHA1: true})
	body := []byte(`{"order":{"total":3}}` + "\n")
	path := func(id string) string { return contract.QualifioBasePath + contract.QualifioMappedPath(id) }
	tok := qualifioToken(t, srv)

	for _, c := range []struct {
		name, path string
		good, bad  http.Header
	}{
		{"bearer", path("bearer"), bearer(tok), bearer("x")},
		{"header", path("hdr"), http.Header{"X-Authorization": {"t1"}}, http.Header{"X-Authorization": {"t2"}}},
		{"query", path("qry") + "?auth=t+2", nil, nil},
		{"hub", path("hub"), http.Header{"X-Hub-Signature": {contract.QualifioHubSHA256Prefix + contract.HMACSHA256Hex([]byte("k"), body)}},
			http.Header{"X-Hub-Signature": {contract.QualifioHubSHA256Prefix + contract.HMACSHA256Hex([]byte("other"), body)}}},
		{"hub sha1", path("hub1"), http.Header{"X-Hub-Signature": {contract.QualifioHubSHA1Prefix + contract.HMACSHA1Hex([]byte("k"), body)}},
			http.Header{"X-Hub-Signature": {contract.QualifioHubSHA256Prefix + contract.HMACSHA256Hex([]byte("k"), body)}}},
	} {
		r := do(t, srv, call{method: http.MethodPost, path: c.path, header: c.good, body: body})
		if r.status != http.StatusAccepted || r.obj(t)["id"] == "" {
			t.Errorf("%s: %d %s", c.name, r.status, r.body)
		}
		badPath := c.path
		if c.name == "query" {
			badPath = path("qry") + "?auth=t2"
		}
		r = do(t, srv, call{method: http.MethodPost, path: badPath, header: c.bad, body: body})
		if r.status != http.StatusUnauthorized {
			t.Errorf("%s with bad auth: %d", c.name, r.status)
		}
	}
	if got := q.MappedEvents("hub"); len(got) != 1 || string(got[0]) != string(body) {
		t.Fatalf("MappedEvents %q", got)
	}
	wantStatus(t, do(t, srv, call{method: http.MethodPost, path: path("nope"), header: bearer(tok), body: body}), http.StatusNotFound)
	wantStatus(t, do(t, srv, call{method: http.MethodPost, path: path("bearer"), header: bearer(tok), body: "{not json"}), http.StatusBadRequest)
}

func TestQualifioBackOfficeWebhooks(t *testing.T) {
	srv := loyaltytest.New(t)
	rc := newReceiver(t)
	q := srv.Qualifio()
	q.SetWebhook(loyaltytest.QualifioWebhook{URL: rc.URL})
	h := bearer(qualifioToken(t, srv))
	r := do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"customerId": "C-1"}})
	wantStatus(t, r, http.StatusCreated)
	id := r.obj(t)["id"].(string)
	code := "PROMO-1"
	reward := loyaltytest.QualifioReward{ID: "rw-1", Name: "Mug", PromoCode: &code}

	steps := []struct {
		do   func() error
		typ  string
		want map[string]any // expected data fields
	}{
		{func() error { return q.CorrectPoints(id, 100, "welcome") }, contract.QualifioPointsCorrectedAdded,
			map[string]any{"amount": 100.0, "balance": 100.0, "lifetimeTotal": 100.0, "reason": "welcome"}},
		{func() error { return q.CorrectPoints(id, -30, "") }, contract.QualifioPointsCorrectedRemove,
			map[string]any{"amount": 30.0, "balance": 70.0, "lifetimeTotal": 100.0}},
		{func() error { return q.Burn(id, 50, reward) }, contract.QualifioPointsBurned,
			map[string]any{"amount": 50.0, "balance": 20.0, "lifetimeTotal": 100.0}},
		{func() error { return q.GiveGift(id, reward) }, contract.QualifioGiftGiven, map[string]any{}},
		{func() error { return q.VisitPortal(id) }, contract.QualifioPortalVisited, map[string]any{}},
		{func() error { return q.SetLevel(id, &loyaltytest.QualifioLevel{ID: "l-1", Name: "Silver"}) }, contract.QualifioLevelChanged,
			map[string]any{"oldLevel": nil}},
	}
	for _, s := range steps {
		if err := s.do(); err != nil {
			t.Fatalf("%s: %v", s.typ, err)
		}
	}
	if err := q.Burn(id, 21, reward); err == nil {
		t.Fatal("burned more than the balance")
	}
	if err := q.VisitPortal("nobody"); err == nil {
		t.Fatal("visited as an unknown member")
	}
	if err := q.SetLevel(id, &loyaltytest.QualifioLevel{ID: "l-1", Name: "Silver"}); err != nil {
		t.Fatal(err)
	}
	waitHooks(t, srv)
	d := srv.WebhookDeliveries()
	if len(d) != 1+len(steps) { // profile.created, the steps, and no second level.changed
		t.Fatalf("%d deliveries", len(d))
	}
	for i, s := range steps {
		var events []struct {
			Type string
			Data map[string]any
		}
		if err := json.Unmarshal(d[i+1].Body, &events); err != nil || len(events) != 1 || events[0].Type != s.typ {
			t.Fatalf("delivery %d: %s", i+1, d[i+1].Body)
		}
		for k, v := range s.want {
			if got, ok := events[0].Data[k]; !ok || got != v {
				t.Errorf("%s data.%s = %v, want %v", s.typ, k, got, v)
			}
		}
		if s.typ == contract.QualifioPointsBurned {
			rw := events[0].Data["reward"].(map[string]any)
			if rw["id"] != "rw-1" || rw["promoCode"] != "PROMO-1" {
				t.Errorf("reward %v", rw)
			}
		}
	}
}

// Amounts that would overflow a balance are refused with 422 and change
// nothing; the webhooks keep flowing.
func TestQualifioHugeAmountsAreRefused(t *testing.T) {
	srv := loyaltytest.New(t)
	rc := newReceiver(t)
	srv.Qualifio().SetWebhook(loyaltytest.QualifioWebhook{URL: rc.URL, HeaderName: "X-Shop-Auth", HeaderValue: "hv"})
	srv.Qualifio().SetEarningRule(loyaltytest.QualifioEarningRule{PerCurrencyUnit: 1})
	h := bearer(qualifioToken(t, srv))
	r := do(t, srv, call{method: http.MethodPost, path: qMembers, header: h, body: map[string]any{"email": "ana@example.com"}})
	wantStatus(t, r, http.StatusCreated)
	id := r.obj(t)["id"].(string)
	send := func(id string, amount float64) reply {
		return do(t, srv, call{method: http.MethodPost, path: qEvents, header: h,
			body: event(id, contract.QualifioEventPurchase, map[string]any{"orderId": id, "amount": amount, "currency": "EUR"})})
	}
	wantStatus(t, send("e-1", 1e308), http.StatusUnprocessableEntity)
	wantStatus(t, send("e-2", 9e14), contract.QualifioStatusEventAccepted)
	wantStatus(t, send("e-3", 9e14), http.StatusUnprocessableEntity) // the sum would pass the bound
	wantStatus(t, send("e-4", 10), contract.QualifioStatusEventAccepted)
	if bal, _, _ := srv.Qualifio().Points(id); bal != 9e14+10 {
		t.Fatalf("balance %v", bal)
	}
	if err := srv.Qualifio().CorrectPoints(id, math.Inf(1), "bad"); err == nil {
		t.Fatal("a correction of +Inf was accepted")
	}
	if err := srv.Qualifio().CorrectPoints(id, 2e14, "too much"); err == nil {
		t.Fatal("a correction past the bound was accepted")
	}
	waitHooks(t, srv)
	if rc.count() != 3 { // profile.created and two points.earned
		t.Fatalf("%d webhooks", rc.count())
	}
	for _, d := range srv.WebhookDeliveries() {
		if !d.Delivered {
			t.Fatalf("delivery %+v", d)
		}
	}
}

// A mapped-event integration whose id holds "/" is reachable (%2F).
func TestQualifioMappedEventIDWithSlash(t *testing.T) {
	srv := loyaltytest.New(t)
	srv.Qualifio().AddMappedEvent(loyaltytest.QualifioMappedEvent{ID: "shop/orders"})
	r := do(t, srv, call{method: http.MethodPost, path: contract.QualifioBasePath + contract.QualifioMappedPath("shop/orders"),
		header: bearer(qualifioToken(t, srv)), body: []byte(`{"a":1}`)})
	wantStatus(t, r, http.StatusAccepted)
	if got := srv.Qualifio().MappedEvents("shop/orders"); len(got) != 1 {
		t.Fatalf("MappedEvents %q", got)
	}
}
