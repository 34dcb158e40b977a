package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"math"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// MembersService manages Qualifio Loyalty member profiles through the
// management API (https://developers.qualifio.com/docs/loyalty/integrations-getting-started/).
// The paths, statuses and member object are decided: Qualifio documents
// the API and the profile field names
// (https://developers.qualifio.com/docs/loyalty/secure-token/), not the
// endpoints.
type MembersService service

// Member is a Qualifio Loyalty member profile. A member has at least one
// identity, Email or CustomerID.
type Member struct {
	ID         string // Qualifio's id, a UUID
	Email      string // unique in the program, compared case-insensitively
	CustomerID string // your own id for the member, unique in the program
	Firstname  string
	Lastname   string
	Birthdate  time.Time
	// Custom holds the custom attributes, keyed by the technical name of a
	// Qualifio variable; values are strings, float64 numbers or booleans.
	Custom    map[string]any
	CreatedAt time.Time
	UpdatedAt time.Time
	// Raw is the member object as received, for fields not modelled here.
	Raw json.RawMessage
}

// MemberInput is a new member for Members.Create: at least one of Email or
// CustomerID. Empty fields are not sent.
type MemberInput struct {
	Email      string
	CustomerID string
	Firstname  string
	Lastname   string
	// Birthdate is a calendar date: its year, month and day in its own
	// location are sent, as midnight UTC; the time of day is dropped.
	Birthdate time.Time
	// Custom values must be strings, numbers or booleans.
	Custom map[string]any
}

// Patch is one field of a partial update (an RFC 7396 merge patch): its
// zero value leaves the field alone, SetTo(v) sets it, ClearField[T]()
// clears it.
type Patch[T any] struct {
	v  T
	op patchOp
}

type patchOp uint8

const (
	patchKeep patchOp = iota
	patchSet
	patchClear
)

// SetTo returns a Patch that sets a field to v.
func SetTo[T any](v T) Patch[T] { return Patch[T]{v: v, op: patchSet} }

// ClearField returns a Patch that clears a field (sent as JSON null).
func ClearField[T any]() Patch[T] { return Patch[T]{op: patchClear} }

// MemberUpdate is a partial update for Members.Update. Each field is left
// alone unless set with loyalty.SetTo or cleared with loyalty.ClearField:
//
//	loyalty.MemberUpdate{Firstname: loyalty.SetTo("Ana"), Birthdate: loyalty.ClearField[time.Time]()}
type MemberUpdate struct {
	Email      Patch[string]
	CustomerID Patch[string]
	Firstname  Patch[string]
	Lastname   Patch[string]
	// Birthdate is sent as MemberInput.Birthdate is: its calendar date.
	Birthdate Patch[time.Time]
	// Custom is merged key by key into the member's custom attributes: a
	// key with a value sets it, a key with the value nil removes it, and
	// keys not named are left alone.
	Custom map[string]any
}

// memberJSON is the member object on the wire; also the body of a create.
type memberJSON struct {
	ID         string         `json:"id,omitempty"`
	Email      string         `json:"email,omitempty"`
	CustomerID string         `json:"customerId,omitempty"`
	Firstname  string         `json:"firstname,omitempty"`
	Lastname   string         `json:"lastname,omitempty"`
	Birthdate  string         `json:"birthdate,omitempty"`
	Custom     map[string]any `json:"custom,omitempty"`
	CreatedAt  string         `json:"createdAt,omitempty"`
	UpdatedAt  string         `json:"updatedAt,omitempty"`
}

// memberWire is the member object as read: tolerantly, so that one field
// of an unexpected type (custom as [], a time as a number) reads as empty,
// kept in Raw, instead of failing the whole member (a decode issue).
type memberWire struct {
	ID         wireText       `json:"id" wire:"required"`
	Email      string         `json:"email"`
	CustomerID string         `json:"customerId"`
	Firstname  string         `json:"firstname"`
	Lastname   string         `json:"lastname"`
	Birthdate  yotpoTime      `json:"birthdate"` // RFC 3339, read as tolerantly as Yotpo's times
	Custom     map[string]any `json:"custom"`
	CreatedAt  yotpoTime      `json:"createdAt"`
	UpdatedAt  yotpoTime      `json:"updatedAt"`
}

// decodeMember reads a member object (see memberWire); only an answer that
// is not a JSON object is an error. Issues go to resp.
func decodeMember(resp *Response, raw json.RawMessage) (*Member, error) {
	var w memberWire
	if err := decodeTolerant(resp, atTop, raw, &w); err != nil {
		return nil, err
	}
	return &Member{
		ID: string(w.ID), Email: w.Email, CustomerID: w.CustomerID, Firstname: w.Firstname,
		Lastname: w.Lastname, Birthdate: w.Birthdate.Time, Custom: w.Custom,
		CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time, Raw: raw,
	}, nil
}

