package fakekit

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// Wire helpers shared by the Yotpo and Influence.io fakes: their timestamp
// form and their tolerant number types.

// WireTime is the timestamp form of the Yotpo and Influence.io fakes: UTC
// with milliseconds and a Z.
const WireTime = "2006-01-02T15:04:05.000Z"

// FormatTime formats t in WireTime.
func FormatTime(t time.Time) string { return t.UTC().Format(WireTime) }

// TimePtr formats an optional time for output; nil stays nil.
func TimePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := FormatTime(*t)
	return &s
}

// numberText returns the text of a JSON number or of a JSON string (trimmed
// of surrounding space); null reports false and leaves the value alone.
func numberText(b []byte) (string, bool, error) {
	s := string(b)
	if s == "null" {
		return "", false, nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return "", false, err
		}
		s = strings.TrimSpace(s)
	}
	return s, true, nil
}

// Float is a decimal sent as a JSON number or as a numeric string
// (Influence.io's money in major units; the live API may expect strings).
// NaN and infinities are malformed.
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Float) UnmarshalJSON(b []byte) error {
	s, ok, err := numberText(b)
	if err != nil || !ok {
		return err
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return errors.New("not a number")
	}
	*n = Float(v)
	return nil
}

// FloatPtr converts an optional Float for output; nil stays nil.
func FloatPtr(v *Float) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}

// Int is an integer sent as a JSON number or as a numeric string (Yotpo's
// own order example sends cents as "15000"). A number with a fractional part
// is malformed.
type Int int

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	s, ok, err := numberText(b)
	if err != nil || !ok {
		return err
	}
	if v, err := strconv.Atoi(s); err == nil {
		*n = Int(v)
		return nil
	}
	f, err := strconv.ParseFloat(s, 64)
	if err != nil || f != math.Trunc(f) || math.Abs(f) > math.MaxInt32 {
		return errors.New("not an integer")
	}
	*n = Int(f)
	return nil
}
