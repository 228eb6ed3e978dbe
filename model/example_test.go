package model_test

import (
	"fmt"

	"github.com/cspmodel/cspmodel/model"
)

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
