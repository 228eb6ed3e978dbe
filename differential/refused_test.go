package differential

import (
	"os"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestRefusedCases holds model and engine to corpus/refused: requests the
// APIs or Fetch refuse before CSP decides (21 redirects, a WebSocket URL
// with a fragment, fetch() with credentials, …), each the twin of a case
// the corpus decides. They are kept out of corpus.Load because the two
// refuse with messages of their own, and `csp check --engine engine` must
// answer every corpus case with the model's bytes.
func TestRefusedCases(t *testing.T) {
	cases, err := corpus.LoadFS(os.DirFS("../corpus/refused"))
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) < 10 {
		t.Fatalf("%d refused cases, want at least 10", len(cases))
	}
	for _, c := range cases {
		if c.Expect == nil || c.Expect.Verdict != corpus.VerdictError {
			t.Errorf("%s: not written want: refused", c.ID)
			continue
		}
		if d := c.Check(corpus.RunModel(c, nil)); d != "" {
			t.Errorf("%s (%s), model: %s", c.ID, c.Source, d)
		}
		if d := c.Check(corpus.RunEngine(c)); d != "" {
			t.Errorf("%s (%s), engine: %s", c.ID, c.Source, d)
		}
	}
}
