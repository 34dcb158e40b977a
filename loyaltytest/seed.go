package loyaltytest

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"maps"
	"math"
	"os"
	"reflect"
	"slices"
	"strings"
)

// A Seed is the configuration of each platform's program, loaded into a
// Server at start (WithSeed, WithSeedFile, WithDemoData), at run time
// (Server.Seed) or over the admin API (POST /_fake/api/seed). Every section
// is optional; a seed adds to what the server holds (Reset first to
// replace it).
//
// Its JSON form is the seed file format read by WithSeedFile and by
// cmd/loyaltyfake -seed FILE. Every key is a json tag: the section keys
// below ("yotpo", "influenceio", "qualifio", "monterosa"), the lists' keys,
// and inside a Yotpo, Influence.io or Qualifio rule the camelCase tags of
// its type ("type", "rewardPoints", ...; keys are matched without regard to
// case, as encoding/json does, so files written with the Go field names
// still load); inside a Monterosa space they are the space's own wire names
// (the json tags of MonterosaSpace's parts). The admin API serves the same
// types with the same keys.
// DemoSeedJSON prints a complete example; testdata/seed.json in this
// package is another.
type Seed struct {
	Yotpo       *YotpoSeed       `json:"yotpo,omitempty"`
	InfluenceIO *InfluenceIOSeed `json:"influenceio,omitempty"`
	Qualifio    *QualifioSeed    `json:"qualifio,omitempty"`
	Monterosa   *MonterosaSeed   `json:"monterosa,omitempty"`
}

// YotpoSeed is the Yotpo section of a Seed: what the merchant set up in
// Loyalty admin. IDs left zero are assigned; an explicit ID must be unique
// in its list, replaces a campaign, option or tier the fake holds with that
// ID, and is never assigned to anything else.
type YotpoSeed struct {
	Campaigns         []YotpoCampaign         `json:"campaigns,omitempty"`
	RedemptionOptions []YotpoRedemptionOption `json:"redemptionOptions,omitempty"`
	VIPTiers          []YotpoVIPTier          `json:"vipTiers,omitempty"`
}

// InfluenceIOSeed is the Influence.io section of a Seed. An earn rule or
// tier replaces one with the same ID.
type InfluenceIOSeed struct {
	EarnRules []InfluenceIOEarnRule `json:"earnRules,omitempty"`
	Tiers     []InfluenceIOTier     `json:"tiers,omitempty"`
}

// QualifioSeed is the Qualifio section of a Seed: the program's single
// earning rule (nil keeps the one in force) and its "Incoming event"
// integrations (one with the same ID is replaced).
type QualifioSeed struct {
	EarningRule  *QualifioEarningRule  `json:"earningRule,omitempty"`
	MappedEvents []QualifioMappedEvent `json:"mappedEvents,omitempty"`
}

// MonterosaSeed is the Monterosa section of a Seed: the space configuration
// (nil keeps the one in force; a space replaces it whole) and coupons (one
// with the same ID is replaced).
type MonterosaSeed struct {
	Space   *MonterosaSpace   `json:"space,omitempty"`
	Coupons []MonterosaCoupon `json:"coupons,omitempty"`
}

// A SeedError names the field of a seed that is wrong, as a path such as
// "yotpo.campaigns[1].type" (json keys), and why.
type SeedError struct {
	Source string // the file, or "" for a Seed value or a request body
	// Field is "" when the fault is not in one field (malformed JSON). A
	// value that does not decode is named with the keys as written and its
	// list index ("yotpo.campaigns[2].endsAt").
	Field  string
	Reason string
}

// Error says where the seed is wrong: source, field and reason.
func (e *SeedError) Error() string {
	var b strings.Builder
	b.WriteString("loyaltytest: seed")
	if e.Source != "" {
		b.WriteString(" " + e.Source)
	}
	if e.Field != "" {
		b.WriteString(": " + e.Field)
	}
	b.WriteString(": " + e.Reason)
	return b.String()
}

// MaxSeedBytes bounds a seed file or request body.
const MaxSeedBytes = 8 << 20

// DecodeSeed reads a seed in its JSON form, strictly: an unknown field, a
// value of the wrong type, trailing data or a value Validate refuses is a
// *SeedError naming the field. It reads at most MaxSeedBytes.
func DecodeSeed(r io.Reader) (Seed, error) {
	var s Seed
	if err := decodeStrict(io.LimitReader(r, MaxSeedBytes+1), &s, MaxSeedBytes); err != nil {
		return Seed{}, err
	}
	if err := s.Validate(); err != nil {
		return Seed{}, err
	}
	return s, nil
}

