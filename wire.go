package loyalty

// The tolerant decoders of platform JSON that every platform's mapping
// uses: an unexpected JSON type for a field leaves it at its zero value
// instead of failing the decode (unknown fields and values never do).

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"strconv"
	"strings"
)

// jsonString returns the text of a JSON string. An escape-free string (every
// timestamp, number and most names) is read without the general decoder;
// ok is false for anything but a string.
func jsonString(b []byte) (string, bool) {
	if len(b) < 2 || b[0] != '"' || b[len(b)-1] != '"' {
		return "", false
	}
	if bytes.IndexByte(b, '\\') < 0 {
		return string(b[1 : len(b)-1]), true
	}
	var s string
	return s, json.Unmarshal(b, &s) == nil
}

// wireInt decodes an integer sent as a number or a numeric string (Yotpo's
// own examples send cents as "15000"); anything else is 0, and a decode
// issue (see wireProblem).
type wireInt int64

func (n *wireInt) UnmarshalJSON(b []byte) error {
	v, _ := readInt(b)
	*n = wireInt(v)
	return nil
}

func (wireInt) wireProblem(b []byte) string { _, p := readInt(b); return p }

// readInt reads what wireInt accepts: an integer as a JSON number or a
// numeric string, any int64 exactly; null and "" are 0 and fine. Otherwise
// it returns 0 and the problem (never quoting the value).
func readInt(b []byte) (int64, string) {
	if len(b) > 1 && b[0] == '"' {
		b = bytes.TrimSpace(b[1 : len(b)-1])
		if len(b) == 0 {
			return 0, ""
		}
	} else if len(b) == 0 || b[0] == 'n' {
		return 0, ""
	} else if c := b[0]; c != '-' && (c < '0' || c > '9') {
		return 0, "want integer, got " + jsonKind(c)
	}
	v, ok, overflow := parseInt(b)
	switch {
	case ok:
		return v, ""
	case overflow:
		return 0, problemIntRange
	}
	f, err := strconv.ParseFloat(string(b), 64) // 12.0, 1e3
	switch {
	case err != nil && !errors.Is(err, strconv.ErrRange):
		return 0, "want integer, got a string that is not a number"
	case err != nil || math.Abs(f) >= 1<<53:
		return 0, problemIntRange // beyond 2^53 a float cannot say which integer
	case f != math.Trunc(f):
		return 0, "want integer, got a fraction"
	}
	return int64(f), ""
}

const problemIntRange = "integer out of range"

// parseInt reads a decimal integer without allocating: any int64 exactly,
// MinInt64 and MaxInt64 included. ok is false for anything but digits
// after an optional minus; overflow says the digits are past the int64
// range.
func parseInt(b []byte) (v int64, ok, overflow bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 {
		return 0, false, false
	}
	var u uint64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false, false
		}
		if u > (math.MaxUint64-9)/10 {
			overflow = true // keep scanning: "1e999" is no overflow of digits
			continue
		}
		u = u*10 + uint64(c-'0')
	}
	switch {
	case overflow:
	case neg && u <= 1<<63:
		return -int64(u), true, false // 1<<63 wraps to MinInt64, as it should
	case !neg && u <= math.MaxInt64:
		return int64(u), true, false
	}
	return 0, false, true
}

// wireText decodes a text field that a platform may send as a string, a
// number or null (an id of 42 keeps its digits), so that an unexpected
// JSON type never fails a decode.
type wireText string

func (t *wireText) UnmarshalJSON(b []byte) error {
	if s, ok := jsonString(b); ok {
		*t = wireText(s)
	} else if string(b) != "null" {
		*t = wireText(b)
	}
	return nil
}

// wireProblem: a text is a string or a number (an id); true, an object or
// an array is not one.
func (wireText) wireProblem(b []byte) string {
	if c := b[0]; c == 't' || c == 'f' || c == '{' || c == '[' {
		return "want string, got " + jsonKind(c)
	}
	return ""
}

// wireBool decodes a boolean sent as true/false, as the strings "true"
// and "false", or as 1 and 0 (quoted or not); anything else is false.
type wireBool bool

func (v *wireBool) UnmarshalJSON(b []byte) error {
	if s, ok := jsonString(b); ok {
		b = []byte(strings.TrimSpace(s))
	}
	*v = wireBool(readBool(b) == 1)
	return nil
}

func (wireBool) wireProblem(b []byte) string {
	if readBool(b) < 0 {
		return "want boolean, got " + jsonKind(b[0])
	}
	return ""
}

// readBool reads what wireBool accepts: 1 for true, 0 for false, null and
// ""; -1 for anything else.
func readBool(b []byte) int {
	if s, ok := jsonString(b); ok {
		b = []byte(strings.TrimSpace(s))
		if len(b) == 0 {
			return 0
		}
	}
	switch {
	case string(b) == "null":
		return 0
	case bytes.EqualFold(b, []byte("true")) || string(b) == "1":
		return 1
	case bytes.EqualFold(b, []byte("false")) || string(b) == "0":
		return 0
	}
	return -1
}
