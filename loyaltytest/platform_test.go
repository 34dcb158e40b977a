package loyaltytest_test

import (
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// The recorder and the webhook log name platforms with loyalty.Platform, so
// that a test compares them with loyalty.Yotpo, not with a string literal.
func TestPlatformIsLoyaltyPlatform(t *testing.T) {
	srv := loyaltytest.New(t)
	rc := newReceiver(t)
	srv.InfluenceIO().RegisterWebhook(contract.InfluenceIOTopicCustomersUpdated, rc.URL)
	do(t, srv, call{method: http.MethodGet, path: yCampaigns, header: yotpoAuth})
	wantStatus(t, do(t, srv, call{method: http.MethodPut, path: contract.InfluenceIOCustomerPath("c-1"),
		header: http.Header{contract.InfluenceIOHeaderAPIKey: {"k"}}, body: map[string]any{"email": "a@b.c"}}), http.StatusOK)
	waitHooks(t, srv)
	reqs := srv.Requests()
	var want loyalty.Platform = loyalty.Yotpo
	if len(reqs) != 2 || reqs[0].Platform != want || reqs[1].Platform != loyalty.InfluenceIO {
		t.Fatalf("requests %+v", reqs)
	}
	d := srv.WebhookDeliveries()
	if len(d) != 1 || d[0].Platform != loyalty.InfluenceIO || loyaltytest.InfluenceIO != loyalty.InfluenceIO {
		t.Fatalf("deliveries %+v", d)
	}
}
