package webhook

import (
	"bytes"
	"net/http"

	"github.com/loyalty-go/loyalty/internal/contract"
)

// Signers build deliveries authenticated as each platform does, for tests of
// a receiving handler. They sign with the functions of the SDK's contract,
// the same ones its fake server signs its webhooks with. A zero field is left
// out of the delivery, which also makes unauthenticated or half-signed
// deliveries for negative tests.

// QualifioSigner authenticates Qualifio deliveries.
type QualifioSigner struct {
	HeaderName, HeaderValue string // the merchant's custom header
	Secret                  string // signs X-Qualifio-Signature
}

// NewRequest returns a POST of body to target, authenticated.
func (s QualifioSigner) NewRequest(target string, body []byte) (*http.Request, error) {
	req, err := newPost(target, body)
	if err != nil {
		return nil, err
	}
	if s.HeaderName != "" {
		req.Header.Set(s.HeaderName, s.HeaderValue)
	}
	if s.Secret != "" {
		req.Header.Set(contract.QualifioWebhookSignatureHeader, contract.QualifioWebhookSignature([]byte(s.Secret), body))
	}
	return req, nil
}

// YotpoSigner authenticates Yotpo deliveries.
type YotpoSigner struct {
	Token  string // the admin's "Webhook Authentication" value
	Bearer bool   // send "Bearer <Token>" rather than the raw value
}

// NewRequest returns a POST of body to target, authenticated. A non-empty
// messageID is sent as the WebhookMessageId header.
func (s YotpoSigner) NewRequest(target, messageID string, body []byte) (*http.Request, error) {
	req, err := newPost(target, body)
	if err != nil {
		return nil, err
	}
	switch {
	case s.Token != "" && s.Bearer:
		req.Header.Set(contract.YotpoWebhookAuthHeader, "Bearer "+s.Token)
	case s.Token != "":
		req.Header.Set(contract.YotpoWebhookAuthHeader, s.Token)
	}
	if messageID != "" {
		req.Header.Set(contract.YotpoWebhookMessageID, messageID)
	}
	return req, nil
}

// InfluenceIOSigner authenticates Influence.io deliveries the only way
// Influence.io can be made to: a token in the URL (it signs nothing).
type InfluenceIOSigner struct {
	Token string // added to the URL as ?token=, by InfluenceIOWebhookURL
}

// NewRequest returns a POST of body to target, authenticated, with the topic
// and webhook id headers (each left out when empty).
func (s InfluenceIOSigner) NewRequest(target, topic, webhookID string, body []byte) (*http.Request, error) {
	if s.Token != "" {
		var err error
		if target, err = InfluenceIOWebhookURL(target, s.Token); err != nil {
			return nil, err
		}
	}
	req, err := newPost(target, body)
	if err != nil {
		return nil, err
	}
	if topic != "" {
		req.Header.Set(contract.InfluenceIOHeaderTopic, topic)
	}
	if webhookID != "" {
		req.Header.Set(contract.InfluenceIOHeaderWebhookID, webhookID)
	}
	return req, nil
}

func newPost(target string, body []byte) (*http.Request, error) {
	req, err := http.NewRequest(http.MethodPost, target, bytes.NewReader(body))
	if err != nil {
		return nil, err
	}
	req.Header.Set("Content-Type", "application/json")
	return req, nil
}
