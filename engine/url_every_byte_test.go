package engine_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestEveryByteInEachURLPartAsModel puts each of the 256 bytes, alone and
// between two letters, in the path, the query and the fragment of a
// special, a WebSocket and a non-special URL, and of opaque-path URLs
// (data:, mailto:), and expects the model's URL
// or error every time: each part has its own percent-encode set (the
// fragment's holds ' ', '"', '<', '>' and '`'; the query's differs between
// special and other URLs), and the fast path keeps one table of them.
func TestEveryByteInEachURLPartAsModel(t *testing.T) {
	prefixes := []string{"https://example.com", "wss://example.com", "custom://host", "data:,", "mailto:a"}
	places := []struct{ before, after string }{
		{"/", ""}, {"/a", "b/c"}, {"/p?", ""}, {"/p?a", "b"}, {"/p#", ""}, {"/p?q#a", "b"},
	}
	for b := 0; b < 256; b++ {
		for _, prefix := range prefixes {
			for _, pl := range places {
				// An opaque path's URL ("data:,/p?a\"b") has its own fast
				// path, which keeps the query and fragment as written
				// unless they hold what the encode sets take.
				s := prefix + pl.before + string([]byte{byte(b)}) + pl.after
				want, werr := model.ParseURL(s)
				got, gerr := engine.ParseURL(s)
				if (werr == nil) != (gerr == nil) || got != want {
					t.Errorf("%q: engine %+v (error %v), model %+v (error %v)", s, got, gerr, want, werr)
				}
			}
		}
	}
}
