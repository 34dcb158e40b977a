package influenceiofake

import (
	"net/http"
	"slices"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// testOrder is the test's own view of the Order object.
type testOrder struct {
	ID              string   `json:"id"`
	CustomerID      string   `json:"customerId"`
	Email           string   `json:"email"`
	Currency        string   `json:"currency"`
	TotalPrice      *float64 `json:"totalPrice"`
	SubtotalPrice   *float64 `json:"subtotalPrice"`
	CreatedAt       string   `json:"createdAt"`
	FinancialStatus string   `json:"financialStatus"`
	LineItems       []struct {
		ProductID string   `json:"productId"`
		Quantity  int      `json:"quantity"`
		Price     *float64 `json:"price"`
	} `json:"lineItems"`
	DiscountCodes []struct {
		Code   string   `json:"code"`
		Amount *float64 `json:"amount"`
		Type   string   `json:"type"`
	} `json:"discountCodes"`
	PointsAwarded  bool   `json:"pointsAwarded"`
	PointsRefunded bool   `json:"pointsRefunded"`
	UpdatedAt      string `json:"updatedAt"`
}

func orderOf(t *testing.T, b []byte) testOrder {
	t.Helper()
	var env struct {
		Order testOrder `json:"order"`
	}
	decode(t, b, &env)
	return env.Order
}

func TestCreateOrderAwardsOnce(t *testing.T) {
	h := newHarness(t, Config{EarnRate: 2.5})
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsEarned, hookURL)
	h.put("c-1", `{"email":"Ana@Example.com"}`)
	for _, bad := range []string{
		`{"customerId":"c-1","totalPrice":10}`,
		`{"id":"o-1","totalPrice":10}`,
		`{"id":"o-1","customerId":"c-1","financialStatus":"settled"}`,
		`{"id":"o-1","customerId":"c-1","totalPrice":-1}`,
		`{"id":"o-1","customerId":"c-1","totalPrice":"ten"}`,
		`{"id":"o-1","customerId":"c-1","createdAt":"2026-03-01 10:00:00"}`,
		`{"id":"o-1","customerId":"c-1","discountCodes":[{"code":"X","type":"bogus"}]}`,
		`{"id":"o-1","customerId":"c-1","discountCodes":[{"amount":5}]}`,
		`{"id":"o-1","customerId":"c-1","lineItems":[{"productId":"p","quantity":-1}]}`,
	} {
		h.mustError(http.StatusBadRequest, http.MethodPost, contract.InfluenceIOPathOrders, nil, bad)
	}

	// Prices as numeric strings; the customer is matched by email, case-insensitively.
	b := h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"o-1","email":"ana@example.com","currency":"EUR","totalPrice":"49.90","subtotalPrice":45,"createdAt":"2026-03-01T09:00:00Z",
		"financialStatus":"paid","lineItems":[{"productId":"p-1","variantId":"v-1","title":"Hat","quantity":2,"price":"22.5"}],
		"discountCodes":[{"code":"WELCOME","amount":5,"type":"fixed_amount"}]}`)
	o := orderOf(t, b)
	if o.ID != "o-1" || *o.TotalPrice != 49.9 || *o.SubtotalPrice != 45 || !o.PointsAwarded || o.PointsRefunded ||
		len(o.LineItems) != 1 || *o.LineItems[0].Price != 22.5 || o.LineItems[0].Quantity != 2 || o.DiscountCodes[0].Code != "WELCOME" ||
		o.CreatedAt != "2026-03-01T09:00:00Z" || o.UpdatedAt != "2026-03-01T10:00:00.000Z" {
		t.Fatalf("order %+v", o)
	}
	if c := h.get("c-1"); c.PointBalance != 124 { // floor(49.9 × 2.5)
		t.Fatalf("balance %d, want 124", c.PointBalance)
	}
	ds := h.TakeDeliveries()
	if len(ds) != 1 {
		t.Fatalf("deliveries %v", topics(ds))
	}
	if p := payload(t, ds[0].Body); p["type"] != contract.InfluenceIOPointsTypeOrder || p["points"] != 124.0 {
		t.Errorf("order points/earned %s", ds[0].Body)
	}

	// A repeated id is refused and counts nothing.
	if msg := h.mustError(http.StatusConflict, http.MethodPost, contract.InfluenceIOPathOrders, nil, `{"id":"o-1","customerId":"c-1","totalPrice":1000,"financialStatus":"paid"}`); msg != "Order already exists" {
		t.Errorf("409 message %q", msg)
	}
	if c := h.get("c-1"); c.PointBalance != 124 {
		t.Errorf("repeat order counted: %d", c.PointBalance)
	}
	// A pending order earns nothing; customerId wins over email.
	h.put("c-2", `{"email":"bo@example.com"}`)
	o = orderOf(t, h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"o-2","customerId":"c-2","email":"ana@example.com","totalPrice":10,"financialStatus":"pending"}`))
	if o.PointsAwarded || h.get("c-2").PointBalance != 0 || o.LineItems == nil || o.DiscountCodes == nil {
		t.Errorf("pending order %+v", o)
	}
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Errorf("pending order emitted %v", topics(d))
	}
}

