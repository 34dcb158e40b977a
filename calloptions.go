package loyalty

import (
	"bytes"
	"encoding/json"
	"errors"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// A CallOption adjusts one call: every service method and Client.Do take
// them last. They reach what the SDK does not model yet (a header, a query
// parameter, a body field) and tune that call alone (retries, a timeout
// per attempt, capturing the Response). Each is checked before anything is
// sent: a bad one is an *InputError naming it. A nil CallOption is ignored.
type CallOption func(*callConfig) error

// callConfig is what a call's options ask for.
type callConfig struct {
	header  http.Header
	query   url.Values
	fields  []bodyField
	retries int // -1: the Client's RetryPolicy
	timeout time.Duration
	capture []**Response
}

type bodyField struct {
	name  string
	value json.RawMessage
}

// Header adds the request header k: v to the call. A header the Client's
// authentication sets, one net/http or the Client derives itself (Host,
// Content-Length, Transfer-Encoding, Accept-Encoding, User-Agent,
// hop-by-hop headers), Accept and Content-Type (the SDK sends and reads
// JSON) and one the SDK already sets on that call are refused: nothing is
// overridden silently.
func Header(k, v string) CallOption {
	return func(c *callConfig) error {
		if !isToken(k) {
			return inputErr("", "Header", "the name is not an HTTP header name (an RFC 9110 token); it is not quoted here, as it may hold a credential pasted by mistake")
		}
		if strings.ContainsFunc(v, func(r rune) bool { return (r < 0x20 && r != '\t') || r == 0x7f }) {
			return inputErr("", "Header", "the value of %s holds a control character", k)
		}
		k = http.CanonicalHeaderKey(k)
		if slices.Contains(contract.FramingHeaders, k) {
			return inputErr("", "Header", "%s is set by net/http or the Client, not per call", k)
		}
		if c.header == nil {
			c.header = http.Header{}
		}
		c.header.Add(k, v)
		return nil
	}
}

// QueryParam adds the query parameter k=v to the call. A credential
// parameter (Yotpo's guid and api_key) and one the SDK already sets on that
// call (a page number, a filter) are refused.
func QueryParam(k, v string) CallOption {
	return func(c *callConfig) error {
		if k == "" {
			return inputErr("", "QueryParam", "the name is empty")
		}
		if c.query == nil {
			c.query = url.Values{}
		}
		c.query.Add(k, v)
		return nil
	}
}

// BodyField adds the field name, value encoded as JSON, to the call's JSON
// object body, for a platform field the SDK does not model yet. A call
// without a JSON object body, or whose body has the field already, refuses
// it: the SDK's fields are never overridden. An update sent only to read (as
// Orders.Refund reads an Influence.io order) does not get it.
func BodyField(name string, value any) CallOption {
	return func(c *callConfig) error {
		if name == "" {
			return inputErr("", "BodyField", "the name is empty")
		}
		if slices.ContainsFunc(c.fields, func(f bodyField) bool { return f.name == name }) {
			return inputErr("", "BodyField", "%q is given twice", name)
		}
		raw, err := json.Marshal(value)
		if err != nil {
			return inputErr("", "BodyField", "%q cannot be encoded as JSON: %v", name, err)
		}
		c.fields = append(c.fields, bodyField{name, raw})
		return nil
	}
}

// OneAttempt sends the call once: no retry, whatever the Client's
// RetryPolicy says (Retries(0) does the same). It is allowed on every call.
func OneAttempt() CallOption {
	return func(c *callConfig) error {
		c.retries = 0
		return nil
	}
}

// Retries sets how many times the call may be retried, in place of the
// Client's RetryPolicy.MaxRetries, at most 10. n above 0 is refused on a
// call that is not safe to repeat (Request.Idempotent false, as the
// non-idempotent writes are): it is never a way to send a write twice.
func Retries(n int) CallOption {
	return func(c *callConfig) error {
		if n < 0 || n > contract.MaxCallRetries {
			return inputErr("", "Retries", "%d is not in 0-%d", n, contract.MaxCallRetries)
		}
		c.retries = n
		return nil
	}
}

// AttemptTimeout bounds each attempt of the call, reading its answer
// included and the rate limiter's wait excluded, under the call's context.
// An idempotent call whose attempt times out is retried like after any
// transport error; a write that may have been sent fails with
// ErrMaybeApplied.
func AttemptTimeout(d time.Duration) CallOption {
	return func(c *callConfig) error {
		if d <= 0 {
			return inputErr("", "AttemptTimeout", "%s is not positive", d)
		}
		c.timeout = d
		return nil
	}
}

// captureMu guards the writes of CaptureResponse, which the calls of one
// Events.SendBatch make concurrently.
var captureMu sync.Mutex

// CaptureResponse makes the call store its *Response in *r, for the calls
// that return none (the iterators) and any other: *r is set to nil when
// the option is made, then to each Response the call gets, on success and
// on failure. After an iterator, *r is the last page's Response; it stays
// nil when nothing was answered.
func CaptureResponse(r **Response) CallOption {
	if r != nil {
		*r = nil
	}
	return func(c *callConfig) error {
		if r == nil {
			return inputErr("", "CaptureResponse", "the pointer is nil")
		}
		c.capture = append(c.capture, r)
		return nil
	}
}

// callOptions reads opts for req. It returns req itself when opts change
// nothing on the wire, or a copy with their headers, query parameters and
// body fields, never touching req: a listing reuses its Request's query.
func callOptions(req *Request, opts []CallOption) (*callConfig, *Request, error) {
	op := req.operation
	if op == "" {
		op = "Do"
	}
	cfg, err := newCallConfig(op, opts)
	if err != nil {
		return nil, nil, err
	}
	if cfg.retries > 0 && !req.Idempotent {
		return nil, nil, inputErr(op, "Retries", "the call is not safe to repeat (it is not idempotent), so it takes no retry option but OneAttempt()")
	}
	if cfg.header == nil && cfg.query == nil && cfg.fields == nil {
		return cfg, req, nil
	}
	if err := checkCredentialHeaders(&Request{Platform: req.Platform, Header: cfg.header, Query: cfg.query}); err != nil {
		var ie *InputError
		if errors.As(err, &ie) {
			ie.Op = op
		}
		return nil, nil, err
	}
	out := *req
	if cfg.header != nil {
		out.Header = req.Header.Clone()
		if out.Header == nil {
			out.Header = http.Header{}
		}
		for k, vs := range cfg.header {
			if k == "Accept" || k == "Content-Type" {
				return nil, nil, inputErr(op, "Header", "%s is set by the SDK on every call (it sends and reads JSON)", k)
			}
			for have := range req.Header {
				if strings.EqualFold(have, k) {
					return nil, nil, inputErr(op, "Header", "%s is set by the SDK on this call", k)
				}
			}
			out.Header[k] = vs
		}
	}
	if cfg.query != nil {
		out.Query = url.Values{}
		for k, vs := range req.Query {
			out.Query[k] = vs
		}
		for k, vs := range cfg.query {
			if _, ok := out.Query[k]; ok {
				return nil, nil, inputErr(op, "QueryParam", "%s is set by the SDK on this call", k)
			}
			out.Query[k] = vs
		}
	}
	if cfg.fields != nil && !req.lookup {
		body, err := withFields(op, req.body, cfg.fields)
		if err != nil {
			return nil, nil, err
		}
		out.body = body
	}
	return cfg, &out, nil
}

// noCallOptions is the config of every call made without options, shared
// so that such a call allocates none. Nothing writes to a callConfig but
// the options applied in newCallConfig.
var noCallOptions = callConfig{retries: -1}

// newCallConfig applies opts, the options of the method op, reporting
// the first invalid one. What they mean for a request is checked by
// callOptions.
func newCallConfig(op string, opts []CallOption) (*callConfig, error) {
	if len(opts) == 0 {
		return &noCallOptions, nil
	}
	cfg := &callConfig{retries: -1}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(cfg); err != nil {
			var ie *InputError
			if errors.As(err, &ie) {
				ie.Op = op
			}
			return nil, err
		}
	}
	return cfg, nil
}

