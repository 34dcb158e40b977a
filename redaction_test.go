package loyalty_test

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/oauth2"
	"golang.org/x/time/rate"

	"github.com/loyalty-go/loyalty"
)

// echoServer answers every call 401 with a body that quotes the request
// back, headers, URL and form included, under every key a platform's error
// message is read from: the worst an echoing platform or proxy can do. Its
// token endpoint (/token) hands out accessToken, or echoes the form too
// when accessToken is empty.
func echoServer(t *testing.T, accessToken string) *httptest.Server {
	t.Helper()
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		w.Header().Set("Content-Type", "application/json")
		if r.URL.Path == "/token" && accessToken != "" {
			fmt.Fprintf(w, `{"access_token":%q,"token_type":"Bearer","expires_in":3600}`, accessToken)
			return
		}
		var echo strings.Builder
		fmt.Fprintf(&echo, "refused %s %s", r.Method, r.URL.RequestURI())
		for k, vs := range r.Header {
			fmt.Fprintf(&echo, " %s=%s", k, strings.Join(vs, ","))
		}
		fmt.Fprintf(&echo, " body=%s", body)
		e := echo.String()
		w.WriteHeader(http.StatusUnauthorized)
		_ = json.NewEncoder(w).Encode(map[string]any{
			"error_message": e, "message": e, "error": e, "error_description": e, "errors": []string{e},
		})
	}))
	t.Cleanup(srv.Close)
	return srv
}

// A 401 that echoes the credentials the call carried puts none of them in
// the error: not in its text, its Message, Code or Body, nor in any fmt
// verb of the error or of the *Error behind it. The secrets hold '/', '+'
// and '<' so that their escaped forms (query, JSON) are tried too.
func TestEchoedCredentialsAreRedactedFromErrors(t *testing.T) {
	ctx := context.Background()
	rawGet := func(p loyalty.Platform) func(*loyalty.Client) error {
		return func(c *loyalty.Client) error {
			req, err := c.NewRequest(p, http.MethodGet, "/echo", nil)
			if err != nil {
				return err
			}
			_, err = c.Do(ctx, req, nil)
			return err
		}
	}
	mapped := func(auth loyalty.MappedAuth) func(*loyalty.Client) error {
		return func(c *loyalty.Client) error {
			_, _, err := c.Events.SendMapped(ctx, "integration-1", []byte(`{"a":1}`), auth)
			return err
		}
	}
	const secret = "S3CR3T/k+y<x>"
	cases := []struct {
		name  string
		token string // the Qualifio access token the token endpoint hands out; "" echoes
		opt   func(url string) loyalty.Option
		call  func(*loyalty.Client) error
	}{
		{"Qualifio OAuth access token", secret, func(u string) loyalty.Option {
			return loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: "other-secret", BaseURL: u + "/api", TokenURL: u + "/token"})
		}, rawGet(loyalty.Qualifio)},
		{"Qualifio client secret at the token endpoint", "", func(u string) loyalty.Option {
			return loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: secret, BaseURL: u + "/api", TokenURL: u + "/token"})
		}, rawGet(loyalty.Qualifio)},
		{"Qualifio mapped-event header secret", "tok", func(u string) loyalty.Option {
			return loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: "other-secret", BaseURL: u + "/api", TokenURL: u + "/token"})
		}, mapped(loyalty.MappedHeader("X-Authorization", secret))},
		{"Qualifio mapped-event query secret", "tok", func(u string) loyalty.Option {
			return loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: "cid", ClientSecret: "other-secret", BaseURL: u + "/api", TokenURL: u + "/token"})
		}, mapped(loyalty.MappedQuery("token", secret))},
		{"Yotpo API key in headers", "", func(u string) loyalty.Option {
			return loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "guid-1", APIKey: secret, BaseURL: u, RateLimit: rate.Inf})
		}, rawGet(loyalty.Yotpo)},
		{"Yotpo API key in the query", "", func(u string) loyalty.Option {
			return loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "guid-1", APIKey: secret, BaseURL: u, RateLimit: rate.Inf, QueryAuth: true})
		}, rawGet(loyalty.Yotpo)},
		{"Influence.io API key", "", func(u string) loyalty.Option {
			return loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: secret, BaseURL: u})
		}, rawGet(loyalty.InfluenceIO)},
		{"Monterosa Client bearer token", "", func(u string) loyalty.Option {
			return loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: u, TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secret})})
		}, func(c *loyalty.Client) error { _, _, err := c.Rewards.Profile(ctx); return err }},
		{"Monterosa ForUser token", "", func(u string) loyalty.Option {
			return loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: u})
		}, func(c *loyalty.Client) error { _, _, err := c.Rewards.ForUser(secret).Profile(ctx); return err }},
		{"Monterosa ForUserTokenSource token", "", func(u string) loyalty.Option {
			return loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: u})
		}, func(c *loyalty.Client) error {
			_, _, err := c.Rewards.ForUserTokenSource(oauth2.StaticTokenSource(&oauth2.Token{AccessToken: secret})).Profile(ctx)
			return err
		}},
	}
	forms := []string{secret, "S3CR3T", "k+y", `\u003cx\u003e`, "S3CR3T%2F", "k%2By"}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			srv := echoServer(t, tc.token)
			c, err := loyalty.NewClient(tc.opt(srv.URL), loyalty.WithRetryPolicy(loyalty.NoRetry))
			require.NoError(t, err)
			err = tc.call(c)
			require.Error(t, err)
			assert.ErrorIs(t, err, loyalty.ErrUnauthorized, "the redacted error still matches")
			var e *loyalty.Error
			require.ErrorAs(t, err, &e)
			require.Contains(t, string(e.Body), "refused", "the platform echoed the request")
			assert.Contains(t, string(e.Body), "[REDACTED]", "the echo is there, redacted")
			texts := map[string]string{
				"Error()": err.Error(), "Message": e.Message, "Code": e.Code, "Body": string(e.Body),
				"%v": fmt.Sprintf("%v", err), "%+v": fmt.Sprintf("%+v", err), "%#v": fmt.Sprintf("%#v", err),
				"*Error %v": fmt.Sprintf("%v", e), "*Error %+v": fmt.Sprintf("%+v", e), "*Error %#v": fmt.Sprintf("%#v", *e),
			}
			for what, text := range texts {
				for _, f := range forms {
					assert.NotContains(t, text, f, "%s shows the secret", what)
				}
			}
		})
	}
}
