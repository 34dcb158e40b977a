package qualifiofake

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// member is the stored member; the ledger sits beside the profile.
type member struct {
	id, email, customerID      string
	firstname, lastname, birth string
	custom                     map[string]any
	createdAt, updatedAt       time.Time
	balance, lifetime          float64
	level                      *Level
}

// memberJSON is the member object on the wire.
type memberJSON struct {
	ID         string         `json:"id"`
	Email      string         `json:"email,omitempty"`
	CustomerID string         `json:"customerId,omitempty"`
	Firstname  string         `json:"firstname,omitempty"`
	Lastname   string         `json:"lastname,omitempty"`
	Birthdate  string         `json:"birthdate,omitempty"`
	Custom     map[string]any `json:"custom,omitempty"`
	CreatedAt  string         `json:"createdAt"`
	UpdatedAt  string         `json:"updatedAt"`
}

// memberJSON shares m.custom: patches replace the map rather than change it,
// and callers encode under f.mu.
func (f *Fake) memberJSON(m *member) memberJSON {
	return memberJSON{
		ID: m.id, Email: m.email, CustomerID: m.customerID,
		Firstname: m.firstname, Lastname: m.lastname, Birthdate: m.birth, Custom: m.custom,
		CreatedAt: f.stamp(m.createdAt), UpdatedAt: f.stamp(m.updatedAt),
	}
}

// writableFields are the member fields a client may set; others (id,
// createdAt, updatedAt, unknown keys) are ignored.
var writableFields = []string{"email", "customerId", "firstname", "lastname", "birthdate", "custom"}

// applyPatch applies a merge patch (RFC 7396) of writable fields to a copy of
// m and returns it, so that a failing patch changes nothing.
func applyPatch(m member, patch map[string]json.RawMessage) (member, error) {
	for _, k := range writableFields {
		raw, ok := patch[k]
		if !ok {
			continue
		}
		null := bytes.Equal(bytes.TrimSpace(raw), []byte("null"))
		if k == "custom" {
			if null {
				m.custom = nil
				continue
			}
			var c map[string]json.RawMessage
			if err := json.Unmarshal(raw, &c); err != nil {
				return m, fmt.Errorf("custom must be an object")
			}
			merged := make(map[string]any, len(m.custom)+len(c))
			for ck, cv := range m.custom {
				merged[ck] = cv
			}
			for ck, cv := range c {
				if bytes.Equal(bytes.TrimSpace(cv), []byte("null")) {
					delete(merged, ck)
					continue
				}
				var v any
				if err := json.Unmarshal(cv, &v); err != nil {
					return m, fmt.Errorf("custom.%s: invalid value", ck)
				}
				switch v.(type) {
				case string, float64, bool:
				default:
					return m, fmt.Errorf("custom.%s must be a string, number or boolean", ck)
				}
				merged[ck] = v
			}
			m.custom = merged
			continue
		}
		var s string
		if !null {
			if err := json.Unmarshal(raw, &s); err != nil {
				return m, fmt.Errorf("%s must be a string", k)
			}
		}
		switch k {
		case "email":
			if s != "" && !strings.Contains(s, "@") {
				return m, fmt.Errorf("email is not an email address")
			}
			m.email = s
		case "customerId":
			m.customerID = s
		case "firstname":
			m.firstname = s
		case "lastname":
			m.lastname = s
		case "birthdate":
			if s != "" {
				if _, err := time.Parse(time.RFC3339, s); err != nil {
					return m, fmt.Errorf("birthdate must be an RFC 3339 date-time")
				}
			}
			m.birth = s
		}
	}
	if m.email == "" && m.customerID == "" {
		return m, fmt.Errorf("a member needs an email or a customerId")
	}
	return m, nil
}

// conflict reports whether m's identities belong to another member.
// Callers hold f.mu.
func (f *Fake) conflict(m *member) bool {
	if m.email != "" {
		if id, ok := f.byEmail[strings.ToLower(m.email)]; ok && id != m.id {
			return true
		}
	}
	if m.customerID != "" {
		if id, ok := f.byCustomer[m.customerID]; ok && id != m.id {
			return true
		}
	}
	return false
}

