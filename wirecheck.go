package loyalty

// The check that keeps tolerant decoding from being silent: after a
// platform's answer is decoded into a wire struct, its raw JSON is walked
// beside the struct's type, and every field present with a JSON kind the
// field cannot read (a string where an integer goes, a time in no known
// layout, an integer past int64) and every required field absent is a
// DecodeIssue: on the Response, and logged once per Client at WARN.
//
// Each tolerant decoder (wireInt, wireText, wireBool, optionalInt,
// yotpoTime, influenceNumber, tierThresholdJSON) says what it accepts with
// a wireProblem method (the tolerant interface); plain Go
// fields accept their JSON kind; `wire:"required"` marks the few fields
// the platform always sends. Field information is computed once per type.
//
// An answer without an issue never gets that far: decodeOnce
// (wiredecode.go) decodes it in one pass beside the same field
// information, and gives up, for encoding/json and the walk, at the first
// thing it would have to report.

import (
	"bytes"
	"context"
	"encoding"
	"encoding/json"
	"errors"
	"io"
	"log/slog"
	"reflect"
	"strconv"
	"strings"
	"sync"

	"github.com/loyalty-go/loyalty/internal/transport"
)

// tolerant is a decoder that reads what it can and leaves the rest zero.
type tolerant interface {
	// wireProblem says why the JSON value b (not null) does not fit, ""
	// when it does. It never quotes b: the value can be personal data.
	wireProblem(b []byte) string
}

// maxDecodeIssues bounds Response.DecodeIssues: an answer of a thousand
// items each wrong the same way says so a hundred times, not a thousand.
const maxDecodeIssues = 100

// wireScope is what a Response knows of its call for recording issues.
type wireScope struct {
	client        *Client
	platform      Platform
	method, route string // the route template: a raw path can hold a code or an e-mail
}

// wireAt says where a decoded value sits in the answer: name, then [index]
// when index >= 0 ("customers[3]"); the zero value is the whole answer.
type wireAt struct {
	name  string
	index int
}

var atTop = wireAt{index: -1}

func atItem(name string, i int) wireAt { return wireAt{name: name, index: i} }
func atName(name string) wireAt        { return wireAt{name: name, index: -1} }

// decodeTolerant unmarshals raw into v, leaving a field whose JSON value
// has an unexpected type at zero instead of failing the whole object (one
// odd field of an answer must not hide the rest), and records every such
// field on resp (see DecodeIssue). at is where raw sits in resp's body.
//
// v points to a zero value: the one-pass decoder (see decodeOnce) may
// give up half-way, zero it and leave it to encoding/json.
func decodeTolerant(resp *Response, at wireAt, raw []byte, v any) error {
	if decodeOnce(raw, v) {
		return nil
	}
	return decodeChecked(resp, at, raw, v)
}

// decodeChecked is decodeTolerant the general way: encoding/json, then the
// check when it may have something to find.
func decodeChecked(resp *Response, at wireAt, raw []byte, v any) error {
	err := json.Unmarshal(raw, v)
	var te *json.UnmarshalTypeError
	if err != nil && (!errors.As(err, &te) || te.Field == "") {
		return err
	}
	if wt := wireTypeOf(reflect.TypeOf(v)); err != nil || wt.silent {
		resp.checkWire(at, raw, wt)
	}
	return nil
}

