package engine_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// selfOriginVariants are self-origins of every kind a source list can be
// compiled under: tuples of a numbered and of an unnumbered scheme (as a URL
// gives them and as a caller may spell them), a fresh opaque origin, and
// opaque origins that carry tuple fields, which an opaque origin must
// ignore.
func selfOriginVariants() []model.Origin {
	host := model.Host{Kind: model.DomainHost, Serialized: "example.com"}
	var out []model.Origin
	for _, scheme := range []string{"https", "http", "wss", "file", "FILE", "custom+x", "CUSTOM+X", "other", ""} {
		for _, port := range []int{-1, 443, 70} {
			tuple := model.Origin{Scheme: scheme, Host: host, Port: port}
			out = append(out, tuple)
			opaque := tuple
			opaque.Opaque = true
			out = append(out, opaque)
		}
	}
	// The host-less tuple an opaque origin leaves when its fields are
	// ignored, and a fresh opaque origin.
	out = append(out, model.Origin{Opaque: true, Scheme: "custom+x"}, model.NewOpaqueOrigin())
	return out
}

// TestOtherSchemeSourcesAsModel matches host-sources with and without a
// scheme-part, in every case and against every kind of self-origin, with
// URLs of schemes CSP does not number (with a host, without one, with
// upper-case hosts and ports) and with the numbered schemes beside them.
// Of those, only file: URLs have a domain host that host-sources are
// compared with (a non-special scheme's host is opaque), so the self-origins
// include file: tuples, which a caller may build though no URL gives one. A scheme-less source matches such a URL only through the
// self-origin's scheme, and a source with a scheme-part only through its
// own; the engine must answer as the model, alone and in a list long
// enough to be grouped by host.
func TestOtherSchemeSourcesAsModel(t *testing.T) {
	expressions := []string{
		"example.com", "EXAMPLE.com", "*.example.com", "*", "example.com:*", "example.com:70", "example.com/p",
		"custom+x://example.com", "CUSTOM+X://example.com", "custom+x://*.example.com", "custom+x://*", "custom+x://example.com:70",
		"custom+x://example.com/p", "other://example.com", "https://example.com", "http://example.com", "wss://example.com",
		"custom+x:", "other:", "'self'", "file://example.com", "FILE://Example.com", "file://*.example.com", "file://*",
		"file://example.com/p", "file:",
	}
	urls := []string{
		"custom+x://example.com/", "custom+x://EXAMPLE.com:70/p", "custom+x://a.example.com/", "custom+x://example.com:443/",
		"CUSTOM+X://example.com/p", "other://example.com/", "other://example.com:70/", "custom+x:opaque", "custom+x:/path",
		"other:", "https://example.com/", "http://example.com:70/p", "wss://a.example.com/", "ftp://example.com/",
		"blob:https://example.com/uuid", "blob:custom+x://example.com/uuid", "data:,x", "file://example.com/p",
		"file://EXAMPLE.com/", "file://a.example.com/x", "file:///p",
	}
	padding := make([]string, 0, 20)
	for i := range 20 {
		padding = append(padding, "custom+x://pad"+string(rune('a'+i))+".invalid")
	}
	origins := selfOriginVariants()
	for _, s := range urls {
		u, err := model.ParseURL(s)
		if err != nil {
			t.Fatal(err)
		}
		for oi, origin := range origins {
			for _, e := range expressions {
				lists := [][]string{{e}}
				if oi%4 == 0 {
					// The grouped form under a quarter of the self-origins
					// keeps the test fast.
					lists = append(lists, append(append([]string(nil), padding...), e))
				}
				for _, list := range lists {
					want := model.MatchURLToSourceList(u, list, origin, 0, nil) == model.Matches
					if got := engine.MatchSourceList(list, u, origin, 0); got != want {
						t.Errorf("%q (%d expressions) vs %s, self-origin %+v: engine %v, model %v", e, len(list), s, origin, got, want)
					}
				}
			}
		}
	}
}

// TestOpaqueSelfOriginsAsModel decides 'self' and scheme-less host-sources
// under opaque self-origins, including hand-built ones whose scheme, host
// and port fields hold a tuple that the URLs share: an opaque origin is the
// same as no tuple, so whatever those fields say, 'self' must match as the
// model has it (nothing), and a scheme-less host-source must take no scheme
// from them.
func TestOpaqueSelfOriginsAsModel(t *testing.T) {
	lists := [][]string{{"'self'"}, {"example.com"}, {"example.com:*"}, {"*"}, {"'self'", "pad.invalid", "*.pad.invalid"}}
	urls := []string{
		"https://example.com/", "http://example.com/", "https://example.com:443/", "http://example.com:70/", "wss://example.com/",
		"ws://example.com/", "ftp://example.com/", "custom+x://example.com/", "custom+x://example.com:70/",
		"blob:https://example.com/uuid", "blob:http://example.com:70/uuid", "data:,x", "custom+x:opaque",
	}
	opaque := 0
	for _, origin := range selfOriginVariants() {
		if !origin.Opaque {
			continue
		}
		opaque++
		for _, s := range urls {
			u, err := model.ParseURL(s)
			if err != nil {
				t.Fatal(err)
			}
			for _, list := range lists {
				want := model.MatchURLToSourceList(u, list, origin, 0, nil) == model.Matches
				if got := engine.MatchSourceList(list, u, origin, 0); got != want {
					t.Errorf("%q vs %s, opaque self-origin %+v: engine %v, model %v", list, s, origin, got, want)
				}
			}
		}
	}
	if opaque < 10 {
		t.Fatalf("only %d opaque self-origins", opaque)
	}
}
