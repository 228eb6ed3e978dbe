package fuzz

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
)

// FuzzRecipe is structure-aware: its input is the byte form of a generator
// recipe (differential.RecipeFromBytes), in which every byte chooses an
// option, so every byte string is a case and a mutation of one byte changes
// one choice (a scheme, a port, a list's padding, a redirect chain's
// length, a token of integrity metadata) instead of breaking the syntax of
// a policy or a URL. It compares model and engine on the built case: the
// same verdict and violations, or both refuse; and the model decides the
// same way twice. The argument is a single []byte, so that the target also
// builds for libFuzzer.
func FuzzRecipe(f *testing.F) {
	for _, seed := range seedsOf(f, recipeSeeds) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		c := differential.RecipeFromBytes(data).Build("fuzz")
		m := corpus.RunModel(c, nil)
		e := corpus.RunEngine(c)
		if msg := servedDifference(c, e); msg != "" {
			t.Fatalf("%s\n%s", msg, describeRecipeCase(data, c))
		}
		if (m.Error == "") != (e.Error == "") {
			t.Fatalf("model and engine disagree on whether the case can be decided:\nmodel error: %q\nengine error: %q\n%s", m.Error, e.Error, describeRecipeCase(data, c))
		}
		if m.Error != "" {
			return
		}
		if d := cmp.Diff(m, e); d != "" {
			t.Fatalf("decision mismatch (-model +engine):\n%s\n%s", d, describeRecipeCase(data, c))
		}
		if again := corpus.RunModel(c, nil); !cmp.Equal(m, again) {
			t.Fatalf("the model gave a different answer the second time (-first +second):\n%s\n%s", cmp.Diff(m, again), describeRecipeCase(data, c))
		}
	})
}
