package fuzz

import (
	"strings"
	"sync"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
)

// recipeSeeds are FuzzRecipe's seeds, built once (a libFuzzer build runs
// the target function once per input): the byte forms of generated
// recipes, and of the first generated recipe that reaches each family the
// plain mix reaches rarely.
var recipeSeeds = sync.OnceValues(func() ([][]byte, error) {
	var seeds [][]byte
	for _, r := range differential.Generate(20261127, 200) {
		seeds = append(seeds, r.Bytes())
	}
	for _, r := range differential.GenerateOwn(20261202, 200) {
		seeds = append(seeds, r.Bytes())
	}
	families := []func(c corpus.Case) bool{
		func(c corpus.Case) bool { return len(c.Request.URLList) == 21 },
		func(c corpus.Case) bool { return len(c.Request.URLList) == 22 },
		func(c corpus.Case) bool {
			for _, p := range c.Policies {
				if strings.Count(p.Value, ".invalid") > 16 {
					return true
				}
			}
			return false
		},
		func(c corpus.Case) bool {
			return c.Request.Mode == "webtransport" && len(c.Request.WebTransportHashes) > 0
		},
		func(c corpus.Case) bool { return c.Request.Initiator == "prefetch" },
		func(c corpus.Case) bool {
			return c.Request.Integrity != "" && c.Request.Destination != nil && *c.Request.Destination == "script"
		},
		func(c corpus.Case) bool {
			return c.Request.Nonce != "" && c.Request.Destination != nil && *c.Request.Destination == "style"
		},
		func(c corpus.Case) bool {
			return strings.HasPrefix(c.SelfOrigin, "ftp:") && strings.HasPrefix(c.Request.URLList[0], "ftp:")
		},
		func(c corpus.Case) bool { return strings.HasPrefix(c.Request.URLList[0], "blob:") },
	}
	found := make([]bool, len(families))
	for _, r := range differential.Generate(20261128, 5000) {
		c := r.Build("seed")
		for i, f := range families {
			if !found[i] && f(c) {
				found[i] = true
				seeds = append(seeds, r.Bytes())
			}
		}
	}
	return append(seeds, []byte{}), nil
})

// checkRecipeSeeds are FuzzCheckRecipe's seeds, built once: the byte forms
// of generated recipes of every check beyond requests, 25 without names of
// their own and 25 with them (100 for the checks that match URLs).
var checkRecipeSeeds = sync.OnceValues(func() ([][]byte, error) {
	var seeds [][]byte
	add := func(_ int, r differential.CheckRecipe) error {
		seeds = append(seeds, r.Bytes())
		return nil
	}
	for _, ck := range differential.CheckGenerated {
		if err := differential.EachCheck(20261203, ck, 25, add); err != nil {
			return nil, err
		}
		// More with names of their own for the checks that match URLs,
		// whose matchers those names exercise.
		own := 25
		if ck == corpus.CheckNavigationRequest || ck == corpus.CheckNavigationResponse || ck == corpus.CheckBase {
			own = 100
		}
		if err := differential.EachCheckOwn(20261204, ck, own, add); err != nil {
			return nil, err
		}
	}
	return append(seeds, []byte{}), nil
})

// agreeRecipe holds model and engine together on the case r builds, as
// every target that writes a case does (disagreement: the decision, the
// refusal, the engine's promises, the hand-built self-origins); data is
// r's byte form, quoted when they differ.
func agreeRecipe(t failer, data []byte, r differential.Recipe) {
	t.Helper()
	if msg := disagreement(r.Build("fuzz")); msg != "" {
		t.Fatalf("%s\ninput: %q", msg, data)
	}
}
