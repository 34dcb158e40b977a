package transport

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"sync/atomic"
	"time"
)

type attemptsKey struct{}

// WithAttempts returns ctx carrying a counter of the attempts made for one
// call, and the counter.
func WithAttempts(ctx context.Context) (context.Context, *atomic.Int32) {
	n := new(atomic.Int32)
	return context.WithValue(ctx, attemptsKey{}, n), n
}

// Logging counts attempts and, when Logger is set, logs each one: platform,
// method, path, status or error, attempt, duration. It never logs a header,
// the query string (it can hold Yotpo's api_key) or a body.
type Logging struct {
	Base     http.RoundTripper
	Logger   *slog.Logger
	Platform string
}

// RoundTrip implements http.RoundTripper.
func (l *Logging) RoundTrip(req *http.Request) (*http.Response, error) {
	attempt := 1
	if n, ok := req.Context().Value(attemptsKey{}).(*atomic.Int32); ok {
		attempt = int(n.Add(1))
	}
	if l.Logger == nil {
		return l.Base.RoundTrip(req)
	}
	start := time.Now()
	resp, err := l.Base.RoundTrip(req)
	attrs := []slog.Attr{
		slog.String("platform", l.Platform),
		slog.String("method", req.Method),
		slog.String("path", req.URL.Path),
		slog.Int("attempt", attempt),
		slog.Duration("duration", time.Since(start)),
	}
	ctx := req.Context()
	switch {
	case err != nil:
		var perm *Permanent
		if errors.As(err, &perm) {
			// Could hold an OAuth error body; say only that nothing was sent.
			attrs = append(attrs, slog.String("error", "not sent"))
		} else {
			attrs = append(attrs, slog.String("error", err.Error()))
		}
		l.Logger.LogAttrs(ctx, slog.LevelWarn, "loyalty: request failed", attrs...)
	case resp.StatusCode >= 400:
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		l.Logger.LogAttrs(ctx, slog.LevelWarn, "loyalty: request", attrs...)
	default:
		attrs = append(attrs, slog.Int("status", resp.StatusCode))
		l.Logger.LogAttrs(ctx, slog.LevelDebug, "loyalty: request", attrs...)
	}
	return resp, err
}
