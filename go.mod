module github.com/loyalty-go/loyalty

go 1.23.0

require (
	golang.org/x/oauth2 v0.30.0
	golang.org/x/time v0.12.0
)
