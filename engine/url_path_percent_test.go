package engine_test

import (
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestPercentSignsInPathsAsModel puts a '%' followed by each of the 256
// bytes at every position of the paths of a special and a non-special URL
// (at the end of the path also before a query and before a fragment), and
// expects the model's URL or error every time.
//
// The full parser keeps a '%' that does not start two hex digits as it is,
// so the fast path keeps it too: when the byte after the '%' is one a path
// holds as it is (a letter, a digit, one of "-._~!$&'()*+,;=:@/%"), the
// test checks that the model's path is the input's path unchanged and that
// the engine parses the URL without allocating. An encoded dot ("%2e", "%2E")
// is the one sequence that goes to the full parser, since it can make a dot
// segment; the paths here have no 'e' for a "%2" to run into.
func TestPercentSignsInPathsAsModel(t *testing.T) {
	const asIs = "-._~!$&'()*+,;=:@/%"
	prefixes := []string{"https://example.com", "custom://host"}
	paths := []string{"/ab/cd/", "/..x/.y"}
	tails := []string{"", "?q=1", "#f"}
	var u model.URL
	for b := 0; b < 256; b++ {
		c := byte(b)
		plain := 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9' || strings.IndexByte(asIs, c) >= 0
		for _, prefix := range prefixes {
			for _, path := range paths {
				for pos := 1; pos <= len(path); pos++ {
					p := path[:pos] + "%" + string(c) + path[pos:]
					for k, tail := range tails {
						if k > 0 && pos < len(path) {
							break // a query or fragment only after a '%' that ends the path
						}
						s := prefix + p + tail
						want, werr := model.ParseURL(s)
						got, gerr := engine.ParseURL(s)
						if (werr == nil) != (gerr == nil) || got != want {
							t.Errorf("%q: engine %+v (error %v), model %+v (error %v)", s, got, gerr, want, werr)
							continue
						}
						if !plain {
							continue
						}
						if werr != nil || want.Path != p {
							t.Fatalf("%q: the model gives path %q (error %v); the test expects %q, kept as it is", s, want.Path, werr, p)
						}
						if n := testing.AllocsPerRun(1, func() { _ = engine.ParseURLInto(&u, s) }); n != 0 {
							t.Errorf("%q: %v allocations per parse, want 0 (the fast path keeps the '%%' as the full parser does)", s, n)
						}
					}
				}
			}
		}
	}
}
