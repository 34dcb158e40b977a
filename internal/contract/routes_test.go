package contract

import "testing"

func TestRouteTemplate(t *testing.T) {
	for path, want := range map[string]string{
		YotpoPathCustomers:            YotpoPathCustomers,
		"/v1/rewards/SUMMER10/use":    "/v1/rewards/{id}/use",
		"/v1/customers/c%40x.com":     "/v1/customers/{id}",
		"/":                           "/",
		"/customers/":                 "/customers/",
		"/customers/a@b.c/points":     "/customers/{id}/points",
		"/no-such-route":              "/{id}",
		InfluenceIOPointsPath("C-1"):  "/v1/customers/{id}/points",
		QualifioMemberPath("m@x.com"): "/management/members/{id}",
	} {
		if got := RouteTemplate(path); got != want {
			t.Errorf("RouteTemplate(%q) = %q, want %q", path, got, want)
		}
	}
	// A route of fixed segments only is the path itself, built from nothing.
	if n := testing.AllocsPerRun(100, func() { _ = RouteTemplate(YotpoPathCustomers) }); n > 0 {
		t.Errorf("RouteTemplate of a fixed route: %v allocations, want 0", n)
	}
}
