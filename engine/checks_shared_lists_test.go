package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// A directive that decides several kinds of inline check (default-src for
// all of them, script-src for scripts and their attributes) is compiled
// once per policy: every inline type it decides shares its compiled list,
// and a type another directive decides has that one's.
func TestInlineTypesShareTheirDirectivesList(t *testing.T) {
	c := checkCSP(t, model.PolicyDelivery{Value: "default-src 'self' 'nonce-a'; script-src 'unsafe-inline'"},
		model.PolicyDelivery{Value: "default-src 'none'"})
	l := c.Checks()
	for i := range l.policies {
		p := &l.policies[i]
		byDir := map[checkDir]*inlineList{}
		for e := range numInlineEff {
			il, dir := p.inline[e], p.inlineDir[e]
			if il == nil {
				t.Fatalf("policy %d: inline type %d has no list", i, e)
			}
			if prev, ok := byDir[dir]; ok && prev != il {
				t.Errorf("policy %d: %s compiled twice (inline type %d has a list of its own)", i, checkDirNames[dir], e)
			}
			byDir[dir] = il
		}
		if want := map[int]int{0: 2, 1: 1}[i]; len(byDir) != want {
			t.Errorf("policy %d: %d directives decide the inline types, want %d", i, len(byDir), want)
		}
	}
}
