package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestLayOutOnce: layOut lays an effective directive's deciders out once.
// A goroutine that lost the race to a first use reaches layOut after the
// winner has laid out (otherDeciders checks the ready word before taking
// the lock); it must get the winner's deciders, allocating nothing, and
// not lay them out again, which would replace a slice other goroutines
// are reading. Asking layOut twice in a row is that loser's path.
func TestLayOutOnce(t *testing.T) {
	self, err := ParseOrigin("https://app.example")
	if err != nil {
		t.Fatal(err)
	}
	for name, deliveries := range map[string][]model.PolicyDelivery{
		"one policy (laid out inside the CSP)": {{Value: "default-src https://a.example; img-src 'self'"}},
		"three policies": {
			{Value: "default-src https://a.example; img-src 'self'"},
			{Value: "connect-src 'none'", Disposition: model.Report},
			{Value: "script-src 'self'; img-src https://b.example"},
		},
	} {
		for _, order := range [][]effective{{effConnect, effImg}, {effImg, effConnect}} {
			c := Compile(deliveries, self)
			seq := effectiveNames[order[0]] + " then " + effectiveNames[order[1]]
			for _, e := range order {
				first := c.layOut(e)
				var again []decider
				if n := testing.AllocsPerRun(5, func() { again = c.layOut(e) }); n != 0 {
					t.Errorf("%s, %s (%s): laid out again with %v allocations, want none", name, effectiveNames[e], seq, n)
				}
				if len(again) != len(first) || len(first) > 0 && &again[0] != &first[0] {
					t.Errorf("%s, %s (%s): asked again, layOut gave other deciders than its first lay-out", name, effectiveNames[e], seq)
				}
				if got := c.laidOut(e); len(got) != len(first) || len(first) > 0 && &got[0] != &first[0] {
					t.Errorf("%s, %s (%s): the deciders kept are not the first lay-out's", name, effectiveNames[e], seq)
				}
			}
		}
	}
}
