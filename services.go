package loyalty

import (
	"context"
	"encoding/json"
	"net/url"
	"strings"
)

// service is what every XxxService is: a handle on the Client, as in
// go-github. Adding a service is a type `XxxService service`, a field on
// Client and one line in initServices.
type service struct{ client *Client }

// initServices points every service of c at c.
func (c *Client) initServices() {
	c.Members = (*MembersService)(&c.common)
	c.Events = (*EventsService)(&c.common)
	c.Customers = (*CustomersService)(&c.common)
	c.Orders = (*OrdersService)(&c.common)
	c.Redemptions = (*RedemptionsService)(&c.common)
	c.Coupons = (*CouponsService)(&c.common)
	c.Campaigns = (*CampaignsService)(&c.common)
	c.Tiers = (*TiersService)(&c.common)
	c.Referrals = (*ReferralsService)(&c.common)
	c.Privacy = (*PrivacyService)(&c.common)
	c.Products = (*ProductsService)(&c.common)
	c.Webhooks = (*WebhooksService)(&c.common)
	c.Rewards = &RewardsService{client: c} // a struct: its per-user views carry credentials
}

// Ptr returns a pointer to v, for the optional fields of inputs:
// loyalty.Ptr(true), loyalty.Ptr("").
func Ptr[T any](v T) *T { return &v }

// call sends one request of the service method op: body encoded as JSON
// when not nil, the 2xx answer decoded into out when out is not nil, with
// the caller's opts. Retried as NewRequest decides from the method; a
// method that knows better builds its Request itself (with request).
func (c *Client) call(ctx context.Context, op string, p Platform, method, path string, query url.Values, body, out any, opts ...CallOption) (*Response, error) {
	req, err := c.request(op, p, method, path, body)
	if err != nil {
		return nil, err
	}
	if query != nil {
		req.Query = query
	}
	return c.Do(ctx, req, out, opts...)
}

// request is NewRequest for the service method op, which it names (see
// Request.operation).
func (c *Client) request(op string, p Platform, method, path string, body any) (*Request, error) {
	req, err := c.newRequest(p, method, path, body)
	if err != nil {
		return nil, err
	}
	req.operation = op
	return req, nil
}

// pathSegment checks that id is present and returns it escaped as one path
// segment, so that an id such as "../x" or "a/b" never changes the path.
func pathSegment(op, field, id string) (string, error) {
	if strings.TrimSpace(id) == "" {
		return "", inputErr(op, field, "is required")
	}
	if id == "." || id == ".." {
		return "", inputErr(op, field, "%q is not an id", id)
	}
	return url.PathEscape(id), nil
}

// writeAnswer sends a write whose answer object the caller wants, into raw.
// Once the platform answered 2xx the write has happened, so a body that
// does not decode (empty, truncated, not JSON) is not an error: raw is then
// nil and the caller returns what it knows. An error here would make the
// caller send a non-idempotent write again.
func (c *Client) writeAnswer(ctx context.Context, req *Request, raw *json.RawMessage, opts ...CallOption) (*Response, error) {
	resp, err := c.Do(ctx, req, raw, opts...)
	if err != nil && resp != nil && resp.StatusCode >= 200 && resp.StatusCode <= 299 {
		*raw = nil // Do fails a 2xx answer only when its body does not decode
		return resp, nil
	}
	return resp, err
}
