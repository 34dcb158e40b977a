// Command quickstart builds a loyalty-go Client from environment variables
// and prints which platforms it is configured for.
//
//	YOTPO_GUID, YOTPO_API_KEY                 Yotpo Loyalty & Referrals
//	INFLUENCEIO_API_KEY                       Influence.io (instead of Yotpo)
//	QUALIFIO_CLIENT_ID, QUALIFIO_CLIENT_SECRET Qualifio Loyalty
//	MONTEROSA_SPACE_URL, MONTEROSA_TOKEN      Monterosa Loyalty API
//
// With none set it uses placeholder Yotpo credentials, so that it runs
// anywhere; it sends no request.
package main

import (
	"fmt"
	"io"
	"os"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

func main() {
	if err := run(os.Stdout, os.Getenv); err != nil {
		fmt.Fprintln(os.Stderr, "quickstart:", err)
		os.Exit(1)
	}
}

func run(out io.Writer, env func(string) string) error {
	var opts []loyalty.Option
	if env("YOTPO_GUID") != "" || env("YOTPO_API_KEY") != "" {
		opts = append(opts, loyalty.WithYotpo(loyalty.YotpoConfig{GUID: env("YOTPO_GUID"), APIKey: env("YOTPO_API_KEY")}))
	}
	if env("INFLUENCEIO_API_KEY") != "" {
		opts = append(opts, loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: env("INFLUENCEIO_API_KEY")}))
	}
	if env("QUALIFIO_CLIENT_ID") != "" || env("QUALIFIO_CLIENT_SECRET") != "" {
		opts = append(opts, loyalty.WithQualifio(loyalty.QualifioConfig{ClientID: env("QUALIFIO_CLIENT_ID"), ClientSecret: env("QUALIFIO_CLIENT_SECRET")}))
	}
	if env("MONTEROSA_SPACE_URL") != "" {
		opts = append(opts, loyalty.WithMonterosa(loyalty.MonterosaConfig{
			BaseURL:     env("MONTEROSA_SPACE_URL"),
			TokenSource: oauth2.StaticTokenSource(&oauth2.Token{AccessToken: env("MONTEROSA_TOKEN")}),
		}))
	}
	if len(opts) == 0 {
		fmt.Fprintln(out, "no credentials in the environment; using placeholder Yotpo credentials")
		opts = append(opts, loyalty.WithYotpo(loyalty.YotpoConfig{GUID: "placeholder-guid", APIKey: "placeholder-key"}))
	}
	c, err := loyalty.NewClient(opts...)
	if err != nil {
		return err
	}
	for _, p := range c.Platforms() {
		fmt.Fprintf(out, "configured: %s\n", p)
	}
	return nil
}
