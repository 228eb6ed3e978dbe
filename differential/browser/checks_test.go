//go:build linux

package browser

import (
	"errors"
	"slices"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

func TestAppendToDirective(t *testing.T) {
	for _, tc := range []struct{ policy, name, want string }{
		{"script-src 'self'", "script-src", "script-src 'self' 'nonce-N'"},
		{"default-src 'none'; script-src 'self'", "script-src", "default-src 'none'; script-src 'self' 'nonce-N'"},
		{"SCRIPT-SRC 'self' ; img-src *", "script-src", "SCRIPT-SRC 'self' 'nonce-N'; img-src *"},
		{"img-src *", "script-src", "img-src *; script-src 'nonce-N'"},
		{"img-src *;", "script-src", "img-src *; script-src 'nonce-N'"},
		{"", "script-src", "script-src 'nonce-N'"},
		{"script-src\t'self'", "script-src", "script-src\t'self' 'nonce-N'"},
		// A directive with a non-ASCII token is skipped by the parser, so
		// the first ASCII one of the name is the one that counts.
		{"script-src é; script-src 'self'", "script-src", "script-src é; script-src 'self' 'nonce-N'"},
		{"script-src-elem 'self'; script-src 'none'", "script-src", "script-src-elem 'self'; script-src 'none' 'nonce-N'"},
	} {
		if got := appendToDirective(tc.policy, tc.name, "'nonce-N'"); got != tc.want {
			t.Errorf("appendToDirective(%q, %q) = %q, want %q", tc.policy, tc.name, got, tc.want)
		}
	}
}

func TestWithHarnessNonce(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"img-src 'none'", "img-src 'none'"},
		{"script-src 'unsafe-inline'", "script-src 'unsafe-inline'"},
		{"script-src 'self'", "script-src 'self' 'nonce-H'"},
		{"script-src 'unsafe-inline' 'nonce-a'", "script-src 'unsafe-inline' 'nonce-a' 'nonce-H'"},
		{"default-src 'self'; script-src-elem 'none'", "default-src 'self'; script-src-elem 'none' 'nonce-H'"},
		{"default-src 'none'", "default-src 'none' 'nonce-H'"},
		{"script-src 'self', img-src *", "script-src 'self' 'nonce-H', img-src *"},
	} {
		got, err := withHarnessNonce(tc.in, "H")
		if err != nil || got != tc.want {
			t.Errorf("withHarnessNonce(%q) = %q, %v; want %q", tc.in, got, err, tc.want)
		}
	}
	if _, err := withHarnessNonce("default-src 'unsafe-inline' 'strict-dynamic'", "H"); err == nil {
		t.Error("a nonce in a default-src that allows inline styles was added")
	}
}

// harnessed returns c with every header policy changed as the harness
// changes it (policies.go): its script's nonce, a report-uri, and the
// frame and worker sources it may need.
func harnessed(c corpus.Case) (corpus.Case, bool) {
	out := c
	out.Policies = nil
	for _, p := range c.Policies {
		if p.Source != "meta" {
			v, err := withHarnessNonce(p.Value, "harness0nonce")
			if err != nil {
				return c, false
			}
			v = withReportURI(v, "/__csp/report/p/enforce")
			v = withFrameSources(v, "https://frame.example", "blob:", "data:")
			v = withWorkerSources(v, "blob:", "data:")
			p.Value = v
		}
		out.Policies = append(out.Policies, p)
	}
	if n := c.Navigation; n != nil && n.Response != nil {
		nav := *n
		resp := &corpus.ResponseInput{}
		for _, p := range n.Response.Policies {
			p.Value = withReportURI(p.Value, "/__csp/report/p/enforce")
			resp.Policies = append(resp.Policies, p)
		}
		nav.Response = resp
		out.Navigation = &nav
	}
	return out, true
}

// checkCases are the cases of the other checks (and the requests of
// local-scheme documents) the harness runs, that the tests below hold it
// to: the corpus's, the focus questions', and two generated sets.
func checkCases(t *testing.T) []corpus.Case {
	docs, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	var cs []corpus.Case
	for _, c := range append(append(docs, focusCases()...), append(GenerateChecks(1, 300), GenerateChecks(3, 300)...)...) {
		if _, err := toBrowserCases(c); err == nil && needsUnit(c) {
			cs = append(cs, c)
		}
	}
	return cs
}

