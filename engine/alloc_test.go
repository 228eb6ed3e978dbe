package engine

import (
	"sync"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestDecideDoesNotAllocate holds the engine to its promise: once a Decision
// has room for the violations, deciding a request on parsed URLs allocates
// nothing, whatever the verdict, the kind or the number of hops.
func TestDecideDoesNotAllocate(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := Compile([]model.PolicyDelivery{
		{Value: "connect-src 'self' https://api.example.com/v1/ *.cdn.example.net:* wss://chat.example.com; img-src *; script-src 'sha256-aGFzaA=='", Disposition: model.Enforce},
		{Value: "default-src https://example.com/only/", Disposition: model.Report},
	}, self)
	parse := func(s string) model.URL {
		u, err := ParseURL(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	for _, tc := range []struct {
		name string
		req  Request
		want model.Verdict
	}{
		{"fetch self", Request{Kind: KindFetch, URLs: []model.URL{parse("https://example.com/x")}}, model.Allowed},
		{"fetch path", Request{Kind: KindFetch, URLs: []model.URL{parse("https://api.example.com/v1/users?id=1")}}, model.Allowed},
		{"xhr blocked", Request{Kind: KindXHR, URLs: []model.URL{parse("https://evil.example.org/")}}, model.Blocked},
		{"wildcard port", Request{Kind: KindBeacon, URLs: []model.URL{parse("https://a.b.cdn.example.net:8443/p")}}, model.Allowed},
		{"websocket", Request{Kind: KindWebSocket, URLs: []model.URL{parse("wss://chat.example.com/s")}}, model.Allowed},
		{"redirect", Request{Kind: KindFetch, URLs: []model.URL{parse("https://api.example.com/v1/r"), parse("https://api.example.com/elsewhere")}}, model.Allowed},
		{"image", Request{Destination: "image", URLs: []model.URL{parse("http://img.example.org/a.png")}}, model.Allowed},
		// An algorithm named in upper case is compared without a
		// lowercase copy.
		{"integrity", Request{Destination: "script", Integrity: "SHA256-aGFzaA==", URLs: []model.URL{parse("https://cdn.example.org/a.js")}}, model.Allowed},
	} {
		d := Decision{Violations: make([]Violation, 0, 8)}
		if err := c.Decide(&tc.req, &d); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		if d.Verdict != tc.want {
			t.Errorf("%s: verdict %v, want %v", tc.name, d.Verdict, tc.want)
		}
		allocs := testing.AllocsPerRun(200, func() {
			_ = c.Decide(&tc.req, &d)
		})
		if allocs != 0 {
			t.Errorf("%s: %v allocations per decision, want 0", tc.name, allocs)
		}
	}
}

// TestConcurrentDecide decides on one compiled CSP from many goroutines at
// once (run with -race to check it is safe) and expects every goroutine to
// see the single-threaded verdicts.
func TestConcurrentDecide(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := Compile([]model.PolicyDelivery{{Value: "connect-src 'self' *.cdn.example.net"}, {Value: "default-src 'none'", Disposition: model.Report}}, self)
	urls := []string{"https://example.com/a", "https://x.cdn.example.net/", "https://evil.example/", "wss://example.com/"}
	want := make([]model.Verdict, len(urls))
	for i, s := range urls {
		u, err := ParseURL(s)
		if err != nil {
			t.Fatal(err)
		}
		var d Decision
		if err := c.Decide(&Request{Kind: KindFetch, URLs: []model.URL{u}}, &d); err != nil {
			t.Fatal(err)
		}
		want[i] = d.Verdict
	}
	var wg sync.WaitGroup
	errs := make(chan string, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			var d Decision
			for n := 0; n < 500; n++ {
				i := (g + n) % len(urls)
				u, _ := ParseURL(urls[i])
				_ = c.Decide(&Request{Kind: KindFetch, URLs: []model.URL{u}}, &d)
				if d.Verdict != want[i] {
					errs <- urls[i]
					return
				}
				for k := range d.Violations {
					_ = d.Violations[k].BlockedURI()
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for u := range errs {
		t.Errorf("a concurrent decision on %s differs", u)
	}
}

// TestFirstDecisionIsLazy holds Compile to what a policy holds and its
// first decision to what it reads: compiling one policy is one allocation
// (the compiled CSP, which has room for one policy and its decider), and a
// fetch() decided under a policy whose connect-src has no host-sources
// allocates nothing more, however many other directives with host-sources
// the policy has, since only connect-src's list is compiled.
func TestFirstDecisionIsLazy(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ParseURL("https://example.com/api")
	if err != nil {
		t.Fatal(err)
	}
	for _, policy := range []string{
		"connect-src 'self'",
		"connect-src 'self'; img-src a.example b.example:8080 *.c.example; script-src https://d.example/js/ 'nonce-abc'; " +
			"style-src e.example; font-src f.example; frame-src g.example; worker-src h.example; media-src i.example; " +
			"manifest-src j.example; object-src k.example; child-src l.example; style-src-elem m.example; script-src-elem n.example",
	} {
		deliveries := []model.PolicyDelivery{{Value: policy}}
		if n := testing.AllocsPerRun(100, func() { _ = Compile(deliveries, self) }); n != 1 {
			t.Errorf("Compile(%q): %v allocations, want 1", policy, n)
		}
		req := Request{Kind: KindFetch, URLs: []model.URL{u}}
		var d Decision
		n := testing.AllocsPerRun(100, func() {
			if err := Compile(deliveries, self).Decide(&req, &d); err != nil || d.Verdict != model.Allowed {
				t.Fatalf("%q: %v, %v", policy, d.Verdict, err)
			}
		})
		if n != 1 {
			t.Errorf("Compile(%q) and a first fetch(): %v allocations, want 1", policy, n)
		}
	}
}

// TestOnePolicyLaysOutInsideTheCSP: a CSP of one policy lays out its first
// effective directive's decider in the room the CSP keeps for it (inline),
// so that the second request of that directive, the first decided by the
// compiled lists, allocates nothing beyond the CSP (a policy without
// host-sources compiles no host records). With two policies the deciders
// live elsewhere.
func TestOnePolicyLaysOutInsideTheCSP(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	u, err := ParseURL("https://example.com/api")
	if err != nil {
		t.Fatal(err)
	}
	req := Request{Kind: KindFetch, URLs: []model.URL{u}}
	for _, tc := range []struct {
		policies []string
		inline   bool
		allocs   float64
	}{
		{[]string{"connect-src 'self'"}, true, 1},
		{[]string{"connect-src 'self'", "connect-src https:"}, false, 0},
	} {
		var deliveries []model.PolicyDelivery
		for _, p := range tc.policies {
			deliveries = append(deliveries, model.PolicyDelivery{Value: p})
		}
		var d Decision
		decideTwice := func(c *CSP) {
			for range 2 {
				if err := c.Decide(&req, &d); err != nil || d.Verdict != model.Allowed {
					t.Fatalf("%q: %v, %v", tc.policies, d.Verdict, err)
				}
			}
		}
		c := Compile(deliveries, self)
		decideTwice(c)
		if got := c.first == &c.inline[0]; got != tc.inline {
			t.Errorf("%q: deciders inside the CSP: %v, want %v", tc.policies, got, tc.inline)
		}
		if tc.allocs == 0 {
			continue // more policies than the CSP has room for: not promised
		}
		if n := testing.AllocsPerRun(100, func() { decideTwice(Compile(deliveries, self)) }); n != tc.allocs {
			t.Errorf("%q: Compile and two fetch() decisions: %v allocations, want %v", tc.policies, n, tc.allocs)
		}
	}
}