func TestPatchOrderPaidThenRefunded(t *testing.T) {
	h := newHarness(t, Config{})
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsEarned, hookURL)
	h.fake.RegisterWebhook(contract.InfluenceIOTopicCustomersUpdated, hookURL)
	if msg := h.mustError(http.StatusNotFound, http.MethodPatch, contract.InfluenceIOOrderPath("o-404"), nil, `{"financialStatus":"paid"}`); msg != "Order not found" {
		t.Errorf("404 message %q", msg)
	}

	// A paid order for an unknown customer is stored and earns nothing...
	o := orderOf(t, h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"o-1","customerId":"c-1","totalPrice":80.99,"financialStatus":"paid"}`))
	if o.PointsAwarded {
		t.Fatalf("awarded without a customer")
	}
	h.put("c-1", `{"email":"a@example.com"}`)
	h.TakeDeliveries()
	// ...until a PATCH finds the customer.
	path := contract.InfluenceIOOrderPath("o-1")
	h.mustError(http.StatusBadRequest, http.MethodPatch, path, nil, `{"financialStatus":"gone"}`)
	o = orderOf(t, h.MustStatus(http.StatusOK, http.MethodPatch, path, nil, `{"currency":"USD"}`))
	if !o.PointsAwarded || o.Currency != "USD" || *o.TotalPrice != 80.99 {
		t.Fatalf("patched %+v", o)
	}
	if c := h.get("c-1"); c.PointBalance != 80 {
		t.Fatalf("balance %d, want 80", c.PointBalance)
	}
	// Paid again awards nothing twice.
	h.MustStatus(http.StatusOK, http.MethodPatch, path, nil, `{"financialStatus":"paid","totalPrice":500}`)
	if c := h.get("c-1"); c.PointBalance != 80 {
		t.Fatalf("second paid: balance %d", c.PointBalance)
	}
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":5}`)
	h.TakeDeliveries()

	// Refunded takes the awarded 80 back, once.
	o = orderOf(t, h.MustStatus(http.StatusOK, http.MethodPatch, path, nil, `{"financialStatus":"partially_refunded"}`))
	if !o.PointsRefunded {
		t.Errorf("refund flag not set: %+v", o)
	}
	if c := h.get("c-1"); c.PointBalance != 5 {
		t.Fatalf("after refund: balance %d, want 5", c.PointBalance)
	}
	ds := h.TakeDeliveries()
	if !slices.Equal(topics(ds), []string{contract.InfluenceIOTopicCustomersUpdated}) || payload(t, ds[0].Body)["pointBalance"] != 5.0 {
		t.Errorf("refund webhooks %v", topics(ds))
	}
	for _, st := range []string{"refunded", "paid", "refunded"} {
		h.MustStatus(http.StatusOK, http.MethodPatch, path, nil, `{"financialStatus":"`+st+`"}`)
	}
	if c := h.get("c-1"); c.PointBalance != 5 {
		t.Errorf("status churn moved points: %d", c.PointBalance)
	}

	// Refunding more than is left stops at zero.
	h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil, `{"id":"o-2","customerId":"c-1","totalPrice":10,"financialStatus":"paid"}`)
	if _, err := h.fake.Redeem("c-1", 12, "", "giftcard"); err != nil {
		t.Fatal(err)
	}
	h.MustStatus(http.StatusOK, http.MethodPatch, contract.InfluenceIOOrderPath("o-2"), nil, `{"financialStatus":"refunded"}`)
	if c := h.get("c-1"); c.PointBalance != 0 {
		t.Errorf("balance %d, want 0", c.PointBalance)
	}
}

