package fuzz

import (
	"fmt"
	"math/rand"
	"slices"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// FuzzURLFastPath holds the engine's URL fast path to the full WHATWG parser:
// for every input both accept or both refuse, and accepted URLs are equal;
// a canonical URL of a kind the fast path documents parses without
// allocating (fastPathPromised); and ParseOrigin gives the model's origin
// or refuses in the model's words. Each input is read several ways
// (urlReadings): as it is, spelled with urlTokens, read as Latin-1, as a
// URL composed of parts, and each of those as the full parser writes it.
func FuzzURLFastPath(f *testing.F) {
	for _, s := range seedsOf(f, urlFastPathSeeds) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		readings := urlReadings(s)
		given := len(readings)
		for i := 0; i < len(readings); i++ {
			s := readings[i]
			want, werr := model.ParseURL(s)
			// A reading the full parser accepts is read once more as it
			// writes it, when that is a new string.
			if werr == nil && i < given {
				if c := want.String(); !slices.Contains(readings, c) {
					readings = append(readings, c)
				}
			}
			got, gerr := engine.ParseURL(s)
			if (werr == nil) != (gerr == nil) {
				t.Fatalf("ParseURL(%q): full parser error %v, engine error %v", s, werr, gerr)
			}
			if diff := cmp.Diff(want, got); diff != "" {
				t.Fatalf("ParseURL(%q) mismatch (-model +engine):\n%s", s, diff)
			}
			// Under libFuzzer the instrumented comparisons allocate on
			// their own, so allocations are counted under go test only.
			if werr == nil && !libFuzzerBuild && fastPathPromised(s, want) {
				if n := allocsPerParse(s); n != 0 {
					t.Fatalf("ParseURL(%q): %v allocations per parse; a canonical URL the fast path takes allocates none", s, n)
				}
				// The same URL with the bytes it percent-encodes written
				// raw: the fast path encodes them, once per part.
				if raw, parts := rawReading(s, want); parts > 0 {
					got, err := engine.ParseURL(raw)
					if diff := cmp.Diff(want, got); err != nil || diff != "" {
						t.Fatalf("ParseURL(%q) (error %v) mismatch (-model +engine):\n%s", raw, err, diff)
					}
					if n := allocsPerParse(raw); n > float64(parts) {
						t.Fatalf("ParseURL(%q): %v allocations per parse; the fast path takes it, with %d parts to percent-encode, one allocation each", raw, n, parts)
					}
				}
			}
			wantOrigin, wantOriginErr := model.ParseOrigin(s)
			gotOrigin, gotOriginErr := engine.ParseOrigin(s)
			if fmt.Sprint(wantOriginErr) != fmt.Sprint(gotOriginErr) || wantOriginErr == nil && wantOrigin.String() != gotOrigin.String() {
				t.Fatalf("ParseOrigin(%q) = %v, %v; the model's %v, %v", s, gotOrigin, gotOriginErr, wantOrigin, wantOriginErr)
			}
		}
	})
}

// TestIDNAFastPath drives the fast path's Punycode labels, which random
// mutation rarely reaches: Unicode labels from the repertoire it accepts and
// from just outside it are turned into xn-- labels by the full parser, then
// the engine parses that ASCII form, intact and with one byte changed, and
// must agree with the full parser every time, and parse without allocating
// each one that the fast path promises to take.
func TestIDNAFastPath(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	repertoire := []rune("abcz09-ßàéöüÿ÷ÀÉĀāǅ\u0301\u200dא")
	fast, promised := 0, 0
	for range 3000 {
		label := make([]rune, 1+rng.Intn(12))
		for i := range label {
			label[i] = repertoire[rng.Intn(len(repertoire))]
		}
		u, err := model.ParseURL("https://" + string(label) + ".example/")
		if err != nil || !strings.HasPrefix(u.Host.Serialized, "xn--") {
			continue
		}
		ascii := "https://" + u.Host.Serialized + "/p"
		mutated := []byte(ascii)
		i := len("https://xn--") + rng.Intn(len(u.Host.Serialized)-len("xn--"))
		mutated[i] = "abz09-A."[rng.Intn(8)]
		for _, s := range []string{ascii, strings.ToUpper(ascii[:12]) + ascii[12:], string(mutated)} {
			want, werr := model.ParseURL(s)
			got, gerr := engine.ParseURL(s)
			if (werr == nil) != (gerr == nil) || cmp.Diff(want, got) != "" {
				t.Fatalf("ParseURL(%q): full parser %+v (%v), engine %+v (%v)", s, want, werr, got, gerr)
			}
			if werr == nil {
				fast++
				// A canonical label of the repertoire the fast path
				// takes parses without allocating (fastPathPromised).
				if fastPathPromised(s, want) {
					promised++
					if n := allocsPerParse(s); n != 0 {
						t.Fatalf("ParseURL(%q): %v allocations per parse; a canonical URL the fast path takes allocates none", s, n)
					}
				}
			}
		}
	}
	t.Logf("%d IDNA URLs compared, %d of them promised to the fast path", fast, promised)
	if promised < 100 {
		t.Errorf("only %d IDNA URLs the fast path promises to take", promised)
	}
	if fast < 1000 {
		t.Errorf("only %d IDNA URLs compared", fast)
	}
}
