package differential

import (
	"fmt"
	"net/url"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// The benchmarks run one workload through the model and the engine: every
// corpus case plus a generated mix, each policy set compiled (or, for the
// model, parsed into a CSP list) once, and the request decided in the loop.
// Compare implementations with benchstat (docs/performance.md):
//
//	go test -run '^$' -bench . -count 10 ./differential > bench.txt
//	benchstat -col /impl bench.txt

type workItem struct {
	c    corpus.Case
	list model.CSPList
	req  model.Request
	csp  *engine.CSP
	ereq engine.Request
	urls []string
	sreq engine.Request // ereq, with URLs parsed in the loop into its own slice
}

var workload []workItem

func loadWorkload(b *testing.B) []workItem {
	if workload != nil {
		return workload
	}
	cases, err := corpus.Load()
	if err != nil {
		b.Fatal(err)
	}
	for i, r := range Generate(2026, 1000) {
		cases = append(cases, r.Build(fmt.Sprint("generated/", i)))
	}
	for _, c := range cases {
		in, err := c.Build()
		if err != nil {
			continue
		}
		list := model.NewCSPList(in.Deliveries, in.SelfOrigin, nil)
		if _, err := model.Decide(list, in.Request, nil); err != nil {
			continue
		}
		csp, ereq, err := corpus.CompileCase(c)
		if err != nil {
			b.Fatalf("%s: the engine refuses what the model decides: %v", c.ID, err)
		}
		sreq := ereq
		sreq.URLs = make([]model.URL, len(ereq.URLs))
		workload = append(workload, workItem{c: c, list: list, req: in.Request, csp: csp, ereq: ereq,
			urls: c.Request.URLList, sreq: sreq})
	}
	return workload
}

// BenchmarkDecide decides the workload in two orders. order=rotating
// decides every case once per op, so each decision meets a policy and a URL
// the previous one did not touch (cold caches: many sites, one request each).
// order=repeated decides each case 16 times in a row (warm caches: a
// compiled policy deciding a page's many requests, the engine's design
// point). Both report ns/decision; ns/op is per pass over the workload.
func BenchmarkDecide(b *testing.B) {
	work := loadWorkload(b)
	b.Logf("%d cases per op", len(work))
	orders := []struct {
		name   string
		repeat int
	}{{"rotating", 1}, {"repeated", 16}}
	// Each implementation runs a whole pass itself, so that no indirect
	// call per decision is counted in its time.
	for _, o := range orders {
		run := func(name string, pass func(work []workItem, repeat int)) {
			b.Run(name+"/order="+o.name, func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					pass(work, o.repeat)
				}
				b.ReportMetric(float64(b.Elapsed().Nanoseconds())/float64(b.N*len(work)*o.repeat), "ns/decision")
			})
		}
		run("impl=model/urls=parsed", func(work []workItem, repeat int) {
			for i := range work {
				w := &work[i]
				for range repeat {
					_, _ = model.Decide(w.list, w.req, nil)
				}
			}
		})
		d := engine.Decision{Violations: make([]engine.Violation, 0, 16)}
		run("impl=engine/urls=parsed", func(work []workItem, repeat int) {
			for i := range work {
				w := &work[i]
				for range repeat {
					_ = w.csp.Decide(&w.ereq, &d)
				}
			}
		})
		run("impl=model/urls=strings", func(work []workItem, repeat int) {
			for i := range work {
				w := &work[i]
				for range repeat {
					req, err := w.c.Request.Build()
					if err != nil {
						b.Fatal(err)
					}
					_, _ = model.Decide(w.list, req, nil)
				}
			}
		})
		run("impl=engine/urls=strings", func(work []workItem, repeat int) {
			for i := range work {
				w := &work[i]
				for range repeat {
					for j, s := range w.urls {
						if err := engine.ParseURLInto(&w.sreq.URLs[j], s); err != nil {
							b.Fatal(err)
						}
					}
					_ = w.csp.Decide(&w.sreq, &d)
				}
			}
		})
		// The yardstick: net/url.Parse alone on the same URL strings.
		run("impl=net-url-parse/urls=strings", func(work []workItem, repeat int) {
			for i := range work {
				for range repeat {
					for _, s := range work[i].urls {
						_, _ = url.Parse(s)
					}
				}
			}
		})
	}
}

// scalePolicy is a connect-src list of n host-sources in the shapes real
// policies use: exact hosts, "*." wildcards, some with ports and paths.
func scalePolicy(n int) string {
	var b strings.Builder
	b.WriteString("connect-src")
	for i := range n {
		switch i % 4 {
		case 0:
			fmt.Fprintf(&b, " https://api%d.example.com", i)
		case 1:
			fmt.Fprintf(&b, " *.cdn%d.example.net", i)
		case 2:
			fmt.Fprintf(&b, " https://svc%d.example.org:8443/v1/", i)
		default:
			fmt.Fprintf(&b, " wss://ws%d.example.com", i)
		}
	}
	return b.String()
}

// BenchmarkScale decides requests against connect-src lists of 10, 1,000 and
// 10,000 host-sources: a URL matching a source near the end of the list, and
// a URL matching none (the worst case for a linear scan).
func BenchmarkScale(b *testing.B) {
	self, err := model.ParseOrigin("https://example.com")
	if err != nil {
		b.Fatal(err)
	}
	for _, n := range []int{10, 1000, 10000} {
		policy := scalePolicy(n)
		deliveries := []model.PolicyDelivery{{Value: policy}}
		list := model.NewCSPList(deliveries, self, nil)
		csp := engine.Compile(deliveries, self)
		for _, target := range []struct{ name, url string }{
			{"hit", fmt.Sprintf("https://a.b.cdn%d.example.net/x", lastWildcard(n))},
			{"miss", "https://elsewhere.example.com/"},
		} {
			u, err := engine.ParseURL(target.url)
			if err != nil {
				b.Fatal(err)
			}
			mreq, err := model.NewFetchRequest(target.url)
			if err != nil {
				b.Fatal(err)
			}
			want := model.Allowed
			if target.name == "miss" {
				want = model.Blocked
			}
			ereq := engine.Request{Kind: engine.KindFetch, URLs: []model.URL{u}}
			var d engine.Decision
			if err := csp.Decide(&ereq, &d); err != nil || d.Verdict != want {
				b.Fatalf("n=%d %s: engine says %v (%v), want %v", n, target.name, d.Verdict, err, want)
			}
			b.Run(fmt.Sprintf("impl=engine/sources=%d/%s", n, target.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					_ = csp.Decide(&ereq, &d)
				}
			})
			b.Run(fmt.Sprintf("impl=model/sources=%d/%s", n, target.name), func(b *testing.B) {
				b.ReportAllocs()
				for b.Loop() {
					_, _ = model.Decide(list, mreq, nil)
				}
			})
		}
	}
}

// lastWildcard is the index of the last "*." source of scalePolicy(n).
func lastWildcard(n int) int {
	i := n - 1
	for i%4 != 1 {
		i--
	}
	return i
}
