package differential

import (
	"fmt"
	"math/rand"
	"sort"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/google/go-cmp/cmp/cmpopts"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// TestRecipeBytesRoundTrip: RecipeFromBytes reads back every generated
// recipe from its Bytes, so that a fuzz seed written as bytes is the recipe
// it was made from.
func TestRecipeBytesRoundTrip(t *testing.T) {
	for i, r := range Generate(1, 1000) {
		b := r.Bytes()
		if d := cmp.Diff(r, RecipeFromBytes(b), cmpopts.EquateEmpty()); d != "" {
			t.Fatalf("recipe %d: RecipeFromBytes(%q) (-want +got):\n%s", i, b, d)
		}
	}
	if got := RecipeFromBytes(nil); !cmp.Equal(got, Recipe{}, cmpopts.EquateEmpty()) {
		t.Errorf("RecipeFromBytes(nil) = %+v, want the zero recipe", got)
	}
}

// TestRecipeFromBytesIsTotal: every byte string is a recipe, and builds a
// case of bounded size that model and engine decide alike.
func TestRecipeFromBytesIsTotal(t *testing.T) {
	for _, b := range byteStrings(5) {
		c := RecipeFromBytes(b).Build("bytes")
		size := len(c.SelfOrigin)
		for _, p := range c.Policies {
			size += len(p.Value)
		}
		for _, u := range c.Request.URLList {
			size += len(u)
		}
		if size > 1<<20 {
			t.Errorf("RecipeFromBytes(%d bytes) builds a case of %d bytes", len(b), size)
		}
		if d := disagreement(c, corpus.RunModel(c, nil)); d != "" {
			t.Errorf("RecipeFromBytes(%q): %s", b, d)
		}
	}
}

// byteStrings are inputs for the byte forms' totality tests: none, a zero,
// 5,000 bytes of 0xff and of maxSlice (the longest slices), and 500
// random strings of up to 400 bytes drawn from seed.
func byteStrings(seed int64) [][]byte {
	rng := rand.New(rand.NewSource(seed))
	inputs := [][]byte{nil, {0}, bytesOf(0xff, 5000), bytesOf(maxSlice, 5000)}
	for range 500 {
		b := make([]byte, rng.Intn(400))
		rng.Read(b)
		inputs = append(inputs, b)
	}
	return inputs
}

func bytesOf(b byte, n int) []byte {
	out := make([]byte, n)
	for i := range out {
		out[i] = b
	}
	return out
}

// TestGeneratorReaches holds the generator to its reach: each family of
// input the engine treats apart (a branch, a threshold, an edge value) must
// occur in the cases the properties draw, or no property can catch a bug
// there. Each feature is a predicate on a built case.
func TestGeneratorReaches(t *testing.T) {
	var features = map[string]func(c *caseView) bool{}
	add := func(name string, f func(c *caseView) bool) { features[name] = f }

	// Every connection kind and every Fetch destination.
	dests := map[string]bool{}
	for _, k := range kinds {
		k := k
		if d, ok := strings.CutPrefix(k, "dest:"); ok {
			if !model.IsDestination(d) {
				t.Errorf("%q is not a Fetch destination", d)
			}
			dests[d] = true
			add("destination "+d, func(c *caseView) bool { return c.Request.Destination != nil && *c.Request.Destination == d })
		} else {
			add("kind "+k, func(c *caseView) bool { return c.Request.Kind == k })
		}
	}
	if len(dests) != 24 {
		t.Errorf("the kinds hold %d destinations, want Fetch's 24", len(dests))
	}
	for _, i := range initiators {
		i := i
		add("initiator "+i, func(c *caseView) bool { return c.Request.Destination != nil && c.Request.Initiator == i })
	}
	for _, p := range parsers {
		p := p
		add("parser metadata "+p, func(c *caseView) bool { return c.Request.Destination != nil && c.Request.ParserMetadata == p })
	}
	session := func(c *caseView) bool {
		return c.Request.Mode == "webtransport" && len(c.Request.WebTransportHashes) > 0
	}
	add("WebTransport session with hashes", session)
	add("WebTransport session with hashes under 'unsafe-webtransport-hashes'", func(c *caseView) bool {
		return session(c) && anyPolicy(c, func(v string) bool { return strings.Contains(v, "'unsafe-webtransport-hashes'") })
	})
	add("WebTransport session without hashes", func(c *caseView) bool {
		return c.Request.Mode == "webtransport" && len(c.Request.WebTransportHashes) == 0
	})
	add("WebTransport hashes in another mode", func(c *caseView) bool {
		return c.Request.Mode != "webtransport" && len(c.Request.WebTransportHashes) > 0
	})

	// Integrity metadata and nonces, matching and near misses.
	listedHash := func(c *caseView, alg, value string) bool {
		return anyPolicy(c, func(v string) bool {
			return strings.Contains(strings.ToLower(v), "'"+strings.ToLower(alg)+"-") && strings.Contains(v, "-"+value+"'")
		})
	}
	tokens := func(c *caseView) [][2]string {
		var out [][2]string
		for _, item := range strings.Split(c.Request.Integrity, " ") {
			item, _, _ = strings.Cut(item, "?")
			parts := strings.Split(item, "-")
			if len(parts) > 1 {
				out = append(out, [2]string{parts[0], parts[1]})
			}
		}
		return out
	}
	add("integrity token listed as a hash-source", func(c *caseView) bool {
		for _, tk := range tokens(c) {
			if listedHash(c, tk[0], tk[1]) {
				return true
			}
		}
		return false
	})
	add("integrity token one character off a listed hash-source", func(c *caseView) bool {
		for _, tk := range tokens(c) {
			for _, h := range hashPool {
				if tk[1] != h && (tk[1] == nearMiss(h) || tk[1] == flipCase(h)) && listedHash(c, tk[0], h) {
					return true
				}
			}
		}
		return false
	})
	add("script-like request with a hash-source and no integrity", func(c *caseView) bool {
		return c.Request.Destination != nil && scriptLike(*c.Request.Destination) && c.Request.Integrity == "" &&
			anyPolicy(c, func(v string) bool { return strings.Contains(v, "'sha256-") })
	})
	add("several integrity tokens", func(c *caseView) bool { return len(strings.Fields(c.Request.Integrity)) > 1 })
	add("integrity with an unknown algorithm", func(c *caseView) bool { return strings.Contains(c.Request.Integrity, "md5-") })
	add("integrity with options", func(c *caseView) bool { return strings.Contains(c.Request.Integrity, "?") })
	add("integrity with an upper-case algorithm", func(c *caseView) bool { return strings.Contains(c.Request.Integrity, "SHA256-") })
	add("nonce listed as a nonce-source", func(c *caseView) bool {
		n := c.Request.Nonce
		return n != "" && anyPolicy(c, func(v string) bool {
			return strings.Contains(strings.ToLower(v), "'nonce-"+strings.ToLower(n)+"'") && strings.Contains(v, "-"+n+"'")
		})
	})
	add("nonce listed in another case only", func(c *caseView) bool {
		n := c.Request.Nonce
		return n != "" && strings.ToLower(n) != n && anyPolicy(c, func(v string) bool {
			return strings.Contains(v, "-"+strings.ToLower(n)+"'") && !strings.Contains(v, "-"+n+"'")
		})
	})
	add("upper-case 'NONCE- keyword", func(c *caseView) bool {
		return anyPolicy(c, func(v string) bool { return strings.Contains(v, "'NONCE-") })
	})
	add("'strict-dynamic' for a script", func(c *caseView) bool {
		return c.Request.Destination != nil && *c.Request.Destination == "script" &&
			anyPolicy(c, func(v string) bool { return strings.Contains(v, "'strict-dynamic'") })
	})

	// Redirect chains at and past Fetch's limit.
	add("20 redirects", func(c *caseView) bool { return len(c.Request.URLList) == 21 })
	add("21 redirects", func(c *caseView) bool { return len(c.Request.URLList) == 22 })

	// Source lists on both sides of the flat scan, with wildcards at every
	// depth; the edges of host-sources.
	add("16 host-sources", func(c *caseView) bool { return longestList(c) == 16 })
	add("17 host-sources", func(c *caseView) bool { return longestList(c) == 17 })
	add("more than 20 host-sources", func(c *caseView) bool { return longestList(c) > 20 })
	for d := 1; d <= 6; d++ {
		d := d
		add(fmt.Sprintf("deepest wildcard of %d labels in an indexed list", d), func(c *caseView) bool {
			return anyDirective(c, func(tokens []string) bool {
				return len(tokens) > 17 && deepestWildcard(tokens) == d
			})
		})
	}
	for _, port := range []string{":0", ":65535", ":65536", ":99999", ":00443", ":21", ":*"} {
		port := port
		add("source port "+port, func(c *caseView) bool {
			return anyToken(c, func(tok string) bool { return strings.HasSuffix(tok, port) || strings.Contains(tok, port+"/") })
		})
	}
	add("source with an empty port", func(c *caseView) bool {
		return anyToken(c, func(tok string) bool { return strings.Contains(tok, "://") && strings.HasSuffix(tok, ":") })
	})
	add("source host ending in a dot", func(c *caseView) bool {
		return anyToken(c, func(tok string) bool {
			return strings.HasSuffix(tok, ".") || strings.Contains(tok, "./") || strings.Contains(tok, ".:")
		})
	})
	add("source with a // path", func(c *caseView) bool {
		return anyToken(c, func(tok string) bool {
			_, rest, _ := strings.Cut(tok, "://")
			return strings.Contains(rest, "//") || !strings.Contains(tok, "://") && strings.Contains(tok, "//")
		})
	})
	for _, s := range []string{"'self'", "*", "'none'", "ftp:", "custom:", "blob:", "data:"} {
		s := s
		add("source "+s, func(c *caseView) bool {
			return anyToken(c, func(tok string) bool { return strings.EqualFold(tok, s) })
		})
	}

	// Self-origins and URLs over every scheme family, at their edges.
	for _, s := range []string{"https://", "http://", "ftp://", "blob:https://", "ws://", "wss://", "data:", "custom://", "null"} {
		s := s
		add("self-origin "+s, func(c *caseView) bool { return strings.HasPrefix(c.SelfOrigin, s) })
	}
	for _, s := range []string{"ftp://", "blob:https://", "blob:http://", "data:", "custom://", "file://", "wss://", "ws://"} {
		s := s
		add("URL "+s, func(c *caseView) bool {
			return anyURL(c, func(u string) bool { return strings.HasPrefix(strings.ToLower(u), s) })
		})
	}
	add("ftp URL under an ftp self-origin", func(c *caseView) bool {
		return strings.HasPrefix(c.SelfOrigin, "ftp://") && strings.HasPrefix(c.Request.URLList[0], "ftp://")
	})
	add("blob URL with a port", func(c *caseView) bool {
		return anyURL(c, func(u string) bool { return strings.HasPrefix(u, "blob:") && strings.Count(u, ":") > 2 })
	})
	for _, port := range []string{":0/", ":65535/", ":00443/", ":21/", ":2121/"} {
		port := port
		add("URL port "+port, func(c *caseView) bool { return anyURL(c, func(u string) bool { return strings.Contains(u, port) }) })
	}
	add("URL host ending in a dot", func(c *caseView) bool {
		return anyURL(c, func(u string) bool { return strings.Contains(u, "./") || strings.Contains(u, ".:") })
	})
	add("URL with a // path", func(c *caseView) bool {
		return anyURL(c, func(u string) bool { _, rest, _ := strings.Cut(u, "://"); return strings.Contains(rest, "//") })
	})
	add("URL with an empty query", func(c *caseView) bool {
		return anyURL(c, func(u string) bool { return strings.HasSuffix(u, "?") || strings.Contains(u, "?#") })
	})
	add("URL with credentials", func(c *caseView) bool {
		return anyURL(c, func(u string) bool { return strings.Contains(u, "://user@") || strings.Contains(u, "://user:pass@") })
	})
	add("WebSocket URL with a fragment", func(c *caseView) bool {
		return c.Request.Kind == "websocket" && strings.Contains(c.Request.URLList[0], "#")
	})

	// Deliveries.
	add("report-only policy", func(c *caseView) bool {
		for _, p := range c.Policies {
			if p.Disposition == "report" {
				return true
			}
		}
		return false
	})
	add("<meta> policy", func(c *caseView) bool {
		for _, p := range c.Policies {
			if p.Source == "meta" {
				return true
			}
		}
		return false
	})
	add("report-only prefetch", func(c *caseView) bool {
		return c.Request.Initiator == "prefetch" && len(c.Policies) > 0 && c.Policies[0].Disposition == "report"
	})
	add("several policies in one header", func(c *caseView) bool {
		return anyPolicy(c, func(v string) bool { return strings.Contains(v, " , ") })
	})

	counts := map[string]int{}
	const n = 10000
	for i, r := range Generate(defaultSeed, n) {
		c := newCaseView(r.Build(fmt.Sprint(i)))
		for name, f := range features {
			if f(c) {
				counts[name]++
			}
		}
	}
	var names []string
	for name := range features {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		t.Logf("%6d %s", counts[name], name)
		if counts[name] < 5 {
			t.Errorf("%s: %d of %d generated cases, want at least 5", name, counts[name], n)
		}
	}
}

// caseView is a case with its directives split into tokens once.
type caseView struct {
	corpus.Case
	directives [][]string // each directive's tokens, its name first
}

func newCaseView(c corpus.Case) *caseView {
	v := &caseView{Case: c}
	for _, p := range c.Policies {
		for _, d := range strings.FieldsFunc(p.Value, func(r rune) bool { return r == ';' || r == ',' }) {
			v.directives = append(v.directives, strings.Fields(d))
		}
	}
	return v
}

func anyPolicy(c *caseView, f func(string) bool) bool {
	for _, p := range c.Policies {
		if f(p.Value) {
			return true
		}
	}
	return false
}

// anyDirective applies f to the tokens of each directive (its name first).
func anyDirective(c *caseView, f func([]string) bool) bool {
	for _, d := range c.directives {
		if f(d) {
			return true
		}
	}
	return false
}

func anyToken(c *caseView, f func(string) bool) bool {
	return anyDirective(c, func(tokens []string) bool {
		for _, tok := range tokens[min(1, len(tokens)):] {
			if f(tok) {
				return true
			}
		}
		return false
	})
}

func anyURL(c *caseView, f func(string) bool) bool {
	for _, u := range c.Request.URLList {
		if f(u) {
			return true
		}
	}
	return false
}

// longestList is the most tokens any directive of c has, its name aside.
func longestList(c *caseView) int {
	n := 0
	for _, d := range c.directives {
		n = max(n, len(d)-1)
	}
	return n
}

// deepestWildcard is the most labels after "*." among the tokens.
func deepestWildcard(tokens []string) int {
	d := 0
	for _, tok := range tokens {
		if _, rest, ok := strings.Cut(tok, "*."); ok {
			host, _, _ := strings.Cut(rest, "/")
			host, _, _ = strings.Cut(host, ":")
			d = max(d, strings.Count(strings.TrimSuffix(host, "."), ".")+1)
		}
	}
	return d
}

// TestOwnGeneratorReaches holds GenRecipeOwn to what it adds: own hosts at
// each length where the engine's host comparison changes, each met by the
// URLs both as itself and as a near miss, through 'self' and through a
// host-source; and a path segment of its own shared by a source's
// path-part and a URL's path.
func TestOwnGeneratorReaches(t *testing.T) {
	counts := map[string]int{}
	var names []string
	for _, l := range []int{7, 8, 9, 15, 16, 17, 23, 24, 25} {
		for _, via := range []string{"'self'", "host-source"} {
			for _, miss := range []bool{false, true} {
				names = append(names, fmt.Sprintf("%d-byte host, by %s, URL %s", l, via, map[bool]string{false: "the same", true: "a near miss"}[miss]))
			}
		}
	}
	names = append(names, "own segment in a path-part and a URL path")
	const n = 20000
	for i, r := range GenerateOwn(defaultSeed, n) {
		c := newCaseView(r.Build(fmt.Sprint(i)))
		own, ownURL := r.Own.host()
		namesOwn := func(u string) bool {
			return strings.Contains(strings.ToLower(u), "/"+ownURL) || strings.Contains(strings.ToLower(u), "@"+ownURL)
		}
		if own != "" && anyURL(c, namesOwn) {
			state := map[bool]string{false: "the same", true: "a near miss"}[own != ownURL]
			_, selfHost, _ := strings.Cut(strings.ToLower(c.SelfOrigin), "://")
			if selfHost == own || strings.HasPrefix(selfHost, own+":") {
				if anyToken(c, func(tok string) bool { return strings.EqualFold(tok, "'self'") }) {
					counts[fmt.Sprintf("%d-byte host, by 'self', URL %s", len(own), state)]++
				}
			}
			if anyToken(c, func(tok string) bool {
				return strings.Contains(strings.ToLower(tok), own) && !strings.HasPrefix(tok, "'")
			}) {
				counts[fmt.Sprintf("%d-byte host, by host-source, URL %s", len(own), state)]++
			}
		}
		if seg := r.Own.segment(); seg != "" {
			if anyToken(c, func(tok string) bool { return strings.Contains(tok, "/"+seg) }) && anyURL(c, func(u string) bool { return strings.Contains(u, "/"+seg) }) {
				counts[names[len(names)-1]]++
			}
		}
	}
	for _, name := range names {
		t.Logf("%6d %s", counts[name], name)
		if counts[name] < 5 {
			t.Errorf("%s: %d of %d generated cases, want at least 5", name, counts[name], n)
		}
	}
	if len(pathChars) != 0x7e-0x21+1 {
		t.Errorf("pathChars holds %d characters, want the %d printable ASCII ones", len(pathChars), 0x7e-0x21+1)
	}
}
