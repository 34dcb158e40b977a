package main

import (
	"bufio"
	"context"
	"errors"
	"io"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"time"

	"github.com/loyalty-go/loyalty/internal/contract"
)

func TestRunServesAndStops(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-addr", "127.0.0.1:0"}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatal("no banner")
	}
	base := regexp.MustCompile(`http://127\.0\.0\.1:\d+`).FindString(lines.Text())
	if base == "" {
		t.Fatalf("banner %q", lines.Text())
	}
	// The program prints nothing after its banner, so read it in the
	// background and stop at the wanted lines or a deadline, never
	// blocking on a line that will not come.
	wants := []string{base + "/_fake/api/", "seeded with: demo", base + contract.QualifioBasePath, base + contract.QualifioTokenPath, base + contract.YotpoBasePath, "X-API-KEY", "Bearer", "export QUALIFIO_CLIENT_ID=", "export MONTEROSA_TOKEN=", "export MONTEROSA_SERVICE_TOKEN=", "export MONTEROSA_USER_ID=", "export QUALIFIO_MAPPED_ID=shop-header", "export QUALIFIO_MAPPED_AUTH=header:X-Shop-Token"}
	more := make(chan string)
	go func() {
		for lines.Scan() {
			more <- lines.Text()
		}
		close(more)
	}()
	var banner strings.Builder
	hasAll := func() bool {
		for _, want := range wants {
			if !strings.Contains(banner.String(), want) {
				return false
			}
		}
		return true
	}
	deadline := time.After(10 * time.Second)
	for !hasAll() {
		select {
		case line, ok := <-more:
			if !ok {
				t.Fatalf("banner ended early:\n%s", banner.String())
			}
			banner.WriteString(line + "\n")
			continue
		case <-deadline:
		}
		break
	}
	for _, want := range wants {
		if !strings.Contains(banner.String(), want) {
			t.Errorf("banner lacks %q:\n%s", want, banner.String())
		}
	}
	go func() { // keep the pipe drained so that run never blocks writing
		for range more {
		}
	}()

	// Yotpo is rate limited by default: the headers are there.
	req, _ := http.NewRequest(http.MethodGet, base+contract.YotpoBasePath+contract.YotpoPathCampaigns, nil)
	req.Header.Set(contract.YotpoHeaderGUID, "g")
	req.Header.Set(contract.YotpoHeaderAPIKey, "k")
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if resp.StatusCode != http.StatusOK || resp.Header.Get(contract.YotpoHeaderRateLimit) == "" {
		t.Fatalf("yotpo: %d %v", resp.StatusCode, resp.Header)
	}

	cancel()
	go io.Copy(io.Discard, pr) //nolint:errcheck // drain the shutdown line
	select {
	case err := <-errc:
		if err != nil {
			t.Fatal(err)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("run did not return after cancel")
	}
	if _, err := http.Get(base + contract.MonterosaPathConfig); err == nil {
		t.Fatal("still serving after shutdown")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	if err := run(context.Background(), []string{"-nope"}, io.Discard, io.Discard); err == nil {
		t.Fatal("unknown flag accepted")
	}
	if err := run(context.Background(), []string{"-addr", "127.0.0.1:99999"}, io.Discard, io.Discard); err == nil {
		t.Fatal("bad address accepted")
	}
	// A cap that is no cap is a usage error, reported before listening (it
	// used to make every request panic).
	done, cancel := context.WithCancel(context.Background())
	cancel() // were the flag accepted, run would serve and return at once
	for _, flag := range []string{"-max-body", "-record-bytes"} {
		for _, n := range []string{"-1", "0"} {
			var stderr strings.Builder
			err := run(done, []string{"-addr", "127.0.0.1:0", flag, n}, io.Discard, &stderr)
			if !errors.Is(err, errUsage) || !strings.Contains(err.Error(), flag) || !strings.Contains(stderr.String(), "Usage") {
				t.Errorf("%s %s: %v; stderr %q", flag, n, err, stderr.String())
			}
		}
	}
}

// TestBannerURLIsDialable checks that an address with no host (":port",
// all interfaces) is announced as a URL a client can dial, with the real
// port, rather than http://[::]:port.
func TestBannerURLIsDialable(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	pr, pw := io.Pipe()
	errc := make(chan error, 1)
	go func() {
		errc <- run(ctx, []string{"-addr", ":0", "-ratelimit=false"}, pw, io.Discard)
		pw.Close()
	}()
	lines := bufio.NewScanner(pr)
	if !lines.Scan() {
		t.Fatal("no banner")
	}
	first := lines.Text()
	base := regexp.MustCompile(`http://127\.0\.0\.1:([1-9]\d*)`).FindString(first)
	if base == "" || strings.Contains(first, "[::]") || strings.Contains(first, "0.0.0.0") {
		t.Fatalf("banner %q", first)
	}
	var rest strings.Builder
	for i := 0; i < 21 && lines.Scan(); i++ {
		rest.WriteString(lines.Text() + "\n")
	}
	if !strings.Contains(rest.String(), base+contract.YotpoBasePath) || strings.Contains(rest.String(), "[::]") {
		t.Errorf("platform URLs not dialable:\n%s", rest.String())
	}
	resp, err := http.Get(base + contract.MonterosaPathConfig)
	if err != nil {
		t.Fatalf("dialing the announced URL: %v", err)
	}
	resp.Body.Close()
	cancel()
	go io.Copy(io.Discard, pr) //nolint:errcheck // drain the shutdown line
	if err := <-errc; err != nil {
		t.Fatal(err)
	}
}
