package dashboardtest

import (
	"context"
	"errors"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// chromiumPath finds a Chromium: $CHROMIUM, or one of the usual names.
func chromiumPath() string {
	if p := os.Getenv("CHROMIUM"); p != "" {
		return p
	}
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "headless-shell"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser starts a headless Chromium with a new empty profile and returns
// a chromedp context for one tab; it ends with the test.
func browser(t *testing.T) context.Context {
	t.Helper()
	bin := chromiumPath()
	if bin == "" {
		msg := "no chromium binary found (install the Debian packages chromium and chromium-driver, or set CHROMIUM)"
		if os.Getenv("CI") != "" {
			t.Fatal(msg + "; CI is set, so this fails rather than skips")
		}
		t.Skip(msg)
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(bin),
		chromedp.Flag("headless", true),
		chromedp.Flag("no-sandbox", true),
		chromedp.Flag("disable-gpu", true),
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("no-first-run", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1400, 1000),
	}
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(actx)
	ctx, cancelTime := context.WithTimeout(ctx, 2*time.Minute)
	t.Cleanup(func() { cancelTime(); cancelTab(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil { // starts the browser
		t.Fatalf("starting %s: %v", bin, err)
	}
	return ctx
}

// screenshot saves what the tab shows to path.
func screenshot(ctx context.Context, path string) error {
	png, err := chromedp.Run(ctx, chromedp.FullScreenshot(100)) // 100: PNG
	if err != nil {
		return err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	return os.WriteFile(path, png, 0o644)
}

// void drops the value of a.
func void[T any](a chromedp.Action[T]) chromedp.Action[chromedp.Void] {
	return func(ctx context.Context, t *chromedp.Target) (chromedp.Void, error) {
		_, err := a(ctx, t)
		return chromedp.Void{}, err
	}
}

// contains waits until the element of sel shows text (innerText).
func contains(sel, text string) chromedp.Action[chromedp.Void] {
	return void(chromedp.Poll[bool](`(() => { const e = document.querySelector(`+jsString(sel)+`); return !!e && e.innerText.includes(`+jsString(text)+`); })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
}

// lacks waits until the element of sel no longer shows text.
func lacks(sel, text string) chromedp.Action[chromedp.Void] {
	return void(chromedp.Poll[bool](`(() => { const e = document.querySelector(`+jsString(sel)+`); return !!e && !e.innerText.includes(`+jsString(text)+`); })()`,
		chromedp.WithPollingInterval(100*time.Millisecond), chromedp.WithPollingTimeout(15*time.Second)))
}

func jsString(s string) string {
	r := strings.NewReplacer(`\`, `\\`, `"`, `\"`, "\n", `\n`)
	return `"` + r.Replace(s) + `"`
}

// eventually waits until cond holds, for at most 15 s.
func eventually(t *testing.T, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("timed out waiting until %s", what)
		}
		time.Sleep(50 * time.Millisecond)
	}
}

// TestDashboardInChromium opens the dashboard in a real browser, makes
// state through the SDK and sees it appear, then uses the page's controls:
// re-deliver a webhook, inject a fault after the write, switch the rate
// limit, upload a seed and reset. On failure it saves a screenshot and logs its path.
func TestDashboardInChromium(t *testing.T) {
	ctx := browser(t)
	var received atomic.Int32
	receiver := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		received.Add(1)
	}))
	t.Cleanup(receiver.Close)
	srv := loyaltytest.New(t, loyaltytest.WithDashboard(), loyaltytest.WithDemoData())
	srv.Yotpo().SetWebhook(receiver.URL, "hook-auth")
	t.Cleanup(func() {
		if t.Failed() {
			path := filepath.Join(os.TempDir(), "dashboardtest-failure.png")
			if err := screenshot(ctx, path); err != nil {
				t.Logf("no screenshot: %v", err)
				return
			}
			t.Logf("screenshot of the failure: %s", path)
		}
	})
	run := func(what string, actions ...chromedp.Action[chromedp.Void]) {
		t.Helper()
		if err := chromedp.Do(ctx, actions...); err != nil {
			t.Fatalf("%s: %v", what, err)
		}
	}

	run("open the page", chromedp.Navigate(srv.URL+loyaltytest.DashboardPath), chromedp.WaitVisible(chromedp.CSS("#state-yotpo")))

	// State made through the SDK shows up without reloading.
	sdk := srv.Client()
	bg := context.Background()
	if _, _, err := sdk.Customers.Upsert(bg, loyalty.CustomerInput{Email: "ana@example.com", FirstName: "Ana"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sdk.Orders.Create(bg, loyalty.Order{ID: "O-1001", CustomerEmail: "ana@example.com", Total: loyalty.NewMoney(12000, "EUR"), Status: loyalty.OrderPaid}); err != nil {
		t.Fatal(err)
	}
	inf := srv.ClientFor(loyalty.InfluenceIO)
	if _, _, err := inf.Customers.Upsert(bg, loyalty.CustomerInput{ID: "C-77", Email: "cy@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := inf.Customers.AdjustPoints(bg, loyalty.PointsAdjustment{Customer: loyalty.ByID("C-77"), Points: 300}); err != nil {
		t.Fatal(err)
	}
	price := loyalty.NewMoney(2500, "EUR")
	if _, _, err := inf.Products.Upsert(bg, loyalty.ProductInput{ID: "P-1", Title: "Trail shoes", Price: &price}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := sdk.Members.Create(bg, loyalty.MemberInput{Email: "bo@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, err := sdk.Rewards.ForUser("fan-7").ReportAction(bg, loyalty.RewardsAction{Name: "vote"}); err != nil {
		t.Fatal(err)
	}
	run("see the state", contains("#state-yotpo", "ana@example.com"), contains("#state-yotpo", "O-1001"),
		contains("#state-qualifio", "bo@example.com"), contains("#state-monterosa", "fan-7"),
		contains("#state-influenceio", "cy@example.com"), contains("#state-influenceio", "Trail shoes"),
		contains("#requests", "/api/v2/orders"))

	// A webhook delivery shows, and re-deliver sends it again.
	eventually(t, "a webhook is delivered", func() bool { return received.Load() > 0 })
	run("see the delivery", contains("#webhooks", "delivered"))
	if path := os.Getenv("DASHBOARD_SCREENSHOT"); path != "" {
		if err := screenshot(ctx, path); err != nil {
			t.Fatal(err)
		}
	}
	before, deliveries := received.Load(), len(srv.WebhookDeliveries())
	srv.WaitForWebhooks(bg)
	run("re-deliver", chromedp.Click(chromedp.CSS("button.redeliver")))
	eventually(t, "the re-delivery arrives", func() bool {
		return received.Load() > before && len(srv.WebhookDeliveries()) > deliveries
	})

	// A fault after the write, from the form: the SDK's write is applied
	// and reported ErrMaybeApplied.
	run("inject a fault",
		chromedp.SetValue(chromedp.CSS(`#fault-form select[name="method"]`), "POST"),
		chromedp.SetValue(chromedp.CSS(`#fault-form input[name="route"]`), "/api/v2/points/adjust"),
		chromedp.SetValue(chromedp.CSS(`#fault-form select[name="when"]`), "after"),
		chromedp.SetValue(chromedp.CSS(`#fault-form select[name="answer"]`), "504"),
		chromedp.Click(chromedp.CSS("#inject-fault")),
		contains("#controls", "after apply"),
	)
	if f := srv.Faults(); len(f) != 1 || !f[0].AfterApply || f[0].Status != 504 || f[0].Route != "/api/v2/points/adjust" || f[0].Method != "POST" {
		t.Fatalf("faults after the form: %+v", f)
	}
	_, _, err := sdk.Customers.AdjustPoints(bg, loyalty.PointsAdjustment{Customer: loyalty.ByEmail("ana@example.com"), Points: 7})
	if !errors.Is(err, loyalty.ErrMaybeApplied) {
		t.Fatalf("adjust under the fault: %v", err)
	}
	run("see the fault in the log", contains("#requests", "applied, then 504"))

	// The rate limit switch.
	run("switch the rate limit on", chromedp.Click(chromedp.CSS("#ratelimit")), contains("#controls", "on — switch off"))
	if !srv.RateLimited() {
		t.Fatal("the rate limit is still off")
	}

	// Seed upload: a file with one more Yotpo campaign.
	seedFile := filepath.Join(t.TempDir(), "seed.json")
	if err := os.WriteFile(seedFile, []byte(`{"yotpo": {"campaigns": [{"type": "CustomActionCampaign", "title": "Uploaded in the browser", "rewardPoints": 5, "actionName": "upload"}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	campaigns := len(srv.Yotpo().Campaigns())
	run("upload a seed", chromedp.SetUploadFiles(chromedp.CSS("#seed-file"), []string{seedFile}), contains("#flash", "seed loaded"))
	if cs := srv.Yotpo().Campaigns(); len(cs) != campaigns+1 || cs[len(cs)-1].Title != "Uploaded in the browser" {
		t.Fatalf("campaigns after the upload: %+v", cs)
	}

	// Reset (the page asks first: say yes).
	run("reset",
		void(chromedp.Evaluate[bool](`(window.confirm = () => true, true)`)),
		chromedp.Click(chromedp.CSS("#reset")),
		lacks("#state-yotpo", "ana@example.com"),
		contains("#flash", "reset"),
	)
	if n := len(srv.Yotpo().Customers()); n != 0 {
		t.Fatalf("%d Yotpo customers after reset", n)
	}
}
