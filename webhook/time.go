package webhook

import (
	"bytes"
	"encoding/json"
	"time"
)

// Time is a time as a platform sends it. It decodes RFC 3339 (with or
// without fractions), the same with an offset without a colon
// ("2006-01-02T15:04:05+0000", fractions allowed), "2006-01-02T15:04:05" and
// "2006-01-02 15:04:05" (read as UTC), "2006-01-02 15:04:05 -0700",
// "2006-01-02 15:04:05 UTC", and plain dates "2006-01-02". A zone given only
// as an abbreviation other than UTC ("PST") is not read: Go would take an
// unknown abbreviation as +0000, hours off. null, "" and anything it cannot
// read decode to the zero Time without an error: a format surprise must not
// reject a delivery.
type Time struct{ time.Time }

// timeLayouts are tried in order when the value is not strict RFC 3339.
var timeLayouts = []string{
	time.RFC3339,               // lenient where time.Time.UnmarshalJSON is strict
	"2006-01-02T15:04:05Z0700", // +0000 without a colon; fractions parse too
	"2006-01-02T15:04:05",
	"2006-01-02 15:04:05",
	"2006-01-02 15:04:05 -0700",
	"2006-01-02 15:04:05 UTC", // the literal UTC only: other abbreviations are ambiguous
	"2006-01-02",
}

// UnmarshalJSON implements json.Unmarshaler; it never fails.
func (t *Time) UnmarshalJSON(b []byte) error {
	t.Time = time.Time{}
	if len(b) < 2 || b[0] != '"' {
		return nil
	}
	// RFC 3339, the usual case, parses without allocating.
	if t.Time.UnmarshalJSON(b) == nil {
		return nil
	}
	t.Time = time.Time{}
	var s string
	if bytes.IndexByte(b, '\\') < 0 {
		s = string(b[1 : len(b)-1])
	} else if json.Unmarshal(b, &s) != nil {
		return nil
	}
	if s == "" {
		return nil
	}
	for _, layout := range timeLayouts {
		if v, err := time.Parse(layout, s); err == nil {
			t.Time = v
			return nil
		}
	}
	return nil
}
