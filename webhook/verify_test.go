package webhook_test

import (
	"errors"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"testing"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/webhook"
)

const target = "https://merchant.example/hooks"

// verifyCase is one delivery and the error Verify must return (nil for success).
type verifyCase struct {
	name string
	req  func(t *testing.T, body []byte) *http.Request
	want error
}

func runVerify(t *testing.T, rc *webhook.Receiver, body []byte, cases []verifyCase, secrets ...string) {
	t.Helper()
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			err := rc.Verify(tc.req(t, body), body)
			if tc.want == nil && err != nil || tc.want != nil && !errors.Is(err, tc.want) {
				t.Fatalf("Verify = %v; want %v", err, tc.want)
			}
			for _, s := range secrets {
				if err != nil && strings.Contains(err.Error(), s) {
					t.Errorf("error %q holds a secret", err)
				}
			}
		})
	}
}

func must[T any](t testing.TB) func(T, error) T {
	return func(v T, err error) T {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		return v
	}
}

func TestVerifyQualifio(t *testing.T) {
	body := fixture(t, "qualifio", contract.QualifioPointsEarned)
	rc, err := webhook.NewQualifio(webhook.QualifioConfig{
		HeaderName: "x-merchant-auth", HeaderValues: []string{"hv-old", "hv-new"},
		SigningSecrets: []string{"sig-old", "sig-new"},
	})
	if err != nil {
		t.Fatal(err)
	}
	signed := func(s webhook.QualifioSigner) func(t *testing.T, body []byte) *http.Request {
		return func(t *testing.T, body []byte) *http.Request {
			return must[*http.Request](t)(s.NewRequest(target, body))
		}
	}
	edit := func(s webhook.QualifioSigner, f func(*http.Request)) func(t *testing.T, body []byte) *http.Request {
		return func(t *testing.T, body []byte) *http.Request { r := signed(s)(t, body); f(r); return r }
	}
	good := webhook.QualifioSigner{HeaderName: "X-Merchant-Auth", HeaderValue: "hv-new", Secret: "sig-new"}
	runVerify(t, rc, body, []verifyCase{
		{"new secrets", signed(good), nil},
		{"old secrets during rotation", signed(webhook.QualifioSigner{HeaderName: "X-Merchant-Auth", HeaderValue: "hv-old", Secret: "sig-old"}), nil},
		{"upper-case hex", edit(good, func(r *http.Request) {
			h := r.Header.Get(contract.QualifioWebhookSignatureHeader)
			r.Header.Set(contract.QualifioWebhookSignatureHeader, "sha256="+strings.ToUpper(strings.TrimPrefix(h, "sha256=")))
		}), nil},
		{"custom header missing", signed(webhook.QualifioSigner{Secret: "sig-new"}), webhook.ErrMissingHeader},
		{"custom header wrong", signed(webhook.QualifioSigner{HeaderName: "X-Merchant-Auth", HeaderValue: "hv-neww", Secret: "sig-new"}), webhook.ErrBadToken},
		{"custom header value of another header", signed(webhook.QualifioSigner{HeaderName: "X-Other", HeaderValue: "hv-new", Secret: "sig-new"}), webhook.ErrMissingHeader},
		{"signature missing", signed(webhook.QualifioSigner{HeaderName: "X-Merchant-Auth", HeaderValue: "hv-new"}), webhook.ErrMissingHeader},
		{"signature by unknown secret", signed(webhook.QualifioSigner{HeaderName: "X-Merchant-Auth", HeaderValue: "hv-new", Secret: "sig-x"}), webhook.ErrBadSignature},
		{"signature without prefix", edit(good, func(r *http.Request) {
			r.Header.Set(contract.QualifioWebhookSignatureHeader, contract.HMACSHA256Hex([]byte("sig-new"), body))
		}), webhook.ErrBadSignature},
		{"signature of another body", edit(good, func(r *http.Request) {
			r.Header.Set(contract.QualifioWebhookSignatureHeader, contract.QualifioWebhookSignature([]byte("sig-new"), append(body, ' ')))
		}), webhook.ErrBadSignature},
		{"signature not hex", edit(good, func(r *http.Request) { r.Header.Set(contract.QualifioWebhookSignatureHeader, "sha256=zz") }), webhook.ErrBadSignature},
		{"signature not hex, of the right length", edit(good, func(r *http.Request) {
			r.Header.Set(contract.QualifioWebhookSignatureHeader, "sha256="+strings.Repeat("zz", 32))
		}), webhook.ErrBadSignature},
		{"signature one hex digit short", edit(good, func(r *http.Request) {
			h := r.Header.Get(contract.QualifioWebhookSignatureHeader)
			r.Header.Set(contract.QualifioWebhookSignatureHeader, h[:len(h)-1])
		}), webhook.ErrBadSignature},
		{"signature with a digit more", edit(good, func(r *http.Request) {
			r.Header.Set(contract.QualifioWebhookSignatureHeader, r.Header.Get(contract.QualifioWebhookSignatureHeader)+"0")
		}), webhook.ErrBadSignature},
		{"upper-case prefix, spaces around", edit(good, func(r *http.Request) {
			h := r.Header.Get(contract.QualifioWebhookSignatureHeader)
			r.Header.Set(contract.QualifioWebhookSignatureHeader, " SHA256="+strings.TrimPrefix(h, "sha256=")+" ")
		}), nil},
	}, "hv-old", "hv-new", "sig-old", "sig-new")

	// Either check alone is enough when it is the only one configured.
	headerOnly := must[*webhook.Receiver](t)(webhook.NewQualifio(webhook.QualifioConfig{HeaderName: "X-Merchant-Auth", HeaderValues: []string{"hv"}}))
	runVerify(t, headerOnly, body, []verifyCase{
		{"header only", signed(webhook.QualifioSigner{HeaderName: "X-Merchant-Auth", HeaderValue: "hv"}), nil},
		{"header only, wrong", signed(webhook.QualifioSigner{HeaderName: "X-Merchant-Auth", HeaderValue: "h"}), webhook.ErrBadToken},
	})
	sigOnly := must[*webhook.Receiver](t)(webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{"s"}}))
	runVerify(t, sigOnly, body, []verifyCase{
		{"signature only", signed(webhook.QualifioSigner{Secret: "s"}), nil},
		{"signature only, missing", signed(webhook.QualifioSigner{}), webhook.ErrMissingHeader},
	})
}

