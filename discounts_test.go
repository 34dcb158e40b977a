package loyalty_test

import (
	"context"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

// A percentage code's Percent is a decimal from 0 to 100, compared
// exactly: a negative, an over-100 or a non-finite value is an InputError
// naming the field, on Create and Update alike, before any request.
func TestOrderDiscountPercentIsFromZeroToHundred(t *testing.T) {
	m := newPlatformMock(t)
	c := m.client(loyalty.InfluenceIO)
	ctx := context.Background()
	for _, p := range []string{"-1", "-0.5", "100.01", "100.0000000000000001", "101", "1e3", "1e999", "NaN", "Inf", "+Inf", "ten", " 10", "1e1"} {
		d := []loyalty.OrderDiscount{{Code: "OK", Type: loyalty.DiscountPercentage, Percent: "5"}, {Code: "BAD", Type: loyalty.DiscountPercentage, Percent: p}}
		_, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O", CustomerEmail: "a@example.com", Total: loyalty.NewMoney(100, "EUR"), Discounts: d})
		var ie *loyalty.InputError
		require.ErrorAs(t, err, &ie, "Create with Percent %q", p)
		assert.Equal(t, "Discounts[1].Percent", ie.Field, "Create with Percent %q", p)
		_, _, err = c.Orders.Update(ctx, "O", loyalty.OrderUpdate{CustomerEmail: "a@example.com", Discounts: d})
		require.ErrorAs(t, err, &ie, "Update with Percent %q", p)
		assert.Equal(t, "Discounts[1].Percent", ie.Field, "Update with Percent %q", p)
	}
	assert.Empty(t, m.requests())
}

// The bounds themselves are percentages, sent as the decimal strings
// Influence.io's order prices are (contract.InfluenceIOOrderPricesAsStrings).
func TestOrderDiscountPercentBoundsAreAccepted(t *testing.T) {
	for _, p := range []string{"0", "100", "100.0", "12.5"} {
		m := newPlatformMock(t, exchange{Method: "POST", Path: "/v1/orders", Status: 201, Resp: `{"order":{"id":"O"}}`,
			Body: `{"id":"O","email":"a@example.com","currency":"EUR","totalPrice":"1.00","discountCodes":[{"code":"P","type":"percentage","amount":"` + p + `"}]}`})
		_, _, err := m.client(loyalty.InfluenceIO).Orders.Create(context.Background(), loyalty.Order{ID: "O", CustomerEmail: "a@example.com",
			Total: loyalty.NewMoney(100, "EUR"), Discounts: []loyalty.OrderDiscount{{Code: "P", Type: loyalty.DiscountPercentage, Percent: p}}})
		assert.NoError(t, err, "Percent %q", p)
	}
}
