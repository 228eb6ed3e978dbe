package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestLentViolationsStayTheCompiledList alternates, in one CheckDecision,
// checks whose violations are the compiled list's own (WebAssembly, WebRTC)
// with checks that write violations: no decision may write into the
// compiled list's violations, and a later decision must get the caller's
// slice back (no allocation).
func TestLentViolationsStayTheCompiledList(t *testing.T) {
	c := checkCSP(t,
		model.PolicyDelivery{Value: "script-src 'none'; webrtc 'block'"},
		model.PolicyDelivery{Value: "default-src 'none'; webrtc 'block'", Disposition: model.Report})
	d := CheckDecision{Violations: make([]CheckViolation, 0, 8)}
	el := &model.Element{LocalName: "script"}
	// eval's violations are lent when Trusted Types have no say and no
	// directive asks for a sample, as here.
	eval := &model.Compilation{Type: model.CompileEval, CodeString: "x"}
	want := func(name string, err error, check model.Check, dirs ...string) {
		verdict := model.Blocked
		t.Helper()
		if err != nil || d.Verdict != verdict || len(d.Violations) != len(dirs) {
			t.Fatalf("%s: %v, %v, %d violations; want %v and %d", name, err, d.Verdict, len(d.Violations), verdict, len(dirs))
		}
		for i, dir := range dirs {
			if v := &d.Violations[i]; v.Directive() != dir || v.Check() != check {
				t.Fatalf("%s: violation %d of %s (%s), want %s (%s)", name, i, v.Directive(), v.Check(), dir, check)
			}
		}
	}
	for range 3 {
		want("wasm", c.DecideWasm(model.WindowGlobal, &d), model.CheckWasm, "script-src", "default-src")
		want("inline", c.DecideInline(model.WindowGlobal, el, model.InlineScript, "x", &d), model.CheckInline, "script-src", "default-src")
		want("eval", c.DecideEval(model.WindowGlobal, eval, &d), model.CheckEval, "script-src", "default-src")
		want("inline after eval", c.DecideInline(model.WindowGlobal, el, model.InlineScript, "x", &d), model.CheckInline, "script-src", "default-src")
		want("eval after inline", c.DecideEval(model.WindowGlobal, eval, &d), model.CheckEval, "script-src", "default-src")
		want("rtc", c.DecideRTC(model.WindowGlobal, &d), model.CheckRTC, "webrtc", "webrtc")
		d.Violations = append(d.Violations, CheckViolation{RedirectCount: 99} /* appended by the caller */)
		want("inline after an append", c.DecideInline(model.WindowGlobal, el, model.InlineScript, "x", &d), model.CheckInline, "script-src", "default-src")
		want("rtc again", c.DecideRTC(model.WindowGlobal, &d), model.CheckRTC, "webrtc", "webrtc")
		want("wasm again", c.DecideWasm(model.WindowGlobal, &d), model.CheckWasm, "script-src", "default-src")
		// A sandbox decision after a lent list gives the caller's slice
		// back too: what the caller appends then is its own.
		if err := c.DecideSandbox(model.WindowGlobal, &d); err != nil || d.Verdict != model.Allowed || len(d.Violations) != 0 {
			t.Fatalf("sandbox after wasm: %v, %v, %d violations; want Allowed and none", err, d.Verdict, len(d.Violations))
		}
		d.Violations = append(d.Violations, CheckViolation{RedirectCount: 99} /* appended by the caller */)
		want("wasm after sandbox", c.DecideWasm(model.WindowGlobal, &d), model.CheckWasm, "script-src", "default-src")
		// So does Reset, for an outcome the caller records itself.
		d.Reset()
		if d.Verdict != model.Allowed || len(d.Violations) != 0 || cap(d.Violations) < 8 {
			t.Fatalf("Reset after wasm: %v, %d violations of room %d; want Allowed, none, the caller's room of 8", d.Verdict, len(d.Violations), cap(d.Violations))
		}
		d.Violations = append(d.Violations, CheckViolation{RedirectCount: 99} /* appended by the caller */)
		want("wasm after Reset", c.DecideWasm(model.WindowGlobal, &d), model.CheckWasm, "script-src", "default-src")
	}
	if err := c.DecideWasm(model.GlobalKind(99), &d); err == nil || d.Verdict != model.Blocked || len(d.Violations) != 0 {
		t.Fatalf("a refused wasm check after a lent list: %v, %v, %d violations", err, d.Verdict, len(d.Violations))
	}
	allocs := testing.AllocsPerRun(100, func() {
		_ = c.DecideWasm(model.WindowGlobal, &d)
		_ = c.DecideInline(model.WindowGlobal, el, model.InlineScript, "x", &d)
		_ = c.DecideRTC(model.WindowGlobal, &d)
		_ = c.DecideEval(model.WindowGlobal, eval, &d)
	})
	if allocs != 0 {
		t.Errorf("%v allocations per round; want the caller's slice back each time", allocs)
	}
}

