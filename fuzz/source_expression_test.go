package fuzz

import "testing"

// FuzzSourceExpression compares one source list (space-separated
// expressions, usually one) against one URL, origin and redirect count, as
// given and padded past the engine's flat scan in the ways the shape byte
// chooses (sourcelist.go). Seeds are every (expression, URL) pair of the
// corpus and the field seeds, and wildcards of every depth.
func FuzzSourceExpression(f *testing.F) {
	for _, s := range seedsOf(f, sourceExpressionSeeds) {
		f.Add(s.expressions, s.url, s.origin, s.redirects, s.shape)
	}
	f.Fuzz(func(t *testing.T, expressions, rawURL, origin string, redirects, shape uint8) {
		if _, msg := matchDisagreement(expressions, rawURL, origin, redirects, shape); msg != "" {
			t.Fatalf("%s", msg)
		}
	})
}
