package engine

import (
	"errors"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestCheckDecideFailsClosed: every check beyond requests that refuses its
// input leaves the verdict Blocked, even in a CheckDecision whose last
// decision was Allowed, so a caller who forgets the error fails closed.
func TestCheckDecideFailsClosed(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	c := Compile([]model.PolicyDelivery{{Value: "img-src *"}}, self)
	u, err := ParseURL("https://example.com/form")
	if err != nil {
		t.Fatal(err)
	}
	bad := model.GlobalKind(200) // no kind of global object
	for name, decide := range map[string]func(d *CheckDecision) error{
		"inline of no type": func(d *CheckDecision) error {
			return c.DecideInline(model.WindowGlobal, &model.Element{}, "no-such-type", "x()", d)
		},
		"inline without an element": func(d *CheckDecision) error {
			return c.DecideInline(model.WindowGlobal, nil, model.InlineScript, "x()", d)
		},
		"eval of no type": func(d *CheckDecision) error {
			return c.DecideEval(model.WindowGlobal, &model.Compilation{Type: "NO-SUCH"}, d)
		},
		"wasm in no global":    func(d *CheckDecision) error { return c.DecideWasm(bad, d) },
		"rtc in no global":     func(d *CheckDecision) error { return c.DecideRTC(bad, d) },
		"sandbox in no global": func(d *CheckDecision) error { return c.DecideSandbox(bad, d) },
		"base in no global":    func(d *CheckDecision) error { return c.DecideBase(bad, &u, d) },
		"navigation without URLs": func(d *CheckDecision) error {
			return c.DecideNavigationRequest(model.WindowGlobal, nil, "form-submission", d)
		},
		"navigation response of no type": func(d *CheckDecision) error {
			return c.DecideNavigationResponse(model.WindowGlobal, []model.URL{u}, "no-such-type", c, nil, d)
		},
	} {
		var d CheckDecision
		// An allowed decision first: img-src says nothing of WebAssembly.
		if err := c.DecideWasm(model.WindowGlobal, &d); err != nil || d.Verdict != model.Allowed {
			t.Fatalf("%s: the allowed decision before it: %v, %v", name, d.Verdict, err)
		}
		err := decide(&d)
		if !errors.Is(err, model.ErrBadInput) {
			t.Errorf("%s: error %v, want one wrapping model.ErrBadInput", name, err)
		}
		if d.Verdict != model.Blocked {
			t.Errorf("%s: verdict %v after an error, want Blocked", name, d.Verdict)
		}
	}
}