// LoadSeedFile reads and checks the seed file at path, as DecodeSeed does;
// errors name the file.
func LoadSeedFile(path string) (Seed, error) {
	f, err := os.Open(path)
	if err != nil {
		return Seed{}, &SeedError{Source: path, Reason: err.Error()}
	}
	defer f.Close()
	s, err := DecodeSeed(f)
	var se *SeedError
	if errors.As(err, &se) {
		se.Source = path
	}
	return s, err
}

// decodeStrict decodes one JSON value from r into v, refusing unknown
// fields, wrong types, more than max bytes and trailing data, with a
// *SeedError naming the field where encoding/json says which.
func decodeStrict(r io.Reader, v any, max int64) error {
	data, err := io.ReadAll(r)
	if err != nil {
		return &SeedError{Reason: "reading: " + err.Error()}
	}
	if int64(len(data)) > max {
		return &SeedError{Reason: fmt.Sprintf("larger than %d bytes", max)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return jsonError(data, reflect.TypeOf(v), err)
	}
	if _, err := dec.Token(); err != io.EOF {
		return &SeedError{Reason: "unexpected data after the JSON value"}
	}
	return nil
}

// jsonError turns a decoding error of data into t into a *SeedError with
// the field (for type errors, bad times and unknown fields) or the line (for
// syntax errors).
func jsonError(data []byte, t reflect.Type, err error) error {
	var te *json.UnmarshalTypeError
	var se *json.SyntaxError
	switch {
	case errors.As(err, &te):
		field := te.Field // without list indexes: locate finds them
		if f, _ := locate(data, t, ""); f != "" {
			field = f
		}
		return &SeedError{Field: field, Reason: fmt.Sprintf("a JSON %s cannot be a %s", te.Value, te.Type)}
	case errors.As(err, &se):
		line := 1 + bytes.Count(data[:min(int(se.Offset), len(data))], []byte("\n"))
		return &SeedError{Reason: fmt.Sprintf("malformed JSON on line %d: %v", line, err)}
	case errors.Is(err, io.EOF):
		return &SeedError{Reason: "empty: want a JSON object"}
	case errors.Is(err, io.ErrUnexpectedEOF):
		return &SeedError{Reason: "malformed JSON: it ends before the value does"}
	}
	msg := err.Error()
	if name, ok := strings.CutPrefix(msg, "json: unknown field "); ok {
		name = strings.Trim(name, `"`)
		// encoding/json names the bare key: find where it is.
		field, found := unknownField(data, t, name, "")
		if !found {
			field = name
		}
		return &SeedError{Field: field, Reason: "unknown field"}
	}
	// A value's own UnmarshalJSON failed (a bad time): encoding/json does not
	// say where, so find the key.
	field, ferr := locate(data, t, "")
	if ferr != nil {
		msg = ferr.Error()
	}
	return &SeedError{Field: field, Reason: strings.TrimPrefix(msg, "json: ")}
}

// locate returns the path (keys as written, list indexes in brackets) of the
// innermost value of data that does not decode into t, and its error; ""
// when data decodes. Unknown keys are skipped: the strict decoder names them.
func locate(data []byte, t reflect.Type, path string) (string, error) {
	err := json.Unmarshal(data, reflect.New(t).Interface())
	if err == nil {
		return "", nil
	}
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Struct:
		var obj map[string]json.RawMessage
		if json.Unmarshal(data, &obj) != nil {
			break
		}
		keys := slices.Sorted(maps.Keys(obj))
		for _, k := range keys {
			if sf, ok := fieldByKey(t, k); ok {
				if p, ferr := locate(obj[k], sf.Type, strings.TrimPrefix(path+"."+k, ".")); p != "" {
					return p, ferr
				}
			}
		}
	case reflect.Slice:
		var list []json.RawMessage
		if json.Unmarshal(data, &list) != nil {
			break
		}
		for i, el := range list {
			if p, ferr := locate(el, t.Elem(), fmt.Sprintf("%s[%d]", path, i)); p != "" {
				return p, ferr
			}
		}
	}
	return path, err
}

