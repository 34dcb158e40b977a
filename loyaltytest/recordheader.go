package loyaltytest

import (
	"encoding/binary"
	"net/http"
	"sync"
)

// packedHeader is a request header as the request log keeps it: one
// string of length-prefixed names and values. Keeping the request's own
// header maps (10,000 of them by default) made every garbage collection
// walk them, which cost the fake more per request than serving it; a
// string is not scanned. Requests unpacks it.
//
// Each name is uvarint(len) and its bytes, then uvarint(number of values
// + 1), 0 for a nil slice, then each value as uvarint(len) and its bytes.
type packedHeader string

// headerScratch recycles packHeader's buffers.
var headerScratch = sync.Pool{New: func() any { b := make([]byte, 0, 512); return &b }}

// packHeader packs h, and returns the bytes of its names and values
// (recorded.size counts them).
func packHeader(h http.Header) (packedHeader, int64) {
	if len(h) == 0 {
		return "", 0
	}
	bp := headerScratch.Get().(*[]byte)
	b := (*bp)[:0]
	var n int64
	for k, vs := range h {
		b = binary.AppendUvarint(b, uint64(len(k)))
		b = append(b, k...)
		n += int64(len(k))
		if vs == nil {
			b = binary.AppendUvarint(b, 0)
			continue
		}
		b = binary.AppendUvarint(b, uint64(len(vs))+1)
		for _, v := range vs {
			b = binary.AppendUvarint(b, uint64(len(v)))
			b = append(b, v...)
			n += int64(len(v))
		}
	}
	p := packedHeader(b)
	if cap(b) <= 64<<10 {
		*bp = b
		headerScratch.Put(bp)
	}
	return p, n
}

// unpack returns the header p was packed from, in new maps and slices (its
// strings point into p).
func (p packedHeader) unpack() http.Header {
	if p == "" {
		return nil
	}
	s := string(p)
	next := func() uint64 {
		v, n := binary.Uvarint([]byte(s[:min(len(s), binary.MaxVarintLen64)]))
		s = s[n:]
		return v
	}
	str := func() string {
		l := next()
		v := s[:l]
		s = s[l:]
		return v
	}
	h := http.Header{}
	for s != "" {
		k := str()
		c := next()
		if c == 0 {
			h[k] = nil
			continue
		}
		vs := make([]string, c-1)
		for i := range vs {
			vs[i] = str()
		}
		h[k] = vs
	}
	return h
}
