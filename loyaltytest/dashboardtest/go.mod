module github.com/loyalty-go/loyalty/loyaltytest/dashboardtest

go 1.25

require (
	github.com/chromedp/chromedp v0.23.1
	github.com/loyalty-go/loyalty v0.0.0
)

require (
	github.com/chromedp/cdproto v0.160.1 // indirect
	github.com/go-json-experiment/json v0.0.0-20260213210345-44df1a37e875 // indirect
	github.com/google/go-querystring v1.2.0 // indirect
	golang.org/x/oauth2 v0.30.0 // indirect
	golang.org/x/text v0.26.0 // indirect
	golang.org/x/time v0.12.0 // indirect
)

replace github.com/loyalty-go/loyalty => ../..
