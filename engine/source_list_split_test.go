package engine_test

import (
	"math/rand"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
)

// TestSourceListWindowsSplitAtTokens: a directive value longer than a
// window (4 GiB, so that a host-source record's 32-bit offsets fit; shortened
// here) is compiled a window at a time. Each window is at most a window
// long, or holds one token that is longer on its own; windows end between
// tokens; and together they are the whole value but whitespace. Decisions on such lists
// are held to the model by TestLazyDecidesAsEagerCorpus, but a list
// compiled as one window decides the same as long as its offsets fit,
// which every list a test can hold does: only this test sees the split.
func TestSourceListWindowsSplitAtTokens(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	spaces := []string{" ", "  ", "\t", "\n \f"}
	isSpace := func(c byte) bool { return strings.IndexByte(" \t\n\f\r", c) >= 0 }
	for _, window := range []int{1, 7, 40} {
		restore := engine.SetMaxWindow(window)
		for range 200 {
			var b strings.Builder
			for n := 1 + rng.Intn(30); n > 0; n-- {
				if rng.Intn(3) == 0 {
					b.WriteString(spaces[rng.Intn(len(spaces))])
				}
				b.WriteString(strings.Repeat("a", 1+rng.Intn(12)) + ".example" + spaces[rng.Intn(len(spaces))])
			}
			value := b.String()
			windows := engine.SourceListWindows(value)
			// Windows of whitespace alone hold no host-source and are
			// not kept: between two kept windows there may be only
			// whitespace.
			pos := 0
			for i, w := range windows {
				gap := strings.Index(value[pos:], w)
				if gap < 0 || strings.TrimLeft(value[pos:pos+gap], " \t\n\f\r") != "" {
					t.Fatalf("window %d, value %q: window %d (%q) is not the next stretch of the value, windows %q", window, value, i, w, windows)
				}
				start, end := pos+gap, pos+gap+len(w)
				if start > 0 && !isSpace(value[start-1]) && !isSpace(value[start]) || end < len(value) && !isSpace(value[end]) && !isSpace(value[end-1]) {
					t.Fatalf("window %d, value %q: window %d (%q) splits a token", window, value, i, w)
				}
				if len(w) > window && len(strings.Fields(w)) > 1 {
					t.Fatalf("window %d, value %q: window %d is %q, %d bytes holding %d tokens", window, value, i, w, len(w), len(strings.Fields(w)))
				}
				pos = end
			}
			if strings.TrimLeft(value[pos:], " \t\n\f\r") != "" {
				t.Fatalf("window %d, value %q: windows %q leave out %q", window, value, windows, value[pos:])
			}
		}
		restore()
	}
}
