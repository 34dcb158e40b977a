package loyalty

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// OrdersService records orders and refunds on the Client's commerce
// platform, Yotpo or Influence.io, which turn them into points: the same
// Create and Refund calls work on both.
type OrdersService service

// Create records an order and applies it to the matching campaigns, and
// returns what is known of the recorded order. The order's Status decides
// when it counts (OrderPaid counts).
//
// An order id is recorded once, on both platforms: a Create with an id the
// platform already has changes nothing, awards nothing, and is not an
// error; its result is o as sent (flags nil), and Response.StatusCode says
// what the platform answered (Yotpo 200, Influence.io 409). Change a
// recorded order with Update (Influence.io). So a resend never records or
// awards twice, and the SDK retries Create like a read.
//
// Yotpo: POST /orders (https://loyaltyapi.yotpo.com/reference/create-order),
// which answers {}: the result's Order is o as sent. Resending an order id
// already recorded is taken to answer 200 and award nothing twice (decided:
// not on the vendor's page). Subtotal is not a Yotpo field and is not sent.
//
// Influence.io: POST /v1/orders (https://support.reviews.io/en/articles/6634616-influence-io-api),
// with the line items, discount codes (send every code used: they complete
// referrals), Subtotal as subtotalPrice and the Status as financialStatus;
// money in exact major units, as decimal strings (the order reference types
// its prices as strings). Discount, Shipping, Tax, TotalRefunded, tags,
// addresses, the session and the profile are not Influence.io order fields
// and are not sent. The result is the order as Influence.io stored it, with
// its PointsAwarded and PointsRefunded flags. Influence.io refuses an id it
// already has with 409 (decided), which the SDK reads as the repeat above:
// the result is then the order as sent, flags nil and no Raw (the 409
// carries no order).
func (s *OrdersService) Create(ctx context.Context, o Order, callOpts ...CallOption) (*OrderResult, *Response, error) {
	const op = "Orders.Create"
	p, err := s.client.commerce(op)
	if err != nil {
		return nil, nil, err
	}
	if err := checkOrder(op, o); err != nil {
		return nil, nil, err
	}
	switch p {
	case Yotpo:
		body, err := yotpoOrderWire(op, o)
		if err != nil {
			return nil, nil, err
		}
		req, err := s.client.request(op, Yotpo, http.MethodPost, contract.YotpoPathOrders, body)
		if err != nil {
			return nil, nil, err
		}
		req.Idempotent = true // decided: a resent order_id awards nothing twice
		var raw json.RawMessage
		resp, err := s.client.writeAnswer(ctx, req, &raw, callOpts...)
		if err != nil {
			return nil, resp, err
		}
		return &OrderResult{Order: o, Raw: raw}, resp, nil
	case InfluenceIO:
		body, err := influenceOrderWire(op, o)
		if err != nil {
			return nil, nil, err
		}
		req, err := s.client.request(op, InfluenceIO, http.MethodPost, contract.InfluenceIOPathOrders, body)
		if err != nil {
			return nil, nil, err
		}
		req.Idempotent = true // decided: a resent id is refused with 409, never recorded twice
		var raw json.RawMessage
		resp, err := s.client.writeAnswer(ctx, req, &raw, callOpts...)
		var e *Error
		if errors.As(err, &e) && e.StatusCode == http.StatusConflict {
			// The id is recorded already (by this call's earlier attempt
			// or before): as on Yotpo, a repeat changes nothing and is no
			// error.
			return &OrderResult{Order: o}, resp, nil // the order as sent: the 409 carries no order
		}
		if err != nil {
			return nil, resp, err
		}
		return decodeInfluenceOrder(resp, raw, o), resp, nil
	}
	return nil, nil, notSupported(op, p, Yotpo)
}

// Update changes a recorded order: its financial status drives points
// (OrderPaid awards them, once) and their reversal (OrderRefunded or
// OrderPartiallyRefunded take them back, per the account's settings), and
// Items or Discounts, when not nil, replace the stored lists whole. It
// returns the order as stored, with its flags; an unknown id is
// ErrNotFound.
//
// Influence.io: PATCH /v1/orders/{id}
// (https://developer.influence.io/reference/patch_v1-orders-orderid). The
// same update sent twice leaves the same order, and an order is never
// awarded twice (documented), so the SDK retries it like a read. Yotpo has
// no order update: ErrNotSupported.
func (s *OrdersService) Update(ctx context.Context, orderID string, u OrderUpdate, callOpts ...CallOption) (*OrderResult, *Response, error) {
	const op = "Orders.Update"
	p, err := s.client.commerce(op)
	if err != nil {
		return nil, nil, err
	}
	if p != InfluenceIO {
		return nil, nil, notSupported(op, p, InfluenceIO)
	}
	if _, err := pathSegment(op, "orderID", orderID); err != nil {
		return nil, nil, err
	}
	body, err := influenceUpdateWire(op, u)
	if err != nil {
		return nil, nil, err
	}
	return s.patch(ctx, op, orderID, body, callOpts)
}

