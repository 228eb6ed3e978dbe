package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestRefusalsReadAsModels: a check given a kind of global object that does
// not exist, or one that cannot run it (inline behaviour and a base URL
// need a Window), is refused with the model's own message, so that a
// caller who compares the two implementations' errors (csp check, the
// vector kit) sees one refusal, not two.
func TestRefusalsReadAsModels(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	deliveries := []model.PolicyDelivery{{Value: "script-src 'self'; base-uri 'self'"}}
	c := Compile(deliveries, self)
	list := model.NewCSPList(deliveries, self, nil)
	u, err := ParseURL("https://example.com/base/")
	if err != nil {
		t.Fatal(err)
	}
	el := model.Element{LocalName: "script"}
	for _, kind := range []model.GlobalKind{model.GlobalKind(200), model.WorkletGlobal + 1, model.WorkerGlobal, model.WorkletGlobal} {
		env := model.Environment{CSPList: list, Kind: kind}
		for name, pair := range map[string]struct {
			model  func() error
			engine func(d *CheckDecision) error
		}{
			"inline": {
				func() error { _, err := model.DecideInline(env, el, model.InlineScript, "x()", nil); return err },
				func(d *CheckDecision) error { return c.DecideInline(kind, &el, model.InlineScript, "x()", d) },
			},
			"base": {
				func() error { _, err := model.DecideBase(env, u, nil); return err },
				func(d *CheckDecision) error { return c.DecideBase(kind, &u, d) },
			},
			"wasm": {
				func() error { _, err := model.DecideWasm(env, nil); return err },
				func(d *CheckDecision) error { return c.DecideWasm(kind, d) },
			},
			"rtc": {
				func() error { _, err := model.DecideRTC(env, nil); return err },
				func(d *CheckDecision) error { return c.DecideRTC(kind, d) },
			},
			"sandbox": {
				func() error { _, err := model.DecideSandbox(env, nil); return err },
				func(d *CheckDecision) error { return c.DecideSandbox(kind, d) },
			},
		} {
			merr := pair.model()
			var d CheckDecision
			eerr := pair.engine(&d)
			if (merr == nil) != (eerr == nil) || merr != nil && merr.Error() != eerr.Error() {
				t.Errorf("%s in %v: engine refuses with %v, the model with %v", name, kind, eerr, merr)
			}
		}
	}
}
