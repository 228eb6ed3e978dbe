package citecheck_test

import (
	"path/filepath"
	"testing"

	"golang.org/x/tools/go/analysis"
	"golang.org/x/tools/go/analysis/checker"
	"golang.org/x/tools/go/packages"

	"github.com/cspmodel/cspmodel/spec/citecheck"
)

// knownGaps are findings in model/ that are known and not yet fixed, keyed
// by file name and message (no line numbers, so edits elsewhere in the file
// do not disturb them), with the reason. They are logged, not failed; a
// listed gap that no longer occurs fails the test, so the list cannot go
// stale: delete its entry when model/ is fixed.
var knownGaps = map[string]string{}

// TestModelCitations runs the analyzer over the model package with the pinned
// outline, so that "go test ./..." fails when a model function cites a step
// the pinned spec does not have, cites steps out of order, or leaves an
// in-scope step uncited. Each finding is reported at its file:line.
func TestModelCitations(t *testing.T) {
	if err := citecheck.Analyzer.Flags.Set("outline", ""); err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs(filepath.Join("..", ".."))
	if err != nil {
		t.Fatal(err)
	}
	cfg := &packages.Config{
		Mode: packages.LoadSyntax,
		Dir:  root,
	}
	pkgs, err := packages.Load(cfg, "github.com/cspmodel/cspmodel/model")
	if err != nil {
		t.Fatalf("loading github.com/cspmodel/cspmodel/model: %v", err)
	}
	if len(pkgs) != 1 || len(pkgs[0].Syntax) == 0 {
		t.Fatalf("loading github.com/cspmodel/cspmodel/model: got %d packages, want 1 with files", len(pkgs))
	}
	for _, e := range pkgs[0].Errors {
		t.Logf("loading github.com/cspmodel/cspmodel/model: %v", e)
	}
	graph, err := checker.Analyze([]*analysis.Analyzer{citecheck.Analyzer}, pkgs, nil)
	if err != nil {
		t.Fatal(err)
	}
	seen := map[string]bool{}
	for act := range graph.All() {
		if act.Err != nil {
			t.Errorf("%s: %v", act, act.Err)
			continue
		}
		for _, d := range act.Diagnostics {
			pos := act.Package.Fset.Position(d.Pos)
			if rel, err := filepath.Rel(root, pos.Filename); err == nil {
				pos.Filename = rel
			}
			key := filepath.Base(pos.Filename) + ": " + d.Message
			if reason, ok := knownGaps[key]; ok {
				seen[key] = true
				t.Logf("%s: %s (known gap: %s)", pos, d.Message, reason)
				continue
			}
			t.Errorf("%s: %s", pos, d.Message)
		}
	}
	for key := range knownGaps {
		if !seen[key] {
			t.Errorf("known gap %q no longer occurs: delete it from knownGaps", key)
		}
	}
}