// Create enrols a member. An identity that already belongs to another
// member gives an error matching ErrConflict.
//
// Qualifio does not de-duplicate creates by request, but by identity: if
// a create fails with ErrMaybeApplied, retrying it answers ErrConflict when
// the first one was applied; Lookup then finds the member.
func (s *MembersService) Create(ctx context.Context, in MemberInput, callOpts ...CallOption) (*Member, *Response, error) {
	const op = "Members.Create"
	if err := checkIdentity(op, "Email", in.Email); err != nil {
		return nil, nil, err
	}
	if err := checkIdentity(op, "CustomerID", in.CustomerID); err != nil {
		return nil, nil, err
	}
	if in.Email == "" && in.CustomerID == "" {
		return nil, nil, inputErr(op, "", "set Email or CustomerID (a member needs an identity)")
	}
	if err := checkQualifioTime(op, "Birthdate", qualifioDay(in.Birthdate)); err != nil {
		return nil, nil, err
	}
	if in.Email != "" && !plausibleEmail(in.Email) {
		return nil, nil, inputErr(op, "Email", "%q is not an e-mail address", in.Email)
	}
	if err := checkCustom(op, in.Custom, false); err != nil {
		return nil, nil, err
	}
	body := memberJSON{Email: in.Email, CustomerID: in.CustomerID, Firstname: in.Firstname, Lastname: in.Lastname, Custom: in.Custom}
	if !in.Birthdate.IsZero() {
		body.Birthdate = qualifioTime(qualifioDay(in.Birthdate))
	}
	return s.memberCall(ctx, op, http.MethodPost, contract.QualifioPathMembers, nil, body, false, callOpts)
}

// Get returns the member with Qualifio id id; an unknown id gives an error
// matching ErrNotFound.
func (s *MembersService) Get(ctx context.Context, id string, callOpts ...CallOption) (*Member, *Response, error) {
	const op = "Members.Get"
	seg, err := pathSegment(op, "id", id)
	if err != nil {
		return nil, nil, err
	}
	return s.memberCall(ctx, op, http.MethodGet, contract.QualifioPathMembers+"/"+seg, nil, nil, true, callOpts)
}

// Lookup finds a member by exactly one identity: ByEmail(email) or
// ByID(customerID), your own id for the member. No match gives an error
// matching ErrNotFound.
func (s *MembersService) Lookup(ctx context.Context, by CustomerRef, callOpts ...CallOption) (*Member, *Response, error) {
	const op = "Members.Lookup"
	if err := by.check(op, ""); err != nil {
		return nil, nil, err
	}
	q := url.Values{}
	switch {
	case by.Email != "":
		q.Set(contract.QualifioQueryEmail, by.Email)
	case by.ID != "":
		q.Set(contract.QualifioQueryCustomerID, by.ID)
	case by.Phone != "":
		return nil, nil, inputErr(op, "Phone", "Qualifio finds members by Email or ID (customerId) only")
	default:
		return nil, nil, inputErr(op, "POSAccountID", "Qualifio finds members by Email or ID (customerId) only")
	}
	return s.memberCall(ctx, op, http.MethodGet, contract.QualifioPathMembers, q, nil, true, callOpts)
}

