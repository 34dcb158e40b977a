package loyalty

import (
	"context"
	"net/http"
	"net/http/httptest"
	"testing"

	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty/internal/transport"
)

// A service method's name reaches the observer as the call's operation.
func TestObserverOperation(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) { w.Write([]byte(`{}`)) }))
	defer srv.Close()
	var got []string
	c, err := NewClient(WithYotpo(YotpoConfig{GUID: "g", APIKey: "k", BaseURL: srv.URL, RateLimit: rate.Inf}),
		WithObserver(Observer{EndCall: func(_ context.Context, c CallInfo, _ CallEnd) { got = append(got, c.Operation) }}))
	if err != nil {
		t.Fatal(err)
	}
	for _, op := range []string{"Customers.Get", ""} {
		req, err := c.NewRequest(Yotpo, http.MethodGet, "/customers", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.operation = op
		if _, err := c.Do(context.Background(), req, nil); err != nil {
			t.Fatal(err)
		}
	}
	if len(got) != 2 || got[0] != "Customers.Get" || got[1] != "Do" {
		t.Errorf("operations %q; want Customers.Get, then Do for a raw Request", got)
	}
}

// Without WithObserver the transport chain has no observing round-tripper:
// a Client that does not observe pays nothing for it.
func TestNoObserverNoObservingTransport(t *testing.T) {
	for _, observe := range []bool{false, true} {
		opts := []Option{WithYotpo(YotpoConfig{GUID: "g", APIKey: "k"})}
		if observe {
			opts = append(opts, WithObserver(Observer{EndCall: func(context.Context, CallInfo, CallEnd) {}}))
		}
		c, err := NewClient(opts...)
		if err != nil {
			t.Fatal(err)
		}
		b := c.backends[Yotpo]
		var found bool
		for rt := b.rt; rt != nil; {
			switch v := rt.(type) {
			case *transport.Observe:
				found, rt = true, v.Base
			case *transport.Waited:
				found, rt = true, v.Base
			case *transport.Limit:
				rt = v.Base
			case *transport.Logging:
				rt = v.Base
			default:
				rt = nil
			}
		}
		if found != observe || (b.observer != nil) != observe {
			t.Errorf("observe=%v: observing round-tripper %v, observer %v", observe, found, b.observer != nil)
		}
	}
}
