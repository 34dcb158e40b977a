package fakekit

import (
	"encoding/json"
	"testing"
)

func TestTolerantNumbers(t *testing.T) {
	for _, c := range []struct {
		in   string
		want int
		ok   bool
	}{
		{`15000`, 15000, true}, {`"15000"`, 15000, true}, {`" 42 "`, 42, true}, {`12.0`, 12, true},
		{`null`, 7, true}, {`12.5`, 0, false}, {`"ten"`, 0, false}, {`true`, 0, false},
	} {
		n := Int(7)
		err := json.Unmarshal([]byte(c.in), &n)
		if (err == nil) != c.ok || (c.ok && int(n) != c.want) {
			t.Errorf("Int %s: %d, %v", c.in, n, err)
		}
	}
	for _, c := range []struct {
		in   string
		want float64
		ok   bool
	}{
		{`49.9`, 49.9, true}, {`"49.90"`, 49.9, true}, {`null`, 7, true},
		{`"NaN"`, 0, false}, {`"Inf"`, 0, false}, {`"ten"`, 0, false},
	} {
		n := Float(7)
		err := json.Unmarshal([]byte(c.in), &n)
		if (err == nil) != c.ok || (c.ok && float64(n) != c.want) {
			t.Errorf("Float %s: %v, %v", c.in, n, err)
		}
	}
}