// withFields is the JSON object body with fields appended, its own bytes
// kept as they are.
func withFields(op string, body []byte, fields []bodyField) ([]byte, error) {
	obj := bytes.TrimSpace(body)
	var have map[string]json.RawMessage
	if len(obj) == 0 || obj[0] != '{' || json.Unmarshal(obj, &have) != nil {
		return nil, inputErr(op, "BodyField", "the call sends no JSON object body to add %q to", fields[0].name)
	}
	var b bytes.Buffer
	b.Write(obj[:len(obj)-1]) // up to the closing brace
	empty := len(have) == 0
	for _, f := range fields {
		if _, ok := have[f.name]; ok {
			return nil, inputErr(op, "BodyField", "%q is set by the SDK on this call", f.name)
		}
		if !empty {
			b.WriteByte(',')
		}
		empty = false
		name, _ := json.Marshal(f.name)
		b.Write(name)
		b.WriteByte(':')
		b.Write(f.value)
	}
	b.WriteByte('}')
	return b.Bytes(), nil
}

// captured hands resp to the call's CaptureResponse targets.
func (c *callConfig) captured(resp *Response) {
	if resp == nil || len(c.capture) == 0 {
		return
	}
	captureMu.Lock()
	defer captureMu.Unlock()
	for _, r := range c.capture {
		*r = resp
	}
}
