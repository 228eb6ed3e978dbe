package engine_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// TestScriptChecksOnlyForScriptLike: the engine runs the script checks
// (nonce, integrity, 'strict-dynamic') for every request a script directive
// decides, without asking whether its destination is script-like, because
// every destination routed to one is. For each destination, a request to
// another origin that carries the policies' nonce, integrity or parser
// metadata, under each directive a script check could come from, must be
// decided as the model decides it.
func TestScriptChecksOnlyForScriptLike(t *testing.T) {
	policies := []string{
		"script-src 'nonce-n'", "default-src 'nonce-n'", "script-src-elem 'nonce-n'",
		"worker-src 'nonce-n'", "child-src 'nonce-n'", "style-src 'nonce-n'",
		"script-src 'sha256-AAAA'", "script-src 'strict-dynamic'",
	}
	for _, d := range model.Destinations() {
		for _, p := range policies {
			dest := d
			c := corpus.Case{ID: "script-checks", Policies: []corpus.PolicyInput{{Value: p}}, SelfOrigin: "https://example.com"}
			c.Request = corpus.RequestInput{Destination: &dest, URLList: []string{"https://other.example/x"},
				Nonce: "n", Integrity: "sha256-AAAA", ParserMetadata: "not-parser-inserted"}
			m, e := corpus.RunModel(c, nil), corpus.RunEngine(c)
			if m.Error != "" || e.Error != "" || m.Verdict != e.Verdict {
				t.Errorf("destination %q under %q: model %s (error %q), engine %s (error %q)", d, p, m.Verdict, m.Error, e.Verdict, e.Error)
			}
		}
	}
}