// TestHarnessPoliciesKeepDecisions: what the harness adds to a case's
// policies changes no decision the model makes on the case: not its
// verdict, its violations' directives, nor a sandbox's flags.
func TestHarnessPoliciesKeepDecisions(t *testing.T) {
	refused := 0
	cases := checkCases(t)
	for _, c := range cases {
		h, ok := harnessed(c)
		if !ok {
			refused++
			continue
		}
		a, b := corpus.RunModel(c, nil), corpus.RunModel(h, nil)
		if a.Verdict != b.Verdict || a.Error != b.Error || !slices.Equal(a.SandboxFlags, b.SandboxFlags) || len(a.Violations) != len(b.Violations) {
			t.Errorf("%s: the model says %s %v (%d violations), and %s %v (%d violations) under the harness's policies %q",
				c.ID, a.Verdict, a.SandboxFlags, len(a.Violations), b.Verdict, b.SandboxFlags, len(b.Violations), h.Policies)
			continue
		}
		for i := range a.Violations {
			if a.Violations[i].EffectiveDirective != b.Violations[i].EffectiveDirective || a.Violations[i].Disposition != b.Violations[i].Disposition {
				t.Errorf("%s: violation %d changes under the harness's policies: %+v, then %+v", c.ID, i, a.Violations[i], b.Violations[i])
			}
		}
	}
	if refused > len(cases)/50 {
		t.Errorf("the harness cannot add its nonce to %d of %d cases", refused, len(cases))
	}
	t.Logf("%d cases, %d refused", len(cases), refused)
}

// TestHarnessScriptRuns: the model lets the harness's own script run under
// every case's policies once the harness has added its nonce.
func TestHarnessScriptRuns(t *testing.T) {
	for _, c := range checkCases(t) {
		h, ok := harnessed(c)
		if !ok {
			continue
		}
		script := corpus.Case{ID: c.ID, CheckType: corpus.CheckInline, SelfOrigin: c.SelfOrigin,
			Inline: &corpus.InlineInput{Type: model.InlineScript, Source: "const CFG = {};",
				Element: &corpus.ElementInput{Attributes: []corpus.Attribute{{"nonce", "harness0nonce"}}}}}
		for _, p := range h.Policies {
			if p.Source != "meta" {
				script.Policies = append(script.Policies, p)
			}
		}
		if r := corpus.RunModel(script, nil); r.Error == "" && r.Verdict != corpus.VerdictAllowed {
			t.Errorf("%s: the harness's script is blocked under %q", c.ID, script.Policies)
		}
	}
}

func TestTwoSignals(t *testing.T) {
	for _, tc := range []struct {
		effect bool
		n      int
		want   string
	}{{true, 0, Allowed}, {false, 1, Blocked}, {true, 2, Unknown}, {false, 0, NotSent}} {
		o := twoSignals(tc.effect, tc.n, "it ran", "it did not")
		if o.Verdict != tc.want {
			t.Errorf("twoSignals(%v, %d) = %s, want %s", tc.effect, tc.n, o.Verdict, tc.want)
		}
		if (o.Verdict == Unknown || o.Verdict == NotSent) && o.Reason == "" {
			t.Errorf("twoSignals(%v, %d): %s without a reason", tc.effect, tc.n, o.Verdict)
		}
	}
}

