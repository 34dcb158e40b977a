package loyaltytest

import (
	"io"
	"strconv"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// The webhooks part shows the newest deliveries only, as the request log
// does: the fake keeps every delivery, and the page re-renders the part
// each second, so it must not grow with the run.
func TestDashboardShowsTheNewestDeliveriesOnly(t *testing.T) {
	srv := New(t, WithDashboard())
	const n = dashboardShown + 50
	for i := 0; i < n; i++ {
		if srv.hooks.add(fakekit.Delivery{Platform: "yotpo", Topic: "t", URL: "http://127.0.0.1:1/hook", EncodeErr: "test"}) == nil {
			t.Fatal("deliverer stopped")
		}
	}
	resp, err := srv.HTTPClient().Get(srv.URL + DashboardPath + "part/webhooks")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	page := string(b)
	if got := strings.Count(page, `<tr class="delivery">`); got != dashboardShown {
		t.Errorf("%d deliveries shown, want the newest %d", got, dashboardShown)
	}
	if !strings.Contains(page, "deliveries/"+strconv.Itoa(n)+"/redeliver") {
		t.Error("the newest delivery is not shown")
	}
	if strings.Contains(page, "deliveries/1/redeliver") {
		t.Error("the oldest delivery is shown")
	}
	if want := strconv.Itoa(dashboardShown) + " shown of " + strconv.Itoa(n); !strings.Contains(page, want) {
		t.Errorf("the part does not say %q", want)
	}
}
