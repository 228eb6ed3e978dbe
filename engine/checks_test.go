package engine

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"fmt"
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// checkCSP compiles a CSP list for the tests of the checks beyond requests.
func checkCSP(t testing.TB, deliveries ...model.PolicyDelivery) *CSP {
	t.Helper()
	self, err := ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	return Compile(deliveries, self)
}

func mustURL(t testing.TB, s string) model.URL {
	t.Helper()
	u, err := ParseURL(s)
	if err != nil {
		t.Fatal(err)
	}
	return u
}

// TestChecksAgreeAndDoNotAllocate decides each check beyond requests on
// prepared input: the verdict and the violations must be the model's, and
// a repeated decision must allocate nothing once the Decision has room.
func TestChecksAgreeAndDoNotAllocate(t *testing.T) {
	script := "alert(1)"
	s256 := sha256.Sum256([]byte(script))
	s384 := sha512.Sum384([]byte("a{color:red}"))
	s512 := sha512.Sum512([]byte("go()"))
	deliveries := []model.PolicyDelivery{
		{Value: "script-src 'nonce-abc' 'sha256-" + base64.StdEncoding.EncodeToString(s256[:]) + "' 'strict-dynamic' https://cdn.example 'report-sample' 'unsafe-hashes' 'sha512-" + base64.URLEncoding.EncodeToString(s512[:]) + "'; style-src 'sha384-" + base64.StdEncoding.EncodeToString(s384[:]) + "'; base-uri 'self'; form-action https://forms.example; webrtc 'block'; sandbox allow-forms"},
		{Value: "default-src 'self' 'wasm-unsafe-eval'; require-trusted-types-for 'script'", Disposition: model.Report},
	}
	c := checkCSP(t, deliveries...)
	env := model.Environment{CSPList: model.NewCSPList(deliveries, model.Origin{Scheme: "https", Host: model.Host{Kind: model.DomainHost, Serialized: "example.com"}, Port: -1}, nil)}
	noTTDeliveries := []model.PolicyDelivery{{Value: "script-src 'report-sample'"}, {Value: "default-src 'unsafe-eval'"}}
	noTT := checkCSP(t, noTTDeliveries...)
	noTTEnv := model.Environment{CSPList: model.NewCSPList(noTTDeliveries, model.Origin{}, nil)}
	nonced := model.Element{LocalName: "script", Attributes: []model.Attribute{{Name: "nonce", Value: "abc"}}}
	wrongNonce := model.Element{LocalName: "script", Attributes: []model.Attribute{{Name: "NONCE", Value: "abd"}}}
	dangling := model.Element{LocalName: "script", Attributes: []model.Attribute{{Name: "nonce", Value: "abc"}, {Name: "src", Value: "<script"}}}
	inserted := model.Element{LocalName: "script", NotParserInserted: true}
	style := model.Element{LocalName: "style"}
	button := model.Element{LocalName: "button"}
	base := mustURL(t, "https://example.com/base/")
	evilBase := mustURL(t, "https://evil.example/")
	form := []model.URL{mustURL(t, "https://forms.example/submit")}
	badForm := []model.URL{mustURL(t, "https://forms.example/submit"), mustURL(t, "https://evil.example/")}
	js := []model.URL{mustURL(t, "javascript:go()")}
	framed := []model.URL{mustURL(t, "https://widget.example/w")}
	responseDeliveries := []model.PolicyDelivery{{Value: "frame-ancestors 'self' https://*.example.com"}, {Value: "frame-ancestors 'none'", Disposition: model.Report}}
	widget, err := ParseOrigin("https://widget.example")
	if err != nil {
		t.Fatal(err)
	}
	response := Compile(responseDeliveries, widget)
	framedResponse := model.Response{URLList: framed, HeaderList: []model.Header{{Name: "Content-Security-Policy", Value: responseDeliveries[0].Value}, {Name: "Content-Security-Policy-Report-Only", Value: responseDeliveries[1].Value}}}
	var ancestors []*model.URL
	var ancestorOrigins []model.Origin
	for _, a := range []string{"https://a.example.com", "https://evil.example"} {
		o, err := model.ParseOrigin(a)
		if err != nil {
			t.Fatal(err)
		}
		ancestorOrigins, ancestors = append(ancestorOrigins, o), append(ancestors, AncestorURL(o))
	}
	evalCode := model.Compilation{Type: model.CompileEval, CodeString: "1+1", BodyString: "1+1", BodyArg: model.ScriptValue{Data: "1+1"}}
	timer := model.Compilation{Type: model.CompileTimer, CodeString: "tick()"}

	for _, tc := range []struct {
		name    string
		engine  func(*CheckDecision) error
		model   func() (model.Decision, error)
		verdict model.Verdict
	}{
		{"nonce", func(d *CheckDecision) error { return c.DecideInline(model.WindowGlobal, &nonced, "script", "x()", d) },
			func() (model.Decision, error) { return model.DecideInline(env, nonced, "script", "x()", nil) }, model.Allowed},
		{"wrong nonce", func(d *CheckDecision) error {
			return c.DecideInline(model.WindowGlobal, &wrongNonce, "script", "x()", d)
		},
			func() (model.Decision, error) { return model.DecideInline(env, wrongNonce, "script", "x()", nil) }, model.Blocked},
		{"dangling markup", func(d *CheckDecision) error { return c.DecideInline(model.WindowGlobal, &dangling, "script", "x()", d) },
			func() (model.Decision, error) { return model.DecideInline(env, dangling, "script", "x()", nil) }, model.Blocked},
		{"sha256", func(d *CheckDecision) error {
			return c.DecideInline(model.WindowGlobal, &wrongNonce, "script", script, d)
		},
			func() (model.Decision, error) { return model.DecideInline(env, wrongNonce, "script", script, nil) }, model.Allowed},
		{"strict-dynamic", func(d *CheckDecision) error { return c.DecideInline(model.WindowGlobal, &inserted, "script", "y()", d) },
			func() (model.Decision, error) { return model.DecideInline(env, inserted, "script", "y()", nil) }, model.Allowed},
		{"sha384 style", func(d *CheckDecision) error {
			return c.DecideInline(model.WindowGlobal, &style, "style", "a{color:red}", d)
		},
			func() (model.Decision, error) { return model.DecideInline(env, style, "style", "a{color:red}", nil) }, model.Allowed},
		{"style attribute", func(d *CheckDecision) error {
			return c.DecideInline(model.WindowGlobal, &button, "style attribute", "a{color:red}", d)
		},
			func() (model.Decision, error) {
				return model.DecideInline(env, button, "style attribute", "a{color:red}", nil)
			}, model.Blocked},
		{"unsafe-hashes handler", func(d *CheckDecision) error {
			return c.DecideInline(model.WindowGlobal, &button, "script attribute", "go()", d)
		},
			func() (model.Decision, error) {
				return model.DecideInline(env, button, "script attribute", "go()", nil)
			}, model.Allowed},
		{"long sample", func(d *CheckDecision) error {
			return c.DecideInline(model.WindowGlobal, &button, "script attribute", "0123456789012345678901234567890123456789é€😀", d)
		},
			func() (model.Decision, error) {
				return model.DecideInline(env, button, "script attribute", "0123456789012345678901234567890123456789é€😀", nil)
			}, model.Blocked},
		{"eval", func(d *CheckDecision) error { return c.DecideEval(model.WindowGlobal, &evalCode, d) },
			func() (model.Decision, error) { return model.DecideEval(env, evalCode, nil) }, model.Blocked},
		{"eval, no Trusted Types", func(d *CheckDecision) error { return noTT.DecideEval(model.WindowGlobal, &evalCode, d) },
			func() (model.Decision, error) { return model.DecideEval(noTTEnv, evalCode, nil) }, model.Blocked},
		{"timer", func(d *CheckDecision) error { return c.DecideEval(model.WorkerGlobal, &timer, d) },
			func() (model.Decision, error) {
				e := env
				e.Kind = model.WorkerGlobal
				return model.DecideEval(e, timer, nil)
			}, model.Blocked},
		{"wasm", func(d *CheckDecision) error { return c.DecideWasm(model.WindowGlobal, d) },
			func() (model.Decision, error) { return model.DecideWasm(env, nil) }, model.Blocked},
		{"rtc", func(d *CheckDecision) error { return c.DecideRTC(model.WindowGlobal, d) },
			func() (model.Decision, error) { return model.DecideRTC(env, nil) }, model.Blocked},
		{"sandbox", func(d *CheckDecision) error { return c.DecideSandbox(model.WorkerGlobal, d) },
			func() (model.Decision, error) {
				e := env
				e.Kind = model.WorkerGlobal
				return model.DecideSandbox(e, nil)
			}, model.Blocked},
		{"base", func(d *CheckDecision) error { return c.DecideBase(model.WindowGlobal, &base, d) },
			func() (model.Decision, error) { return model.DecideBase(env, base, nil) }, model.Allowed},
		{"evil base", func(d *CheckDecision) error { return c.DecideBase(model.WindowGlobal, &evilBase, d) },
			func() (model.Decision, error) { return model.DecideBase(env, evilBase, nil) }, model.Blocked},
		{"form", func(d *CheckDecision) error {
			return c.DecideNavigationRequest(model.WindowGlobal, form, "form-submission", d)
		},
			func() (model.Decision, error) {
				return model.DecideNavigationRequest(env, model.Request{URLList: form, Mode: "navigate"}, "form-submission", nil)
			}, model.Allowed},
		{"form redirect", func(d *CheckDecision) error {
			return c.DecideNavigationRequest(model.WindowGlobal, badForm, "form-submission", d)
		},
			func() (model.Decision, error) {
				return model.DecideNavigationRequest(env, model.Request{URLList: badForm, Mode: "navigate"}, "form-submission", nil)
			}, model.Blocked},
		{"framed", func(d *CheckDecision) error {
			return c.DecideNavigationResponse(model.WindowGlobal, framed, "other", response, ancestors, d)
		},
			func() (model.Decision, error) {
				return model.DecideNavigationResponse(env, model.Request{URLList: framed, Mode: "navigate"}, "other", framedResponse, model.Navigable{AncestorOrigins: ancestorOrigins}, nil)
			}, model.Blocked},
		{"javascript: URL", func(d *CheckDecision) error { return c.DecideNavigationRequest(model.WindowGlobal, js, "other", d) },
			func() (model.Decision, error) {
				return model.DecideNavigationRequest(env, model.Request{URLList: js, Mode: "navigate"}, "other", nil)
			}, model.Blocked},
	} {
		d := CheckDecision{Violations: make([]CheckViolation, 0, 8)}
		if err := tc.engine(&d); err != nil {
			t.Fatalf("%s: %v", tc.name, err)
		}
		want, err := tc.model()
		if err != nil {
			t.Fatalf("%s: model: %v", tc.name, err)
		}
		if d.Verdict != tc.verdict || want.Verdict != tc.verdict {
			t.Errorf("%s: engine %v, model %v, want %v", tc.name, d.Verdict, want.Verdict, tc.verdict)
		}
		if got, w := violationStrings(d.Violations), modelViolationStrings(want.Violations); got != w {
			t.Errorf("%s: engine violations\n%s\nmodel's\n%s", tc.name, got, w)
		}
		if d.SandboxFlags != want.SandboxFlags {
			t.Errorf("%s: sandbox flags %v, model %v", tc.name, d.SandboxFlags, want.SandboxFlags)
		}
		if tc.name == "javascript: URL" {
			// The URL's serialization (for the hash 'unsafe-hashes'
			// allows) is one allocation. (A Trusted Types violation's
			// sample, the sink's name joined to the code, is built when
			// Sample is called, not by the decision.)
			continue
		}
		allocs := testing.AllocsPerRun(200, func() { _ = tc.engine(&d) })
		if allocs != 0 {
			t.Errorf("%s: %v allocations per decision, want 0", tc.name, allocs)
		}
	}
}

