package loyalty

import (
	"encoding/json"
	"net/url"
	"reflect"
	"strings"
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

// encodeQuery is url.Values.Encode, byte for byte, in one allocation.
func TestEncodeQueryIsValuesEncode(t *testing.T) {
	all := make([]byte, 0, 256)
	for c := 0; c < 256; c++ {
		all = append(all, byte(c))
	}
	for _, v := range []url.Values{
		{},
		{"customer_email": {"c1@example.com"}, "with_history": {"false"}, "with_referral_code": {"true"}},
		{"q": {"a b+c&d=e/f?g#h%i~j-k_l.m"}, "é": {"ü", ""}, "": {"x"}, "z": {"1", "2"}},
		{"all": {string(all)}},
		{"k1": {"1"}, "k2": {"2"}, "k3": {"3"}, "k4": {"4"}, "k5": {"5"}, "k6": {"6"}, "k7": {"7"}, "k8": {"8"}, "k9": {"9"}, "k10": {"10"}},
	} {
		if got, want := encodeQuery(v), v.Encode(); got != want {
			t.Errorf("encodeQuery(%v) = %q, want %q", v, got, want)
		}
	}
	v := url.Values{"customer_email": {"c1@example.com"}, "with_history": {"false"}}
	if n := testing.AllocsPerRun(100, func() { _ = encodeQuery(v) }); n > 1 {
		t.Errorf("encodeQuery: %v allocations, want 1", n)
	}
}

// A date-only Yotpo time (next_points_expire_on) is read without trying
// RFC 3339 first: that failure allocates an error (two allocations) on
// every customer, in the decode and again in its wire check.
func TestYotpoTimeDateMakesNoParseError(t *testing.T) {
	var tm yotpoTime
	b := []byte(`"2027-05-01"`)
	if n := testing.AllocsPerRun(100, func() { _ = tm.UnmarshalJSON(b); _ = tm.wireProblem(b) }); n > 2 {
		t.Errorf("yotpoTime of a date: %v allocations, want at most 2 (the string, read twice)", n)
	}
	if !tm.Equal(time.Date(2027, 5, 1, 0, 0, 0, 0, time.UTC)) {
		t.Errorf("got %v", tm.Time)
	}
}

// A decodedNext gets the body as it is when Buffer read it (its decoder
// checks it), and as a json.RawMessage would from any other reader:
// never as a []byte that encoding/json reads as base64.
func TestDecodedNextIsTheBody(t *testing.T) {
	for _, body := range []string{` {"a":1} `, `not json`, ``} {
		var r Response
		var got decodedNext
		if err := r.decodeBody(transport.NewBuffered([]byte(body)), &got); err != nil {
			t.Errorf("%q, buffered: %v", body, err)
		}
		if want := strings.TrimSpace(body); string(got) != want {
			t.Errorf("%q, buffered: got %q, want %q", body, got, want)
		}
	}
	var r Response
	var got decodedNext
	if err := r.decodeBody(strings.NewReader(` {"a":1} `), &got); err != nil || string(got) != `{"a":1}` {
		t.Errorf("a plain reader: %q, %v", got, err)
	}
	if err := r.decodeBody(strings.NewReader(`"YQ=="`), &got); err != nil || string(got) != `"YQ=="` {
		t.Errorf("a JSON string from a plain reader: %q, %v (read as base64?)", got, err)
	}
}

// The walk of the wire check runs where encoding/json can decode an issue
// without an error (a tolerant value, a required field), and is skipped
// for a type of plain fields, whose every issue is a decode error.
func TestWireCheckSkipsPlainTypes(t *testing.T) {
	type plain struct {
		Email  string   `json:"email"`
		Points int      `json:"points"`
		Tags   []string `json:"tags"`
		Nested struct {
			On bool `json:"on"`
		} `json:"nested"`
	}
	type required struct {
		Email string `json:"email" wire:"required"`
	}
	type tolerantInside struct {
		List []struct {
			N wireInt `json:"n"`
		} `json:"list"`
	}
	type recursive struct {
		Children []recursive `json:"children"`
	}
	for _, tc := range []struct {
		v    any
		want bool
	}{
		{&plain{}, false}, {&required{}, true}, {&tolerantInside{}, true}, {&yotpoCustomerJSON{}, true}, {&recursive{}, true},
	} {
		if got := wireTypeOf(reflect.TypeOf(tc.v)).silent; got != tc.want {
			t.Errorf("%T: silent = %v, want %v", tc.v, got, tc.want)
		}
	}
	// Plain: a wrong kind is a decode error, so nothing is lost by skipping.
	var r Response
	var p plain
	if err := r.decodeBody(transport.NewBuffered([]byte(`{"points":"many"}`)), &p); err == nil {
		t.Error("a string into an int decoded without an error")
	}
	// Tolerant: the walk still reports what the decode let through.
	var ti tolerantInside
	if err := r.decodeBody(transport.NewBuffered([]byte(`{"list":[{"n":"abc"}]}`)), &ti); err != nil || len(r.DecodeIssues) != 1 {
		t.Errorf("tolerant: %v, issues %v", err, r.DecodeIssues)
	}
}
