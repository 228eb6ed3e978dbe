package tiny

import "testing"

// FuzzIsX has no seeds, so the suite runs it on nothing and only fuzzing
// reaches IsX.
func FuzzIsX(f *testing.F) {
	f.Fuzz(func(t *testing.T, s string) {
		if IsX(s) != (s == "x") {
			t.Errorf("IsX(%q) = %v", s, IsX(s))
		}
	})
}
