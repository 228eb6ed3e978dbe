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
