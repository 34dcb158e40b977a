package qualifiofake

import (
	"crypto/subtle"
	"errors"
	"net/http"
	"net/url"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// oauthError is the RFC 6749 §5.2 error body of the token endpoint.
type oauthError struct {
	Error       string `json:"error"`
	Description string `json:"error_description"`
}

// tokenResponse is a Keycloak-like client-credentials response.
type tokenResponse struct {
	AccessToken      string `json:"access_token"`
	ExpiresIn        int64  `json:"expires_in"`
	RefreshExpiresIn int64  `json:"refresh_expires_in"`
	TokenType        string `json:"token_type"`
	NotBeforePolicy  int64  `json:"not-before-policy"`
	Scope            string `json:"scope"`
}

// token issues an access token for the client credentials, sent either as
// HTTP Basic (RFC 6749 §2.3.1, form-encoded parts) or as form fields.
func (f *Fake) token(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodPost {
		fakekit.WriteJSON(w, http.StatusMethodNotAllowed, oauthError{"invalid_request", "use POST"})
		return
	}
	r.Body = http.MaxBytesReader(w, r.Body, f.env.MaxBody)
	if err := r.ParseForm(); err != nil {
		var tooBig *http.MaxBytesError
		if errors.As(err, &tooBig) {
			fakekit.WriteJSON(w, http.StatusRequestEntityTooLarge, oauthError{"invalid_request", "request body too large"})
			return
		}
		fakekit.WriteJSON(w, http.StatusBadRequest, oauthError{"invalid_request", "unreadable form body"})
		return
	}
	if gt := r.PostForm.Get("grant_type"); gt != "client_credentials" {
		fakekit.WriteJSON(w, http.StatusBadRequest, oauthError{"unsupported_grant_type", "grant_type must be client_credentials"})
		return
	}
	id, secret, ok := r.BasicAuth()
	if ok {
		// Clients form-encode the parts before base64 (RFC 6749 §2.3.1).
		if v, err := url.QueryUnescape(id); err == nil {
			id = v
		}
		if v, err := url.QueryUnescape(secret); err == nil {
			secret = v
		}
	} else {
		id, secret = r.PostForm.Get("client_id"), r.PostForm.Get("client_secret")
	}
	switch f.checkClient(id, secret) {
	case clientUnknown:
		// Never echo the credentials.
		fakekit.WriteJSON(w, http.StatusUnauthorized, oauthError{contract.QualifioTokenErrInvalidClient, "Invalid client or Invalid client credentials"})
		return
	case clientWrongSecret:
		// Qualifio's documented answer to a wrong secret
		// (https://developers.qualifio.com/api/auth-api).
		fakekit.WriteJSON(w, contract.QualifioTokenStatusWrongSecret, oauthError{contract.QualifioTokenErrWrongSecret, "Invalid client secret"})
		return
	}
	tok := "qat_" + strings.ReplaceAll(f.env.NewID()+f.env.NewID(), "-", "")
	now := f.env.Now()
	f.tokMu.Lock()
	for t, exp := range f.tokens { // drop expired tokens so a long run stays small
		if !now.Before(exp) {
			delete(f.tokens, t)
		}
	}
	f.tokens[tok] = now.Add(f.cfg.TokenTTL)
	f.tokMu.Unlock()
	w.Header().Set("Cache-Control", "no-store")
	fakekit.WriteJSON(w, http.StatusOK, tokenResponse{
		AccessToken: tok,
		ExpiresIn:   int64(f.cfg.TokenTTL.Seconds()),
		TokenType:   "Bearer",
	})
}

// The outcomes of checking client credentials.
const (
	clientOK = iota
	clientUnknown
	clientWrongSecret
)

// checkClient checks credentials: missing ones or an unknown client id are
// clientUnknown; the pinned id with another secret is clientWrongSecret.
func (f *Fake) checkClient(id, secret string) int {
	if strings.TrimSpace(id) == "" || secret == "" {
		return clientUnknown
	}
	if f.cfg.ClientID != "" && subtle.ConstantTimeCompare([]byte(id), []byte(f.cfg.ClientID)) != 1 {
		return clientUnknown
	}
	if f.cfg.ClientSecret != "" && subtle.ConstantTimeCompare([]byte(secret), []byte(f.cfg.ClientSecret)) != 1 {
		return clientWrongSecret
	}
	return clientOK
}

// tokenOK reports whether r carries a Bearer token this fake issued and that
// has not expired.
func (f *Fake) tokenOK(r *http.Request) bool {
	tok, ok := fakekit.BearerToken(r)
	if !ok {
		return false
	}
	f.tokMu.Lock()
	exp, ok := f.tokens[tok]
	f.tokMu.Unlock()
	return ok && f.env.Now().Before(exp)
}
