package engine

import (
	"errors"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestParseNavigationType: the two navigation types HTML has, in their
// exact spelling, and nothing else.
func TestParseNavigationType(t *testing.T) {
	for s, want := range map[string]NavigationType{
		model.NavigationOther:          NavigateOther,
		model.NavigationFormSubmission: NavigateFormSubmission,
		"":                             0,
		"Other":                        0,
		"form-submission ":             0,
		"form":                         0,
	} {
		got, ok := ParseNavigationType(s)
		if got != want || ok != (want != 0) {
			t.Errorf("ParseNavigationType(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
}

// TestParseInlineType: the four inline check types, in their exact
// spelling; a javascript: navigation is a navigation check.
func TestParseInlineType(t *testing.T) {
	for s, want := range map[string]InlineType{
		model.InlineScript:          InlineScript,
		model.InlineScriptAttribute: InlineScriptAttribute,
		model.InlineStyle:           InlineStyle,
		model.InlineStyleAttribute:  InlineStyleAttribute,
		model.InlineNavigation:      0,
		"Script":                    0,
		"":                          0,
	} {
		got, ok := ParseInlineType(s)
		if got != want || ok != (want != 0) {
			t.Errorf("ParseInlineType(%q) = %v, %v; want %v", s, got, ok, want)
		}
	}
}

// TestPreparedChecksDecide: the compiled list's decisions, given a
// navigation type as a number, are the model's; form-action applies to a
// form submission only.
func TestPreparedChecksDecide(t *testing.T) {
	deliveries := []model.PolicyDelivery{{Value: "form-action 'self'; base-uri 'none'; script-src 'none' 'report-sample'"}}
	c := checkCSP(t, deliveries...)
	self := model.MustParseURL("https://example.com/")
	env := model.Environment{URL: &self, CSPList: model.NewCSPList(deliveries, model.URLOrigin(self), nil)}
	l := c.Checks()
	if l != c.Checks() {
		t.Fatal("Checks compiled the list twice")
	}
	away := []model.URL{model.MustParseURL("https://evil.example/")}
	d := CheckDecision{Violations: make([]CheckViolation, 0, 4)}
	for _, tc := range []struct {
		typ     NavigationType
		name    string
		verdict model.Verdict
	}{{NavigateFormSubmission, model.NavigationFormSubmission, model.Blocked}, {NavigateOther, model.NavigationOther, model.Allowed}} {
		nav, err := PrepareNavigation(away, tc.name)
		if err != nil || nav.typ != tc.typ {
			t.Fatalf("%s: prepared as type %d, %v", tc.name, nav.typ, err)
		}
		if err := l.DecideNavigationRequest(model.WindowGlobal, &nav, &d); err != nil {
			t.Fatal(err)
		}
		want, err := model.DecideNavigationRequest(env, model.Request{URLList: away, Mode: "navigate"}, tc.name, nil)
		if err != nil {
			t.Fatal(err)
		}
		if d.Verdict != tc.verdict || want.Verdict != tc.verdict {
			t.Errorf("%s: engine %v, model %v, want %v", tc.name, d.Verdict, want.Verdict, tc.verdict)
		}
		if got, w := violationStrings(d.Violations), modelViolationStrings(want.Violations); got != w {
			t.Errorf("%s: engine violations\n%s\nmodel's\n%s", tc.name, got, w)
		}
	}
	// The violations' strings are computed when asked for, from the
	// decision's input: a sample is the text's first 40 code units.
	code := "0123456789012345678901234567890123456789-cut"
	comp, err := PrepareCompilation(&model.Compilation{Type: model.CompileEval, CodeString: code})
	if err != nil {
		t.Fatal(err)
	}
	if err := l.DecideEval(model.WindowGlobal, &comp, &d); err != nil {
		t.Fatal(err)
	}
	if len(d.Violations) != 1 {
		t.Fatalf("eval: %d violations, want 1", len(d.Violations))
	}
	v := &d.Violations[0]
	if v.Sample() != code[:40] || v.Directive() != "script-src" || v.EffectiveDirective() != "script-src" ||
		v.Check() != model.CheckEval || v.BlockedURI() != "eval" || v.Element() != "" || v.ResponsePolicy() {
		t.Errorf("eval violation: sample %q, %s (%s), %s, %q, element %q, response %v", v.Sample(), v.Directive(),
			v.EffectiveDirective(), v.Check(), v.BlockedURI(), v.Element(), v.ResponsePolicy())
	}
}

// TestPreparedChecksFailClosed: the compiled list's entry points refuse
// what the CSP's refuse (a navigation type or a kind of global object that
// does not exist), with an error wrapping model.ErrBadInput and a Blocked
// verdict; a refused kind reads as the model's error; and after a refusal
// the next decision writes into the caller's slice again.
func TestPreparedChecksFailClosed(t *testing.T) {
	c := checkCSP(t, model.PolicyDelivery{Value: "img-src *"})
	l := c.Checks()
	u := model.MustParseURL("https://example.com/form")
	bad := model.GlobalKind(200)
	// What a refusal's message must name, where several inputs could be at
	// fault: the one that is.
	causes := map[string]string{
		"an unprepared navigation":                      "PrepareNavigation",
		"an unprepared navigation response":             "PrepareNavigation",
		"unprepared ancestors":                          "PrepareAncestors",
		"nil ancestors":                                 "PrepareAncestors",
		"navigation response in no global":              "not a kind of global object",
		"navigation in no global":                       "not a kind of global object",
		"a nil navigation":                              "PrepareNavigation",
		"a nil navigation response":                     "PrepareNavigation",
		"eval of a nil compilation":                     "PrepareCompilation",
		"a nil base URL":                                "PrepareURL",
		"a nil base URL in a worker":                    "Window, not a WorkerGlobalScope",
		"a nil navigation in no global":                 "not a kind of global object",
		"the CSP's eval of no compilation":              "needs a compilation",
		"the CSP's base check of no URL":                "needs a URL",
		"the CSP's eval of no compilation in no global": "not a kind of global object",
		"the CSP's base check of no URL in no global":   "not a kind of global object",
	}
	for name, decide := range map[string]func(d *CheckDecision) error{
		"an unprepared navigation": func(d *CheckDecision) error { return l.DecideNavigationRequest(model.WindowGlobal, &Navigation{}, d) },
		"an unprepared navigation response": func(d *CheckDecision) error {
			top := PrepareAncestors(nil)
			return l.DecideNavigationResponse(model.WindowGlobal, &Navigation{}, l, &top, d)
		},
		"navigation response without its list": func(d *CheckDecision) error {
			nav, err := PrepareNavigation([]model.URL{u}, model.NavigationOther)
			if err != nil {
				t.Fatal(err)
			}
			top := PrepareAncestors(nil)
			return l.DecideNavigationResponse(model.WindowGlobal, &nav, nil, &top, d)
		},
		// A top-level navigable's response is never refused: ancestors
		// left unprepared must not read as none.
		"unprepared ancestors": func(d *CheckDecision) error {
			nav, err := PrepareNavigation([]model.URL{u}, model.NavigationOther)
			if err != nil {
				t.Fatal(err)
			}
			return l.DecideNavigationResponse(model.WindowGlobal, &nav, l, &Ancestors{}, d)
		},
		"nil ancestors": func(d *CheckDecision) error {
			nav, err := PrepareNavigation([]model.URL{u}, model.NavigationOther)
			if err != nil {
				t.Fatal(err)
			}
			return l.DecideNavigationResponse(model.WindowGlobal, &nav, l, nil, d)
		},
		"navigation response in no global": func(d *CheckDecision) error {
			nav, err := PrepareNavigation([]model.URL{u}, model.NavigationOther)
			if err != nil {
				t.Fatal(err)
			}
			top := PrepareAncestors(nil)
			return l.DecideNavigationResponse(bad, &nav, l, &top, d)
		},
		"navigation in no global": func(d *CheckDecision) error {
			nav, err := PrepareNavigation([]model.URL{u}, model.NavigationOther)
			if err != nil {
				t.Fatal(err)
			}
			return l.DecideNavigationRequest(bad, &nav, d)
		},
		"an inline check of no type": func(d *CheckDecision) error {
			return l.DecideInline(model.WindowGlobal, &model.Element{LocalName: "b"}, 0, "x", d)
		},
		"an inline check of type 5": func(d *CheckDecision) error {
			return l.DecideInline(model.WindowGlobal, &model.Element{LocalName: "b"}, 5, "x", d)
		},
		"an inline check without an element": func(d *CheckDecision) error { return l.DecideInline(model.WindowGlobal, nil, InlineScript, "x", d) },
		"an inline check in a worker": func(d *CheckDecision) error {
			return l.DecideInline(model.WorkerGlobal, &model.Element{LocalName: "script"}, InlineScript, "x", d)
		},
		"an unprepared base URL": func(d *CheckDecision) error { return l.DecideBase(model.WindowGlobal, &CheckURL{}, d) },
		"wasm in no global":      func(d *CheckDecision) error { return l.DecideWasm(bad, d) },
		"rtc in no global":       func(d *CheckDecision) error { return l.DecideRTC(bad, d) },
		"sandbox in no global":   func(d *CheckDecision) error { return l.DecideSandbox(bad, d) },
		"base in no global": func(d *CheckDecision) error {
			base := PrepareURL(&u)
			return l.DecideBase(bad, &base, d)
		},
		"eval in no global": func(d *CheckDecision) error {
			comp, err := PrepareCompilation(&model.Compilation{Type: model.CompileEval})
			if err != nil {
				t.Fatal(err)
			}
			return l.DecideEval(bad, &comp, d)
		},
		"eval of an unprepared compilation": func(d *CheckDecision) error { return l.DecideEval(model.WindowGlobal, &Compilation{}, d) },
		// Nil pointers are refused as the zero values are, never a panic.
		"a nil navigation": func(d *CheckDecision) error { return l.DecideNavigationRequest(model.WindowGlobal, nil, d) },
		"a nil navigation response": func(d *CheckDecision) error {
			top := PrepareAncestors(nil)
			return l.DecideNavigationResponse(model.WindowGlobal, nil, l, &top, d)
		},
		"eval of a nil compilation":     func(d *CheckDecision) error { return l.DecideEval(model.WindowGlobal, nil, d) },
		"a nil base URL":                func(d *CheckDecision) error { return l.DecideBase(model.WindowGlobal, nil, d) },
		"a nil base URL in a worker":    func(d *CheckDecision) error { return l.DecideBase(model.WorkerGlobal, nil, d) },
		"a nil navigation in no global": func(d *CheckDecision) error { return l.DecideNavigationRequest(bad, nil, d) },
		"the CSP's eval of no compilation": func(d *CheckDecision) error {
			return c.DecideEval(model.WindowGlobal, nil, d)
		},
		"the CSP's base check of no URL":                func(d *CheckDecision) error { return c.DecideBase(model.WindowGlobal, nil, d) },
		"the CSP's eval of no compilation in no global": func(d *CheckDecision) error { return c.DecideEval(bad, nil, d) },
		"the CSP's base check of no URL in no global": func(d *CheckDecision) error {
			return c.DecideBase(bad, nil, d)
		},
	} {
		d := CheckDecision{Violations: make([]CheckViolation, 0, 4)}
		if err := l.DecideWasm(model.WindowGlobal, &d); err != nil || d.Verdict != model.Allowed {
			t.Fatalf("%s: the allowed decision before it: %v, %v", name, d.Verdict, err)
		}
		d.SandboxFlags = 1 // as a sandbox check before might have left it
		err := decide(&d)
		if !errors.Is(err, model.ErrBadInput) || d.Verdict != model.Blocked || len(d.Violations) != 0 || d.SandboxFlags != 0 {
			t.Errorf("%s: %v, %v, %d violations, sandboxing flags %v; want an error wrapping model.ErrBadInput, Blocked, none, none", name, err, d.Verdict, len(d.Violations), d.SandboxFlags)
		}
		if cause, ok := causes[name]; ok && !strings.Contains(err.Error(), cause) {
			t.Errorf("%s: error %q does not name its cause (%q)", name, err, cause)
		}
		if name == "wasm in no global" {
			_, want := model.DecideWasm(model.Environment{Kind: bad}, nil)
			if want == nil || err.Error() != want.Error() {
				t.Errorf("%s: error %q, the model's %q", name, err, want)
			}
		}
		if err := l.DecideInline(model.WindowGlobal, &model.Element{LocalName: "b"}, InlineStyleAttribute, "x", &d); err != nil || cap(d.Violations) != 4 {
			t.Errorf("%s: the decision after it: %v, capacity %d, want the caller's slice of 4", name, err, cap(d.Violations))
		}
	}
}

// TestPrepareCompilation: a compilation that cannot occur is refused when
// it is prepared; a prepared one keeps whether Trusted Types let it pass
// (every string the data of a TrustedScript), which decides under a policy
// that requires them.
func TestPrepareCompilation(t *testing.T) {
	for name, comp := range map[string]model.Compilation{
		"no type":         {Type: "eval"},
		"a missing value": {Type: model.CompileFunction, ParameterStrings: []string{"a"}},
	} {
		if _, err := PrepareCompilation(&comp); !errors.Is(err, model.ErrBadInput) {
			t.Errorf("%s: %v, want an error wrapping model.ErrBadInput", name, err)
		}
	}
	if _, err := PrepareCompilation(nil); !errors.Is(err, model.ErrBadInput) || !strings.Contains(err.Error(), "needs a compilation") {
		t.Errorf("no compilation: %v, want a refusal wrapping model.ErrBadInput that says a compilation is needed", err)
	}
	if u := PrepareURL(nil); u != (CheckURL{}) {
		t.Errorf("PrepareURL(nil) = %+v, want the zero CheckURL, which the checks refuse", u)
	}
	l := checkCSP(t, model.PolicyDelivery{Value: "require-trusted-types-for 'script'; script-src 'unsafe-eval'"}).Checks()
	trusted := model.ScriptValue{TrustedScript: true, Data: "f()"}
	for _, tc := range []struct {
		name    string
		comp    model.Compilation
		verdict model.Verdict
	}{
		{"a TrustedScript", model.Compilation{Type: model.CompileEval, BodyString: "f()", CodeString: "f()", BodyArg: trusted}, model.Allowed},
		{"a TrustedScript of other data", model.Compilation{Type: model.CompileEval, BodyString: "g()", CodeString: "g()", BodyArg: trusted}, model.Blocked},
		{"a string", model.Compilation{Type: model.CompileEval, BodyString: "f()", CodeString: "f()"}, model.Blocked},
		{"a trusted body, an untrusted parameter", model.Compilation{Type: model.CompileFunction, BodyString: "f()", CodeString: "function anonymous(a\n) {\nf()\n}",
			BodyArg: trusted, ParameterStrings: []string{"a"}, ParameterArgs: []model.ScriptValue{{Data: "a"}}}, model.Blocked},
	} {
		comp, err := PrepareCompilation(&tc.comp)
		if err != nil {
			t.Fatal(err)
		}
		var d CheckDecision
		if err := l.DecideEval(model.WindowGlobal, &comp, &d); err != nil || d.Verdict != tc.verdict {
			t.Errorf("%s: %v, %v; want %v", tc.name, d.Verdict, err, tc.verdict)
		}
	}
}

// TestPrepareNavigation: a navigation that cannot occur is refused when it
// is prepared; a prepared one knows whether its URL is a javascript: URL
// and whether its response is local.
func TestPrepareNavigation(t *testing.T) {
	https, js := model.MustParseURL("https://example.com/"), model.MustParseURL("javascript:void(0)")
	data := model.MustParseURL("data:text/html,hi")
	for name, tc := range map[string]struct {
		urls []model.URL
		typ  string
	}{
		"no URL":                    {nil, model.NavigationOther},
		"no type":                   {[]model.URL{https}, "submit"},
		"from a javascript: URL":    {[]model.URL{js, https}, model.NavigationOther},
		"to a URL that is not HTTP": {[]model.URL{https, data}, model.NavigationFormSubmission},
	} {
		if _, err := PrepareNavigation(tc.urls, tc.typ); !errors.Is(err, model.ErrBadInput) {
			t.Errorf("%s: %v, want an error wrapping model.ErrBadInput", name, err)
		}
	}
	for _, tc := range []struct {
		urls              []model.URL
		javascript, local bool
	}{{[]model.URL{https}, false, false}, {[]model.URL{js}, true, false}, {[]model.URL{data}, false, true}} {
		nav, err := PrepareNavigation(tc.urls, model.NavigationOther)
		if err != nil || nav.javascript != tc.javascript || nav.local != tc.local || len(nav.targets) != len(tc.urls) {
			t.Errorf("%s: javascript %v, local %v, %d targets, %v", tc.urls[0].String(), nav.javascript, nav.local, len(nav.targets), err)
		}
	}
}
