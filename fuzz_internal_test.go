package loyalty

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"testing"
	"time"
)

// FuzzErrorMessage: any body, for any platform, yields a message without
// panicking and in bounded time (linear parsing, bounded depth and parts).
func FuzzErrorMessage(f *testing.F) {
	for _, seed := range []string{
		`{"error":"conflict","message":"member exists"}`,
		`{"error_message":"Customer not found"}`,
		`{"errors":{"email":["is invalid","is taken"],"base":[{"message":"nope"}]}}`,
		`{"errors":[[[["deep"]]]]}`,
		`{"message":"x"}`, `[]`, `not json`, ``,
	} {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, body string) {
		for _, p := range []Platform{Qualifio, Yotpo, InfluenceIO, Monterosa} {
			start := time.Now()
			_, msg := errorMessage(p, []byte(body))
			if d := time.Since(start); d > time.Second {
				t.Fatalf("%s: %d-byte body took %v", p, len(body), d)
			}
			if len(msg) > 2*len(body)+64 {
				t.Fatalf("%s: message of %d bytes from a %d-byte body", p, len(msg), len(body))
			}
		}
	})
}

// bodyTransport answers every request with one status and body.
type bodyTransport struct {
	status int
	body   []byte
}

func (b bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	return &http.Response{StatusCode: b.status, Header: http.Header{"Retry-After": {"0"}},
		Body: io.NopCloser(bytes.NewReader(b.body)), Request: r}, nil
}

// FuzzDecodeResponse: any status and body through Do, decoding into a
// typical response shape, never panics, never hangs, and yields either a
// decoded value or an error.
func FuzzDecodeResponse(f *testing.F) {
	f.Add(200, `{"id":"m-1","points":12.5,"tags":["a"],"unknown":{"x":[1,2]}}`)
	f.Add(200, `{"id":1} trailing`)
	f.Add(404, `{"error_message":"not found"}`)
	f.Add(429, ``)
	f.Add(500, `{"errors":[[["x"]]]}`)
	f.Add(204, ``)
	f.Fuzz(func(t *testing.T, status int, body string) {
		if status < 100 || status > 599 {
			return
		}
		c, err := NewClient(WithYotpo(YotpoConfig{GUID: "g", APIKey: "k", BaseURL: "http://127.0.0.1:1"}),
			WithHTTPClient(&http.Client{Transport: bodyTransport{status, []byte(body)}}),
			WithRetryPolicy(RetryPolicy{MaxRetries: 1, MinWait: time.Microsecond, MaxWait: time.Microsecond, MaxRetryAfter: time.Microsecond}),
			WithMaxResponseBytes(1<<16))
		if err != nil {
			t.Fatal(err)
		}
		req, err := c.NewRequest(Yotpo, http.MethodGet, "/customers", nil)
		if err != nil {
			t.Fatal(err)
		}
		var v struct {
			ID     any            `json:"id"`
			Points float64        `json:"points"`
			Tags   []string       `json:"tags"`
			Extra  map[string]any `json:"unknown"`
		}
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		start := time.Now()
		resp, err := c.Do(ctx, req, &v)
		if time.Since(start) > 2*time.Second {
			t.Fatalf("Do took %v", time.Since(start))
		}
		if err == nil && (resp == nil || status < 200 || status > 299) {
			t.Fatalf("status %d: no error and response %v", status, resp)
		}
	})
}
