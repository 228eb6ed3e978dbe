package engine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// sourceProbeBytes are one byte of each class the source-expression grammar
// tells apart: letters in both cases, a digit, the scheme punctuation, the
// host-part's '*', '.' and '-', the bytes that end a host-part (':', '/',
// whitespace), path characters, a quote, bytes no part allows, and
// non-ASCII.
var sourceProbeBytes = []byte{'a', 'Z', '7', '+', '-', '.', '*', ':', '/', ' ', '\t', '_', '~', '%', '@', '\'', '[', ';', ',', '?', '#', 0x80, 0xff}

// insertEverywhere returns s with b put at each position, the end included.
func insertEverywhere(s string, b byte) []string {
	out := make([]string, 0, len(s)+1)
	for i := 0; i <= len(s); i++ {
		out = append(out, s[:i]+string(b)+s[i:])
	}
	return out
}

// TestSourceSchemePartsAsModel puts each probe byte at every position of
// the scheme of scheme-sources ("ab:") and of host-sources with a
// scheme-part ("ab://ab.cd"), and matches each expression, alone and
// between other host-sources, against a URL of that scheme (when it is one)
// and against an https: URL, under two self-origins. The engine reads a
// scheme by its own byte classes; the model's answer is expected every time.
func TestSourceSchemePartsAsModel(t *testing.T) {
	origins := []string{"https://ab.cd", "http://ab.cd:8080"}
	matched, all := 0, 0
	for _, b := range sourceProbeBytes {
		for _, scheme := range insertEverywhere("ab", b) {
			urls := []string{"https://ab.cd/p", scheme + "://ab.cd/p", scheme + ":x"}
			for _, e := range []string{scheme + ":", scheme + "://ab.cd", scheme + "://*.cd/p", scheme + "://ab.cd:*"} {
				matched += matchesAsModel(t, e, urls, origins)
				all++
			}
		}
	}
	if matched == 0 {
		t.Fatalf("none of %d expressions matched any URL: the sweep tests nothing", all)
	}
	t.Logf("%d matches over %d expressions", matched, all)
}

// TestSourceHostPartsAsModel puts each probe byte at every position of
// host-sources of each shape (a host, a "*." wildcard, "*" alone, a final
// dot, upper case), with and without a port-part and a path-part, and
// matches each against URLs whose hosts are the host-part's and its
// neighbours', and the host with the byte put in it too when that is a URL.
func TestSourceHostPartsAsModel(t *testing.T) {
	origins := []string{"https://ab.cd"}
	matched, all := 0, 0
	hosts := []string{"ab.cd", "*.ab.cd", "*", "ab.cd.", "AB.cd"}
	for _, b := range sourceProbeBytes {
		for _, host := range hosts {
			for _, h := range insertEverywhere(host, b) {
				urls := []string{"https://ab.cd/p", "https://x.ab.cd/p", "https://ab.cd./p", "http://ab.cd:8080/p"}
				if !strings.ContainsRune(h, '*') {
					urls = append(urls, "https://"+h+"/p")
				}
				for _, suffix := range []string{"", ":8080", "/p", ":*/p"} {
					matched += matchesAsModel(t, h+suffix, urls, origins)
					all++
				}
			}
		}
	}
	if matched == 0 {
		t.Fatalf("none of %d expressions matched any URL: the sweep tests nothing", all)
	}
	t.Logf("%d matches over %d expressions", matched, all)
}

// matchesAsModel matches the source expression e, alone, first of a list of
// other host-sources and last of one, against each of urls that parses,
// under each self-origin, and reports where the engine and the model part.
// It returns how many of those the model matched.
func matchesAsModel(t *testing.T, e string, urls, origins []string) (matched int) {
	t.Helper()
	lists := [][]string{{e}, {e, "pad.invalid", "*.pad.invalid"}, {"pad.invalid", e}}
	for _, o := range origins {
		origin, err := model.ParseOrigin(o)
		if err != nil {
			t.Fatal(err)
		}
		for _, s := range urls {
			u, err := model.ParseURL(s)
			if err != nil {
				continue
			}
			for _, list := range lists {
				want := model.MatchURLToSourceList(u, list, origin, 0, nil) == model.Matches
				if want {
					matched++
				}
				if got := engine.MatchSourceList(list, u, origin, 0); got != want {
					t.Errorf("%q vs %s, self-origin %s: engine %v, model %v", list, s, o, got, want)
				}
			}
		}
	}
	return matched
}

// TestSourceExpressionsEndingAPolicyAsModel: a source expression that ends
// the policy (no whitespace after it), or that a tab or a form feed ends,
// is read up to there, as the model reads it. (Lists given as a slice are
// joined with spaces, so only a whole policy tests these ends.)
func TestSourceExpressionsEndingAPolicyAsModel(t *testing.T) {
	image := "image"
	exprs := []string{"*", "*.", "*.ab.cd", "ab.cd", "ab.cd.", "https:", "https://ab.cd", "ab.cd:*", "ab.cd:8080", "ab.cd/p", "*:8080", "*/p", "ab:", "a+b://ab.cd"}
	urls := []string{"https://ab.cd/p", "https://x.ab.cd/p", "http://ab.cd:8080/p", "a+b://ab.cd/p", "ab:x"}
	for _, e := range exprs {
		for _, end := range []string{"", "\t", "\f", "\r\n", " 'self'"} {
			for _, u := range urls {
				c := corpus.Case{
					ID:         fmt.Sprintf("%q then %q vs %s", e, end, u),
					Policies:   []corpus.PolicyInput{{Value: "img-src " + e + end}},
					SelfOrigin: "https://ab.cd",
					Request:    corpus.RequestInput{Destination: &image, URLList: []string{u}},
				}
				want, got := corpus.RunModel(c, nil), corpus.RunEngine(c)
				if want.Error != "" || !cmp.Equal(want, got) {
					t.Errorf("%s:\n(-model +engine)\n%s", c.ID, cmp.Diff(want, got))
				}
			}
		}
	}
}
