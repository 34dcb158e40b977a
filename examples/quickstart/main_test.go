package main

import (
	"net/http"
	"strings"
	"testing"

	"github.com/loyalty-go/loyalty/loyaltytest"
)

func TestTourAgainstTheFake(t *testing.T) {
	var out strings.Builder
	if err := run(&out, func(string) string { return "" }); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, want := range []string{
		"qualifio: member ana@example.com (C-1042) enrolled\n",
		"qualifio: ana@example.com has 49.9 points\n",
		"yotpo: redeemed \"5.00 off\" for 500 points, coupon issued: true\n",
		"yotpo: ana@example.com has 150 points (650 earned), tier Silver\n",
		"yotpo:   history +650 Points for purchases\nyotpo:   history -500 Redeemed 5.00 off\n",
		"influenceio: order O-90001 of 80.00 EUR paid, points awarded: true\ninfluenceio: bo@example.com has 80 points\n",
		"influenceio: order O-90001 refunded, bo@example.com has 0 points\n",
		"influenceio: product P-7 \"Tee\" at 19.99 EUR\n",
		"influenceio: 7 webhook subscriptions\n",
		"monterosa: ana did vote+share: 100 points, welcome done true\n",
		"monterosa:   ana notification challengeCompleted welcome\n",
		"monterosa: bo did vote: 0 points, welcome done false\n",
		"webhooks received:\n  qualifio customer_updated (profile.created)",
		"  qualifio points_earned (points.earned) customer=ana@example.com/C-1042 delta=+49.9 balance=49.9\n",
		"  yotpo tier_changed (swell/tier/earned) customer=ana@example.com/C-1042\n",
		"  yotpo points_redeemed (swell/redemption/created) customer=ana@example.com/C-1042 delta=-500 balance=150\n",
		"  influenceio points_earned (points/earned) customer=bo@example.com/C-2077 delta=+80 balance=80\n",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}

func TestTourFailsOnAFailedStep(t *testing.T) {
	var out strings.Builder
	err := tour(&out, loyaltytest.Fault{Path: "/api/v2/orders", Status: http.StatusBadRequest})
	if err == nil || !strings.HasPrefix(err.Error(), "yotpo: order: ") || !strings.Contains(err.Error(), "400") {
		t.Errorf("err = %v", err)
	}
	if strings.Contains(out.String(), "monterosa") {
		t.Errorf("the tour went on after the failed step:\n%s", out.String())
	}
}

// The credential mode, pointed at the fake through the live-test variables:
// every platform answers OK and nothing but reads (and Qualifio's token
// request) reached it.
func TestCheckIsReadOnly(t *testing.T) {
	srv := loyaltytest.New(t)
	q, y, i, m := srv.QualifioConfig(), srv.YotpoConfig(), srv.InfluenceIOConfig(), srv.MonterosaConfig()
	env := map[string]string{
		"QUALIFIO_CLIENT_ID": q.ClientID, "QUALIFIO_CLIENT_SECRET": q.ClientSecret,
		"QUALIFIO_BASE_URL": q.BaseURL, "QUALIFIO_TOKEN_URL": q.TokenURL,
		"YOTPO_GUID": y.GUID, "YOTPO_API_KEY": y.APIKey, "YOTPO_BASE_URL": y.BaseURL,
		"INFLUENCEIO_API_KEY": i.APIKey, "INFLUENCEIO_BASE_URL": i.BaseURL,
		"MONTEROSA_SPACE_URL": m.BaseURL, "MONTEROSA_TOKEN": "fan-42",
	}
	var out strings.Builder
	if err := run(&out, func(k string) string { return env[k] }); err != nil {
		t.Fatalf("%v\n%s", err, out.String())
	}
	for _, p := range []string{"qualifio", "yotpo", "influenceio", "monterosa"} {
		if !strings.Contains(out.String(), p+strings.Repeat(" ", 12-len(p))+" OK\n") {
			t.Errorf("no OK for %s:\n%s", p, out.String())
		}
	}
	seen := map[string]bool{}
	for _, r := range srv.Requests() {
		seen[string(r.Platform)] = true
		if r.Method != http.MethodGet && !(r.Method == http.MethodPost && strings.HasSuffix(r.Path, "/token")) {
			t.Errorf("write request %s %s reached the platform", r.Method, r.Path)
		}
	}
	if len(seen) != 4 {
		t.Errorf("requests reached %v, want all four platforms", seen)
	}
	for _, secret := range []string{q.ClientSecret, y.APIKey, i.APIKey} {
		if strings.Contains(out.String(), secret) {
			t.Errorf("output holds a secret:\n%s", out.String())
		}
	}
}

func TestCheckReportsEachFailure(t *testing.T) {
	srv := loyaltytest.New(t, loyaltytest.WithInfluenceIOAPIKey("right-key"))
	env := map[string]string{
		"YOTPO_GUID":          "g", // no API key
		"INFLUENCEIO_API_KEY": "wrong-key", "INFLUENCEIO_BASE_URL": srv.InfluenceIOConfig().BaseURL,
	}
	var out strings.Builder
	err := run(&out, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "2 platform(s) failed") {
		t.Errorf("err = %v", err)
	}
	for _, want := range []string{"yotpo        error: YOTPO_API_KEY is not set (the yotpo check needs YOTPO_GUID and YOTPO_API_KEY)", "influenceio  error: ", "401"} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
	if strings.Contains(out.String(), "wrong-key") || strings.Contains(out.String(), "qualifio") {
		t.Errorf("output:\n%s", out.String())
	}
}
