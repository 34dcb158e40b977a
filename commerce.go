package loyalty

import "strings"

// The model shared by the two commerce platforms, Yotpo and Influence.io:
// one Go type per concept, mapped to each platform's JSON in its platform
// file, so that code does not change when a merchant moves between them.

// CustomerRef identifies one customer on the commerce platform. Build it
// with ByEmail, ByID, ByPOSAccount or ByPhone: exactly one identifier is set.
type CustomerRef struct {
	Email        string
	ID           string // your (the merchant's) customer id
	POSAccountID string
	// Phone is in E.164 form (+14155550123), or a national number together
	// with PhoneCountry.
	Phone string
	// PhoneCountry is the ISO 3166-1 alpha-2 country of a national Phone
	// ("US", "GB"); leave it empty when Phone is full E.164.
	PhoneCountry string
}

// ByEmail identifies a customer by e-mail address.
func ByEmail(email string) CustomerRef { return CustomerRef{Email: email} }

// ByID identifies a customer by your own customer id.
func ByID(id string) CustomerRef { return CustomerRef{ID: id} }

// ByPOSAccount identifies a customer by point-of-sale account id.
func ByPOSAccount(id string) CustomerRef { return CustomerRef{POSAccountID: id} }

// ByPhone identifies a customer by phone number: E.164 with country "",
// or a national number with its ISO 3166-1 alpha-2 country.
func ByPhone(phone, country string) CustomerRef {
	return CustomerRef{Phone: phone, PhoneCountry: country}
}

// check reports, for method op, whether exactly one identifier is set and
// well formed; field prefixes the field names in the error ("Customer.").
func (r CustomerRef) check(op, field string) error {
	n := 0
	for _, v := range []string{r.Email, r.ID, r.POSAccountID, r.Phone} {
		if v != "" {
			n++
		}
	}
	switch {
	case n == 0:
		return inputErr(op, strings.TrimSuffix(field, "."), "set one of Email, ID, POSAccountID or Phone (use loyalty.ByEmail, ByID, ...)")
	case n > 1:
		return inputErr(op, strings.TrimSuffix(field, "."), "set exactly one of Email, ID, POSAccountID or Phone")
	case r.Email != "" && !plausibleEmail(r.Email):
		return inputErr(op, field+"Email", "%q is not an e-mail address", r.Email)
	case r.PhoneCountry != "" && r.Phone == "":
		return inputErr(op, field+"PhoneCountry", "is only used together with Phone")
	case r.Phone != "":
		return checkPhone(op, field+"Phone", field+"PhoneCountry", r.Phone, r.PhoneCountry)
	}
	return nil
}

// checkPhone accepts E.164 (+ and 2 to 15 digits) with no country, or a
// national number of digits with an alpha-2 country.
func checkPhone(op, phoneField, countryField, phone, country string) error {
	if country == "" {
		if len(phone) < 3 || len(phone) > 16 || phone[0] != '+' || phone[1] == '0' || !allDigits(phone[1:]) {
			return inputErr(op, phoneField, "%q is not E.164 (+ and up to 15 digits); give a national number with its country instead", phone)
		}
		return nil
	}
	if len(country) != 2 || strings.ToUpper(country) != country || !strings.ContainsFunc(country, func(r rune) bool { return r >= 'A' && r <= 'Z' }) {
		return inputErr(op, countryField, "%q is not an ISO 3166-1 alpha-2 code such as US", country)
	}
	national := strings.TrimPrefix(phone, "+")
	if national == "" || len(national) > 15 || !allDigits(national) {
		return inputErr(op, phoneField, "%q is not a phone number (digits only)", phone)
	}
	return nil
}

func allDigits(s string) bool {
	return s != "" && !strings.ContainsFunc(s, func(r rune) bool { return r < '0' || r > '9' })
}

// plausibleEmail is a deliberately loose check (one @, something on both
// sides, no spaces): the platform is the judge of the rest.
func plausibleEmail(s string) bool {
	at := strings.LastIndexByte(s, '@')
	return at > 0 && at < len(s)-1 && !strings.ContainsAny(s, " \t\r\n")
}
