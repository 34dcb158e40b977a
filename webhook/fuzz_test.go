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

// FuzzHandler serves correctly signed deliveries of arbitrary bodies (and,
// when tamper is set, deliveries signed for other bytes) to the handler of
// the platform chosen by which, and checks the answer is one the pipeline
// allows and that forged deliveries never reach the user.
func FuzzHandler(f *testing.F) {
	for i, platform := range []string{"qualifio", "yotpo", "influenceio"} {
		for _, b := range fixtures(f, platform) {
			f.Add(uint8(i), b, "id-1", false)
		}
	}
	f.Add(uint8(0), []byte(`[]`), "", true)
	q := must[*webhook.Receiver](f)(webhook.NewQualifio(webhook.QualifioConfig{HeaderName: "X-Auth", HeaderValues: []string{"hv"}, SigningSecrets: []string{"qs"}}))
	y := must[*webhook.Receiver](f)(webhook.NewYotpo(webhook.YotpoConfig{Tokens: []string{"yt"}}))
	in := must[*webhook.Receiver](f)(webhook.NewInfluenceIO(webhook.InfluenceIOConfig{Tokens: []string{"it"}, SigningSecrets: []string{"is"}}))
	f.Fuzz(func(t *testing.T, which uint8, body []byte, id string, tamper bool) {
		signed := body
		if tamper {
			signed = append([]byte("x"), body...)
		}
		var (
			r   *http.Request
			err error
			rc  *webhook.Receiver
		)
		switch which % 3 {
		case 0:
			rc = q
			r, err = webhook.QualifioSigner{HeaderName: "X-Auth", HeaderValue: "hv", Secret: "qs"}.NewRequest(target, signed)
		case 1:
			rc = y
			r, err = webhook.YotpoSigner{Token: "yt", Bearer: tamper}.NewRequest(target, id, signed)
		case 2:
			rc = in
			r, err = webhook.InfluenceIOSigner{Token: "it", Secret: "is"}.NewRequest(target, contract.InfluenceIOTopicPointsEarned, id, signed)
		}
		if err != nil {
			t.Fatal(err)
		}
		r.Body, r.ContentLength = io.NopCloser(bytes.NewReader(body)), int64(len(body))
		calls := 0
		h := rc.Handler(func(context.Context, webhook.Event) error { calls++; return nil }, webhook.HandlerOptions{MaxBodyBytes: 1 << 16})
		w := serve(h, r)
		switch w.Code {
		case http.StatusOK, http.StatusBadRequest, http.StatusRequestEntityTooLarge:
		case http.StatusUnauthorized:
			if calls != 0 {
				t.Fatal("a rejected delivery reached the user")
			}
		default:
			t.Fatalf("status %d", w.Code)
		}
		// Yotpo checks no signature, so only the other two reject a tampered body.
		if tamper && which%3 != 1 && w.Code != http.StatusUnauthorized && w.Code != http.StatusRequestEntityTooLarge {
			t.Fatalf("tampered body answered %d", w.Code)
		}
	})
}
