package engine_test

import (
	"fmt"
	"sync"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// Compile a document's policies once, then decide its requests: a decision
// on a parsed URL allocates nothing once the Decision has room for the
// violations.
func ExampleCSP_Decide() {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		panic(err)
	}
	c := engine.Compile([]model.PolicyDelivery{{Value: "connect-src https://example.com/"}}, self)
	u, err := engine.ParseURL("https://not-example.com/api")
	if err != nil {
		panic(err)
	}
	var d engine.Decision
	if err := c.Decide(&engine.Request{Kind: engine.KindFetch, URLs: []model.URL{u}}, &d); err != nil {
		panic(err) // a request fetch() or Fetch would refuse; d.Verdict is Blocked
	}
	fmt.Println(d.Verdict)
	for i := range d.Violations {
		v := &d.Violations[i]
		fmt.Println(v.Directive(), v.Disposition(), v.BlockedURI())
	}
	// Output:
	// Blocked
	// connect-src enforce https://not-example.com/api
}

// A compiled CSP is safe for concurrent use: one per document,
// shared by every goroutine that decides its requests, each with a Decision
// of its own.
func ExampleCompile() {
	self, _ := engine.ParseOrigin("https://example.com")
	c := engine.Compile([]model.PolicyDelivery{
		{Value: "connect-src 'self' https://api.example.com; img-src *"},
		{Value: "connect-src 'none'", Disposition: model.Report},
	}, self)
	urls := []string{"https://example.com/a", "https://api.example.com/b", "https://evil.example/c", "wss://example.com/d"}
	verdicts := make([]model.Verdict, len(urls))
	var wg sync.WaitGroup
	for i, s := range urls {
		wg.Add(1)
		go func() {
			defer wg.Done()
			u, err := engine.ParseURL(s)
			if err != nil {
				return // the verdict stays Blocked, the zero Verdict
			}
			kind := engine.KindFetch
			if u.Scheme == "wss" {
				kind = engine.KindWebSocket
			}
			var d engine.Decision
			if err := c.Decide(&engine.Request{Kind: kind, URLs: []model.URL{u}}, &d); err == nil {
				verdicts[i] = d.Verdict
			}
		}()
	}
	wg.Wait()
	for i, s := range urls {
		fmt.Println(s, verdicts[i])
	}
	// Output:
	// https://example.com/a Allowed
	// https://api.example.com/b Allowed
	// https://evil.example/c Blocked
	// wss://example.com/d Allowed
}
