package fuzz

import (
	"testing"

	"github.com/cspmodel/cspmodel/differential"
)

// FuzzRecipe is structure-aware: its input is the byte form of a generator
// recipe (differential.RecipeFromBytes), in which every byte chooses an
// option, so every byte string is a case and a mutation of one byte changes
// one choice (a scheme, a port, a list's padding, a redirect chain's
// length, a token of integrity metadata) instead of breaking the syntax of
// a policy or a URL. It holds model and engine together on the built case
// as FuzzDecide does (agreeRecipe). The argument is a single []byte, so that the target also
// builds for libFuzzer.
func FuzzRecipe(f *testing.F) {
	for _, seed := range seedsOf(f, recipeSeeds) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := differential.RecipeFromBytes(data)
		agreeRecipe(t, data, r)
		// The own host's near misses at the engine's edges, decided too
		// (EdgeMisses): the input then needs only the host's length.
		for _, o := range r.Own.EdgeMisses() {
			v := r
			v.Own = o
			agreeRecipe(t, v.Bytes(), v)
		}
	})
}
