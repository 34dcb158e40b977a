package uuid

import (
	"crypto/rand"
	"errors"
	"fmt"
	"regexp"
	"strings"
	"testing"
	"time"
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

func TestNewV7CarriesItsTime(t *testing.T) {
	v7 := regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)
	at := time.Date(2026, 12, 7, 9, 30, 15, 123456789, time.UTC)
	seen := map[string]bool{}
	for range 1000 {
		id := NewV7(at)
		if !v7.MatchString(id) || seen[id] {
			t.Fatalf("%q: not a fresh UUID v7", id)
		}
		seen[id] = true
		got, ok := V7Time(id)
		if !ok || !got.Equal(at.Truncate(time.Millisecond)) {
			t.Fatalf("V7Time(%q) = %v, %v; want %v", id, got, ok, at.Truncate(time.Millisecond))
		}
	}
	// RFC 9562's example: 2022-02-22T19:22:22Z = 0x017F22E279B0 ms.
	if got, ok := V7Time("017F22E2-79B0-7CC3-98C4-DC0C0C07398F"); !ok || got.UnixMilli() != 0x017F22E279B0 {
		t.Errorf("RFC example: %v, %v", got, ok)
	}
	for _, bad := range []string{New(), "", "017f22e2-79b0-7cc3-c8c4-dc0c0c07398f", "017f22e2-79b0-7cc3-98c4-dc0c0c07398g", "017f22e2x79b0-7cc3-98c4-dc0c0c07398f"} {
		if _, ok := V7Time(bad); ok {
			t.Errorf("V7Time(%q) ok", bad)
		}
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
// cause rather than yielding an id of zero (or stale) bytes, in New and in
// NewV7.
func TestNewPanicsWhenRandomnessFails(t *testing.T) {
	defer func() { randomness = rand.Reader }()
	for name, newID := range map[string]func() string{"New": New, "NewV7": func() string { return NewV7(time.Now()) }} {
		for _, n := range []int{0, 7} {
			randomness = &failingReader{n: n}
			func() {
				defer func() {
					r := recover()
					if r == nil {
						t.Fatalf("%s after %d bytes: returned instead of panicking", name, n)
					}
					if !strings.Contains(fmt.Sprint(r), "entropy source broken") {
						t.Fatalf("%s after %d bytes: panic %v does not name the cause", name, n, r)
					}
				}()
				newID()
			}()
		}
	}
}

func TestNewInIsNew(t *testing.T) {
	defer func() { randomness = rand.Reader }()
	randomness = strings.NewReader(strings.Repeat("\xff", 16))
	want := New()
	randomness = strings.NewReader(strings.Repeat("\xff", 16))
	var b [16]byte
	if got := NewIn(&b); got != want || got != "ffffffff-ffff-4fff-bfff-ffffffffffff" {
		t.Errorf("NewIn = %q, New = %q", got, want)
	}
	randomness = rand.Reader
	if n := testing.AllocsPerRun(100, func() { _ = NewIn(&b) }); n > 1 {
		t.Errorf("NewIn: %v allocations, want 1 (the string)", n)
	}
}
