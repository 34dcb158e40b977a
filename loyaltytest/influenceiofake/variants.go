package influenceiofake

import (
	"net/http"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// variantRequest is one variant of a request body. Pointers
// tell an absent field, which a merge leaves as it was.
type variantRequest struct {
	ID    string         `json:"id"`
	Title *string        `json:"title"`
	Price *fakekit.Float `json:"price"`
	SKU   *string        `json:"sku"`
}

// checkVariants validates a posted list: every variant has an id, once, and
// no negative price. It returns the variants as posted (absent fields
// empty), or the message of the 400.
func checkVariants(in []variantRequest) ([]variant, string) {
	out := make([]variant, 0, len(in))
	seen := map[string]bool{}
	for _, v := range in {
		switch {
		case v.ID == "" || negative(v.Price):
			return nil, "variants need an id and a price >= 0"
		case seen[v.ID]:
			return nil, "variant id " + v.ID + " appears twice"
		}
		seen[v.ID] = true
		out = append(out, variant{ID: v.ID, Title: deref(v.Title), Price: fakekit.FloatPtr(v.Price), SKU: deref(v.SKU)})
	}
	return out, ""
}

// variantsRequest is the body of POST /v1/products/{id}/variants (decided).
type variantsRequest struct {
	Variants *[]variantRequest `json:"variants"`
}

// setVariants serves POST /v1/products/{id}/variants
// (https://developer.influence.io/reference/post_v1-products-productid-variants):
// the posted variants are merged into the product (a present field replaces
// the stored one, an absent one stays), the stored ones missing from the
// array are deleted, and new ones created. The result is in posted order.
// An unknown product is 404 (decided: the endpoint does not create one).
func (f *Fake) setVariants(w http.ResponseWriter, r *http.Request, id string) {
	var req variantsRequest
	if !f.readBody(w, r, &req) {
		return
	}
	if req.Variants == nil {
		invalid(w, "variants is required")
		return
	}
	if _, msg := checkVariants(*req.Variants); msg != "" {
		invalid(w, msg)
		return
	}
	f.mu.Lock()
	defer f.mu.Unlock()
	p := f.products[id]
	if p == nil {
		writeError(w, http.StatusNotFound, "Product not found")
		return
	}
	old := make(map[string]variant, len(p.Variants))
	for _, v := range p.Variants {
		old[v.ID] = v
	}
	merged := make([]variant, 0, len(*req.Variants))
	for _, in := range *req.Variants {
		v := old[in.ID] // zero for a new variant
		v.ID = in.ID
		set(&v.Title, in.Title)
		set(&v.SKU, in.SKU)
		if in.Price != nil {
			v.Price = fakekit.FloatPtr(in.Price)
		}
		merged = append(merged, v)
	}
	p.Variants = merged
	p.UpdatedAt = fakekit.FormatTime(f.env.Now())
	cp := *p
	fakekit.WriteJSON(w, http.StatusOK, map[string]product{"product": cp})
}
