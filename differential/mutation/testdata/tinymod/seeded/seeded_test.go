package seeded

import (
	"testing"

	"example.com/tiny"
)

// FuzzSeeded's one seed is the input IsX's negated mutant fails. The tests
// of the mutation command leave this package out of the suite (-exclude
// seeded), so only fuzzing it runs the seed: a kill by a seed, which
// go test -fuzz reports without writing an input.
func FuzzSeeded(f *testing.F) {
	f.Add("x")
	f.Fuzz(func(t *testing.T, s string) {
		if tiny.IsX(s) != (s == "x") {
			t.Errorf("IsX(%q) = %v", s, tiny.IsX(s))
		}
	})
}
