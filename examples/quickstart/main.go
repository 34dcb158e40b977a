// Command quickstart builds a loyalty-go Client from environment variables
// and prints which platforms it is configured for.
//
//	YOTPO_GUID, YOTPO_API_KEY                 Yotpo Loyalty & Referrals
//	INFLUENCEIO_API_KEY                       Influence.io (instead of Yotpo)
//	QUALIFIO_CLIENT_ID, QUALIFIO_CLIENT_SECRET Qualifio Loyalty
//	MONTEROSA_SPACE_URL, MONTEROSA_TOKEN      Monterosa Loyalty API
//
// With none set it starts loyaltytest, the SDK's in-process fake of all four
// platforms, and makes a few real calls against it, so that it runs anywhere
// without an account. With credentials it only prints the platforms it is
// configured for, and sends nothing.
package main

import (
	"context"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"

	"golang.org/x/oauth2"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/loyaltytest"
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
	var c *loyalty.Client
	if len(opts) == 0 {
		fmt.Fprintln(out, "no credentials in the environment: calling loyaltytest, the in-process fake")
		srv := loyaltytest.NewServer()
		defer srv.Close()
		c = srv.Client()
	} else {
		var err error
		if c, err = loyalty.NewClient(opts...); err != nil {
			return err
		}
	}
	for _, p := range c.Platforms() {
		fmt.Fprintf(out, "configured: %s\n", p)
	}
	if len(opts) == 0 {
		return tour(out, c)
	}
	return nil
}

// tour makes a few calls to each platform of the fake c points at.
func tour(out io.Writer, c *loyalty.Client) error {
	ctx := context.Background()
	call := func(p loyalty.Platform, method, path string, query url.Values, body, v any) error {
		req, err := c.NewRequest(p, method, path, body)
		if err != nil {
			return err
		}
		req.Query = query
		_, err = c.Do(ctx, req, v)
		return err
	}

	// Yotpo: create a customer, give points, read the balance back.
	if err := call(loyalty.Yotpo, http.MethodPost, "/customers", nil, map[string]any{"id": "C-1042", "email": "ana@example.com", "first_name": "Ana"}, nil); err != nil {
		return err
	}
	if err := call(loyalty.Yotpo, http.MethodPost, "/points/adjust", nil, map[string]any{"customer_email": "ana@example.com", "point_adjustment_amount": 250, "apply_adjustment_to_points_earned": true}, nil); err != nil {
		return err
	}
	var customer struct {
		Email         string `json:"email"`
		PointsBalance int    `json:"points_balance"`
	}
	if err := call(loyalty.Yotpo, http.MethodGet, "/customers", url.Values{"customer_email": {"ana@example.com"}}, nil, &customer); err != nil {
		return err
	}
	fmt.Fprintf(out, "yotpo: %s has %d points\n", customer.Email, customer.PointsBalance)

	// Qualifio: create a member profile (OAuth token fetched behind the scenes).
	var member struct {
		ID    string `json:"id"`
		Email string `json:"email"`
	}
	if err := call(loyalty.Qualifio, http.MethodPost, "/management/members", nil, map[string]any{"email": "ana@example.com", "firstname": "Ana"}, &member); err != nil {
		return err
	}
	fmt.Fprintf(out, "qualifio: member %s created\n", member.Email)

	// Monterosa: report an action, then read the profile.
	if err := call(loyalty.Monterosa, http.MethodPost, "/api/loyalty/action", nil, map[string]any{"action": "video_watched", "data": map[string]any{"videoId": "v-123"}}, nil); err != nil {
		return err
	}
	var profile struct {
		Message string `json:"message"`
	}
	if err := call(loyalty.Monterosa, http.MethodGet, "/api/loyalty/profile", nil, nil, &profile); err != nil {
		return err
	}
	fmt.Fprintf(out, "monterosa: action reported, profile %s\n", profile.Message)

	// A typed error: an unknown customer.
	err := call(loyalty.Yotpo, http.MethodGet, "/customers", url.Values{"customer_email": {"nobody@example.com"}}, nil, nil)
	fmt.Fprintf(out, "yotpo: unknown customer -> %v\n", err)
	return nil
}
