package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestOpaqueURLsParseWithoutAllocating: an ordinary URL of a scheme without
// an authority (data:, blob:, about:, mailto:) takes the engine's fast path,
// which slices the input and allocates nothing, and parses as the model's
// URL parser does. Requests to such URLs (images from data:, workers from
// blob:) are common, so they belong on the zero-allocation path; mutation
// testing showed that nothing noticed when the fast path gave them all to
// the full parser (tens of allocations each).
func TestOpaqueURLsParseWithoutAllocating(t *testing.T) {
	for _, s := range []string{
		"data:text/plain,hi",
		"data:image/png;base64,iVBORw0KGgo=",
		"blob:https://example.com/7c9e6679-7425-40de-944b-e07fc1f90ae7",
		"about:blank",
		"mailto:a@example.com?subject=x#f",
		"mailto:a@example.com?subject=x", // a query, no fragment
		"data:,a#?b",                     // a fragment holding '?'
		"about:blank#top",
		"about:srcdoc?", // an empty query
	} {
		want, err := model.ParseURL(s)
		if err != nil {
			t.Fatalf("model: %q: %v", s, err)
		}
		got, err := ParseURL(s)
		if err != nil {
			t.Fatalf("engine: %q: %v", s, err)
		}
		if got != want {
			t.Errorf("%q: engine %+v, model %+v", s, got, want)
		}
		var u model.URL
		if n := testing.AllocsPerRun(100, func() { _ = ParseURLInto(&u, s) }); n != 0 {
			t.Errorf("%q: %v allocations per parse, want 0", s, n)
		}
	}
}
