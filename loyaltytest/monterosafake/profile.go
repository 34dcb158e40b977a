package monterosafake

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"maps"
	"net/http"
	"slices"
	"strconv"
	"unicode/utf8"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// profile is one user's state.
type profile struct {
	metrics    map[string]float64
	inventory  map[string][]string
	challenges map[string]*progress
	unread     []notificationJSON
	history    []historyJSON
	lastTS     int64 // history and notification timestamps strictly increase
}

type progress struct {
	IsCompleted       bool     `json:"isCompleted"`
	MissionsCompleted []string `json:"missionsCompleted"`
}

type profileJSON struct {
	Metrics    map[string]float64   `json:"metrics"`
	Inventory  map[string][]string  `json:"inventory"`
	Challenges map[string]*progress `json:"challenges"`
}

type payloadJSON struct {
	ChallengeID      string                 `json:"challengeId,omitempty"`
	MissionID        string                 `json:"missionId,omitempty"`
	MetricChanges    map[string]valueChange `json:"metricChanges,omitempty"`
	InventoryChanges *inventoryChanges      `json:"inventoryChanges,omitempty"`
}

type valueChange struct {
	OldValue float64 `json:"oldValue"`
	NewValue float64 `json:"newValue"`
}

type inventoryChanges struct {
	Received []inventoryRef `json:"received"`
	Lost     []inventoryRef `json:"lost"`
}

type inventoryRef struct {
	SetID  string `json:"setId"`
	ItemID string `json:"itemId"`
}

type notificationJSON struct {
	ID        string      `json:"id"`
	Timestamp int64       `json:"timestamp"`
	Type      string      `json:"type"`
	Display   string      `json:"display"`
	Title     string      `json:"title"`
	Message   string      `json:"message"`
	Payload   payloadJSON `json:"payload"`
}

type historyJSON struct {
	ID        string      `json:"id"`
	Timestamp int64       `json:"timestamp"`
	Type      string      `json:"type"`
	Payload   payloadJSON `json:"payload"`
}

// profileOf returns the user's profile, creating an empty one as the
// platform does. Callers hold f.mu.
func (f *Fake) profileOf(user string) *profile {
	p := f.profiles[user]
	if p == nil {
		p = &profile{metrics: map[string]float64{}, inventory: map[string][]string{}, challenges: map[string]*progress{}}
		f.profiles[user] = p
	}
	return p
}

func (f *Fake) getProfile(w http.ResponseWriter, _ *http.Request, user string) {
	f.mu.Lock()
	p := f.profileOf(user)
	out := profileJSON{
		Metrics:    maps.Clone(p.metrics), // never nil: profileOf makes it
		Inventory:  make(map[string][]string, len(p.inventory)),
		Challenges: make(map[string]*progress, len(p.challenges)),
	}
	for k, v := range p.inventory {
		out.Inventory[k] = slices.Clone(v)
	}
	for k, v := range p.challenges {
		out.Challenges[k] = &progress{IsCompleted: v.IsCompleted, MissionsCompleted: slices.Clone(v.MissionsCompleted)}
	}
	f.mu.Unlock()
	writeOK(w, out)
}

// getNotifications returns the unread notifications and marks them read.
func (f *Fake) getNotifications(w http.ResponseWriter, _ *http.Request, user string) {
	f.mu.Lock()
	p := f.profileOf(user)
	out := p.unread
	p.unread = nil
	f.mu.Unlock()
	if out == nil {
		out = []notificationJSON{}
	}
	writeOK(w, out)
}

// getHistory returns up to a page of items with from <= timestamp <= to.
func (f *Fake) getHistory(w http.ResponseWriter, r *http.Request, user string) {
	q := r.URL.Query()
	from, to := int64(0), int64(1<<63-1)
	for _, b := range []struct {
		name string
		v    *int64
	}{{contract.MonterosaQueryFrom, &from}, {contract.MonterosaQueryTo, &to}} {
		if s := q.Get(b.name); s != "" {
			n, err := strconv.ParseInt(s, 10, 64)
			if err != nil || n < 0 {
				WriteError(w, http.StatusBadRequest, "Bad Request: "+b.name+" must be a non-negative integer (epoch ms)")
				return
			}
			*b.v = n
		}
	}
	if from > to {
		WriteError(w, http.StatusBadRequest, "Bad Request: from is after to")
		return
	}
	out := []historyJSON{}
	f.mu.Lock()
	p := f.profileOf(user)
	i, _ := slices.BinarySearchFunc(p.history, from, func(h historyJSON, t int64) int {
		return cmp.Compare(h.Timestamp, t)
	})
	for ; i < len(p.history) && p.history[i].Timestamp <= to && len(out) < contract.MonterosaHistoryPageSize; i++ {
		out = append(out, p.history[i])
	}
	f.mu.Unlock()
	writeOK(w, out)
}

type actionJSON struct {
	Action *string                    `json:"action"`
	Data   map[string]json.RawMessage `json:"data"`
}

