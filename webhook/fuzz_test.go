package webhook_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"testing"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/webhook"
)

// checkParsed holds for every parse result: an error is ErrMalformed, and an
// event is complete enough to de-duplicate and dispatch.
func checkParsed(t *testing.T, p loyalty.Platform, events []webhook.Event, err error) {
	if err != nil {
		if !errors.Is(err, webhook.ErrMalformed) {
			t.Fatalf("error %v does not wrap ErrMalformed", err)
		}
		return
	}
	for _, ev := range events {
		if ev.Platform != p || ev.ID == "" || ev.Kind == "" || ev.Data == nil {
			t.Fatalf("incomplete event %+v", ev)
		}
	}
}

func FuzzQualifioParse(f *testing.F) {
	for _, b := range fixtures(f, "qualifio") {
		f.Add(b)
	}
	f.Add([]byte(`[{"id":"x","type":"points.burned","data":{"amount":"1","reward":[]}}]`))
	f.Fuzz(func(t *testing.T, body []byte) {
		events, err := webhook.ParseQualifio(body)
		checkParsed(t, loyalty.Qualifio, events, err)
	})
}

func FuzzYotpoParse(f *testing.F) {
	for _, b := range fixtures(f, "yotpo") {
		f.Add(b, "msg-1")
	}
	f.Add([]byte(`{"topic":"swell/points/changed","difference":-5,"customer":null}`), "")
	f.Fuzz(func(t *testing.T, body []byte, messageID string) {
		ev, err := webhook.ParseYotpo(body, messageID)
		checkParsed(t, loyalty.Yotpo, []webhook.Event{ev}, err)
		// The topic is the one encoding/json sees, whichever path found it.
		var env struct{ Topic string }
		if err == nil && json.Unmarshal(body, &env) == nil && env.Topic != ev.Topic {
			t.Fatalf("topic %q; encoding/json reads %q", ev.Topic, env.Topic)
		}
	})
}

func FuzzInfluenceIOParse(f *testing.F) {
	for name, b := range fixtures(f, "influenceio") {
		topic := name
		for _, tp := range contract.InfluenceIOWebhookTopics {
			if fixturePath("influenceio", tp) == fixturePath("influenceio", name) {
				topic = tp
			}
		}
		f.Add(b, topic, "wh-1")
	}
	f.Add([]byte(`{"customer":{"birthdayMonth":"4"},"points":1e400}`), contract.InfluenceIOTopicPointsEarned, "")
	f.Fuzz(func(t *testing.T, body []byte, topic, webhookID string) {
		ev, err := webhook.ParseInfluenceIO(body, topic, webhookID)
		checkParsed(t, loyalty.InfluenceIO, []webhook.Event{ev}, err)
	})
}