// Update applies a partial update and returns the member after it. Fields
// left alone in u are not sent; an identity that belongs to another member
// gives ErrConflict. A merge patch gives the same result applied twice, so
// the call is retried like a read.
func (s *MembersService) Update(ctx context.Context, id string, u MemberUpdate, callOpts ...CallOption) (*Member, *Response, error) {
	const op = "Members.Update"
	seg, err := pathSegment(op, "id", id)
	if err != nil {
		return nil, nil, err
	}
	patch := map[string]any{}
	for _, f := range []struct {
		key, field string
		p          Patch[string]
		email      bool
	}{
		{"email", "Email", u.Email, true},
		{"customerId", "CustomerID", u.CustomerID, false},
		{"firstname", "Firstname", u.Firstname, false},
		{"lastname", "Lastname", u.Lastname, false},
	} {
		switch f.p.op {
		case patchSet:
			if strings.TrimSpace(f.p.v) == "" {
				return nil, nil, inputErr(op, f.field, "set to the empty string or white space; use loyalty.ClearField[string]() to clear it")
			}
			if f.email && !plausibleEmail(f.p.v) {
				return nil, nil, inputErr(op, f.field, "%q is not an e-mail address", f.p.v)
			}
			patch[f.key] = f.p.v
		case patchClear:
			patch[f.key] = nil
		}
	}
	if u.Email.op == patchClear && u.CustomerID.op == patchClear {
		return nil, nil, inputErr(op, "", "clearing both Email and CustomerID would leave the member without an identity")
	}
	switch u.Birthdate.op {
	case patchSet:
		if u.Birthdate.v.IsZero() {
			return nil, nil, inputErr(op, "Birthdate", "set to the zero time; use loyalty.ClearField[time.Time]() to clear it")
		}
		if err := checkQualifioTime(op, "Birthdate", qualifioDay(u.Birthdate.v)); err != nil {
			return nil, nil, err
		}
		patch["birthdate"] = qualifioTime(qualifioDay(u.Birthdate.v))
	case patchClear:
		patch["birthdate"] = nil
	}
	if len(u.Custom) > 0 {
		if err := checkCustom(op, u.Custom, true); err != nil {
			return nil, nil, err
		}
		patch["custom"] = u.Custom // a nil value encodes as null: the key is removed
	}
	if len(patch) == 0 {
		return nil, nil, inputErr(op, "", "nothing to update: set or clear at least one field")
	}
	return s.memberCall(ctx, op, http.MethodPatch, contract.QualifioPathMembers+"/"+seg, nil, patch, true, callOpts)
}

// Delete deletes a member and frees its identities; a later Get gives
// ErrNotFound. It is retried like a read: when an earlier attempt was
// applied but its answer lost, the retry answers ErrNotFound.
func (s *MembersService) Delete(ctx context.Context, id string, callOpts ...CallOption) (*Response, error) {
	const op = "Members.Delete"
	seg, err := pathSegment(op, "id", id)
	if err != nil {
		return nil, err
	}
	return s.client.call(ctx, op, Qualifio, http.MethodDelete, contract.QualifioPathMembers+"/"+seg, nil, nil, nil, callOpts...)
}

// memberCall sends one management call answered by a member object.
func (s *MembersService) memberCall(ctx context.Context, op, method, path string, q url.Values, body any, idempotent bool, callOpts []CallOption) (*Member, *Response, error) {
	req, err := s.client.request(op, Qualifio, method, path, body)
	if err != nil {
		return nil, nil, err
	}
	if q != nil {
		req.Query = q
	}
	req.Idempotent = idempotent
	var raw json.RawMessage
	resp, err := s.client.Do(ctx, req, &raw, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	m, err := decodeMember(resp, raw)
	if err != nil {
		return nil, resp, req.answerError(resp.StatusCode, fmt.Errorf("loyalty: %s %s %s: decoding member: %w", Qualifio, method, path, err))
	}
	return m, resp, nil
}

// checkCustom checks custom attributes: keys not empty, values strings,
// finite numbers or booleans; nil (remove the key) only when allowNil.
func checkCustom(op string, custom map[string]any, allowNil bool) error {
	for k, v := range custom {
		if k == "" {
			return inputErr(op, "Custom", "has an empty key")
		}
		switch v := v.(type) {
		case string, bool,
			int, int8, int16, int32, int64, uint, uint8, uint16, uint32, uint64:
		case json.Number:
			if !validJSONNumber(v) {
				return inputErr(op, "Custom["+k+"]", "json.Number %q is not a JSON number", string(v))
			}
		case float64:
			if math.IsNaN(v) || math.IsInf(v, 0) {
				return inputErr(op, "Custom["+k+"]", "%v is not a JSON number", v)
			}
		case float32:
			if math.IsNaN(float64(v)) || math.IsInf(float64(v), 0) {
				return inputErr(op, "Custom["+k+"]", "%v is not a JSON number", v)
			}
		case nil:
			if !allowNil {
				return inputErr(op, "Custom["+k+"]", "is nil; only Members.Update removes a key, with nil")
			}
		default:
			return inputErr(op, "Custom["+k+"]", "is a %T; Qualifio takes strings, numbers and booleans", v)
		}
	}
	return nil
}

// validJSONNumber reports whether n is one JSON number literal (RFC 8259
// §6). encoding/json would refuse most others only while encoding, and
// send the empty json.Number as 0.
func validJSONNumber(n json.Number) bool {
	s := string(n)
	if s == "" || (s[0] != '-' && (s[0] < '0' || s[0] > '9')) {
		return false
	}
	if strings.TrimSpace(s) != s {
		return false
	}
	return json.Valid([]byte(s))
}