// TestUnitObservations feeds units made from real cases the reports a page
// could send, and checks the verdicts they give.
func TestUnitObservations(t *testing.T) {
	ran, notRan := true, false
	noArrivals := func(string) []arrival { return nil }
	ev := func(directive, disposition string) []seenViolation {
		return []seenViolation{{EffectiveDirective: directive, Disposition: disposition}}
	}
	inline := corpus.Case{ID: "i", CheckType: corpus.CheckInline, SelfOrigin: "https://example.com",
		Policies: []corpus.PolicyInput{header("script-src 'self'")}, Inline: &corpus.InlineInput{Type: "script", Source: "alert(1)"}}
	eval := corpus.Case{ID: "e", CheckType: corpus.CheckEval, SelfOrigin: "https://example.com",
		Policies: []corpus.PolicyInput{header("script-src 'self'")}, Eval: &corpus.EvalInput{Type: "EVAL", Code: "alert(1)"}}
	base := corpus.Case{ID: "b", CheckType: corpus.CheckBase, SelfOrigin: "https://example.com",
		Policies: []corpus.PolicyInput{header("base-uri 'none'")}, BaseURL: "https://evil.example/"}
	for _, tc := range []struct {
		name string
		c    corpus.Case
		rep  *unitReport
		want string
	}{
		{"inline ran", inline, &unitReport{Result: &docResult{Ran: &ran}}, Allowed},
		{"inline blocked", inline, &unitReport{Result: &docResult{Ran: &notRan}, Events: ev("script-src-elem", "enforce")}, Blocked},
		{"inline report-only event", inline, &unitReport{Result: &docResult{Ran: &ran}, Events: ev("script-src-elem", "report")}, Allowed},
		{"inline event of another directive", inline, &unitReport{Result: &docResult{Ran: &notRan}, Events: ev("img-src", "enforce")}, NotSent},
		{"inline both", inline, &unitReport{Result: &docResult{Ran: &ran}, Events: ev("script-src-elem", "enforce")}, Unknown},
		{"inline no result", inline, &unitReport{}, Unknown},
		{"inline not reported", inline, nil, Unknown},
		{"eval error", eval, &unitReport{Result: &docResult{Outcome: "evalerror"}, Events: ev("script-src", "enforce")}, Blocked},
		{"eval error, no event", eval, &unitReport{Result: &docResult{Outcome: "evalerror"}}, NotSent},
		{"eval syntax error", eval, &unitReport{Result: &docResult{Outcome: "threw"}}, Allowed},
		{"base applied", base, &unitReport{Result: &docResult{Outcome: "base"}}, Allowed},
		{"base fallback", base, &unitReport{Result: &docResult{Outcome: "fallback"}, Events: ev("base-uri", "enforce")}, Blocked},
		{"base other", base, &unitReport{Result: &docResult{Outcome: "other"}}, Unknown},
	} {
		u, err := toCheckUnit(tc.c)
		if err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		o := u.observe(unitRun{Report: tc.rep, Arrivals: noArrivals})[""]
		if o.Verdict != tc.want {
			t.Errorf("%s: %s (%s), want %s", tc.name, o.Verdict, o.Reason, tc.want)
		}
	}
	// A violation the engine reports without its event counts.
	u, _ := toCheckUnit(eval)
	rep := cspReport{Disposition: "enforce"}
	rep.Body.Report.EffectiveDirective = "script-src"
	if o := u.observe(unitRun{Report: &unitReport{Result: &docResult{Outcome: "evalerror"}}, Arrivals: noArrivals, Reports: []cspReport{rep}})[""]; o.Verdict != Blocked {
		t.Errorf("an EvalError and a report: %s, want blocked", o.Verdict)
	}
}

// TestCheckUnitsRefuse: cases a page cannot express are refused with a
// reason, not run as something else.
func TestCheckUnitsRefuse(t *testing.T) {
	base := corpus.Case{ID: "x", CheckType: corpus.CheckInline, SelfOrigin: "https://example.com",
		Policies: []corpus.PolicyInput{header("script-src 'self'")}, Inline: &corpus.InlineInput{Type: "script", Source: "alert(1)"}}
	for name, change := range map[string]func(c *corpus.Case){
		"a text with no effect": func(c *corpus.Case) { c.Inline.Source = "1+1" },
		"an external script": func(c *corpus.Case) {
			c.Inline.Element = &corpus.ElementInput{Attributes: []corpus.Attribute{{"src", "https://evil.example/x.js"}}}
		},
		"a tag the parser cannot write": func(c *corpus.Case) {
			c.Inline.Element = &corpus.ElementInput{Attributes: []corpus.Attribute{{"</p>", ""}}}
		},
		"a script that ends itself": func(c *corpus.Case) { c.Inline.Source = "alert(1)</script>" },
		"a worklet": func(c *corpus.Case) {
			c.CheckType, c.Inline, c.Eval = corpus.CheckEval, nil, &corpus.EvalInput{Type: "EVAL", Code: "alert(1)"}
			c.Global = &corpus.GlobalInput{Kind: "worklet"}
		},
		"a meta policy in a worker": func(c *corpus.Case) {
			c.CheckType, c.Inline = corpus.CheckWasm, nil
			c.Global = &corpus.GlobalInput{Kind: "worker"}
			c.Policies = []corpus.PolicyInput{meta("script-src 'self'")}
		},
		"a sandbox stops the harness": func(c *corpus.Case) { c.Policies = []corpus.PolicyInput{header("sandbox")} },
		"an http navigation from https": func(c *corpus.Case) {
			c.CheckType, c.Inline = corpus.CheckNavigationRequest, nil
			c.Navigation = &corpus.NavigationInput{Type: "form-submission", URLList: []string{"http://example.com/x"}}
		},
		"a frame at the top": func(c *corpus.Case) {
			c.CheckType, c.Inline = corpus.CheckNavigationResponse, nil
			c.Navigation = &corpus.NavigationInput{Type: "other", URLList: []string{"https://example.com/x"}}
		},
		"a navigating document that is no ancestor": func(c *corpus.Case) {
			c.CheckType, c.Inline = corpus.CheckNavigationResponse, nil
			c.Navigation = &corpus.NavigationInput{Type: "other", URLList: []string{"https://example.com/x"}, Ancestors: []string{"https://evil.example"}}
		},
		"webrtc": func(c *corpus.Case) { c.CheckType, c.Inline = corpus.CheckRTC, nil },
	} {
		c := base
		in := *base.Inline
		c.Inline = &in
		change(&c)
		if _, err := toBrowserCases(c); err == nil {
			t.Errorf("%s: the harness runs it", name)
		} else if strings.TrimSpace(err.Error()) == "" {
			t.Errorf("%s: refused without a reason", name)
		}
	}
	if _, err := toBrowserCases(base); err != nil {
		t.Errorf("the base case: %v", err)
	}
}

