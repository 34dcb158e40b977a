package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"net/http"
	"net/url"
)

// Wire helpers of the Yotpo-only services (redemptions, coupons, campaigns,
// tiers, referrals, privacy): the platform check and tolerant decoding of
// Yotpo's times and numbers.

// yotpoOnly fails, before any request, a method of a resource only Yotpo
// has: ErrNotSupported when the Client's commerce platform is Influence.io,
// ErrNotConfigured when Yotpo is not configured.
func (c *Client) yotpoOnly(op string) error {
	if c.Configured(Yotpo) {
		return nil
	}
	if c.Configured(InfluenceIO) {
		return notSupported(op, InfluenceIO, Yotpo)
	}
	_, err := c.backend(Yotpo)
	return err
}

// yotpoTime, Yotpo's tolerant time decoder, is in yotpo.go with the
// commerce mapping; wireInt, wireBool and wireText, which every platform's
// mapping uses, are in wire.go.

// optionalInt is a wireInt that remembers whether it was present and not
// null.
type optionalInt struct {
	v   int64
	set bool
}

func (n *optionalInt) UnmarshalJSON(b []byte) error {
	if string(b) == "null" {
		return nil
	}
	var v wireInt
	_ = v.UnmarshalJSON(b)
	n.v, n.set = int64(v), true
	return nil
}

func (optionalInt) wireProblem(b []byte) string { _, p := readInt(b); return p }

func (n optionalInt) ptr() *int64 {
	if !n.set {
		return nil
	}
	v := n.v
	return &v
}

// decodeList decodes a JSON array of objects into a W each, tolerantly, and
// converts it with conv, which also gets the object's raw JSON. Issues go
// to resp, the array being at name in its body ("" for the whole body).
func decodeList[W any, T any](resp *Response, name string, raw []byte, conv func(*W, json.RawMessage) *T) ([]*T, error) {
	var items []json.RawMessage
	if !decodeOnce(raw, &items) {
		if err := json.Unmarshal(raw, &items); err != nil {
			return nil, err
		}
	}
	out := make([]*T, 0, len(items))
	for i, it := range items {
		var w W
		if err := decodeTolerant(resp, atItem(name, i), it, &w); err != nil {
			return nil, err
		}
		out = append(out, conv(&w, it))
	}
	return out, nil
}

// yotpoList is a GET of a Yotpo list that comes whole, as one JSON array
// (redemption options, campaigns, tiers), as an iterator like every other
// list. unwrap, when set, finds the array in the body. (An error found
// before any request is returned as failed(err), as everywhere.)
func yotpoList[W any, T any](ctx context.Context, c *Client, op, path string, q url.Values,
	unwrap func(json.RawMessage) json.RawMessage, conv func(*W, json.RawMessage) *T, callOpts []CallOption) iter.Seq2[*T, error] {
	return paginate(ctx, 0, func(ctx context.Context, _ int) ([]*T, *Response, int, bool, error) {
		var raw json.RawMessage
		resp, err := c.call(ctx, op, Yotpo, http.MethodGet, path, q, nil, &raw, callOpts...)
		if err != nil {
			return nil, resp, 0, false, err
		}
		if unwrap != nil {
			raw = unwrap(raw)
		}
		items, err := decodeList(resp, "", raw, conv)
		if err != nil {
			return nil, resp, 0, false, fmt.Errorf("loyalty: %s: decoding response: %w", op, err)
		}
		return items, resp, 0, false, nil
	})
}
