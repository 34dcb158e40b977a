package loyaltytest

import (
	"crypto"
	"crypto/rand"
	"crypto/rsa"
	"crypto/sha256"
	"encoding/base64"
	"encoding/json"
	"time"
)

// DefaultMonterosaServiceToken is the service token cmd/loyaltyfake
// accepts; a Server accepts one only with WithMonterosaServiceToken.
const DefaultMonterosaServiceToken = "loyaltytest-service"

// SignMonterosaJWT returns a Monterosa-style access token for user sub,
// signed RS256 by key and expiring at exp (none when exp is zero), for a
// Server started with WithMonterosaRS256Key(&key.PublicKey).
func SignMonterosaJWT(key *rsa.PrivateKey, sub string, exp time.Time) (string, error) {
	claims := map[string]any{"sub": sub}
	if !exp.IsZero() {
		claims["exp"] = exp.Unix()
	}
	return signRS256(key, claims)
}

// signRS256 returns a JWT with claims signed RS256 by key, as the Monterosa
// fake verifies them with its Options.RSAPublicKey.
func signRS256(key *rsa.PrivateKey, claims any) (string, error) {
	seg := func(v any) (string, error) {
		b, err := json.Marshal(v)
		return base64.RawURLEncoding.EncodeToString(b), err
	}
	hdr, err := seg(map[string]string{"alg": "RS256", "typ": "JWT"})
	if err != nil {
		return "", err
	}
	body, err := seg(claims)
	if err != nil {
		return "", err
	}
	digest := sha256.Sum256([]byte(hdr + "." + body))
	sig, err := rsa.SignPKCS1v15(rand.Reader, key, crypto.SHA256, digest[:])
	if err != nil {
		return "", err
	}
	return hdr + "." + body + "." + base64.RawURLEncoding.EncodeToString(sig), nil
}
