package loyalty_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func TestMoneyDecimalRoundTrip(t *testing.T) {
	for _, tc := range []struct {
		minor    int64
		currency string
		decimal  string
	}{
		{1999, "EUR", "19.99"},
		{5, "USD", "0.05"},
		{-120, "USD", "-1.20"},
		{0, "EUR", "0.00"},
		{500, "JPY", "500"},
		{1250, "KWD", "1.250"},
		{-1, "KWD", "-0.001"},
		{9223372036854775807, "EUR", "92233720368547758.07"},
		// ISO 4217 minor units where CLDR's display digits differ.
		{1250, "COP", "12.50"},
		{1250, "IDR", "12.50"},
		{1250, "IQD", "1.250"},
		{1250, "RSD", "12.50"},
		{12345, "CLF", "1.2345"},
		{1250, "VES", "12.50"},
	} {
		m := loyalty.NewMoney(tc.minor, tc.currency)
		d, err := m.Decimal()
		require.NoError(t, err)
		assert.Equal(t, tc.decimal, d, "%+v", tc)
		back, err := loyalty.ParseMoney(d, tc.currency)
		require.NoError(t, err)
		assert.Equal(t, m, back)
	}
}

func TestParseMoneyIsExact(t *testing.T) {
	m, err := loyalty.ParseMoney("0.3", "EUR") // 0.1 + 0.2 as a decimal, not a float
	require.NoError(t, err)
	assert.Equal(t, int64(30), m.Minor)
	m, err = loyalty.ParseMoney("1e2", "JPY")
	require.NoError(t, err)
	assert.Equal(t, int64(100), m.Minor)
	for _, bad := range []struct{ amount, currency string }{
		{"1.005", "EUR"}, {"1.5", "JPY"}, {"abc", "EUR"}, {"1", "eur"}, {"1", "EURO"}, {"1", "ZZZ"},
		{"92233720368547758.08", "EUR"}, {"1/2", "EUR"}, {"0x10", "EUR"}, {"0x1p-2", "EUR"}, {"+1", "EUR"}, {"1e99999", "EUR"},
	} {
		_, err := loyalty.ParseMoney(bad.amount, bad.currency)
		assert.Error(t, err, "%+v", bad)
	}
}

func TestMoneyString(t *testing.T) {
	assert.Equal(t, "19.99 EUR", loyalty.NewMoney(1999, "EUR").String())
	assert.Contains(t, loyalty.NewMoney(5, "??").String(), "minor units")
}
