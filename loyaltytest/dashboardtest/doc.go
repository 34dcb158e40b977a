// Package dashboardtest tests the loyaltytest dashboard in a real headless
// Chromium, driven by chromedp. It is a module of its own so that the
// loyalty module does not depend on chromedp; it holds tests only.
//
//	cd loyaltytest/dashboardtest && go test ./...
//
// Without a chromium binary the test skips, unless the environment sets
// CI, where it fails. DASHBOARD_SCREENSHOT=path saves a screenshot of the
// dashboard with state on it (the README's, docs/dashboard.png).
package dashboardtest
