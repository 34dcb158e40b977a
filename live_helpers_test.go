//go:build live

package loyalty_test

import (
	"context"
	"log/slog"
	"os"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty"
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

// liveDecodeIssues fails t on every decode issue the Client logs (one per
// route, field and problem): a field of the real answer whose type the SDK
// guessed wrong, or a required field absent. Lists return no Response, so
// the log is where every call's issues meet; one run shows them all.
func liveDecodeIssues(t *testing.T) loyalty.Option {
	return loyalty.WithLogger(slog.New(decodeIssueHandler{t}))
}

type decodeIssueHandler struct{ t *testing.T }

func (h decodeIssueHandler) Enabled(_ context.Context, l slog.Level) bool { return l >= slog.LevelWarn }
func (h decodeIssueHandler) WithAttrs([]slog.Attr) slog.Handler           { return h }
func (h decodeIssueHandler) WithGroup(string) slog.Handler                { return h }
func (h decodeIssueHandler) Handle(_ context.Context, r slog.Record) error {
	if r.Level >= slog.LevelWarn && strings.Contains(r.Message, "not decoded") {
		var attrs []string
		r.Attrs(func(a slog.Attr) bool { attrs = append(attrs, a.String()); return true })
		h.t.Errorf("%s %s", r.Message, strings.Join(attrs, " "))
	}
	return nil
}
