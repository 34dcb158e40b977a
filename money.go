package loyalty

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"github.com/loyalty-go/loyalty/internal/iso4217"
)

// Money is an exact amount of a currency: Minor counts the currency's ISO
// 4217 minor unit (cents of EUR or USD, yen of JPY, fils, a thousandth, of
// KWD). It is
// converted to each platform's wire form in one place: Yotpo's *_cents
// integers, and the decimal major units of Influence.io and Qualifio. No
// float64 is involved on the way.
type Money struct {
	Minor    int64
	Currency string // ISO 4217 code, e.g. "EUR"
}

// NewMoney returns minor units of currency, e.g. NewMoney(1999, "EUR") for
// 19.99 EUR.
func NewMoney(minor int64, currency string) Money { return Money{Minor: minor, Currency: currency} }

// ParseMoney reads a decimal amount in major units, e.g. ParseMoney("19.99",
// "EUR"). It fails when the currency is unknown or the amount has more
// decimals than the currency has minor digits (a rounding would be a loss).
func ParseMoney(amount, currency string) (Money, error) {
	digits, err := iso4217.MinorDigits(currency)
	if err != nil {
		return Money{}, err
	}
	minor, err := decimalToMinor(amount, digits)
	if err != nil {
		return Money{}, err
	}
	return Money{Minor: minor, Currency: currency}, nil
}

// String formats m as "19.99 EUR"; an unknown currency shows minor units.
func (m Money) String() string {
	d, err := m.Decimal()
	if err != nil {
		return strconv.FormatInt(m.Minor, 10) + " minor units of " + strconv.Quote(m.Currency)
	}
	return d + " " + m.Currency
}

// Decimal is m in major units with exactly the currency's minor digits,
// e.g. "19.99" for EUR, "500" for JPY, "1.250" for KWD.
func (m Money) Decimal() (string, error) {
	digits, err := iso4217.MinorDigits(m.Currency)
	if err != nil {
		return "", err
	}
	return minorToDecimal(m.Minor, digits), nil
}

// checkCurrency validates an ISO 4217 code, naming op and field.
func checkCurrency(op, field, code string) error {
	if _, err := iso4217.MinorDigits(code); err != nil {
		return inputErr(op, field, "%v", err)
	}
	return nil
}

// minorToDecimal formats minor units with digits decimals.
func minorToDecimal(minor int64, digits int) string {
	s := new(big.Int).Abs(big.NewInt(minor)).String()
	if digits > 0 {
		if len(s) <= digits {
			s = strings.Repeat("0", digits-len(s)+1) + s
		}
		s = s[:len(s)-digits] + "." + s[len(s)-digits:]
	}
	if minor < 0 {
		s = "-" + s
	}
	return s
}

// decimalNumber is a JSON number: sign, digits, optional fraction and
// exponent (big.Rat alone would also take "1/2" and "0x10").
var decimalNumber = regexp.MustCompile(`^-?[0-9]+(\.[0-9]+)?([eE][+-]?[0-9]{1,3})?$`)

// checkPercent refuses a percentage that is not a decimal number from 0
// to 100, compared exactly (so "100.0000000000000001" and "1e999", which a
// float64 would round to 100 and to +Inf, are over 100).
func checkPercent(op, field, v string) error {
	if len(v) > 64 || !decimalNumber.MatchString(v) || strings.ContainsAny(v, "eE") {
		return inputErr(op, field, "%.20q is not a decimal number such as 12.5", v) // no exponent: it goes on the wire as written
	}
	r, ok := new(big.Rat).SetString(v)
	switch {
	case !ok:
		return inputErr(op, field, "%q is not a decimal number", v)
	case r.Sign() < 0:
		return inputErr(op, field, "%q is negative; a percentage is from 0 to 100", v)
	case r.Cmp(big.NewRat(100, 1)) > 0:
		return inputErr(op, field, "%q is over 100; a percentage is from 0 to 100", v)
	}
	return nil
}

// decimalToMinor reads a decimal (a JSON number or numeric string, exponent
// allowed) as minor units with digits decimals, exactly or not at all.
func decimalToMinor(v string, digits int) (int64, error) {
	if len(v) > 64 {
		return 0, fmt.Errorf("amount %.20q... is too long", v)
	}
	r, ok := new(big.Rat).SetString(v)
	if !ok || !decimalNumber.MatchString(v) {
		return 0, fmt.Errorf("amount %q is not a decimal number", v)
	}
	r.Mul(r, new(big.Rat).SetInt(new(big.Int).Exp(big.NewInt(10), big.NewInt(int64(digits)), nil)))
	if !r.IsInt() {
		return 0, fmt.Errorf("amount %q has more than %d decimals", v, digits)
	}
	if !r.Num().IsInt64() {
		return 0, fmt.Errorf("amount %q is out of range", v)
	}
	return r.Num().Int64(), nil
}
