package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
	"golang.org/x/net/idna"
)

// TestACERepertoireTakesTheFastPath: an xn-- label that decodes to ASCII
// letters and one code point of U+00DF to U+00FF takes the fast path, as
// ParseURL's documentation says, without allocating, for each of those
// code points but U+00F7, which it names as left to the full parser; every
// one parses as the model's parser does.
func TestACERepertoireTakesTheFastPath(t *testing.T) {
	for r := rune(0xDF); r <= 0xFF; r++ {
		ace, err := idna.Punycode.ToASCII("a" + string(r) + "b")
		if err != nil {
			t.Fatal(err)
		}
		s := "https://" + ace + ".example/p"
		want, werr := model.ParseURL(s)
		got, gerr := ParseURL(s)
		if werr != nil || gerr != nil || got != want || want.Host.Serialized != ace+".example" {
			t.Fatalf("%q (U+%04X): engine %v (%v), model %v (%v)", s, r, &got, gerr, &want, werr)
		}
		var u model.URL
		n := testing.AllocsPerRun(20, func() { _ = ParseURLInto(&u, s) })
		if fast := n == 0; fast != (r != 0xF7) {
			t.Errorf("%q (U+%04X): %v allocations per parse; the fast path takes it: %v, want %v", s, r, n, fast, r != 0xF7)
		}
	}
}
