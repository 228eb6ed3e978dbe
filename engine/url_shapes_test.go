package engine_test

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// URL shapes the fast path must get right or hand on: each test holds a
// part of the engine's URL parser (or a helper it shares with policy
// parsing) that a planted bug (mutation testing, docs/fuzzing.md) broke
// without any other test noticing. The model's URL parser is the reference
// throughout.

// sameAsModel parses s with the engine and with the model and reports any
// difference in the URL or in whether it parsed.
func sameAsModel(t *testing.T, s string) {
	t.Helper()
	want, werr := model.ParseURL(s)
	got, gerr := engine.ParseURL(s)
	if (werr == nil) != (gerr == nil) || got != want {
		t.Errorf("%q: engine %+v (error %v), model %+v (error %v)", s, got, gerr, want, werr)
	}
}

// allocsPerParse is how many allocations parsing s takes.
func allocsPerParse(s string) float64 {
	var u model.URL
	return testing.AllocsPerRun(100, func() { _ = engine.ParseURLInto(&u, s) })
}

// TestIPv6HostsOfTheWrongShapeAreRejected: an IPv6 host with two "::", with
// more than eight pieces, or with fewer than eight and no "::", is not a valid URL, as the
// model says; one with exactly eight pieces and no "::" is an ordinary host
// that the fast path parses without allocating. (Mutants that let a second
// "::" through, or turned the eight-piece check around, survived every
// other test.)
func TestIPv6HostsOfTheWrongShapeAreRejected(t *testing.T) {
	invalid := []string{
		"http://[1::2::3]/", "https://[::1::]/", "https://[:::]/", "https://[::1:2::]/", "wss://[1:2::3::4]:8443/x",
		"http://[1:2:3]/", "https://[1]/", "https://[1:2:3:4:5:6:7]/", "custom://[1:2:3]/",
		// Nine pieces, and eight followed by more: the piece loop must stop
		// at eight (a ninth would be written past the array's end).
		"https://[1:2:3:4:5:6:7:8:9]/", "custom://[1:2:3:4:5:6:7:8:9]/", "https://[1:2:3:4:5:6:7:8:]/", "https://[1:2:3:4:5:6:7:8::]/",
	}
	for _, s := range invalid {
		if _, err := model.ParseURL(s); err == nil {
			t.Fatalf("model parses %q; the test expects an invalid host", s)
		}
		sameAsModel(t, s)
	}
	full := []string{"https://[1:2:3:4:5:6:7:8]/", "http://[2001:db8:0:1:1:1:1:1]:8080/p", "ws://[ffff:1:2:3:4:5:6:7]/"}
	for _, s := range full {
		sameAsModel(t, s)
		if n := allocsPerParse(s); n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0 (eight pieces, already canonical)", s, n)
		}
	}
}

// TestNonSpecialAuthorityURLsParseWithoutAllocating: a URL of a scheme the
// URL Standard does not treat specially, with a host ("custom://host/…",
// "git+ssh://…"), takes the fast path and allocates nothing, while file:
// URLs go to the full parser; both parse as the model does.
func TestNonSpecialAuthorityURLsParseWithoutAllocating(t *testing.T) {
	for _, s := range []string{"custom://host/path", "git+ssh://example.com/repo.git?ref=main#top", "web+app://a.b-c_d~e/x", "foo://[::1]:99/"} {
		sameAsModel(t, s)
		if n := allocsPerParse(s); n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0 (the fast path)", s, n)
		}
	}
	for _, s := range []string{"file://host/path", "FILE://host/p", "file:///etc/hosts"} {
		sameAsModel(t, s)
	}
}

// TestOpaqueURLsWithUnprintableBytes: an opaque-path URL (data:, blob:,
// about:, mailto:) with a byte the fast path does not take as it is (a
// control, DEL, a space, non-ASCII, tab or newline, which the URL parser
// encodes or strips) parses as the model does.
func TestOpaqueURLsWithUnprintableBytes(t *testing.T) {
	for _, s := range []string{
		"data:text/plain,\u00e4", "data:a\x7fb", "data:a\x01b", "about:a\tb", "blob:x\ny", "mailto:a\rb@example.com",
		"data:a b", "data:,x?\u00e9", "data:,x#\x00", "about:blank#\u2603", "data:\xff",
	} {
		sameAsModel(t, s)
	}
}

// TestNonASCIIDirectiveAnywhereIsDropped: a directive holding a byte that
// is not ASCII is skipped when the policy is parsed, wherever that byte is
// (the engine reads eight bytes at a time, so each offset within such a
// block is tried, a lone byte that is not UTF-8 too); the engine decides as
// the model does. (A mutant that left one offset of every eight unread
// survived every other test.)
func TestNonASCIIDirectiveAnywhereIsDropped(t *testing.T) {
	image := "image"
	for _, b := range []string{"\x80", "\xff", "\u00e9"} {
		for pad := 0; pad < 16; pad++ {
			c := corpus.Case{
				ID:         fmt.Sprintf("byte %q at %d", b, pad),
				Policies:   []corpus.PolicyInput{{Value: "img-src 'none' " + strings.Repeat("a", pad) + b + strings.Repeat("b", 9)}},
				SelfOrigin: "https://example.com",
				Request:    corpus.RequestInput{Destination: &image, URLList: []string{"https://example.com/x.png"}},
			}
			want, got := corpus.RunModel(c, nil), corpus.RunEngine(c)
			if want.Error != "" || !cmp.Equal(want, got) {
				t.Errorf("%s (policy %q):\n(-model +engine)\n%s", c.ID, c.Policies[0].Value, cmp.Diff(want, got))
			}
		}
	}
}

