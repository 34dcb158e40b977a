package loyalty

// The one-pass decoder of platform answers. encoding/json reads an answer
// twice (it scans the whole of it as JSON before it decodes), and the
// check (wirecheck.go) walks it a third time to find what the tolerant
// fields swallowed. (A tolerant field's own wireProblem and UnmarshalJSON
// still each read its value, here as there.)
// decodeOnce reads it once, beside the wire type the check already knows,
// validating as it goes; at the first thing that is not plain (invalid
// JSON, a value that is a decode issue, a required field absent, a shape
// it does not fill itself) it gives up, and the answer takes the general
// way, which words the error and records the issues. What it fills is
// what encoding/json fills: the test decodes generated answers both ways.

import (
	"encoding/json"
	"reflect"
	"strconv"
	"unicode/utf8"
)

// fillKind is how decodeOnce fills a value of a type.
type fillKind uint8

const (
	fillNone      fillKind = iota // not at all: encoding/json decodes the answer
	fillStruct                    // field by field
	fillSlice                     // element by element
	fillString                    // a Go string kind
	fillInt                       // a Go signed integer kind
	fillUint                      // a Go unsigned integer kind
	fillFloat                     // a Go float kind
	fillBool                      // a Go bool kind
	fillTolerant                  // wireProblem, then UnmarshalJSON
	fillRaw                       // json.RawMessage: a copy of the value's bytes
	fillUnmarshal                 // json.Unmarshal of the value's bytes (a type without a tolerant value inside)
)

// maxDepth is encoding/json's limit of nesting, past which it fails.
const maxDepth = 10000

// decodeOnce decodes data into v, a pointer to a zero wire struct or
// slice, in one pass. It reports false when it gave up; v is zero again
// then.
func decodeOnce(data []byte, v any) bool {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return false
	}
	wt := wireTypeOf(rv.Type())
	e := rv.Elem()
	if (wt.fill != fillStruct && wt.fill != fillSlice) || !e.IsZero() {
		return false
	}
	d := onePass{data: data}
	if d.fill(wt, e) {
		d.ws()
		if d.pos == len(d.data) {
			return true
		}
	}
	e.SetZero()
	return false
}

// onePass is the state of one decodeOnce.
type onePass struct {
	data  []byte
	pos   int
	depth int
}

func (d *onePass) ws() { d.pos = spaceEnd(d.data, d.pos) }

// peek returns the byte at pos, 0 at the end.
func (d *onePass) peek() byte {
	if d.pos < len(d.data) {
		return d.data[d.pos]
	}
	return 0
}

