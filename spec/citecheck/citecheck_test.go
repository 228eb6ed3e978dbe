package citecheck_test

import (
	"strings"
	"testing"

	"golang.org/x/tools/go/analysis/analysistest"

	"github.com/cspmodel/cspmodel/spec/citecheck"
)

// TestAnalyzer runs the analyzer on the fixtures of testdata/src against
// the small outline testdata/outline.json: good has no diagnostics, each
// other package breaks one rule.
func TestAnalyzer(t *testing.T) {
	if err := citecheck.Analyzer.Flags.Set("outline", "testdata/outline.json"); err != nil {
		t.Fatal(err)
	}
	defer citecheck.Analyzer.Flags.Set("outline", "")
	analysistest.Run(t, analysistest.TestData(), citecheck.Analyzer,
		"good", "unknownanchor", "unknownstep", "order", "uncited", "misc")
}

func TestAnalyzerDoc(t *testing.T) {
	doc := citecheck.Analyzer.Doc
	if !strings.HasPrefix(doc, "check that spec citations") || !strings.Contains(doc, "citecheck reports:") || strings.Contains(doc, "go vet") {
		t.Errorf("Analyzer.Doc is not the text of doc.go's Analyzer section:\n%s", doc)
	}
}
