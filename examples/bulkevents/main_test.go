package main

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/loyaltytest"
)

func noEnv(string) string { return "" }

func TestGeneratedAgainstTheFake(t *testing.T) {
	var out strings.Builder
	if err := run(context.Background(), &out, noEnv, []string{"-n", "20", "-concurrency", "3"}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	// Per member: 3 visits at 10 points and a purchase of 19.90.
	for _, want := range []string{
		"20 events: 20 sent, 0 failed, 0 not attempted",
		"  member-1@example.com: 49.90 points\n",
		"  member-5@example.com: 49.90 points\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestBadFlags(t *testing.T) {
	for _, args := range [][]string{{"-n", "-1"}, {"-concurrency", "0"}, {"-nope"}} {
		if err := run(context.Background(), &strings.Builder{}, noEnv, args); err == nil {
			t.Errorf("%v: no error", args)
		}
	}
}

func TestFileWithAnInvalidEvent(t *testing.T) {
	path := filepath.Join(t.TempDir(), "events.jsonl")
	lines := `{"id":"evt-1","type":"ecommerce/purchase","email":"ana@example.com","orderId":"O-1","amount":"49.90","currency":"EUR"}

{"id":"evt-1","type":"ecommerce/purchase","email":"ana@example.com","orderId":"O-1","amount":"49.90","currency":"EUR"}
{"type":"ecommerce/purchase","email":"ana@example.com"}
{"type":"custom/basic","email":"bo@example.com","counters":{"pages":3}}
`
	if err := os.WriteFile(path, []byte(lines), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	err := run(context.Background(), &out, noEnv, []string{"-file", path})
	if err == nil || err.Error() != "1 of 4 events were not sent" {
		t.Errorf("err = %v", err)
	}
	for _, want := range []string{
		`event 3 (id "") failed: `, "Purchase",
		"4 events: 3 sent, 1 failed, 0 not attempted",
		"  ana@example.com: 49.90 points\n", // evt-1 counted once
		"  bo@example.com: 10.00 points\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestFileSentWithCredentials(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithQualifioClient("bulk-id", "bulk-secret"))
	q := srv.QualifioConfig()
	env := map[string]string{
		"QUALIFIO_CLIENT_ID": q.ClientID, "QUALIFIO_CLIENT_SECRET": q.ClientSecret,
		"QUALIFIO_BASE_URL": q.BaseURL, "QUALIFIO_TOKEN_URL": q.TokenURL,
	}
	path := filepath.Join(t.TempDir(), "events.jsonl")
	if err := os.WriteFile(path, []byte(strings.Repeat(`{"type":"custom/basic","customerId":"C-1"}`+"\n", 5)), 0o600); err != nil {
		t.Fatal(err)
	}
	var out strings.Builder
	if err := run(context.Background(), &out, func(k string) string { return env[k] }, []string{"-file", path}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "5 events: 5 sent, 0 failed, 0 not attempted") || strings.Contains(out.String(), "fake") {
		t.Errorf("output:\n%s", out.String())
	}
	posts := 0
	for _, r := range srv.Requests() {
		if strings.HasSuffix(r.Path, "/events") || strings.Contains(r.Path, "/ingestor") {
			posts++
		}
	}
	if posts != 5 {
		t.Errorf("%d event requests reached Qualifio, want 5: %v", posts, srv.Requests())
	}

	// A wrong secret: the token endpoint refuses the first event, and the
	// others are not attempted.
	env["QUALIFIO_CLIENT_SECRET"] = "wrong"
	out.Reset()
	err := run(context.Background(), &out, func(k string) string { return env[k] }, []string{"-file", path, "-concurrency", "1"})
	if err == nil || !strings.Contains(out.String(), "5 events: 0 sent, 1 failed, 4 not attempted") {
		t.Errorf("err = %v, output:\n%s", err, out.String())
	}
	if strings.Contains(out.String(), "wrong") {
		t.Errorf("output holds the secret:\n%s", out.String())
	}

	// No events are generated into a real account.
	if err := run(context.Background(), &out, func(k string) string { return env[k] }, nil); err == nil || !strings.Contains(err.Error(), "-file") {
		t.Errorf("err = %v", err)
	}
}
