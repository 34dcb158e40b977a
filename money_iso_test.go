package loyalty_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// ISO 4217 gives the precious metals, units of account, the test code and
// XXX no minor unit ("N.A."): they are no Money, so parsing, formatting and
// sending them fail with an error that says why, instead of counting them
// in hundredths. The X-codes that are currencies keep their minor unit.
func TestMoneyRefusesCodesWithoutMinorUnit(t *testing.T) {
	for _, code := range []string{"XAU", "XAG", "XPD", "XPT", "XDR", "XBA", "XBB", "XBC", "XBD", "XSU", "XUA", "XTS", "XXX"} {
		_, err := loyalty.ParseMoney("1", code)
		require.Error(t, err, code)
		assert.Contains(t, err.Error(), "no minor unit", code)
		_, err = loyalty.NewMoney(100, code).Decimal()
		assert.Error(t, err, code)
	}
	for code, want := range map[string]string{"XAF": "100", "XOF": "100", "XPF": "100", "XCD": "1.00", "XCG": "1.00"} {
		m, err := loyalty.ParseMoney(want, code)
		require.NoError(t, err, code)
		d, err := m.Decimal()
		require.NoError(t, err, code)
		assert.Equal(t, want, d, code)
	}
}

// A service refuses such an amount before sending, naming the field.
func TestOrderRefusesGoldAsMoney(t *testing.T) {
	m := newPlatformMock(t)
	_, _, err := m.client(loyalty.InfluenceIO).Orders.Create(context.Background(), loyalty.Order{ID: "O", CustomerEmail: "a@example.com", Total: loyalty.NewMoney(100, "XAU")})
	var ie *loyalty.InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "Total.Currency", ie.Field)
	assert.Contains(t, ie.Error(), "no minor unit")
	assert.Empty(t, m.requests())
}
