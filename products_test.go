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

// A realistic product answer: the documented fields plus some nobody
// modelled (handle, vendor, inventory), a price as a string, and an odd
// createdAt type.
const productResp = `{"product":{"id":"P 1/a","title":"Tee","url":"https://shop.example/p/tee","imageUrl":"https://cdn.example/tee.png",
 "price":"19.99","collections":["summer"],"handle":"tee","vendor":{"name":"Acme"},
 "variants":[{"id":"S","title":"Small","price":19.99,"sku":"T-S","inventory":4},{"id":"M","title":"Medium","price":21.5,"sku":"T-M"}],
 "createdAt":"2024-05-01T12:00:00Z","updatedAt":"2024-05-02T08:30:00.5Z"}}`

func TestProductsUpsertRequest(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPut, Path: "/v1/products/P%201%2Fa",
			Header: map[string]string{"x-api-key": "mock-key", "Content-Type": "application/json"},
			Body: `{"title":"Tee","url":"https://shop.example/p/tee","imageUrl":"https://cdn.example/tee.png","price":19.99,
			  "collections":["summer"],"variants":[{"id":"S","title":"Small","price":19.99,"sku":"T-S"},{"id":"M","price":21.50}]}`,
			Resp: productResp},
		// Only what is set is sent: an empty collection list clears, nil leaves.
		exchange{Method: http.MethodPut, Path: "/v1/products/P-2", Body: `{"collections":[]}`,
			Resp: `{"product":{"id":"P-2","price":1250}}`},
	)
	c := m.client(loyalty.InfluenceIO)
	p, resp, err := c.Products.Upsert(context.Background(), loyalty.ProductInput{
		ID: "P 1/a", Title: "Tee", URL: "https://shop.example/p/tee", ImageURL: "https://cdn.example/tee.png",
		Price: loyalty.Ptr(loyalty.NewMoney(1999, "EUR")), Collections: []string{"summer"},
		Variants: []loyalty.Variant{
			{ID: "S", Title: "Small", Price: loyalty.Ptr(loyalty.NewMoney(1999, "EUR")), SKU: "T-S"},
			{ID: "M", Price: loyalty.Ptr(loyalty.NewMoney(2150, "EUR"))},
		},
	})
	require.NoError(t, err)
	assert.Equal(t, http.StatusOK, resp.StatusCode)
	assert.Equal(t, "P 1/a", p.ID)
	assert.Equal(t, "Tee", p.Title)
	assert.Equal(t, loyalty.Ptr(loyalty.NewMoney(1999, "EUR")), p.Price, "a price sent as a string is read exactly")
	assert.Equal(t, []string{"summer"}, p.Collections)
	require.Len(t, p.Variants, 2)
	assert.Equal(t, loyalty.Variant{ID: "M", Title: "Medium", Price: loyalty.Ptr(loyalty.NewMoney(2150, "EUR")), SKU: "T-M"}, p.Variants[1])
	assert.Equal(t, time.Date(2024, 5, 2, 8, 30, 0, 5e8, time.UTC), p.UpdatedAt)
	assert.Contains(t, string(p.Raw), `"vendor"`)

	// No price in the input: Currency says how to read the answer's.
	p, _, err = c.Products.Upsert(context.Background(), loyalty.ProductInput{ID: "P-2", Collections: []string{}, Currency: "JPY"})
	require.NoError(t, err)
	assert.Equal(t, loyalty.Ptr(loyalty.NewMoney(1250, "JPY")), p.Price)
}

func TestProductsUpsertValidatesBeforeSending(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.InfluenceIO)
	eur := loyalty.Ptr(loyalty.NewMoney(100, "EUR"))
	for name, tt := range map[string]struct {
		in    loyalty.ProductInput
		field string
	}{
		"no id":              {loyalty.ProductInput{Title: "x"}, "ID"},
		"dot id":             {loyalty.ProductInput{ID: ".."}, "ID"},
		"unknown currency":   {loyalty.ProductInput{ID: "P", Price: loyalty.Ptr(loyalty.NewMoney(1, "XYZ"))}, "Price.Currency"},
		"no currency":        {loyalty.ProductInput{ID: "P", Price: loyalty.Ptr(loyalty.Money{Minor: 1})}, "Price.Currency"},
		"negative price":     {loyalty.ProductInput{ID: "P", Price: loyalty.Ptr(loyalty.NewMoney(-1, "EUR"))}, "Price"},
		"mixed currencies":   {loyalty.ProductInput{ID: "P", Price: eur, Variants: []loyalty.Variant{{ID: "S", Price: loyalty.Ptr(loyalty.NewMoney(1, "USD"))}}}, "Variants[0].Price.Currency"},
		"currency disagrees": {loyalty.ProductInput{ID: "P", Price: eur, Currency: "USD"}, "Price.Currency"},
		"variant without id": {loyalty.ProductInput{ID: "P", Variants: []loyalty.Variant{{Title: "S"}}}, "Variants[0].ID"},
		"variant twice":      {loyalty.ProductInput{ID: "P", Variants: []loyalty.Variant{{ID: "S"}, {ID: "S"}}}, "Variants[1].ID"},
		"bad currency field": {loyalty.ProductInput{ID: "P", Currency: "eur"}, "Currency"},
	} {
		_, _, err := c.Products.Upsert(context.Background(), tt.in)
		var ie *loyalty.InputError
		if assert.ErrorAs(t, err, &ie, name) {
			assert.Equal(t, "Products.Upsert", ie.Op, name)
			assert.Equal(t, tt.field, ie.Field, name)
		}
	}
}

