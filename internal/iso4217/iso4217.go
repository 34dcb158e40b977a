// Package iso4217 holds the one table of ISO 4217 minor digits, read by the
// SDK's money conversions and by the fakes, so that both count a currency's
// minor units the same way.
package iso4217

import (
	"fmt"
	"strings"

	"golang.org/x/text/currency"
)

// MinorDigits is the number of minor digits of an ISO 4217 currency: its
// "minor unit" in ISO 4217 list one
// (https://www.six-group.com/en/products-services/financial-information/data-standards.html),
// which is what the platforms' cents and decimals count. Which codes exist
// comes from golang.org/x/text/currency (CLDR data), plus the codes issued
// after that data; the digits do not, because CLDR's are display digits
// (0 for COP, IDR, IQD, RSD, ... whose ISO minor unit is 2 or 3).
func MinorDigits(code string) (int, error) {
	if len(code) != 3 || strings.ToUpper(code) != code {
		return 0, fmt.Errorf("currency %q must be a 3-letter upper-case ISO 4217 code", code)
	}
	if _, err := currency.ParseISO(code); err != nil && !newerISOCodes[code] {
		return 0, fmt.Errorf("currency %q is not an ISO 4217 code", code)
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
var newerISOCodes = map[string]bool{"MRU": true, "SLE": true, "STN": true, "VED": true, "VES": true, "UYW": true, "ZWG": true}
