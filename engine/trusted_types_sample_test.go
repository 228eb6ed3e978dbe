package engine_test

import (
	"encoding/json"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestTrustedTypesSampleKeepsEvalCode: a Trusted Types violation's sample
// names the sink and its code; only the Function constructors' code loses
// the header they synthesized ("function anonymous", async and generator
// forms), and code given to eval or a timer that happens to start with one
// keeps it, as the model says.
func TestTrustedTypesSampleKeepsEvalCode(t *testing.T) {
	for _, typ := range []string{"EVAL", "FUNCTION", "TIMER"} { // a timer's string is not a Trusted Types sink here
		for _, header := range []string{"function anonymous", "async function anonymous", "function* anonymous", "async function* anonymous", "function anonymou"} {
			line, err := json.Marshal(map[string]any{
				"id": "tt", "check": "eval", "self_origin": "https://example.com",
				"policies": []map[string]string{{"value": "require-trusted-types-for 'script'", "disposition": "report", "source": "header"}},
				"eval":     map[string]any{"type": typ, "code": header + "(a\n) {\nreturn a\n}"},
			})
			if err != nil {
				t.Fatal(err)
			}
			c, err := corpus.DecodeCase(line)
			if err != nil {
				t.Fatal(err)
			}
			want, got := corpus.RunModel(c, nil), corpus.RunEngine(c)
			if want.Error != "" || typ != "TIMER" && len(want.Violations) != 1 {
				t.Fatalf("%s %q: the model gives %+v; the test expects one violation", typ, header, want)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Errorf("%s %q (-model +engine):\n%s", typ, header, diff)
			}
		}
	}
}
