package loyalty_test

import (
	"context"
	"net/http"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/loyalty-go/loyalty"
)

func TestOrdersCreateSendsEveryField(t *testing.T) {
	m := newPlatformMock(t, exchange{
		Method: http.MethodPost, Path: "/orders",
		Body: `{"customer_email":"ana@example.com","customer_id":"C-1042","order_id":"O-77812",
			"total_amount_cents":15000,"currency_code":"EUR","status":"paid","created_at":"2026-11-20T17:04:05Z",
			"coupon_code":"WELCOME10,FREESHIP","ip_address":"203.0.113.7","user_agent":"Mozilla/5.0",
			"discount_amount_cents":1000,"shipping_amount_cents":495,"tax_amount_cents":2603,"total_refunded_cents":0,
			"customer_tags":"vip,newsletter","tags":"web,gift",
			"clerk_employee_id":"E-7","clerk_name":"Bo","store_address":"Rue Neuve 1","store_city":"Brussels","store_state":"BRU","channel_type":"pos",
			"items":[{"id":"SKU-1","name":"Mug","price_cents":1250,"quantity":2,"vendor":"Acme","type":"kitchen","collections":"summer,mugs"},
			         {"id":"SKU-2","price_cents":0,"quantity":1}],
			"billing_address":{"first_name":"Ana","last_name":"Peeters","country_code":"BE","address1":"Rue Neuve 1","address2":"Box 3","city":"Brussels","state":"BRU","zip":"1000","phone":"+32470123456"},
			"shipping_address":{"city":"Ghent","country_code":"BE"},
			"customer":{"tags":"vip","has_account":true,"opted_in":true,"opted_in_at":"2025-03-01T09:00:00Z"}}`,
		Resp: `{}`,
	})
	eur := func(minor int64) *loyalty.Money { return loyalty.Ptr(loyalty.NewMoney(minor, "EUR")) }
	order := loyalty.Order{
		ID: "O-77812", CustomerEmail: "ana@example.com", CustomerID: "C-1042",
		Total: loyalty.NewMoney(15000, "EUR"), Status: loyalty.OrderPaid,
		CreatedAt: time.Date(2026, 11, 20, 18, 4, 5, 0, time.FixedZone("CET", 3600)),
		Discounts: []loyalty.OrderDiscount{{Code: "WELCOME10", Amount: eur(1000), Type: loyalty.DiscountFixedAmount}, {Code: "FREESHIP", Type: loyalty.DiscountShipping}},
		IPAddress: "203.0.113.7", UserAgent: "Mozilla/5.0",
		Discount: eur(1000), Shipping: eur(495), Tax: eur(2603), TotalRefunded: eur(0),
		CustomerTags: []string{"vip", "newsletter"}, Tags: []string{"web", "gift"},
		Items: []loyalty.OrderItem{
			{ID: "SKU-1", VariantID: "V-9", Name: "Mug", Price: loyalty.NewMoney(1250, "EUR"), Quantity: 2, Vendor: "Acme", Type: "kitchen", Collections: []string{"summer", "mugs"}},
			{ID: "SKU-2", Price: loyalty.NewMoney(0, "EUR"), Quantity: 1},
		},
		BillingAddress: &loyalty.Address{FirstName: "Ana", LastName: "Peeters", Address1: "Rue Neuve 1", Address2: "Box 3",
			City: "Brussels", State: "BRU", Zip: "1000", CountryCode: "BE", Phone: "+32470123456"},
		ShippingAddress: &loyalty.Address{City: "Ghent", CountryCode: "BE"},
		Customer: &loyalty.OrderCustomer{Tags: []string{"vip"}, HasAccount: loyalty.Ptr(true), OptIn: loyalty.Ptr(true),
			OptedInAt: time.Date(2025, 3, 1, 9, 0, 0, 0, time.UTC)},
		Yotpo: &loyalty.YotpoOrder{ClerkEmployeeID: "E-7", ClerkName: "Bo", StoreAddress: "Rue Neuve 1", StoreCity: "Brussels", StoreState: "BRU", ChannelType: "pos"},
	}
	res, _, err := m.client(loyalty.Yotpo).Orders.Create(context.Background(), order)
	require.NoError(t, err)
	assert.Equal(t, order, res.Order, "Yotpo answers {}: the result is the order sent")
	assert.Nil(t, res.PointsAwarded, "Yotpo does not say")
	assert.JSONEq(t, `{}`, string(res.Raw))
}