// patch sends an Influence.io order update, retried like a read.
func (s *OrdersService) patch(ctx context.Context, op, orderID string, body influenceOrderBody, callOpts []CallOption) (*OrderResult, *Response, error) {
	req, err := s.client.request(op, InfluenceIO, http.MethodPatch, contract.InfluenceIOOrderPath(orderID), body)
	if err != nil {
		return nil, nil, err
	}
	req.Idempotent = true
	var raw json.RawMessage
	resp, err := s.client.writeAnswer(ctx, req, &raw, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	return decodeInfluenceOrder(resp, raw, Order{ID: orderID}), resp, nil
}

// influenceUpdateWire checks u and maps it onto the PATCH body.
func influenceUpdateWire(op string, u OrderUpdate) (influenceOrderBody, error) {
	if u.CustomerEmail != "" && !plausibleEmail(u.CustomerEmail) {
		return influenceOrderBody{}, inputErr(op, "CustomerEmail", "%q is not an e-mail address", u.CustomerEmail)
	}
	cur := ""
	if u.Total != nil {
		if err := checkAmount(op, "Total", *u.Total, ""); err != nil {
			return influenceOrderBody{}, err
		}
		cur = u.Total.Currency
	}
	if u.Subtotal != nil {
		if err := checkAmount(op, "Subtotal", *u.Subtotal, cur); err != nil {
			return influenceOrderBody{}, err
		}
		cur = u.Subtotal.Currency
	}
	if cur == "" && len(u.Items) > 0 {
		cur = u.Items[0].Price.Currency
	}
	if err := checkItems(op, u.Items, cur); err != nil {
		return influenceOrderBody{}, err
	}
	for i, d := range u.Discounts {
		field := fmt.Sprintf("Discounts[%d]", i)
		if strings.TrimSpace(d.Code) == "" {
			return influenceOrderBody{}, inputErr(op, field+".Code", "is required")
		}
		if d.Amount != nil {
			if cur == "" {
				cur = d.Amount.Currency
			}
			if err := checkAmount(op, field+".Amount", *d.Amount, cur); err != nil {
				return influenceOrderBody{}, err
			}
		}
	}
	b := influenceOrderBody{CustomerID: u.CustomerID, Email: u.CustomerEmail, Currency: cur,
		CreatedAt: influenceTimeString(u.CreatedAt), FinancialStatus: string(u.Status)}
	var err error
	if u.Total != nil {
		if b.TotalPrice, err = influenceOrderAmount(op, "Total", *u.Total); err != nil {
			return influenceOrderBody{}, err
		}
	}
	if u.Subtotal != nil {
		if b.SubtotalPrice, err = influenceOrderAmount(op, "Subtotal", *u.Subtotal); err != nil {
			return influenceOrderBody{}, err
		}
	}
	if u.Items != nil {
		items, err := influenceItems(op, "Items", u.Items)
		if err != nil {
			return influenceOrderBody{}, err
		}
		b.LineItems = &items
	}
	if u.Discounts != nil {
		ds, err := influenceDiscounts(op, "Discounts", u.Discounts)
		if err != nil {
			return influenceOrderBody{}, err
		}
		b.DiscountCodes = &ds
	}
	if b == (influenceOrderBody{}) {
		return b, inputErr(op, "OrderUpdate", "changes nothing; set at least one field")
	}
	return b, nil
}

func checkOrder(op string, o Order) error {
	switch {
	case o.ID == "":
		return inputErr(op, "ID", "is required")
	case o.CustomerEmail == "" && o.CustomerID == "":
		return inputErr(op, "CustomerEmail", "set CustomerEmail, CustomerID or both")
	case o.CustomerEmail != "" && !plausibleEmail(o.CustomerEmail):
		return inputErr(op, "CustomerEmail", "%q is not an e-mail address", o.CustomerEmail)
	}
	if err := checkAmount(op, "Total", o.Total, ""); err != nil {
		return err
	}
	cur := o.Total.Currency
	for _, m := range []struct {
		field string
		v     *Money
	}{{"Subtotal", o.Subtotal}, {"Discount", o.Discount}, {"Shipping", o.Shipping}, {"Tax", o.Tax}, {"TotalRefunded", o.TotalRefunded}} {
		if m.v != nil {
			if err := checkAmount(op, m.field, *m.v, cur); err != nil {
				return err
			}
		}
	}
	if err := checkItems(op, o.Items, cur); err != nil {
		return err
	}
	for i, d := range o.Discounts {
		field := fmt.Sprintf("Discounts[%d]", i)
		if strings.TrimSpace(d.Code) == "" {
			return inputErr(op, field+".Code", "is required")
		}
		if d.Amount != nil {
			if err := checkAmount(op, field+".Amount", *d.Amount, cur); err != nil {
				return err
			}
		}
	}
	for field, a := range map[string]*Address{"BillingAddress": o.BillingAddress, "ShippingAddress": o.ShippingAddress} {
		if a != nil && a.CountryCode != "" {
			if err := checkCountry(op, field+".CountryCode", a.CountryCode); err != nil {
				return err
			}
		}
	}
	return nil
}

// checkAmount checks a non-negative amount in a known currency, the same as
// cur when cur is set.
func checkAmount(op, field string, m Money, cur string) error {
	if err := checkCurrency(op, field+".Currency", m.Currency); err != nil {
		return err
	}
	switch {
	case cur != "" && m.Currency != cur:
		return inputErr(op, field+".Currency", "%s differs from the order's %s", m.Currency, cur)
	case m.Minor < 0:
		return inputErr(op, field, "%s must not be negative", m)
	}
	return nil
}

func checkItems(op string, items []OrderItem, cur string) error {
	for i, it := range items {
		field := fmt.Sprintf("Items[%d]", i)
		if err := checkAmount(op, field+".Price", it.Price, cur); err != nil {
			return err
		}
		if it.Quantity < 1 {
			return inputErr(op, field+".Quantity", "%d must be at least 1", it.Quantity)
		}
	}
	return nil
}

// checkRefundItems checks refunded lines: a refund names each line by the
// order item's id and a quantity, and takes nothing else
// (https://loyaltyapi.yotpo.com/reference/create-refund).
func checkRefundItems(op string, items []OrderItem) error {
	for i, it := range items {
		field := fmt.Sprintf("Items[%d]", i)
		if strings.TrimSpace(it.ID) == "" {
			return inputErr(op, field+".ID", "is required: the id of the order's item refunded")
		}
		if it.Quantity < 1 {
			return inputErr(op, field+".Quantity", "%d must be at least 1", it.Quantity)
		}
	}
	return nil
}

// Refund records a refund of (part of) an order: Total is the amount
// refunded, in the order's currency; a Total equal to the order's total
// refunds it whole. On both platforms a refund above the order's total
// (on Yotpo, above what is left of it), or in another currency than the
// order's, is an error matching ErrInvalid and changes nothing, and an
// unknown order is ErrNotFound.
// Full says the whole order without naming the amount: it goes alone
// (with a Total it is contradictory input), and only Influence.io, which
// takes no amount, accepts it; Yotpo needs the Total. What still differs
// between the platforms is in the README's table.
//
// Yotpo: POST /refunds (https://loyaltyapi.yotpo.com/reference/create-refund),
// with the Items as {id, quantity}; Yotpo checks the amount and currency
// (422), reverses the points of the refunded share, and processes the
// refund asynchronously, so the balance may change a little later. It is
// not documented to be de-duplicated, so the SDK does not retry it after
// the request may have been sent (ErrMaybeApplied): check the customer's
// history first.
//
// Influence.io: the order update Influence.io documents for refunds
// (PATCH /v1/orders/{OrderID},
// https://developer.influence.io/reference/patch_v1-orders-orderid) with
// financialStatus refunded (Full, or Total equal to the order's total) or
// partially_refunded; the account's financial-status settings decide how
// many points go back. Influence.io takes no refund amount, id or lines, so
// to check Total the SDK first reads the order with an empty update (an
// empty PATCH, decided: Influence.io documents no order read), then sends
// the status: two requests, not one atomic step (two partial refunds sent
// at once are each checked alone). The empty update changes none of the
// order's fields, but it is an update: Influence.io may settle points the
// order has pending (its financial status decides them) and mark the order
// updated. A failure of the read, or an answer without a readable total,
// is an error that says nothing was refunded (never ErrMaybeApplied); Full
// needs no read. ID and Items are not sent (the lines would replace the
// order's). Both requests are idempotent (a second refund takes nothing
// more back), so the SDK retries them like reads.
func (s *OrdersService) Refund(ctx context.Context, r Refund, callOpts ...CallOption) (*Response, error) {
	const op = "Orders.Refund"
	p, err := s.client.commerce(op)
	if err != nil {
		return nil, err
	}
	if r.OrderID == "" {
		return nil, inputErr(op, "OrderID", "is required")
	}
	switch {
	case r.Full && r.Total != (Money{}):
		return nil, inputErr(op, "Full", "contradicts Total: set Total to the amount refunded (the order's total refunds it whole), or Full alone")
	case !r.Full:
		if err := checkAmount(op, "Total", r.Total, ""); err != nil {
			return nil, err
		}
		if r.Total.Minor == 0 {
			return nil, inputErr(op, "Total", "must be positive")
		}
	}
	if err := checkRefundItems(op, r.Items); err != nil {
		return nil, err
	}
	switch p {
	case Yotpo:
		if r.Full {
			return nil, inputErr(op, "Full", "Yotpo takes the amount refunded: set Total (the order's total refunds it whole)")
		}
		var items []yotpoRefundItemJSON
		for _, it := range r.Items {
			items = append(items, yotpoRefundItemJSON{ID: it.ID, Quantity: it.Quantity})
		}
		body := yotpoRefundBody{ID: r.ID, OrderID: r.OrderID, TotalAmountCents: yotpoCents(r.Total), Items: items, Currency: r.Total.Currency}
		return s.client.call(ctx, op, Yotpo, http.MethodPost, contract.YotpoPathRefunds, nil, body, nil, callOpts...)
	case InfluenceIO:
		if _, err := pathSegment(op, "OrderID", r.OrderID); err != nil {
			return nil, err
		}
		status := OrderRefunded
		if !r.Full {
			stored, resp, err := s.readInfluenceOrder(ctx, op, r.OrderID, callOpts)
			if err != nil {
				// Only the read was sent: say so, so that nobody takes the
				// refund for done (the cause stays inspectable).
				return resp, fmt.Errorf("loyalty: %s: reading order %s to check Total failed, so nothing was refunded: %w", op, r.OrderID, err)
			}
			if status, err = influenceRefundStatus(op, r.Total, stored); err != nil {
				return resp, err
			}
		}
		_, resp, err := s.patch(ctx, op, r.OrderID, influenceOrderBody{FinancialStatus: string(status)}, callOpts)
		return resp, err
	}
	return nil, notSupported(op, p, Yotpo)
}

// influenceRefundStatus is the financial status that refunds total of the
// order as stored: refunded when total is the order's whole total,
// partially_refunded below it. A total in another currency, above the
// order's total, or of an order already refunded whole is an error matching
// ErrInvalid, as Yotpo answers 422 to it. An order whose answer shows no
// readable total cannot be checked: that is an error too, and nothing is
// refunded.
// readInfluenceOrder reads an order through the one call Influence.io
// documents on an order, an update: an empty one (decided), which changes
// none of the order's fields. It is a lookup: retried like a read, never
// ErrMaybeApplied, and an answer it cannot read is an error.
func (s *OrdersService) readInfluenceOrder(ctx context.Context, op, orderID string, callOpts []CallOption) (*OrderResult, *Response, error) {
	req, err := s.client.request(op, InfluenceIO, http.MethodPatch, contract.InfluenceIOOrderPath(orderID), influenceOrderBody{})
	if err != nil {
		return nil, nil, err
	}
	req.Idempotent, req.lookup = true, true
	var raw json.RawMessage
	resp, err := s.client.Do(ctx, req, &raw, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	return decodeInfluenceOrder(resp, raw, Order{ID: orderID}), resp, nil
}

func influenceRefundStatus(op string, total Money, stored *OrderResult) (OrderStatus, error) {
	o := stored.Order
	if o.Status == OrderRefunded {
		return "", fmt.Errorf("loyalty: %s: %w: order %s is refunded whole already; nothing was refunded", op, ErrInvalid, o.ID)
	}
	var env struct {
		Order struct {
			Currency   wireText        `json:"currency"`
			TotalPrice influenceNumber `json:"totalPrice"`
		} `json:"order"`
	}
	unchecked := fmt.Errorf("loyalty: %s: order %s's answer shows no readable total, so Total cannot be checked and nothing was refunded; refund it whole with Full, or set its status with Orders.Update", op, o.ID)
	if decodeTolerant(nil, atTop, stored.Raw, &env) != nil || env.Order.TotalPrice == "" {
		return "", unchecked
	}
	if cur := string(env.Order.Currency); cur != "" && cur != total.Currency {
		return "", fmt.Errorf("loyalty: %s: %w: the refund is in %s, order %s in %s; nothing was refunded", op, ErrInvalid, total.Currency, o.ID, cur)
	}
	whole := influenceMoney(env.Order.TotalPrice, total.Currency)
	switch {
	case whole == nil:
		return "", unchecked
	case total.Minor > whole.Minor:
		return "", fmt.Errorf("loyalty: %s: %w: the refund of %s exceeds order %s's total of %s; nothing was refunded", op, ErrInvalid, total, o.ID, *whole)
	case total.Minor == whole.Minor:
		return OrderRefunded, nil
	}
	return OrderPartiallyRefunded, nil
}