// unknownField returns the path (keys as written, list indexes in
// brackets) of the first key of data, in document order, that no field of
// t takes and that is written name: where the strict decoder stopped with
// "unknown field name". Values that decode themselves (times) are not
// looked into.
func unknownField(data []byte, t reflect.Type, name, path string) (string, bool) {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if reflect.PointerTo(t).Implements(reflect.TypeFor[json.Unmarshaler]()) {
		return "", false
	}
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		dec := json.NewDecoder(bytes.NewReader(data))
		if tok, err := dec.Token(); err != nil || tok != json.Delim('{') {
			return "", false
		}
		for dec.More() {
			tok, err := dec.Token()
			key, _ := tok.(string)
			var raw json.RawMessage
			if err != nil || dec.Decode(&raw) != nil {
				return "", false
			}
			p := strings.TrimPrefix(path+"."+key, ".")
			elem := t
			if t.Kind() == reflect.Map {
				elem = t.Elem()
			} else if sf, ok := fieldByKey(t, key); ok {
				elem = sf.Type
			} else if key == name {
				return p, true
			} else {
				continue
			}
			if found, ok := unknownField(raw, elem, name, p); ok {
				return found, true
			}
		}
	case reflect.Slice, reflect.Array:
		var list []json.RawMessage
		if json.Unmarshal(data, &list) != nil {
			break
		}
		for i, el := range list {
			if found, ok := unknownField(el, t.Elem(), name, fmt.Sprintf("%s[%d]", path, i)); ok {
				return found, true
			}
		}
	}
	return "", false
}

// fieldByKey is the field of struct type t that encoding/json fills from
// key: its json tag name or, untagged, its name, matched without regard to
// case.
func fieldByKey(t reflect.Type, key string) (reflect.StructField, bool) {
	for i := range t.NumField() {
		sf := t.Field(i)
		name, _, _ := strings.Cut(sf.Tag.Get("json"), ",")
		if name == "-" || !sf.IsExported() {
			continue
		}
		if name == "" {
			name = sf.Name
		}
		if strings.EqualFold(name, key) {
			return sf, true
		}
	}
	return reflect.StructField{}, false
}

// Validate reports the first value of s the fake cannot use, as a
// *SeedError naming its field; nothing of s is applied by Server.Seed then.
func (s Seed) Validate() error {
	v := &validator{}
	if y := s.Yotpo; y != nil {
		v.yotpo(y)
	}
	if i := s.InfluenceIO; i != nil {
		v.influenceIO(i)
	}
	if q := s.Qualifio; q != nil {
		v.qualifio(q)
	}
	if m := s.Monterosa; m != nil {
		v.monterosa(m)
	}
	return v.err
}

// validator keeps the first fault found.
type validator struct{ err error }

// check records a fault at field unless ok or one was found already.
func (v *validator) check(ok bool, field, format string, args ...any) {
	if !ok && v.err == nil {
		v.err = &SeedError{Field: field, Reason: fmt.Sprintf(format, args...)}
	}
}

func (v *validator) nonNegative(n int64, field string) {
	v.check(n >= 0, field, "must not be negative, not %d", n)
}

func (v *validator) finite(x float64, field string) {
	v.check(!math.IsNaN(x) && !math.IsInf(x, 0) && x >= 0, field, "must be a finite number, not negative")
}

// unique reports a repeated non-empty id among ids at field[i].
func (v *validator) unique(field string, ids []string) {
	seen := map[string]bool{}
	for i, id := range ids {
		v.check(id != "", fmt.Sprintf("%s[%d].id", field, i), "is required")
		v.check(!seen[id], fmt.Sprintf("%s[%d].id", field, i), "%q is used twice", id)
		seen[id] = true
	}
}

// uniqueInt reports a repeated explicit (non-zero) id among ids at
// field[i]; zero ids are assigned on load.
func (v *validator) uniqueInt(field string, ids []int64) {
	seen := map[int64]bool{}
	for i, id := range ids {
		v.check(id == 0 || !seen[id], fmt.Sprintf("%s[%d].id", field, i), "%d is used twice", id)
		seen[id] = true
	}
}

var yotpoCampaignTypes = []string{
	YotpoCampaignSpendBased, YotpoCampaignTransactionBased, YotpoCampaignReferral,
	YotpoCampaignCustomAction, YotpoCampaignBirthday,
}

