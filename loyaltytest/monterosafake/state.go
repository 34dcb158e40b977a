package monterosafake

import (
	"maps"
	"slices"
	"sort"
)

// ProfileState is a read-only copy of one user's profile, for loyaltytest's
// inspection API (the admin API serves it as JSON).
type ProfileState struct {
	UserID     string                       `json:"userId"`
	Metrics    map[string]float64           `json:"metrics"`
	Inventory  map[string][]string          `json:"inventory"`
	Challenges map[string]ChallengeProgress `json:"challenges"`
	Unread     int                          `json:"unreadNotifications"`
	// Notifications are the unread notifications, oldest first: what the
	// next GET of the notifications returns (and marks read).
	Notifications []NotificationState `json:"notifications"`
}

// NotificationState is one unread notification.
type NotificationState struct {
	ID        string `json:"id"`
	Timestamp int64  `json:"timestamp"` // epoch ms
	Type      string `json:"type"`
	Title     string `json:"title"`
	Message   string `json:"message"`
}

// ChallengeProgress is a user's progress in one challenge.
type ChallengeProgress struct {
	IsCompleted       bool     `json:"isCompleted"`
	MissionsCompleted []string `json:"missionsCompleted"`
}

// Profiles returns every profile created so far, by user id.
func (f *Fake) Profiles() []ProfileState {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := make([]ProfileState, 0, len(f.profiles))
	for id, p := range f.profiles {
		s := ProfileState{
			UserID: id, Metrics: maps.Clone(p.metrics), Inventory: map[string][]string{},
			Challenges: map[string]ChallengeProgress{}, Unread: len(p.unread),
			Notifications: make([]NotificationState, 0, len(p.unread)),
		}
		for _, n := range p.unread {
			s.Notifications = append(s.Notifications, NotificationState{ID: n.ID, Timestamp: n.Timestamp, Type: n.Type, Title: n.Title, Message: n.Message})
		}
		if s.Metrics == nil {
			s.Metrics = map[string]float64{}
		}
		for k, v := range p.inventory {
			s.Inventory[k] = slices.Clone(v)
		}
		for k, v := range p.challenges {
			if v != nil {
				s.Challenges[k] = ChallengeProgress{IsCompleted: v.IsCompleted, MissionsCompleted: slices.Clone(v.MissionsCompleted)}
			}
		}
		out = append(out, s)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].UserID < out[j].UserID })
	return out
}

// Config returns a copy of the space configuration.
func (f *Fake) Config() Config {
	f.mu.Lock()
	defer f.mu.Unlock()
	return f.config.clone()
}

// Coupons returns every coupon, by id.
func (f *Fake) Coupons() []Coupon {
	f.mu.Lock()
	defer f.mu.Unlock()
	out := slices.Collect(maps.Values(f.coupons))
	sort.Slice(out, func(i, j int) bool { return out[i].ID < out[j].ID })
	return out
}
