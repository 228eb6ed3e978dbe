package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestCredentialsAndFinalDotParseWithoutAllocating: special URLs with
// plain credentials ("user@", "user:password@") or a host with a final dot
// ("example.com.") take the engine's fast path, without allocating, and
// parse as the model's URL parser does; the forms the fast path leaves to
// the full parser (a second '@' or ':', a byte the userinfo set encodes, an
// empty username, a numeric label before the final dot) parse as the model
// does too.
func TestCredentialsAndFinalDotParseWithoutAllocating(t *testing.T) {
	fast := []string{
		"https://user@example.org/path",
		"https://user:pass@example.org/path?q=1#frag",
		"http://user:@example.com/",
		"wss://us.er-1_~:p.a-s_s~@sub.example.com:8443/ws",
		"ftp://anon@ftp.example.net:2121/pub",
		"https://example.com./",
		"http://com./api/v1/",
		"https://user@www.example.com.:8080/a?b",
		// One-byte usernames and passwords: the ':' at every small index.
		"https://u:p@example.org/",
		"https://u:@example.org/",
		"https://u@example.org/",
		"https://us:p@example.org/",
		"http://u:pass@example.com/",
	}
	slow := []string{
		"https://a@b@example.org/",
		"https://a:b:c@example.org/",
		"https://us%20er@example.org/",
		"https://us er@example.org/",
		"https://:pass@example.org/",
		"https://@example.org/",
		"https://user@/",
		"https://user@",
		"https://1.2.3.4./",
		"https://example.0x1f./",
		"https://example..com./",
		"https://user@1.2.3.4/",
		"https://us;er@example.org/",
		"https://user@exa mple.org/",
		"http://u\\@example.org/",
		"https://user:1pass@example.org/",
		"https://user@Example.COM./",
		"https://example.com:/",
		"https://example.com:x@y/",
	}
	for _, s := range append(append([]string{}, fast...), slow...) {
		want, werr := model.ParseURL(s)
		got, gerr := ParseURL(s)
		if (werr == nil) != (gerr == nil) || got != want {
			// The credentials apart: username "u:p" and username "u" with
			// password "p" serialize alike.
			t.Errorf("%q: engine %v, username %q, password %q (%v); model %v, username %q, password %q (%v)",
				s, &got, got.Username, got.Password, gerr, &want, want.Username, want.Password, werr)
		}
	}
	for _, s := range fast {
		var u model.URL
		if n := testing.AllocsPerRun(100, func() { _ = ParseURLInto(&u, s) }); n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0 (the fast path)", s, n)
		}
	}
}
