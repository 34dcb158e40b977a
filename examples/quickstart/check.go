package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
)

// credentialVars are the variables that turn on the connectivity check.
var credentialVars = []string{
	"QUALIFIO_CLIENT_ID", "QUALIFIO_CLIENT_SECRET",
	"YOTPO_GUID", "YOTPO_API_KEY",
	"INFLUENCEIO_API_KEY",
	"MONTEROSA_SPACE_URL", "MONTEROSA_TOKEN",
}

// A platformCheck is the read-only call that proves one platform answers.
type platformCheck struct {
	platform loyalty.Platform
	vars     []string // any one set means the platform is configured; all are needed
	option   func(env func(string) string) loyalty.Option
	probe    func(ctx context.Context, c *loyalty.Client) error
}

var checks = []platformCheck{
	{
		platform: loyalty.Qualifio,
		vars:     []string{"QUALIFIO_CLIENT_ID", "QUALIFIO_CLIENT_SECRET"},
		option: func(env func(string) string) loyalty.Option {
			return loyalty.WithQualifio(loyalty.QualifioConfig{
				ClientID: env("QUALIFIO_CLIENT_ID"), ClientSecret: env("QUALIFIO_CLIENT_SECRET"),
				BaseURL: env("QUALIFIO_BASE_URL"), TokenURL: env("QUALIFIO_TOKEN_URL"),
			})
		},
		// Qualifio has no read-only list: looking up a member nobody has
		// proves the credentials and the API; its 404 is the good answer.
		probe: func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Members.Lookup(ctx, loyalty.ByEmail("loyalty-go-connectivity-check@example.invalid"))
			if errors.Is(err, loyalty.ErrNotFound) {
				return nil
			}
			return err
		},
	},
	{
		platform: loyalty.Yotpo,
		vars:     []string{"YOTPO_GUID", "YOTPO_API_KEY"},
		option: func(env func(string) string) loyalty.Option {
			return loyalty.WithYotpo(loyalty.YotpoConfig{GUID: env("YOTPO_GUID"), APIKey: env("YOTPO_API_KEY"), BaseURL: env("YOTPO_BASE_URL")})
		},
		probe: func(ctx context.Context, c *loyalty.Client) error {
			for _, err := range c.Campaigns.List(ctx, nil) {
				return err // the first page answered
			}
			return nil
		},
	},
	{
		platform: loyalty.InfluenceIO,
		vars:     []string{"INFLUENCEIO_API_KEY"},
		option: func(env func(string) string) loyalty.Option {
			return loyalty.WithInfluenceIO(loyalty.InfluenceIOConfig{APIKey: env("INFLUENCEIO_API_KEY"), BaseURL: env("INFLUENCEIO_BASE_URL")})
		},
		probe: func(ctx context.Context, c *loyalty.Client) error {
			for _, err := range c.Webhooks.List(ctx) {
				return err
			}
			return nil
		},
	},
	{
		platform: loyalty.Monterosa,
		vars:     []string{"MONTEROSA_SPACE_URL", "MONTEROSA_TOKEN"},
		option: func(env func(string) string) loyalty.Option {
			var ts oauth2.TokenSource
			if tok := env("MONTEROSA_TOKEN"); tok != "" {
				ts = oauth2.StaticTokenSource(&oauth2.Token{AccessToken: tok})
			}
			return loyalty.WithMonterosa(loyalty.MonterosaConfig{BaseURL: env("MONTEROSA_SPACE_URL"), TokenSource: ts})
		},
		probe: func(ctx context.Context, c *loyalty.Client) error {
			_, _, err := c.Rewards.Profile(ctx) // the token's user; Config alone would not prove the token
			return err
		},
	},
}

// check makes one read-only call to each configured platform and prints OK
// or the error per platform. Each platform gets its own Client: one Client
// has a single commerce platform (Yotpo or Influence.io).
func check(out io.Writer, env func(string) string) error {
	fmt.Fprintln(out, "credentials found: read-only connectivity check")
	failed := 0
	for _, pc := range checks {
		if !anySet(env, pc.vars) {
			continue
		}
		err := probe(pc, env)
		if err != nil {
			failed++
			fmt.Fprintf(out, "%-12s error: %v\n", pc.platform, err) // SDK errors never hold a secret
			continue
		}
		fmt.Fprintf(out, "%-12s OK\n", pc.platform)
	}
	if failed > 0 {
		return fmt.Errorf("%d platform(s) failed the connectivity check", failed)
	}
	return nil
}

func probe(pc platformCheck, env func(string) string) error {
	for _, n := range pc.vars {
		if env(n) == "" { // name the variable, not the option field NewClient would name
			return fmt.Errorf("%s is not set (the %s check needs %s)", n, pc.platform, strings.Join(pc.vars, " and "))
		}
	}
	c, err := loyalty.NewClient(pc.option(env))
	if err != nil {
		return err
	}
	defer c.CloseIdleConnections()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	return pc.probe(ctx, c)
}

func anySet(env func(string) string, names []string) bool {
	for _, n := range names {
		if env(n) != "" {
			return true
		}
	}
	return false
}