// fill decodes the value at pos into v (addressable) as encoding/json
// would, and moves past it.
func (d *onePass) fill(wt *wireType, v reflect.Value) bool {
	d.ws()
	c := d.peek()
	for v.Kind() == reflect.Pointer { // null sets a pointer to nil, anything else fills a new value
		if c == 'n' {
			v.SetZero()
			return d.literal("null")
		}
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	if c == 'n' { // null leaves a value as it is, but for these
		switch wt.fill {
		case fillSlice:
			v.SetZero()
			return d.literal("null")
		case fillStruct, fillString, fillInt, fillUint, fillFloat, fillBool:
			return d.literal("null")
		}
	}
	switch wt.fill {
	case fillStruct:
		return c == '{' && d.object(wt, v)
	case fillSlice:
		return c == '[' && d.array(wt.elem, v)
	case fillString:
		s, ok := d.str()
		if ok {
			v.SetString(s)
		}
		return ok
	case fillInt, fillUint:
		b, integer := d.number()
		if !integer {
			return false // a fraction, or not a number: an issue
		}
		n, ok, _ := parseInt(b)
		if !ok || (wt.fill == fillUint && b[0] == '-') { // encoding/json refuses even -0

			return false
		}
		if wt.fill == fillInt {
			if v.OverflowInt(n) {
				return false
			}
			v.SetInt(n)
			return true
		}
		if n < 0 || v.OverflowUint(uint64(n)) {
			return false
		}
		v.SetUint(uint64(n))
		return true
	case fillFloat:
		b, _ := d.number()
		if b == nil {
			return false
		}
		f, err := strconv.ParseFloat(string(b), wt.bits)
		if err != nil {
			return false
		}
		v.SetFloat(f)
		return true
	case fillBool:
		switch c {
		case 't':
			v.SetBool(true)
			return d.literal("true")
		case 'f':
			v.SetBool(false)
			return d.literal("false")
		}
		return false
	case fillTolerant, fillRaw, fillUnmarshal:
		if wt.kind == kindString && c != '"' && c != 'n' {
			return false // []byte takes an array too, but the check wants a string
		}
		start := d.pos
		if !d.skip() {
			return false
		}
		b := d.data[start:d.pos]
		switch wt.fill {
		case fillTolerant:
			if c != 'n' && wt.problem(b) != "" {
				return false
			}
			u, ok := v.Addr().Interface().(json.Unmarshaler)
			return ok && u.UnmarshalJSON(b) == nil
		case fillRaw:
			v.SetBytes(append([]byte(nil), b...)) // as json.RawMessage's UnmarshalJSON copies
			return true
		}
		return json.Unmarshal(b, v.Addr().Interface()) == nil
	}
	return false
}

// object fills the struct v from the object at pos.
func (d *onePass) object(wt *wireType, v reflect.Value) bool {
	if d.depth++; d.depth > maxDepth {
		return false
	}
	d.pos++ // {
	var present uint64
	d.ws()
	if d.peek() == '}' {
		d.pos++
	} else {
		for {
			d.ws()
			key, ascii, ok := d.key()
			if !ok {
				return false
			}
			d.ws()
			if d.peek() != ':' {
				return false
			}
			d.pos++
			f := wt.fields[string(key)]
			if f == nil && !ascii {
				return false // encoding/json folds Unicode case too: leave it to encoding/json
			}
			if f == nil {
				f = wt.field(key)
			}
			if f == nil {
				if !d.skip() {
					return false
				}
			} else {
				d.ws()
				null := d.peek() == 'n'
				if !d.fill(f.t, v.FieldByIndex(f.index)) {
					return false
				}
				if f.req >= 0 && !null && f.t.needs { // as the check counts them
					present |= 1 << f.req
				}
			}
			d.ws()
			if c := d.peek(); c == ',' {
				d.pos++
				continue
			} else if c != '}' {
				return false
			}
			d.pos++
			break
		}
	}
	d.depth--
	return wt.nreq == 0 || present == 1<<wt.nreq-1 // else the check reports the absent
}

// array fills the slice v from the array at pos, reusing v's elements as
// encoding/json does.
func (d *onePass) array(elem *wireType, v reflect.Value) bool {
	if d.depth++; d.depth > maxDepth {
		return false
	}
	d.pos++ // [
	i := 0
	d.ws()
	if d.peek() == ']' {
		d.pos++
	} else {
		for {
			if i >= v.Cap() {
				v.Grow(1)
			}
			if i >= v.Len() {
				v.SetLen(i + 1)
			}
			if !d.fill(elem, v.Index(i)) {
				return false
			}
			i++
			d.ws()
			if c := d.peek(); c == ',' {
				d.pos++
				continue
			} else if c != ']' {
				return false
			}
			d.pos++
			break
		}
	}
	if i < v.Len() {
		v.SetLen(i)
	}
	if i == 0 {
		v.Set(reflect.MakeSlice(v.Type(), 0, 0))
	}
	d.depth--
	return true
}

// literal moves past lit at pos.
func (d *onePass) literal(lit string) bool {
	if len(d.data)-d.pos < len(lit) || string(d.data[d.pos:d.pos+len(lit)]) != lit {
		return false
	}
	d.pos += len(lit)
	return true
}

// scanString moves past the string at pos, checking it; plain says it
// has no escape, ascii that it has no byte past 0x7f.
func (d *onePass) scanString() (b []byte, plain, ascii, ok bool) {
	if d.peek() != '"' {
		return nil, false, false, false
	}
	start := d.pos
	plain, ascii = true, true
	for i := d.pos + 1; i < len(d.data); i++ {
		switch c := d.data[i]; {
		case c == '"':
			d.pos = i + 1
			return d.data[start:d.pos], plain, ascii, true
		case c == '\\':
			plain = false
			i++
			if i >= len(d.data) {
				return nil, false, false, false
			}
			switch d.data[i] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
			case 'u':
				if i+4 >= len(d.data) {
					return nil, false, false, false
				}
				for _, h := range d.data[i+1 : i+5] {
					if !('0' <= h && h <= '9' || 'a' <= h && h <= 'f' || 'A' <= h && h <= 'F') {
						return nil, false, false, false
					}
				}
				i += 4
			default:
				return nil, false, false, false
			}
		case c < 0x20:
			return nil, false, false, false
		case c >= utf8.RuneSelf:
			ascii = false
		}
	}
	return nil, false, false, false
}