// decodeBody decodes a 2xx body into v (see decodeJSON) and, when v is a
// wire struct with something to check, checks it. A body Buffer read whole
// is decoded where it lies, without a copy; a json.RawMessage then shares
// its bytes.
func (r *Response) decodeBody(body io.Reader, v any) error {
	wt := wireTypeOf(reflect.TypeOf(v))
	var b []byte
	if bb, ok := body.(*transport.Buffered); ok {
		b = bb.Unread()
		switch raw := v.(type) {
		case *json.RawMessage:
			return rawJSON(b, raw)
		case *decodedNext:
			t := bytes.TrimSpace(b)
			*raw = decodedNext(t[:len(t):len(t)])
			return nil
		}
	} else if raw, ok := v.(*decodedNext); ok {
		return decodeJSON(body, (*json.RawMessage)(raw))
	} else if !wt.deep {
		return decodeJSON(body, v)
	} else {
		var err error
		if b, err = io.ReadAll(body); err != nil { // bounded by Buffer
			return err
		}
	}
	if wt.own && decodeOnce(b, v) {
		return nil
	}
	if err := unmarshalJSON(b, v); err != nil {
		return err
	}
	if wt.silent { // else encoding/json, which decoded it without an error, left nothing to find
		r.checkWire(atTop, b, wt)
	}
	return nil
}

// decodedNext is a json.RawMessage that its service method decodes at
// once with decodeTolerant, which checks it as JSON (decodeOnce as it
// reads, else json.Unmarshal) and fails on anything else: decodeBody
// hands the body over as it is, without scanning it first as it does a json.RawMessage (json.Valid, a
// pass over the whole answer). Only a body read whole gets this.
type decodedNext json.RawMessage

// unmarshalJSON is decodeJSON of a body already in memory: one
// json.Unmarshal. A body it refuses as JSON (empty, or data after the
// value) goes through decodeJSON, which words those as before.
func unmarshalJSON(b []byte, v any) error {
	err := json.Unmarshal(b, v)
	var se *json.SyntaxError
	if errors.As(err, &se) {
		return decodeJSON(bytes.NewReader(b), v)
	}
	return err
}

// rawJSON is unmarshalJSON into a json.RawMessage: the value's bytes,
// checked, shared with b (capped, so that an append copies).
func rawJSON(b []byte, raw *json.RawMessage) error {
	t := bytes.TrimSpace(b)
	if len(t) == 0 || !json.Valid(t) {
		return unmarshalJSON(b, raw)
	}
	*raw = t[:len(t):len(t)]
	return nil
}

// checkWire records on r the issues of raw read as wt.
func (r *Response) checkWire(at wireAt, raw []byte, wt *wireType) {
	if r == nil || !wt.deep {
		return
	}
	var path [8]pathPart // on the stack unless the answer nests deeper
	w := wireWalk{data: raw, path: path[:0]}
	if at.name != "" {
		w.path = append(w.path, pathPart{name: at.name, index: -1})
	}
	if at.index >= 0 {
		w.path = append(w.path, pathPart{index: at.index})
	}
	w.value(wt)
	for _, is := range w.issues {
		r.addDecodeIssue(is.field, is.problem)
	}
}

// addDecodeIssue records one issue on r and logs it, once per Client for
// its route, field (any list index alike) and problem.
func (r *Response) addDecodeIssue(field, problem string) {
	if r == nil {
		return
	}
	d := DecodeIssue{
		Platform: r.wire.platform, Route: r.wire.method + " " + r.wire.route,
		Field: field, Problem: problem,
	}
	if len(r.DecodeIssues) < maxDecodeIssues {
		r.DecodeIssues = append(r.DecodeIssues, d)
	}
	c := r.wire.client
	if c == nil {
		return
	}
	key := d
	key.Field = anyIndex(field)
	if _, logged := c.decodeLogged.LoadOrStore(key, struct{}{}); logged {
		return
	}
	l := c.logger
	if l == nil {
		l = slog.Default()
	}
	l.LogAttrs(context.Background(), slog.LevelWarn, "loyalty: answer field not decoded",
		slog.String("platform", string(d.Platform)), slog.String("route", d.Route),
		slog.String("field", d.Field), slog.String("problem", d.Problem))
}

