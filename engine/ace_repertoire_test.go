package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
	"golang.org/x/net/idna"
)

// TestACERepertoireTakesTheFastPath: an xn-- label that decodes to
// lowercase ASCII letters, digits and '-' and one code point of U+00DF to
// U+00FF takes the fast path, as ParseURL's documentation says, without
// allocating, for each of those code points but U+00F7, which it names as
// left to the full parser, and for each letter, digit and '-' beside
// U+00DF; every one parses as the model's parser does.
func TestACERepertoireTakesTheFastPath(t *testing.T) {
	check := func(label string, fast bool) {
		t.Helper()
		ace, err := idna.Punycode.ToASCII(label)
		if err != nil {
			t.Fatal(err)
		}
		s := "https://" + ace + ".example/p"
		want, werr := model.ParseURL(s)
		got, gerr := ParseURL(s)
		if werr != nil || gerr != nil || got != want || want.Host.Serialized != ace+".example" {
			t.Fatalf("%q (%+q): engine %v (%v), model %v (%v)", s, label, &got, gerr, &want, werr)
		}
		var u model.URL
		n := testing.AllocsPerRun(20, func() { _ = ParseURLInto(&u, s) })
		if n == 0 != fast {
			t.Errorf("%q (%+q): %v allocations per parse; the fast path takes it: %v, want %v", s, label, n, n == 0, fast)
		}
	}
	for r := rune(0xDF); r <= 0xFF; r++ {
		check("a"+string(r)+"b", r != 0xF7)
	}
	for _, c := range "abcdefghijklmnopqrstuvwxyz0123456789-" {
		check("x"+string(c)+"\u00dfy", true)
	}
}
