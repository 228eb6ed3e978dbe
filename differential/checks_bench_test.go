package differential

import (
	"fmt"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// BenchmarkChecks decides the checks beyond requests with the model and the
// engine, per check, on prepared input: every corpus case of the check and
// 500 generated ones, each policy set parsed (model) or compiled (engine)
// once and its input built once, each case decided 16 times in a row (a
// compiled list deciding a page's many inline scripts, the engine's design
// point). It reports ns/decision; compare the two implementations with
// benchstat:
//
//	go test -run '^$' -bench BenchmarkChecks -count 10 ./differential > checks.txt
//	benchstat -col /impl checks.txt
func BenchmarkChecks(b *testing.B) {
	for _, ck := range CheckGenerated {
		// The workload is built inside the check's own benchmark, so that a
		// run of one check (-bench check=wasm) does not prepare the others.
		b.Run("check="+ck, func(b *testing.B) {
			work := checkWorkload(b, ck)
			const repeat = 16
			run := func(name string, pass func()) {
				b.Run("impl="+name, func(b *testing.B) {
					b.ReportAllocs()
					for b.Loop() {
						pass()
					}
					b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(work)*repeat), "ns/decision")
					// The decisions of one op, by which an instruction count
					// per op (callgrind) is divided.
					b.ReportMetric(float64(len(work)*repeat), "decisions/op")
				})
			}
			run("model", func() {
				for i := range work {
					w := &work[i]
					for range repeat {
						_, _ = w.model()
					}
				}
			})
			d := engine.CheckDecision{Violations: make([]engine.CheckViolation, 0, 16)}
			run("engine", func() {
				for i := range work {
					w := &work[i]
					for range repeat {
						_ = w.engine(&d)
					}
				}
			})
		})
	}
}

// checkItem is one case of a check, prepared for both implementations.
// Each side is a closure that calls its implementation's function for the
// check directly, on input prepared beforehand, so that neither pays for
// choosing the check at each decision.
type checkItem struct {
	engine func(*engine.CheckDecision) error
	model  func() (model.Decision, error)
}

// checkWorkload prepares the corpus cases of check and 500 generated ones,
// keeping those the model decides.
func checkWorkload(b *testing.B, check string) []checkItem {
	b.Helper()
	cases, err := corpus.Load()
	if err != nil {
		b.Fatal(err)
	}
	var mine []corpus.Case
	for _, c := range cases {
		if c.CheckName() == check {
			mine = append(mine, c)
		}
	}
	err = EachCheck(2026, check, 500, func(i int, r CheckRecipe) error {
		mine = append(mine, r.Build(fmt.Sprint("generated/", i)))
		return nil
	})
	if err != nil {
		b.Fatal(err)
	}
	var work []checkItem
	for _, c := range mine {
		ec, err := corpus.CompileCheck(c)
		if err != nil {
			continue // a case both refuse
		}
		deliveries, _ := c.Deliveries()
		self, err := model.ParseOrigin(c.SelfOrigin)
		if err != nil {
			continue
		}
		env := model.Environment{CSPList: model.NewCSPList(deliveries, self, nil), Kind: ec.Kind}
		var decide func() (model.Decision, error)
		switch check {
		case corpus.CheckInline:
			decide = func() (model.Decision, error) {
				return model.DecideInline(env, ec.Element, ec.InlineType, ec.Source, nil)
			}
		case corpus.CheckEval:
			decide = func() (model.Decision, error) { return model.DecideEval(env, ec.Compilation, nil) }
		case corpus.CheckWasm:
			decide = func() (model.Decision, error) { return model.DecideWasm(env, nil) }
		case corpus.CheckNavigationRequest:
			req := model.Request{URLList: ec.URLs, Mode: "navigate"}
			decide = func() (model.Decision, error) { return model.DecideNavigationRequest(env, req, ec.NavigationType, nil) }
		case corpus.CheckNavigationResponse:
			req := model.Request{URLList: ec.URLs, Mode: "navigate"}
			resp := model.Response{URLList: ec.URLs}
			if r := c.Navigation.Response; r != nil {
				for _, p := range r.Policies {
					name := "Content-Security-Policy"
					if p.Disposition == "report" {
						name += "-Report-Only"
					}
					resp.HeaderList = append(resp.HeaderList, model.Header{Name: name, Value: p.Value})
				}
			}
			var target model.Navigable
			for _, a := range c.Navigation.Ancestors {
				o, err := model.ParseOrigin(a)
				if err != nil {
					b.Fatal(err)
				}
				target.AncestorOrigins = append(target.AncestorOrigins, o)
			}
			decide = func() (model.Decision, error) {
				return model.DecideNavigationResponse(env, req, ec.NavigationType, resp, target, nil)
			}
		case corpus.CheckBase:
			decide = func() (model.Decision, error) { return model.DecideBase(env, ec.Base, nil) }
		case corpus.CheckSandbox:
			decide = func() (model.Decision, error) { return model.DecideSandbox(env, nil) }
		case corpus.CheckRTC:
			decide = func() (model.Decision, error) { return model.DecideRTC(env, nil) }
		}
		if _, err := decide(); err != nil {
			continue
		}
		var d engine.CheckDecision
		if err := ec.Decide(&d); err != nil {
			b.Fatalf("%s: the engine refuses what the model decides: %v", c.ID, err)
		}
		work = append(work, checkItem{engine: ec.Prepare(), model: decide})
	}
	if len(work) == 0 {
		b.Fatalf("no %s case to decide", check)
	}
	return work
}
