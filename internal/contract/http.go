package contract

// HeaderAuthorization carries the Bearer tokens of Qualifio (OAuth client
// credentials) and Monterosa (access tokens); documented by both.
const HeaderAuthorization = "Authorization"

// RequestIDHeaders are the headers tried, in order, for a response's
// request id (decided: none of the four platforms documents one; these are
// the names API gateways in front of them commonly set).
var RequestIDHeaders = []string{"X-Request-Id", "X-Amzn-Requestid", "X-Correlation-Id", "Request-Id", "X-Trace-Id"}

// RequestID returns the first of RequestIDHeaders that get (a header's Get)
// finds, or "".
func RequestID(get func(string) string) string {
	for _, h := range RequestIDHeaders {
		if id := get(h); id != "" {
			return id
		}
	}
	return ""
}

// FramingHeaders are the request headers a per-call Header option may not
// set (decided): net/http derives them from the request (Host,
// Content-Length, Transfer-Encoding; Accept-Encoding, whose gzip it undoes
// only when it asked for it itself), they govern one connection hop only
// (RFC 9110 section 7.6.1), or the Client sets them (User-Agent:
// WithUserAgent and WithAppInfo). Canonical form.
var FramingHeaders = []string{
	"Host", "Content-Length", "Transfer-Encoding", "Accept-Encoding", "Connection", "Keep-Alive",
	"Proxy-Connection", "Te", "Trailer", "Upgrade", "Proxy-Authorization", "User-Agent",
}

// MaxCallRetries caps the per-call Retries option (decided): with the
// backoff capped at RetryPolicy.MaxWait, ten retries already wait minutes.
const MaxCallRetries = 10

// FakeRequestIDHeaders is the request-id header the fake (loyaltytest)
// sends on every answer, by platform name (decided: no platform documents
// one, so each fake uses another of RequestIDHeaders, and tests of the
// SDK reach more than the first name).
var FakeRequestIDHeaders = map[string]string{
	"qualifio":    "X-Correlation-Id",
	"yotpo":       "X-Request-Id",
	"influenceio": "X-Amzn-Requestid",
	"monterosa":   "Request-Id",
}
