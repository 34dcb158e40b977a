package fakekit

import (
	"math/big"
	"testing"
)

func TestEarnedPointsPerMajorUnitExactly(t *testing.T) {
	for _, c := range []struct {
		name  string
		major *big.Rat
		rates []float64
		want  int64
		ok    bool
	}{
		{"JPY has no minor digits", MajorUnits(5000, "JPY"), []float64{1}, 5000, true},
		{"EUR cents", MajorUnits(4990, "EUR"), []float64{1}, 49, true},
		{"KWD fils", MajorUnits(12345, "KWD"), []float64{1}, 12, true},
		{"unknown currency counts cents", MajorUnits(4990, ""), []float64{1}, 49, true},
		// A float64 product would give 1998.9999… and floor to 1998.
		{"no binary rounding", Decimal(19.99), []float64{100}, 1999, true},
		{"rates multiply", MajorUnits(4990, "EUR"), []float64{2, 1.5}, 149, true},
		{"fraction until the end", Decimal(49.9), []float64{2.5}, 124, true},
		{"negative is none", Decimal(-3), []float64{1}, 0, true},
		{"beyond the exact range", Decimal(1e17), []float64{1}, 0, false},
	} {
		got, ok := EarnedPoints(c.major, c.rates...)
		if got != c.want || ok != c.ok {
			t.Errorf("%s: EarnedPoints = %d, %v; want %d, %v", c.name, got, ok, c.want, c.ok)
		}
	}
}
