package monterosafake

import (
	"crypto"
	"crypto/rsa"
	"crypto/sha256"
	"crypto/subtle"
	"encoding/base64"
	"encoding/json"
	"net/http"
	"strings"

	"github.com/loyalty-go/loyalty/internal/contract"
	"github.com/loyalty-go/loyalty/loyaltytest/internal/fakekit"
)

// authenticate returns the user a request acts for, or the error status
// (401 bad token, 403 service token without userId or a user token naming
// another user).
func (f *Fake) authenticate(r *http.Request) (user string, status int) {
	tok, ok := fakekit.BearerToken(r)
	if !ok {
		return "", http.StatusUnauthorized
	}
	var target string
	if r.URL.RawQuery != "" {
		target = r.URL.Query().Get(contract.MonterosaQueryUserID)
	}
	if f.opts.ServiceToken != "" && eq(tok, f.opts.ServiceToken) {
		if target == "" {
			return "", http.StatusForbidden
		}
		return target, 0
	}
	if f.opts.Token != "" && !eq(tok, f.opts.Token) {
		return "", http.StatusUnauthorized
	}
	user, ok = f.userOf(tok)
	if !ok {
		return "", http.StatusUnauthorized
	}
	if target != "" && target != user {
		return "", http.StatusForbidden
	}
	return user, 0
}

func eq(a, b string) bool { return subtle.ConstantTimeCompare([]byte(a), []byte(b)) == 1 }

type jwtHeader struct {
	Alg string `json:"alg"`
}

type jwtClaims struct {
	Sub string   `json:"sub"`
	Exp *float64 `json:"exp"`
}

// userOf names the user of a token: the sub of a JWT, or the token itself.
// With an RSA key configured only valid, unexpired RS256 JWTs pass.
func (f *Fake) userOf(tok string) (string, bool) {
	var hdr jwtHeader
	var parts []string
	if strings.Count(tok, ".") == 2 { // only JWTs pay for parsing
		parts = strings.Split(tok, ".")
	}
	if len(parts) != 3 || !decodeSegment(parts[0], &hdr) || hdr.Alg == "" {
		return tok, f.opts.RSAPublicKey == nil
	}
	var claims jwtClaims
	if !decodeSegment(parts[1], &claims) || claims.Sub == "" {
		return "", false
	}
	if key := f.opts.RSAPublicKey; key != nil {
		sig, err := base64.RawURLEncoding.DecodeString(parts[2])
		if err != nil || hdr.Alg != "RS256" {
			return "", false
		}
		digest := sha256.Sum256([]byte(parts[0] + "." + parts[1]))
		if rsa.VerifyPKCS1v15(key, crypto.SHA256, digest[:], sig) != nil {
			return "", false
		}
		if claims.Exp != nil && float64(f.env.Now().Unix()) >= *claims.Exp {
			return "", false
		}
	}
	return claims.Sub, true
}

func decodeSegment(seg string, v any) bool {
	b, err := base64.RawURLEncoding.DecodeString(seg)
	return err == nil && json.Unmarshal(b, v) == nil
}
