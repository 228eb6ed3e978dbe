package engine

import (
	"strings"
	"testing"

	"golang.org/x/net/idna"
)

// TestPunyDecodeLabelLimit decodes the Punycode of labels of 1 to 80 code
// points, with up to 70 of them ASCII (so that the part before the last '-'
// alone can pass the limit), into a buffer of 63 runes: a label of at most
// 63 code points (the longest DNS label has 63 bytes) must come back as it
// was, a longer one must be refused, and neither may grow the buffer (no
// allocation). The limit is written here as a number, not as the engine's
// constant, so that a change of the constant shows.
func TestPunyDecodeLabelLimit(t *testing.T) {
	for n := 1; n <= 80; n++ {
		for _, ascii := range []int{0, n / 2, n - 1, min(n-1, 70)} {
			label := strings.Repeat("k", ascii) + strings.Repeat("\u00e4", n-ascii)
			ace, err := idna.Punycode.ToASCII(label)
			if err != nil || !strings.HasPrefix(ace, "xn--") {
				t.Fatalf("x/net/idna encodes %q as %q (error %v)", label, ace, err)
			}
			encoded := ace[len("xn--"):]
			var buf [63]rune
			got, ok := punyDecode(encoded, buf[:0])
			if want := n <= 63; ok != want || ok && string(got) != label {
				t.Errorf("punyDecode(%q) (%d code points) = %q, %v; want %v", encoded, n, string(got), ok, want)
			}
			allocs := testing.AllocsPerRun(5, func() {
				var buf [63]rune
				_, _ = punyDecode(encoded, buf[:0])
			})
			if allocs != 0 {
				t.Errorf("punyDecode(%q) (%d code points): %v allocations, want 0", encoded, n, allocs)
			}
		}
	}
}

// TestSimpleACELabelFitsDNS: the fast path takes an "xn--" label of the
// simple repertoire exactly when it fits in a DNS label (63 bytes, "xn--"
// included); a longer one, which the URL parser still takes, is left to it.
func TestSimpleACELabelFitsDNS(t *testing.T) {
	for n := 1; n <= 70; n++ {
		for _, label := range []string{strings.Repeat("a", n-1) + "\u00e4", strings.Repeat("\u00fc", n)} {
			ace, err := idna.Punycode.ToASCII(label)
			if err != nil || !strings.HasPrefix(ace, "xn--") {
				t.Fatalf("x/net/idna encodes %q as %q (error %v)", label, ace, err)
			}
			if got, want := simpleACELabel(ace[len("xn--"):]), len(ace) <= 63; got != want {
				t.Errorf("simpleACELabel(%q) (a %d-byte label) = %v, want %v", ace[len("xn--"):], len(ace), got, want)
			}
		}
	}
}

// TestPunyDecodeAsIDNA decodes every string of up to five bytes of lowercase
// letters, digits, '-', a byte that is no Punycode digit ('!') and the first
// and last bytes past ASCII (and those with a long ASCII part before them),
// and expects golang.org/x/net/idna's decoder's answer: the same code points,
// or a refusal. The differences allowed are the engine's refusals of an
// empty label and of one that ends in its delimiter (no code point past
// ASCII, which the fast path never needs), and of any byte past ASCII, which
// Punycode has no place for and x/net/idna's decoder lets through into its
// basic code points; the label limit is tested above.
func TestPunyDecodeAsIDNA(t *testing.T) {
	alphabet := []byte("abz09-!\x80\xff")
	buf := make([]byte, 0, 5)
	var walk func()
	walk = func() {
		for _, prefix := range []string{"", "kk-"} {
			s := prefix + string(buf)
			if s == "" || strings.HasSuffix(s, "-") {
				continue
			}
			var out [63]rune
			got, ok := punyDecode(s, out[:0])
			if strings.ContainsFunc(s, func(r rune) bool { return r >= 0x80 }) {
				if ok {
					t.Fatalf("punyDecode(%q) = %q, true; want a refusal: Punycode is ASCII", s, string(got))
				}
				continue
			}
			u, err := idna.Punycode.ToUnicode("xn--" + s)
			if ok != (err == nil) || ok && string(got) != u {
				t.Fatalf("punyDecode(%q) = %q, %v; x/net/idna gives %q, %v", s, string(got), ok, u, err)
			}
		}
		if len(buf) == cap(buf) {
			return
		}
		for _, c := range alphabet {
			buf = append(buf, c)
			walk()
			buf = buf[:len(buf)-1]
		}
	}
	walk()
}
