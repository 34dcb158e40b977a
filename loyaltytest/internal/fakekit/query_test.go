package fakekit

import (
	"net/url"
	"strings"
	"testing"
)

// queryCases are raw queries beside the names to read from them: escapes,
// '+', repeated names, bad escapes, semicolons and empty pairs.
var queryCases = []string{
	"",
	"a=1",
	"a=1&a=2",
	"a",
	"a=",
	"=1&a=2",
	"&&a=1&&",
	"a=%zz&a=2",
	"a%zz=1&a=3",
	"a=1;b=2&a=4",
	"b=1;&a=5",
	"a+b=1&a%20b=2",
	"%61=x&a=y",
	"customer_email=ana%40example.com&with_history=false&with_referral_code=false",
	"customer_email=a+b%2Bc%40x.com",
	"a=%E2%82%AC&a=%",
	"a=1&b=%&b=2",
	strings.Repeat("a=1&", 150) + "b=2",
}

func TestQueryGetMatchesParseQuery(t *testing.T) {
	for _, raw := range queryCases {
		want, _ := url.ParseQuery(raw)
		for _, name := range []string{"a", "b", "a b", "", "customer_email", "with_history", "c"} {
			if got, want := Query(raw).Get(name), want.Get(name); got != want {
				t.Errorf("Query(%q).Get(%q) = %q, url.ParseQuery gives %q", raw, name, got, want)
			}
		}
	}
}

func TestQueryGetEachMatchesParseQuery(t *testing.T) {
	names := []string{"a", "b", "a b", "", "customer_email", "with_history", "c", "a"}
	for _, raw := range queryCases {
		want, _ := url.ParseQuery(raw)
		got := make([]string, len(names))
		for i := range got {
			got[i] = "stale"
		}
		Query(raw).GetEach(names, got)
		for i, name := range names {
			if got[i] != want.Get(name) {
				t.Errorf("Query(%q).GetEach: %q = %q, url.ParseQuery gives %q", raw, name, got[i], want.Get(name))
			}
		}
	}
}

func FuzzQueryGet(f *testing.F) {
	for _, raw := range queryCases {
		f.Add(raw, "a")
	}
	f.Fuzz(func(t *testing.T, raw, name string) {
		want, _ := url.ParseQuery(raw)
		if got := Query(raw).Get(name); got != want.Get(name) {
			t.Errorf("Query(%q).Get(%q) = %q, url.ParseQuery gives %q", raw, name, got, want.Get(name))
		}
		names := []string{name, "a", "b", name + "x"}
		got := make([]string, len(names))
		Query(raw).GetEach(names, got)
		for i, n := range names {
			if got[i] != want.Get(n) {
				t.Errorf("Query(%q).GetEach: %q = %q, url.ParseQuery gives %q", raw, n, got[i], want.Get(n))
			}
		}
	})
}

func TestQueryGetAllocs(t *testing.T) {
	q := Query("customer_email=ana%40example.com&with_history=false&with_referral_code=false")
	// One allocation a call: the unescaped e-mail; names and plain values none.
	names := []string{"customer_email", "with_history", "customer_id"}
	var v [3]string
	if n := testing.AllocsPerRun(100, func() {
		_ = q.Get("customer_email")
		q.GetEach(names, v[:])
	}); n > 2 {
		t.Errorf("%v allocations, want at most 2", n)
	}
}
