package uuid

import (
	"regexp"
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
