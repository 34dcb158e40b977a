package loyalty_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// A member as Qualifio might answer it, with fields the SDK does not model.
const qualifioMemberResp = `{
  "id": "5d0a3c5e-8a8f-4a2b-9d8e-4f0e0f7c2a91",
  "email": "ana@example.com",
  "customerId": "C-1042",
  "firstname": "Ana",
  "lastname": "Peeters",
  "birthdate": "1990-04-12T00:00:00Z",
  "custom": {"newsletter": true, "favouriteStore": "brussels", "visits": 3},
  "createdAt": "2024-05-01T12:00:00Z",
  "updatedAt": "2024-05-01T12:00:00.250Z",
  "level": {"id": "gold", "name": "Gold"},
  "programId": "3c9a4a0e-2f55-4d8a-b1b8-0d7f5b1f6a22"
}`

var qualifioBearer = map[string]string{"Authorization": "Bearer " + mockQualifioAccessToken}

func qualifioJSONHeaders() map[string]string {
	return map[string]string{"Authorization": "Bearer " + mockQualifioAccessToken, "Content-Type": "application/json", "Accept": "application/json"}
}

func assertQualifioMember(t *testing.T, m *loyalty.Member) {
	t.Helper()
	require.NotNil(t, m)
	assert.Equal(t, "5d0a3c5e-8a8f-4a2b-9d8e-4f0e0f7c2a91", m.ID)
	assert.Equal(t, "ana@example.com", m.Email)
	assert.Equal(t, "C-1042", m.CustomerID)
	assert.Equal(t, "Ana", m.Firstname)
	assert.Equal(t, "Peeters", m.Lastname)
	assert.True(t, m.Birthdate.Equal(time.Date(1990, 4, 12, 0, 0, 0, 0, time.UTC)), "%v", m.Birthdate)
	assert.Equal(t, map[string]any{"newsletter": true, "favouriteStore": "brussels", "visits": float64(3)}, m.Custom)
	assert.True(t, m.CreatedAt.Equal(time.Date(2024, 5, 1, 12, 0, 0, 0, time.UTC)))
	assert.True(t, m.UpdatedAt.Equal(time.Date(2024, 5, 1, 12, 0, 0, 250e6, time.UTC)))
	assert.JSONEq(t, qualifioMemberResp, string(m.Raw), "Raw keeps the unknown fields")
}

func TestMembersCreate(t *testing.T) {
	m := newPlatformMock(t, exchange{
		Method: http.MethodPost, Path: "/management/members", Header: qualifioJSONHeaders(),
		Body: `{"email":"ana@example.com","customerId":"C-1042","firstname":"Ana","lastname":"Peeters",
			"birthdate":"1990-04-12T00:00:00Z","custom":{"newsletter":true,"favouriteStore":"brussels"}}`,
		Status: http.StatusCreated, Resp: qualifioMemberResp,
	})
	c := m.client(loyalty.Qualifio)
	brussels := time.FixedZone("CEST", 2*3600)
	got, resp, err := c.Members.Create(context.Background(), loyalty.MemberInput{
		Email: "ana@example.com", CustomerID: "C-1042", Firstname: "Ana", Lastname: "Peeters",
		Birthdate: time.Date(1990, 4, 12, 2, 0, 0, 0, brussels), // its calendar date is sent
		Custom:    map[string]any{"newsletter": true, "favouriteStore": "brussels"},
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusCreated, resp.StatusCode)
	assertQualifioMember(t, got)
}

func TestMembersCreateConflictIsNotRetried(t *testing.T) {
	m := newPlatformMock(t, exchange{
		Method: http.MethodPost, Path: "/management/members", Body: `{"email":"ana@example.com"}`,
		Status: http.StatusConflict, Resp: `{"error":"conflict","message":"the email already belongs to another member"}`,
	})
	_, _, err := m.client(loyalty.Qualifio).Members.Create(context.Background(), loyalty.MemberInput{Email: "ana@example.com"})
	assert.ErrorIs(t, err, loyalty.ErrConflict)
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, "conflict", e.Code)
	assert.Equal(t, 1, e.Attempts)
}

func TestMembersGetEscapesID(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/management/members/5d0a3c5e", Header: qualifioBearer, Resp: qualifioMemberResp},
		exchange{Method: http.MethodGet, Path: "/management/members/a%2Fb", Status: http.StatusNotFound, Resp: `{"error":"not_found","message":"member not found"}`},
		exchange{Method: http.MethodGet, Path: "/management/members/..%2Fx", Status: http.StatusNotFound, Resp: `{"error":"not_found"}`},
	)
	c := m.client(loyalty.Qualifio)
	got, _, err := c.Members.Get(context.Background(), "5d0a3c5e")
	require.NoError(t, err)
	assertQualifioMember(t, got)
	for _, id := range []string{"a/b", "../x"} {
		_, _, err = c.Members.Get(context.Background(), id)
		assert.ErrorIs(t, err, loyalty.ErrNotFound, id)
	}
}

