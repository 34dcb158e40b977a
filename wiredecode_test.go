package loyalty

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"time"
)

// The wire structs the services decode: every one must come out of
// decodeOnce exactly as out of encoding/json, with the same issues.
var decodedWireTypes = []reflect.Type{
	reflect.TypeFor[yotpoCustomerJSON](), reflect.TypeFor[influenceCustomerJSON](), reflect.TypeFor[memberWire](),
	reflect.TypeFor[productJSON](), reflect.TypeFor[redemptionJSON](), reflect.TypeFor[referrerJSON](),
	reflect.TypeFor[webhookJSON](), reflect.TypeFor[couponJSON](), reflect.TypeFor[yotpoAdjustmentJSON](),
	reflect.TypeFor[receiptJSON](), reflect.TypeFor[influenceListPage](), reflect.TypeFor[yotpoAllPage](),
	reflect.TypeFor[yotpoRecentPage](), reflect.TypeFor[yotpoDayJSON](), reflect.TypeFor[campaignJSON](),
	reflect.TypeFor[redemptionOptionJSON](), reflect.TypeFor[tierJSON](), reflect.TypeFor[decodeShapes](),
	reflect.TypeFor[[]json.RawMessage](), // decodeList's items
	reflect.TypeFor[[]yotpoCustomerJSON](),
}

// decodeShapes holds the shapes no wire struct has yet.
type decodeShapes struct {
	embeddedShape
	F32   float32           `json:"f32"`
	I8    int8              `json:"i8"`
	U16   uint16            `json:"u16"`
	Bytes []byte            `json:"bytes"`
	Any   any               `json:"any"`
	Raws  []json.RawMessage `json:"raws"`
	Raw   *json.RawMessage  `json:"raw"`
	Map   map[string]int    `json:"map"`
	At    time.Time         `json:"at"`
	PP    **wireInt         `json:"pp"`
	Req   wireText          `json:"req" wire:"required"`
	Nest  []decodeShapes    `json:"nest"`
}

type embeddedShape struct {
	Inner string `json:"inner"`
	Name  string // no tag: matched by its Go name, any case
}

// tolerantSamples are values for tolerant fields, fitting some types and
// not others.
var tolerantSamples = []string{
	`0`, `42`, `-7`, `"15000"`, `" 12 "`, `""`, `1.0`, `1e3`, `1.5`, `9223372036854775807`, `92233720368547758070`,
	`"x"`, `true`, `false`, `"true"`, `"1"`, `"2026-11-20T18:04:05.000Z"`, `"2027-05-01"`,
	`"2026-11-20T18:04:05+02:00"`, `"2026-11-20 18:04:05"`, `{"link":"https://x.example/r/1","expired":false,"code":"ABC"}`,
	`"https://x.example/r/1"`, `12.50`, `"12.50"`, `[]`, `{}`, `null`, `"caf\u00e9"`, `{"amount":"5.00"}`,
}

var anySamples = []string{`1`, `"s"`, `null`, `true`, `[1,"a",{}]`, `{"a":{"b":[null]}}`, `-0.5e-3`, `"\ud83d\ude00"`}

var stringSamples = []string{
	`"Ana"`, `""`, `"Peeters é"`, `"tab\tnew\nline"`, `"quote\" and \\ slash \/"`, `"\u00e9\u4e2d"`,
	`"\ud83d\ude00"`, "\"bad \xff byte\"", `"lone \udc00"`, `"c1@example.com"`,
}

// jsonGen writes random JSON for a Go type; wrong is how often a value is
// of a kind the type does not take.
type jsonGen struct {
	r     *rand.Rand
	wrong float64
	b     strings.Builder
}

func (g *jsonGen) ws() {
	if g.r.IntN(8) == 0 {
		g.b.WriteString([]string{" ", "\n", "\t ", "\r\n"}[g.r.IntN(4)])
	}
}

func (g *jsonGen) pick(s []string) { g.b.WriteString(s[g.r.IntN(len(s))]) }