func (v *validator) yotpo(y *YotpoSeed) {
	ids := make([]int64, len(y.Campaigns))
	for i, c := range y.Campaigns {
		ids[i] = c.ID
		f := fmt.Sprintf("yotpo.campaigns[%d].", i)
		v.check(slices.Contains(yotpoCampaignTypes, c.Type), f+"type", "%q is not one of %s", c.Type, strings.Join(yotpoCampaignTypes, ", "))
		v.check(c.Title != "", f+"title", "is required")
		v.check(c.Type != YotpoCampaignCustomAction || c.ActionName != "", f+"actionName", "is required for a %s", YotpoCampaignCustomAction)
		v.nonNegative(c.ID, f+"id")
		v.nonNegative(c.RewardPoints, f+"rewardPoints")
		v.nonNegative(c.MaxCompletionsPerUser, f+"maxCompletionsPerUser")
	}
	v.uniqueInt("yotpo.campaigns", ids)
	ids = make([]int64, len(y.RedemptionOptions))
	for i, o := range y.RedemptionOptions {
		ids[i] = o.ID
		f := fmt.Sprintf("yotpo.redemptionOptions[%d].", i)
		v.check(o.Name != "", f+"name", "is required")
		v.check(o.Amount > 0, f+"amount", "the points cost must be positive, not %d", o.Amount)
		v.nonNegative(o.ID, f+"id")
		v.nonNegative(o.DiscountAmountCents, f+"discountAmountCents")
		v.finite(o.DiscountPercentage, f+"discountPercentage")
	}
	v.uniqueInt("yotpo.redemptionOptions", ids)
	ids = make([]int64, len(y.VIPTiers))
	for i, t := range y.VIPTiers {
		ids[i] = t.ID
		f := fmt.Sprintf("yotpo.vipTiers[%d].", i)
		v.check(t.Name != "", f+"name", "is required")
		v.nonNegative(t.ID, f+"id")
		v.nonNegative(t.Rank, f+"rank")
		v.nonNegative(t.PointsEarned, f+"pointsEarned")
		v.nonNegative(t.AmountSpentCents, f+"amountSpentCents")
		v.nonNegative(t.PurchasesMade, f+"purchasesMade")
		v.finite(t.PointsMultiplier, f+"pointsMultiplier")
	}
	v.uniqueInt("yotpo.vipTiers", ids)
}

func (v *validator) influenceIO(s *InfluenceIOSeed) {
	ids := make([]string, len(s.EarnRules))
	for i, r := range s.EarnRules {
		ids[i] = r.ID
		v.nonNegative(int64(r.Points), fmt.Sprintf("influenceio.earnRules[%d].points", i))
	}
	v.unique("influenceio.earnRules", ids)
	ids = make([]string, len(s.Tiers))
	for i, t := range s.Tiers {
		f := fmt.Sprintf("influenceio.tiers[%d].", i)
		ids[i] = t.ID
		v.check(t.Title != "", f+"title", "is required")
		v.nonNegative(int64(t.Threshold), f+"threshold")
		if t.EntryReward != nil {
			v.finite(t.EntryReward.DiscountAmount, f+"entryReward.discountAmount")
		}
	}
	v.unique("influenceio.tiers", ids)
}

var qualifioAuthModes = []string{QualifioAuthBearer, QualifioAuthHeader, QualifioAuthQuery, QualifioAuthHubSignature}

func (v *validator) qualifio(s *QualifioSeed) {
	if r := s.EarningRule; r != nil {
		v.check(r.ID != "", "qualifio.earningRule.id", "is required")
		v.finite(r.PerEvent, "qualifio.earningRule.perEvent")
		v.finite(r.PerCurrencyUnit, "qualifio.earningRule.perCurrencyUnit")
	}
	ids := make([]string, len(s.MappedEvents))
	for i, m := range s.MappedEvents {
		f := fmt.Sprintf("qualifio.mappedEvents[%d].", i)
		ids[i] = m.ID
		v.check(m.Auth == "" || slices.Contains(qualifioAuthModes, m.Auth), f+"auth", "%q is not one of %s", m.Auth, strings.Join(qualifioAuthModes, ", "))
		v.check((m.Auth != QualifioAuthHeader && m.Auth != QualifioAuthQuery) || m.Name != "", f+"name", "is required for auth %q", m.Auth)
		v.check(m.Auth == "" || m.Auth == QualifioAuthBearer || m.Secret != "", f+"secret", "is required for auth %q", m.Auth)
	}
	v.unique("qualifio.mappedEvents", ids)
}

