package model_test

import (
	"fmt"
	"strings"

	"github.com/cspmodel/cspmodel/model"
)

// A page at https://example.com under connect-src https://example.com/ calls
// fetch("https://not-example.com/"): the model blocks it and reports the
// violation the browser would.
func ExampleDecide() {
	self, err := model.ParseOrigin("https://example.com")
	if err != nil {
		panic(err)
	}
	list := model.NewCSPList([]model.PolicyDelivery{{Value: "connect-src https://example.com/"}}, self, nil)
	req, err := model.NewFetchRequest("https://not-example.com/")
	if err != nil {
		panic(err) // fetch() itself would throw
	}
	d, err := model.Decide(list, req, nil)
	if err != nil {
		panic(err) // a request Fetch could not make; d.Verdict is Blocked
	}
	fmt.Println(d.Verdict)
	for _, v := range d.Violations {
		fmt.Println(v.Directive, v.Disposition, model.ObtainViolationBlockedURI(v.Resource))
	}
	// Output:
	// Blocked
	// connect-src enforce https://not-example.com/
}

// A trace records every spec step the model took, with its anchor and step
// number; here the steps that matched the WebSocket's URL against 'self',
// once for the request and once for its response.
func ExampleTrace() {
	self, _ := model.ParseOrigin("https://example.com")
	list := model.NewCSPList([]model.PolicyDelivery{{Value: "connect-src 'self'"}}, self, nil)
	req, _ := model.NewWebSocketRequest("wss://example.com/chat")
	var tr model.Trace
	d, _ := model.Decide(list, req, &tr)
	fmt.Println(d.Verdict)
	for _, s := range tr.Steps {
		if s.Anchor == "match-url-to-source-expression" && s.Step != "" {
			fmt.Printf("#%s step %s: %s\n", s.Anchor, s.Step, s.Note)
		}
	}
	fmt.Println(strings.Contains(tr.String(), "#should-block-request step 4: Allowed"))
	// Output:
	// Allowed
	// #match-url-to-source-expression step 4.1: same origin: Matches
	// #match-url-to-source-expression step 4.1: same origin: Matches
	// true
}

// An inline script without the policy's nonce is blocked, and the violation
// carries the start of the script because the directive asks for a sample.
func ExampleDecideInline() {
	self := model.MustParseURL("https://example.com/")
	env := model.Environment{URL: &self, CSPList: model.NewCSPList(
		[]model.PolicyDelivery{{Value: "script-src 'nonce-abc' 'report-sample'"}}, model.URLOrigin(self), nil)}
	d, _ := model.DecideInline(env, model.Element{LocalName: "script"}, model.InlineScript, "alert(1)", nil)
	body, _ := model.DeprecatedSerializeViolation(d.Violations[0], nil)
	fmt.Println(d.Verdict)
	fmt.Println(string(body))
	// Output:
	// Blocked
	// {"csp-report":{"document-uri":"https://example.com/","referrer":"","blocked-uri":"inline","effective-directive":"script-src-elem","violated-directive":"script-src-elem","original-policy":"script-src 'nonce-abc' 'report-sample'","disposition":"enforce","status-code":0,"script-sample":"alert(1)"}}
}
