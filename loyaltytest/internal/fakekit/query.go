package fakekit

import (
	"net/url"
	"strings"
)

// Query is a raw URL query (r.URL.RawQuery) read one name at a time.
// Get answers what url.ParseQuery(string(q)).Get does, without building
// the url.Values map (its map, slices and unescaped keys are most of what
// a GET costs the fakes).
type Query string

// queryScanMax is the number of '&' from which Get hands the query to
// url.ParseQuery, so that net/url's limit on the number of parameters
// (10,000 by default, GODEBUG urlmaxqueryparams) applies as it would.
const queryScanMax = 100

// Get returns the first value of name, unescaped, or "": the pairs that
// url.ParseQuery skips (holding a ';', or with a key or value that does not
// unescape) are skipped here too.
func (q Query) Get(name string) string {
	s := string(q)
	if strings.Count(s, "&") >= queryScanMax {
		v, _ := url.ParseQuery(s)
		return v.Get(name)
	}
	for s != "" {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" || strings.Contains(pair, ";") {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		if strings.IndexByte(key, '%') >= 0 || strings.IndexByte(key, '+') >= 0 { // ContainsAny builds a set per call
			k, err := url.QueryUnescape(key)
			if err != nil {
				continue
			}
			key = k
		}
		if key != name {
			continue
		}
		if v, err := url.QueryUnescape(value); err == nil {
			return v
		}
	}
	return ""
}
