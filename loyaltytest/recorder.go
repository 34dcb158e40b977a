package loyaltytest

import (
	"bytes"
	"cmp"
	"encoding/json"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"sync"
	"time"

	"github.com/loyalty-go/loyalty"
	"github.com/loyalty-go/loyalty/internal/contract"
)

// A RecordedRequest is one request the fake received, secrets redacted.
type RecordedRequest struct {
	ID       int              // numbers requests from 1 in arrival order
	Time     time.Time        // by the server's clock
	Platform loyalty.Platform // Qualifio, Yotpo, InfluenceIO, Monterosa, or "" for no platform
	Method   string
	Path     string
	// Route is Path with each id segment written {id}, as Fault.Route
	// matches it: "/v1/customers/{id}/points".
	Route  string
	Query  url.Values  // secret parameters replaced by Redacted
	Header http.Header // secret headers replaced by Redacted
	// Body is kept up to the body cap (and, for a request larger than the
	// whole WithRecordBytes budget, up to what fits in it), with client
	// secrets of token requests and the token in Influence.io webhook
	// subscription URLs replaced by Redacted.
	Body []byte
	// RequestID is the id the answer carried in the platform's
	// request-id header (one of the loyalty SDK's Response.RequestID
	// names), also on errors and faults; a cut connection carried none.
	RequestID string
	// Status is the status answered; 0 while the request is being served,
	// and when no answer was sent (a cut connection: Fault says so).
	Status int
	// Duration is how long the answer took, 0 while it is being served.
	Duration time.Duration
	// Fault names the fault the request met, "" for none: "503", "drop",
	// "delay", or with Fault.AfterApply "applied, then 504",
	// "applied, then drop", "applied, then delay", and
	// faultRateLimited's note when the rate limit refused the request
	// first (nothing applied, the fault used up).
	Fault string
}

// Redacted replaces secret values in recorded requests.
const Redacted = "REDACTED"

// recorded is a request as kept: redaction and query parsing wait until
// Requests is called, which keeps the serving path cheap. The header is
// packed (packedHeader), which the garbage collector need not scan.
type recorded struct {
	id             int
	time           time.Time
	platform       loyalty.Platform
	method         string
	path, rawQuery string
	header         packedHeader
	headerBytes    int64 // the header's names and values, in bytes
	body           []byte
	requestID      string
	fault          string
	status         int
	duration       time.Duration
	cost           int64 // size() as counted against the budget
}

// public redacts e. names are the exact header and query names registered
// as carrying Qualifio mapped-event credentials; they are redacted on
// Qualifio requests beside the names secretName guesses.
func (e recorded) public(names map[string]bool) RecordedRequest {
	q, _ := url.ParseQuery(e.rawQuery)
	if e.platform != Qualifio {
		names = nil
	}
	return RecordedRequest{
		ID: e.id, Time: e.time, Platform: e.platform, Method: e.method, Path: e.path, Route: routeTemplate(e.path),
		Query: redactQuery(q, names), Header: redactHeader(e.header.unpack(), names), Body: redactBody(e.method, e.path, e.body),
		RequestID: e.requestID, Status: e.status, Duration: e.duration, Fault: e.fault,
	}
}

// size is what e holds in bytes, as counted against the recorder's byte
// budget: body, path, query and header names and values, plus
// recordOverhead for the rest.
func (e *recorded) size() int64 {
	return int64(recordOverhead+len(e.body)+len(e.path)+len(e.rawQuery)+len(e.method)+len(e.requestID)+len(e.fault)) + e.headerBytes
}

// recordOverhead is what a record costs beyond its strings, counted so
// that many small records also meet the byte budget (decided: about the
// size of a recorded and its header map).
const recordOverhead = 256

// recorder keeps the most recent requests, at most limit of them and at
// most budget bytes (recorded.size), evicting the oldest.
type recorder struct {
	limit  int   // <= 0: off
	budget int64 // > 0
	mu     sync.Mutex
	queue  []recorded // oldest first, from head
	head   int
	bytes  int64           // sum of the sizes of queue[head:]
	names  map[string]bool // registered secret names, as given and canonical header form
	last   int             // id of the last request recorded
}

