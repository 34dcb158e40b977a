package loyalty

import (
	"encoding/json"
	"errors"
	"testing"
)

// Influence.io amounts are decimal major units, converted in one place:
// exact both ways, with exactly the currency's minor digits.
func TestInfluenceMoneyRoundTrip(t *testing.T) {
	sum := NewMoney(10, "USD").Minor + NewMoney(20, "USD").Minor // 0.10 + 0.20
	for _, tt := range []struct {
		m    Money
		wire string
	}{
		{Money{Minor: sum, Currency: "USD"}, "0.30"},
		{NewMoney(1, "EUR"), "0.01"},
		{NewMoney(-1999, "EUR"), "-19.99"},
		{NewMoney(500, "JPY"), "500"},
		{NewMoney(0, "JPY"), "0"},
		{NewMoney(1250, "KWD"), "1.250"},
		{NewMoney(1, "KWD"), "0.001"},
		{NewMoney(9007199254740993, "EUR"), "90071992547409.93"}, // beyond float64's exact integers
	} {
		n, err := influenceAmount("Op", "Price", tt.m)
		if err != nil {
			t.Fatalf("%v: %v", tt.m, err)
		}
		b, _ := json.Marshal(struct {
			P json.Number `json:"p"`
		}{n})
		if want := `{"p":` + tt.wire + `}`; string(b) != want {
			t.Errorf("%v encodes as %s; want %s", tt.m, b, want)
		}
		// Read back as a number and as a string, also in the short forms a
		// server may send (0.3, 1.25).
		for _, raw := range []string{tt.wire, `"` + tt.wire + `"`} {
			var got influenceNumber
			if err := json.Unmarshal([]byte(raw), &got); err != nil {
				t.Fatal(err)
			}
			if m := influenceMoney(got, tt.m.Currency); m == nil || *m != tt.m {
				t.Errorf("%s reads as %v; want %v", raw, m, tt.m)
			}
		}
	}
	for raw, want := range map[string]Money{"0.3": {30, "USD"}, "1.25": {1250, "KWD"}, "5e2": {500, "JPY"}} {
		if m := influenceMoney(influenceNumber(raw), want.Currency); m == nil || *m != want {
			t.Errorf("%s reads as %v; want %v", raw, m, want)
		}
	}
	// Never rounded: too many decimals, floats' artefacts, unknown currency, absent.
	for _, tt := range []struct{ n, cur string }{{"0.30000000000000004", "USD"}, {"0.5", "JPY"}, {"1.2345", "KWD"}, {"1", "XYZ"}, {"", "EUR"}, {"abc", "EUR"}} {
		var n influenceNumber
		_ = json.Unmarshal([]byte(`"`+tt.n+`"`), &n)
		if m := influenceMoney(n, tt.cur); m != nil {
			t.Errorf("%q %s read as %v; want nil", tt.n, tt.cur, m)
		}
	}
	var ie *InputError
	if _, err := influenceAmount("Orders.Create", "Total", Money{Minor: 1, Currency: "usd"}); !errors.As(err, &ie) || ie.Field != "Total.Currency" || ie.Op != "Orders.Create" {
		t.Errorf("bad currency: %v", err)
	}
	var null influenceNumber = "x"
	if err := json.Unmarshal([]byte(`null`), &null); err != nil || null != "" {
		t.Errorf("null reads as %q, %v", null, err)
	}
}

// benchVariants is a 100-variant list, as a catalogue sync sends it.
func benchVariants() []Variant {
	vs := make([]Variant, 100)
	for i := range vs {
		vs[i] = Variant{ID: "V-" + string(rune('A'+i%26)) + string(rune('0'+i/26)), Title: "Variant", Price: &Money{Minor: int64(1999 + i), Currency: "EUR"}, SKU: "SKU"}
	}
	return vs
}

// BenchmarkInfluenceIOVariantsEncode validates and encodes 100 variants
// (money through influenceAmount) as SetVariants does.
func BenchmarkInfluenceIOVariantsEncode(b *testing.B) {
	vs := benchVariants()
	b.ReportAllocs()
	for range b.N {
		body, err := variantsBody("Products.SetVariants", "variants", vs)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := json.Marshal(struct {
			Variants []variantBodyJSON `json:"variants"`
		}{body}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkInfluenceIOProductDecode decodes a product answer with 100
// variants, every price read exactly into Money.
func BenchmarkInfluenceIOProductDecode(b *testing.B) {
	body, _ := variantsBody("Products.SetVariants", "variants", benchVariants())
	raw, _ := json.Marshal(map[string]any{"id": "P-1", "title": "Tee", "price": 19.99, "variants": body, "createdAt": "2024-05-01T12:00:00Z"})
	b.ReportAllocs()
	b.SetBytes(int64(len(raw)))
	for range b.N {
		p, err := decodeProduct(nil, raw, "EUR")
		if err != nil || len(p.Variants) != 100 || p.Variants[99].Price.Minor != 2098 {
			b.Fatal(err)
		}
	}
}
