package loyalty

import (
	"encoding/json"
	"math"
	"strconv"
	"testing"
)

// TestWireIntExact: every int64 reads exactly, 19-digit ones included
// (10^18 … MaxInt64 read as 0 before), as a number or a numeric string.
func TestWireIntExact(t *testing.T) {
	for _, want := range []int64{0, 1, -1, 15000, 999_999_999_999_999_999, 1_000_000_000_000_000_000,
		math.MaxInt64, math.MaxInt64 - 1, math.MinInt64, math.MinInt64 + 1, -1_000_000_000_000_000_000} {
		s := strconv.FormatInt(want, 10)
		for _, in := range []string{s, `"` + s + `"`, `" ` + s + ` "`} {
			var n wireInt
			if err := json.Unmarshal([]byte(in), &n); err != nil || int64(n) != want {
				t.Errorf("wireInt(%s) = %d, %v; want %d", in, n, err, want)
			}
		}
	}
	for in, want := range map[string]int64{"12.0": 12, "1e3": 1000, `"1e3"`: 1000, "-0": 0, `"007"`: 7} {
		var n wireInt
		if err := json.Unmarshal([]byte(in), &n); err != nil || int64(n) != want {
			t.Errorf("wireInt(%s) = %d, %v; want %d", in, n, err, want)
		}
	}
}

// TestWireIntOverflow: a value past the int64 range is not read as some
// other number; it stays 0 and is a decode issue (see wireProblem).
func TestWireIntOverflow(t *testing.T) {
	for _, in := range []string{"9223372036854775808", "-9223372036854775809", "99999999999999999999", `"9223372036854775808"`, "1e19", "12.5", `"abc"`, "true"} {
		var n wireInt
		if err := json.Unmarshal([]byte(in), &n); err != nil || n != 0 {
			t.Errorf("wireInt(%s) = %d, %v; want 0", in, n, err)
		}
	}
}

func BenchmarkWireInt(b *testing.B) {
	inputs := [][]byte{[]byte("15000"), []byte(`"15000"`), []byte("-42"), []byte("1234567890123")}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		var n wireInt
		_ = n.UnmarshalJSON(inputs[i%len(inputs)])
	}
}
