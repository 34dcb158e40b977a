package fakekit

import (
	"encoding/json"
	"net/http/httptest"
	"strings"
	"testing"
)

// jsonStrings are strings that encoding/json escapes, and some it does not.
var jsonStrings = []string{
	"", "ana@example.com", `a"b`, `a\b`, "<script>&</script>", "tab\there", "nl\n", "\b\f\r\x00\x1f\x7f",
	"é€😀", "\u2028\u2029", "bad\xffutf8", "\xed\xa0\x80", "C-1", "ref000001",
}

func TestAppendJSONMatchesEncodingJSON(t *testing.T) {
	for _, s := range jsonStrings {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("AppendJSONString(%q) = %s, json.Marshal gives %s", s, got, want)
		}
		if got := AppendJSONStringPtr(nil, &s); string(got) != string(want) {
			t.Errorf("AppendJSONStringPtr(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	}
	n := -42
	for _, c := range []struct {
		got  []byte
		want any
	}{
		{AppendJSONStringPtr(nil, nil), (*string)(nil)},
		{AppendJSONIntPtr(nil, nil), (*int)(nil)},
		{AppendJSONIntPtr(nil, &n), &n},
		{AppendJSONStrings(nil, nil), []string(nil)},
		{AppendJSONStrings(nil, []string{}), []string{}},
		{AppendJSONStrings(nil, jsonStrings), jsonStrings},
		{AppendJSONValue(nil, map[string]any{"a": "<b>", "n": 1}), map[string]any{"a": "<b>", "n": 1}},
	} {
		want, _ := json.Marshal(c.want)
		if string(c.got) != string(want) {
			t.Errorf("appended %s, json.Marshal gives %s", c.got, want)
		}
	}
}

func FuzzAppendJSONString(f *testing.F) {
	for _, s := range jsonStrings {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, _ := json.Marshal(s)
		if got := AppendJSONString(nil, s); string(got) != string(want) {
			t.Errorf("AppendJSONString(%q) = %s, json.Marshal gives %s", s, got, want)
		}
	})
}

// WriteJSONBuffer sends what WriteJSON sends for the same JSON.
func TestWriteJSONBufferMatchesWriteJSON(t *testing.T) {
	v := map[string]string{"error_message": "<not found>"}
	want := httptest.NewRecorder()
	WriteJSON(want, 404, v)
	got := httptest.NewRecorder()
	b := JSONBuffer()
	*b = AppendJSONValue(*b, v)
	WriteJSONBuffer(got, 404, b)
	if got.Code != want.Code || got.Body.String() != want.Body.String() ||
		strings.Join(got.Header().Values("Content-Type"), ",") != strings.Join(want.Header().Values("Content-Type"), ",") {
		t.Errorf("WriteJSONBuffer: %d %v %q; WriteJSON: %d %v %q", got.Code, got.Header(), got.Body, want.Code, want.Header(), want.Body)
	}
}
