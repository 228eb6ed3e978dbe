package engine

import (
	"fmt"
	"testing"
	"time"

	"github.com/cspmodel/cspmodel/model"
)

// hintDestinations are a destination of each effective directive a request
// can have, and a prefetch (whose effective directive is default-src).
var hintDestinations = []struct{ destination, initiator string }{
	{"", ""}, {"manifest", ""}, {"object", ""}, {"frame", ""}, {"audio", ""}, {"font", ""}, {"image", ""},
	{"style", ""}, {"script", ""}, {"worker", ""}, {"", "prefetch"},
}

// hintPolicies are policies with a default-src and some of the other fetch
// directives, each allowing a host of its own, so that a list compiled for
// one directive and used for another decides some request wrongly.
func hintPolicies() []string {
	var out []string
	for mask := 0; mask < 1<<numDirs; mask += 0x1235 {
		p := "default-src d.example"
		for id := dirDefault + 1; id < numDirs; id++ {
			if mask&(1<<id) != 0 {
				p += fmt.Sprintf("; %s h%d.example", dirNames[id], id)
			}
		}
		out = append(out, p)
	}
	return append(out, "default-src d.example; "+allDirectives(), allDirectives(), "default-src 'none'")
}

func allDirectives() string {
	p := ""
	for id := dirDefault + 1; id < numDirs; id++ {
		p += fmt.Sprintf("%s h%d.example; ", dirNames[id], id)
	}
	return p
}

// TestRequestsAfterHintsAsModel decides, on a fresh compiled list each
// time, a prefetch first (which compiles the lists resource hints consult)
// and then a request of every other destination, or those requests first
// and the prefetch last, for the URL of each directive's host; every verdict
// must be the model's. A lay-out that reuses a list a hint compiled must
// take the list of its own directive.
func TestRequestsAfterHintsAsModel(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	var urls []model.URL
	for _, h := range []string{"d", "h1", "h2", "h3", "h4", "h5", "h6", "h7", "h8", "h9", "h10", "h11", "h12", "h13", "x"} {
		u, err := ParseURL("https://" + h + ".example/")
		if err != nil {
			t.Fatal(err)
		}
		urls = append(urls, u)
	}
	policies := hintPolicies()
	for _, policy := range policies {
		deliveries := []model.PolicyDelivery{{Value: policy}, {Value: policy, Disposition: model.Report}}
		env := model.Environment{CSPList: model.NewCSPList(deliveries, self, nil)}
		for _, u := range urls {
			for _, prefetchFirst := range []bool{true, false} {
				c := Compile(deliveries, self)
				order := append([]int(nil), 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10)
				if prefetchFirst {
					order = append([]int{10}, order[:10]...)
				}
				for _, i := range order {
					dest := hintDestinations[i]
					var d Decision
					if err := c.Decide(&Request{Destination: dest.destination, Initiator: dest.initiator, URLs: []model.URL{u}}, &d); err != nil {
						t.Fatal(err)
					}
					md, err := model.DecideRequest(env, model.Request{URLList: []model.URL{u}, Destination: dest.destination, Initiator: dest.initiator}, nil)
					if err != nil {
						t.Fatal(err)
					}
					if d.Verdict != md.Verdict || len(d.Violations) != len(md.Violations) {
						t.Errorf("%q, %s (destination %q, initiator %q), prefetch first %v: engine %v with %d violations, model %v with %d",
							policy, u.String(), dest.destination, dest.initiator, prefetchFirst, d.Verdict, len(d.Violations), md.Verdict, len(md.Violations))
					}
				}
			}
		}
	}
}

