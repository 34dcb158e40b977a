package influenceiofake

import (
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

type testProduct struct {
	ID       string `json:"id"`
	Title    string `json:"title"`
	Variants []struct {
		ID    string   `json:"id"`
		Title string   `json:"title"`
		Price *float64 `json:"price"`
		SKU   string   `json:"sku"`
	} `json:"variants"`
}

func productOf(t *testing.T, b []byte) testProduct {
	t.Helper()
	var env struct {
		Product testProduct `json:"product"`
	}
	decode(t, b, &env)
	return env.Product
}

// The variants endpoint: merge the posted variants, delete the missing ones, create new ones.
func TestSetVariantsMergesDeletesCreates(t *testing.T) {
	h := newHarness(t, Config{})
	path := contract.InfluenceIOVariantsPath("P-1")
	if msg := h.mustError(http.StatusNotFound, http.MethodPost, path, nil, `{"variants":[]}`); msg != "Product not found" {
		t.Errorf("unknown product: %q", msg)
	}
	h.MustStatus(http.StatusOK, http.MethodPut, contract.InfluenceIOProductPath("P-1"), nil,
		`{"title":"Tee","variants":[{"id":"S","title":"Small","price":10,"sku":"T-S"},{"id":"M","title":"Medium","price":11,"sku":"T-M"}]}`)
	for _, bad := range []string{`{}`, `{"variants":[{"title":"x"}]}`, `{"variants":[{"id":"S","price":-1}]}`, `{"variants":[{"id":"S"},{"id":"S"}]}`} {
		h.mustError(http.StatusBadRequest, http.MethodPost, path, nil, bad)
	}
	// S merged (price only: title and sku stay), M deleted, L created.
	p := productOf(t, h.MustStatus(http.StatusOK, http.MethodPost, path, nil, `{"variants":[{"id":"L","title":"Large","price":12.5,"sku":"T-L"},{"id":"S","price":9.99}]}`))
	if p.Title != "Tee" || len(p.Variants) != 2 {
		t.Fatalf("product %+v", p)
	}
	l, s := p.Variants[0], p.Variants[1]
	if l.ID != "L" || l.Title != "Large" || *l.Price != 12.5 || l.SKU != "T-L" {
		t.Errorf("created %+v", l)
	}
	if s.ID != "S" || s.Title != "Small" || *s.Price != 9.99 || s.SKU != "T-S" {
		t.Errorf("merged %+v", s)
	}
	// The state is kept: a PUT without variants leaves them, an empty list deletes them all.
	p = productOf(t, h.MustStatus(http.StatusOK, http.MethodPut, contract.InfluenceIOProductPath("P-1"), nil, `{"title":"T-shirt"}`))
	if len(p.Variants) != 2 || p.Title != "T-shirt" {
		t.Errorf("after PUT %+v", p)
	}
	if p = productOf(t, h.MustStatus(http.StatusOK, http.MethodPost, path, nil, `{"variants":[]}`)); len(p.Variants) != 0 {
		t.Errorf("after empty list %+v", p)
	}
}