func (g *jsonGen) value(t reflect.Type, depth int) {
	g.ws()
	defer g.ws()
	if g.r.Float64() < g.wrong {
		g.pick(append(anySamples, tolerantSamples...))
		return
	}
	if t.Kind() == reflect.Pointer {
		if g.r.IntN(6) == 0 {
			g.b.WriteString("null")
			return
		}
		g.value(t.Elem(), depth)
		return
	}
	pt := reflect.PointerTo(t)
	switch {
	case pt.Implements(tolerantType):
		// Mostly a value the type accepts, so that decodeOnce gets its turn.
		problem := reflect.New(t).Interface().(tolerant).wireProblem
		for range 20 {
			s := tolerantSamples[g.r.IntN(len(tolerantSamples))]
			if g.wrong > 0 || s == "null" || problem([]byte(s)) == "" {
				g.b.WriteString(s)
				return
			}
		}
		g.b.WriteString("null")
		return
	case t == rawType || t.Kind() == reflect.Interface:
		g.pick(anySamples)
		return
	case t == reflect.TypeFor[time.Time]():
		g.pick([]string{`"2026-11-20T18:04:05Z"`, `"2026-11-20T18:04:05.123+01:00"`, `null`})
		return
	}
	switch t.Kind() {
	case reflect.String:
		g.pick(stringSamples)
	case reflect.Bool:
		g.pick([]string{"true", "false"})
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		hi := int64(1)<<(t.Bits()-1) - 1
		g.b.WriteString(strconv.FormatInt([]int64{0, 1, -1, hi, -hi - 1, g.r.Int64N(hi)}[g.r.IntN(6)], 10))
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		hi := uint64(1)<<(t.Bits()-1) - 1 // past MaxInt64 the one pass leaves it to encoding/json
		g.b.WriteString(strconv.FormatUint([]uint64{0, 1, hi, g.r.Uint64N(hi)}[g.r.IntN(4)], 10))
	case reflect.Float32, reflect.Float64:
		g.pick([]string{"0", "1.5", "-0.25", "1e3", "123456.789", "2E-2"})
	case reflect.Slice:
		if t.Elem().Kind() == reflect.Uint8 {
			g.pick([]string{`"aGk="`, `""`, `null`})
			return
		}
		g.b.WriteByte('[')
		for i := range g.r.IntN(4) * min(1, max(0, 4-depth)) { // empty past depth 4: decodeShapes nests

			if i > 0 {
				g.b.WriteByte(',')
			}
			g.value(t.Elem(), depth+1)
		}
		g.b.WriteByte(']')
	case reflect.Map:
		g.b.WriteByte('{')
		for i := range g.r.IntN(3) {
			if i > 0 {
				g.b.WriteByte(',')
			}
			fmt.Fprintf(&g.b, `"k%d":`, i)
			g.value(t.Elem(), depth+1)
		}
		g.b.WriteByte('}')
	case reflect.Struct:
		g.object(t, depth)
	default:
		g.pick(anySamples)
	}
}

// object writes most of t's fields in a random order, some under another
// case, some twice, with keys t does not have between them.
func (g *jsonGen) object(t reflect.Type, depth int) {
	wt := wireTypeOf(t)
	fields := append([]*wireField(nil), wt.ordered...)
	g.r.Shuffle(len(fields), func(i, j int) { fields[i], fields[j] = fields[j], fields[i] })
	g.b.WriteByte('{')
	n := 0
	sep := func() {
		if n > 0 {
			g.b.WriteByte(',')
		}
		n++
		g.ws()
	}
	for _, f := range fields {
		required := f.req >= 0 && g.wrong == 0 // a clean answer has them all
		if g.r.IntN(10) == 0 && !required {
			continue
		}
		for range 1 + g.r.IntN(8)/7 { // now and then twice
			sep()
			key := f.name
			switch g.r.IntN(12) {
			case 0:
				key = strings.ToUpper(key)
			case 1:
				key = `\u00` + strconv.FormatInt(int64(key[0]), 16) + key[1:] // an escaped key
			}
			g.b.WriteString(`"` + key + `":`)
			for mark := g.b.Len(); ; {
				g.value(t.FieldByIndex(f.index).Type, depth+1)
				if v := g.b.String()[mark:]; !required || strings.TrimSpace(v) != "null" {
					break
				}
				s := g.b.String()[:mark] // a null required field is absent: again
				g.b.Reset()
				g.b.WriteString(s)
			}
		}
		if g.r.IntN(6) == 0 {
			sep()
			g.b.WriteString(`"x_unknown":`)
			g.pick(anySamples)
		}
	}
	g.b.WriteByte('}')
}

// corrupt breaks data now and then: cut short, a byte changed, data after.
func corrupt(r *rand.Rand, data string) string {
	if len(data) < 2 {
		return data
	}
	switch i := r.IntN(len(data)); r.IntN(8) {
	case 0:
		return data[:i]
	case 1:
		junk := "{}[],:\"\\x0 "
		return data[:i] + string(junk[r.IntN(len(junk))]) + data[i+1:]
	case 2:
		return data + []string{" x", "{}", " ", ","}[r.IntN(4)]
	}
	return data
}