// str reads the string at pos as encoding/json does (an invalid UTF-8
// byte becomes U+FFFD).
func (d *onePass) str() (string, bool) {
	b, plain, ascii, ok := d.scanString()
	switch {
	case !ok:
		return "", false
	case plain && (ascii || utf8.Valid(b)):
		return string(b[1 : len(b)-1]), true
	}
	var s string
	return s, json.Unmarshal(b, &s) == nil
}

// key reads the object key at pos, unescaped; ascii says it has no byte
// past 0x7f.
func (d *onePass) key() (key []byte, ascii, ok bool) {
	b, plain, ascii, ok := d.scanString()
	if !ok {
		return nil, false, false
	}
	if plain {
		return b[1 : len(b)-1], ascii, true
	}
	var s string
	if json.Unmarshal(b, &s) != nil {
		return nil, false, false
	}
	for i := range len(s) {
		if s[i] >= utf8.RuneSelf {
			ascii = false
		}
	}
	return []byte(s), ascii, true
}

// number moves past the JSON number at pos and returns it (nil: not a
// number); integer says it has neither fraction nor exponent.
func (d *onePass) number() (b []byte, integer bool) {
	data, i := d.data, d.pos
	digits := func() int {
		n := 0
		for i < len(data) && '0' <= data[i] && data[i] <= '9' {
			i++
			n++
		}
		return n
	}
	if i < len(data) && data[i] == '-' {
		i++
	}
	switch {
	case i < len(data) && data[i] == '0':
		i++
	case digits() == 0:
		return nil, false
	}
	integer = true
	if i < len(data) && data[i] == '.' {
		i++
		if digits() == 0 {
			return nil, false
		}
		integer = false
	}
	if i < len(data) && (data[i] == 'e' || data[i] == 'E') {
		i++
		if i < len(data) && (data[i] == '+' || data[i] == '-') {
			i++
		}
		if digits() == 0 {
			return nil, false
		}
		integer = false
	}
	b, d.pos = data[d.pos:i], i
	return b, integer
}

// skip moves past the value at pos, checking it.
func (d *onePass) skip() bool {
	d.ws()
	switch c := d.peek(); {
	case c == '"':
		_, _, _, ok := d.scanString()
		return ok
	case c == '{', c == '[':
		return d.skipNested(c)
	case c == 't':
		return d.literal("true")
	case c == 'f':
		return d.literal("false")
	case c == 'n':
		return d.literal("null")
	default:
		b, _ := d.number()
		return b != nil
	}
}

// skipNested moves past the object or array at pos, checking it.
func (d *onePass) skipNested(open byte) bool {
	if d.depth++; d.depth > maxDepth {
		return false
	}
	d.pos++
	end := byte(']')
	if open == '{' {
		end = '}'
	}
	d.ws()
	if d.peek() == end {
		d.pos++
		d.depth--
		return true
	}
	for {
		if open == '{' {
			d.ws()
			if _, _, _, ok := d.scanString(); !ok {
				return false
			}
			d.ws()
			if d.peek() != ':' {
				return false
			}
			d.pos++
		}
		if !d.skip() {
			return false
		}
		d.ws()
		switch d.peek() {
		case ',':
			d.pos++
			continue
		case end:
			d.pos++
			d.depth--
			return true
		}
		return false
	}
}