// TestCanonicalIPv4HostsParseWithoutAllocating: an IPv4 host written as the
// URL Standard serializes it (four decimal parts of at most 255, no leading
// zeros, "0" itself included) takes the fast path and allocates nothing;
// every other way of writing a number (leading zeros, hex, fewer or more
// parts, a part over 255) goes to the full parser. Both parse as the
// model does.
func TestCanonicalIPv4HostsParseWithoutAllocating(t *testing.T) {
	for _, s := range []string{"http://10.0.0.1/", "https://192.168.1.255:8443/p", "http://0.0.0.0/", "ws://255.255.255.255/x", "https://1.2.3.4/?q#f", "http://100.20.3.0/"} {
		sameAsModel(t, s)
		if n := allocsPerParse(s); n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0 (a canonical IPv4 address)", s, n)
		}
	}
	for _, s := range []string{"http://010.0.0.1/", "http://1.2.3.04/", "http://00.0.0.0/", "http://256.1.1.1/", "http://1.2.3/", "http://1.2.3.4.5/", "http://0x7f.0.0.1/", "http://1.2.3.1000/", "http://4294967295/", "http://1.2.3.4./"} {
		sameAsModel(t, s)
	}
}

// TestPrintableOpaqueURLsParseWithoutAllocating: an opaque-path URL of
// printable ASCII, '~' (the last printable byte) included, takes the fast
// path.
func TestPrintableOpaqueURLsParseWithoutAllocating(t *testing.T) {
	for _, s := range []string{"data:text/plain,~a~", "blob:https://example.com/~u", "mailto:a~b@example.com?subject=~#~", "about:blank~"} {
		sameAsModel(t, s)
		if n := allocsPerParse(s); n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0 (the fast path)", s, n)
		}
	}
}

// TestEncodedDotsAtTheEndOfAPath: "%2e" is a dot segment wherever it stands,
// the last bytes of the URL included ("/a/%2e", "/a/%2E%2e", "/%2e?q"); the
// fast path hands every one to the full parser, and both parse as the model
// does.
func TestEncodedDotsAtTheEndOfAPath(t *testing.T) {
	for _, p := range []string{"/a/%2e", "/a/%2E", "/a/%2e%2e", "/a/%2E%2e", "/a/.%2e", "/%2e", "/a/b/%2e%2E", "/a%2e", "/a/%2"} {
		for _, tail := range []string{"", "?q", "#f", "/"} {
			for _, prefix := range []string{"https://example.com", "wss://example.com:8443", "custom://host"} {
				sameAsModel(t, prefix+p+tail)
			}
		}
	}
}

// TestCanonicalURLsParseWithoutAllocating: a URL the fast path takes
// (ParseURL's documentation) and that is already written as the URL
// Standard serializes it allocates nothing: its strings are the input's
// own. Checked for every printable byte that a path, a query and a
// fragment keep as it is, in http, https, ws, wss, ftp and non-special
// URLs, for ports at their edges and written-out default ports, for
// every host kind and for IPv6 addresses compressed anywhere; every URL
// also parses as the model does.
func TestCanonicalURLsParseWithoutAllocating(t *testing.T) {
	var urls []string
	for _, prefix := range []string{"http://h.example", "https://h.example:8443", "ws://10.0.0.1", "wss://[1:2:3:4:5:6:7:8]", "ftp://h.example:2121", "custom://Opaque-Host_1.example"} {
		for c := byte('!'); c < 0x7f; c++ {
			if strings.IndexByte("?#/.%", c) >= 0 {
				continue // structure, dot segments and escapes: TestEncodedDotsAtTheEndOfAPath, TestPercentInPathsAsModel
			}
			for i, s := range []string{prefix + "/a" + string(c) + "b", prefix + "/?a" + string(c) + "b", prefix + "/#a" + string(c) + "b"} {
				if i == 0 && c == '\\' {
					continue // a backslash in a path goes to the full parser, as documented
				}
				if u, err := model.ParseURL(s); err == nil && u.String() == s {
					urls = append(urls, s)
				}
			}
		}
	}
	// IPv6 addresses as the URL Standard writes them: "::" at the start,
	// in the middle and at the end.
	for _, h := range []string{"[::1]", "[::]", "[1::]", "[1::2]", "[1:0:0:2::]", "[::ffff:1:2]", "[1:2:3:4:5:6::]", "[::2:3:4:5:6:7:8]"} {
		urls = append(urls, "https://"+h+"/p", "custom://"+h+"/p")
	}
	for _, port := range []string{"", ":0", ":1", ":80", ":443", ":8080", ":65535"} {
		for _, scheme := range []string{"http", "https", "ws", "wss", "ftp", "custom"} {
			urls = append(urls, scheme+"://h.example"+port+"/p?q#f")
		}
	}
	for _, s := range urls {
		sameAsModel(t, s)
		u, err := model.ParseURL(s)
		if err != nil || u.String() != s {
			continue // a written-out default port is dropped: still the fast path
		}
		if n := allocsPerParse(s); n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0 (canonical, on the fast path)", s, n)
		}
	}
	if len(urls) < 1500 {
		t.Fatalf("only %d URLs: the model should keep most printable bytes as they are", len(urls))
	}
}
