module github.com/loyalty-go/loyalty/bench

go 1.23.0

replace github.com/loyalty-go/loyalty => ../

require (
	github.com/loyalty-go/loyalty v0.0.0-00010101000000-000000000000
	github.com/standard-webhooks/standard-webhooks/libraries v1.3.0
	github.com/stripe/stripe-go/v82 v82.5.1
	golang.org/x/time v0.12.0
)

require (
	github.com/google/go-querystring v1.2.0 // indirect
	golang.org/x/oauth2 v0.30.0 // indirect
	golang.org/x/text v0.26.0 // indirect
)
