package loyaltytest_test

import (
	"context"
	"net/http"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// ClientFor picks either commerce platform on any server, and the Client
// it builds talks to that platform's fake.
func TestClientForEitherCommercePlatform(t *testing.T) {
	srv := loyaltytest.New(t)
	ctx := context.Background()

	ic := srv.ClientFor(loyalty.InfluenceIO)
	if !ic.Configured(loyalty.InfluenceIO) || ic.Configured(loyalty.Yotpo) || !ic.Configured(loyalty.Qualifio) || !ic.Configured(loyalty.Monterosa) {
		t.Fatalf("ClientFor(InfluenceIO) platforms %v", ic.Platforms())
	}
	req, err := ic.NewRequest(loyalty.InfluenceIO, http.MethodGet, contract.InfluenceIOPathCustomers, nil)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := ic.Do(ctx, req, nil); err != nil {
		t.Fatalf("Influence.io through ClientFor: %v", err)
	}

	yc := loyaltytest.New(t, loyaltytest.WithInfluenceIOClient()).ClientFor(loyalty.Yotpo)
	if !yc.Configured(loyalty.Yotpo) || yc.Configured(loyalty.InfluenceIO) {
		t.Fatalf("ClientFor(Yotpo) platforms %v", yc.Platforms())
	}
	if dc, err := srv.NewClient(""); err != nil || !dc.Configured(loyalty.Yotpo) {
		t.Fatalf("NewClient(\"\"): %v", err)
	}
}

// A conflicting or unknown choice is an error from NewClient, a panic (with
// the same message) from Client and ClientFor.
func TestNewClientErrors(t *testing.T) {
	srv := loyaltytest.New(t)
	for _, c := range []struct {
		commerce loyalty.Platform
		opts     []loyalty.Option
		want     string
	}{
		{loyalty.Yotpo, []loyalty.Option{loyalty.WithInfluenceIO(srv.InfluenceIOConfig())}, "one commerce platform"},
		{loyalty.InfluenceIO, []loyalty.Option{loyalty.WithYotpo(srv.YotpoConfig())}, "one commerce platform"},
		{loyalty.Qualifio, nil, `commerce platform "qualifio"`},
		{"shopify", nil, `commerce platform "shopify"`},
		{loyalty.Yotpo, []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{})}, "GUID"},
	} {
		c0, err := srv.NewClient(c.commerce, c.opts...)
		if err == nil || c0 != nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("NewClient(%q): %v, %v; want an error with %q", c.commerce, c0, err, c.want)
		}
		func() {
			defer func() {
				if r, _ := recover().(string); !strings.Contains(r, c.want) {
					t.Errorf("ClientFor(%q) panic %q; want %q", c.commerce, r, c.want)
				}
			}()
			srv.ClientFor(c.commerce, c.opts...)
		}()
	}
}
