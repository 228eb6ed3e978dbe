package engine

import (
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestPrintablePartsTakeTheFastPath puts each printable ASCII byte but the
// backslash between two letters in the path, the query and the fragment of
// a special, a WebSocket and a non-special URL, the bytes of the part's
// percent-encode set included, and each byte but the space in those of
// data: and mailto: URLs, but those their query or fragment would need
// encoded: ParseURL's documentation says the fast path takes them all, so
// parseFast must take each one and give the model's record. A fast path
// that left the URLs it had to encode to the full parser would give the
// same records, at many allocations each, and only this test would see it.
func TestPrintablePartsTakeTheFastPath(t *testing.T) {
	places := []struct{ before, after string }{
		{"/a", "b"}, {"/p?a", "b"}, {"/p#a", "b"}, {"/p?q#a", "b"},
	}
	// In an opaque-path URL, the bytes the fast path leaves to the full
	// parser: none in the path, those of the query's and the fragment's
	// percent-encode sets (but the space, left out of every place).
	opaquePlaces := []struct{ before, after, leaves string }{
		{"a", "b", ""}, {"p?a", "b", "\"<>"}, {"p#a", "b", "\"<>`"}, {"p?q#a", "b", "\"<>`"},
	}
	check := func(s string) {
		t.Helper()
		want, err := model.ParseURL(s)
		if err != nil {
			t.Fatalf("the model: %q: %v", s, err)
		}
		var got model.URL
		if !parseFast(s, &got) {
			t.Errorf("%q: left to the full parser; ParseURL's documentation says the fast path takes it", s)
		} else if got != want {
			t.Errorf("%q: fast path %+v, model %+v", s, got, want)
		}
	}
	for c := byte(' '); c < 0x7f; c++ {
		for _, prefix := range []string{"https://example.com", "wss://example.com", "custom://host"} {
			for _, pl := range places {
				if c != '\\' {
					check(prefix + pl.before + string(c) + pl.after)
				}
			}
		}
		for _, prefix := range []string{"data:,", "mailto:"} {
			for _, pl := range opaquePlaces {
				if c != ' ' && strings.IndexByte(pl.leaves, c) < 0 {
					check(prefix + pl.before + string(c) + pl.after)
				}
			}
		}
	}
}