// anyIndex replaces the list indexes of a field path with []:
// "customers[3].tags" is "customers[].tags".
func anyIndex(field string) string {
	if !strings.Contains(field, "[") {
		return field
	}
	var b strings.Builder
	skip := false
	for _, c := range field {
		switch {
		case c == '[':
			skip = true
			b.WriteRune(c)
		case c == ']':
			skip = false
			b.WriteRune(c)
		case !skip:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// ---- per-type field information ----

type wireKind uint8

const (
	kindAny      wireKind = iota // anything: json.RawMessage, any, a type decoding itself
	kindTolerant                 // asks wireProblem
	kindStruct
	kindList
	kindMap
	kindString
	kindInt
	kindUint
	kindFloat
	kindBool
)

// wireType is what the check knows of a Go type.
type wireType struct {
	kind    wireKind
	problem func([]byte) string // kindTolerant
	bits    int                 // kindInt, kindUint
	elem    *wireType           // kindList, kindMap
	fields  map[string]*wireField
	ordered []*wireField // for the case-insensitive match encoding/json also makes
	nreq    int          // required fields, numbered 0…nreq-1 (at most 64)
	needs   bool         // a value of this type can be an issue (all but kindAny)
	// deep: something inside a value of this type can be an issue, which a
	// whole answer's check needs (its own kind is checked by decoding).
	deep bool
	// silent: a value of this type can hold an issue that encoding/json
	// decodes without an error: a tolerant value or a missing required
	// field. Without one, a decode that returned nil has no issue to find
	// (a value of the wrong kind, a fraction or an overflow into an int is
	// an *json.UnmarshalTypeError), and the walk is skipped.
	silent bool
	fill   fillKind // how decodeOnce fills a value of this type
	// own: a struct of this package, one of the wire structs that
	// decodeBody decodes with decodeOnce (a caller's type of Do goes to
	// encoding/json as it is).
	own bool
}

type wireField struct {
	name  string
	t     *wireType
	req   int   // its number among the required fields, or -1
	index []int // for reflect.Value.FieldByIndex
}

var (
	wireTypes    sync.Map // reflect.Type → *wireType
	wireTypesMu  sync.Mutex
	tolerantType = reflect.TypeFor[tolerant]()
	rawType      = reflect.TypeFor[json.RawMessage]()
	numberType   = reflect.TypeFor[json.Number]()
	jsonUnmarsh  = reflect.TypeFor[json.Unmarshaler]()
	textUnmarsh  = reflect.TypeFor[encoding.TextUnmarshaler]()
	anyWireType  = &wireType{kind: kindAny, fill: fillUnmarshal}
	rawWireType  = &wireType{kind: kindAny, fill: fillRaw}
	ownPkgPath   = reflect.TypeFor[wireType]().PkgPath()
)

// wireTypeOf returns the field information of t (pointers looked
// through), computed once.
func wireTypeOf(t reflect.Type) *wireType {
	if t == nil {
		return anyWireType
	}
	if wt, ok := wireTypes.Load(t); ok {
		return wt.(*wireType)
	}
	wireTypesMu.Lock()
	defer wireTypesMu.Unlock()
	building := map[reflect.Type]*wireType{}
	wt := buildWireType(t, building)
	for bt, w := range building {
		wireTypes.Store(bt, w)
	}
	wireTypes.Store(t, wt)
	return wt
}

func buildWireType(t reflect.Type, building map[reflect.Type]*wireType) *wireType {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if wt, ok := wireTypes.Load(t); ok {
		return wt.(*wireType)
	}
	if wt := building[t]; wt != nil {
		return wt // a recursive type: filled in below, needs set there
	}
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(tolerantType):
		wt := &wireType{kind: kindTolerant, problem: reflect.New(t).Interface().(tolerant).wireProblem, needs: true, silent: true}
		if pt.Implements(jsonUnmarsh) {
			wt.fill = fillTolerant
		}
		return wt
	case t == rawType:
		return rawWireType
	case t == numberType: // a string kind that encoding/json checks as a number
		return &wireType{kind: kindString, needs: true, fill: fillUnmarshal}
	case t.Kind() == reflect.Interface || pt.Implements(jsonUnmarsh):
		return anyWireType
	case pt.Implements(textUnmarsh):
		return &wireType{kind: kindString, needs: true, fill: fillUnmarshal}
	}
	switch t.Kind() {
	case reflect.String:
		return &wireType{kind: kindString, needs: true, fill: fillString}
	case reflect.Bool:
		return &wireType{kind: kindBool, needs: true, fill: fillBool}
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		return &wireType{kind: kindInt, bits: t.Bits(), needs: true, fill: fillInt}
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return &wireType{kind: kindUint, bits: t.Bits(), needs: true, fill: fillUint}
	case reflect.Float32, reflect.Float64:
		return &wireType{kind: kindFloat, bits: t.Bits(), needs: true, fill: fillFloat}
	case reflect.Slice, reflect.Array:
		if t.Elem().Kind() == reflect.Uint8 {
			return &wireType{kind: kindString, needs: true, fill: fillUnmarshal} // base64
		}
		wt := &wireType{kind: kindList, needs: true, deep: true, silent: true} // deep and silent until known
		if t.Kind() == reflect.Slice {
			wt.fill = fillSlice
		}
		building[t] = wt
		wt.elem = buildWireType(t.Elem(), building)
		wt.deep, wt.silent = wt.elem.needs, wt.elem.silent
		return wt
	case reflect.Map:
		wt := &wireType{kind: kindMap, needs: true, deep: true, silent: true}
		building[t] = wt
		wt.elem = buildWireType(t.Elem(), building)
		wt.deep, wt.silent = wt.elem.needs, wt.elem.silent
		if !wt.silent {
			wt.fill = fillUnmarshal // encoding/json's error, if any, is the issue
		}
		return wt
	case reflect.Struct:
		wt := &wireType{kind: kindStruct, fields: map[string]*wireField{}, needs: true, deep: true, silent: true,
			fill: fillStruct, own: t.PkgPath() == ownPkgPath}
		building[t] = wt
		addWireFields(wt, t, nil, building)
		wt.deep, wt.silent = wt.nreq > 0, wt.nreq > 0
		for _, f := range wt.ordered {
			wt.deep = wt.deep || f.t.needs
			wt.silent = wt.silent || f.t.silent
		}
		return wt
	}
	return anyWireType // chan, func: encoding/json cannot fill them anyway
}

// addWireFields adds t's fields as encoding/json sees them, the fields of
// an untagged embedded struct promoted. Where two fields share a name,
// encoding/json's rules of dominance decide, which the check does not
// follow (the first wins): decodeOnce leaves such a type to encoding/json,
// as it does one with an embedded pointer (reached only through an
// allocation) or a `,string` field.
func addWireFields(wt *wireType, t reflect.Type, at []int, building map[reflect.Type]*wireType) {
	for i := range t.NumField() {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		index := append(at[:len(at):len(at)], i)
		name, opts, _ := strings.Cut(tag, ",")
		ft := f.Type
		if f.Anonymous && name == "" {
			if ft.Kind() == reflect.Pointer {
				wt.fill = fillNone
			}
			for ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				addWireFields(wt, ft, index, building)
				continue
			}
		}
		if !f.IsExported() {
			if f.Anonymous {
				wt.fill = fillNone // encoding/json fills an unexported embedded struct with a name
			}
			continue
		}
		if name == "" {
			name = f.Name
		}
		for j := range len(name) {
			if name[j] >= 0x80 {
				wt.fill = fillNone // encoding/json folds Unicode case onto it
			}
		}
		if _, dup := wt.fields[name]; dup {
			wt.fill = fillNone
			continue
		}
		wf := &wireField{name: name, t: buildWireType(ft, building), req: -1, index: index}
		if strings.Contains(","+opts+",", ",string,") {
			wf.t = anyWireType // a number in a string: rare, and encoding/json's own
			wt.fill = fillNone
		}
		if f.Tag.Get("wire") == "required" && wt.nreq < 64 {
			wf.req = wt.nreq
			wt.nreq++
		}
		wt.fields[name] = wf
		wt.ordered = append(wt.ordered, wf)
	}
}

// field finds the field of a JSON key: exactly, else ignoring case (as
// encoding/json does).
func (wt *wireType) field(key []byte) *wireField {
	if f := wt.fields[string(key)]; f != nil {
		return f
	}
	for _, f := range wt.ordered {
		if asciiFold(key, f.name) {
			return f
		}
	}
	return nil
}

func asciiFold(b []byte, s string) bool {
	if len(b) != len(s) {
		return false
	}
	for i := range b {
		x, y := b[i], s[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}

// ---- the walk over the JSON ----

type pathPart struct {
	name  string
	index int // >= 0: a list element
}

type wireIssue struct{ field, problem string }

// wireWalk scans JSON that encoding/json has already accepted; on anything
// unexpected it stops rather than guess.
type wireWalk struct {
	data   []byte
	pos    int
	path   []pathPart
	issues []wireIssue
}

func (w *wireWalk) report(problem string) {
	var b strings.Builder
	for i, p := range w.path {
		if p.index >= 0 {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(p.index))
			b.WriteByte(']')
			continue
		}
		if i > 0 {
			b.WriteByte('.')
		}
		b.WriteString(p.name)
	}
	w.issues = append(w.issues, wireIssue{b.String(), problem})
}

func (w *wireWalk) ws() { w.pos = spaceEnd(w.data, w.pos) }

// spaceEnd returns the index of the first byte of b at or after i that is
// not JSON whitespace (len(b) if none).
func spaceEnd(b []byte, i int) int {
	for i < len(b) {
		switch b[i] {
		case ' ', '\t', '\n', '\r':
			i++
		default:
			return i
		}
	}
	return i
}

// value checks the value at pos against wt and moves past it; it returns
// the value's first byte (0 at the end of the data).
func (w *wireWalk) value(wt *wireType) byte {
	w.ws()
	if w.pos >= len(w.data) {
		return 0
	}
	start, c := w.pos, w.data[w.pos]
	switch {
	case wt.kind == kindStruct && c == '{':
		w.object(wt)
		return c
	case wt.kind == kindList && c == '[':
		w.list(wt.elem)
		return c
	case wt.kind == kindMap && c == '{':
		w.mapValues(wt.elem)
		return c
	}
	w.skip()
	if c == 'n' || wt.kind == kindAny {
		return c // null fits every field
	}
	if p := wt.problemOf(c, w.data[start:w.pos]); p != "" {
		w.report(p)
	}
	return c
}

func (wt *wireType) problemOf(c byte, b []byte) string {
	want := ""
	switch wt.kind {
	case kindTolerant:
		return wt.problem(b)
	case kindStruct, kindMap:
		want = "object"
	case kindList:
		want = "array"
	case kindString:
		if c == '"' {
			return ""
		}
		want = "string"
	case kindBool:
		if c == 't' || c == 'f' {
			return ""
		}
		want = "boolean"
	case kindFloat:
		if c == '-' || (c >= '0' && c <= '9') {
			return ""
		}
		want = "number"
	case kindInt, kindUint:
		if c != '-' && (c < '0' || c > '9') {
			want = "integer"
			break
		}
		var err error
		if wt.kind == kindInt {
			_, err = strconv.ParseInt(string(b), 10, wt.bits)
		} else {
			_, err = strconv.ParseUint(string(b), 10, wt.bits)
		}
		if errors.Is(err, strconv.ErrRange) || (wt.kind == kindUint && c == '-') {
			return problemIntRange
		} else if err != nil {
			return "want integer, got a fraction"
		}
		return ""
	default:
		return ""
	}
	return "want " + want + ", got " + jsonKind(c)
}

func (w *wireWalk) object(wt *wireType) {
	w.pos++ // {
	var present uint64
	for w.pos < len(w.data) {
		w.ws()
		if w.pos >= len(w.data) {
			return
		}
		switch w.data[w.pos] {
		case '}':
			w.pos++
			w.missing(wt, present)
			return
		case ',':
			w.pos++
			continue
		case '"':
		default:
			w.pos = len(w.data) // not JSON encoding/json accepted: stop
			return
		}
		ks := w.pos
		w.skip()
		key := w.data[ks+1 : max(ks+1, w.pos-1)]
		if bytes.IndexByte(key, '\\') >= 0 {
			var k string
			_ = json.Unmarshal(w.data[ks:w.pos], &k)
			key = []byte(k)
		}
		w.ws()
		if w.pos < len(w.data) && w.data[w.pos] == ':' {
			w.pos++
		}
		f := wt.field(key)
		if f == nil || !f.t.needs {
			w.ws()
			w.skip()
			continue
		}
		w.path = append(w.path, pathPart{name: f.name, index: -1})
		c := w.value(f.t)
		w.path = w.path[:len(w.path)-1]
		if f.req >= 0 && c != 'n' {
			present |= 1 << f.req
		}
	}
}

// missing reports the required fields of wt absent (or null) from an
// object.
func (w *wireWalk) missing(wt *wireType, present uint64) {
	if wt.nreq == 0 || present == 1<<wt.nreq-1 {
		return
	}
	for _, f := range wt.ordered {
		if f.req >= 0 && present&(1<<f.req) == 0 {
			w.path = append(w.path, pathPart{name: f.name, index: -1})
			w.report("required field absent or null")
			w.path = w.path[:len(w.path)-1]
		}
	}
}

func (w *wireWalk) list(elem *wireType) {
	w.pos++ // [
	for i := 0; w.pos < len(w.data); {
		w.ws()
		if w.pos >= len(w.data) {
			return
		}
		switch w.data[w.pos] {
		case ']':
			w.pos++
			return
		case ',':
			w.pos++
			i++
			continue
		}
		before := w.pos
		if elem.needs {
			w.path = append(w.path, pathPart{index: i})
			w.value(elem)
			w.path = w.path[:len(w.path)-1]
		} else {
			w.skip()
		}
		if w.pos == before {
			w.pos = len(w.data) // no progress: stop
		}
	}
}

// mapValues checks the values of an object read as a map; the keys are
// data, so the path names none ("custom.*").
func (w *wireWalk) mapValues(elem *wireType) {
	w.pos++ // {
	for w.pos < len(w.data) {
		w.ws()
		if w.pos >= len(w.data) {
			return
		}
		switch w.data[w.pos] {
		case '}':
			w.pos++
			return
		case ',':
			w.pos++
			continue
		case '"':
		default:
			w.pos = len(w.data)
			return
		}
		w.skip() // the key
		w.ws()
		if w.pos < len(w.data) && w.data[w.pos] == ':' {
			w.pos++
		}
		if !elem.needs {
			w.ws()
			w.skip()
			continue
		}
		w.path = append(w.path, pathPart{name: "*", index: -1})
		w.value(elem)
		w.path = w.path[:len(w.path)-1]
	}
}

// skip moves past the value at pos (a string, a number, a literal, or a
// whole object or array).
func (w *wireWalk) skip() {
	d := w.data
	if w.pos >= len(d) {
		return
	}
	switch d[w.pos] {
	case '"':
		i := w.pos + 1
		for i < len(d) { // a plain loop: bytes.IndexAny builds its set on every call
			if c := d[i]; c == '\\' {
				i += 2
				continue
			} else if c == '"' {
				i++ // closing quote
				break
			}
			i++
		}
		w.pos = min(i, len(d))
	case '{', '[':
		depth := 0
		for w.pos < len(d) {
			switch d[w.pos] {
			case '"':
				w.skip()
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
			}
			w.pos++
			if depth == 0 {
				return
			}
		}
	default:
		for w.pos < len(d) {
			switch d[w.pos] {
			case ',', '}', ']', ' ', '\t', '\n', '\r':
				return
			}
			w.pos++
		}
	}
}