func TestVerifyYotpo(t *testing.T) {
	body := fixture(t, "yotpo", contract.YotpoTopicPointsEarned)
	rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"tok-old", "tok-new", "Bearer literal"}}))
	auth := func(v string) func(t *testing.T, body []byte) *http.Request {
		return func(t *testing.T, body []byte) *http.Request {
			r := must[*http.Request](t)(webhook.YotpoSigner{}.NewRequest(target, "", body))
			if v != "" {
				r.Header.Set(contract.YotpoWebhookAuthHeader, v)
			}
			return r
		}
	}
	signed := func(s webhook.YotpoSigner) func(t *testing.T, body []byte) *http.Request {
		return func(t *testing.T, body []byte) *http.Request {
			return must[*http.Request](t)(s.NewRequest(target, "m1", body))
		}
	}
	runVerify(t, rc, body, []verifyCase{
		{"raw", signed(webhook.YotpoSigner{Token: "tok-new"}), nil},
		{"bearer", signed(webhook.YotpoSigner{Token: "tok-new", Bearer: true}), nil},
		{"old token during rotation", signed(webhook.YotpoSigner{Token: "tok-old", Bearer: true}), nil},
		{"bearer lower case", auth("bearer tok-new"), nil},
		{"bearer upper case, extra spaces", auth("BEARER   tok-old "), nil},
		{"a token that starts with Bearer", auth("Bearer literal"), nil},
		{"missing", auth(""), webhook.ErrMissingHeader},
		{"bearer without token", auth("Bearer "), webhook.ErrBadToken},
		{"wrong", auth("tok-ne"), webhook.ErrBadToken},
		{"other scheme", auth("Basic tok-new"), webhook.ErrBadToken},
		{"token with a suffix", auth("Bearer tok-new2"), webhook.ErrBadToken},
	}, "tok-old", "tok-new")
}

