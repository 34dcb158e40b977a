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
	var v [1]string
	q.GetEach([]string{name}, v[:])
	return v[0]
}

// GetEach sets values[i] to Get(names[i]), in one pass over the query
// (a GET reads several names). names holds at most 64 names.
func (q Query) GetEach(names, values []string) {
	s := string(q)
	if len(names) > 64 || strings.Count(s, "&") >= queryScanMax {
		v, _ := url.ParseQuery(s)
		for i, name := range names {
			values[i] = v.Get(name)
		}
		return
	}
	clear(values)
	var found uint64 // bit i: names[i] has its value
	for s != "" && found != 1<<len(names)-1 {
		var pair string
		pair, s, _ = strings.Cut(s, "&")
		if pair == "" || strings.IndexByte(pair, ';') >= 0 {
			continue
		}
		key, value, _ := strings.Cut(pair, "=")
		if strings.IndexByte(key, '%') >= 0 || strings.IndexByte(key, '+') >= 0 {
			k, err := url.QueryUnescape(key)
			if err != nil {
				continue
			}
			key = k
		}
		i := -1
		for j, name := range names {
			if found&(1<<j) == 0 && name == key {
				i = j
				break
			}
		}
		if i < 0 {
			continue
		}
		v, err := url.QueryUnescape(value)
		if err != nil {
			continue
		}
		// A name given twice gets the same value in both places.
		for j := i; j < len(names); j++ {
			if names[j] == key {
				values[j] = v
				found |= 1 << j
			}
		}
	}
}
