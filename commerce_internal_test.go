package loyalty

import (
	"errors"
	"testing"
)

func TestCustomerRefCheck(t *testing.T) {
	for _, tc := range []struct {
		ref   CustomerRef
		field string // "" when valid
	}{
		{ByEmail("ana@example.com"), ""},
		{ByID("C-1"), ""},
		{ByPOSAccount("P-1"), ""},
		{ByPhone("+14155550123", ""), ""},
		{ByPhone("4155550123", "US"), ""},
		{CustomerRef{}, "Customer"},
		{CustomerRef{Email: "a@b.c", ID: "1"}, "Customer"},
		{ByEmail("not-an-email"), "Customer.Email"},
		{ByPhone("4155550123", ""), "Customer.Phone"},
		{ByPhone("+0123", ""), "Customer.Phone"},
		{ByPhone("415-555", "US"), "Customer.Phone"},
		{ByPhone("4155550123", "us"), "Customer.PhoneCountry"},
		{ByPhone("4155550123", "U1"), "Customer.PhoneCountry"},
		{ByPhone("4155550123", "1U"), "Customer.PhoneCountry"},
		{CustomerRef{Email: "a@b.c", PhoneCountry: "US"}, "Customer.PhoneCountry"},
	} {
		err := tc.ref.check("Op", "Customer.")
		var ie *InputError
		switch {
		case tc.field == "" && err != nil:
			t.Errorf("%+v: unexpected %v", tc.ref, err)
		case tc.field != "" && (!errors.As(err, &ie) || ie.Field != tc.field):
			t.Errorf("%+v: got %v, want an InputError on %s", tc.ref, err, tc.field)
		}
	}
}