func TestVerifyInfluenceIO(t *testing.T) {
	body := fixture(t, "influenceio", contract.InfluenceIOTopicPointsRedeemed)
	rc := must[*webhook.Receiver](t)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"t-old", "t-new"}}))
	signed := func(s webhook.InfluenceIOSigner) func(t *testing.T, body []byte) *http.Request {
		return func(t *testing.T, body []byte) *http.Request {
			return must[*http.Request](t)(s.NewRequest(target+"?shop=1", contract.InfluenceIOTopicPointsRedeemed, "wh-1", body))
		}
	}
	edit := func(s webhook.InfluenceIOSigner, f func(*http.Request)) func(t *testing.T, body []byte) *http.Request {
		return func(t *testing.T, body []byte) *http.Request { r := signed(s)(t, body); f(r); return r }
	}
	runVerify(t, rc, body, []verifyCase{
		{"new token", signed(webhook.InfluenceIOSigner{Token: "t-new"}), nil},
		{"old token", signed(webhook.InfluenceIOSigner{Token: "t-old"}), nil},
		{"token missing", signed(webhook.InfluenceIOSigner{}), webhook.ErrMissingToken},
		{"token wrong", signed(webhook.InfluenceIOSigner{Token: "t-neww"}), webhook.ErrBadToken},
		{"token prefix", signed(webhook.InfluenceIOSigner{Token: "t-ne"}), webhook.ErrBadToken},
		{"token in a header instead", edit(webhook.InfluenceIOSigner{}, func(r *http.Request) { r.Header.Set("token", "t-new") }), webhook.ErrMissingToken},
		// Influence.io signs nothing: a signature header, right or wrong,
		// neither helps nor hurts.
		{"stray signature header", edit(webhook.InfluenceIOSigner{Token: "t-new"}, func(r *http.Request) {
			r.Header.Set("X-Webhook-Signature", "bm90LWEtc2lnbmF0dXJl")
		}), nil},
		{"signature header without token", edit(webhook.InfluenceIOSigner{}, func(r *http.Request) {
			r.Header.Set("X-Webhook-Signature", "bm90LWEtc2lnbmF0dXJl")
		}), webhook.ErrMissingToken},
	}, "t-old", "t-new")
}

func TestInsecureSkipVerify(t *testing.T) {
	body := fixture(t, "yotpo", contract.YotpoTopicOptIn)
	unsigned := must[*http.Request](t)(webhook.YotpoSigner{}.NewRequest(target, "", body))
	for _, rc := range []*webhook.Receiver{
		must[*webhook.Receiver](t)(webhook.NewQualifio(webhook.QualifioConfig{InsecureSkipVerify: true})),
		must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{InsecureSkipVerify: true})),
		must[*webhook.Receiver](t)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{InsecureSkipVerify: true})),
	} {
		if err := rc.Verify(unsigned, body); err != nil {
			t.Errorf("%s: %v", rc.Platform(), err)
		}
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []struct {
		name string
		new  func() (*webhook.Receiver, error)
		want error // nil: any error
	}{
		{"qualifio nothing", func() (*webhook.Receiver, error) { return webhook.NewQualifio(webhook.QualifioConfig{}) }, webhook.ErrNoVerification},
		{"yotpo nothing", func() (*webhook.Receiver, error) { return webhook.NewYotpo(webhook.YotpoConfig{}) }, webhook.ErrNoVerification},
		{"influenceio nothing", func() (*webhook.Receiver, error) { return webhook.NewInfluenceIO(webhook.InfluenceIOConfig{}) }, webhook.ErrNoVerification},
		{"qualifio header without values", func() (*webhook.Receiver, error) {
			return webhook.NewQualifio(webhook.QualifioConfig{HeaderName: "X-A", SigningSecrets: []string{"s"}})
		}, nil},
		{"qualifio values without header", func() (*webhook.Receiver, error) {
			return webhook.NewQualifio(webhook.QualifioConfig{HeaderValues: []string{"v"}})
		}, nil},
		{"empty secret", func() (*webhook.Receiver, error) {
			return webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"a", " "}})
		}, nil},
		{"empty influenceio token", func() (*webhook.Receiver, error) {
			return webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"a", ""}})
		}, nil},
		{"insecure with secrets", func() (*webhook.Receiver, error) {
			return webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"a"}, InsecureSkipVerify: true})
		}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rc, err := tt.new()
			if rc != nil || err == nil || tt.want != nil && !errors.Is(err, tt.want) {
				t.Fatalf("got %v, %v; want an error (%v)", rc, err, tt.want)
			}
		})
	}
}