// validate applies the same checks as the client: a non-empty action, and
// flat data of strings (at most 1024 code points), numbers and booleans.
func (a *actionJSON) validate() error {
	if a.Action == nil || *a.Action == "" {
		return errors.New("action is required")
	}
	for k, raw := range a.Data {
		raw = bytes.TrimSpace(raw)
		switch {
		case len(raw) == 0:
			return fmt.Errorf("data.%s: missing value", k)
		case raw[0] == '"':
			var s string
			if err := json.Unmarshal(raw, &s); err != nil {
				return fmt.Errorf("data.%s: invalid string", k)
			}
			if utf8.RuneCountInString(s) > contract.MonterosaMaxStringLen {
				return fmt.Errorf("data.%s: strings are at most %d characters", k, contract.MonterosaMaxStringLen)
			}
		case bytes.Equal(raw, []byte("true")) || bytes.Equal(raw, []byte("false")):
		case raw[0] == '-' || (raw[0] >= '0' && raw[0] <= '9'):
		default:
			return fmt.Errorf("data.%s: only strings, numbers and booleans are allowed", k)
		}
	}
	return nil
}

// postAction completes the missions whose type is the action, the challenges
// whose missions are then all complete, and grants their rewards.
func (f *Fake) postAction(w http.ResponseWriter, r *http.Request, user string) {
	var a actionJSON
	if !fakekit.ReadBody(w, r, f.env.MaxBody, &a, bodyMessages, WriteError) {
		return
	}
	if err := a.validate(); err != nil {
		WriteError(w, http.StatusBadRequest, "Bad Request: "+err.Error())
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.profileOf(user)
	now := f.env.Now().UnixMilli()
	for _, ch := range f.config.Challenges {
		if (ch.Time.From != 0 && now < ch.Time.From) || (ch.Time.To != 0 && now > ch.Time.To) {
			continue
		}
		pr := p.challenges[ch.ID]
		if pr != nil && pr.IsCompleted {
			continue
		}
		for _, m := range ch.Missions {
			if m.Type != *a.Action || (pr != nil && slices.Contains(pr.MissionsCompleted, m.ID)) {
				continue
			}
			if pr == nil {
				pr = &progress{MissionsCompleted: []string{}}
				p.challenges[ch.ID] = pr
			}
			pr.MissionsCompleted = append(pr.MissionsCompleted, m.ID)
			f.record(p, contract.MonterosaTypeMissionCompleted, m.Notification, payloadJSON{ChallengeID: ch.ID, MissionID: m.ID})
		}
		if pr == nil || len(ch.Missions) == 0 || len(pr.MissionsCompleted) < len(ch.Missions) {
			continue
		}
		pr.IsCompleted = true
		f.record(p, contract.MonterosaTypeChallengeCompleted, ch.Notification, f.grant(p, ch))
	}
	w.WriteHeader(contract.MonterosaStatusAction) // documented: 200 with no content
}

// grant applies a completed challenge's rewards and describes the changes.
// Callers hold f.mu.
func (f *Fake) grant(p *profile, ch Challenge) payloadJSON {
	pl := payloadJSON{ChallengeID: ch.ID}
	for _, rw := range ch.Rewards {
		switch rw.Type {
		case RewardMetric:
			def, _ := f.config.metric(rw.MetricID)
			old, ok := p.metrics[rw.MetricID]
			if !ok {
				old = def.DefaultValue
			}
			v := old + rw.MetricQuantity
			if def.MinimumValue != 0 || def.MaximumValue != 0 {
				v = min(max(v, def.MinimumValue), def.MaximumValue)
			}
			p.metrics[rw.MetricID] = v
			if pl.MetricChanges == nil {
				pl.MetricChanges = map[string]valueChange{}
			}
			if prev, ok := pl.MetricChanges[rw.MetricID]; ok {
				old = prev.OldValue
			}
			pl.MetricChanges[rw.MetricID] = valueChange{OldValue: old, NewValue: v}
		case RewardInventory:
			if slices.Contains(p.inventory[rw.InventorySetID], rw.InventoryItemID) {
				continue
			}
			p.inventory[rw.InventorySetID] = append(p.inventory[rw.InventorySetID], rw.InventoryItemID)
			if pl.InventoryChanges == nil {
				pl.InventoryChanges = &inventoryChanges{Received: []inventoryRef{}, Lost: []inventoryRef{}}
			}
			pl.InventoryChanges.Received = append(pl.InventoryChanges.Received, inventoryRef{SetID: rw.InventorySetID, ItemID: rw.InventoryItemID})
		}
	}
	return pl
}

// record adds a history item and an unread notification with the same id
// and a timestamp later than any before it. Callers hold f.mu.
func (f *Fake) record(p *profile, typ string, n Notification, pl payloadJSON) {
	ts := max(f.env.Now().UnixMilli(), p.lastTS+1)
	p.lastTS = ts
	id := f.env.NewID()
	p.history = append(p.history, historyJSON{ID: id, Timestamp: ts, Type: typ, Payload: pl})
	p.unread = append(p.unread, notificationJSON{
		ID: id, Timestamp: ts, Type: typ, Display: n.Display, Title: n.Title, Message: n.Message, Payload: pl,
	})
}
