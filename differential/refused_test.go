package differential

import (
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestRefusedCases holds model and engine to the corpus's refused cases
// (corpus/documented/refusals.txtar and the like): requests the APIs or
// Fetch refuse before CSP decides (21 redirects, a WebSocket URL with a
// fragment, fetch() with credentials, …), each the twin of a case the
// corpus decides. Both must refuse them; their messages are their own.
func TestRefusedCases(t *testing.T) {
	all, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	var cases []corpus.Case
	for _, c := range all {
		if c.Expect != nil && c.Expect.Verdict == corpus.VerdictError {
			cases = append(cases, c)
		}
	}
	if len(cases) < 10 {
		t.Fatalf("%d refused cases in the corpus, want at least 10", len(cases))
	}
	for _, c := range cases {
		if d := c.Check(corpus.RunModel(c, nil)); d != "" {
			t.Errorf("%s (%s), model: %s", c.ID, c.Source, d)
		}
		if d := c.Check(corpus.RunEngine(c)); d != "" {
			t.Errorf("%s (%s), engine: %s", c.ID, c.Source, d)
		}
	}
}