func violationStrings(vs []CheckViolation) string {
	var s string
	for i := range vs {
		v := &vs[i]
		s += v.OriginalPolicy() + "|" + v.Directive() + "|" + v.EffectiveDirective() + "|" + string(v.Disposition()) + "|" + v.BlockedURI() + "|" + string(v.Check()) + "|" + v.Sample() + "|" + v.Element() + "\n"
	}
	return s
}

func modelViolationStrings(vs []model.Violation) string {
	var s string
	for _, v := range vs {
		el := ""
		if v.Element != nil {
			el = v.Element.LocalName
		}
		s += v.Policy.Text + "|" + v.Directive + "|" + v.EffectiveDirective + "|" + string(v.Disposition) + "|" + model.ObtainViolationBlockedURI(v.Resource) + "|" + string(v.Check) + "|" + v.Sample + "|" + el + "\n"
	}
	return s
}

// TestChecksRefuse: inputs that cannot occur are errors with a Blocked
// verdict, as from the model.
func TestChecksRefuse(t *testing.T) {
	c := checkCSP(t, model.PolicyDelivery{Value: "script-src 'unsafe-inline' 'unsafe-eval'"})
	el := model.Element{LocalName: "script"}
	comp := model.Compilation{Type: "EVAL", ParameterStrings: []string{"a"}}
	base := mustURL(t, "https://example.com/")
	for name, f := range map[string]func(*CheckDecision) error{
		"inline type":      func(d *CheckDecision) error { return c.DecideInline(model.WindowGlobal, &el, "navigation", "", d) },
		"inline worker":    func(d *CheckDecision) error { return c.DecideInline(model.WorkerGlobal, &el, "script", "", d) },
		"inline nil":       func(d *CheckDecision) error { return c.DecideInline(model.WindowGlobal, nil, "script", "", d) },
		"eval parameters":  func(d *CheckDecision) error { return c.DecideEval(model.WindowGlobal, &comp, d) },
		"wasm kind":        func(d *CheckDecision) error { return c.DecideWasm(7, d) },
		"navigation type":  func(d *CheckDecision) error { return c.DecideNavigationRequest(model.WindowGlobal, nil, "form", d) },
		"navigation empty": func(d *CheckDecision) error { return c.DecideNavigationRequest(model.WindowGlobal, nil, "other", d) },
		// A base URL belongs to a document: as the model, refuse another
		// global object's.
		"base worker":  func(d *CheckDecision) error { return c.DecideBase(model.WorkerGlobal, &base, d) },
		"base worklet": func(d *CheckDecision) error { return c.DecideBase(model.WorkletGlobal, &base, d) },
	} {
		d := CheckDecision{Verdict: model.Allowed}
		if err := f(&d); err == nil || d.Verdict != model.Blocked {
			t.Errorf("%s: error %v, verdict %v", name, err, d.Verdict)
		}
	}
}

