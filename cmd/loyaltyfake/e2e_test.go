package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"

	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest"
)

// buildFake builds the program into a temporary directory, once per test.
func buildFake(t *testing.T) string {
	t.Helper()
	if testing.Short() {
		t.Skip("builds and runs the program; skipped with -short")
	}
	bin := filepath.Join(t.TempDir(), "loyaltyfake")
	out, err := exec.Command("go", "build", "-o", bin, ".").CombinedOutput()
	if err != nil {
		t.Fatalf("go build: %v\n%s", err, out)
	}
	return bin
}

// startFake runs the program on a free port and returns its base URL, read
// from the banner. The process is killed when the test ends.
func startFake(t *testing.T, bin string, args ...string) string {
	t.Helper()
	ctx, cancel := context.WithCancel(context.Background())
	cmd := exec.CommandContext(ctx, bin, append([]string{"-addr", "127.0.0.1:0"}, args...)...)
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cancel()
		_ = cmd.Wait()
	})
	first := make(chan string, 1)
	go func() {
		lines := bufio.NewScanner(stdout)
		if lines.Scan() {
			first <- lines.Text()
		}
		close(first)
		_, _ = io.Copy(io.Discard, stdout)
	}()
	// stderr is read only once the process has ended: exec writes it until then.
	stopped := func() string { cancel(); _ = cmd.Wait(); return stderr.String() }
	select {
	case line := <-first:
		base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(line)
		if base == "" {
			t.Fatalf("banner %q; stderr %s", line, stopped())
		}
		return base
	case <-time.After(30 * time.Second):
		t.Fatalf("no banner; stderr %s", stopped())
	}
	return ""
}

// api calls the admin API and decodes the JSON answer into out (when not
// nil), failing the test unless the status is want.
func api(t *testing.T, base, method, path string, body any, want int, out any) {
	t.Helper()
	var rd io.Reader
	if body != nil {
		b, err := json.Marshal(body)
		if err != nil {
			t.Fatal(err)
		}
		rd = bytes.NewReader(b)
	}
	req, err := http.NewRequest(method, base+loyaltytest.AdminPath+path, rd)
	if err != nil {
		t.Fatal(err)
	}
	req.Header.Set("Content-Type", "application/json")
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Do(req)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	b, _ := io.ReadAll(io.LimitReader(resp.Body, 1<<20))
	if resp.StatusCode != want {
		t.Fatalf("%s %s: %d %s; want %d", method, path, resp.StatusCode, b, want)
	}
	if out != nil {
		if err := json.Unmarshal(b, out); err != nil {
			t.Fatalf("%s %s: %v in %s", method, path, err, b)
		}
	}
}

// TestProgramEndToEnd drives the built program as a test in another
// language would: seed over the admin API, SDK calls, state read back, a
// fault injected that the SDK sees, and a reset.
func TestProgramEndToEnd(t *testing.T) {
	base := startFake(t, buildFake(t), "-seed=none", "-ratelimit=false")
	ctx := context.Background()

	var seed loyaltytest.Seed
	if err := json.Unmarshal(loyaltytest.DemoSeedJSON(), &seed); err != nil {
		t.Fatal(err)
	}
	api(t, base, http.MethodPost, "/seed", seed, http.StatusOK, nil)

	c, err := loyalty.NewClient(
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: base + contract.YotpoBasePath, RateLimit: rate.Inf}),
		loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "id", ClientSecret: "secret",
			BaseURL: base + contract.QualifioBasePath, TokenURL: base + contract.QualifioTokenPath}),
		loyalty.WithRetryPolicy(loyaltytest.TestRetryPolicy),
	)
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Customers.Upsert(ctx, loyalty.CustomerInput{ID: "C-1", Email: "ana@example.com"}); err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Orders.Create(ctx, loyalty.Order{ID: "O-1", CustomerEmail: "ana@example.com", Total: loyalty.NewMoney(10000, "EUR"), Status: loyalty.OrderPaid}); err != nil {
		t.Fatal(err)
	}
	m, _, err := c.Members.Create(ctx, loyalty.MemberInput{Email: "bo@example.com"})
	if err != nil {
		t.Fatal(err)
	}
	if _, _, err := c.Events.Send(ctx, loyalty.Event{Type: loyalty.EventPurchase, Email: "bo@example.com",
		Purchase: &loyalty.Purchase{OrderID: "P-1", Amount: loyalty.NewMoney(4990, "EUR")}}); err != nil {
		t.Fatal(err)
	}

	var customers struct {
		Items []loyaltytest.YotpoCustomerState
	}
	api(t, base, http.MethodGet, "/yotpo/customers", nil, http.StatusOK, &customers)
	if len(customers.Items) != 1 || customers.Items[0].PointsBalance != 100 || customers.Items[0].VIPTierName != "Bronze" {
		t.Fatalf("yotpo customers %+v", customers.Items)
	}
	var members struct {
		Items []loyaltytest.QualifioMemberState
	}
	api(t, base, http.MethodGet, "/qualifio/members", nil, http.StatusOK, &members)
	if len(members.Items) != 1 || members.Items[0].ID != m.ID || members.Items[0].Balance != 49.9 {
		t.Fatalf("qualifio members %+v; want 1 point per unit of 49.90", members.Items)
	}

	// A fault that outlasts the SDK's retries: the SDK sees the 503.
	api(t, base, http.MethodPost, "/faults", map[string]any{"method": "GET", "path": contract.YotpoBasePath + contract.YotpoPathCustomers, "status": 503, "times": 20}, http.StatusCreated, nil)
	_, _, err = c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil)
	var le *loyalty.Error
	if !errors.Is(err, loyalty.ErrServer) || !errors.As(err, &le) || le.StatusCode != http.StatusServiceUnavailable {
		t.Fatalf("through the fault: %v", err)
	}
	var reqs struct{ Items []map[string]any }
	api(t, base, http.MethodGet, "/requests?platform=yotpo", nil, http.StatusOK, &reqs)
	if len(reqs.Items) < 3 || strings.Contains(mustJSON(t, reqs), `"k"`) {
		t.Fatalf("request log %d items, or the API key shown", len(reqs.Items))
	}

	api(t, base, http.MethodPost, "/reset", nil, http.StatusOK, nil)
	var faults struct{ Items []map[string]any }
	api(t, base, http.MethodGet, "/faults", nil, http.StatusOK, &faults)
	api(t, base, http.MethodGet, "/yotpo/customers", nil, http.StatusOK, &customers)
	if len(faults.Items) != 0 || len(customers.Items) != 0 {
		t.Fatalf("after reset: %d faults, %d customers", len(faults.Items), len(customers.Items))
	}
	if _, _, err := c.Customers.Get(ctx, loyalty.ByEmail("ana@example.com"), nil); !errors.Is(err, loyalty.ErrNotFound) {
		t.Fatalf("after reset: %v", err)
	}
}