// index adds or removes m's identities from the lookups. Callers hold f.mu.
func (f *Fake) index(m *member, add bool) {
	if m.email != "" {
		if add {
			f.byEmail[strings.ToLower(m.email)] = m.id
		} else {
			delete(f.byEmail, strings.ToLower(m.email))
		}
	}
	if m.customerID != "" {
		if add {
			f.byCustomer[m.customerID] = m.id
		} else {
			delete(f.byCustomer, m.customerID)
		}
	}
}

func (f *Fake) createMember(w http.ResponseWriter, r *http.Request) {
	var patch map[string]json.RawMessage
	if !f.readJSON(w, r, &patch) {
		return
	}
	m, err := applyPatch(member{}, patch)
	if err != nil {
		WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	now := f.env.Now()
	m.id, m.createdAt, m.updatedAt = f.env.NewID(), now, now
	f.mu.Lock()
	defer f.mu.Unlock()
	if f.conflict(&m) {
		WriteError(w, http.StatusConflict, "the email or customerId already belongs to another member")
		return
	}
	f.members[m.id] = &m
	f.index(&m, true)
	f.emit(contract.QualifioProfileCreated, &m, map[string]any{"source": "api"})
	fakekit.WriteJSON(w, contract.QualifioStatusMemberCreated, f.memberJSON(&m))
}

// memberID returns the unescaped id at the end of a member path.
func memberID(r *http.Request) string {
	id, _ := fakekit.PathID(r, pathMembers+"/")
	return id
}

// memberOr404 returns the member at the end of r's path, or answers 404 and
// returns nil. Callers hold f.mu.
func (f *Fake) memberOr404(w http.ResponseWriter, r *http.Request) *member {
	m := f.members[memberID(r)]
	if m == nil {
		WriteError(w, http.StatusNotFound, "member not found")
	}
	return m
}

func (f *Fake) getMember(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.memberOr404(w, r)
	if m == nil {
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, f.memberJSON(m))
}

func (f *Fake) lookupMember(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	email, cid := q.Get(contract.QualifioQueryEmail), q.Get(contract.QualifioQueryCustomerID)
	if (email == "") == (cid == "") {
		WriteError(w, http.StatusBadRequest, fmt.Sprintf("send exactly one of %s or %s", contract.QualifioQueryEmail, contract.QualifioQueryCustomerID))
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	var id string
	if email != "" {
		id = f.byEmail[strings.ToLower(email)]
	} else {
		id = f.byCustomer[cid]
	}
	m := f.members[id]
	if m == nil {
		WriteError(w, http.StatusNotFound, "no member with that identity")
		return
	}
	fakekit.WriteJSON(w, http.StatusOK, f.memberJSON(m))
}

func (f *Fake) patchMember(w http.ResponseWriter, r *http.Request) {
	var patch map[string]json.RawMessage
	if !f.readJSON(w, r, &patch) {
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	old := f.memberOr404(w, r)
	if old == nil {
		return
	}
	m, err := applyPatch(*old, patch)
	if err != nil {
		WriteError(w, http.StatusBadRequest, err.Error())
		return
	}
	if f.conflict(&m) {
		WriteError(w, http.StatusConflict, "the email or customerId already belongs to another member")
		return
	}
	m.updatedAt = f.env.Now()
	if !m.updatedAt.After(old.updatedAt) { // updatedAt advances even on a frozen clock
		m.updatedAt = old.updatedAt.Add(time.Millisecond)
	}
	f.index(old, false)
	*old = m
	f.index(old, true)
	fakekit.WriteJSON(w, http.StatusOK, f.memberJSON(old))
}

func (f *Fake) deleteMember(w http.ResponseWriter, r *http.Request) {
	f.mu.Lock()
	defer f.mu.Unlock()
	m := f.memberOr404(w, r)
	if m == nil {
		return
	}
	f.index(m, false)
	delete(f.members, m.id)
	w.WriteHeader(contract.QualifioStatusMemberDeleted)
}
