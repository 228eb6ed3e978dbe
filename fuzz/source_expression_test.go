package fuzz

import (
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// FuzzSourceExpression compares one source list (space-separated
// expressions, usually one) against one URL, origin and redirect count. Seeds
// are every (expression, URL) pair of the corpus.
func FuzzSourceExpression(f *testing.F) {
	for _, c := range loadCorpus(f) {
		for _, p := range c.Policies {
			for _, token := range strings.Fields(strings.NewReplacer(";", " ", ",", " ").Replace(p.Value)) {
				for _, u := range c.Request.URLList {
					f.Add(token, u, c.SelfOrigin, uint8(0))
				}
			}
		}
	}
	f.Fuzz(func(t *testing.T, expressions, rawURL, origin string, redirects uint8) {
		u, err := model.ParseURL(rawURL)
		if err != nil {
			return // not a URL: nothing to match
		}
		o, err := model.ParseOrigin(origin)
		if err != nil {
			return
		}
		list := strings.Split(expressions, " ")
		rc := int(redirects % 4)
		var tr model.Trace
		m := model.MatchURLToSourceList(u, list, o, rc, &tr) == model.Matches
		e := engine.MatchSourceList(list, u, o, rc)
		if m != e {
			t.Fatalf("MatchURLToSourceList(%q, %q, %q, %d): model %v, engine %v\n%s", rawURL, list, origin, rc, m, e, tr.String())
		}
		// The same list made long enough that the engine files its
		// host-sources in maps instead of scanning them.
		long := append(append([]string(nil), list...), padding...)
		m = model.MatchURLToSourceList(u, long, o, rc, nil) == model.Matches
		if e := engine.MatchSourceList(long, u, o, rc); m != e {
			t.Fatalf("MatchURLToSourceList(%q, %q + padding, %q, %d): model %v, engine %v", rawURL, list, origin, rc, m, e)
		}
	})
}

// padding is seventeen host-sources, one of each shape, that make any list
// longer than the engine's flat scan takes.
var padding = []string{
	"pad0.invalid", "*.pad1.invalid", "https://pad2.invalid:8443", "*.a.b.pad3.invalid", "pad4.invalid/p/",
	"*.pad5.invalid:*", "http://pad6.invalid", "wss://*.pad7.invalid", "pad8.invalid:80", "*.pad9.invalid/x",
	"pad10.invalid", "*.pad11", "pad12.invalid", "*.x.pad13.invalid", "pad14.invalid", "pad15.invalid", "pad16.invalid",
}