// addSecretName records a merchant-chosen credential name (fakekit.Env's
// SecretName). Names are never forgotten, so that replacing an integration
// does not reveal requests recorded under the old one.
func (rc *recorder) addSecretName(name string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	if rc.names == nil {
		rc.names = map[string]bool{}
	}
	rc.names[name] = true
	rc.names[http.CanonicalHeaderKey(name)] = true
}

// secretNames returns a copy of the registered secret names.
func (rc *recorder) secretNames() map[string]bool {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	return maps.Clone(rc.names)
}

// add keeps rr, evicting the oldest records until both bounds hold, and
// returns its id (for finish). A record larger than the whole budget keeps
// as much of its body as fits, and is not kept when even its headers do
// not fit.
func (rc *recorder) add(rr recorded) int {
	if rc.limit <= 0 {
		return 0
	}
	// Sized once: eviction subtracts the cost kept with the record.
	size := rr.size()
	rc.mu.Lock()
	defer rc.mu.Unlock()
	rc.last++
	rr.id = rc.last
	if over := size - rc.budget; over > 0 {
		if over > int64(len(rr.body)) {
			return rr.id
		}
		rr.body = rr.body[:int64(len(rr.body))-over]
		size = rc.budget
	}
	rr.cost = size
	for len(rc.queue)-rc.head >= rc.limit || rc.bytes+size > rc.budget {
		rc.bytes -= rc.queue[rc.head].cost
		rc.queue[rc.head] = recorded{} // let the evicted body go
		rc.head++
	}
	// Move the kept records to the front once the evicted ones are as many,
	// so that the queue's backing array stays within twice what it keeps.
	if rc.head > 0 && rc.head >= len(rc.queue)-rc.head {
		n := copy(rc.queue, rc.queue[rc.head:])
		clear(rc.queue[n:])
		rc.queue, rc.head = rc.queue[:n], 0
	}
	rc.queue = append(rc.queue, rr)
	rc.bytes += size
	return rr.id
}

// find returns the index in kept of the record of id. Callers hold rc.mu.
func (rc *recorder) find(kept []recorded, id int) (int, bool) {
	// Ids are kept in order, and without gaps unless a record was too
	// large to keep: try where id would be first.
	if len(kept) > 0 {
		if i := id - kept[0].id; i >= 0 && i < len(kept) && kept[i].id == id {
			return i, true
		}
	}
	return slices.BinarySearchFunc(kept, id, func(e recorded, id int) int { return cmp.Compare(e.id, id) })
}

// finish notes the answer to the request id, if it is still kept.
func (rc *recorder) finish(id, status int, d time.Duration) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	kept := rc.queue[rc.head:]
	if i, found := rc.find(kept, id); found {
		kept[i].status, kept[i].duration = status, max(d, time.Nanosecond)
	}
}

// noteFault replaces the fault note of the request id, if it is still kept.
func (rc *recorder) noteFault(id int, note string) {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	kept := rc.queue[rc.head:]
	if i, found := rc.find(kept, id); found {
		// The note's length counts against the budget (recorded.size).
		d := int64(len(note) - len(kept[i].fault))
		kept[i].fault = note
		kept[i].cost += d
		rc.bytes += d
	}
}

func (rc *recorder) all() []RecordedRequest {
	rc.mu.Lock()
	defer rc.mu.Unlock()
	out := make([]RecordedRequest, 0, len(rc.queue)-rc.head)
	for _, e := range rc.queue[rc.head:] {
		out = append(out, e.public(rc.names))
	}
	return out
}

func (rc *recorder) reset() {
	rc.mu.Lock()
	rc.queue, rc.head, rc.bytes = nil, 0, 0
	rc.mu.Unlock()
}

// Requests returns the recorded requests, oldest first.
func (s *Server) Requests() []RecordedRequest { return s.rec.all() }

// ResetRequests forgets the recorded requests.
func (s *Server) ResetRequests() { s.rec.reset() }

