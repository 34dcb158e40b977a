package loyalty

import (
	"context"
	"encoding/json"
	"fmt"
	"iter"
	"log/slog"
	"net/http"
	"net/url"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// WebhooksService manages Influence.io's webhook subscriptions
// (/v1/webhooks): which topics are delivered to which of your URLs.
// Receiving the deliveries is the webhook package's job. Influence.io only;
// the paths and bodies are decided, the topics
// documented (https://developer.influence.io/reference/introduction-to-webhooks).
type WebhooksService service

// InfluenceIOTopic is an Influence.io webhook topic. The webhook package
// uses this type for deliveries too (webhook.InfluenceIOTopic is an alias).
// An open set: a topic not listed here decodes as it is.
type InfluenceIOTopic string

// The seven documented topics.
const (
	InfluenceIOTopicCustomersUpdated      InfluenceIOTopic = "customers/updated"                  // a customer was updated
	InfluenceIOTopicCustomersTierChanged  InfluenceIOTopic = "customers/tier_changed"             // a customer's tier changed
	InfluenceIOTopicTierEntryRewardEarned InfluenceIOTopic = "customers/tier_entry_reward_earned" // a reward for entering a tier; required if tier entry rewards are used
	InfluenceIOTopicPointsEarned          InfluenceIOTopic = "points/earned"                      // points were earned
	InfluenceIOTopicPointsRedeemed        InfluenceIOTopic = "points/redeemed"                    // points were spent on a reward: create its coupon in your store
	InfluenceIOTopicReferralsStarted      InfluenceIOTopic = "referrals/started"                  // a referred friend submitted their e-mail
	InfluenceIOTopicReferralsCompleted    InfluenceIOTopic = "referrals/completed"                // a referred friend completed an order
)

// InfluenceIOTopics returns the seven documented topics, in a new slice.
func InfluenceIOTopics() []InfluenceIOTopic {
	out := make([]InfluenceIOTopic, len(contract.InfluenceIOWebhookTopics))
	for i, t := range contract.InfluenceIOWebhookTopics {
		out[i] = InfluenceIOTopic(t)
	}
	return out
}

// Webhook is one subscription.
type Webhook struct {
	ID    string
	Topic InfluenceIOTopic
	// URL is where deliveries go, as registered: with its ?token= when it
	// has one, so do not log it.
	URL string
	Raw json.RawMessage
}

// String describes w with its URL's token and user info hidden, so that
// printing or logging a subscription (%v, %+v, %#v, slog) shows no secret;
// w.URL and w.Raw still hold them.
func (w Webhook) String() string {
	return fmt.Sprintf("Webhook{ID:%s Topic:%s URL:%s}", w.ID, w.Topic, redactedWebhookURL(w.URL))
}

// GoString is the Go syntax of w with the URL redacted as String has it
// and Raw (which quotes the URL) left out, so that %#v shows no secret.
func (w Webhook) GoString() string {
	return fmt.Sprintf("loyalty.Webhook{ID:%q, Topic:%q, URL:%q}", w.ID, string(w.Topic), redactedWebhookURL(w.URL))
}

// LogValue implements slog.LogValuer, with the token and user info hidden.
func (w Webhook) LogValue() slog.Value {
	return slog.GroupValue(slog.String("id", w.ID), slog.String("topic", string(w.Topic)), slog.String("url", redactedWebhookURL(w.URL)))
}

// redactedWebhookURL is raw with the value of its token parameter and its
// user info (name and password alike: either can be the credential) hidden.
// The query is re-encoded from what parses, so that a malformed pair (one
// with a ';') cannot carry a token past the redaction.
func redactedWebhookURL(raw string) string {
	u, err := url.Parse(raw)
	if err != nil {
		return "(unparseable URL)"
	}
	if u.RawQuery != "" || u.ForceQuery {
		q := u.Query()
		if q.Has(contract.InfluenceIOQueryToken) {
			q.Set(contract.InfluenceIOQueryToken, redactedMark)
		}
		u.RawQuery = q.Encode()
	}
	hadUser := u.User != nil
	u.User = nil
	s := u.String()
	if scheme, rest, ok := strings.Cut(s, "://"); ok && hadUser {
		s = scheme + "://" + redactedMark + "@" + rest
	}
	return s
}

// WebhookInput is a subscription to create or replace.
type WebhookInput struct {
	Topic InfluenceIOTopic // required
	// URL is required and absolute. Influence.io takes https only; http is
	// let through for local tests against a fake.
	URL string
}

type webhookJSON struct {
	ID    wireText `json:"id,omitempty" wire:"required"` // never sent: the path names the subscription
	Topic wireText `json:"topic"`
	URL   wireText `json:"url"`
}

func convWebhook(w *webhookJSON, raw json.RawMessage) *Webhook {
	return &Webhook{ID: string(w.ID), Topic: InfluenceIOTopic(w.Topic), URL: string(w.URL), Raw: raw}
}

// check validates in without quoting its URL, which may hold a token.
func (in WebhookInput) check(op string) error {
	if strings.TrimSpace(string(in.Topic)) == "" {
		return inputErr(op, "Topic", "is required")
	}
	if strings.TrimSpace(in.URL) == "" {
		return inputErr(op, "URL", "is required")
	}
	u, err := url.Parse(in.URL)
	if err != nil || !u.IsAbs() || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return inputErr(op, "URL", "is not an absolute https URL")
	}
	return nil
}

