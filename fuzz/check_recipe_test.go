package fuzz

import (
	"testing"

	"github.com/cspmodel/cspmodel/differential"
)

// FuzzCheckRecipe is FuzzRecipe for the checks beyond requests: its input
// is the byte form of a check recipe (differential.CheckRecipeFromBytes),
// whose first byte chooses the check (inline, eval, wasm, the navigation
// request and response, <base>, sandbox, WebRTC) and whose every other byte
// chooses an option, among them a host and a path segment written one
// character per byte that the URL-matching checks' sources, self-origin and
// URLs share (or name with one character changed). It holds model and
// engine together as the other checks' targets do (agreeCase). The
// argument is a single []byte, so that the target also builds for
// libFuzzer.
func FuzzCheckRecipe(f *testing.F) {
	for _, seed := range seedsOf(f, checkRecipeSeeds) {
		f.Add(seed)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := differential.CheckRecipeFromBytes(data)
		agreeCase(t, r.Build("fuzz"))
		// The own host's near misses at the engine's edges, decided too
		// (EdgeMisses): the input then needs only the host's length.
		for _, o := range r.Own.EdgeMisses() {
			v := r
			v.Own = o
			agreeCase(t, v.Build("fuzz"))
		}
	})
}
