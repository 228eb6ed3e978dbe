package engine

import (
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestDirectiveNamesAsModel looks up, with dirByName, every directive name
// a request's fallback list can hold in the model (model.DirectiveFallbackList
// of each effective directive a request can have), every other directive name,
// each in lower, upper and mixed case, and every string one byte away from
// each name (each byte replaced by each printable ASCII byte, one dropped,
// one added at the end), and expects a name found exactly when it is,
// ASCII case-insensitively, one of the model's, and found as itself. This
// holds the look-up table's invariant (no two names share the key it files
// them under) on the names themselves: a name that shadowed another would
// be found as the other, or not at all.
func TestDirectiveNamesAsModel(t *testing.T) {
	want := map[string]bool{}
	for _, e := range []string{"connect-src", "manifest-src", "object-src", "frame-src", "media-src", "font-src", "img-src",
		"style-src-elem", "script-src-elem", "worker-src", "default-src"} {
		for _, n := range model.DirectiveFallbackList(e) {
			want[n] = true
		}
	}
	if len(want) != int(numDirs) {
		t.Fatalf("the model's fallback lists name %d directives, the engine's table %d", len(want), numDirs)
	}
	names := []string{"script-src-attr", "style-src-attr", "base-uri", "form-action", "frame-ancestors", "sandbox",
		"report-uri", "report-to", "webrtc", "require-trusted-types-for", "trusted-types", "upgrade-insecure-requests",
		"prefetch-src", "navigate-to", "", "-", "a"}
	for n := range want {
		names = append(names, n)
	}
	var candidates []string
	for _, n := range names {
		candidates = append(candidates, n, strings.ToUpper(n), strings.ToUpper(n[:len(n)/2])+n[len(n)/2:], n[:len(n)/2]+strings.ToUpper(n[len(n)/2:]))
		for i := range len(n) {
			candidates = append(candidates, n[:i]+n[i+1:]) // one byte dropped
			for c := byte(' '); c <= '~'; c++ {
				candidates = append(candidates, n[:i]+string(c)+n[i+1:])
			}
		}
		for c := byte(' '); c <= '~'; c++ {
			candidates = append(candidates, n+string(c))
		}
	}
	found := 0
	for _, s := range candidates {
		lower := strings.ToLower(s)
		id, ok := dirByName(s)
		if ok != want[lower] {
			t.Errorf("dirByName(%q) found %v, want %v", s, ok, want[lower])
			continue
		}
		if ok {
			found++
			if dirNames[id] != lower {
				t.Errorf("dirByName(%q) = %q", s, dirNames[id])
			}
		}
	}
	if found < 4*int(numDirs) {
		t.Fatalf("only %d names found", found)
	}
}

// TestDirAtEndsNamesAtWhitespace: a directive name is a token's bytes up
// to the first ASCII whitespace (any of the five) or the token's end,
// which dirAt finds by trying the names of the token's first letter: each
// name, in either case, followed by each byte, names the directive exactly
// when the byte is ASCII whitespace, and what follows is its value.
func TestDirAtEndsNamesAtWhitespace(t *testing.T) {
	for want, name := range dirNames {
		for _, n := range []string{name, strings.ToUpper(name)} {
			if id, k, ok := dirAt(n, 0, len(n)); !ok || id != dirID(want) || k != len(n) {
				t.Errorf("dirAt(%q) = %v, %d, %v", n, id, k, ok)
			}
			for c := 0; c < 256; c++ {
				text := n + string(rune(c)) + "x"
				id, k, ok := dirAt(text, 0, len(text))
				space := c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'
				if ok != space || ok && (id != dirID(want) || k != len(n)) {
					t.Errorf("dirAt(%q) = %v, %d, %v; want a name: %v", text, id, k, ok, space)
				}
				// The token may end where the name does (stop).
				if id, k, ok := dirAt(text, 0, len(n)); !ok || id != dirID(want) || k != len(n) {
					t.Errorf("dirAt(%q, 0, %d) = %v, %d, %v", text, len(n), id, k, ok)
				}
			}
		}
	}
}