// TestSandboxedRequestUnits: a request case whose own sandbox directive
// sandboxes its document runs as a unit of its own, a document that makes
// the request itself; one that would need a worker or a child document, a
// redirect, an http: URL from that https document, or a script the sandbox
// keeps from running, is refused with its reason, as is any case of an
// opaque self-origin that matches URLs: no document has one.
func TestSandboxedRequestUnits(t *testing.T) {
	base := corpus.Case{ID: "sandboxed", SelfOrigin: "https://example.com", Policies: []corpus.PolicyInput{header("sandbox allow-scripts; connect-src 'self'")},
		Request: corpus.RequestInput{Kind: "fetch", URLList: []string{"https://evil.example/"}}}
	if !needsUnit(base) {
		t.Fatal("a sandboxed document's request goes to a request page, which cannot sandbox it")
	}
	bcs, err := toBrowserCases(base)
	if err != nil || len(bcs) != 1 {
		t.Fatalf("toBrowserCases(sandboxed) = %d cases, %v", len(bcs), err)
	}
	if u := bcs[0].Unit; bcs[0].Origin != "https://example.com" || u == nil || !strings.Contains(u.Note, "own sandbox directive") {
		t.Errorf("the sandboxed request's unit: origin %q, %+v", bcs[0].Origin, u)
	}
	srcdoc := "about:srcdoc"
	for name, change := range map[string]func(c *corpus.Case){
		"a worker":       func(c *corpus.Case) { c.Global = &corpus.GlobalInput{Kind: "worker"} },
		"a srcdoc child": func(c *corpus.Case) { c.Global = &corpus.GlobalInput{URL: &srcdoc} },
		"a redirect":     func(c *corpus.Case) { c.Request.URLList = []string{"https://evil.example/", "https://example.com/"} },
		"mixed content":  func(c *corpus.Case) { c.Request.URLList = []string{"http://evil.example/"} },
		"no scripts":     func(c *corpus.Case) { c.Policies = []corpus.PolicyInput{header("sandbox; connect-src 'self'")} },
		"no scripts in an earlier policy": func(c *corpus.Case) {
			c.Policies = []corpus.PolicyInput{header("sandbox"), header("sandbox allow-scripts; connect-src 'self'")}
		},
		"an opaque self-origin": func(c *corpus.Case) {
			c.SelfOrigin, c.Policies = "null", []corpus.PolicyInput{header("connect-src 'self'")}
		},
	} {
		c := base
		change(&c)
		if _, err := toBrowserCases(c); err == nil {
			t.Errorf("%s: the harness runs it", name)
		}
	}
	// A base URL and a navigation decide URLs too; an inline check does not.
	baseCheck := corpus.Case{ID: "base", CheckType: corpus.CheckBase, SelfOrigin: "null", Policies: []corpus.PolicyInput{header("base-uri 'self'")}, BaseURL: "https://example.com/"}
	if _, err := toBrowserCases(baseCheck); !errors.Is(err, errOpaqueSelf) {
		t.Errorf("a base check of an opaque self-origin: %v, want errOpaqueSelf", err)
	}
	baseCheck.SelfOrigin, baseCheck.Policies = "https://example.com", []corpus.PolicyInput{header("sandbox allow-scripts; base-uri 'self'")}
	if _, err := toBrowserCases(baseCheck); err != nil {
		t.Errorf("a base check of a sandboxed document: %v", err)
	}
	form := corpus.Case{ID: "form", CheckType: corpus.CheckNavigationRequest, SelfOrigin: "https://example.com", Policies: []corpus.PolicyInput{header("sandbox allow-scripts; form-action 'self'")},
		Navigation: &corpus.NavigationInput{Type: "form-submission", URLList: []string{"https://example.com/submit"}}}
	if _, err := toBrowserCases(form); err == nil {
		t.Error("a form submission from a sandbox without allow-forms: the harness runs it")
	}
	inline := corpus.Case{ID: "inline", CheckType: corpus.CheckInline, SelfOrigin: "null", Policies: []corpus.PolicyInput{header("script-src 'unsafe-inline'")},
		Inline: &corpus.InlineInput{Type: "script", Source: "alert(1)"}}
	if _, err := toBrowserCases(inline); err != nil {
		t.Errorf("an inline check of an opaque self-origin: %v", err)
	}
}