func TestConstructEventsVerifiesBeforeParsing(t *testing.T) {
	rc := must[*webhook.Receiver](t)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"tok"}}))
	// A malformed body with a bad token must fail on the token: never parsed.
	bad := []byte(`{not json`)
	r := must[*http.Request](t)(webhook.YotpoSigner{Token: "nope"}.NewRequest(target, "", bad))
	if _, err := rc.ConstructEvents(r, bad); !errors.Is(err, webhook.ErrBadToken) {
		t.Fatalf("got %v; want ErrBadToken", err)
	}
	r = must[*http.Request](t)(webhook.YotpoSigner{Token: "tok"}.NewRequest(target, "", bad))
	if _, err := rc.ConstructEvents(r, bad); !errors.Is(err, webhook.ErrMalformed) {
		t.Fatalf("got %v; want ErrMalformed", err)
	}
	body := fixture(t, "yotpo", contract.YotpoTopicTierEarned)
	r = must[*http.Request](t)(webhook.YotpoSigner{Token: "tok", Bearer: true}.NewRequest(target, "msg-9", body))
	events, err := rc.ConstructEvents(r, body)
	if err != nil || len(events) != 1 || events[0].ID != "msg-9" || events[0].Kind != webhook.KindTierChanged {
		t.Fatalf("got %+v, %v", events, err)
	}
}

// Secrets that could never match (headers arrive trimmed) are refused when
// the receiver is built, without echoing them; so are header names that are
// not HTTP tokens.
func TestConfigRejectsUnmatchableSecrets(t *testing.T) {
	for _, bad := range []string{"S3CRET-tok\n", " S3CRET-tok", "S3CRET-tok\t", "S3CRET\x00tok", "S3CRET\r\ntok", "S3CRET-tok\x7f"} {
		cfgs := map[string]func() (*webhook.Receiver, error){
			"qualifio value": func() (*webhook.Receiver, error) {
				return webhook.NewQualifio(webhook.QualifioConfig{HeaderName: "X-A", HeaderValues: []string{bad}})
			},
			"qualifio secret": func() (*webhook.Receiver, error) {
				return webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{"ok", bad}})
			},
			"yotpo": func() (*webhook.Receiver, error) { return webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{bad}}) },
			"influenceio token": func() (*webhook.Receiver, error) {
				return webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{bad}})
			},
		}
		for name, build := range cfgs {
			rc, err := build()
			if rc != nil || err == nil {
				t.Errorf("%s %q: accepted", name, bad)
				continue
			}
			if strings.Contains(err.Error(), "S3CRET") {
				t.Errorf("%s: the error echoes the secret: %v", name, err)
			}
		}
	}
	for _, name := range []string{"X Auth", "X-Auth:", "X-\nAuth", "Ä-Auth", "X(Auth)"} {
		if rc, err := webhook.NewQualifio(webhook.QualifioConfig{HeaderName: name, HeaderValues: []string{"v"}}); rc != nil || err == nil {
			t.Errorf("header name %q accepted", name)
		}
	}
	for _, name := range []string{"X-Auth", "x-loyalty_webhook", "X~Auth!"} {
		if _, err := webhook.NewQualifio(webhook.QualifioConfig{HeaderName: name, HeaderValues: []string{"v"}}); err != nil {
			t.Errorf("header name %q: %v", name, err)
		}
	}
	// Inner spaces are a legitimate part of a token.
	if _, err := webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"two words"}}); err != nil {
		t.Error(err)
	}
}

