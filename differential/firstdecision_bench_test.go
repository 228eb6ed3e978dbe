package differential

import (
	"fmt"
	"runtime"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// The first-decision benchmarks measure what a client that sees each policy
// once pays: the policy compiled (for the model, parsed into a CSP list), the
// URL parsed, and one decision. Compare with benchstat (docs/performance.md):
//
//	go test -run '^$' -bench 'FirstDecision|Compile|CompiledSize' -count 6 ./differential > first.txt
//	benchstat -col /impl first.txt

// firstPolicy is a policy of a given size and a fetch() URL to decide under
// it.
type firstPolicy struct {
	sources int
	policy  string
	url     string
	verdict model.Verdict
}

var firstPolicies = []firstPolicy{
	// The smallest useful policy.
	{1, "connect-src 'self'", "https://example.com/api/items?page=2", model.Allowed},
	// A typical page's policy: a fallback and a connect-src of a few origins.
	{5, "default-src 'self'; connect-src 'self' https://api.example.com wss://ws.example.com *.cdn.example.net", "https://api.example.com/v1/users", model.Allowed},
	// Fifty host-sources, the URL matching the last wildcard.
	{50, scalePolicy(50), fmt.Sprintf("https://a.cdn%d.example.net/x", lastWildcard(50)), model.Allowed},
}

// BenchmarkFirstDecision: a fresh policy, one URL string, one decision.
func BenchmarkFirstDecision(b *testing.B) {
	self, err := model.ParseOrigin("https://example.com")
	if err != nil {
		b.Fatal(err)
	}
	for _, p := range firstPolicies {
		deliveries := []model.PolicyDelivery{{Value: p.policy}}
		b.Run(fmt.Sprintf("impl=model/sources=%d", p.sources), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				list := model.NewCSPList(deliveries, self, nil)
				req, err := model.NewFetchRequest(p.url)
				if err != nil {
					b.Fatal(err)
				}
				d, err := model.Decide(list, req, nil)
				if err != nil || d.Verdict != p.verdict {
					b.Fatalf("model: %v (%v), want %v", d.Verdict, err, p.verdict)
				}
			}
		})
		b.Run(fmt.Sprintf("impl=engine/sources=%d", p.sources), func(b *testing.B) {
			b.ReportAllocs()
			var d engine.Decision
			urls := make([]model.URL, 1)
			for b.Loop() {
				c := engine.Compile(deliveries, self)
				if err := engine.ParseURLInto(&urls[0], p.url); err != nil {
					b.Fatal(err)
				}
				if err := c.Decide(&engine.Request{Kind: engine.KindFetch, URLs: urls}, &d); err != nil || d.Verdict != p.verdict {
					b.Fatalf("engine: %v (%v), want %v", d.Verdict, err, p.verdict)
				}
			}
		})
	}
}

// BenchmarkCompile: the engine's Compile alone against the model's
// NewCSPList alone, for the first-decision policies and the scale series'.
func BenchmarkCompile(b *testing.B) {
	self, err := model.ParseOrigin("https://example.com")
	if err != nil {
		b.Fatal(err)
	}
	policies := append([]firstPolicy(nil), firstPolicies...)
	for _, n := range []int{1000, 10000} {
		policies = append(policies, firstPolicy{sources: n, policy: scalePolicy(n)})
	}
	for _, p := range policies {
		deliveries := []model.PolicyDelivery{{Value: p.policy}}
		b.Run(fmt.Sprintf("impl=model/sources=%d", p.sources), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = model.NewCSPList(deliveries, self, nil)
			}
		})
		b.Run(fmt.Sprintf("impl=engine/sources=%d", p.sources), func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				_ = engine.Compile(deliveries, self)
			}
		})
	}
}

// BenchmarkCompiledSize reports the heap a compiled CSP keeps alive once it
// has decided a request of every effective directive (for the model: the
// parsed CSP list), per source expression of the policy (B/source) and in
// all (live-B/op); B/op is what building it allocated, live or not (an op
// builds and keeps 64 copies; the live figures are per copy). The policies
// are the scale series' connect-src lists, one connect-src list of
// 1 MiB, and a 1 MiB policy of eight fetch directives.
func BenchmarkCompiledSize(b *testing.B) {
	self, err := model.ParseOrigin("https://example.com")
	if err != nil {
		b.Fatal(err)
	}
	type sized struct {
		name    string
		policy  string
		sources int
	}
	var policies []sized
	for _, n := range []int{1, 5, 50, 1000, 10000} {
		policies = append(policies, sized{fmt.Sprint(n), scalePolicy(n), n})
	}
	one, eight := megabyteList(), megabytePolicy()
	policies = append(policies, sized{"1MiB-list", one, strings.Count(one, " ")}, sized{"1MiB-policy", eight, strings.Count(eight, " ") - 7})
	for _, p := range policies {
		deliveries := []model.PolicyDelivery{{Value: p.policy}}
		measure := func(b *testing.B, build func() any) {
			b.ReportAllocs()
			// Each op builds copies of the compiled form and keeps them
			// all, so that what one allocation more or less in the
			// runtime's own books weighs is shared among them.
			const copies = 64
			kept := make([]any, copies)
			var live float64
			for b.Loop() {
				b.StopTimer()
				clear(kept)
				before := heapInUse()
				b.StartTimer()
				for i := range kept {
					kept[i] = build()
				}
				b.StopTimer()
				live += float64(heapInUse()) - float64(before)
				runtime.KeepAlive(kept)
				b.StartTimer()
			}
			n := float64(b.N) * copies
			b.ReportMetric(live/n/float64(p.sources), "B/source")
			b.ReportMetric(live/n, "live-B/op")
		}
		b.Run(fmt.Sprintf("impl=model/sources=%s", p.name), func(b *testing.B) {
			measure(b, func() any { return model.NewCSPList(deliveries, self, nil) })
		})
		b.Run(fmt.Sprintf("impl=engine/sources=%s", p.name), func(b *testing.B) {
			measure(b, func() any {
				c := engine.Compile(deliveries, self)
				touchAll(c)
				return c
			})
		})
	}
}

// touchAll decides a request of every effective directive, so that a
// compiled CSP that lays out its deciders on first use has laid them all
// out.
func touchAll(c *engine.CSP) {
	u, _ := engine.ParseURL("https://nowhere.example/")
	var d engine.Decision
	for _, dest := range []string{"", "manifest", "object", "frame", "audio", "font", "image", "style", "script", "worker", "report"} {
		_ = c.Decide(&engine.Request{Destination: dest, URLs: []model.URL{u}}, &d)
	}
	_ = c.Decide(&engine.Request{Destination: "", Initiator: "prefetch", URLs: []model.URL{u}}, &d)
}

// heapInUse is the live heap after a collection.
func heapInUse() uint64 {
	runtime.GC()
	var m runtime.MemStats
	runtime.ReadMemStats(&m)
	return m.HeapAlloc
}

// megabyteList is one connect-src list of about 1 MiB of the scale series'
// host-sources.
func megabyteList() string {
	n := 1000
	for len(scalePolicy(n)) < 1<<20 {
		n += 1000
	}
	return scalePolicy(n)
}

// megabytePolicy is a policy of about 1 MiB: eight fetch directives, each
// with a list of the scale series' host-sources.
func megabytePolicy() string {
	var b strings.Builder
	for i, name := range []string{"default-src", "connect-src", "img-src", "script-src", "style-src", "font-src", "media-src", "frame-src"} {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(name)
		b.WriteString(scalePolicy(4000)[len("connect-src"):])
	}
	return b.String()
}
