package engine_test

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestIDNALabelLengthsAsModel parses URLs whose host has an "xn--" label of
// each length from 1 to 70 code points, in several shapes of the fast
// path's repertoire (one Latin-1 letter first, last or among ASCII ones,
// Latin-1 letters only), and expects the model's URL every time. The model
// takes labels longer than DNS allows (63 bytes); the engine may leave those
// to the full parser, but every label of 63 bytes or fewer must take the fast
// path and parse without allocating.
func TestIDNALabelLengthsAsModel(t *testing.T) {
	shapes := []func(n int) string{
		func(n int) string { return strings.Repeat("a", n-1) + "\u00e4" },
		func(n int) string { return "\u00df" + strings.Repeat("z", n-1) },
		func(n int) string { return strings.Repeat("9", n/2) + "\u00fc" + strings.Repeat("b", n-1-n/2) },
		func(n int) string { return strings.Repeat("\u00e9", n) },
		func(n int) string { return strings.Repeat("\u00ff-", n/2) + strings.Repeat("\u00ff", n%2) },
	}
	fast := 0
	var u model.URL
	for n := 1; n <= 70; n++ {
		for _, shape := range shapes {
			label := shape(n)
			ace, err := idna.Punycode.ToASCII(label)
			if err != nil || !strings.HasPrefix(ace, "xn--") {
				t.Fatalf("x/net/idna encodes %q as %q (error %v)", label, ace, err)
			}
			// (The last URL's host is in upper case: lowering it
			// allocates, so only its URL is compared.)
			for k, s := range []string{"https://" + ace + "/p", "http://www." + ace + ".example:8080/", "wss://" + strings.ToUpper(ace) + ".example/"} {
				want, werr := model.ParseURL(s)
				got, gerr := engine.ParseURL(s)
				if (werr == nil) != (gerr == nil) || got != want {
					t.Errorf("%q: engine %+v (error %v), model %+v (error %v)", s, got, gerr, want, werr)
					continue
				}
				if len(ace) > 63 || k == 2 {
					continue
				}
				fast++
				if n := testing.AllocsPerRun(5, func() { _ = engine.ParseURLInto(&u, s) }); n != 0 {
					t.Errorf("%q (a %d-byte label): %v allocations per parse, want 0 (the fast path)", s, len(ace), n)
				}
			}
		}
	}
	if fast == 0 {
		t.Fatal("no label took the fast path: the test checks nothing")
	}
}