func TestPutProduct(t *testing.T) {
	h := newHarness(t, Config{})
	path := contract.InfluenceIOProductPath("p-1")
	h.mustError(http.StatusBadRequest, http.MethodPut, path, nil, `{"price":-1}`)
	h.mustError(http.StatusBadRequest, http.MethodPut, path, nil, `{"variants":[{"title":"no id"}]}`)
	type prod struct {
		Product struct {
			ID          string   `json:"id"`
			Title       string   `json:"title"`
			URL         string   `json:"url"`
			ImageURL    string   `json:"imageUrl"`
			Price       *float64 `json:"price"`
			Collections []string `json:"collections"`
			Variants    []struct {
				ID    string   `json:"id"`
				Price *float64 `json:"price"`
				SKU   string   `json:"sku"`
			} `json:"variants"`
			CreatedAt string `json:"createdAt"`
			UpdatedAt string `json:"updatedAt"`
		} `json:"product"`
	}
	var p prod
	decode(t, h.MustStatus(http.StatusOK, http.MethodPut, path, nil,
		`{"title":"Hat","url":"https://shop.example/hat","imageUrl":"https://shop.example/hat.png","price":"19.99","collections":["c1"],
		"variants":[{"id":"v1","title":"S","price":19.99,"sku":"HAT-S"},{"id":"v2","title":"M","price":21,"sku":"HAT-M"}]}`), &p)
	if p.Product.ID != "p-1" || p.Product.Title != "Hat" || *p.Product.Price != 19.99 || len(p.Product.Variants) != 2 || p.Product.CreatedAt == "" {
		t.Fatalf("created product %+v", p.Product)
	}
	h.Advance(60e9)
	decode(t, h.MustStatus(http.StatusOK, http.MethodPut, path, nil, `{"variants":[{"id":"v2","price":"20"}]}`), &p)
	if p.Product.Title != "Hat" || len(p.Product.Variants) != 1 || p.Product.Variants[0].ID != "v2" || *p.Product.Variants[0].Price != 20 ||
		!slices.Equal(p.Product.Collections, []string{"c1"}) || p.Product.UpdatedAt == p.Product.CreatedAt {
		t.Errorf("updated product %+v", p.Product)
	}
}

