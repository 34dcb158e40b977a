package yotpofake

import (
	"errors"
	"time"
)

// Wire helpers for Yotpo's time encodings; its timestamp form and tolerant
// integers are fakekit.FormatTime and fakekit.Int.

// parseTime accepts RFC 3339, Yotpo's `YYYY-MM-DD HH:MM:SS` order example
// (read as UTC), and a plain date.
func parseTime(s string) (time.Time, error) {
	for _, layout := range []string{time.RFC3339Nano, "2006-01-02 15:04:05", "2006-01-02"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t, nil
		}
	}
	return time.Time{}, errors.New("not a date-time")
}

// parseOptionalTime parses s when it is present and non-empty.
func parseOptionalTime(s *string) (*time.Time, error) {
	if s == nil || *s == "" {
		return nil, nil
	}
	t, err := parseTime(*s)
	if err != nil {
		return nil, err
	}
	return &t, nil
}
