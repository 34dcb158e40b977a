package uuid

import (
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
)

func TestNewIsVersion4AndRandom(t *testing.T) {
	v4 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	seen := map[string]bool{}
	for range 1000 {
		id := New()
		if !v4.MatchString(id) || seen[id] {
			t.Fatalf("%q: not a fresh UUID v4", id)
		}
		seen[id] = true
	}
}

// failingReader fails after n bytes, as a broken entropy source would.
type failingReader struct{ n int }

func (r *failingReader) Read(p []byte) (int, error) {
	if r.n <= 0 {
		return 0, errors.New("entropy source broken")
	}
	k := min(r.n, len(p))
	r.n -= k
	return k, nil
}

// A crypto/rand failure, even after part of the bytes, panics with its
// cause rather than yielding an id of zero (or stale) bytes.
func TestNewPanicsWhenRandomnessFails(t *testing.T) {
	for _, n := range []int{0, 7} {
		randomness = &failingReader{n: n}
		func() {
			defer func() {
				r := recover()
				if r == nil {
					t.Fatalf("after %d bytes: New returned instead of panicking", n)
				}
				if !strings.Contains(fmt.Sprint(r), "entropy source broken") {
					t.Fatalf("after %d bytes: panic %v does not name the cause", n, r)
				}
			}()
			New()
		}()
	}
	randomness = rand.Reader
}
