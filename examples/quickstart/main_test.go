package main

import (
	"strings"
	"testing"
)

func TestRunReportsConfiguredPlatforms(t *testing.T) {
	env := map[string]string{"QUALIFIO_CLIENT_ID": "c", "QUALIFIO_CLIENT_SECRET": "s", "INFLUENCEIO_API_KEY": "k"}
	var out strings.Builder
	if err := run(&out, func(k string) string { return env[k] }); err != nil {
		t.Fatal(err)
	}
	if got, want := out.String(), "configured: qualifio\nconfigured: influenceio\n"; got != want {
		t.Errorf("output %q, want %q", got, want)
	}
}

func TestRunRejectsHalfCredentials(t *testing.T) {
	env := map[string]string{"YOTPO_GUID": "g"}
	err := run(&strings.Builder{}, func(k string) string { return env[k] })
	if err == nil || !strings.Contains(err.Error(), "WithYotpo: APIKey is required") {
		t.Errorf("err = %v", err)
	}
}

func TestTourAgainstTheFake(t *testing.T) {
	var out strings.Builder
	if err := run(&out, func(string) string { return "" }); err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"configured: qualifio\nconfigured: yotpo\nconfigured: monterosa\n",
		"yotpo: ana@example.com has 250 points\n",
		"qualifio: member ana@example.com created\n",
		"monterosa: action reported, profile OK\n",
		"yotpo: unknown customer -> loyalty: yotpo GET /customers: 404 Not Found",
	} {
		if !strings.Contains(out.String(), want) {
			t.Errorf("output lacks %q:\n%s", want, out.String())
		}
	}
}
