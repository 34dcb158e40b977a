package main

import (
	"bytes"
	"log"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/webhook"
)

func fixture(t *testing.T, platform, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "testdata", "webhooks", platform, name+".json"))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

func TestServerReceivesAllThreePlatforms(t *testing.T) {
	cfg := config{
		QualifioHeader: "X-Loyalty-Webhook", QualifioHeaderValue: "hv-S3CRET", QualifioSecret: "qs-S3CRET",
		YotpoToken: "yt-S3CRET", InfluenceIOToken: "it-S3CRET",
	}
	var out, logs bytes.Buffer
	h, err := newHandler(cfg, &out, log.New(&logs, "", 0))
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(h)
	defer srv.Close()

	send := func(r *http.Request, err error) int {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		resp, err := srv.Client().Do(r)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp.StatusCode
	}
	qs := webhook.QualifioSigner{HeaderName: "X-Loyalty-Webhook", HeaderValue: "hv-S3CRET", Secret: "qs-S3CRET"}
	ys := webhook.YotpoSigner{Token: "yt-S3CRET", Bearer: true}
	is := webhook.InfluenceIOSigner{Token: "it-S3CRET"}
	deliveries := []struct {
		name string
		code int
		send func() int
	}{
		{"qualifio", 200, func() int {
			return send(qs.NewRequest(srv.URL+"/webhooks/qualifio", fixture(t, "qualifio", "points.burned")))
		}},
		{"yotpo", 200, func() int {
			return send(ys.NewRequest(srv.URL+"/webhooks/yotpo", "msg-1", fixture(t, "yotpo", "swell_points_earned")))
		}},
		{"yotpo duplicate", 200, func() int {
			return send(ys.NewRequest(srv.URL+"/webhooks/yotpo", "msg-1", fixture(t, "yotpo", "swell_points_earned")))
		}},
		{"influenceio", 200, func() int {
			return send(is.NewRequest(srv.URL+"/webhooks/influenceio", "points/redeemed", "wh-1", fixture(t, "influenceio", "points_redeemed")))
		}},
		{"influenceio without token", 401, func() int {
			return send(webhook.InfluenceIOSigner{}.NewRequest(srv.URL+"/webhooks/influenceio", "points/redeemed", "wh-2", fixture(t, "influenceio", "points_redeemed")))
		}},
		{"yotpo to the qualifio route", 401, func() int {
			return send(ys.NewRequest(srv.URL+"/webhooks/qualifio", "msg-2", fixture(t, "yotpo", "swell_points_earned")))
		}},
	}
	for _, d := range deliveries {
		if code := d.send(); code != d.code {
			t.Errorf("%s: %d; want %d", d.name, code, d.code)
		}
	}
	want := strings.Join([]string{
		"qualifio 3e9c8db1-4f50-4172-8d3e-4f5a6b7c8d93 kind=points_redeemed topic=points.burned customer=ana@example.com/C-1042 delta=-200 balance=150 at=2024-05-02T08:00:00Z",
		"yotpo msg-1 kind=points_earned topic=swell/points/earned customer=ana@example.com/C-1042 delta=+50 balance=350 at=2024-05-01T12:30:05Z",
		"influenceio wh-1 kind=points_redeemed topic=points/redeemed customer=ana@example.com/C-1042 delta=-500 balance=150",
	}, "\n") + "\n"
	if out.String() != want {
		t.Errorf("printed:\n%s\nwant:\n%s", out.String(), want)
	}
	if strings.Contains(logs.String(), "S3CRET") {
		t.Errorf("log holds a secret: %s", logs.String())
	}
	if strings.Count(logs.String(), "\n") != 2 {
		t.Errorf("logs: %s", logs.String())
	}
}

func TestDevConfigReadsEnv(t *testing.T) {
	t.Setenv("YOTPO_WEBHOOK_TOKEN", "from-env")
	if cfg := devConfig(); cfg.YotpoToken != "from-env" || cfg.QualifioSecret != "dev-qualifio-secret" {
		t.Errorf("%+v", cfg)
	}
}

// The built-in development secrets are public: they stand in for missing
// ones only on a loopback address.
func TestLoadConfigDevSecretsOnlyOnLoopback(t *testing.T) {
	for _, name := range secretEnv {
		t.Setenv(name, "")
	}
	for _, addr := range []string{"localhost:8080", "127.0.0.1:8080", "[::1]:9000", "127.0.0.2:80", "LOCALHOST:1"} {
		if cfg, err := loadConfig(addr); err != nil || cfg.YotpoToken != "dev-yotpo-token" {
			t.Errorf("%s: %+v, %v; want the development defaults", addr, cfg, err)
		}
	}
	for _, addr := range []string{":8080", "0.0.0.0:8080", "[::]:8080", "192.168.1.5:8080", "example.com:443", "localhost", ""} {
		_, err := loadConfig(addr)
		if err == nil || !strings.Contains(err.Error(), "YOTPO_WEBHOOK_TOKEN") || !strings.Contains(err.Error(), "loopback") {
			t.Errorf("%s: %v; want a refusal naming the missing variables", addr, err)
		}
	}
	// With every secret set, any address is fine, and the values are used.
	for _, name := range secretEnv {
		t.Setenv(name, "set-"+name)
	}
	t.Setenv("QUALIFIO_WEBHOOK_HEADER", "X-Shop-Auth")
	cfg, err := loadConfig(":8080")
	if err != nil || cfg.YotpoToken != "set-YOTPO_WEBHOOK_TOKEN" || cfg.QualifioHeader != "X-Shop-Auth" {
		t.Errorf("all set: %+v, %v", cfg, err)
	}
	// One missing is enough to refuse.
	t.Setenv("INFLUENCEIO_WEBHOOK_TOKEN", "")
	if _, err := loadConfig("0.0.0.0:8080"); err == nil || !strings.Contains(err.Error(), "INFLUENCEIO_WEBHOOK_TOKEN") || strings.Contains(err.Error(), "set-") {
		t.Errorf("one missing: %v", err)
	}
}

// Every phase of a connection has a timeout, so a sender that trickles its
// body cannot hold a connection open.
func TestServerBoundsEveryPhase(t *testing.T) {
	srv := newServer("127.0.0.1:0", http.NotFoundHandler())
	if srv.ReadHeaderTimeout <= 0 || srv.ReadTimeout <= 0 || srv.WriteTimeout <= 0 || srv.IdleTimeout <= 0 {
		t.Fatalf("a server timeout is unset: %+v", srv)
	}
}
