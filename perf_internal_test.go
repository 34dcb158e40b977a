package loyalty

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/transport"
)

// These pin what the bench module's profiles found on the decode path, so
// that a change that brings the cost back fails.

func TestParseYotpoDateAllocatesNothing(t *testing.T) {
	if got := parseYotpoTime("2027-05-01"); !got.Equal(time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatalf("parseYotpoTime(date) = %v", got)
	}
	if got := parseYotpoTime("2026-11-20 18:04:05"); !got.Equal(time.Date(2026, 11, 20, 18, 4, 5, 0, time.UTC)) {
		t.Fatalf("parseYotpoTime(space layout) = %v", got)
	}
	if allocs := testing.AllocsPerRun(100, func() { parseYotpoTime("2027-05-01") }); allocs != 0 {
		t.Errorf("parseYotpoTime(date): %v allocations, want 0 (no failed layouts tried)", allocs)
	}
}

func TestDecodeBodyReadsTheBufferedBodyInPlace(t *testing.T) {
	body := []byte(" {\"email\":\"ana@example.com\"}\n")
	var raw json.RawMessage
	if err := (&Response{}).decodeBody(transport.NewBuffered(body), &raw); err != nil {
		t.Fatal(err)
	}
	if string(raw) != `{"email":"ana@example.com"}` {
		t.Fatalf("raw = %q", raw)
	}
	if &raw[0] != &body[1] || cap(raw) != len(raw) {
		t.Error("raw is a copy, or not capped: want the body's own bytes, capped")
	}
	// What decodeJSON refuses is refused the same way.
	for _, bad := range []string{`{"a":1} x`, `{"a":`} {
		if err := (&Response{}).decodeBody(transport.NewBuffered([]byte(bad)), &raw); err == nil {
			t.Errorf("decodeBody(%q) = nil, want an error", bad)
		}
	}
	raw = json.RawMessage("kept")
	if err := (&Response{}).decodeBody(transport.NewBuffered([]byte("  ")), &raw); err != nil || string(raw) != "kept" {
		t.Errorf("empty body: %v, raw %q; want nil and raw untouched", err, raw)
	}
}

func TestYotpoTimeReadsRFC3339WithoutAllocating(t *testing.T) {
	for _, in := range []string{`"2026-11-20T18:04:05.000Z"`, `"2026-11-20T18:04:05+02:00"`, `"2026-11-20 18:04:05"`, `"2027-05-01"`, `" 2026-11-20T18:04:05Z "`} {
		var got yotpoTime
		if err := got.UnmarshalJSON([]byte(in)); err != nil {
			t.Fatal(err)
		}
		s, _ := jsonString([]byte(in))
		if want := parseYotpoTime(s); !got.Equal(want) || got.Location().String() != want.Location().String() {
			t.Errorf("%s: %v, want %v (parseYotpoTime)", in, got.Time, want)
		}
		if p := (yotpoTime{}).wireProblem([]byte(in)); p != "" {
			t.Errorf("%s: wireProblem %q", in, p)
		}
	}
	b := []byte(`"2026-11-20T18:04:05.000Z"`)
	var v yotpoTime
	if allocs := testing.AllocsPerRun(100, func() { _ = v.UnmarshalJSON(b); _ = v.wireProblem(b) }); allocs != 0 {
		t.Errorf("RFC 3339: %v allocations, want 0", allocs)
	}
}
