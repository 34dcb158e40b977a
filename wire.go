package loyalty

// The tolerant decoders of platform JSON that every platform's mapping
// uses: an unexpected JSON type for a field leaves it at its zero value
// instead of failing the decode (unknown fields and values never do).

import (
	"bytes"
	"encoding/json"
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
// own examples send cents as "15000"); anything else is 0.
type wireInt int64

func (n *wireInt) UnmarshalJSON(b []byte) error {
	if len(b) > 1 && b[0] == '"' {
		b = bytes.TrimSpace(b[1 : len(b)-1])
	}
	if v, ok := parseInt(b); ok {
		*n = wireInt(v)
	} else if f, err := strconv.ParseFloat(string(b), 64); err == nil && f == math.Trunc(f) && math.Abs(f) < 1<<53 {
		*n = wireInt(f) // 12.0, 1e3
	}
	return nil
}

// parseInt reads a decimal integer of at most 18 digits without allocating.
func parseInt(b []byte) (int64, bool) {
	neg := len(b) > 0 && b[0] == '-'
	if neg {
		b = b[1:]
	}
	if len(b) == 0 || len(b) > 18 {
		return 0, false
	}
	var v int64
	for _, c := range b {
		if c < '0' || c > '9' {
			return 0, false
		}
		v = v*10 + int64(c-'0')
	}
	if neg {
		v = -v
	}
	return v, true
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

// wireBool decodes a boolean sent as true/false, as the strings "true"
// and "false", or as 1 and 0 (quoted or not); anything else is false.
type wireBool bool

func (v *wireBool) UnmarshalJSON(b []byte) error {
	if s, ok := jsonString(b); ok {
		b = []byte(strings.TrimSpace(s))
	}
	switch strings.ToLower(string(b)) {
	case "true", "1":
		*v = true
	default:
		*v = false
	}
	return nil
}
