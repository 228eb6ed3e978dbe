package engine_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestUndecidedLayOutAllocatesNothing: when no policy of a CSP has a
// directive that decides a request (no connect-src, no default-src), the
// request's lay-out keeps nothing, so deciding it again, which lays it out,
// allocates nothing more than the first decision (the scan) did. Checked
// with one policy (the lay-out's room inside the CSP), with several (room
// counted and made), and with an effective directive laid out before it.
func TestUndecidedLayOutAllocatesNothing(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := engine.ParseURL("https://api.example.com/v1")
	if err != nil {
		t.Fatal(err)
	}
	img, err := engine.ParseURL("https://img.example.com/a.png")
	if err != nil {
		t.Fatal(err)
	}
	fetch := engine.Request{Kind: engine.KindFetch, URLs: []model.URL{u}}
	image := engine.Request{Destination: "image", URLs: []model.URL{img}}
	for _, tc := range []struct {
		name     string
		policies []string
		before   *engine.Request // decided twice first, so that its lay-out comes first
	}{
		{"one policy", []string{"img-src a.example"}, nil},
		{"three policies", []string{"img-src a.example", "font-src b.example", "style-src c.example"}, nil},
		{"after another lay-out", []string{"img-src img.example.com", "font-src b.example"}, &image},
	} {
		var deliveries []model.PolicyDelivery
		for _, p := range tc.policies {
			deliveries = append(deliveries, model.PolicyDelivery{Value: p})
		}
		d := engine.Decision{Violations: make([]engine.Violation, 0, 4)}
		decide := func(c *engine.CSP, r *engine.Request) {
			if err := c.Decide(r, &d); err != nil {
				t.Fatal(err)
			}
			if d.Verdict != model.Allowed {
				t.Fatalf("%s: %v", tc.name, d.Verdict)
			}
		}
		allocs := func(times int) float64 {
			return testing.AllocsPerRun(50, func() {
				c := engine.Compile(deliveries, self)
				if tc.before != nil {
					decide(c, tc.before)
					decide(c, tc.before)
				}
				for range times {
					decide(c, &fetch)
				}
			})
		}
		if once, thrice := allocs(1), allocs(3); thrice != once {
			t.Errorf("%s: %v allocations with three decisions, %v with one", tc.name, thrice, once)
		}
	}
}
