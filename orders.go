package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// OrdersService records orders and refunds on the Client's commerce
// platform (Yotpo today; Influence.io joins the same methods), which turn
// them into points.
type OrdersService service

// Create records an order and applies it to the matching campaigns, and
// returns what is known of the recorded order. The order's Status decides
// when it counts (OrderPaid counts).
//
// Yotpo: POST /orders (https://loyaltyapi.yotpo.com/reference/create-order),
// which answers {}: the result's Order is o as sent. Resending an order id
// already recorded is taken to answer 200 and award nothing twice (decided:
// not on the vendor's page), so the SDK retries it like a read.
func (s *OrdersService) Create(ctx context.Context, o Order) (*OrderResult, *Response, error) {
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
		req, err := s.client.NewRequest(Yotpo, http.MethodPost, contract.YotpoPathOrders, body)
		if err != nil {
			return nil, nil, err
		}
		req.Idempotent = true // decided: a resent order_id awards nothing twice
		var raw json.RawMessage
		resp, err := s.client.writeAnswer(ctx, req, &raw)
		if err != nil {
			return nil, resp, err
		}
		return &OrderResult{Order: o, Raw: raw}, resp, nil
	}
	return nil, nil, notSupported(op, p, Yotpo)
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
	}{{"Discount", o.Discount}, {"Shipping", o.Shipping}, {"Tax", o.Tax}, {"TotalRefunded", o.TotalRefunded}} {
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

// Refund records a refund of (part of) an order; the platform reverses the
// points the refunded share earned.
//
// Yotpo: POST /refunds (https://loyaltyapi.yotpo.com/reference/create-refund).
// Yotpo only acknowledges it and processes it asynchronously, so the
// balance may change a little later. It is not documented to be
// de-duplicated, so the SDK does not retry it after the request may have
// been sent (ErrMaybeApplied): check the customer's history first.
func (s *OrdersService) Refund(ctx context.Context, r Refund) (*Response, error) {
	const op = "Orders.Refund"
	p, err := s.client.commerce(op)
	if err != nil {
		return nil, err
	}
	if r.OrderID == "" {
		return nil, inputErr(op, "OrderID", "is required")
	}
	if err := checkAmount(op, "Total", r.Total, ""); err != nil {
		return nil, err
	}
	if r.Total.Minor == 0 {
		return nil, inputErr(op, "Total", "must be positive")
	}
	if err := checkItems(op, r.Items, r.Total.Currency); err != nil {
		return nil, err
	}
	switch p {
	case Yotpo:
		items, err := yotpoItems(op, "Items", r.Items)
		if err != nil {
			return nil, err
		}
		body := yotpoRefundBody{ID: r.ID, OrderID: r.OrderID, TotalAmountCents: yotpoCents(r.Total), Items: items, Currency: r.Total.Currency}
		return s.client.call(ctx, Yotpo, http.MethodPost, contract.YotpoPathRefunds, nil, body, nil)
	}
	return nil, notSupported(op, p, Yotpo)
}
