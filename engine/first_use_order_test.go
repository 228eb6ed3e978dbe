package engine_test

import (
	"fmt"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestFirstUsesInAnyOrder: a compiled CSP lays parts of itself out on
// first use (the hint lists on the first resource hint, the checks' list
// on the first check, each effective directive's deciders), and keeps
// what Compile read that requests never consult (a lone sandbox or
// require-trusted-types-for policy, a self-origin of a scheme without a
// number) beside them. Whatever order the first uses come in, every
// question gets the answer a fresh CSP gives it. (A mutant that dropped
// the kept parts when the first lay-out was stored survived every other
// test: each case was asked of a fresh CSP.)
func TestFirstUsesInAnyOrder(t *testing.T) {
	deliveries := []model.PolicyDelivery{
		{Value: "default-src 'self' https://host.example; script-src 'nonce-x'", Disposition: model.Enforce, Source: model.HeaderSource},
		{Value: "sandbox allow-scripts", Disposition: model.Enforce, Source: model.HeaderSource},
		{Value: "require-trusted-types-for 'script'", Disposition: model.Report, Source: model.HeaderSource},
		{Value: "img-src 'self'", Disposition: model.Report, Source: model.HeaderSource},
	}
	url := func(s string) model.URL {
		u, err := model.ParseURL(s)
		if err != nil {
			t.Fatal(err)
		}
		return u
	}
	for _, selfURL := range []string{"custom://app", "https://app.example"} {
		self, err := engine.ParseOrigin(selfURL)
		if err != nil {
			t.Fatal(err)
		}
		same := url(selfURL + "/x")
		request := func(r engine.Request) func(*engine.CSP) string {
			return func(c *engine.CSP) string {
				var d engine.Decision
				err := c.Decide(&r, &d)
				s := fmt.Sprint(d.Verdict, err)
				for i := range d.Violations {
					v := &d.Violations[i]
					s += fmt.Sprint(" |", v.Policy(), v.Directive(), v.EffectiveDirective(), v.Disposition(), v.BlockedURI(), v.RedirectCount)
				}
				return s
			}
		}
		check := func(name string, decide func(*engine.CSP, *engine.CheckDecision) error) func(*engine.CSP) string {
			return func(c *engine.CSP) string {
				var d engine.CheckDecision
				err := decide(c, &d)
				return fmt.Sprint(err, corpus.FromCheckDecision(name, name, &d))
			}
		}
		compilation := model.Compilation{Type: "EVAL", CodeString: "1"}
		questions := []struct {
			name string
			ask  func(*engine.CSP) string
		}{
			{"prefetch of the self-origin", request(engine.Request{Initiator: "prefetch", URLs: []model.URL{same}})},
			{"fetch of the self-origin", request(engine.Request{Kind: engine.KindFetch, URLs: []model.URL{same}})},
			{"fetch of a listed host", request(engine.Request{Kind: engine.KindFetch, URLs: []model.URL{url("https://host.example/")}})},
			{"image", request(engine.Request{Destination: "image", URLs: []model.URL{same}})},
			{"sandbox", check(corpus.CheckSandbox, func(c *engine.CSP, d *engine.CheckDecision) error { return c.DecideSandbox(model.WindowGlobal, d) })},
			{"eval", check(corpus.CheckEval, func(c *engine.CSP, d *engine.CheckDecision) error {
				return c.DecideEval(model.WindowGlobal, &compilation, d)
			})},
		}
		fresh := make([]string, len(questions))
		for i, q := range questions {
			fresh[i] = q.ask(engine.Compile(deliveries, self))
		}
		// Every order of the first uses: each permutation of the
		// questions, asked of one CSP.
		var permute func(order []int, k int)
		orders := 0
		permute = func(order []int, k int) {
			if k == len(order) {
				orders++
				c := engine.Compile(deliveries, self)
				for n, i := range order {
					if got := questions[i].ask(c); got != fresh[i] {
						t.Fatalf("self %s, order %v: %s asked after %d other questions:\n got %s\nwant %s (a fresh CSP's answer)", selfURL, order, questions[i].name, n, got, fresh[i])
					}
				}
				return
			}
			for j := k; j < len(order); j++ {
				order[k], order[j] = order[j], order[k]
				permute(order, k+1)
				order[k], order[j] = order[j], order[k]
			}
		}
		order := make([]int, len(questions))
		for i := range order {
			order[i] = i
		}
		permute(order, 0)
		if orders != 720 {
			t.Fatalf("%d orders, want 720", orders)
		}
	}
}