// TestPointsBound checks the one bound on money and points (fakekit.MaxExact,
// 2^53−1): a price or points beyond it is 400, and an order or award that
// would take the balance beyond it is 422 and changes nothing. Two paid
// orders of totalPrice 9e18 used to leave a negative pointBalance.
func TestPointsBound(t *testing.T) {
	h := newHarness(t, Config{EarnRate: 1000})
	h.fake.RegisterWebhook(contract.InfluenceIOTopicPointsEarned, hookURL)
	h.put("c-1", `{"email":"a@example.com"}`)
	for _, price := range []string{`9e18`, `"9e18"`, `9007199254740992`, `1e400`} {
		h.mustError(http.StatusBadRequest, http.MethodPost, contract.InfluenceIOPathOrders, nil,
			`{"id":"o-big","customerId":"c-1","totalPrice":`+price+`,"financialStatus":"paid"}`)
	}
	h.mustError(http.StatusBadRequest, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":9223372036854775807}`)
	// 9e12 at 1000 points per unit is 9e15 points, within the bound; a
	// second such order would not be.
	h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"o-1","customerId":"c-1","totalPrice":9000000000000,"financialStatus":"paid"}`)
	before := h.get("c-1")
	if before.PointBalance != 9e15 {
		t.Fatalf("after the first order: %d", before.PointBalance)
	}
	h.TakeDeliveries()
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"o-2","customerId":"c-1","totalPrice":9000000000000,"financialStatus":"paid"}`)
	// o-2 was not stored: it can be created later, unpaid, and its PATCH to
	// paid is refused the same way, leaving the order unpaid.
	h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
		`{"id":"o-2","customerId":"c-1","totalPrice":9000000000000,"financialStatus":"pending"}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPatch, contract.InfluenceIOOrderPath("o-2"), nil, `{"financialStatus":"paid"}`)
	// A price too large for the earn rate alone is refused too.
	h.mustError(http.StatusUnprocessableEntity, http.MethodPatch, contract.InfluenceIOOrderPath("o-2"), nil, `{"financialStatus":"paid","totalPrice":9007199254740991}`)
	h.mustError(http.StatusUnprocessableEntity, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":9000000000000000}`)
	if after := h.get("c-1"); after.PointBalance != before.PointBalance || after.UpdatedAt != before.UpdatedAt {
		t.Errorf("refused changes changed the customer:\nbefore %+v\nafter  %+v", before, after)
	}
	if d := h.TakeDeliveries(); len(d) != 0 {
		t.Errorf("refused changes emitted %v", topics(d))
	}
	o := orderOf(t, h.MustStatus(http.StatusOK, http.MethodPatch, contract.InfluenceIOOrderPath("o-2"), nil, `{}`))
	if o.FinancialStatus != "pending" || o.PointsAwarded || *o.TotalPrice != 9e12 {
		t.Errorf("refused PATCH changed the order: %+v", o)
	}
	// Within the bound, awards still work.
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":7199254740991}`)
	if c := h.get("c-1"); c.PointBalance != 9007199254740991 {
		t.Errorf("balance at the bound: %d", c.PointBalance)
	}
}

// TestPartialRefundReversesInFull pins the decided reading of the order update for
// partially_refunded: with no refunded amount on the wire it takes back the
// whole award, like refunded, and a later refunded takes nothing more.
func TestPartialRefundReversesInFull(t *testing.T) {
	h := newHarness(t, Config{EarnRate: 2})
	h.put("c-1", `{"email":"a@example.com"}`)
	h.MustStatus(http.StatusOK, http.MethodPost, contract.InfluenceIOPointsPath("c-1"), nil, `{"points":7}`)
	for _, id := range []string{"o-1", "o-2"} {
		h.MustStatus(http.StatusCreated, http.MethodPost, contract.InfluenceIOPathOrders, nil,
			`{"id":"`+id+`","customerId":"c-1","totalPrice":50,"financialStatus":"paid"}`)
	}
	if c := h.get("c-1"); c.PointBalance != 7+100+100 {
		t.Fatalf("after two paid orders: %d", c.PointBalance)
	}
	o := orderOf(t, h.MustStatus(http.StatusOK, http.MethodPatch, contract.InfluenceIOOrderPath("o-1"), nil, `{"financialStatus":"partially_refunded"}`))
	if c := h.get("c-1"); c.PointBalance != 7+100 || !o.PointsRefunded {
		t.Fatalf("partially_refunded: balance %d (want the whole award of 100 back), order %+v", c.PointBalance, o)
	}
	h.MustStatus(http.StatusOK, http.MethodPatch, contract.InfluenceIOOrderPath("o-1"), nil, `{"financialStatus":"refunded"}`)
	h.MustStatus(http.StatusOK, http.MethodPatch, contract.InfluenceIOOrderPath("o-1"), nil, `{"financialStatus":"paid"}`)
	if c := h.get("c-1"); c.PointBalance != 7+100 {
		t.Errorf("refunded after partially_refunded, then paid: balance %d, want %d", c.PointBalance, 7+100)
	}
	// The other order and the manual award are untouched.
	h.MustStatus(http.StatusOK, http.MethodPatch, contract.InfluenceIOOrderPath("o-2"), nil, `{"financialStatus":"refunded"}`)
	if c := h.get("c-1"); c.PointBalance != 7 {
		t.Errorf("after refunding o-2: balance %d, want 7", c.PointBalance)
	}
}
