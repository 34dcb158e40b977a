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
func FormatTime(t time.Time) string {
	var b [len(WireTime)]byte
	return string(AppendTime(b[:0], t))
}

// AppendTime appends t in WireTime, as t.UTC().AppendFormat(b, WireTime)
// does, without reading the layout: every answer carries timestamps.
func AppendTime(b []byte, t time.Time) []byte {
	t = t.UTC()
	year, month, day := t.Date()
	if year < 0 || year > 9999 {
		return t.AppendFormat(b, WireTime) // its own way with such years
	}
	hour, minute, sec := t.Clock()
	b = appendDigits(b, year, 4)
	b = append(b, '-')
	b = appendDigits(b, int(month), 2)
	b = append(b, '-')
	b = appendDigits(b, day, 2)
	b = append(b, 'T')
	b = appendDigits(b, hour, 2)
	b = append(b, ':')
	b = appendDigits(b, minute, 2)
	b = append(b, ':')
	b = appendDigits(b, sec, 2)
	b = append(b, '.')
	b = appendDigits(b, t.Nanosecond()/1e6, 3) // .000 truncates
	return append(b, 'Z')
}

// appendDigits appends n, 0 <= n < 10^width, zero-padded to width.
func appendDigits(b []byte, n, width int) []byte {
	for i := width - 1; i >= 0; i-- {
		d := n
		for range i {
			d /= 10
		}
		b = append(b, byte('0'+d%10))
	}
	return b
}

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

// MaxExact is the one bound on money and points in the fakes: every amount
// and every balance or total they accumulate stays within ±MaxExact
// (2^53−1), the integers a JSON number (an IEEE 754 double) represents
// exactly, so that what the fakes answer reads back unchanged in any JSON
// client. Float and Int reject a value beyond it (ErrOutOfRange: 400 in the
// platform's error shape); an addition that would leave the range is
// refused by the fake with 422 before anything changes (see Add).
const MaxExact = 1<<53 - 1

// ErrOutOfRange is the error of Float and Int for a value beyond ±MaxExact;
// ReadJSON returns it as such so that the fake can say what is wrong.
var ErrOutOfRange = errors.New("number out of range: |v| must be at most 2^53-1 (9007199254740991)")

// Add returns a+b, and false when the sum leaves ±MaxExact (or T itself)
// so that the caller refuses the change instead of storing a wrapped or
// inexact total.
func Add[T ~int | ~int64](a, b T) (T, bool) {
	s := a + b
	if (b > 0 && s < a) || (b < 0 && s > a) || s > MaxExact || s < -MaxExact {
		return 0, false
	}
	return s, true
}

// Float is a decimal sent as a JSON number or as a numeric string
// (Influence.io's money in major units; the live API may expect strings).
// NaN and infinities are malformed; |v| > MaxExact is ErrOutOfRange.
type Float float64

// UnmarshalJSON implements json.Unmarshaler.
func (n *Float) UnmarshalJSON(b []byte) error {
	s, ok, err := numberText(b)
	if err != nil || !ok {
		return err
	}
	v, err := strconv.ParseFloat(s, 64)
	if errors.Is(err, strconv.ErrRange) || (err == nil && math.Abs(v) > MaxExact) {
		return ErrOutOfRange
	}
	if err != nil || math.IsNaN(v) {
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
// is malformed; |v| > MaxExact is ErrOutOfRange, whether written as digits
// or in exponent form.
type Int int

// UnmarshalJSON implements json.Unmarshaler.
func (n *Int) UnmarshalJSON(b []byte) error {
	s, ok, err := numberText(b)
	if err != nil || !ok {
		return err
	}
	v, err := strconv.ParseInt(s, 10, 64)
	if err == nil {
		if v > MaxExact || v < -MaxExact {
			return ErrOutOfRange
		}
		*n = Int(v)
		return nil
	}
	if errors.Is(err, strconv.ErrRange) {
		return ErrOutOfRange
	}
	f, err := strconv.ParseFloat(s, 64)
	switch {
	case errors.Is(err, strconv.ErrRange) || (err == nil && math.Abs(f) > MaxExact):
		return ErrOutOfRange
	case err != nil || f != math.Trunc(f):
		return errors.New("not an integer")
	}
	*n = Int(f)
	return nil
}
