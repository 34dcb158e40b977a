package loyalty_test

import (
	"context"
	"math"
	"net/http"
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

func TestNewClientValidation(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "jwt"})
	yotpo := loyalty.YotpoConfig{GUID: "g", APIKey: "k"}
	for _, tc := range []struct {
		name string
		opts []loyalty.Option
		want string // the error must name the option and the problem
	}{
		{"no platform", nil, "NewClient: no platform configured"},
		{"yotpo without GUID", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{APIKey: "k"})}, "WithYotpo: GUID is required"},
		{"yotpo without key", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g"})}, "WithYotpo: APIKey is required"},
		{"yotpo malformed URL", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: "loyalty.yotpo.com/api/v2"})}, "WithYotpo: BaseURL must be an absolute http(s) URL"},
		{"yotpo plain http", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: "http://loyalty.yotpo.com/api/v2"})}, "WithYotpo: BaseURL must use https"},
		{"yotpo URL with query", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", BaseURL: "https://loyalty.yotpo.com/api/v2?api_key=x"})}, "WithYotpo: BaseURL must not carry a query"},
		{"yotpo negative rate", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", RateLimit: -1})}, "WithYotpo: RateLimit and Burst must not be negative"},
		{"yotpo NaN rate", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", RateLimit: rate.Limit(math.NaN())})}, "WithYotpo: RateLimit and Burst must not be negative"},
		{"yotpo limiter admitting nothing", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", Limiter: loyalty.NewRateLimiter(0, 1)})}, "WithYotpo: Limiter's rate must be positive"},
		{"yotpo rate.Limiter admitting nothing", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", Limiter: rate.NewLimiter(0, 5)})}, "WithYotpo: Limiter's rate must be positive"},
		{"yotpo limiter and rate", []loyalty.Option{loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k", RateLimit: 5, Limiter: loyalty.NewRateLimiter(5, 1)})}, "WithYotpo: set either Limiter or RateLimit and Burst, not both"},
		{"qualifio without id", []loyalty.Option{loyalty.WithQualifio(loyalty.QualifioConfig{ClientSecret: "s"})}, "WithQualifio: ClientID is required"},
		{"qualifio without secret", []loyalty.Option{loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "c"})}, "WithQualifio: ClientSecret is required"},
		{"qualifio bad token URL", []loyalty.Option{loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "c", ClientSecret: "s", TokenURL: "ftp://auth"})}, "WithQualifio: TokenURL must be an absolute http(s) URL"},
		{"influenceio without key", []loyalty.Option{loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{})}, "WithInfluenceIO: APIKey is required"},
		{"influenceio plain http", []loyalty.Option{loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k", BaseURL: "http://10.0.0.1"})}, "WithInfluenceIO: BaseURL must use https"},
		{"monterosa without URL", []loyalty.Option{loyalty.WithMonterosa(loyalty.MonterosaConfig{TokenSource: ts})}, "WithMonterosa: BaseURL (the space domain) is required"},
		{"monterosa service token without token source", []loyalty.Option{loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: "https://fans.example.com", ServiceToken: true})}, "WithMonterosa: ServiceToken says TokenSource gives a service token, but TokenSource is nil"},
		{"two commerce platforms", []loyalty.Option{loyalty.WithYotpo(yotpo), loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: "k"})}, "WithYotpo and WithInfluenceIO"},
		{"nil http client", []loyalty.Option{loyalty.WithYotpo(yotpo), loyalty.WithHTTPClient(nil)}, "WithHTTPClient: nil"},
		{"nil logger", []loyalty.Option{loyalty.WithYotpo(yotpo), loyalty.WithLogger(nil)}, "WithLogger: nil"},
		{"empty user agent", []loyalty.Option{loyalty.WithYotpo(yotpo), loyalty.WithUserAgent(" ")}, "WithUserAgent: empty"},
		{"negative retries", []loyalty.Option{loyalty.WithYotpo(yotpo), loyalty.WithRetryPolicy(loyalty.RetryPolicy{MaxRetries: -1})}, "WithRetryPolicy:"},
		{"max wait below min", []loyalty.Option{loyalty.WithYotpo(yotpo), loyalty.WithRetryPolicy(loyalty.RetryPolicy{MinWait: 2, MaxWait: 1})}, "WithRetryPolicy:"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, err := loyalty.NewClient(tc.opts...)
			assert.Nil(t, c)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestNewClientAcceptsLoopbackHTTPAndDefaults(t *testing.T) {
	ts := oauth2.StaticTokenSource(&oauth2.Token{AccessToken: "jwt"})
	for _, base := range []string{"http://127.0.0.1:8080", "http://localhost:1/x/", "http://[::1]:9"} {
		c, err := loyalty.NewClient(loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: base, TokenSource: ts}))
		require.NoError(t, err, base)
		assert.True(t, c.Configured(loyalty.Monterosa))
	}
	c, err := loyalty.NewClient(
		loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k"}),
		loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "c", ClientSecret: "s"}),
		loyalty.WithHTTPClient(http.DefaultClient),
	)
	require.NoError(t, err)
	assert.Equal(t, []loyalty.Platform{loyalty.Qualifio, loyalty.Yotpo}, c.Platforms())
}

func TestUserAgentNamesSDKRuntimeAndApp(t *testing.T) {
	sdk := "loyalty-go/" + loyalty.Version + " (" + runtime.Version() + "; " + runtime.GOOS + "/" + runtime.GOARCH + ")"
	for _, tc := range []struct {
		name string
		opts []loyalty.Option
		want string
	}{
		{"default", nil, sdk},
		{"app info", []loyalty.Option{loyalty.WithAppInfo("acme-sync", "1.4.2", "https://acme.example/sync")}, sdk + " acme-sync/1.4.2 (+https://acme.example/sync)"},
		{"app name only", []loyalty.Option{loyalty.WithAppInfo("acme-sync", "", "")}, sdk + " acme-sync"},
		{"own user agent, then app info", []loyalty.Option{loyalty.WithAppInfo("acme", "2", ""), loyalty.WithUserAgent("gateway/9")}, "gateway/9 acme/2"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			got := make(chan string, 1)
			c, _ := yotpoServer(t, func(w http.ResponseWriter, r *http.Request) {
				got <- r.Header.Get("User-Agent")
				_, _ = w.Write([]byte(`[]`))
			}, tc.opts...)
			_, err := c.Do(context.Background(), mustRequest(t, c, loyalty.Yotpo, http.MethodGet, "/vip_tiers"), nil)
			require.NoError(t, err)
			assert.Equal(t, tc.want, <-got)
		})
	}
}

func TestWithAppInfoRefusesBadTokens(t *testing.T) {
	yotpo := loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "g", APIKey: "k"})
	for _, tc := range []struct{ name, app, version, url, want string }{
		{"no name", " ", "1", "", "WithAppInfo: name is required"},
		{"line break in url", "acme", "1", "https://a.example/\r\nX-Evil: 1", "WithAppInfo: url holds a control character"},
		{"space in name", "acme sync", "1", "", "WithAppInfo: name and version must be User-Agent tokens"},
		{"slash in version", "acme", "1/2", "", "WithAppInfo: name and version must be User-Agent tokens"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := loyalty.NewClient(yotpo, loyalty.WithAppInfo(tc.app, tc.version, tc.url))
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}
