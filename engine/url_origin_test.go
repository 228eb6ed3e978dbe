package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// OriginOf gives a URL's origin as the model's URLOrigin does: a tuple for
// the schemes that have one, the inner URL's for a blob: URL of http or
// https, and an opaque origin for every other URL, blob: URLs of any other
// inner scheme included. Opaque origins are each new, so they are compared
// by being opaque; tuples field by field.
func TestOriginOfAsModel(t *testing.T) {
	inner := []string{
		"http://example.com/a", "https://example.com:8443/a", "HTTPS://EXAMPLE.com/",
		"ftp://example.com/", "ws://example.com/", "wss://example.com/", "file:///tmp/x",
		"data:text/plain,x", "custom://example.com/", "blob:https://example.com/x",
		"javascript:alert(1)", "about:blank", "httpx://example.com/", "http:", "",
	}
	var urls []string
	for _, s := range inner {
		urls = append(urls, s, "blob:"+s)
	}
	for _, s := range urls {
		want, werr := model.ParseURL(s)
		got, gerr := ParseURL(s)
		if (werr == nil) != (gerr == nil) {
			t.Fatalf("ParseURL(%q): model error %v, engine error %v", s, werr, gerr)
		}
		if werr != nil {
			continue
		}
		wo, ego := model.URLOrigin(want), OriginOf(got)
		if wo.Opaque != ego.Opaque || !wo.Opaque && (wo.Scheme != ego.Scheme || wo.Host != ego.Host || wo.Port != ego.Port) {
			t.Errorf("origin of %q: engine %v (opaque %v), model %v (opaque %v)", s, ego, ego.Opaque, wo, wo.Opaque)
		}
	}
}