func mustJSON(t *testing.T, v any) string {
	t.Helper()
	b, err := json.Marshal(v)
	if err != nil {
		t.Fatal(err)
	}
	return string(b)
}

// The program refuses a bad seed file at start, naming the field, with exit
// status 2; -help documents every flag; -print-demo-seed prints a seed file
// the program accepts.
func TestProgramFlags(t *testing.T) {
	bin := buildFake(t)
	bad := filepath.Join(t.TempDir(), "bad.json")
	if err := os.WriteFile(bad, []byte(`{"yotpo": {"campaigns": [{"type": "SpendBasedCampaign", "title": "x", "rewardPoints": -5}]}}`), 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := bounded(t, bin, "-addr", "127.0.0.1:0", "-seed", bad).CombinedOutput()
	var ee *exec.ExitError
	if !errors.As(err, &ee) || ee.ExitCode() != 2 || !strings.Contains(string(out), "yotpo.campaigns[0].rewardPoints") || !strings.Contains(string(out), bad) {
		t.Fatalf("bad seed: %v\n%s", err, out)
	}

	out, err = bounded(t, bin, "-help").CombinedOutput()
	if err != nil {
		t.Fatalf("-help: %v", err)
	}
	for _, flag := range []string{"-addr", "-ratelimit", "-max-body", "-seed", "-record", "-print-demo-seed", "-dashboard", "/_fake/api"} {
		if !strings.Contains(string(out), flag) {
			t.Errorf("-help lacks %s:\n%s", flag, out)
		}
	}

	demo, err := bounded(t, bin, "-print-demo-seed").Output()
	if err != nil || !bytes.Equal(demo, loyaltytest.DemoSeedJSON()) {
		t.Fatalf("-print-demo-seed: %v\n%s", err, demo)
	}
	file := filepath.Join(t.TempDir(), "demo.json")
	if err := os.WriteFile(file, demo, 0o600); err != nil {
		t.Fatal(err)
	}
	base := startFake(t, bin, "-seed", file)
	var campaigns struct{ Items []map[string]any }
	api(t, base, http.MethodGet, "/yotpo/campaigns", nil, http.StatusOK, &campaigns)
	if len(campaigns.Items) != 3 {
		t.Fatalf("seeded from the printed file: %d campaigns", len(campaigns.Items))
	}
}

// bounded is a command that is killed after a minute, so that a program
// that serves instead of exiting fails the test rather than hanging it.
func bounded(t *testing.T, name string, args ...string) *exec.Cmd {
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	t.Cleanup(cancel)
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.WaitDelay = 5 * time.Second
	return cmd
}

// TestProgramDashboard checks that the program serves the dashboard by
// default, with the demo data on it, and not with -dashboard=false.
func TestProgramDashboard(t *testing.T) {
	bin := buildFake(t)
	get := func(base string) (int, string) {
		resp, err := http.Get(base + loyaltytest.DashboardPath)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		b, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, string(b)
	}
	status, page := get(startFake(t, bin))
	if status != http.StatusOK || !strings.Contains(page, "Inject a fault") || !strings.Contains(page, `id="state-monterosa"`) {
		t.Fatalf("dashboard: %d\n%.500s", status, page)
	}
	if status, _ := get(startFake(t, bin, "-dashboard=false")); status != http.StatusNotFound {
		t.Fatalf("-dashboard=false: %d, want 404", status)
	}
}
