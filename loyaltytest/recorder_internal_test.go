package loyaltytest

import (
	"net/http"
	"reflect"
	"strings"
	"testing"
)

// withHeader is rr holding h, as serve records it.
func withHeader(rr recorded, h http.Header) recorded {
	rr.header, rr.headerBytes = packHeader(h)
	return rr
}

// TestPackedHeaderRoundTrips checks that the request log's packed header
// unpacks to the header it was packed from, nil and empty value slices,
// empty and long names and values included, and counts its bytes as the
// log's budget always did.
func TestPackedHeaderRoundTrips(t *testing.T) {
	long := strings.Repeat("v", 300) // a length of two varint bytes
	for _, h := range []http.Header{
		nil,
		{},
		{"X-Api-Key": {"k"}},
		{"Accept": {"a", "b", ""}, "Empty": {}, "Nil": nil, "": {"no name"}, "Long-" + long: {long, "\x00\xff\r\n"}},
	} {
		p, n := packHeader(h)
		var want int64
		for k, vs := range h {
			want += int64(len(k))
			for _, v := range vs {
				want += int64(len(v))
			}
		}
		got := p.unpack()
		if len(h) == 0 {
			if got != nil || n != 0 {
				t.Errorf("%#v: unpacked %#v, %d bytes; want nil, 0", h, got, n)
			}
			continue
		}
		if !reflect.DeepEqual(got, h) || n != want {
			t.Errorf("packed %#v\n unpacked %#v, %d bytes (want %d)", h, got, n, want)
		}
	}
}

// TestRecorderBytesStayTheSumOfSizes checks the recorder's byte count
// against its records as they are added, noted and evicted: it is the sum
// of their sizes, so that the byte budget holds.
func TestRecorderBytesStayTheSumOfSizes(t *testing.T) {
	rc := &recorder{limit: 4, budget: 2000}
	check := func(when string) {
		t.Helper()
		var sum int64
		for _, e := range rc.queue[rc.head:] {
			sum += e.size()
			if e.cost != e.size() {
				t.Errorf("%s: record %d costs %d, its size is %d", when, e.id, e.cost, e.size())
			}
		}
		if rc.bytes != sum || rc.bytes > rc.budget+int64(len(faultRateLimited)) {
			t.Errorf("%s: %d bytes counted, records hold %d (budget %d)", when, rc.bytes, sum, rc.budget)
		}
	}
	for i := range 20 {
		id := rc.add(withHeader(recorded{method: http.MethodPost, path: "/api/v2/points/adjust", rawQuery: "a=1",
			body: []byte(strings.Repeat("x", i*37)), requestID: "id", fault: faultNote(Fault{AfterApply: true, Status: 504}, i%3 == 0)},
			http.Header{"X-Api-Key": {"k"}, "Content-Type": {"application/json"}}))
		check("add")
		if i%2 == 0 {
			rc.noteFault(id, faultRateLimited)
			check("noteFault")
		}
		rc.finish(id, http.StatusOK, 1)
	}
	// Larger than the whole budget: kept with the body cut to fit.
	rc.add(recorded{method: http.MethodPost, path: "/x", body: []byte(strings.Repeat("y", 5000))})
	check("oversized")
	if n := len(rc.queue[rc.head:]); n != 1 || rc.bytes != rc.budget {
		t.Errorf("oversized record: %d kept, %d bytes; want 1 and %d", n, rc.bytes, rc.budget)
	}
}

// TestRecorderFindsAcrossGaps checks finish with the ids a record too
// large to keep leaves out.
func TestRecorderFindsAcrossGaps(t *testing.T) {
	rc := &recorder{limit: 10, budget: 2000}
	var ids []int
	for i := range 6 {
		v := "v"
		if i == 2 || i == 4 {
			v = strings.Repeat("z", 3000) // headers beyond the budget: not kept, its id a gap
		}
		ids = append(ids, rc.add(withHeader(recorded{method: http.MethodGet, path: "/p", body: []byte("small")}, http.Header{"H": {v}})))
	}
	for _, id := range ids {
		rc.finish(id, 200+id, 1)
	}
	kept := 0
	for _, e := range rc.queue[rc.head:] {
		kept++
		if e.status != 200+e.id {
			t.Errorf("record %d: status %d, want %d", e.id, e.status, 200+e.id)
		}
	}
	if kept != 4 {
		t.Errorf("%d records kept, want 4", kept)
	}
}
