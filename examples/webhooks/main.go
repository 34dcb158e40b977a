// Command webhooks receives the webhooks of Qualifio, Yotpo and Influence.io
// and prints each event's normalized view.
//
//	go run ./examples/webhooks
//
// Routes: POST /webhooks/qualifio, /webhooks/yotpo, /webhooks/influenceio
// (register the last one with ?token=<INFLUENCEIO_WEBHOOK_TOKEN>, as
// webhook.InfluenceIOWebhookURL builds it). Secrets come from the
// environment. Built-in development secrets stand in for missing ones only
// when ADDR (default localhost:8080) is a loopback address; on any other
// address the server refuses to start until every secret is set.
//
// It de-duplicates in memory, for one process. Several replicas behind a
// load balancer share one store instead: see the redisstore module.
package main

import (
	"context"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"os"
	"strings"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty/webhook"
)

// config holds the webhook secrets of the three platforms.
type config struct {
	QualifioHeader, QualifioHeaderValue, QualifioSecret string
	YotpoToken                                          string
	InfluenceIOToken                                    string // Influence.io signs nothing: the URL token is all
}

// devConfig reads the secrets from the environment, with development defaults.
func devConfig() config {
	env := func(name, dev string) string {
		if v := os.Getenv(name); v != "" {
			return v
		}
		return dev
	}
	return config{
		QualifioHeader:      env("QUALIFIO_WEBHOOK_HEADER", "X-Loyalty-Webhook"),
		QualifioHeaderValue: env("QUALIFIO_WEBHOOK_HEADER_VALUE", "dev-qualifio-header-value"),
		QualifioSecret:      env("QUALIFIO_WEBHOOK_SECRET", "dev-qualifio-secret"),
		YotpoToken:          env("YOTPO_WEBHOOK_TOKEN", "dev-yotpo-token"),
		InfluenceIOToken:    env("INFLUENCEIO_WEBHOOK_TOKEN", "dev-influenceio-token"),
	}
}

// secretEnv lists the environment variables of the secrets.
var secretEnv = []string{
	"QUALIFIO_WEBHOOK_HEADER", "QUALIFIO_WEBHOOK_HEADER_VALUE", "QUALIFIO_WEBHOOK_SECRET",
	"YOTPO_WEBHOOK_TOKEN", "INFLUENCEIO_WEBHOOK_TOKEN",
}

// loadConfig is devConfig for a server listening on addr: the development
// defaults are public, so they are allowed only on a loopback address.
func loadConfig(addr string) (config, error) {
	if !isLoopback(addr) {
		var missing []string
		for _, name := range secretEnv {
			if os.Getenv(name) == "" {
				missing = append(missing, name)
			}
		}
		if len(missing) > 0 {
			return config{}, fmt.Errorf("refusing to listen on %q with built-in development secrets: it is not a loopback address; set %s (or listen on localhost)", addr, strings.Join(missing, ", "))
		}
	}
	return devConfig(), nil
}

// isLoopback reports whether addr (host:port) listens on loopback only. An
// empty host (":8080") listens on every interface.
func isLoopback(addr string) bool {
	host, _, err := net.SplitHostPort(addr)
	if err != nil {
		return false
	}
	if strings.EqualFold(host, "localhost") {
		return true
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// newHandler routes each platform's deliveries to its receiver and prints
// every new event to out, one line each.
func newHandler(cfg config, out io.Writer, logger *log.Logger) (http.Handler, error) {
	q, err := webhook.NewQualifio(webhook.QualifioConfig{
		HeaderName: cfg.QualifioHeader, HeaderValues: []string{cfg.QualifioHeaderValue},
		SigningSecrets: []string{cfg.QualifioSecret},
	})
	if err != nil {
		return nil, err
	}
	y, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{cfg.YotpoToken}})
	if err != nil {
		return nil, err
	}
	in, err := webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{cfg.InfluenceIOToken}})
	if err != nil {
		return nil, err
	}
	var mu sync.Mutex // deliveries arrive concurrently
	printEvent := func(_ context.Context, ev webhook.Event) error {
		mu.Lock()
		defer mu.Unlock()
		_, err := fmt.Fprintln(out, describe(ev))
		return err
	}
	opts := webhook.HandlerOptions{OnError: func(r *http.Request, err error) {
		logger.Printf("%s %s: %v", r.Method, r.URL.Path, err) // errors never hold secrets; the URL query would
	}}
	mux := http.NewServeMux()
	mux.Handle("/webhooks/qualifio", q.Handler(printEvent, opts))
	mux.Handle("/webhooks/yotpo", y.Handler(printEvent, opts))
	mux.Handle("/webhooks/influenceio", in.Handler(printEvent, opts))
	return mux, nil
}

// describe formats the normalized view of ev on one line.
func describe(ev webhook.Event) string {
	s := fmt.Sprintf("%s %s kind=%s topic=%s customer=%s/%s", ev.Platform, ev.ID, ev.Kind, ev.Topic, ev.CustomerEmail, ev.CustomerID)
	if ev.PointsDelta != nil {
		s += fmt.Sprintf(" delta=%+g", *ev.PointsDelta)
	}
	if ev.PointsBalance != nil {
		s += fmt.Sprintf(" balance=%g", *ev.PointsBalance)
	}
	if !ev.OccurredAt.IsZero() {
		s += " at=" + ev.OccurredAt.UTC().Format(time.RFC3339)
	}
	return s
}

func main() {
	addr := os.Getenv("ADDR")
	if addr == "" {
		addr = "localhost:8080"
	}
	logger := log.New(os.Stderr, "webhooks: ", log.LstdFlags)
	cfg, err := loadConfig(addr)
	if err != nil {
		logger.Fatal(err)
	}
	h, err := newHandler(cfg, os.Stdout, logger)
	if err != nil {
		logger.Fatal(err)
	}
	srv := newServer(addr, h)
	logger.Printf("listening on http://%s/webhooks/{qualifio,yotpo,influenceio}", addr)
	logger.Fatal(srv.ListenAndServe())
}

// newServer bounds every phase of a connection, as the webhook package
// documentation advises: a slow sender cannot hold a connection open.
func newServer(addr string, h http.Handler) *http.Server {
	return &http.Server{
		Addr:              addr,
		Handler:           h,
		ReadHeaderTimeout: 5 * time.Second,
		ReadTimeout:       15 * time.Second,
		WriteTimeout:      30 * time.Second,
		IdleTimeout:       2 * time.Minute,
	}
}
