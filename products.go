package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// ProductsService keeps Influence.io's copy of the store's catalogue, which
// product-specific rewards and earn-rule exclusions refer to
// (https://developer.influence.io/docs/getting-started-with-the-influenceio-platform-api).
// Influence.io only.
type ProductsService service

// Product is a product as Influence.io stores it.
type Product struct {
	ID       string // your product id
	Title    string
	URL      string // product page
	ImageURL string
	// Price is nil when the product has none, or when the call gave no
	// currency to read it in (Influence.io's products carry none; see
	// ProductInput.Currency).
	Price       *Money
	Collections []string // your collection ids
	Variants    []Variant
	CreatedAt   time.Time
	UpdatedAt   time.Time
	Raw         json.RawMessage
}

// Variant is one variant of a product.
type Variant struct {
	ID    string // required on input
	Title string
	Price *Money
	SKU   string
}

// ProductInput is a product to create or update with Upsert. Empty fields
// are not sent, and Influence.io leaves them unchanged.
type ProductInput struct {
	ID       string // required: your product id, the path id
	Title    string
	URL      string
	ImageURL string
	Price    *Money
	// Collections, when not nil, replaces the product's collections (an
	// empty, non-nil slice clears them).
	Collections []string
	// Variants, when not nil, replaces the product's variants, as
	// SetVariants does.
	Variants []Variant
	// Currency is the store's currency, in which Influence.io keeps every
	// price of the product (its products carry no currency). It may be left
	// empty when Price or a variant's price says it; all of them must agree.
	// Without any, the prices in the answer are left nil (still in Raw).
	Currency string
}

type productJSON struct {
	ID          wireText        `json:"id" wire:"required"`
	Title       wireText        `json:"title"`
	URL         wireText        `json:"url"`
	ImageURL    wireText        `json:"imageUrl"`
	Price       influenceNumber `json:"price"`
	Collections []string        `json:"collections"`
	Variants    []variantJSON   `json:"variants"`
	CreatedAt   influenceTime   `json:"createdAt"`
	UpdatedAt   influenceTime   `json:"updatedAt"`
}

type variantJSON struct {
	ID    wireText        `json:"id"`
	Title wireText        `json:"title"`
	Price influenceNumber `json:"price"`
	SKU   wireText        `json:"sku"`
}

// Request bodies (decided).
type productBody struct {
	Title       string             `json:"title,omitempty"`
	URL         string             `json:"url,omitempty"`
	ImageURL    string             `json:"imageUrl,omitempty"`
	Price       *json.Number       `json:"price,omitempty"`
	Collections *[]string          `json:"collections,omitempty"`
	Variants    *[]variantBodyJSON `json:"variants,omitempty"`
}

type variantBodyJSON struct {
	ID    string       `json:"id"`
	Title string       `json:"title,omitempty"`
	Price *json.Number `json:"price,omitempty"`
	SKU   string       `json:"sku,omitempty"`
}

// productCurrency checks that every price of a call is in one currency,
// also currency when that is not empty, and returns it ("" when none).
func productCurrency(op, currency string, price *Money, variants []Variant) (string, error) {
	field := "Currency"
	agree := func(f string, m *Money) error {
		if m == nil {
			return nil
		}
		if currency == "" {
			currency, field = m.Currency, f
			return nil
		}
		if m.Currency != currency {
			return inputErr(op, f, "is in %q, but %s is %q: Influence.io keeps a product's prices in one currency", m.Currency, field, currency)
		}
		return nil
	}
	if err := agree("Price.Currency", price); err != nil {
		return "", err
	}
	for i := range variants {
		if err := agree(fmt.Sprintf("Variants[%d].Price.Currency", i), variants[i].Price); err != nil {
			return "", err
		}
	}
	if currency != "" {
		if err := checkCurrency(op, field, currency); err != nil {
			return "", err
		}
	}
	return currency, nil
}

// variantsBody validates variants and encodes them.
func variantsBody(op, field string, variants []Variant) ([]variantBodyJSON, error) {
	out := make([]variantBodyJSON, 0, len(variants))
	seen := make(map[string]bool, len(variants))
	for i, v := range variants {
		f := fmt.Sprintf("%s[%d]", field, i)
		switch {
		case v.ID == "":
			return nil, inputErr(op, f+".ID", "is required")
		case seen[v.ID]:
			return nil, inputErr(op, f+".ID", "%q appears twice", v.ID)
		}
		seen[v.ID] = true
		w := variantBodyJSON{ID: v.ID, Title: v.Title, SKU: v.SKU}
		if v.Price != nil {
			if v.Price.Minor < 0 {
				return nil, inputErr(op, f+".Price", "must not be negative")
			}
			n, err := influenceAmount(op, f+".Price", *v.Price)
			if err != nil {
				return nil, err
			}
			w.Price = &n
		}
		out = append(out, w)
	}
	return out, nil
}