func TestMembersLookup(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/management/members", Query: url.Values{"email": {"ana+x@example.com"}}, Header: qualifioBearer, Resp: qualifioMemberResp},
		exchange{Method: http.MethodGet, Path: "/management/members", Query: url.Values{"customerId": {"C-1042"}}, Header: qualifioBearer, Resp: qualifioMemberResp},
		exchange{Method: http.MethodGet, Path: "/management/members", Query: url.Values{"customerId": {"nobody"}}, Status: http.StatusNotFound, Resp: `{"error":"not_found","message":"no member with that identity"}`},
	)
	c := m.client(loyalty.Qualifio)
	got, _, err := c.Members.Lookup(context.Background(), loyalty.ByEmail("ana+x@example.com"))
	require.NoError(t, err)
	assertQualifioMember(t, got)
	got, _, err = c.Members.Lookup(context.Background(), loyalty.ByID("C-1042"))
	require.NoError(t, err)
	assertQualifioMember(t, got)
	_, _, err = c.Members.Lookup(context.Background(), loyalty.ByID("nobody"))
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
}

func TestMembersUpdateIsAMergePatch(t *testing.T) {
	m := newPlatformMock(t,
		// Retried like a read: a merge patch applied twice changes nothing more.
		exchange{Method: http.MethodPatch, Path: "/management/members/m-1", Status: http.StatusServiceUnavailable, Resp: `{"error":"internal_error"}`,
			Body: `{"firstname":"Ana","lastname":null,"birthdate":"1990-04-12T00:00:00Z","custom":{"tier":"gold","visits":4,"old":null}}`},
		exchange{Method: http.MethodPatch, Path: "/management/members/m-1", Header: qualifioJSONHeaders(), Resp: qualifioMemberResp,
			Body: `{"firstname":"Ana","lastname":null,"birthdate":"1990-04-12T00:00:00Z","custom":{"tier":"gold","visits":4,"old":null}}`},
		exchange{Method: http.MethodPatch, Path: "/management/members/m-1", Resp: qualifioMemberResp,
			Body: `{"email":null,"customerId":"C-9","birthdate":null}`},
	)
	c := m.client(loyalty.Qualifio)
	got, _, err := c.Members.Update(context.Background(), "m-1", loyalty.MemberUpdate{
		Firstname: loyalty.SetTo("Ana"),
		Lastname:  loyalty.ClearField[string](),
		Birthdate: loyalty.SetTo(time.Date(1990, 4, 12, 0, 0, 0, 0, time.UTC)),
		Custom:    map[string]any{"tier": "gold", "visits": 4, "old": nil},
	})
	require.NoError(t, err)
	assertQualifioMember(t, got)
	_, _, err = c.Members.Update(context.Background(), "m-1", loyalty.MemberUpdate{
		Email: loyalty.ClearField[string](), CustomerID: loyalty.SetTo("C-9"), Birthdate: loyalty.ClearField[time.Time](),
	})
	require.NoError(t, err)
}

func TestMembersDelete(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodDelete, Path: "/management/members/m%201", Header: qualifioBearer, Status: http.StatusNoContent},
	)
	resp, err := m.client(loyalty.Qualifio).Members.Delete(context.Background(), "m 1")
	require.NoError(t, err)
	assert.Equal(t, http.StatusNoContent, resp.StatusCode)
}

