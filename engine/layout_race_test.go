package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestLayOutEndsBetweenLoads is the interleaving TestConcurrentFirstUse
// only finds now and then under -race: a decision reads the ready word
// before any lay-out (so Decide goes on to otherDeciders), and the
// lay-out of the same effective directive, the first one, ends before
// otherDeciders reads the word again. The deciders are then in first, not
// in more, and must be found there: reading "laid out, and more is nil" as
// "no policy has a directive for e" allowed every such request.
func TestLayOutEndsBetweenLoads(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, policy := range []string{"connect-src 'none'", "default-src 'self'", "connect-src 'none', img-src 'none'", "script-src 'none'; connect-src 'none'"} {
		c := Compile([]model.PolicyDelivery{{Value: policy}}, self)
		want := c.layOut(effConnect) // the goroutine that won the lay-out
		if len(want) == 0 {
			t.Fatalf("%q: connect-src has no deciders", policy)
		}
		if got := c.otherDeciders(effConnect); len(got) != len(want) || &got[0] != &want[0] {
			t.Errorf("%q: a decision that began before the first lay-out sees %d deciders once it has ended, want the %d laid out", policy, len(got), len(want))
		}
	}
}
