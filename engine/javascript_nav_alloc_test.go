package engine_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestPreparedJavascriptNavigationAllocatesNothing: a navigation to a
// javascript: URL is checked as an inline script whose source is the URL's
// serialization, which a hash-source needs digested. PrepareNavigation
// serializes it once, so that deciding the prepared navigation allocates
// nothing (decide_checks.go promises it); only an unprepared one pays for
// the serialization on each decision.
func TestPreparedJavascriptNavigationAllocatesNothing(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := engine.Compile([]model.PolicyDelivery{{Value: "script-src 'unsafe-hashes' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='"}}, self)
	l := c.Checks()
	urls := []model.URL{model.MustParseURL("javascript:alert(1)")}
	nav, err := engine.PrepareNavigation(urls, model.NavigationOther)
	if err != nil {
		t.Fatal(err)
	}
	d := engine.CheckDecision{Violations: make([]engine.CheckViolation, 0, 4)}
	if err := l.DecideNavigationRequest(model.WindowGlobal, &nav, &d); err != nil {
		t.Fatal(err)
	}
	if d.Verdict != model.Blocked || len(d.Violations) != 1 {
		t.Fatalf("verdict %v, %d violations; the hash does not match, so want Blocked and one", d.Verdict, len(d.Violations))
	}
	if n := testing.AllocsPerRun(100, func() { _ = l.DecideNavigationRequest(model.WindowGlobal, &nav, &d) }); n != 0 {
		t.Errorf("%v allocations per decision of a prepared javascript: navigation, want 0", n)
	}
}
