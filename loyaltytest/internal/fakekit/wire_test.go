package fakekit

import (
	"encoding/json"
	"errors"
	"math"
	"math/rand"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestTolerantNumbers(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{
		{`15000`, 15000, true}, {`"15000"`, 15000, true}, {`" 42 "`, 42, true}, {`12.0`, 12, true},
		{`null`, 7, true}, {`12.5`, 0, false}, {`"ten"`, 0, false}, {`true`, 0, false},
	} {
		n := Int(7)
		err := json.Unmarshal([]byte(c.in), &n)
		if (err == nil) != c.ok || (c.ok && int(n) != c.want) {
			t.Errorf("Int %s: %d, %v", c.in, n, err)
		}
	}
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{`49.9`, 49.9, true}, {`"49.90"`, 49.9, true}, {`null`, 7, true},
		{`"NaN"`, 0, false}, {`"Inf"`, 0, false}, {`"ten"`, 0, false},
	} {
		n := Float(7)
		err := json.Unmarshal([]byte(c.in), &n)
		if (err == nil) != c.ok || (c.ok && float64(n) != c.want) {
			t.Errorf("Float %s: %v, %v", c.in, n, err)
		}
	}
}

// TestNumberBound checks the one bound on money and points, MaxExact, on
// every path that reads a number: digits, numeric strings and exponent form
// (the float path used to cap at MaxInt32 while digits took all of int64).
func TestNumberBound(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		err  error // nil: accepted
	}{
		{`9007199254740991`, MaxExact, nil}, {`-9007199254740991`, -MaxExact, nil}, {`"9007199254740991"`, MaxExact, nil},
		{`3e9`, 3e9, nil}, {`"4e15"`, 4e15, nil}, {`2147483648.0`, 2147483648, nil},
		{`9007199254740992`, 0, ErrOutOfRange}, {`"9223372036854775807"`, 0, ErrOutOfRange}, {`-9223372036854775808`, 0, ErrOutOfRange},
		{`99999999999999999999999`, 0, ErrOutOfRange}, {`9e18`, 0, ErrOutOfRange}, {`"1e400"`, 0, ErrOutOfRange},
	} {
		var n Int
		err := json.Unmarshal([]byte(c.in), &n)
		if !errors.Is(err, c.err) || (c.err == nil && (err != nil || int(n) != c.want)) {
			t.Errorf("Int %s: %d, %v; want %d, %v", c.in, n, err, c.want, c.err)
		}
	}
	for _, c := range []struct {
		in  string
		err error
	}{
		{`9007199254740991`, nil}, {`"49.90"`, nil}, {`-9007199254740991`, nil},
		{`9e18`, ErrOutOfRange}, {`"9007199254740993"`, ErrOutOfRange}, {`1e400`, ErrOutOfRange}, {`"-Inf"`, ErrOutOfRange},
	} {
		var n Float
		if err := json.Unmarshal([]byte(c.in), &n); !errors.Is(err, c.err) || (c.err == nil && err != nil) {
			t.Errorf("Float %s: %v, want %v", c.in, err, c.err)
		}
	}
	for _, c := range []struct {
		a, b int
		want int
		ok   bool
	}{
		{MaxExact - 1, 1, MaxExact, true}, {MaxExact, 1, 0, false}, {-MaxExact, -1, 0, false},
		{math.MaxInt, 1, 0, false}, {math.MinInt, -1, 0, false}, {5, -7, -2, true},
	} {
		if got, ok := Add(c.a, c.b); got != c.want || ok != c.ok {
			t.Errorf("Add(%d, %d) = %d, %v", c.a, c.b, got, ok)
		}
	}

	// ReadBody answers an out-of-range number with 400 in the fake's shape,
	// saying what is wrong.
	var v struct {
		Cents *Int `json:"cents"`
	}
	r := httptest.NewRequest(http.MethodPost, "/", strings.NewReader(`{"cents":"9223372036854775807"}`))
	w := httptest.NewRecorder()
	var got string
	ok := ReadBody(w, r, 1<<10, &v, BodyMessages{Malformed: "bad"}, func(w http.ResponseWriter, status int, msg string) {
		w.WriteHeader(status)
		got = msg
	})
	if ok || w.Code != http.StatusBadRequest || got != ErrOutOfRange.Error() {
		t.Errorf("ReadBody: %v %d %q", ok, w.Code, got)
	}
}

func TestFormatTimeMatchesFormat(t *testing.T) {
	times := []time.Time{
		{}, time.Unix(0, 0), time.Date(2026, 12, 7, 9, 5, 3, 999999999, time.UTC),
		time.Date(2026, 1, 2, 23, 59, 59, 1e6, time.FixedZone("x", -5*3600-1800)),
		time.Date(9999, 12, 31, 23, 59, 59, 999e6, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC),
		time.Date(-1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(999, 3, 4, 5, 6, 7, 8, time.UTC),
	}
	r := rand.New(rand.NewSource(1))
	for range 10000 {
		times = append(times, time.Unix(r.Int63n(400e9)-60e9, r.Int63n(1e9)).In(time.FixedZone("z", r.Intn(86400)-43200)))
	}
	for _, tm := range times {
		if got, want := FormatTime(tm), tm.UTC().Format(WireTime); got != want {
			t.Errorf("FormatTime(%v) = %q, Format gives %q", tm, got, want)
		}
	}
}