func TestInfluenceIOWebhookURL(t *testing.T) {
	tests := []struct{ base, token, want string }{
		{"https://shop.example/hooks/influence", "abc", "https://shop.example/hooks/influence?token=abc"},
		{"https://shop.example/hooks?x=1", "a&b=c d+/?#%", "https://shop.example/hooks?token=a%26b%3Dc+d%2B%2F%3F%23%25&x=1"},
		{"https://shop.example/hooks?token=old", "new", "https://shop.example/hooks?token=new"},
		{"http://localhost:8080/webhooks/influenceio", "t", "http://localhost:8080/webhooks/influenceio?token=t"},
	}
	for _, tt := range tests {
		got, err := webhook.InfluenceIOWebhookURL(tt.base, tt.token)
		if err != nil || got != tt.want {
			t.Errorf("InfluenceIOWebhookURL(%q, %q) = %q, %v; want %q", tt.base, tt.token, got, err, tt.want)
			continue
		}
		// The receiver reads back exactly the token.
		u, _ := url.Parse(got)
		if u.Query().Get("token") != tt.token {
			t.Errorf("%q reads back token %q", got, u.Query().Get("token"))
		}
	}
	for _, bad := range []struct{ base, token string }{
		{"/hooks", "t"}, {"ftp://x/hooks", "t"}, {"https://", "t"}, {"https://x/\x00", "t"},
		{"https://x/hooks", ""}, {"https://x/hooks", "S3CRET\n"},
	} {
		if got, err := webhook.InfluenceIOWebhookURL(bad.base, bad.token); err == nil || strings.Contains(err.Error(), "S3CRET") {
			t.Errorf("InfluenceIOWebhookURL(%q, %q) = %q, %v; want an error without the secret", bad.base, bad.token, got, err)
		}
	}
	// A token that needs escaping passes the receiver end to end.
	rc := must[*webhook.Receiver](t)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"a&b=c d+"}}))
	body := []byte(`{"id":"x"}`)
	r := must[*http.Request](t)(webhook.InfluenceIOSigner{Token: "a&b=c d+"}.NewRequest(target+"?x=1", contract.InfluenceIOTopicPointsEarned, "wh", body))
	if err := rc.Verify(r, body); err != nil {
		t.Errorf("Verify: %v", err)
	}
}

// ConstructEventsFrom takes the headers, query and body without a request,
// and agrees with ConstructEvents.
func TestConstructEventsFrom(t *testing.T) {
	body := fixture(t, "influenceio", contract.InfluenceIOTopicPointsRedeemed)
	rc := must[*webhook.Receiver](t)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"t"}}))
	r := must[*http.Request](t)(webhook.InfluenceIOSigner{Token: "t"}.NewRequest(target, contract.InfluenceIOTopicPointsRedeemed, "wh-1", body))
	want, err := rc.ConstructEvents(r, body)
	if err != nil {
		t.Fatal(err)
	}
	got, err := rc.ConstructEventsFrom(r.Header, r.URL.Query(), body)
	if err != nil || len(got) != 1 || got[0].ID != want[0].ID || got[0].Kind != webhook.KindPointsRedeemed {
		t.Fatalf("got %+v, %v; want %+v", got, err, want)
	}
	if _, err := rc.ConstructEventsFrom(r.Header, nil, body); !errors.Is(err, webhook.ErrMissingToken) {
		t.Errorf("no query: %v; want ErrMissingToken", err)
	}
	if _, err := rc.ConstructEventsFrom(r.Header, url.Values{"token": {"x"}}, body); !errors.Is(err, webhook.ErrBadToken) {
		t.Errorf("other token: %v; want ErrBadToken", err)
	}
	// Qualifio and Yotpo read headers only: a nil query is fine.
	q := must[*webhook.Receiver](t)(webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{"s"}}))
	qb := fixture(t, "qualifio", contract.QualifioPointsEarned)
	qr := must[*http.Request](t)(webhook.QualifioSigner{Secret: "s"}.NewRequest(target, qb))
	if events, err := q.ConstructEventsFrom(qr.Header, nil, qb); err != nil || len(events) == 0 {
		t.Errorf("qualifio: %v, %v", events, err)
	}
}

// The HMAC states a Qualifio Receiver reuses are never shared by two
// deliveries verified at once: each gets its own verdict.
func TestVerifyQualifioConcurrent(t *testing.T) {
	rc := must[*webhook.Receiver](t)(webhook.NewQualifio(webhook.QualifioConfig{SigningSecrets: []string{"k1", "k2"}}))
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 200 {
				body := []byte(fmt.Sprintf(`[{"id":"e-%d-%d","type":"portal.visited"}]`, g, i))
				key, bad := "k1", i%3 == 0
				if i%2 == 0 {
					key = "k2"
				}
				sig := contract.QualifioWebhookSignature([]byte(key), body)
				if bad {
					sig = contract.QualifioWebhookSignature([]byte(key), append(body, ' '))
				}
				h := http.Header{contract.QualifioWebhookSignatureHeader: {sig}}
				_, err := rc.ConstructEventsFrom(h, nil, body)
				if bad != errors.Is(err, webhook.ErrBadSignature) || (!bad && err != nil) {
					t.Errorf("goroutine %d, delivery %d (bad %v): %v", g, i, bad, err)
					return
				}
			}
		}()
	}
	wg.Wait()
}
