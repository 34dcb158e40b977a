package loyalty

import (
	"fmt"
	"strings"
	"testing"
)

// nestedErrorBody is a Yotpo error body of n arrays, side by side, each
// nested just under encoding/json's depth limit: the shape that made
// message extraction quadratic.
func nestedErrorBody(n int) []byte {
	nested := strings.Repeat("[", 9000) + `"deep"` + strings.Repeat("]", 9000)
	return []byte(`{"errors":[` + strings.Repeat(nested+",", n) + `"last"]}`)
}

func BenchmarkErrorMessageNested(b *testing.B) {
	for _, n := range []int{1, 25} {
		body := nestedErrorBody(n)
		b.Run(fmt.Sprintf("%dKiB", len(body)>>10), func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(body)))
			for range b.N {
				if _, msg := errorMessage(Yotpo, body); msg == "" {
					b.Fatal("no message")
				}
			}
		})
	}
}
