// Package uuid makes random (version 4) UUIDs, for the SDK's event ids and
// the fake's generated ids alike.
package uuid

import (
	"crypto/rand"
	"encoding/hex"
	"fmt"
	"io"
)

// randomness is where New reads its bytes; tests replace it.
var randomness io.Reader = rand.Reader

// New returns a random UUID v4 (RFC 9562) from crypto/rand, in its
// canonical 36-character form.
//
// It panics if crypto/rand fails, as github.com/google/uuid's New does
// (decided): an id from bytes that are not random could repeat, and a
// repeated event id makes the platform drop an event as a duplicate. Since
// Go 1.24 crypto/rand never fails (the program stops first); before, only
// on a broken system.
func New() string {
	var b [16]byte
	if _, err := io.ReadFull(randomness, b[:]); err != nil {
		panic(fmt.Sprintf("uuid: crypto/rand failed: %v", err))
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
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
