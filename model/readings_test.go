package model

import (
	"os"
	"path/filepath"
	"regexp"
	"sort"
	"testing"
)

// TestReadingsAreMarked keeps docs/spec-mapping.md and the code in step:
// every ambiguity (An) or departure (Dn) the document explains has a marker,
// Ambiguity(An) or Departure(Dn), at the line of model/ where it applies, and
// every marker in model/ has its entry in the document.
func TestReadingsAreMarked(t *testing.T) {
	doc, err := os.ReadFile(filepath.Join("..", "docs", "spec-mapping.md"))
	if err != nil {
		t.Skipf("docs/spec-mapping.md is not here: %v", err)
	}
	documented := map[string]bool{}
	for _, m := range regexp.MustCompile(`(?m)^- \*\*([AD][0-9]+)\.`).FindAllSubmatch(doc, -1) {
		documented[string(m[1])] = true
	}
	if len(documented) == 0 {
		t.Fatal("docs/spec-mapping.md lists no ambiguity or departure: has its format changed?")
	}
	files, err := filepath.Glob("*.go")
	if err != nil {
		t.Fatal(err)
	}
	marked := map[string]string{}
	marker := regexp.MustCompile(`\b(Ambiguity|Departure)\(([AD][0-9]+)\)`)
	for _, f := range files {
		if matched, _ := filepath.Match("*_test.go", f); matched {
			continue
		}
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		for _, m := range marker.FindAllSubmatch(src, -1) {
			kind, id := string(m[1]), string(m[2])
			if kind[0] != id[0] {
				t.Errorf("%s: %s(%s): ambiguities are A-numbered and departures D-numbered", f, kind, id)
			}
			marked[id] = f
		}
	}
	var ids []string
	for id := range documented {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	for _, id := range ids {
		if marked[id] == "" {
			t.Errorf("docs/spec-mapping.md explains %s, but no line of model/ carries its marker", id)
		}
	}
	for id, f := range marked {
		if !documented[id] {
			t.Errorf("%s marks %s, which docs/spec-mapping.md does not explain", f, id)
		}
	}
}