func TestOrdersCreateWithoutIPSaysSo(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/orders",
			Body: `{"customer_id":"C-1","order_id":"O-1","total_amount_cents":500,"currency_code":"JPY","ignore_ip_ua":true}`},
		exchange{Method: http.MethodPost, Path: "/orders",
			Body: `{"customer_id":"C-1","order_id":"O-2","total_amount_cents":500,"currency_code":"JPY","ip_address":"203.0.113.7","status":"awaiting_courier"}`,
			Resp: `{"status":"ok","unknown":[1]}`},
	)
	c := m.client(loyalty.Yotpo)
	_, _, err := c.Orders.Create(context.Background(), loyalty.Order{ID: "O-1", CustomerID: "C-1", Total: loyalty.NewMoney(500, "JPY")})
	require.NoError(t, err)
	_, _, err = c.Orders.Create(context.Background(), loyalty.Order{ID: "O-2", CustomerID: "C-1", Total: loyalty.NewMoney(500, "JPY"),
		IPAddress: "203.0.113.7", Status: "awaiting_courier"})
	require.NoError(t, err, "an unknown status goes through as it is; with an IP address ignore_ip_ua is not sent")
}

func TestOrdersCreateIsRetriedAsDeduplicated(t *testing.T) {
	body := `{"customer_email":"a@example.com","order_id":"O-1","total_amount_cents":100,"currency_code":"USD","ignore_ip_ua":true}`
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/orders", Body: body, Status: http.StatusServiceUnavailable},
		exchange{Method: http.MethodPost, Path: "/orders", Body: body, Resp: `{}`},
	)
	_, resp, err := m.client(loyalty.Yotpo).Orders.Create(context.Background(), loyalty.Order{ID: "O-1", CustomerEmail: "a@example.com", Total: loyalty.NewMoney(100, "USD")})
	require.NoError(t, err, "Yotpo de-duplicates on order_id, so a 503 is retried")
	assert.Equal(t, http.StatusOK, resp.StatusCode)
}

func TestOrdersRefund(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/refunds",
			Body: `{"id":"R-1","order_id":"O-77812","total_amount_cents":2500,"currency":"EUR","items":[{"id":"SKU-1","quantity":2},{"id":"SKU-2","quantity":1}]}`,
			Resp: `{}`},
		exchange{Method: http.MethodPost, Path: "/refunds", Body: `{"order_id":"O-77812","total_amount_cents":1,"currency":"KWD"}`,
			Status: http.StatusServiceUnavailable},
	)
	c := m.client(loyalty.Yotpo)
	_, err := c.Orders.Refund(context.Background(), loyalty.Refund{ID: "R-1", OrderID: "O-77812", Total: loyalty.NewMoney(2500, "EUR"),
		Items: []loyalty.OrderItem{{ID: "SKU-1", Name: "Mug", Price: loyalty.NewMoney(1250, "EUR"), Quantity: 2}, {ID: "SKU-2", Quantity: 1}}})
	require.NoError(t, err, "refund items are {id, quantity}: a price is neither required nor sent")
	_, err = c.Orders.Refund(context.Background(), loyalty.Refund{OrderID: "O-77812", Total: loyalty.NewMoney(1, "KWD")})
	var e *loyalty.Error
	require.ErrorAs(t, err, &e)
	assert.Equal(t, 1, e.Attempts, "a refund is not retried on a 5xx")
}