// TestLayoutAfterHintsReusesTheirLists decides a prefetch, which compiles
// the lists of every fetch directive but default-src of the policies that
// have a default-src, then a request of every other effective directive,
// or those requests first and the prefetch last: each list must be
// compiled once, the later of a lay-out and the hints taking the list the
// earlier compiled for the same directive (the same host records, not a
// second compilation of the same text).
func TestLayoutAfterHintsReusesTheirLists(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ParseURL("https://h7.example/f")
	if err != nil {
		t.Fatal(err)
	}
	reused := 0
	for _, policy := range hintPolicies() {
		deliveries := []model.PolicyDelivery{{Value: "img-src i.example"}, {Value: policy}}
		for _, prefetchFirst := range []bool{true, false} {
			c := Compile(deliveries, self)
			var d Decision
			order := hintDestinations
			if prefetchFirst {
				n := len(order) - 1
				order = append(append(order[n:n:n], order[n]), order[:n]...)
			}
			for _, dest := range order {
				if err := c.Decide(&Request{Destination: dest.destination, Initiator: dest.initiator, URLs: []model.URL{u}}, &d); err != nil {
					t.Fatal(err)
				}
			}
			var hints [][]*sourceList
			if r := c.rare.Load(); r != nil {
				hints = r.hints
			}
			for e := range effective(numEffective) {
				for _, dc := range c.otherDeciders(e) {
					i := 0
					for i < len(c.policies) && &c.policies[i] != dc.policy {
						i++
					}
					if dc.dir == dirDefault || dc.policy.has&(1<<dirDefault) == 0 || len(dc.list.hosts) == 0 {
						continue // no hint compiled this list
					}
					found := false
					for _, l := range hints[i] {
						if len(l.hosts) > 0 && &l.hosts[0] == &dc.list.hosts[0] {
							found = true
						}
					}
					if !found {
						t.Errorf("%q, prefetch first %v: the list of %s, laid out for effective directive %d, was compiled twice", policy, prefetchFirst, dirNames[dc.dir], e)
					}
					reused++
				}
			}
		}
	}
	if reused < 20 {
		t.Fatalf("only %d lists checked", reused)
	}
}

// TestDecisionsAfterLayoutTakeNoLock holds the compile lock while deciding
// requests whose effective directives are laid out, and prefetches once the
// hint lists are compiled: a decision that finds them ready reads them
// without locking, so none of these waits for the lock.
func TestDecisionsAfterLayoutTakeNoLock(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ParseURL("https://h7.example/")
	if err != nil {
		t.Fatal(err)
	}
	for _, policy := range []string{"default-src d.example; font-src h7.example", "font-src h7.example", "img-src *"} {
		c := Compile([]model.PolicyDelivery{{Value: policy}}, self)
		var reqs []Request
		for _, dest := range hintDestinations {
			reqs = append(reqs, Request{Destination: dest.destination, Initiator: dest.initiator, URLs: []model.URL{u}})
		}
		var d Decision
		for i := range reqs {
			// Twice: the first request of an effective directive is
			// scanned (scan.go), the second lays it out.
			for range 2 {
				if err := c.Decide(&reqs[i], &d); err != nil {
					t.Fatal(err)
				}
			}
		}
		c.mu.Lock()
		done := make(chan struct{})
		go func() {
			defer close(done)
			var d Decision
			for i := range reqs {
				_ = c.Decide(&reqs[i], &d)
			}
		}()
		select {
		case <-done:
		case <-time.After(10 * time.Second):
			t.Errorf("%q: a decision after lay-out waited 10 s for the compile lock", policy)
		}
		c.mu.Unlock()
		<-done
		if t.Failed() {
			return
		}
	}
}

// TestHintsWithoutDefaultSrcKeepNoRareParts: a resource hint is blocked
// only by a policy's default-src, so a CSP none of whose policies has one
// compiles no hint lists and allocates no rare parts for a hint
// (docs/performance.md: the rare parts are allocated only by a CSP that
// decides a resource hint under a default-src, among others), however
// many hints it decides.
func TestHintsWithoutDefaultSrcKeepNoRareParts(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ParseURL("https://h7.example/f")
	if err != nil {
		t.Fatal(err)
	}
	for _, policy := range []string{allDirectives(), "connect-src 'self'", "img-src 'none'; script-src 'self'"} {
		c := Compile([]model.PolicyDelivery{{Value: policy}, {Value: "style-src 'none'", Disposition: model.Report}}, self)
		var d Decision
		for range 2 {
			if err := c.Decide(&Request{Initiator: "prefetch", URLs: []model.URL{u}}, &d); err != nil {
				t.Fatal(err)
			}
			if d.Verdict != model.Allowed {
				t.Errorf("%q: a prefetch is %v, want allowed (no default-src)", policy, d.Verdict)
			}
		}
		if r := c.rare.Load(); r != nil {
			t.Errorf("%q: deciding a prefetch allocated the rare parts (hints %v)", policy, r.hints)
		}
	}
}
