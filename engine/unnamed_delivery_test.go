package engine

import (
	"errors"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestUnnamedDeliveryRefusesEveryDecision: a delivery whose Disposition or
// Source is none of the named values was dropped, so a caller who wrote
// "Enforce" got no policy at all, and Allowed where the policy blocks. The
// CSP now refuses every decision, through every door, Blocked, with Err's
// error (the model's words, D6 of docs/spec-mapping.md), which names the
// first delivery at fault.
func TestUnnamedDeliveryRefusesEveryDecision(t *testing.T) {
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	block := "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'; webrtc 'block'; sandbox"
	for _, tc := range []struct {
		name       string
		deliveries []model.PolicyDelivery
		want       string
	}{
		{"one, of disposition Enforce", []model.PolicyDelivery{{Value: block, Disposition: "Enforce"}},
			`input cannot occur: delivery 0: disposition "Enforce" is not "enforce" or "report"`},
		{"one, of source Meta", []model.PolicyDelivery{{Value: block, Source: "Meta"}},
			`input cannot occur: delivery 0: source "Meta" is not "header" or "meta"`},
		{"the second and third of three", []model.PolicyDelivery{{Value: block}, {Value: block, Disposition: model.Report, Source: "x"}, {Disposition: "y"}},
			`input cannot occur: delivery 1: source "x" is not "header" or "meta"`},
	} {
		c := Compile(tc.deliveries, self)
		if err := c.Err(); err == nil || err.Error() != tc.want || !errors.Is(err, model.ErrBadInput) {
			t.Errorf("%s: Err() = %v, want %q wrapping ErrBadInput", tc.name, err, tc.want)
		}
		u, _ := ParseURL("https://example.org/")
		var d Decision
		for _, r := range []*Request{{Kind: KindFetch, URLs: []model.URL{u}}, {URLs: []model.URL{u}, Destination: "image"}, nil} {
			d.Verdict = model.Allowed
			if err := c.Decide(r, &d); err == nil || err.Error() != tc.want || d.Verdict != model.Blocked || len(d.Violations) != 0 {
				t.Errorf("%s: request %+v: %v, %v, %d violations; want Blocked and %q", tc.name, r, err, d.Verdict, len(d.Violations), tc.want)
			}
		}
		l := c.Checks()
		nav, err := PrepareNavigation([]model.URL{u}, model.NavigationOther)
		if err != nil {
			t.Fatal(err)
		}
		comp, err := PrepareCompilation(&model.Compilation{Type: model.CompileEval, CodeString: "x"})
		if err != nil {
			t.Fatal(err)
		}
		top, base, element := PrepareAncestors([]*model.URL{&u}), PrepareURL(&u), &model.Element{LocalName: "script"}
		for _, kind := range []model.GlobalKind{model.WindowGlobal, model.WorkerGlobal, model.WorkletGlobal + 1} {
			for name, decide := range map[string]func(*CheckDecision) error{
				"inline":          func(d *CheckDecision) error { return c.DecideInline(kind, element, model.InlineScript, "x", d) },
				"prepared inline": func(d *CheckDecision) error { return l.DecideInline(kind, element, InlineScript, "x", d) },
				"eval": func(d *CheckDecision) error {
					return c.DecideEval(kind, &model.Compilation{Type: model.CompileEval}, d)
				},
				"eval of nothing":  func(d *CheckDecision) error { return c.DecideEval(kind, nil, d) },
				"prepared eval":    func(d *CheckDecision) error { return l.DecideEval(kind, &comp, d) },
				"wasm":             func(d *CheckDecision) error { return c.DecideWasm(kind, d) },
				"prepared wasm":    func(d *CheckDecision) error { return l.DecideWasm(kind, d) },
				"rtc":              func(d *CheckDecision) error { return c.DecideRTC(kind, d) },
				"prepared rtc":     func(d *CheckDecision) error { return l.DecideRTC(kind, d) },
				"sandbox":          func(d *CheckDecision) error { return c.DecideSandbox(kind, d) },
				"prepared sandbox": func(d *CheckDecision) error { return l.DecideSandbox(kind, d) },
				"base":             func(d *CheckDecision) error { return c.DecideBase(kind, &u, d) },
				"base of nothing":  func(d *CheckDecision) error { return c.DecideBase(kind, nil, d) },
				"prepared base":    func(d *CheckDecision) error { return l.DecideBase(kind, &base, d) },
				"navigation": func(d *CheckDecision) error {
					return c.DecideNavigationRequest(kind, nav.urls, model.NavigationOther, d)
				},
				"prepared navigation": func(d *CheckDecision) error { return l.DecideNavigationRequest(kind, &nav, d) },
				"prepared nothing":    func(d *CheckDecision) error { return l.DecideNavigationRequest(kind, nil, d) },
				"response": func(d *CheckDecision) error {
					return c.DecideNavigationResponse(kind, nav.urls, model.NavigationOther, c, []*model.URL{&u}, d)
				},
				"response with none": func(d *CheckDecision) error {
					return c.DecideNavigationResponse(kind, nav.urls, model.NavigationOther, nil, nil, d)
				},
				"prepared response":       func(d *CheckDecision) error { return l.DecideNavigationResponse(kind, &nav, l, &top, d) },
				"prepared response, none": func(d *CheckDecision) error { return l.DecideNavigationResponse(kind, &nav, nil, nil, d) },
			} {
				var d CheckDecision
				d.Verdict, d.SandboxFlags = model.Allowed, 1
				if err := decide(&d); err == nil || err.Error() != tc.want || d.Verdict != model.Blocked || len(d.Violations) != 0 || d.SandboxFlags != 0 {
					t.Errorf("%s: %s in %v: %v, %v, %d violations, flags %b; want Blocked alone and %q", tc.name, name, kind, err, d.Verdict, len(d.Violations), d.SandboxFlags, tc.want)
				}
			}
		}
		// A navigation response whose own CSP refuses is refused after
		// the navigating document's list and kind, naming the response's.
		fine := Compile([]model.PolicyDelivery{{Value: "img-src *"}}, self)
		var cd CheckDecision
		err = fine.DecideNavigationResponse(model.WindowGlobal, nav.urls, model.NavigationOther, c, []*model.URL{&u}, &cd)
		if want := tc.want + " (the navigation response's CSP list)"; err == nil || err.Error() != want || cd.Verdict != model.Blocked {
			t.Errorf("%s: a response CSP that refuses: %v, %v; want Blocked and %q", tc.name, err, cd.Verdict, want)
		}
	}
	// The named values, and a delivery's zero ones, are no fault.
	for _, d := range []model.PolicyDelivery{{}, {Disposition: model.Enforce, Source: model.HeaderSource}, {Disposition: model.Report}, {Source: model.MetaSource}, {Disposition: model.Report, Source: model.MetaSource}} {
		d.Value = block
		if err := Compile([]model.PolicyDelivery{d, d}, self).Err(); err != nil {
			t.Errorf("%+v: %v", d, err)
		}
		if err := Compile([]model.PolicyDelivery{d}, self).Err(); err != nil {
			t.Errorf("%+v alone: %v", d, err)
		}
	}
}
