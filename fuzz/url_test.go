package fuzz

import (
	"testing"

	"github.com/google/go-cmp/cmp"

	"cspmodel/engine"
	"cspmodel/model"
)

// urlSeeds sit on the fast path's edges: what it accepts, and the first
// character of everything it hands to the full parser.
var urlSeeds = []string{
	"https://example.com/", "http://example.com", "HTTPS://EXAMPLE.COM/", "https://Example.com/",
	"wss://a.b.example.com:8443/chat?x=1#f", "ws://example.com:80/", "https://example.com:443",
	"https://example.com:0/", "https://example.com:65535/", "https://example.com:65536/", "https://example.com:/",
	"https://example.com:00443/", "https://10.0.0.1/", "https://example.123/", "https://example.0x1/",
	"https://xn--tdaaaaaa.de/", "https://üüüüüü.de/", "https://ex%41mple.com/", "https://-x.example/",
	"https://a--b.example/", "https://ab--c.example/", "https://example..com/", "https://.example.com/",
	"https://example.com./", "https://user:pass@example.com/", "https://example.com\\path",
	"https://example.com/a/../b", "https://example.com/a/./b", "https://example.com/%2e/", "https://example.com/%2E%2E",
	"https://example.com/a b", "https://example.com/a^b", "https://example.com/a`b", "https://example.com/a{b}",
	"https://example.com/?a b", "https://example.com/?a'b", "https://example.com/#a b", "https://example.com/#a`b",
	"https://example.com/%zz", "https://example.com/%4", " https://example.com/", "https://example.com/\t",
	"https://exa\nmple.com/", "https:example.com", "https:/example.com", "https:///example.com",
	"ftp://example.com/", "data:,x", "blob:https://example.com/x", "javascript:alert(1)", "https://[::1]/",
	"https://example.com/ä", "https://example.com/?ä", "https://example.com/#ä", "https://exam_ple.com/",
}

// FuzzURLFastPath holds the engine's URL fast path to the full WHATWG parser:
// for every input both accept or both refuse, and accepted URLs are equal.
func FuzzURLFastPath(f *testing.F) {
	for _, s := range urlSeeds {
		f.Add(s)
	}
	for _, c := range loadCorpus(f) {
		for _, u := range c.Request.URLList {
			f.Add(u)
		}
		f.Add(c.SelfOrigin)
	}
	f.Fuzz(func(t *testing.T, s string) {
		want, werr := model.ParseURL(s)
		got, gerr := engine.ParseURL(s)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("ParseURL(%q): full parser error %v, engine error %v", s, werr, gerr)
		}
		if diff := cmp.Diff(want, got); diff != "" {
			t.Fatalf("ParseURL(%q) mismatch (-model +engine):\n%s", s, diff)
		}
	})
}
