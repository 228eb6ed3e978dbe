package engine_test

import (
	"fmt"
	"math/rand"
	"strings"
	"sync"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// A compiled CSP lays out the deciders of an effective directive, and
// compiles the source lists they need, when a request of that directive is
// first decided. These tests hold that lazy form to the eager one
// (CompileEager lays everything out at once, in another order), whatever
// requests came first and however many goroutines arrive at once.

// warmUps are requests of every effective directive, decided on a lazy CSP
// before the request under test so that other lay-outs come first.
var warmUps = []engine.Request{
	{Kind: engine.KindFetch}, {Destination: "image"}, {Destination: "script"}, {Destination: "style"},
	{Destination: "font"}, {Destination: "iframe"}, {Destination: "worker"}, {Destination: "manifest"},
	{Destination: "object"}, {Destination: "video"}, {Destination: "report"}, {Destination: "", Initiator: "prefetch"},
}

// outcome is a decision as data: the verdict or the error, and every field
// of every violation.
type outcome struct {
	Verdict    model.Verdict
	Err        string
	Violations []string
}

func decideOn(c *engine.CSP, r *engine.Request) outcome {
	var d engine.Decision
	err := c.Decide(r, &d)
	o := outcome{Verdict: d.Verdict}
	if err != nil {
		o.Err = err.Error()
	}
	for i := range d.Violations {
		v := &d.Violations[i]
		o.Violations = append(o.Violations, fmt.Sprintf("%d %q %s %s %s %s %d %s", v.Policy(), v.OriginalPolicy(), v.Directive(),
			v.EffectiveDirective(), v.Disposition(), v.Check(), v.RedirectCount, v.BlockedURI()))
	}
	return o
}

// lazyAgrees decides c's request on an eagerly compiled CSP and on a lazy
// one that first decides the warm-up requests picked by order (a request
// per bit, in a rotation order picks too), and reports any difference.
func lazyAgrees(c corpus.Case, order uint16) string {
	deliveries, err := c.Deliveries()
	if err != nil {
		return ""
	}
	_, req, err := corpus.CompileCase(c)
	if err != nil {
		return ""
	}
	self, _ := engine.ParseOrigin(c.SelfOrigin)
	want := decideOn(engine.CompileEager(deliveries, self), &req)
	lazy := engine.Compile(deliveries, self)
	for i := range warmUps {
		w := warmUps[(i+int(order>>12))%len(warmUps)]
		if order&(1<<i) != 0 {
			// Twice: the first request of an effective directive is
			// scanned (scan.go), the second lays it out.
			w.URLs = req.URLs[:1]
			_ = lazy.Decide(&w, &engine.Decision{})
			_ = lazy.Decide(&w, &engine.Decision{})
		}
	}
	if got := decideOn(lazy, &req); !cmp.Equal(want, got) {
		return fmt.Sprintf("case %s (warm-ups %#x):\n(-eager +lazy)\n%s", c.ID, order, cmp.Diff(want, got))
	}
	return ""
}

// TestLazyDecidesAsEagerCorpus: every corpus case, decided first and after
// each of a few sets of other requests.
func TestLazyDecidesAsEagerCorpus(t *testing.T) {
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	rng := rand.New(rand.NewSource(1))
	for _, c := range cases {
		for _, order := range []uint16{0, 0xffff, uint16(rng.Intn(1 << 16)), uint16(rng.Intn(1 << 16))} {
			if diff := lazyAgrees(c, order); diff != "" {
				t.Fatal(diff)
			}
		}
	}
}

// TestLazyDecidesAsEagerProperty: the same on generated cases, with
// generated warm-up sets.
func TestLazyDecidesAsEagerProperty(t *testing.T) {
	p := propParameters(t, 2000)
	props := gopter.NewProperties(p)
	props.Property("a lazily compiled CSP decides as an eager one", prop.ForAll(func(r differential.Recipe, order uint16) *gopter.PropResult {
		if diff := lazyAgrees(r.Build("generated"), order); diff != "" {
			return gopter.NewPropResult(false, diff)
		}
		return gopter.NewPropResult(true, "")
	}, differential.GenRecipe(), gen.UInt16()))
	props.TestingRun(t)
}

// TestConcurrentFirstUse: goroutines released at once decide requests of
// every effective directive on fresh CSPs, so that lay-outs race with each
// other and with decisions (run with -race), and each must see the eager
// CSP's decisions.
func TestConcurrentFirstUse(t *testing.T) {
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range differential.Generate(11, 200) {
		cases = append(cases, r.Build("generated"))
	}
	const goroutines = 8
	for _, c := range cases {
		deliveries, err := c.Deliveries()
		if err != nil {
			continue
		}
		_, req, err := corpus.CompileCase(c)
		if err != nil {
			continue
		}
		self, _ := engine.ParseOrigin(c.SelfOrigin)
		requests := append([]engine.Request{req}, warmUps...)
		for i := 1; i < len(requests); i++ {
			requests[i].URLs = req.URLs
		}
		eager := engine.CompileEager(deliveries, self)
		want := make([]outcome, len(requests))
		for i := range requests {
			want[i] = decideOn(eager, &requests[i])
		}
		lazy := engine.Compile(deliveries, self)
		start := make(chan struct{})
		var wg sync.WaitGroup
		errs := make(chan string, goroutines)
		for g := range goroutines {
			wg.Add(1)
			go func() {
				defer wg.Done()
				<-start
				for k := range requests {
					i := (k + g) % len(requests)
					if got := decideOn(lazy, &requests[i]); !cmp.Equal(want[i], got) {
						errs <- fmt.Sprintf("case %s, request %d, goroutine %d: (-eager +lazy)\n%s", c.ID, i, g, cmp.Diff(want[i], got))
						return
					}
				}
			}()
		}
		close(start)
		wg.Wait()
		close(errs)
		for e := range errs {
			t.Fatal(e)
		}
	}
}

// padding is seventeen host-sources of every shape: added to every
// directive, they make each list long enough to be indexed instead of
// scanned.
const padding = " pad0.invalid *.pad1.invalid https://pad2.invalid:8443 *.a.b.pad3.invalid pad4.invalid/p/ *.pad5.invalid:*" +
	" http://pad6.invalid wss://*.pad7.invalid pad8.invalid:80 *.pad9.invalid/x pad10.invalid *.pad11 PAD12.invalid" +
	" *.x.pad13.invalid pad14.invalid pad15.invalid pad16.invalid"

// TestLongListsDecideAsModel: every corpus case and generated ones, with
// every directive padded so that its host-sources are indexed, and again
// with directive values cut into windows of a few bytes (as values over 4
// GiB are), decide as the model decides the same cases.
func TestLongListsDecideAsModel(t *testing.T) {
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range differential.Generate(12, 2000) {
		cases = append(cases, r.Build("generated"))
	}
	pad := func(c corpus.Case) corpus.Case {
		c.Policies = append([]corpus.PolicyInput(nil), c.Policies...)
		for i := range c.Policies {
			v := c.Policies[i].Value
			v = strings.ReplaceAll(strings.ReplaceAll(v, ";", padding+";"), ",", padding+",")
			c.Policies[i].Value = v + padding
		}
		return c
	}
	check := func(name string, c corpus.Case) {
		t.Helper()
		if c.CheckName() != "request" {
			return // the engine decides requests only (corpus.EngineUnsupported)
		}
		want, got := corpus.RunModel(c, nil), corpus.RunEngine(c)
		if (want.Error == "") != (got.Error == "") || want.Error == "" && !cmp.Equal(want, got) {
			t.Fatalf("%s, case %s %+v:\n(-model +engine)\n%s", name, c.ID, c.Policies, cmp.Diff(want, got))
		}
	}
	for _, c := range cases {
		check("padded", pad(c))
	}
	for _, window := range []int{1, 7, 40} {
		restore := engine.SetMaxWindow(window)
		for _, c := range cases {
			check(fmt.Sprintf("windows of %d bytes", window), c)
			check(fmt.Sprintf("padded, windows of %d bytes", window), pad(c))
		}
		restore()
	}
}
