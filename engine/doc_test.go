package engine

import (
	"os"
	"strings"
	"testing"
)

// TestDocSnippetIsAnExample keeps the package documentation's snippet
// compiling: every line of it must stand, in order, in ExampleCSP_Decide,
// which the compiler checks and go test runs.
func TestDocSnippetIsAnExample(t *testing.T) {
	doc, err := os.ReadFile("doc.go")
	if err != nil {
		t.Fatal(err)
	}
	example, err := os.ReadFile("example_test.go")
	if err != nil {
		t.Fatal(err)
	}
	var snippet []string
	for _, line := range strings.Split(string(doc), "\n") {
		if code, ok := strings.CutPrefix(line, "//\t"); ok {
			snippet = append(snippet, strings.TrimSpace(code))
		}
	}
	if len(snippet) < 5 {
		t.Fatalf("doc.go has no code snippet (%d lines)", len(snippet))
	}
	rest := string(example[strings.Index(string(example), "func ExampleCSP_Decide()"):])
	for _, line := range snippet {
		i := strings.Index(rest, line)
		if i < 0 {
			t.Fatalf("the doc.go snippet line %q is not in ExampleCSP_Decide (in order)", line)
		}
		rest = rest[i+len(line):]
	}
}