// TestEvalLendsWhenTrustedTypesHaveNoSay: under a policy that requires
// Trusted Types for scripts, a timer's string and a compilation of
// TrustedScripts' data are not Trusted Types' business, and no directive
// asks for a sample, so their violations depend on the CSP list alone:
// CheckDecision's documentation says they are then the compiled list's own
// (two decisions share them). An eval() of a plain string has a Trusted
// Types violation of its own, written into the caller's slice.
func TestEvalLendsWhenTrustedTypesHaveNoSay(t *testing.T) {
	l := checkCSP(t, model.PolicyDelivery{Value: "require-trusted-types-for 'script'; script-src 'none'"}).Checks()
	trusted := model.ScriptValue{TrustedScript: true, Data: "f()"}
	for _, tc := range []struct {
		name string
		comp model.Compilation
		lent bool
	}{
		{"a timer's string", model.Compilation{Type: model.CompileTimer, CodeString: "f()"}, true},
		{"eval() of a TrustedScript", model.Compilation{Type: model.CompileEval, CodeString: "f()", BodyString: "f()", BodyArg: trusted}, true},
		{"eval() of a string", model.Compilation{Type: model.CompileEval, CodeString: "f()", BodyString: "f()"}, false},
	} {
		comp, err := PrepareCompilation(&tc.comp)
		if err != nil {
			t.Fatal(err)
		}
		var d1, d2 CheckDecision
		for _, d := range []*CheckDecision{&d1, &d2} {
			if err := l.DecideEval(model.WindowGlobal, &comp, d); err != nil || d.Verdict != model.Blocked || len(d.Violations) == 0 {
				t.Fatalf("%s: %v, %v, %d violations; want Blocked with violations", tc.name, err, d.Verdict, len(d.Violations))
			}
		}
		if shared := &d1.Violations[0] == &d2.Violations[0]; shared != tc.lent {
			t.Errorf("%s: violations shared by two decisions (the compiled list's): %v, want %v", tc.name, shared, tc.lent)
		}
	}
}

// TestAppendsToLentViolationsDoNotMeet: a compiled list that lends its
// violations (WebAssembly, WebRTC, eval) leaves no room past its end, so
// that a caller appending to one decision's Violations copies the list
// instead of writing where another decision of the same CSP reads. Three
// policies, so that a list grown by append would have room for a fourth.
func TestAppendsToLentViolationsDoNotMeet(t *testing.T) {
	p := model.PolicyDelivery{Value: "script-src 'none'; webrtc 'block'"}
	c := checkCSP(t, p, p, p)
	eval := &model.Compilation{Type: model.CompileEval, CodeString: "x"}
	for _, check := range []struct {
		name   string
		decide func(*CheckDecision) error
	}{
		{"wasm", func(d *CheckDecision) error { return c.DecideWasm(model.WindowGlobal, d) }},
		{"rtc", func(d *CheckDecision) error { return c.DecideRTC(model.WindowGlobal, d) }},
		{"eval", func(d *CheckDecision) error { return c.DecideEval(model.WindowGlobal, eval, d) }},
	} {
		var a, b CheckDecision
		if err := check.decide(&a); err != nil || len(a.Violations) != 3 {
			t.Fatalf("%s: %v, %d violations; want 3", check.name, err, len(a.Violations))
		}
		if err := check.decide(&b); err != nil {
			t.Fatal(err)
		}
		a.Violations = append(a.Violations, CheckViolation{RedirectCount: 1})
		b.Violations = append(b.Violations, CheckViolation{RedirectCount: 2})
		if got := a.Violations[3].RedirectCount; got != 1 {
			t.Errorf("%s: the first caller's appended violation now has redirect count %d: the second caller's append wrote over it", check.name, got)
		}
	}
}
