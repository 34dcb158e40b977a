package main

import (
	"bytes"
	"context"
	"strings"
	"testing"
)

func noEnv(string) string { return "" }

// The same program syncs to either platform, and the demo data's earning
// rules turn the paid orders into points on both.
func TestSyncBothPlatforms(t *testing.T) {
	for _, p := range []string{"yotpo", "influenceio"} {
		var out bytes.Buffer
		if err := run(context.Background(), []string{"-platform", p}, &out, noEnv); err != nil {
			t.Fatalf("%s: %v", p, err)
		}
		got := out.String()
		if !strings.Contains(got, p+": synced 2 customers and 2 orders") || !strings.Contains(got, "C-1042 ana@example.com") {
			t.Fatalf("%s:\n%s", p, got)
		}
		if strings.Contains(got, " 0 points") {
			t.Errorf("%s: a paid order earned nothing:\n%s", p, got)
		}
	}
}

func TestSyncRefusesAnUnknownPlatform(t *testing.T) {
	err := run(context.Background(), []string{"-platform", "shopify"}, &bytes.Buffer{}, noEnv)
	if err == nil || !strings.Contains(err.Error(), "use yotpo or influenceio") {
		t.Fatalf("err %v", err)
	}
}
