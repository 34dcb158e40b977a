package influenceiofake

import (
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
	"time"
)

// Wire helpers for Influence.io's time and money encodings.

// wireTime is the fake's ISO-8601 form: UTC with milliseconds.
const wireTime = "2006-01-02T15:04:05.000Z"

func formatTime(t time.Time) string { return t.UTC().Format(wireTime) }

func timePtr(t *time.Time) *string {
	if t == nil {
		return nil
	}
	s := formatTime(*t)
	return &s
}

// flexFloat is a decimal in major units sent as a JSON number or as a
// numeric string (the live API may expect strings, §4.6).
type flexFloat float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *flexFloat) UnmarshalJSON(b []byte) error {
	s := string(b)
	if s == "null" {
		return nil
	}
	if strings.HasPrefix(s, `"`) {
		if err := json.Unmarshal(b, &s); err != nil {
			return err
		}
		s = strings.TrimSpace(s)
	}
	v, err := strconv.ParseFloat(s, 64)
	if err != nil || math.IsNaN(v) || math.IsInf(v, 0) {
		return errors.New("not a number")
	}
	*n = flexFloat(v)
	return nil
}

// floatPtr converts an optional flexFloat for output.
func floatPtr(v *flexFloat) *float64 {
	if v == nil {
		return nil
	}
	f := float64(*v)
	return &f
}
