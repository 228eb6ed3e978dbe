package corpus

import (
	"bytes"
	"reflect"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestBuildForEngineBuildsAsModel builds every pinned vector, and variants
// of each with a URL or origin that does not parse in each place a case
// holds one, with the model's URL parser (build, for RunModel) and with the
// engine's (buildForEngine, for RunEngine's checks beyond requests): the
// same inputs and the same error, word for word, but for the global
// object's default URL, which only the model builds.
func TestBuildForEngineBuildsAsModel(t *testing.T) {
	lines := bytes.Split(bytes.TrimSpace(PinnedVectors), []byte("\n"))
	if len(lines) < 1000 {
		t.Fatalf("only %d pinned vectors", len(lines))
	}
	bad := []string{"https://exa mple.com/", "http://[::1", "not a url", "https://xn--a.com/", ""}
	n := 0
	for k, line := range lines {
		c, err := DecodeCase(line)
		if err != nil {
			continue
		}
		variants := []Case{c}
		for _, s := range bad {
			if k%16 != 0 {
				break // a sample of the variants: every case of the file would take seconds
			}
			v := c
			v.SelfOrigin = s
			variants = append(variants, v)
			g := GlobalInput{URL: &s}
			v = c
			v.Global = &g
			variants = append(variants, v)
			v = c
			v.Global = &GlobalInput{Referrer: s}
			variants = append(variants, v)
			if c.BaseURL != "" {
				v = c
				v.BaseURL = s
				variants = append(variants, v)
			}
			if c.Navigation != nil {
				nav := *c.Navigation
				nav.URLList = append(append([]string{}, nav.URLList...), s)
				v = c
				v.Navigation = &nav
				variants = append(variants, v)
				nav2 := *c.Navigation
				nav2.Ancestors = []string{"https://example.com", s}
				v = c
				v.Navigation = &nav2
				variants = append(variants, v)
			}
		}
		for _, v := range variants {
			n++
			mb, merr := v.build()
			eb, eerr := v.buildForEngine()
			if (merr == nil) != (eerr == nil) || merr != nil && merr.Error() != eerr.Error() {
				t.Fatalf("case %s (self %q): build: %v; buildForEngine: %v", v.ID, v.SelfOrigin, merr, eerr)
			}
			if merr != nil {
				continue
			}
			if v.Global == nil || v.Global.URL == nil {
				mb.env.URL = nil // the default, which the engine does not build
			}
			if !sameOrigin(mb.self, eb.self) || len(mb.target.AncestorOrigins) != len(eb.target.AncestorOrigins) {
				t.Fatalf("case %s: origins differ: %+v / %+v", v.ID, mb.self, eb.self)
			}
			for i, o := range mb.target.AncestorOrigins {
				if !sameOrigin(o, eb.target.AncestorOrigins[i]) {
					t.Fatalf("case %s: ancestor %d: %+v / %+v", v.ID, i, o, eb.target.AncestorOrigins[i])
				}
			}
			mb.self, eb.self, mb.target, eb.target = model.Origin{}, model.Origin{}, model.Navigable{}, model.Navigable{}
			if !reflect.DeepEqual(mb, eb) {
				t.Fatalf("case %s: build and buildForEngine differ:\n%+v\n%+v", v.ID, mb, eb)
			}
		}
	}
	t.Logf("%d cases built both ways", n)
}

// sameOrigin compares two origins, opaque ones by opacity alone (each parse
// makes a fresh one).
func sameOrigin(a, b model.Origin) bool {
	if a.Opaque || b.Opaque {
		return a.Opaque == b.Opaque
	}
	return a == b
}
