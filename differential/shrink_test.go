package differential

import (
	"strings"
	"testing"

	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
)

type capture struct{ result *gopter.TestResult }

func (c *capture) ReportTestResult(_ string, r *gopter.TestResult) { c.result = r }

// TestShrinkingIsMinimal runs a property that is false ("the model allows
// every case") and checks that gopter shrinks its counterexample to the
// smallest blocked case the generators can express: one policy, at most one
// directive with at most one source, no padding, one URL (no chain) and no
// request metadata.
func TestShrinkingIsMinimal(t *testing.T) {
	params := gopter.DefaultTestParameters()
	params.SetSeed(42)
	props := gopter.NewProperties(params)
	props.Property("the model allows everything (false)", prop.ForAll(func(r Recipe) bool {
		res, ok := decide(r.Build("x"))
		return !ok || res.Verdict == corpus.VerdictAllowed
	}, GenRecipe()))
	var rep capture
	if props.Run(&rep) || rep.result == nil || len(rep.result.Args) != 1 {
		t.Fatalf("the false property was not refuted: %+v", rep.result)
	}
	arg := rep.result.Args[0]
	r := arg.Arg.(Recipe)
	c := r.Build("shrunk")
	t.Logf("after %d shrinks: %s", arg.Shrinks, caseJSON(c))
	if arg.Shrinks == 0 {
		t.Errorf("nothing was shrunk from %+v", arg.OrigArg)
	}
	if len(r.Policies) != 1 || len(r.Policies[0].Directives) > 1 || len(r.URLs) > 1 ||
		len(r.Policies[0].Directives) == 1 && len(r.Policies[0].Directives[0].Sources) > 1 {
		t.Errorf("the counterexample is not minimal: %s", caseJSON(c))
	}
	if q := c.Request; len(q.URLList) != 1 || q.Nonce != "" || q.Integrity != "" || q.ParserMetadata != "" || q.Initiator != "" ||
		q.Mode != "" || len(q.WebTransportHashes) > 0 || len(c.Policies) == 1 && strings.Contains(c.Policies[0].Value, ".invalid") {
		t.Errorf("the counterexample keeps a chain, padding or metadata: %s", caseJSON(c))
	}
}