func TestProductsSetVariantsRequest(t *testing.T) {
	m := newPlatformMock(t,
		exchange{Method: http.MethodPost, Path: "/v1/products/P%201%2Fa/variants",
			Body: `{"variants":[{"id":"L","title":"Large","price":2500,"sku":"T-L"},{"id":"S","price":1999}]}`,
			Resp: `{"product":{"id":"P 1/a","variants":[{"id":"L","title":"Large","price":2500,"sku":"T-L","extra":true},{"id":"S","title":"Small","price":"1999","sku":"T-S"}]}}`},
		exchange{Method: http.MethodPost, Path: "/v1/products/P-9/variants", Body: `{"variants":[]}`,
			Status: http.StatusNotFound, Resp: `{"message":"Product not found"}`},
	)
	c := m.client(loyalty.InfluenceIO)
	p, _, err := c.Products.SetVariants(context.Background(), "P 1/a", []loyalty.Variant{
		{ID: "L", Title: "Large", Price: loyalty.Ptr(loyalty.NewMoney(2500, "JPY")), SKU: "T-L"},
		{ID: "S", Price: loyalty.Ptr(loyalty.NewMoney(1999, "JPY"))},
	})
	require.NoError(t, err)
	require.Len(t, p.Variants, 2)
	assert.Equal(t, loyalty.Variant{ID: "S", Title: "Small", Price: loyalty.Ptr(loyalty.NewMoney(1999, "JPY")), SKU: "T-S"}, p.Variants[1])

	_, _, err = c.Products.SetVariants(context.Background(), "P-9", []loyalty.Variant{})
	assert.ErrorIs(t, err, loyalty.ErrNotFound)
	assert.Contains(t, err.Error(), "Product not found")

	var ie *loyalty.InputError
	_, _, err = c.Products.SetVariants(context.Background(), "P-9", nil)
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "variants", ie.Field)
	_, _, err = c.Products.SetVariants(context.Background(), "", []loyalty.Variant{})
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "productID", ie.Field)
	assert.Len(t, m.requests(), 2, "bad input sends nothing")
}

// A price Influence.io returns with more decimals than the currency has is
// not rounded into Money: it is left nil, and the raw JSON keeps it.
func TestProductsInexactPriceIsNotRounded(t *testing.T) {
	m := newPlatformMock(t, exchange{Method: http.MethodPut, Path: "/v1/products/P", Body: `{"price":0.30}`,
		Resp: `{"product":{"id":"P","price":0.30000000000000004}}`})
	p, _, err := m.client(loyalty.InfluenceIO).Products.Upsert(context.Background(), loyalty.ProductInput{ID: "P", Price: loyalty.Ptr(loyalty.NewMoney(30, "USD"))})
	require.NoError(t, err)
	assert.Nil(t, p.Price)
	assert.Contains(t, string(p.Raw), "0.30000000000000004")
}

// Products exist on Influence.io only: on Yotpo they fail before sending,
// naming the platform that has them.
func TestProductsNotOnYotpo(t *testing.T) {
	c := newPlatformMock(t).client(loyalty.Yotpo)
	_, _, err := c.Products.Upsert(context.Background(), loyalty.ProductInput{ID: "P"})
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
	assert.Contains(t, err.Error(), "Products.Upsert")
	assert.Contains(t, err.Error(), "(influenceio does)")
	_, _, err = c.Products.SetVariants(context.Background(), "P", []loyalty.Variant{})
	assert.ErrorIs(t, err, loyalty.ErrNotSupported)
}
