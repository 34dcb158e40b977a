package qualifiofake

import (
	"sort"
	"time"
)

// MemberState is a read-only copy of one member, for loyaltytest's
// inspection API (the admin API serves it as JSON).
type MemberState struct {
	ID         string    `json:"id"`
	Email      string    `json:"email,omitempty"`
	CustomerID string    `json:"customerId,omitempty"`
	Firstname  string    `json:"firstname,omitempty"`
	Lastname   string    `json:"lastname,omitempty"`
	Balance    float64   `json:"balance"`
	Lifetime   float64   `json:"lifetime"`
	Level      *Level    `json:"level"`
	CreatedAt  time.Time `json:"createdAt"`
}

// Members returns every member, oldest first.
func (f *Fake) Members() []MemberState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]MemberState, 0, len(f.members))
	for _, m := range f.members {
		s := MemberState{
			ID: m.id, Email: m.email, CustomerID: m.customerID, Firstname: m.firstname, Lastname: m.lastname,
			Balance: m.balance, Lifetime: m.lifetime, CreatedAt: m.createdAt,
		}
		if m.level != nil {
			l := *m.level
			s.Level = &l
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool {
		if !out[i].CreatedAt.Equal(out[j].CreatedAt) {
			return out[i].CreatedAt.Before(out[j].CreatedAt)
		}
		return out[i].ID < out[j].ID
	})
	return out
}

// EarningRule returns the earning rule in force.
func (f *Fake) EarningRule() EarningRule {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.rule
}

// MappedEventIDs returns the ids of the mapped-event integrations, sorted.
func (f *Fake) MappedEventIDs() []string {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]string, 0, len(f.mapped))
	for id := range f.mapped {
		out = append(out, id)
	}
	sort.Strings(out)
	return out
}
