package differential

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
)

var (
	propCases = flag.Int("prop.cases", 2000, "generated cases per property")
	propSeed  = flag.Int64("prop.seed", 0, "gopter seed (0: a fresh one, printed on failure)")
)

func parameters(t *testing.T) *gopter.TestParameters {
	p := gopter.DefaultTestParameters()
	p.MinSuccessfulTests = *propCases
	p.MaxDiscardRatio = 50
	if *propSeed != 0 {
		p.SetSeed(*propSeed)
	}
	t.Logf("gopter seed %d (rerun with -prop.seed=%d)", p.Seed(), p.Seed())
	return p
}

func caseJSON(c corpus.Case) string {
	b, _ := json.Marshal(c)
	return string(b)
}

// decide runs the model on a case and reports whether it could be decided.
func decide(c corpus.Case) (corpus.Result, bool) {
	r := corpus.RunModel(c, nil)
	return r, r.Error == ""
}

// isConnection tells whether a recipe's request is one of the connect-src
// callers (fetch, XHR, WebSocket, EventSource, sendBeacon, <a ping>).
func isConnection(r Recipe) bool { return !strings.HasPrefix(pick(kinds, r.Kind), "dest:") }

func (r Recipe) clone() Recipe {
	b, _ := json.Marshal(r)
	var out Recipe
	_ = json.Unmarshal(b, &out)
	return out
}

// TestEngineEqualsModel is the central differential property: on every
// generated case the engine gives the model's verdict and violations, or
// fails the way the model does.
func TestEngineEqualsModel(t *testing.T) {
	props := gopter.NewProperties(parameters(t))
	props.Property("engine decides as the model", prop.ForAll(func(r Recipe) *gopter.PropResult {
		c := r.Build("generated")
		want := corpus.RunModel(c, nil)
		got := corpus.RunEngine(c)
		if want.Error != "" || got.Error != "" {
			// Both must refuse, for the same reason.
			if (want.Error == "") != (got.Error == "") {
				return gopter.NewPropResult(false, fmt.Sprintf("case %s: model error %q, engine error %q", caseJSON(c), want.Error, got.Error))
			}
			return gopter.NewPropResult(true, "")
		}
		if d := cmp.Diff(want, got); d != "" {
			return gopter.NewPropResult(false, fmt.Sprintf("case %s\n(-model +engine):\n%s", caseJSON(c), d))
		}
		return gopter.NewPropResult(true, "")
	}, GenRecipe()))
	props.TestingRun(t)
}

// TestAllowedShare keeps the generator honest: a generator whose cases are
// nearly all blocked (or all allowed) exercises little of the matching
// algorithms. It reports the share of each verdict.
func TestAllowedShare(t *testing.T) {
	recipes := Generate(7, 4000)
	var allowed, blocked, refused, connection, redirected int
	for i, r := range recipes {
		res, ok := decide(r.Build(fmt.Sprint(i)))
		switch {
		case !ok:
			refused++
		case res.Verdict == corpus.VerdictAllowed:
			allowed++
		default:
			blocked++
		}
		if isConnection(r) {
			connection++
		}
		if len(r.URLs) > 1 {
			redirected++
		}
	}
	n := len(recipes)
	t.Logf("%d cases: %.1f%% allowed, %.1f%% blocked, %.1f%% refused by the API or Fetch; %.1f%% connection kinds, %.1f%% redirected",
		n, pct(allowed, n), pct(blocked, n), pct(refused, n), pct(connection, n), pct(redirected, n))
	if pct(allowed, n) < 35 || pct(blocked, n) < 25 || pct(refused, n) > 15 {
		t.Errorf("the generator is unbalanced: %d allowed, %d blocked, %d refused of %d", allowed, blocked, refused, n)
	}
	if pct(connection, n) < 60 || pct(redirected, n) < 10 {
		t.Errorf("too few connection kinds (%d) or redirects (%d) of %d", connection, redirected, n)
	}
}

func pct(a, n int) float64 { return 100 * float64(a) / float64(n) }