// TestConcurrentChecks decides checks from many goroutines on a CSP whose
// list for the checks is compiled by whichever comes first (run with -race
// to check that the lazy compilation is safe), and expects every goroutine
// to see the single-threaded verdicts.
func TestConcurrentChecks(t *testing.T) {
	deliveries := []model.PolicyDelivery{{Value: "script-src 'nonce-abc'; base-uri 'self'; connect-src 'self'"}, {Value: "default-src 'none'", Disposition: model.Report}}
	nonced := model.Element{LocalName: "script", Attributes: []model.Attribute{{Name: "nonce", Value: "abc"}}}
	base := mustURL(t, "https://evil.example/")
	fetch := Request{Kind: KindFetch, URLs: []model.URL{mustURL(t, "https://example.com/api")}}
	for range 20 {
		c := checkCSP(t, deliveries...)
		done := make(chan string)
		for g := range 8 {
			go func() {
				var d CheckDecision
				var rd Decision
				var err error
				var want model.Verdict
				switch g % 3 {
				case 0:
					err, want = c.DecideInline(model.WindowGlobal, &nonced, "script", "x()", &d), model.Allowed
				case 1:
					err, want = c.DecideBase(model.WindowGlobal, &base, &d), model.Blocked
				default:
					err, want = c.Decide(&fetch, &rd), model.Allowed
					d.Verdict = rd.Verdict
				}
				if err != nil || d.Verdict != want {
					done <- fmt.Sprintf("goroutine %d: %v, verdict %v, want %v", g, err, d.Verdict, want)
					return
				}
				done <- ""
			}()
		}
		for range 8 {
			if msg := <-done; msg != "" {
				t.Error(msg)
			}
		}
	}
}

// TestChecksCompiledOnce: goroutines released at once on a fresh CSP all
// get the same list for the checks, compiled once, however many of them
// found it missing: a second compilation would cost what the lazy
// compilation saves, and lend two goroutines' decisions different lists.
// 3,000 fresh CSPs, so that some goroutines meet at the lock: a lock that
// does not look again for the compiled list fails here on every run tried.
func TestChecksCompiledOnce(t *testing.T) {
	deliveries := []model.PolicyDelivery{{Value: "script-src 'nonce-abc'; base-uri 'self'"}}
	const goroutines = 8
	for range 3000 {
		c := checkCSP(t, deliveries...)
		start := make(chan struct{})
		got := make(chan *Checks, goroutines)
		for range goroutines {
			go func() {
				<-start
				got <- c.Checks()
			}()
		}
		close(start)
		first := <-got
		for range goroutines - 1 {
			if l := <-got; l != first {
				t.Fatal("concurrent first calls of Checks compiled two lists")
			}
		}
		if c.Checks() != first {
			t.Fatal("Checks returned a list other than the one compiled first")
		}
	}
}
