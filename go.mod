module github.com/loyalty-go/loyalty

go 1.23.0

require (
	github.com/google/go-querystring v1.2.0
	github.com/stretchr/testify v1.12.1
	go.uber.org/goleak v1.3.0
	golang.org/x/oauth2 v0.30.0
	golang.org/x/text v0.26.0
	golang.org/x/time v0.12.0
)

require go.yaml.in/yaml/v3 v3.0.5 // indirect