// FuzzHandler serves arbitrary bodies to the handler of the platform chosen
// by which. Each input gets a handler of its own and several deliveries:
//
//   - the authentic delivery: 200 after exactly one call of the user's
//     function per distinct event of the body (as ConstructEvents reads it),
//     or 400 / 413 without any call;
//   - the same delivery again: the same answer, and no new call (a
//     duplicate, or the same rejection);
//   - a forged delivery, of another event id so that de-duplication cannot
//     hide a miss: signed for other bytes when tamper is set (for Yotpo,
//     which signs nothing, a missing Authorization), else with wrong
//     secrets: 401 (or 413), and no call.
func FuzzHandler(f *testing.F) {
	for i, platform := range []string{"qualifio", "yotpo", "influenceio"} {
		for _, b := range fixtures(f, platform) {
			f.Add(uint8(i), b, "id-1", false)
			f.Add(uint8(i), b, "", true)
		}
	}
	f.Add(uint8(0), []byte(`[]`), "", true)
	f.Add(uint8(0), []byte(`[{"id":"a","type":"x"},{"id":"a","type":"y"},{"id":"b"}]`), "", false)
	const maxBody = 1 << 16
	q := must[*webhook.Receiver](f)(webhook.NewQualifio(webhook.QualifioConfig{HeaderName: "X-Auth", HeaderValues: []string{"hv"}, SigningSecrets: []string{"qs"}}))
	y := must[*webhook.Receiver](f)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"yt"}}))
	in := must[*webhook.Receiver](f)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"it"}}))
	f.Fuzz(func(t *testing.T, which uint8, body []byte, id string, tamper bool) {
		var (
			rc *webhook.Receiver
			// request builds a delivery of body; forged makes it fail
			// verification, with event id fid.
			request func(body []byte, fid string, forged bool) (*http.Request, error)
		)
		switch which % 3 {
		case 0:
			rc = q
			request = func(body []byte, _ string, forged bool) (*http.Request, error) {
				s := webhook.QualifioSigner{HeaderName: "X-Auth", HeaderValue: "hv", Secret: "qs"}
				switch {
				case forged && tamper:
					return signedFor(s.NewRequest(target, append([]byte("x"), body...)))(body)
				case forged:
					s.Secret = "qs-wrong"
				}
				return s.NewRequest(target, body)
			}
		case 1:
			rc = y
			request = func(body []byte, fid string, forged bool) (*http.Request, error) {
				s := webhook.YotpoSigner{Token: "yt", Bearer: len(body)%2 == 0}
				switch {
				case forged && tamper:
					s.Token = ""
				case forged:
					s.Token = "yt-wrong"
				}
				return s.NewRequest(target, fid, body)
			}
		case 2:
			rc = in
			request = func(body []byte, fid string, forged bool) (*http.Request, error) {
				s := webhook.InfluenceIOSigner{Token: "it"}
				switch {
				case forged && tamper:
					s.Token = "" // the URL token is the only check
				case forged:
					s.Token = "it-wrong"
				}
				return s.NewRequest(target, contract.InfluenceIOTopicPointsEarned, fid, body)
			}
		}
		var calls int
		h := rc.Handler(func(context.Context, webhook.Event) error { calls++; return nil }, webhook.HandlerOptions{MaxBodyBytes: maxBody})
		deliver := func(body []byte, fid string, forged bool) int {
			r, err := request(body, fid, forged)
			if err != nil {
				t.Fatal(err)
			}
			return serve(h, r).Code
		}

		// What the handler should do with the authentic delivery.
		r, err := request(body, id, false)
		if err != nil {
			t.Fatal(err)
		}
		events, perr := rc.ConstructEvents(r, body)
		distinct := map[string]bool{}
		for _, ev := range events {
			distinct[ev.ID] = true // what the handler de-duplicates on
		}

		code := deliver(body, id, false)
		switch {
		case len(body) > maxBody:
			if code != http.StatusRequestEntityTooLarge || calls != 0 {
				t.Fatalf("body over the cap: %d after %d calls; want 413 and none", code, calls)
			}
		case perr != nil:
			if !errors.Is(perr, webhook.ErrMalformed) || code != http.StatusBadRequest || calls != 0 {
				t.Fatalf("authentic but unparsable (%v): %d after %d calls; want 400 and none", perr, code, calls)
			}
		default:
			if code != http.StatusOK || calls != len(distinct) {
				t.Fatalf("authentic: %d after %d calls; want 200 after %d (one per distinct event)", code, calls, len(distinct))
			}
		}
		before := calls
		if again := deliver(body, id, false); again != code || calls != before {
			t.Fatalf("the same delivery again: %d after %d new calls; want %d and none", again, calls-before, code)
		}
		if forged := deliver(body, id+"-forged", true); (forged != http.StatusUnauthorized && forged != http.StatusRequestEntityTooLarge) || calls != before {
			t.Fatalf("forged delivery: %d after %d new calls; want 401 (or 413) and none", forged, calls-before)
		}
	})
}

// signedFor returns a function that swaps the body of a request signed for
// other bytes: the headers and URL stay those of the other bytes.
func signedFor(r *http.Request, err error) func(body []byte) (*http.Request, error) {
	return func(body []byte) (*http.Request, error) {
		if err != nil {
			return nil, err
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		return r, nil
	}
}