func TestMembersRejectBadInputBeforeSending(t *testing.T) {
	m := newPlatformMock(t) // any request fails the test
	c := m.client(loyalty.Qualifio)
	ctx := context.Background()
	for _, tc := range []struct {
		name, op, field string
		call            func() error
	}{
		{"create without identity", "Members.Create", "", func() error {
			_, _, err := c.Members.Create(ctx, loyalty.MemberInput{Firstname: "Ana"})
			return err
		}},
		{"create bad email", "Members.Create", "Email", func() error {
			_, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "ana"})
			return err
		}},
		{"create nested custom", "Members.Create", "Custom[prefs]", func() error {
			_, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "a@b.c", Custom: map[string]any{"prefs": map[string]any{}}})
			return err
		}},
		{"create nil custom", "Members.Create", "Custom[x]", func() error {
			_, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "a@b.c", Custom: map[string]any{"x": nil}})
			return err
		}},
		{"get empty id", "Members.Get", "id", func() error { _, _, err := c.Members.Get(ctx, " "); return err }},
		{"get dot-dot", "Members.Get", "id", func() error { _, _, err := c.Members.Get(ctx, ".."); return err }},
		{"delete empty id", "Members.Delete", "id", func() error { _, err := c.Members.Delete(ctx, ""); return err }},
		{"lookup nothing", "Members.Lookup", "", func() error { _, _, err := c.Members.Lookup(ctx, loyalty.CustomerRef{}); return err }},
		{"lookup both", "Members.Lookup", "", func() error {
			_, _, err := c.Members.Lookup(ctx, loyalty.CustomerRef{Email: "a@b.c", ID: "C-1"})
			return err
		}},
		{"lookup by phone", "Members.Lookup", "Phone", func() error {
			_, _, err := c.Members.Lookup(ctx, loyalty.ByPhone("+32470123456", ""))
			return err
		}},
		{"update nothing", "Members.Update", "", func() error { _, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{}); return err }},
		{"update empty string", "Members.Update", "Firstname", func() error {
			_, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{Firstname: loyalty.SetTo("")})
			return err
		}},
		{"update bad email", "Members.Update", "Email", func() error {
			_, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{Email: loyalty.SetTo("nope")})
			return err
		}},
		{"update clears both identities", "Members.Update", "", func() error {
			_, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{Email: loyalty.ClearField[string](), CustomerID: loyalty.ClearField[string]()})
			return err
		}},
		{"update empty custom key", "Members.Update", "Custom", func() error {
			_, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{Custom: map[string]any{"": 1}})
			return err
		}},
		{"create bad json.Number", "Members.Create", "Custom[n]", func() error {
			_, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "a@b.c", Custom: map[string]any{"n": json.Number("12abc")}})
			return err
		}},
		{"update empty json.Number", "Members.Update", "Custom[n]", func() error {
			_, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{Custom: map[string]any{"n": json.Number("")}})
			return err
		}},
		{"create year 10000", "Members.Create", "Birthdate", func() error {
			_, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "a@b.c", Birthdate: time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)})
			return err
		}},
		{"update year -5", "Members.Update", "Birthdate", func() error {
			_, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{Birthdate: loyalty.SetTo(time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC))})
			return err
		}},
		{"create blank customer id", "Members.Create", "CustomerID", func() error {
			_, _, err := c.Members.Create(ctx, loyalty.MemberInput{CustomerID: "   "})
			return err
		}},
		{"update blank customer id", "Members.Update", "CustomerID", func() error {
			_, _, err := c.Members.Update(ctx, "m-1", loyalty.MemberUpdate{CustomerID: loyalty.SetTo(" ")})
			return err
		}},
		{"update bad id", "Members.Update", "id", func() error {
			_, _, err := c.Members.Update(ctx, "", loyalty.MemberUpdate{Firstname: loyalty.SetTo("A")})
			return err
		}},
	} {
		err := tc.call()
		var ie *loyalty.InputError
		if assert.True(t, errors.As(err, &ie), "%s: %v", tc.name, err) {
			assert.Equal(t, tc.op, ie.Op, tc.name)
			assert.Equal(t, tc.field, ie.Field, tc.name)
		}
	}
	assert.Empty(t, m.requests())
}

func TestMembersNeedQualifio(t *testing.T) {
	m := newPlatformMock(t)
	_, _, err := m.client(loyalty.Yotpo).Members.Get(context.Background(), "m-1")
	assert.ErrorIs(t, err, loyalty.ErrNotConfigured)
	assert.Contains(t, err.Error(), "WithQualifio")
}

// A member whose custom attributes are [] (an empty PHP-style array) or
// whose times are numbers still decodes: the odd fields read as empty, and
// Raw keeps them.
func TestMembersDecodeTolerantly(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodGet, Path: "/management/members/m-1", Resp: `{"id":"m-1","email":"ana@example.com","custom":[],"createdAt":1714566605123,"updatedAt":"2024-05-01T12:30:00Z","firstname":null,"lastname":7}`},
	)
	got, resp, err := m.client(loyalty.Qualifio).Members.Get(context.Background(), "m-1")
	require.NoError(t, err)
	// Each odd field is a decode issue, by its path, never its value.
	route := "GET /management/members/{id}"
	assert.Equal(t, []loyalty.DecodeIssue{
		{Platform: loyalty.Qualifio, Route: route, Field: "lastname", Problem: "want string, got number"},
		{Platform: loyalty.Qualifio, Route: route, Field: "custom", Problem: "want object, got array"},
		{Platform: loyalty.Qualifio, Route: route, Field: "createdAt", Problem: "want time, got number"},
	}, sortIssues(resp.DecodeIssues))
	assert.Equal(t, "m-1", got.ID)
	assert.Equal(t, "ana@example.com", got.Email)
	assert.Empty(t, got.Custom)
	assert.True(t, got.CreatedAt.IsZero())
	assert.Equal(t, time.Date(2024, 5, 1, 12, 30, 0, 0, time.UTC), got.UpdatedAt)
	assert.Empty(t, got.Lastname)
	assert.Contains(t, string(got.Raw), `"createdAt":1714566605123`)
}
