package engine

import (
	"fmt"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestLongHostListsAreIndexed holds the compiled form to what keeps a long
// list's decision within a small factor of a short one's: a list of more
// than flatMax host-sources is grouped by hash, with an index, and a short
// one is not. (A list left flat decides the same, only slower; the
// decisions are held to the model elsewhere, so this checks the shape.)
func TestLongHostListsAreIndexed(t *testing.T) {
	for _, n := range []int{1, flatMax, flatMax + 1, 2000} {
		var b strings.Builder
		b.WriteString("img-src")
		for i := range n {
			if i%2 == 0 {
				fmt.Fprintf(&b, " https://h%d.example", i)
			} else {
				fmt.Fprintf(&b, " *.s%d.example", i)
			}
		}
		c := CompileEager([]model.PolicyDelivery{{Value: b.String()}}, model.Origin{})
		lists := 0
		for e := range effective(numEffective) {
			for _, d := range c.laidOut(e) {
				if len(d.list.hosts) == 0 {
					continue
				}
				lists++
				if long := len(d.list.hosts) > flatMax; long != (d.list.ix != nil) {
					t.Errorf("%d host-sources: indexed %v, want %v", len(d.list.hosts), d.list.ix != nil, long)
				}
			}
		}
		if lists == 0 {
			t.Fatalf("%d host-sources: no laid-out list holds them", n)
		}
	}
}
