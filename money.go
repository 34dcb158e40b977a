package loyalty

import (
	"fmt"
	"math/big"
	"regexp"
	"strconv"
	"strings"

	"golang.org/x/text/currency"
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
	digits, err := minorDigits(currency)
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
	digits, err := minorDigits(m.Currency)
	if err != nil {
		return "", err
	}
	return minorToDecimal(m.Minor, digits), nil
}

// checkCurrency validates an ISO 4217 code, naming op and field.
func checkCurrency(op, field, code string) error {
	if _, err := minorDigits(code); err != nil {
		return inputErr(op, field, "%v", err)
	}
	return nil
}

// minorDigits is the number of minor digits of an ISO 4217 currency: its
// "minor unit" in ISO 4217 list one
// (https://www.six-group.com/en/products-services/financial-information/data-standards.html),
// which is what the platforms' cents and decimals count. Which codes exist
// comes from golang.org/x/text/currency (CLDR data), plus the codes issued
// after that data; the digits do not, because CLDR's are display digits
// (0 for COP, IDR, IQD, RSD, ... whose ISO minor unit is 2 or 3).
func minorDigits(code string) (int, error) {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return 0, fmt.Errorf("currency %q must be a 3-letter upper-case ISO 4217 code", code)
	}
	if _, err := currency.ParseISO(code); err != nil && !newerISOCodes[code] {
		return 0, fmt.Errorf("currency %q is not an ISO 4217 code", code)
	}
	if code[0] == 'X' && !xWithMinorUnit[code] {
		return 0, fmt.Errorf("currency %q has no minor unit in ISO 4217 (a precious metal, a unit of account, a test or no-currency code): it cannot be counted as Money", code)
	}
	if d, ok := isoMinorDigits[code]; ok {
		return d, nil
	}
	return 2, nil
}

// isoMinorDigits lists the ISO 4217 currencies whose minor unit is not 2.
var isoMinorDigits = map[string]int{
	"BIF": 0, "CLP": 0, "DJF": 0, "GNF": 0, "ISK": 0, "JPY": 0, "KMF": 0, "KRW": 0, "PYG": 0,
	"RWF": 0, "UGX": 0, "UYI": 0, "VND": 0, "VUV": 0, "XAF": 0, "XOF": 0, "XPF": 0,
	"BHD": 3, "IQD": 3, "JOD": 3, "KWD": 3, "LYD": 3, "OMR": 3, "TND": 3,
	"CLF": 4, "UYW": 4,
}

// newerISOCodes are ISO 4217 codes that x/text's CLDR data predates.
var newerISOCodes = map[string]bool{"MRU": true, "SLE": true, "STN": true, "VED": true, "VES": true, "UYW": true, "ZWG": true, "XCG": true}

// xWithMinorUnit are the X-codes that are currencies with a minor unit in
// ISO 4217 list one. Every other X-code there has minor unit "N.A.": the
// precious metals (XAU, XAG, XPD, XPT), the units of account and bond
// units (XDR, XBA-XBD, XSU, XUA), the test code XTS and XXX (no currency),
// and CLDR's withdrawn ones (XFO, XFU, XEU, ...).
var xWithMinorUnit = map[string]bool{"XAF": true, "XCD": true, "XCG": true, "XOF": true, "XPF": true}

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
	if len(v) > 64 || !decimalNumber.MatchString(v) {
		return inputErr(op, field, "%.20q is not a decimal number", v)
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
