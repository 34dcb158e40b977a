package main

import (
	"context"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/loyaltytest"
)

func TestFansOfTheFake(t *testing.T) {
	var out strings.Builder
	err := run(context.Background(), &out, func(string) string { return "" }, []string{"-n", "12", "-concurrency", "3"})
	if err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		"fan-001: vote+share -> 100 points, welcome done true\n",
		"fan-012: vote -> 0 points, welcome done false\n",
		"12 fans: 12 served, 0 failed, 0 not attempted; at most ",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	m := regexp.MustCompile(`at most (\d+) at once`).FindStringSubmatch(out.String())
	if m == nil {
		t.Fatalf("no peak in:\n%s", out.String())
	}
	if peak, _ := strconv.Atoi(m[1]); peak < 1 || peak > 3 {
		t.Errorf("peak %d fans at once, want 1 to 3", peak)
	}
}

// Against a space given by MONTEROSA_SPACE_URL: without -action only
// profiles are read; with it, each fan reports it once, as that fan.
func TestFansOfASpace(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithDemoData())
	path := filepath.Join(t.TempDir(), "tokens.txt")
	if err := os.WriteFile(path, []byte("ana\n\nbo\ncy\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	env := func(k string) string {
		if k == "MONTEROSA_SPACE_URL" {
			return srv.URL
		}
		return ""
	}
	var out strings.Builder
	if err := run(context.Background(), &out, env, []string{"-tokens", path}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	if !strings.Contains(out.String(), "fan on line 3: no action -> 0 points") || !strings.Contains(out.String(), "3 fans: 3 served") {
		t.Errorf("output:\n%s", out.String())
	}
	for _, r := range srv.Requests() {
		if r.Method != http.MethodGet {
			t.Errorf("read-only run sent %s %s", r.Method, r.Path)
		}
	}

	srv.ResetRequests()
	out.Reset()
	if err := run(context.Background(), &out, env, []string{"-tokens", path, "-action", "vote"}); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	posts := 0
	for _, r := range srv.Requests() {
		if r.Method == http.MethodPost {
			posts++
		}
	}
	if posts != 3 {
		t.Errorf("%d actions reported, want one per fan", posts)
	}
	voted := map[string][]string{}
	for _, p := range srv.Monterosa().Profiles() {
		voted[p.UserID] = p.Challenges["welcome"].MissionsCompleted
	}
	if got := fmt.Sprint(voted); got != "map[ana:[m-vote] bo:[m-vote] cy:[m-vote]]" {
		t.Errorf("missions completed per fan: %s", got)
	}
	if strings.Contains(out.String(), "ana") {
		t.Errorf("output names a token:\n%s", out.String())
	}
}
