package fakekit

import (
	"errors"
	"maps"
	"net/http"
	"slices"
	"strings"
)

// BodyMessages words one fake's answers to the errors of ReadJSON; the status
// of each is fixed, the wording and the error body shape are the fake's own.
type BodyMessages struct {
	TooLarge    string // ErrTooLarge: 413
	ContentType string // ErrContentType: 415
	Malformed   string // ErrMalformed: 400
	OutOfRange  string // ErrOutOfRange: 400; empty: ErrOutOfRange's own text
}

// ReadBody decodes r's body into v as ReadJSON does. When that fails it
// answers through the fake's own writeError (413, 415 or 400 with the
// matching message of msgs; 400 for a number beyond MaxExact) and returns
// false.
func ReadBody(w http.ResponseWriter, r *http.Request, max int64, v any, msgs BodyMessages, writeError func(w http.ResponseWriter, status int, msg string)) bool {
	err := ReadJSON(r, max, v)
	switch {
	case err == nil:
		return true
	case errors.Is(err, ErrTooLarge):
		writeError(w, http.StatusRequestEntityTooLarge, msgs.TooLarge)
	case errors.Is(err, ErrContentType):
		writeError(w, http.StatusUnsupportedMediaType, msgs.ContentType)
	case errors.Is(err, ErrOutOfRange):
		msg := msgs.OutOfRange
		if msg == "" {
			msg = ErrOutOfRange.Error()
		}
		writeError(w, http.StatusBadRequest, msg)
	default:
		writeError(w, http.StatusBadRequest, msgs.Malformed)
	}
	return false
}

// Allow is the value of an Allow header for the methods a route serves: the
// methods sorted and joined by ", ".
func Allow[H any](methods map[string]H) string {
	return strings.Join(slices.Sorted(maps.Keys(methods)), ", ")
}