// List returns every subscription; the list is not paginated.
func (s *WebhooksService) List(ctx context.Context, callOpts ...CallOption) iter.Seq2[*Webhook, error] {
	const op = "Webhooks.List"
	check := s.client.influenceIOOnly(op)
	return paginate(ctx, 0, func(ctx context.Context, _ int) ([]*Webhook, *Response, int, bool, error) {
		if check != nil {
			return nil, nil, 0, false, check
		}
		var env struct {
			Webhooks json.RawMessage `json:"webhooks"`
		}
		resp, err := s.client.call(ctx, op, InfluenceIO, http.MethodGet, contract.InfluenceIOPathWebhooks, nil, nil, &env, callOpts...)
		if err != nil {
			return nil, resp, 0, false, err
		}
		if len(env.Webhooks) == 0 || string(env.Webhooks) == "null" {
			return nil, resp, 0, false, nil
		}
		items, err := decodeList(resp, "webhooks", env.Webhooks, convWebhook)
		if err != nil {
			return nil, resp, 0, false, fmt.Errorf("loyalty: %s: decoding response: %w", op, err)
		}
		return items, resp, 0, false, nil
	})
}

// Create subscribes in.URL to in.Topic (POST /v1/webhooks). Influence.io
// does not de-duplicate it: a repeat makes a second subscription, so it is
// not retried once the request may have been sent (on ErrMaybeApplied,
// List before creating again; that is also the error of a 2xx answer
// without a readable webhook, since the subscription was made). To carry a
// verification token, use CreateWithToken.
func (s *WebhooksService) Create(ctx context.Context, in WebhookInput, callOpts ...CallOption) (*Webhook, *Response, error) {
	const op = "Webhooks.Create"
	if err := s.client.influenceIOOnly(op); err != nil {
		return nil, nil, err
	}
	if err := in.check(op); err != nil {
		return nil, nil, err
	}
	wh, resp, err := s.send(ctx, op, http.MethodPost, contract.InfluenceIOPathWebhooks, &in, callOpts)
	return wh, resp, redactURLToken(err, in.URL)
}

// CreateWithToken subscribes baseURL to topic with token added as its token
// query parameter, the one check Influence.io deliveries can be verified by
// (webhook.InfluenceIOConfig.Tokens; Influence.io signs nothing). Other
// query parameters of baseURL are kept. Neither the token nor the URL
// appears in an error this returns; the Webhook's URL holds the token.
// Retries as Create.
func (s *WebhooksService) CreateWithToken(ctx context.Context, topic InfluenceIOTopic, baseURL, token string, callOpts ...CallOption) (*Webhook, *Response, error) {
	const op = "Webhooks.CreateWithToken"
	if err := s.client.influenceIOOnly(op); err != nil {
		return nil, nil, err
	}
	u, err := tokenURL(op, baseURL, token)
	if err != nil {
		return nil, nil, err
	}
	in := WebhookInput{Topic: topic, URL: u}
	if err := in.check(op); err != nil {
		return nil, nil, err
	}
	wh, resp, err := s.send(ctx, op, http.MethodPost, contract.InfluenceIOPathWebhooks, &in, callOpts)
	return wh, resp, redactURLToken(err, u)
}

// Get returns one subscription; an unknown id is ErrNotFound.
func (s *WebhooksService) Get(ctx context.Context, id string, callOpts ...CallOption) (*Webhook, *Response, error) {
	const op = "Webhooks.Get"
	if err := s.client.influenceIOOnly(op); err != nil {
		return nil, nil, err
	}
	if _, err := pathSegment(op, "id", id); err != nil {
		return nil, nil, err
	}
	return s.send(ctx, op, http.MethodGet, contract.InfluenceIOWebhookPath(id), nil, callOpts)
}

