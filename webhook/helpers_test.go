package webhook_test

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// fixture reads testdata/webhooks/<platform>/<topic>.json at the repo root.
func fixture(t testing.TB, platform, topic string) []byte {
	t.Helper()
	b, err := os.ReadFile(fixturePath(platform, topic))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func fixturePath(platform, topic string) string {
	return filepath.Join("..", "testdata", "webhooks", platform, strings.ReplaceAll(topic, "/", "_")+".json")
}

// fixtures returns every fixture of platform, for fuzz seeds.
func fixtures(t testing.TB, platform string) map[string][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join("..", "testdata", "webhooks", platform, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("no fixtures for %s: %v", platform, err)
	}
	out := map[string][]byte{}
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		out[strings.TrimSuffix(filepath.Base(p), ".json")] = b
	}
	return out
}

func mustTime(t testing.TB, s string) time.Time {
	t.Helper()
	v, err := time.Parse(time.RFC3339, s)
	if err != nil {
		t.Fatal(err)
	}
	return v
}

func ptr(f float64) *float64 { return &f }

func eqPtr(a, b *float64) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

func fmtPtr(p *float64) any {
	if p == nil {
		return "nil"
	}
	return *p
}
