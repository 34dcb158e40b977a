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
