package loyaltytest

import (
	"mime"
	"net"
	"net/http"
	"net/url"
	"strings"
)

// sameOriginOnly guards the fake's own HTTP surfaces (the admin API, and
// any page served beside it) against cross-site requests: a page on another
// site, open in the browser of someone running the fake, must not reset it,
// seed it or register its own URL as a webhook target, nor read its
// request log.
//
// Every request, GET included, is refused (403) unless its Host names the
// fake by address: localhost or a loopback IP literal (any port), or the
// IP of the listener, or any IP literal when the listener is on an
// unspecified address (0.0.0.0 or ::, as cmd/loyaltyfake may be). That
// stops DNS rebinding: a page at evil.example:PORT whose name is made to
// resolve to 127.0.0.1 is same-origin with itself, so its Origin matches
// its Host, but that Host is a DNS name the fake does not answer to.
//
// Requests that change state (any method but GET, HEAD and OPTIONS) are
// also refused when:
//
//   - Sec-Fetch-Site is present and is not "same-origin" or "none" (a
//     browser says "cross-site" or "same-site" for another site's page):
//     403;
//   - Origin is present and is not the fake's own origin, the Host the
//     request was sent to ("null" included): 403;
//   - they carry a body (or a Content-Type) that is not application/json:
//     415. A browser sends a JSON body to another site only after a CORS
//     preflight, which the fake never grants, so this also stops browsers
//     that send neither header.
//
// Programs that are not browsers send neither header (Go's net/http, curl)
// and pass, with a JSON body. These are the rules of Go 1.25's
// net/http.CrossOriginProtection plus the JSON requirement, written out
// because the module supports Go releases before it. GET, HEAD and OPTIONS
// with a good Host pass: they change nothing, and the fake sends no CORS
// headers, so another site's page cannot read their answers.
//
// listen is the listener's address.
func sameOriginOnly(listen net.Addr, next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !addressedByIP(r.Host, listen) {
			adminFail(w, http.StatusForbidden, "request refused (Host: %s): address the fake as localhost or by IP", r.Host)
			return
		}
		switch r.Method {
		case http.MethodGet, http.MethodHead, http.MethodOptions:
			next.ServeHTTP(w, r)
			return
		}
		if site := r.Header.Get("Sec-Fetch-Site"); site != "" && site != "same-origin" && site != "none" {
			adminFail(w, http.StatusForbidden, "cross-site request refused (Sec-Fetch-Site: %s): the fake takes changes from its own pages and from programs only", site)
			return
		}
		if origin := r.Header.Get("Origin"); origin != "" && !sameOrigin(origin, r.Host) {
			adminFail(w, http.StatusForbidden, "cross-origin request refused (Origin: %s): the fake takes changes from its own pages and from programs only", origin)
			return
		}
		if ct := r.Header.Get("Content-Type"); ct != "" || r.ContentLength != 0 {
			if mt, _, err := mime.ParseMediaType(ct); err != nil || mt != "application/json" {
				adminFail(w, http.StatusUnsupportedMediaType, "send the body as Content-Type: application/json")
				return
			}
		}
		next.ServeHTTP(w, r)
	})
}

// sameOrigin reports whether origin (an Origin header) names host, the
// Host the request was sent to.
func sameOrigin(origin, host string) bool {
	u, err := url.Parse(origin)
	return err == nil && u.Host != "" && strings.EqualFold(u.Host, host)
}

// addressedByIP reports whether host (a request's Host) names the fake by
// address rather than by a DNS name that could be rebound: localhost or a
// loopback IP, any port; the listener's IP; or, when the listener is on an
// unspecified address, any IP literal (an IP literal cannot be rebound).
func addressedByIP(host string, listen net.Addr) bool {
	name := host
	if h, _, err := net.SplitHostPort(host); err == nil {
		name = h
	}
	if strings.EqualFold(name, "localhost") {
		return true
	}
	ip := net.ParseIP(strings.TrimSuffix(strings.TrimPrefix(name, "["), "]"))
	if ip == nil {
		return false
	}
	if ip.IsLoopback() {
		return true
	}
	tcp, ok := listen.(*net.TCPAddr)
	return ok && (tcp.IP.IsUnspecified() || tcp.IP.Equal(ip))
}
