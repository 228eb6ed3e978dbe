package differential

import (
	"encoding/json"
	"flag"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
)

// defaultSeed is the gopter seed of every property unless -prop.seed says
// otherwise, so that `go test ./...` gives the same result on the same code.
const defaultSeed = 20261126

var (
	propCases = flag.Int("prop.cases", 2000, "generated cases per metamorphic property (TestEngineEqualsModel runs ten times as many)")
	propSeed  = flag.Int64("prop.seed", defaultSeed, "gopter seed of the properties (0: a fresh one, logged, and printed on failure)")
)

// parameters returns gopter's parameters for a property test run on n
// cases: the seed of -prop.seed, or a fresh one when it is 0. The seed is
// logged, and printed with the command that replays it when the test fails.
func parameters(t *testing.T, n int) *gopter.TestParameters {
	t.Helper()
	seed := *propSeed
	if seed == 0 {
		seed = time.Now().UnixNano()
	}
	p := gopter.DefaultTestParametersWithSeed(seed)
	p.MinSuccessfulTests = n
	p.MaxDiscardRatio = 50
	t.Logf("gopter seed %d (replay with -prop.seed=%d)", seed, seed)
	name := t.Name()
	t.Cleanup(func() {
		if t.Failed() {
			t.Logf("failed with gopter seed %d; replay: go test ./differential -run '^%s$' -prop.seed=%d", seed, name, seed)
		}
	})
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

// disagreement runs the engine on a case the model decided as want and
// describes how it differs ("" when it agrees): the same verdict and
// violations, or an error when the model refused.
func disagreement(c corpus.Case, want corpus.Result) string {
	got := corpus.RunEngine(c)
	if want.Error != "" || got.Error != "" {
		if (want.Error == "") != (got.Error == "") {
			return fmt.Sprintf("case %s: model error %q, engine error %q\nreproduce: %s", caseJSON(c), want.Error, got.Error, c.CheckCommand())
		}
		return ""
	}
	if d := cmp.Diff(want, got); d != "" {
		return fmt.Sprintf("case %s\n(-model +engine):\n%s\nreproduce: %s", caseJSON(c), d, c.CheckCommand())
	}
	return ""
}

// decideBoth decides a case with the model and holds the engine to it: the
// metamorphic properties build cases the plain generator rarely draws
// (padded lists, long chains, forced metadata), so each one is also a
// differential check. A non-nil result is the failure to return.
func decideBoth(c corpus.Case) (corpus.Result, bool, *gopter.PropResult) {
	want, ok := decide(c)
	if d := disagreement(c, want); d != "" {
		return want, ok, fail("%s", d)
	}
	return want, ok, nil
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
// fails the way the model does. It runs ten times as many cases as each
// metamorphic property.
func TestEngineEqualsModel(t *testing.T) {
	props := gopter.NewProperties(parameters(t, 10**propCases))
	agrees := func(r Recipe) *gopter.PropResult {
		c := r.Build("generated")
		if d := disagreement(c, corpus.RunModel(c, nil)); d != "" {
			return fail("%s", d)
		}
		return pass
	}
	props.Property("engine decides as the model", prop.ForAll(agrees, GenRecipe()))
	props.Property("engine decides as the model on own hosts and paths", prop.ForAll(agrees, GenRecipeOwn()))
	props.TestingRun(t)
}

// TestAllowedShare keeps the generator honest: a generator whose cases are
// nearly all blocked (or all allowed) exercises little of the matching
// algorithms. It reports the share of each verdict and of the request
// families the generator must reach.
func TestAllowedShare(t *testing.T) {
	recipes := Generate(7, 4000)
	var allowed, blocked, refused, connection, redirected, scripts, metadata, padded, chained int
	for i, r := range recipes {
		c := r.Build(fmt.Sprint(i))
		res, ok := decide(c)
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
		if len(c.Request.URLList) > 1 {
			redirected++
		}
		if d := c.Request.Destination; d != nil && scriptLike(*d) {
			scripts++
		}
		if c.Request.Nonce != "" || c.Request.Integrity != "" {
			metadata++
		}
		if len(c.Request.URLList) > 3 {
			chained++
		}
		for _, p := range c.Policies {
			if strings.Contains(p.Value, ".invalid") {
				padded++
				break
			}
		}
	}
	n := len(recipes)
	t.Logf("%d cases: %.1f%% allowed, %.1f%% blocked, %.1f%% refused by the API or Fetch; %.1f%% connection kinds, %.1f%% redirected (%.1f%% at or past the limit), %.1f%% script-like, %.1f%% with a nonce or integrity metadata, %.1f%% with a padded list",
		n, pct(allowed, n), pct(blocked, n), pct(refused, n), pct(connection, n), pct(redirected, n), pct(chained, n), pct(scripts, n), pct(metadata, n), pct(padded, n))
	if pct(allowed, n) < 30 || pct(blocked, n) < 25 || pct(refused, n) > 15 {
		t.Errorf("the generator is unbalanced: %d allowed, %d blocked, %d refused of %d", allowed, blocked, refused, n)
	}
	if pct(connection, n) < 50 || pct(redirected, n) < 10 {
		t.Errorf("too few connection kinds (%d) or redirects (%d) of %d", connection, redirected, n)
	}
	if pct(scripts, n) < 5 || pct(metadata, n) < 5 || pct(padded, n) < 3 || pct(chained, n) < 1 {
		t.Errorf("too few script-like requests (%d), requests with metadata (%d), padded lists (%d) or long chains (%d) of %d", scripts, metadata, padded, chained, n)
	}
}

func scriptLike(d string) bool {
	switch d {
	case "script", "audioworklet", "paintworklet", "serviceworker", "sharedworker", "worker":
		return true
	}
	return false
}

func pct(a, n int) float64 { return 100 * float64(a) / float64(n) }
