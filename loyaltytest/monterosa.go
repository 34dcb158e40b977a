package loyaltytest

import (
	"crypto/rsa"
	"time"

	"github.com/loyalty-go/loyalty/loyaltytest/internal/monterosafake"
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
	return monterosafake.SignRS256(key, claims)
}