// secretName reports whether a header or parameter name carries a secret:
// the platforms' key and token names, and names that by convention say
// auth, token, key, secret, signature or password. The merchant-chosen
// names of Qualifio mapped-event credentials are also redacted exactly, as
// registered with AddMappedEvent (recorder.names).
func secretName(name string) bool {
	n := strings.ToLower(name)
	for _, s := range []string{"auth", "token", "key", "secret", "signature", "password"} {
		if strings.Contains(n, s) {
			return true
		}
	}
	return false
}

func redactHeader(h http.Header, names map[string]bool) http.Header {
	out := make(http.Header, len(h))
	for k, v := range h {
		if secretName(k) || names[k] || names[http.CanonicalHeaderKey(k)] {
			v = []string{Redacted}
		}
		out[k] = v
	}
	return out
}

func redactQuery(q url.Values, names map[string]bool) url.Values {
	for k := range q {
		if secretName(k) || names[k] {
			q[k] = []string{Redacted}
		}
	}
	return q
}

// redactBody hides the credentials that request bodies carry: client secrets
// in form bodies of the Qualifio token endpoint, and the secret query values
// (Influence.io's `?token=<secret>`) in the `url` of Influence.io
// webhook subscriptions (POST and PUT /v1/webhooks…). The other JSON bodies
// of these APIs carry no credentials.
func redactBody(method, path string, body []byte) []byte {
	switch {
	case len(body) == 0:
		return bytes.Clone(body)
	case path == contract.QualifioTokenPath:
		form, err := url.ParseQuery(string(body))
		if err != nil {
			return []byte(Redacted)
		}
		return []byte(redactQuery(form, nil).Encode())
	case (method == http.MethodPost || method == http.MethodPut) &&
		(path == contract.InfluenceIOPathWebhooks || strings.HasPrefix(path, contract.InfluenceIOPathWebhooks+"/")):
		return redactURLField(body)
	}
	return bytes.Clone(body)
}

// redactURLField redacts secret query values in the string value of the
// top-level "url" member of a JSON object, leaving every other byte of body
// as it was. A body that is not such an object is kept as is unless the
// url cannot be read, in which case the whole value is redacted.
func redactURLField(body []byte) []byte {
	dec := json.NewDecoder(bytes.NewReader(body))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return bytes.Clone(body)
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return bytes.Clone(body)
		}
		var raw json.RawMessage
		if err := dec.Decode(&raw); err != nil {
			return bytes.Clone(body)
		}
		if key != "url" {
			continue
		}
		end := int(dec.InputOffset())
		start := end - len(raw)
		var s string
		if json.Unmarshal(raw, &s) != nil {
			return bytes.Clone(body)
		}
		red := redactURLQuery(s)
		if red == s {
			continue
		}
		var b bytes.Buffer
		enc := json.NewEncoder(&b)
		enc.SetEscapeHTML(false)
		_ = enc.Encode(red) // a string: cannot fail
		out := append(bytes.Clone(body[:start]), bytes.TrimSuffix(b.Bytes(), []byte("\n"))...)
		return append(out, body[end:]...)
	}
	return bytes.Clone(body)
}

// redactURLQuery replaces the values of secret query parameters of s, and
// a password in its user info, by Redacted, keeping the rest of the URL as
// written; a URL it cannot parse is redacted whole when it might hold a
// secret. (redactURL, for error messages, drops user info and re-encodes.)
func redactURLQuery(s string) string {
	u, err := url.Parse(s)
	if err != nil {
		if secretName(s) {
			return Redacted
		}
		return s
	}
	changed := false
	if u.User != nil {
		if _, ok := u.User.Password(); ok {
			u.User = url.UserPassword(u.User.Username(), Redacted)
			changed = true
		}
	}
	parts := strings.Split(u.RawQuery, "&")
	for i, p := range parts {
		k, _, _ := strings.Cut(p, "=")
		if name, err := url.QueryUnescape(k); p != "" && err == nil && secretName(name) {
			parts[i] = k + "=" + Redacted
			changed = true
		}
	}
	if !changed {
		return s
	}
	u.RawQuery = strings.Join(parts, "&")
	return u.String()
}
