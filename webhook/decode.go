package webhook

import (
	"encoding/json"
	"errors"
)

// decode unmarshals body into v, tolerating a JSON value of the wrong type
// inside the document: encoding/json then leaves that field at zero and
// decodes the rest, which is what a receiver wants. A document of the wrong
// type as a whole, or invalid JSON, is still an error.
func decode(body []byte, v any) error {
	err := json.Unmarshal(body, v)
	if err == nil {
		return nil // before te, which errors.As moves to the heap
	}
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return nil
	}
	return err
}

// firstByte returns the first non-whitespace byte of body, or 0.
func firstByte(body []byte) byte {
	if b := skipSpace(body); len(b) > 0 {
		return b[0]
	}
	return 0
}

// skipSpace returns b without its leading JSON whitespace.
func skipSpace(b []byte) []byte {
	for len(b) > 0 && (b[0] == ' ' || b[0] == '\t' || b[0] == '\n' || b[0] == '\r') {
		b = b[1:]
	}
	return b
}
