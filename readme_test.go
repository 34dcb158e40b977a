package loyalty_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// Every Go snippet in README.md is an excerpt of code that the tests
// compile (an Example, mostly): its lines, white space trimmed, must appear
// in that order, one after another, in a .go file of the module.
func TestREADMESnippetsAreCompiled(t *testing.T) {
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	var sources [][]string
	err = filepath.WalkDir(".", func(path string, d os.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(path, ".go") {
			return err
		}
		b, err := os.ReadFile(path)
		sources = append(sources, trimmedLines(string(b)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	snippets := regexp.MustCompile("(?s)```go\n(.*?)```").FindAllStringSubmatch(string(readme), -1)
	if len(snippets) == 0 {
		t.Fatal("README.md has no Go snippet")
	}
	for _, m := range snippets {
		want := trimmedLines(m[1])
		if !containsRun(sources, want) {
			t.Errorf("README snippet is not in any compiled file (mirror it in an Example):\n%s", m[1])
		}
	}
}

func trimmedLines(s string) []string {
	var out []string
	for _, l := range strings.Split(s, "\n") {
		if l = strings.TrimSpace(l); l != "" {
			out = append(out, l)
		}
	}
	return out
}

// containsRun reports whether some file holds want as a run of lines.
func containsRun(files [][]string, want []string) bool {
	for _, lines := range files {
		for i := 0; i+len(want) <= len(lines); i++ {
			match := true
			for j := range want {
				if lines[i+j] != want[j] {
					match = false
					break
				}
			}
			if match {
				return true
			}
		}
	}
	return false
}
