package fakekit

import (
	"math/big"
	"strconv"

	"github.com/loyalty-go/loyalty/internal/iso4217"
)

// How the commerce fakes turn money into points (decided, the same in both):
// "n points per unit" is per major unit of the order's currency (1 EUR, 1
// JPY, 1 KWD), fractions included until one floor at the end, computed
// exactly. So at 1 point per unit a 5,000 JPY order earns 5,000, 49.90 EUR
// earns 49 and 1.250 KWD earns 1, on Yotpo (which counts *_cents as the
// currency's minor units, as the SDK sends them) as on Influence.io (which
// takes major units).

// MajorUnits is minor units of currency as an exact number of major units,
// by the SDK's own ISO 4217 table; a currency the table does not know, or
// none, counts 2 minor digits (decided: Yotpo's amounts are "cents").
func MajorUnits(minor int64, currency string) *big.Rat {
	digits, err := iso4217.MinorDigits(currency)
	if err != nil {
		digits = 2
	}
	return new(big.Rat).SetFrac(big.NewInt(minor), new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil))
}

// Decimal is v (an amount in major units as a platform sent it) as the
// exact decimal it was written as: its shortest form, so 49.9 is 499/10
// and not the nearest binary fraction.
func Decimal(v float64) *big.Rat {
	r, ok := new(big.Rat).SetString(strconv.FormatFloat(v, 'g', -1, 64))
	if !ok {
		return new(big.Rat)
	}
	return r
}

// EarnedPoints is floor(major × the product of rates), each rate read as
// its shortest decimal (a 1.1 multiplier is 11/10); ok is false when the
// result is beyond MaxExact. A negative result is 0.
func EarnedPoints(major *big.Rat, rates ...float64) (points int64, ok bool) {
	p := new(big.Rat).Set(major)
	for _, r := range rates {
		p.Mul(p, Decimal(r))
	}
	q := new(big.Int).Quo(p.Num(), p.Denom()) // truncates towards zero
	if p.Sign() < 0 {
		return 0, true
	}
	if !q.IsInt64() || q.Int64() > MaxExact {
		return 0, false
	}
	return q.Int64(), true
}