func TestOrdersValidateBeforeSending(t *testing.T) {
	m := newPlatformMock(t)
	c := m.client(loyalty.Yotpo)
	ctx := context.Background()
	ok := loyalty.Order{ID: "O-1", CustomerEmail: "a@example.com", Total: loyalty.NewMoney(100, "EUR")}
	with := func(f func(*loyalty.Order)) loyalty.Order { o := ok; f(&o); return o }
	for _, tc := range []struct {
		name, field string
		o           loyalty.Order
	}{
		{"no id", "ID", with(func(o *loyalty.Order) { o.ID = "" })},
		{"no customer", "CustomerEmail", with(func(o *loyalty.Order) { o.CustomerEmail = "" })},
		{"bad email", "CustomerEmail", with(func(o *loyalty.Order) { o.CustomerEmail = "a" })},
		{"no currency", "Total.Currency", with(func(o *loyalty.Order) { o.Total.Currency = "" })},
		{"negative", "Total", with(func(o *loyalty.Order) { o.Total.Minor = -1 })},
		{"mixed currency", "Tax.Currency", with(func(o *loyalty.Order) { o.Tax = loyalty.Ptr(loyalty.NewMoney(1, "USD")) })},
		{"subtotal currency", "Subtotal.Currency", with(func(o *loyalty.Order) { o.Subtotal = loyalty.Ptr(loyalty.NewMoney(1, "USD")) })},
		{"item currency", "Items[0].Price.Currency", with(func(o *loyalty.Order) {
			o.Items = []loyalty.OrderItem{{Price: loyalty.NewMoney(1, "USD"), Quantity: 1}}
		})},
		{"item quantity", "Items[0].Quantity", with(func(o *loyalty.Order) {
			o.Items = []loyalty.OrderItem{{Price: loyalty.NewMoney(1, "EUR")}}
		})},
		{"coupon with comma", "Discounts[1].Code", with(func(o *loyalty.Order) { o.Discounts = []loyalty.OrderDiscount{{Code: "A"}, {Code: "A,B"}} })},
		{"blank coupon", "Discounts[0].Code", with(func(o *loyalty.Order) { o.Discounts = []loyalty.OrderDiscount{{Code: " "}} })},
		{"coupon currency", "Discounts[0].Amount.Currency", with(func(o *loyalty.Order) {
			o.Discounts = []loyalty.OrderDiscount{{Code: "A", Amount: loyalty.Ptr(loyalty.NewMoney(1, "USD"))}}
		})},
		{"blank tag", "Tags[0]", with(func(o *loyalty.Order) { o.Tags = []string{" "} })},
		{"country", "ShippingAddress.CountryCode", with(func(o *loyalty.Order) { o.ShippingAddress = &loyalty.Address{CountryCode: "be"} })},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, _, err := c.Orders.Create(ctx, tc.o)
			var ie *loyalty.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, "Orders.Create", ie.Op)
			assert.Equal(t, tc.field, ie.Field)
		})
	}
	for _, tc := range []struct {
		name, field string
		r           loyalty.Refund
	}{
		{"no order", "OrderID", loyalty.Refund{Total: loyalty.NewMoney(1, "EUR")}},
		{"zero", "Total", loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(0, "EUR")}},
		{"bad currency", "Total.Currency", loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(1, "EURO")}},
		{"item without id", "Items[0].ID", loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(1, "EUR"), Items: []loyalty.OrderItem{{Quantity: 1}}}},
		{"item quantity", "Items[0].Quantity", loyalty.Refund{OrderID: "O-1", Total: loyalty.NewMoney(1, "EUR"), Items: []loyalty.OrderItem{{ID: "SKU-1"}}}},
	} {
		t.Run("refund "+tc.name, func(t *testing.T) {
			_, err := c.Orders.Refund(ctx, tc.r)
			var ie *loyalty.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, "Orders.Refund", ie.Op)
			assert.Equal(t, tc.field, ie.Field)
		})
	}
}
