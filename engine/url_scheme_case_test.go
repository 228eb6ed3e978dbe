package engine_test

import (
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// caseSpellings returns every ASCII upper/lower-case spelling of name.
func caseSpellings(name string) []string {
	var out []string
	for mask := 0; mask < 1<<len(name); mask++ {
		b := []byte(name)
		for i := range b {
			if mask&(1<<i) != 0 {
				b[i] = b[i] - 'a' + 'A'
			}
		}
		out = append(out, string(b))
	}
	return out
}

// TestSchemeSpellingsParseAsModel parses URLs under every case spelling of
// each special scheme the fast path knows (http, https, ws, wss, ftp), and of
// schemes of the same lengths that differ from them by one letter, and
// expects the model's URL every time. A special scheme in any case must keep
// the fast path (no allocation: its lowercase name is a constant); a scheme
// one letter off is a non-special one, which must not be mistaken for its
// neighbour, and which parses without allocating when written in lower
// case.
func TestSchemeSpellingsParseAsModel(t *testing.T) {
	special := []string{"http", "https", "ws", "wss", "ftp"}
	near := []string{"wt", "xs", "wsx", "ftq", "gtp", "fto", "htt", "httq", "gttp", "fttp", "wssx", "httpx", "httqs", "ftps", "https2"}
	tails := []string{"://example.com/", "://example.com:8080/a/b?q#f", "://example.com:443/x", "://example.com:80/x", "://example.com:21", "://a.b-c.example/%41/", "://example.com"}
	var u model.URL
	for k, name := range append(special, near...) {
		for _, sp := range caseSpellings(name) {
			// A non-special scheme keeps its spelling but lowercased: a
			// new string when it has upper-case letters.
			fast := k < len(special) || sp == name
			for _, tail := range tails {
				s := sp + tail
				want, werr := model.ParseURL(s)
				got, gerr := engine.ParseURL(s)
				if (werr == nil) != (gerr == nil) || got != want {
					t.Errorf("%q: engine %+v (error %v), model %+v (error %v)", s, got, gerr, want, werr)
					continue
				}
				if werr != nil {
					continue
				}
				if want.Scheme != strings.ToLower(name) {
					t.Fatalf("%q: the model's scheme is %q, the test expects %q", s, want.Scheme, strings.ToLower(name))
				}
				if !fast {
					continue
				}
				if n := testing.AllocsPerRun(20, func() { _ = engine.ParseURLInto(&u, s) }); n != 0 {
					t.Errorf("%q: %v allocations per parse, want 0 (the fast path)", s, n)
				}
			}
		}
	}
}