// Upsert creates or updates a product (PUT /v1/products/{id},
// https://support.reviews.io/en/articles/6634616-influence-io-api). A PUT of
// the same input leaves the same product, so the call is retried like any
// idempotent request.
func (s *ProductsService) Upsert(ctx context.Context, in ProductInput, callOpts ...CallOption) (*Product, *Response, error) {
	const op = "Products.Upsert"
	if err := s.client.influenceIOOnly(op); err != nil {
		return nil, nil, err
	}
	// The contract's path functions escape the id as pathSegment does.
	if _, err := pathSegment(op, "ID", in.ID); err != nil {
		return nil, nil, err
	}
	currency, err := productCurrency(op, in.Currency, in.Price, in.Variants)
	if err != nil {
		return nil, nil, err
	}
	body := productBody{Title: in.Title, URL: in.URL, ImageURL: in.ImageURL}
	if in.Price != nil {
		if in.Price.Minor < 0 {
			return nil, nil, inputErr(op, "Price", "must not be negative")
		}
		n, err := influenceAmount(op, "Price", *in.Price)
		if err != nil {
			return nil, nil, err
		}
		body.Price = &n
	}
	if in.Collections != nil {
		body.Collections = &in.Collections
	}
	if in.Variants != nil {
		vs, err := variantsBody(op, "Variants", in.Variants)
		if err != nil {
			return nil, nil, err
		}
		body.Variants = &vs
	}
	return s.send(ctx, op, http.MethodPut, contract.InfluenceIOProductPath(in.ID), body, currency, callOpts)
}

// SetVariants makes variants the product's variants (POST
// /v1/products/{id}/variants,
// https://developer.influence.io/reference/post_v1-products-productid-variants):
// the posted variants are merged into the product, the ones missing from the
// list are deleted and new ones created. An empty, non-nil list deletes
// every variant; nil is refused, as it is more likely a mistake. Prices are
// read back in the variants' currency. An unknown product is ErrNotFound.
//
// The result depends only on the list sent, so sending it twice leaves the
// same variants: the call is retried like an idempotent request.
func (s *ProductsService) SetVariants(ctx context.Context, productID string, variants []Variant, callOpts ...CallOption) (*Product, *Response, error) {
	const op = "Products.SetVariants"
	if err := s.client.influenceIOOnly(op); err != nil {
		return nil, nil, err
	}
	if _, err := pathSegment(op, "productID", productID); err != nil {
		return nil, nil, err
	}
	if variants == nil {
		return nil, nil, inputErr(op, "variants", "is nil; pass an empty slice to delete every variant")
	}
	currency, err := productCurrency(op, "", nil, variants)
	if err != nil {
		return nil, nil, err
	}
	vs, err := variantsBody(op, "variants", variants)
	if err != nil {
		return nil, nil, err
	}
	body := struct {
		Variants []variantBodyJSON `json:"variants"`
	}{vs}
	return s.send(ctx, op, http.MethodPost, contract.InfluenceIOVariantsPath(productID), body, currency, callOpts)
}

// send makes a product call, retried as idempotent, and decodes its
// {"product": …} answer with prices in currency.
func (s *ProductsService) send(ctx context.Context, op, method, path string, body any, currency string, callOpts []CallOption) (*Product, *Response, error) {
	req, err := s.client.request(op, InfluenceIO, method, path, body)
	if err != nil {
		return nil, nil, err
	}
	req.Idempotent = true
	var env struct {
		Product json.RawMessage `json:"product"`
	}
	resp, err := s.client.Do(ctx, req, &env, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	p, err := decodeProduct(resp, env.Product, currency)
	if err != nil {
		return nil, resp, req.answerError(resp.StatusCode, fmt.Errorf("loyalty: %s: decoding response: %w", op, err))
	}
	return p, resp, nil
}

func decodeProduct(resp *Response, raw json.RawMessage, currency string) (*Product, error) {
	if len(raw) == 0 || string(raw) == "null" {
		return nil, fmt.Errorf("no product in the answer")
	}
	var w productJSON
	if err := decodeTolerant(resp, atName("product"), raw, &w); err != nil {
		return nil, err
	}
	p := &Product{
		ID: string(w.ID), Title: string(w.Title), URL: string(w.URL), ImageURL: string(w.ImageURL), Price: influenceMoney(w.Price, currency),
		Collections: w.Collections, CreatedAt: w.CreatedAt.Time, UpdatedAt: w.UpdatedAt.Time, Raw: raw,
	}
	for _, v := range w.Variants {
		p.Variants = append(p.Variants, Variant{ID: string(v.ID), Title: string(v.Title), Price: influenceMoney(v.Price, currency), SKU: string(v.SKU)})
	}
	return p, nil
}
