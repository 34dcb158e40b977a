module github.com/loyalty-go/loyalty/redisstore

go 1.26.0

require (
	github.com/loyalty-go/loyalty v0.0.0
	github.com/redis/go-redis/v9 v9.23.0
	golang.org/x/time v0.12.0
)

require (
	github.com/cespare/xxhash/v2 v2.3.0 // indirect
	github.com/google/go-querystring v1.2.0 // indirect
	go.uber.org/atomic v1.12.0 // indirect
	golang.org/x/oauth2 v0.30.0 // indirect
	golang.org/x/sys v0.48.0 // indirect
	golang.org/x/text v0.26.0 // indirect
)

replace github.com/loyalty-go/loyalty => ../
