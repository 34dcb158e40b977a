package contract

import (
	"crypto/hmac"
	"crypto/sha1"
	"crypto/sha256"
	"encoding/hex"
)

// HMACSHA256Hex returns the lower-case hex HMAC-SHA256 of body under secret.
func HMACSHA256Hex(secret, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// HMACSHA1Hex returns the lower-case hex HMAC-SHA1 of body under secret.
func HMACSHA1Hex(secret, body []byte) string {
	m := hmac.New(sha1.New, secret)
	m.Write(body)
	return hex.EncodeToString(m.Sum(nil))
}

// SHA256Hex returns the lower-case hex SHA-256 of body.
func SHA256Hex(body []byte) string {
	s := sha256.Sum256(body)
	return hex.EncodeToString(s[:])
}
