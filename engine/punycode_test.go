package engine

import (
	"math/rand/v2"
	"testing"

	"golang.org/x/net/idna"
)

func TestSimpleIDNALabel(t *testing.T) {
	for label, want := range map[string]bool{
		"xn--bcher-kva": true, "XN--BCHER-KVA": true, "xn--tdaaaaaa": true, "xn--zca": true, "xn--mnchen-3ya": true,
		"xn--bcher-kvaa": true, // büücher
		// Malformed, non-canonical, all-ASCII or outside the simple
		// repertoire: left to the full parser.
		"xn--": false, "xn--abc-": false, "xn---abc": false, "xn--bcher-kv": false, "xn--bcher-kva0": false,
		"xn--wgv71a": false, "xn--bcher": false, "example": false, "xn--abc": false, "xn--ls8h": false,
	} {
		if got := simpleIDNALabel(label); got != want {
			t.Errorf("simpleIDNALabel(%q) = %v, want %v", label, got, want)
		}
	}
}

// TestPunycodeCodec holds the engine's Punycode encoder and decoder to
// golang.org/x/net/idna's on labels of up to 40 code points drawn from
// ASCII, the fast path's Latin-1 repertoire and beyond it, with a fixed seed.
// The fast path only accepts a label that decodes into its repertoire and
// encodes back to itself, so a codec that is wrong the same way in both
// directions (a bias adaptation off, say) can pass every URL test; this test
// does not let it.
func TestPunycodeCodec(t *testing.T) {
	rng := rand.New(rand.NewPCG(20261201, 1))
	pools := [][2]rune{{'a', 'z'}, {'0', '9'}, {0xDF, 0xFF}, {0x100, 0x17F}, {0x3041, 0x3096}, {0x1F600, 0x1F64F}}
	for i := 0; i < 20000; i++ {
		n := 1 + rng.IntN(40)
		label := make([]rune, n)
		nonASCII := false
		for j := range label {
			p := pools[rng.IntN(len(pools))]
			if i%2 == 0 && p[0] > 0x17F {
				p = pools[2] // half the labels stay in Latin-1, where the deltas are small
			}
			label[j] = p[0] + rng.Int32N(p[1]-p[0]+1)
			nonASCII = nonASCII || label[j] >= 0x80
		}
		if !nonASCII {
			continue
		}
		want, err := idna.Punycode.ToASCII(string(label))
		if err != nil {
			t.Fatalf("x/net/idna cannot encode %q: %v", string(label), err)
		}
		var out [256]byte
		got := "xn--" + string(punyEncode(label, out[:0]))
		if got != want {
			t.Fatalf("punyEncode(%q) = %q, x/net/idna gives %q", string(label), got, want)
		}
		var buf [64]rune
		back, ok := punyDecode(want[len("xn--"):], buf[:0])
		if !ok || string(back) != string(label) {
			t.Fatalf("punyDecode(%q) = %q, %v; want %q", want[len("xn--"):], string(back), ok, string(label))
		}
	}
}