// Replace sets the topic and URL of a subscription (PUT /v1/webhooks/{id});
// an unknown id is ErrNotFound. It is idempotent and retried as such: use it
// (or ReplaceWithToken) to rotate a URL token.
func (s *WebhooksService) Replace(ctx context.Context, id string, in WebhookInput, callOpts ...CallOption) (*Webhook, *Response, error) {
	const op = "Webhooks.Replace"
	if err := s.client.influenceIOOnly(op); err != nil {
		return nil, nil, err
	}
	if _, err := pathSegment(op, "id", id); err != nil {
		return nil, nil, err
	}
	if err := in.check(op); err != nil {
		return nil, nil, err
	}
	wh, resp, err := s.send(ctx, op, http.MethodPut, contract.InfluenceIOWebhookPath(id), &in, callOpts)
	return wh, resp, redactURLToken(err, in.URL)
}

// ReplaceWithToken is Replace with the URL built as CreateWithToken builds
// it: baseURL with token as its token parameter. It rotates a
// subscription's token without the caller building the query string.
func (s *WebhooksService) ReplaceWithToken(ctx context.Context, id string, topic InfluenceIOTopic, baseURL, token string, callOpts ...CallOption) (*Webhook, *Response, error) {
	const op = "Webhooks.ReplaceWithToken"
	u, err := tokenURL(op, baseURL, token)
	if err != nil {
		return nil, nil, err
	}
	return s.Replace(ctx, id, WebhookInput{Topic: topic, URL: u})
}

// tokenURL is baseURL with token added as Influence.io's token parameter,
// the token checked first (one that could never match is refused).
func tokenURL(op, baseURL, token string) (string, error) {
	if token == "" {
		return "", inputErr(op, "token", "is required")
	}
	if strings.TrimSpace(token) != token || strings.ContainsFunc(token, func(r rune) bool { return r < 0x20 || r == 0x7f }) {
		return "", inputErr(op, "token", "has surrounding spaces or control characters, so it could never match")
	}
	u, err := contract.InfluenceIOTokenURL(baseURL, token)
	if err != nil {
		return "", inputErr(op, "baseURL", "%v", err)
	}
	return u, nil
}

// Delete removes a subscription (DELETE /v1/webhooks/{id}); an unknown id is
// ErrNotFound, which is also what a retried delete that had succeeded sees.
func (s *WebhooksService) Delete(ctx context.Context, id string, callOpts ...CallOption) (*Response, error) {
	const op = "Webhooks.Delete"
	if err := s.client.influenceIOOnly(op); err != nil {
		return nil, err
	}
	if _, err := pathSegment(op, "id", id); err != nil {
		return nil, err
	}
	return s.client.call(ctx, op, InfluenceIO, http.MethodDelete, contract.InfluenceIOWebhookPath(id), nil, nil, nil, callOpts...)
}

// send makes a call answered by {"webhook": …}. in, when not nil, is the body.
func (s *WebhooksService) send(ctx context.Context, op, method, path string, in *WebhookInput, callOpts []CallOption) (*Webhook, *Response, error) {
	var body any
	if in != nil {
		body = webhookJSON{Topic: wireText(in.Topic), URL: wireText(in.URL)}
	}
	req, err := s.client.request(op, InfluenceIO, method, path, body)
	if err != nil {
		return nil, nil, err
	}
	var env struct {
		Webhook json.RawMessage `json:"webhook"`
	}
	resp, err := s.client.Do(ctx, req, &env, callOpts...)
	if err != nil {
		return nil, resp, err
	}
	// A create or replace answered 2xx was done: without the webhook in
	// the answer it is ErrMaybeApplied (List shows it), never a plain error.
	if len(env.Webhook) == 0 || string(env.Webhook) == "null" {
		return nil, resp, req.answerError(resp.StatusCode, fmt.Errorf("loyalty: %s: decoding response: no webhook in the answer", op))
	}
	var w webhookJSON
	if err := decodeTolerant(resp, atName("webhook"), env.Webhook, &w); err != nil {
		return nil, resp, req.answerError(resp.StatusCode, fmt.Errorf("loyalty: %s: decoding response: %w", op, err))
	}
	return convWebhook(&w, env.Webhook), resp, nil
}

// redactURLToken hides the token query parameter of rawURL from err, in
// case the platform quoted the URL in its error: the core keeps queries out
// of its own errors and logs, but a body is the platform's. The *Error's
// Message and Body are redacted too, so that errors.As reaches no token
// either.
func redactURLToken(err error, rawURL string) error {
	if err == nil {
		return nil
	}
	u, perr := url.Parse(rawURL)
	if perr != nil {
		return err
	}
	return newRedactor(u.Query()[contract.InfluenceIOQueryToken]...).redact(err)
}