func (v *validator) monterosa(s *MonterosaSeed) {
	if sp := s.Space; sp != nil {
		metrics := map[string]bool{}
		for i, m := range sp.Metrics {
			f := fmt.Sprintf("monterosa.space.metrics[%d].", i)
			v.check(m.ID != "", f+"id", "is required")
			v.check(!metrics[m.ID], f+"id", "%q is used twice", m.ID)
			v.check(m.MinimumValue <= m.MaximumValue, f+"minimumValue", "is above maximumValue")
			metrics[m.ID] = true
		}
		items := map[string]map[string]bool{}
		for i, set := range sp.Inventory {
			f := fmt.Sprintf("monterosa.space.inventory[%d].", i)
			v.check(set.ID != "", f+"id", "is required")
			v.check(items[set.ID] == nil, f+"id", "%q is used twice", set.ID)
			items[set.ID] = map[string]bool{}
			for j, it := range set.Items {
				v.check(it.ID != "", fmt.Sprintf("%sitems[%d].id", f, j), "is required")
				items[set.ID][it.ID] = true
			}
		}
		challenges := map[string]bool{}
		for i, ch := range sp.Challenges {
			f := fmt.Sprintf("monterosa.space.challenges[%d].", i)
			v.check(ch.ID != "", f+"id", "is required")
			v.check(!challenges[ch.ID], f+"id", "%q is used twice", ch.ID)
			challenges[ch.ID] = true
			v.check(len(ch.Missions) > 0, f+"missions", "a challenge needs at least one mission")
			for j, m := range ch.Missions {
				mf := fmt.Sprintf("%smissions[%d].", f, j)
				v.check(m.ID != "", mf+"id", "is required")
				v.check(m.Type != "", mf+"type", "is required: the action name that completes the mission")
			}
			for j, r := range ch.Rewards {
				rf := fmt.Sprintf("%srewards[%d].", f, j)
				switch r.Type {
				case MonterosaRewardMetric:
					v.check(metrics[r.MetricID], rf+"metricId", "%q is not a metric of the space", r.MetricID)
				case MonterosaRewardInventory:
					v.check(items[r.InventorySetID] != nil, rf+"inventorySetId", "%q is not an inventory set of the space", r.InventorySetID)
					v.check(items[r.InventorySetID] == nil || items[r.InventorySetID][r.InventoryItemID], rf+"inventoryItemId", "%q is not an item of set %q", r.InventoryItemID, r.InventorySetID)
				default:
					v.check(false, rf+"type", "%q is not %q or %q", r.Type, MonterosaRewardMetric, MonterosaRewardInventory)
				}
			}
		}
	}
	ids := make([]string, len(s.Coupons))
	for i, c := range s.Coupons {
		ids[i] = c.ID
	}
	v.unique("monterosa.coupons", ids)
}

// Seed validates seed, then loads it into the server's platforms; on a
// *SeedError nothing is loaded.
func (s *Server) Seed(seed Seed) error {
	if err := seed.Validate(); err != nil {
		return err
	}
	s.state.RLock()
	defer s.state.RUnlock()
	s.applySeed(seed)
	return nil
}

// applySeed loads a valid seed; callers hold s.state.
func (s *Server) applySeed(seed Seed) {
	if y := seed.Yotpo; y != nil {
		for _, c := range y.Campaigns {
			s.yotpo.AddCampaign(c)
		}
		for _, o := range y.RedemptionOptions {
			s.yotpo.AddRedemptionOption(o)
		}
		for _, t := range y.VIPTiers {
			s.yotpo.AddVIPTier(t)
		}
	}
	if i := seed.InfluenceIO; i != nil {
		for _, r := range i.EarnRules {
			s.influence.AddEarnRule(r)
		}
		for _, t := range i.Tiers {
			s.influence.AddTier(t)
		}
	}
	if q := seed.Qualifio; q != nil {
		if q.EarningRule != nil {
			s.qualifio.SetEarningRule(*q.EarningRule)
		}
		for _, m := range q.MappedEvents {
			s.qualifio.AddMappedEvent(m)
		}
	}
	if m := seed.Monterosa; m != nil {
		if m.Space != nil {
			s.monterosa.SetConfig(*m.Space)
		}
		for _, c := range m.Coupons {
			s.monterosa.AddCoupon(c)
		}
	}
}
