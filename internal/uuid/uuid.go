// Package uuid makes UUIDs (RFC 9562): random ones (version 4) for the
// fake's generated ids, and time-ordered ones (version 7) for the SDK's
// event ids, whose time is the event's timestamp.
package uuid

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
	"time"
)

// randomness is where New reads its bytes; tests replace it.
var randomness io.Reader = rand.Reader

// New returns a random UUID v4 (RFC 9562) from crypto/rand, in its
// canonical 36-character form.
//
// New and NewV7 panic if crypto/rand fails, as github.com/google/uuid's New does
// (decided): an id from bytes that are not random could repeat, and a
// repeated event id makes the platform drop an event as a duplicate. Since
// Go 1.24 crypto/rand never fails (the program stops first); before, only
// on a broken system.
func New() string {
	var b [16]byte
	return NewIn(&b)
}

// NewIn is New reading its random bytes into b, for a caller that has room
// on the heap already: New's own array escapes to the heap (randomness is
// an interface), one allocation per id. b is left holding the UUID's bytes.
func NewIn(b *[16]byte) string {
	random(b[:])
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	return format(*b)
}

// random fills b from randomness, or panics as New says.
func random(b []byte) {
	if _, err := io.ReadFull(randomness, b); err != nil {
		panic(fmt.Sprintf("uuid: crypto/rand failed: %v", err))
	}
}

// NewV7 returns a UUID v7 whose first 48 bits are t in Unix milliseconds
// and whose other 74 are random; t must lie between 1970 and the year
// 10889 (V7Time reads t back).
func NewV7(t time.Time) string {
	var b [16]byte
	random(b[6:])
	ms := uint64(t.UnixMilli())
	for i := range 6 {
		b[i] = byte(ms >> (40 - 8*i))
	}
	b[6] = b[6]&0x0f | 0x70
	b[8] = b[8]&0x3f | 0x80
	return format(b)
}

// V7Time returns the time, to the millisecond, of a UUID v7 in canonical
// form (either case); ok is false for anything else.
func V7Time(id string) (t time.Time, ok bool) {
	if len(id) != 36 || id[8] != '-' || id[13] != '-' || id[18] != '-' || id[23] != '-' || id[14] != '7' {
		return time.Time{}, false
	}
	switch id[19] {
	case '8', '9', 'a', 'b', 'A', 'B':
	default:
		return time.Time{}, false
	}
	var b [16]byte
	for i, part := range []string{id[0:8], id[9:13], id[14:18], id[19:23], id[24:]} {
		off := [...]int{0, 4, 6, 8, 10}[i]
		if _, err := hex.Decode(b[off:], []byte(part)); err != nil {
			return time.Time{}, false
		}
	}
	var ms uint64
	for i := range 6 {
		ms = ms<<8 | uint64(b[i])
	}
	return time.UnixMilli(int64(ms)), true
}

// format writes b in the canonical 36-character form.
func format(b [16]byte) string {
	var out [36]byte
	hex.Encode(out[0:8], b[0:4])
	out[8] = '-'
	hex.Encode(out[9:13], b[4:6])
	out[13] = '-'
	hex.Encode(out[14:18], b[6:8])
	out[18] = '-'
	hex.Encode(out[19:23], b[8:10])
	out[23] = '-'
	hex.Encode(out[24:], b[10:])
	return string(out[:])
}