// TestDecodeOnceIsEncodingJSON decodes generated answers for every wire
// struct both ways: the one-pass decoder and encoding/json with the check.
// Same value, same issues, same error; and the one pass must have taken
// most of the clean answers (else this tests nothing of it).
func TestDecodeOnceIsEncodingJSON(t *testing.T) {
	for _, typ := range decodedWireTypes {
		t.Run(typ.String(), func(t *testing.T) {
			r := rand.New(rand.NewPCG(1, uint64(len(typ.String()))))
			once, clean := 0, 0
			for i := range 3000 {
				g := &jsonGen{r: r}
				if i%2 == 1 {
					g.wrong = 0.03
				}
				g.value(typ, 0)
				data := g.b.String()
				if g.wrong > 0 {
					data = corrupt(r, data)
				} else {
					clean++
					if decodeOnce([]byte(data), reflect.New(typ).Interface()) {
						once++
					}
				}
				want, got := reflect.New(typ), reflect.New(typ)
				wantResp, gotResp := &Response{}, &Response{}
				wantErr := decodeChecked(wantResp, atName("x"), []byte(data), want.Interface())
				gotErr := decodeTolerant(gotResp, atName("x"), []byte(data), got.Interface())
				if fmt.Sprint(wantErr) != fmt.Sprint(gotErr) {
					t.Fatalf("%s\nerror %v, want %v", data, gotErr, wantErr)
				}
				if wantErr != nil {
					continue
				}
				if !reflect.DeepEqual(got.Interface(), want.Interface()) {
					t.Fatalf("%s\ngot  %#v\nwant %#v", data, got.Elem().Interface(), want.Elem().Interface())
				}
				if !reflect.DeepEqual(gotResp.DecodeIssues, wantResp.DecodeIssues) {
					t.Fatalf("%s\nissues %v, want %v", data, gotResp.DecodeIssues, wantResp.DecodeIssues)
				}
			}
			if once < clean/2 {
				t.Errorf("the one pass decoded %d of %d clean answers", once, clean)
			}
		})
	}
}

// A value that is an issue, a required field absent, a Unicode-folded key
// or a shape the one pass does not fill goes the general way, and v is
// zero for it.
func TestDecodeOnceGivesUp(t *testing.T) {
	for _, data := range []string{
		`{"req":"a","i8":300}`,               // out of range: an issue
		`{"req":"a","inner":5}`,              // wrong kind
		`{"inner":"a"}`,                      // required field absent
		`{"req":"a","pp":"x"}`,               // a tolerant value that does not fit
		`{"req":"a","ſ":1}`,                  // encoding/json folds the long s to s
		`{"req":"a"} x`,                      // data after the value
		`{"req":"a","inner":"b"`,             // cut short
		`{"req":"a","inner":"\x01"}`,         // a control character in a string
		`{"req":"a","any":[1,2}`,             // mismatched brackets in an unknown value
		`{"req":"a","x":01}`,                 // a leading zero
		`{"req":"a","x":"\q"}`,               // a bad escape
		`[{"req":"a"}]`,                      // not an object
		``,                                   // nothing
		`{"req":"a","u16":-1}`,               // negative into unsigned
		`{"req":"a","u16":-0}`,               // encoding/json refuses any sign
		`{"req":"a","bytes":[1,2]}`,          // an array into []byte: the check wants base64
		`{"req":"a","nest":[{"inner":"b"}]}`, // required absent deeper
	} {
		var v decodeShapes
		if decodeOnce([]byte(data), &v) {
			t.Errorf("%s: decoded in one pass", data)
		}
		if !reflect.ValueOf(v).IsZero() {
			t.Errorf("%s: left %+v", data, v)
		}
	}
	var v decodeShapes
	if !decodeOnce([]byte(` {"REQ":"a","NAME":"n","inner":"i","pp":"7","raws":[1,{}],"nest":[]} `), &v) {
		t.Fatal("a plain answer was not decoded in one pass")
	}
	if v.Req != "a" || v.Name != "n" || v.Inner != "i" || **v.PP != 7 || len(v.Raws) != 2 || v.Nest == nil {
		t.Errorf("decoded %+v", v)
	}
	v.Inner = "set"
	if decodeOnce([]byte(`{"req":"b"}`), &v) || v.Req != "a" {
		t.Error("decodeOnce wrote into a value that was not zero")
	}
}
