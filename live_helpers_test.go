//go:build live

package loyalty_test

import (
	"os"
	"strings"
	"testing"
)

// liveEnv returns the values of the environment variables a live contract
// test needs, skipping the test with a message naming the missing ones.
// Run against a real account, or against `go run ./cmd/loyaltyfake`, whose
// banner prints the variables to export.
func liveEnv(t *testing.T, names ...string) map[string]string {
	t.Helper()
	env := map[string]string{}
	var missing []string
	for _, n := range names {
		v := os.Getenv(n)
		if v == "" {
			missing = append(missing, n)
		}
		env[n] = v
	}
	if len(missing) > 0 {
		t.Skipf("live contract test skipped: set %s (a real account, or the values `go run ./cmd/loyaltyfake` prints)", strings.Join(missing, ", "))
	}
	return env
}

// liveOptional returns an optional variable's value, "" when unset.
func liveOptional(name string) string { return os.Getenv(name) }
