package transport

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
)

type captureRT struct{ got *http.Request }

func (c *captureRT) RoundTrip(req *http.Request) (*http.Response, error) {
	c.got = req
	return &http.Response{StatusCode: http.StatusOK, Body: http.NoBody, Request: req}, nil
}

// Once substitutes its unrewindable empty body exactly where net/http
// would deem a bodyless request replayable, and leaves every other
// bodyless request as it was, so that a POST or PATCH keeps its
// Content-Length: 0 on the wire. GetBody is always dropped.
func TestOnceSubstitutesTheEmptyBodyOnlyWhereReplayable(t *testing.T) {
	cases := []struct {
		method, header string
		body           bool
		want           string // "empty", "nil" or "kept"
	}{
		{method: "", want: "empty"},
		{method: http.MethodGet, want: "empty"},
		{method: http.MethodHead, want: "empty"},
		{method: http.MethodOptions, want: "empty"},
		{method: http.MethodTrace, want: "empty"},
		{method: http.MethodPost, want: "nil"},
		{method: http.MethodPatch, want: "nil"},
		{method: http.MethodPut, want: "nil"},
		{method: http.MethodDelete, want: "nil"},
		{method: http.MethodPost, header: "Idempotency-Key", want: "empty"},
		{method: http.MethodPatch, header: "X-Idempotency-Key", want: "empty"},
		{method: http.MethodPost, body: true, want: "kept"},
		{method: http.MethodGet, body: true, want: "kept"},
		{method: http.MethodPost, header: "Idempotency-Key", body: true, want: "kept"},
	}
	for _, tc := range cases {
		t.Run(tc.method+" "+tc.header, func(t *testing.T) {
			ctx := WithRule(context.Background(), Rule{Idempotent: false})
			var body io.Reader
			if tc.body {
				body = bytes.NewReader([]byte(`{"a":1}`))
			}
			req, err := http.NewRequestWithContext(ctx, tc.method, "http://example.invalid/x", body)
			if err != nil {
				t.Fatal(err)
			}
			if tc.header != "" {
				req.Header.Set(tc.header, "k-1")
			}
			rt := &captureRT{}
			resp, err := (&Once{Base: rt}).RoundTrip(req)
			if err != nil {
				t.Fatal(err)
			}
			if resp.Request != req {
				t.Error("the response does not carry the caller's request")
			}
			out := rt.got
			if out.GetBody != nil {
				t.Error("GetBody was kept")
			}
			switch tc.want {
			case "empty":
				if _, ok := out.Body.(emptyBody); !ok {
					t.Errorf("body %T, want the unrewindable empty body", out.Body)
				}
			case "nil":
				if out.Body != nil && out.Body != http.NoBody {
					t.Errorf("body %T, want none", out.Body)
				}
			case "kept":
				b, _ := io.ReadAll(out.Body)
				if string(b) != `{"a":1}` || out.ContentLength != int64(len(b)) {
					t.Errorf("body %q (length %d), want it as it was", b, out.ContentLength)
				}
			}
		})
	}
	// An idempotent call is passed through untouched, GetBody and all.
	req, _ := http.NewRequestWithContext(WithRule(context.Background(), Rule{Idempotent: true}), http.MethodPost, "http://example.invalid/x", bytes.NewReader([]byte("x")))
	rt := &captureRT{}
	if _, err := (&Once{Base: rt}).RoundTrip(req); err != nil {
		t.Fatal(err)
	}
	if rt.got != req {
		t.Error("an idempotent call was copied")
	}
}
