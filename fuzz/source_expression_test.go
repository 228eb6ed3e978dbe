package fuzz

import (
	"strings"
	"testing"

	"cspmodel/engine"
	"cspmodel/model"
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
	})
}
