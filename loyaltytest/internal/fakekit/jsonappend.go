package fakekit

import (
	"encoding/json"
	"net/http"
	"strconv"
	"sync"
)

// Hand-written JSON for the answers served most often (Yotpo's GET
// /customers): encoding/json walks the struct by reflection and allocates
// an Encoder per answer. What these helpers append is byte for byte what
// encoding/json writes for the same value, HTML characters escaped as
// its Encoder and Marshal do; the fakes' tests compare the two.

// AppendJSONString appends s as a JSON string.
func AppendJSONString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c >= 0x7f || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			// Escapes to write: rare in the fakes' data, so left to
			// encoding/json rather than copying its rules.
			q, _ := json.Marshal(s) // a string: cannot fail
			return append(b, q...)
		}
	}
	b = append(b, '"')
	b = append(b, s...)
	return append(b, '"')
}

// AppendJSONStringPtr appends *s, or null for nil.
func AppendJSONStringPtr(b []byte, s *string) []byte {
	if s == nil {
		return append(b, "null"...)
	}
	return AppendJSONString(b, *s)
}

// AppendJSONIntPtr appends *n, or null for nil.
func AppendJSONIntPtr(b []byte, n *int) []byte {
	if n == nil {
		return append(b, "null"...)
	}
	return strconv.AppendInt(b, int64(*n), 10)
}

// AppendJSONStrings appends ss as an array, or null for a nil slice.
func AppendJSONStrings(b []byte, ss []string) []byte {
	if ss == nil {
		return append(b, "null"...)
	}
	b = append(b, '[')
	for i, s := range ss {
		if i > 0 {
			b = append(b, ',')
		}
		b = AppendJSONString(b, s)
	}
	return append(b, ']')
}

// AppendJSONValue appends v as json.Marshal encodes it, for the parts of an
// answer not worth writing by hand.
func AppendJSONValue(b []byte, v any) []byte {
	q, err := json.Marshal(v)
	if err != nil {
		// json.Encoder would have written nothing; the fakes' wire
		// structs always encode, so this is a bug in a fake.
		panic("fakekit: " + err.Error())
	}
	return append(b, q...)
}

// jsonBuffers recycles the buffers of WriteJSONBuffer.
var jsonBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 2048); return &b }}

// maxPooledJSON is the largest buffer put back in jsonBuffers, so that one
// huge answer does not stay pinned.
const maxPooledJSON = 64 << 10

// JSONBuffer returns an empty buffer to append an answer to; hand it to
// WriteJSONBuffer.
func JSONBuffer() *[]byte {
	b := jsonBuffers.Get().(*[]byte)
	*b = (*b)[:0]
	return b
}

// WriteJSONBuffer answers status with the JSON in *b, followed by a
// newline as json.Encoder ends its output (so that the answer is the
// bytes WriteJSON would send), and recycles b.
func WriteJSONBuffer(w http.ResponseWriter, status int, b *[]byte) {
	*b = append(*b, '\n')
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = w.Write(*b)
	if cap(*b) <= maxPooledJSON {
		jsonBuffers.Put(b)
	}
}
