package engine_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// percentFillers are what TestPercentInPathsAsModel writes at each position
// of a path: a '%' with no, one or two hex digits after it (upper and lower
// case, letters and digits), a '%' before a non-hex byte or another '%', an
// encoded and a plain '/', and the characters the encodings stand for ("P"
// and "%50" are what "%4g" would wrongly decode to if its 'g' were read as
// a hex digit).
var percentFillers = []string{
	"", "%", "%%", "%4", "%a", "%41", "%61", "%4a", "%4A", "%4g", "%g1", "%%41", "%41%", "%4%", "%2F", "%2f", "/", "A", "a", "J",
	"%7e", "%7E", "~", "P", "%50",
}

// TestPercentInPathsAsModel writes each percentFillers entry at every
// position of a source's path-part and of a URL's path, with and without a
// trailing '/', and matches every source against every URL, alone and among
// enough other host-sources to be grouped by host, after a port-part, and
// through Compile in a policy whose text the path-part ends, expecting the
// model's answer each time. A '%' that ends a path, or that one hex digit
// follows, must neither be decoded nor read past the end; two hex digits in
// either case decode to the same byte as the character itself.
func TestPercentInPathsAsModel(t *testing.T) {
	const base = "/ab/cd"
	var paths []string
	seen := map[string]bool{}
	for k := 1; k <= len(base); k++ {
		for _, f := range percentFillers {
			for _, tail := range []string{"", "/"} {
				p := base[:k] + f + base[k:] + tail
				if !seen[p] {
					seen[p] = true
					paths = append(paths, p)
				}
			}
		}
	}
	origin, err := model.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	var urls []model.URL
	for _, p := range paths {
		u, err := model.ParseURL("https://example.com" + p)
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	// More than 16 host-sources: the engine groups them by host.
	padding := make([]string, 0, 20)
	for i := range 20 {
		padding = append(padding, "pad"+string(rune('a'+i))+".invalid/x%41/")
	}
	checked, matched := 0, 0
	for pi, p := range paths {
		source := "example.com" + p
		lists := [][]string{{source}, append(append([]string(nil), padding...), source)}
		if pi%5 == 0 {
			// With a port-part before the path-part.
			lists = append(lists, []string{"example.com:443" + p}, []string{"example.com:*" + p})
		}
		for ui, u := range urls {
			for li, list := range lists {
				if li > 0 && ui%31 != 0 {
					continue // the grouped form on every 31st URL keeps the test fast
				}
				want := model.MatchURLToSourceList(u, list, origin, 0, nil) == model.Matches
				got := engine.MatchSourceList(list, u, origin, 0)
				if got != want {
					t.Errorf("source %q (%d expressions) vs URL path %q: engine %v, model %v", source, len(list), paths[ui], got, want)
				}
				checked++
				if want {
					matched++
				}
			}
		}
	}
	// A path-part that ends the policy's text, decided through Compile.
	self := origin
	for pi, p := range paths {
		if pi%3 != 0 {
			continue
		}
		for _, src := range []string{"example.com" + p, "example.com:443" + p} {
			deliveries := []model.PolicyDelivery{{Value: "img-src " + src}}
			c := engine.Compile(deliveries, self)
			env := model.Environment{CSPList: model.NewCSPList(deliveries, self, nil)}
			for ui, u := range urls {
				if ui%17 != 0 {
					continue
				}
				var d engine.Decision
				if err := c.Decide(&engine.Request{Destination: "image", URLs: []model.URL{u}}, &d); err != nil {
					t.Fatal(err)
				}
				md, err := model.DecideRequest(env, model.Request{URLList: []model.URL{u}, Destination: "image"}, nil)
				if err != nil {
					t.Fatal(err)
				}
				if d.Verdict != md.Verdict {
					t.Errorf("img-src %s vs URL path %q: engine %v, model %v", src, paths[ui], d.Verdict, md.Verdict)
				}
			}
		}
	}
	// The sweep is worth something only if both answers occur often.
	if matched < 300 || checked-matched < 300 {
		t.Fatalf("%d pairs, %d matching: the sweep no longer exercises both outcomes", checked, matched)
	}
}
