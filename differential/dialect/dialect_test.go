package dialect

import (
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
	"github.com/cspmodel/cspmodel/model"
)

func hdr(v string) corpus.PolicyInput {
	return corpus.PolicyInput{Value: v, Disposition: "enforce", Source: "header"}
}

func meta(v string) corpus.PolicyInput {
	return corpus.PolicyInput{Value: v, Disposition: "enforce", Source: "meta"}
}

// checkCase makes a case of a check other than requests on
// https://example.com: an inline script doSubmit(), WebAssembly bytes, a
// form posted to the page's origin and redirected to evil.example, or a
// response framed by https://example.com; the policy is the page's, or
// the response's for navigation-response.
func checkCase(id, check string, p corpus.PolicyInput) corpus.Case {
	c := corpus.Case{ID: id, CheckType: check, SelfOrigin: "https://example.com", Policies: []corpus.PolicyInput{p}}
	switch check {
	case corpus.CheckInline:
		c.Inline = &corpus.InlineInput{Type: "script", Source: "doSubmit()"}
	case corpus.CheckNavigationRequest:
		c.Navigation = &corpus.NavigationInput{Type: "form-submission", URLList: []string{"https://example.com/submit", "https://evil.example/landing"}}
	case corpus.CheckNavigationResponse:
		c.Policies = nil
		c.Navigation = &corpus.NavigationInput{Type: "other", URLList: []string{"https://example.com/framed"},
			Response: &corpus.ResponseInput{Policies: []corpus.PolicyInput{p}}, Ancestors: []string{"https://example.com"}}
	}
	return c
}

func mk(id, origin string, policies []corpus.PolicyInput, kind string, urls ...string) corpus.Case {
	c := corpus.Case{ID: id, Policies: policies, SelfOrigin: origin, Request: corpus.RequestInput{URLList: urls}}
	if kind == "image" {
		d := "image"
		c.Request.Destination = &d
	} else {
		c.Request.Kind = kind
	}
	return c
}

// ruleCases are, for each rule, cases on which it turns the model's verdict
// into the engine's: the dialect named gives want, and gives the model's
// verdict without the rule.
var ruleCases = []struct {
	rule, dialect string
	c             corpus.Case
	want          string
}{
	{"self-skips-local-schemes", "firefox", mk("blob-self", "https://example.com", []corpus.PolicyInput{hdr("connect-src 'self'")}, "fetch", "blob:https://example.com/7a1f3c52-1b4e-4d0c-9a43-2f6f1c8e9d10"), "blocked"},
	{"hash-padding-optional", "chromium", checkCase("unpadded", corpus.CheckInline, hdr("script-src 'sha256-jzgBGA4UWFFmpOBq0JpdsySukE1FrEN5bUpoK8Z29fY'")), "allowed"},
	{"hash-padding-optional", "webkit", checkCase("padding-bits", corpus.CheckInline, hdr("script-src 'sha256-jzgBGA4UWFFmpOBq0JpdsySukE1FrEN5bUpoK8Z29fZ='")), "allowed"},
	{"wasm-compile-unchecked", "webkit", checkCase("wasm", corpus.CheckWasm, hdr("script-src 'self'")), "allowed"},
	{"form-action-redirects-unchecked", "firefox", checkCase("form-redirect", corpus.CheckNavigationRequest, hdr("form-action 'self'")), "allowed"},
	{"star-matches-opaque-ancestor", "firefox", func() corpus.Case {
		c := checkCase("framed-by-sandbox", corpus.CheckNavigationResponse, hdr("frame-ancestors *"))
		c.SelfOrigin, c.Navigation.Ancestors = "null", []string{"null"}
		return c
	}(), "allowed"},
	{"sandbox-ignored-in-workers", "chromium", func() corpus.Case {
		c := checkCase("sandboxed-worker", corpus.CheckSandbox, hdr("sandbox allow-scripts"))
		c.Global = &corpus.GlobalInput{Kind: "worker"}
		return c
	}(), "allowed"},
	{"string-timer-needs-trusted-types", "chromium", corpus.Case{ID: "timer-under-trusted-types", CheckType: corpus.CheckEval, SelfOrigin: "https://example.com",
		Policies: []corpus.PolicyInput{hdr("require-trusted-types-for 'script'")}, Eval: &corpus.EvalInput{Type: "TIMER", Code: "alert(1)"}}, "blocked"},
	{"string-timer-needs-trusted-types", "webkit", corpus.Case{ID: "timer-under-trusted-types-2", CheckType: corpus.CheckEval, SelfOrigin: "https://example.com",
		Policies: []corpus.PolicyInput{hdr("img-src 'none'; require-trusted-types-for 'style' 'script'")}, Eval: &corpus.EvalInput{Type: "TIMER", Code: "alert(1)"}}, "blocked"},
	{"sandboxed-connect-schemeless-ignored", "webkit", mk("sandboxed-fetch-schemeless", "https://example.com", []corpus.PolicyInput{hdr("sandbox allow-scripts; connect-src example.com")}, "fetch", "https://example.com/"), "blocked"},
	{"sandboxed-connect-schemeless-ignored", "webkit", mk("sandboxed-xhr-default-wildcard", "https://example.com", []corpus.PolicyInput{hdr("SANDBOX allow-forms, default-src *.example.com")}, "xhr", "https://a.example.com/"), "blocked"},
	{"sandboxed-connect-schemeless-ignored", "webkit", mk("sandboxed-beacon-path", "https://example.com", []corpus.PolicyInput{hdr("sandbox"), hdr("connect-src example.com:443/api/ https://other.example")}, "beacon", "https://example.com/api/x"), "blocked"},
	{"frame-ancestors-path-ignored", "firefox", checkCase("framed-path", corpus.CheckNavigationResponse, hdr("frame-ancestors https://example.com/other/path")), "allowed"},
	{"trusted-types-eval-trusts-strings", "chromium", corpus.Case{ID: "tte-two-policies", CheckType: corpus.CheckEval, SelfOrigin: "https://example.com",
		Policies: []corpus.PolicyInput{hdr("require-trusted-types-for 'script'"), hdr("script-src 'self' 'trusted-types-eval'")}, Eval: &corpus.EvalInput{Type: "EVAL", Code: "alert(1)"}}, "allowed"},
	{"function-trusted-script-refused", "chromium", corpus.Case{ID: "function-trusted", CheckType: corpus.CheckEval, SelfOrigin: "https://example.com",
		Policies: []corpus.PolicyInput{hdr("require-trusted-types-for 'script'")}, Eval: &corpus.EvalInput{Type: "FUNCTION", Code: "function anonymous(\n) {\nalert(1)\n}",
			Body: func() *string { b := "alert(1)"; return &b }(), BodyArg: &corpus.ScriptValueInput{TrustedScript: true}}}, "blocked"},
	{"star-matches-data-images", "webkit", mk("star-data", "https://example.com", []corpus.PolicyInput{hdr("img-src * 'self'")}, "image", "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="), "allowed"},
	{"websocket-url-as-given", "chromium", mk("ws-https-source", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src https://example.org")}, "websocket", "wss://example.org/"), "blocked"},
	{"websocket-url-as-given", "webkit", mk("ws-given-as-http", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http:")}, "websocket", "http://example.org/"), "blocked"},
	{"meta-content-split-on-commas", "chromium", mk("meta-comma", "http://example.com:8080", []corpus.PolicyInput{meta("connect-src 'none', connect-src 'self'")}, "fetch", "http://example.com:8080/x"), "blocked"},
	{"source-query-ignored", "firefox", mk("query", "https://example.com:8443", []corpus.PolicyInput{hdr("connect-src https://example.org/api?x=1")}, "fetch", "https://example.org/api?x=1"), "allowed"},
	{"ip-hosts-match", "webkit", mk("ip-source", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://127.0.0.1")}, "fetch", "http://127.0.0.1/"), "allowed"},
	{"ip-hosts-match", "chromium", mk("ip-wildcard", "http://127.0.0.1:8080", []corpus.PolicyInput{hdr("connect-src http://*:8080")}, "xhr", "http://127.0.0.1:8080/"), "allowed"},
	{"path-decoded-whole", "firefox", mk("slash", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org/p/")}, "fetch", "http://example.org/p%2Fq"), "allowed"},
	{"path-decoded-whole", "chromium", mk("slash-source", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org/p%2fq")}, "fetch", "http://example.org/p/q"), "allowed"},
	{"path-decoded-whole", "firefox", mk("slash-first", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org/%2Fapi")}, "fetch", "http://example.org//api"), "allowed"},
	{"path-may-start-with-double-slash", "chromium", mk("double-slash", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org//")}, "fetch", "http://example.org//x"), "allowed"},
	{"path-may-start-with-double-slash", "webkit", mk("double-slash-query", "http://example.com:8080", []corpus.PolicyInput{hdr("img-src example.org//api?x=1")}, "image", "http://example.org//api"), "allowed"},
	{"ws-schemes-only-for-websockets", "chromium", mk("ws-fetch", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src ws:")}, "fetch", "http://example.org/"), "blocked"},
	{"ws-schemes-only-for-websockets", "firefox", mk("wss-beacon", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src wss://example.org")}, "beacon", "https://example.org/"), "blocked"},
	{"port-leading-zero-never-matches", "firefox", mk("zero", "https://example.com:8443", []corpus.PolicyInput{hdr("connect-src https://example.org:0443")}, "fetch", "https://example.org/"), "blocked"},
	{"trailing-dot-host-dropped", "firefox", mk("dot", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src example.org.")}, "fetch", "http://example.org./"), "blocked"},
	{"self-compares-port-numbers", "chromium", mk("self-80", "http://example.com", []corpus.PolicyInput{hdr("connect-src 'self'")}, "eventsource", "https://example.com:80/"), "allowed"},
	{"self-compares-port-numbers", "firefox", mk("self-443", "http://example.com", []corpus.PolicyInput{hdr("connect-src 'self'")}, "fetch", "http://example.com:443/"), "allowed"},
	{"missing-port-is-scheme-default", "firefox", mk("missing-80", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src example.com")}, "beacon", "https://example.com:80/"), "allowed"},
	{"missing-http-port-matches-443", "webkit", mk("missing-443", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org")}, "fetch", "http://example.org:443/"), "allowed"},
	{"missing-http-port-matches-443", "webkit", mk("self-webkit-443", "http://example.com", []corpus.PolicyInput{hdr("connect-src 'self'")}, "fetch", "http://example.com:443/"), "allowed"},
	{"port-80-matches-443", "firefox", mk("80-443-http", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org:80")}, "fetch", "http://example.org:443/"), "allowed"},
	{"port-80-matches-443", "webkit", mk("80-443-https", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org:80")}, "fetch", "https://example.org/"), "allowed"},
	{"port-80-upgrades-to-443", "chromium", mk("80-upgrade", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src ws://example.org:80")}, "websocket", "wss://example.org/"), "allowed"},
	{"upgrade-needs-default-port", "chromium", mk("upgrade-8080", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org:8080")}, "fetch", "https://example.org:8080/"), "blocked"},
	{"upgrade-needs-default-port", "chromium", mk("upgrade-80", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org:80")}, "fetch", "https://example.org:80/"), "blocked"},
	{"upgrade-needs-default-port", "chromium", mk("upgrade-redirected", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org:8443")}, "fetch", "http://example.org:8443/a", "https://example.org:8443/b"), "blocked"},
	{"star-before-path-dropped", "firefox", mk("star-path", "http://example.com:8080", []corpus.PolicyInput{hdr("img-src http://*/api")}, "image", "http://example.com/api"), "blocked"},
	{"schemeless-star-with-port-or-path-ignored", "webkit", mk("star-port", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src *:8080")}, "fetch", "http://example.org:8080/b"), "blocked"},
	{"schemeless-star-with-port-or-path-ignored", "webkit", mk("star-path", "http://example.com:8080", []corpus.PolicyInput{hdr("img-src */api")}, "image", "http://example.org/api"), "blocked"},
	{"strict-dynamic-in-default-src", "webkit", mk("strict-default", "http://example.com:8080", []corpus.PolicyInput{hdr("default-src 'strict-dynamic' 'self'")}, "fetch", "http://example.com:8080/x"), "blocked"},
	{"strict-dynamic-in-default-src", "webkit", mk("strict-default-scheme", "http://example.com:8080", []corpus.PolicyInput{hdr("default-src http: 'STRICT-DYNAMIC'")}, "image", "http://example.org/x.gif"), "blocked"},
}

// TestRules: each rule, on its own cases, turns the model's verdict into
// its engine's, names itself among the rules that changed the case, and
// decides the verdict (without it the dialect gives the model's); every
// rule of the package has a case.
func TestRules(t *testing.T) {
	covered := map[string]bool{}
	for _, tc := range ruleCases {
		covered[tc.rule] = true
		d, ok := Get(tc.dialect)
		if !ok || !d.Has(tc.rule) {
			t.Fatalf("%s: the %s dialect does not hold the rule", tc.rule, tc.dialect)
		}
		m := corpus.RunModel(tc.c, nil)
		if m.Verdict == tc.want {
			t.Errorf("%s (%s): the model already says %s", tc.rule, tc.c.ID, tc.want)
			continue
		}
		got, ids := d.Decide(tc.c, nil)
		if got.Verdict != tc.want || !slices.Contains(ids, tc.rule) {
			t.Errorf("%s.Decide(%s) = %s by %v, want %s by a list holding %s", d.Name, tc.c.ID, got.Verdict, ids, tc.want, tc.rule)
		}
		if without, _ := d.Without(tc.rule).Decide(tc.c, nil); without.Verdict != m.Verdict {
			t.Errorf("%s without %s decides %s as %s, the model %s", d.Name, tc.rule, tc.c.ID, without.Verdict, m.Verdict)
		}
	}
	// A window's sandbox check is allowed whatever its flags: the rule
	// that combines them is seen in the flags.
	covered["sandbox-flags-accumulate"] = true
	sandboxes := func(values ...string) corpus.Case {
		c := corpus.Case{ID: "sandboxes", CheckType: corpus.CheckSandbox, SelfOrigin: "https://example.com"}
		for _, v := range values {
			c.Policies = append(c.Policies, hdr(v))
		}
		return c
	}
	scripts := "sandboxed scripts browsing context flag"
	for _, tc := range []struct {
		c       corpus.Case
		rule    bool // whether the rule changes the case
		blocked bool // whether scripts are sandboxed
	}{
		{sandboxes("sandbox allow-popups", "sandbox allow-scripts"), true, true},
		{sandboxes("sandbox allow-scripts", "sandbox allow-scripts allow-popups"), true, false},
		{sandboxes("sandbox allow-scripts allow-popups", "sandbox allow-popups allow-scripts"), false, false},
		{sandboxes("sandbox allow-popups"), false, true},
	} {
		got, ids := WebKit.Decide(tc.c, nil)
		if slices.Contains(ids, "sandbox-flags-accumulate") != tc.rule || slices.Contains(got.SandboxFlags, scripts) != tc.blocked {
			t.Errorf("webkit.Decide(%v): flags %v by %v; want the rule %v, scripts sandboxed %v", tc.c.Policies, got.SandboxFlags, ids, tc.rule, tc.blocked)
		}
	}
	if m := corpus.RunModel(sandboxes("sandbox allow-popups", "sandbox allow-scripts"), nil); slices.Contains(m.SandboxFlags, scripts) {
		t.Errorf("the model already sandboxes scripts under allow-popups then allow-scripts: %v", m.SandboxFlags)
	}
	for _, r := range Rules() {
		if !covered[r.ID] {
			t.Errorf("rule %s has no case in ruleCases", r.ID)
		}
	}
}

// TestRulesApplyOnlyWhenTheySay: the edges of the rules' conditions, on
// which they must not change the verdict.
func TestRulesApplyOnlyWhenTheySay(t *testing.T) {
	for _, tc := range []struct {
		why, dialect string
		c            corpus.Case
		want         string
	}{
		{"A path-part that starts with // does not match the path without its empty segment", "chromium",
			mk("double-slash-exact", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org//api")}, "fetch", "http://example.org/api"), "blocked"},
		{"A path-part that starts with // does not match a first segment of %2F", "webkit",
			mk("double-slash-encoded", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org//api")}, "fetch", "http://example.org/%2F/api"), "blocked"},
		{"A first segment of %2F matches no path-part starting with // but one starting with ///", "chromium",
			mk("double-slash-encoded-dir", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org//")}, "fetch", "http://example.org/%2f/x"), "allowed"},
		{"/// is a directory of two empty segments: //x is not in it", "webkit",
			mk("triple-slash", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org///")}, "fetch", "http://example.org//x"), "blocked"},
		{"A //-path read decodes the rest of the path: //%2F is ///", "chromium",
			mk("double-slash-decoded", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org//%2F")}, "fetch", "http://example.org///"), "allowed"},
		{"Firefox refuses the path-part //api as written", "firefox",
			mk("double-slash-firefox", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org//api")}, "fetch", "http://example.org//api"), "blocked"},
		{"/%2F/ is /// once decoded, a directory of two empty segments: ///x is in it", "chromium",
			mk("double-slash-url-only", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org/%2F/")}, "fetch", "http://example.org///x"), "allowed"},
		{"WebKit's sandboxed img-src matches a host-source without a scheme", "webkit",
			mk("sandboxed-image-schemeless", "https://example.com", []corpus.PolicyInput{hdr("sandbox allow-scripts; default-src example.com")}, "image", "https://example.com/a.gif"), "allowed"},
		{"WebKit's sandboxed base-uri matches a host-source without a scheme", "webkit", corpus.Case{ID: "sandboxed-base-schemeless",
			CheckType: corpus.CheckBase, SelfOrigin: "https://example.com", Policies: []corpus.PolicyInput{hdr("sandbox allow-scripts; base-uri example.com")}, BaseURL: "https://example.com/"}, "allowed"},
		{"WebKit's sandboxed connect-src still matches 'self'", "webkit",
			mk("sandboxed-fetch-self", "https://example.com", []corpus.PolicyInput{hdr("sandbox allow-scripts; connect-src 'self'")}, "fetch", "https://example.com/"), "allowed"},
		{"WebKit's sandboxed connect-src still matches a host-source with a scheme", "webkit",
			mk("sandboxed-fetch-host", "https://example.com", []corpus.PolicyInput{hdr("sandbox allow-scripts; connect-src https://example.com")}, "fetch", "https://example.com/"), "allowed"},
		{"WebKit's sandboxed connect-src still matches a lone *", "webkit",
			mk("sandboxed-fetch-star", "https://example.com", []corpus.PolicyInput{hdr("sandbox allow-scripts; connect-src *")}, "eventsource", "https://evil.example/"), "allowed"},
		{"WebKit's connect-src matches a source without a scheme in a document not sandboxed", "webkit",
			mk("fetch-schemeless", "https://example.com", []corpus.PolicyInput{hdr("connect-src example.com")}, "fetch", "https://example.com/"), "allowed"},
		{"allow-same-origin leaves WebKit's connect-src as the spec's", "webkit",
			mk("fetch-schemeless-same-origin", "https://example.com", []corpus.PolicyInput{hdr("sandbox allow-scripts allow-same-origin; connect-src example.com")}, "fetch", "https://example.com/"), "allowed"},
		{"a report-only sandbox leaves WebKit's connect-src as the spec's", "webkit",
			mk("fetch-schemeless-report-only", "https://example.com", []corpus.PolicyInput{{Value: "sandbox", Disposition: "report", Source: "header"}, hdr("connect-src example.com")}, "fetch", "https://example.com/"), "allowed"},
		{"a <meta> sandbox leaves WebKit's connect-src as the spec's", "webkit",
			mk("fetch-schemeless-meta", "https://example.com", []corpus.PolicyInput{meta("sandbox; connect-src example.com")}, "fetch", "https://example.com/"), "allowed"},
		{"Chromium's sandboxed 'self' is its URL's origin, as the spec says", "chromium",
			mk("sandboxed-fetch-self-other", "https://example.com", []corpus.PolicyInput{hdr("sandbox allow-scripts; connect-src 'self'")}, "fetch", "https://evil.example/"), "blocked"},
		{"Firefox's sandboxed connect-src matches a source without a scheme, as the spec says", "firefox",
			mk("sandboxed-fetch-schemeless-firefox", "https://example.com", []corpus.PolicyInput{hdr("sandbox allow-scripts; connect-src example.com")}, "fetch", "https://example.com/"), "allowed"},
		{"Firefox's opaque ancestor is matched by * only, not by the host of its document", "firefox", func() corpus.Case {
			c := checkCase("framed-by-sandbox-host", corpus.CheckNavigationResponse, hdr("frame-ancestors https://example.com"))
			c.SelfOrigin, c.Navigation.Ancestors = "null", []string{"null"}
			return c
		}(), "blocked"},
		{"Firefox's * beside a policy without it does not frame an opaque ancestor", "firefox", func() corpus.Case {
			c := checkCase("framed-by-sandbox-two", corpus.CheckNavigationResponse, hdr("frame-ancestors *"))
			c.Navigation.Response.Policies = append(c.Navigation.Response.Policies, hdr("frame-ancestors https://example.com"))
			c.SelfOrigin, c.Navigation.Ancestors = "null", []string{"null"}
			return c
		}(), "blocked"},
		{"'trusted-types-eval' needs enforced Trusted Types in Chromium", "chromium",
			corpus.Case{ID: "tte-report-only", CheckType: corpus.CheckEval, SelfOrigin: "https://example.com", Policies: []corpus.PolicyInput{
				{Value: "require-trusted-types-for 'script'", Disposition: "report", Source: "header"}, hdr("script-src 'trusted-types-eval'")},
				Eval: &corpus.EvalInput{Type: "EVAL", Code: "alert(1)"}}, "blocked"},
		{"Chromium's 'trusted-types-eval' does not let the Function constructor through", "chromium",
			corpus.Case{ID: "tte-function", CheckType: corpus.CheckEval, SelfOrigin: "https://example.com", Policies: []corpus.PolicyInput{
				hdr("script-src 'trusted-types-eval'; require-trusted-types-for 'script'")},
				Eval: &corpus.EvalInput{Type: "FUNCTION", Code: "function anonymous(\n) {\nalert(1)\n}", Body: func() *string { b := "alert(1)"; return &b }()}}, "blocked"},
		{"Chromium's 'trusted-types-eval' takes eval() only: a string timer still goes to Trusted Types (rule order)", "chromium",
			corpus.Case{ID: "tte-timer", CheckType: corpus.CheckEval, SelfOrigin: "https://example.com", Policies: []corpus.PolicyInput{
				hdr("script-src 'self' 'trusted-types-eval'; require-trusted-types-for 'script'")},
				Eval: &corpus.EvalInput{Type: "TIMER", Code: "alert(1)"}}, "blocked"},
		{"WebKit's default-src * does not match data: images", "webkit",
			mk("default-star-data", "https://example.com", []corpus.PolicyInput{hdr("default-src *")}, "image", "data:image/gif;base64,R0lGODlhAQABAIAAAAAAAP///yH5BAEAAAAALAAAAAABAAEAAAICRAEAOw=="), "blocked"},
		{"WebKit's img-src * does not match blob: images", "webkit",
			mk("star-blob", "https://example.com", []corpus.PolicyInput{hdr("img-src *")}, "image", "blob:https://example.com/7a1f3c52-1b4e-4d0c-9a43-2f6f1c8e9d10"), "blocked"},
		{"Chromium's 80 to 443 needs an upgrade: http://…:443 stays blocked", "chromium",
			mk("80-no-upgrade", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org:80")}, "fetch", "http://example.org:443/"), "blocked"},
		{"Chromium's 'self' does not match http://…:443", "chromium",
			mk("self-no-443", "http://example.com", []corpus.PolicyInput{hdr("connect-src 'self'")}, "fetch", "http://example.com:443/"), "blocked"},
		{"WebKit's 'self' does not match https://…:80", "webkit",
			mk("self-no-80", "http://example.com", []corpus.PolicyInput{hdr("connect-src 'self'")}, "fetch", "https://example.com:80/"), "blocked"},
		{"WebKit keeps ws scheme-parts for fetch()", "webkit",
			mk("ws-fetch", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src ws:")}, "fetch", "http://example.org/"), "allowed"},
		{"WebKit's missing port is 443 only after http, not ws", "webkit",
			mk("ws-missing", "https://example.com", []corpus.PolicyInput{hdr("connect-src ws://example.org")}, "fetch", "http://example.org:443/"), "blocked"},
		{"WebKit's missing port is 443 only after a written scheme", "webkit",
			mk("schemeless-missing", "http://localhost:8080", []corpus.PolicyInput{meta("connect-src localhost/")}, "eventsource", "http://localhost:443/"), "blocked"},
		{"ws scheme-parts still match WebSockets in Chromium", "chromium",
			mk("ws-ws", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src ws:")}, "websocket", "wss://example.org/"), "allowed"},
		{"upgrade-needs-default-port spares a wildcard port", "chromium",
			mk("upgrade-star", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org:*")}, "fetch", "https://example.org:8443/"), "allowed"},
		{"upgrade-needs-default-port spares a source with no port", "chromium",
			mk("upgrade-none", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org")}, "fetch", "https://example.org/"), "allowed"},
		{"a <meta> comma is split only for an enforced <meta>", "chromium",
			mk("header-comma", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src 'none', connect-src 'self'")}, "fetch", "http://example.com:8080/x"), "blocked"},
		{"Firefox keeps a <meta> policy whole", "firefox",
			mk("meta-whole", "http://example.com:8080", []corpus.PolicyInput{meta("connect-src 'none', connect-src 'self'")}, "fetch", "http://example.com:8080/x"), "allowed"},
		{"an IPv6 address stays unnameable by a host-part", "firefox",
			mk("ipv6", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://[::1]:8080")}, "fetch", "http://[::1]:8080/"), "blocked"},
		{"Chromium checks each URL of a redirect chain against the sources as they match it", "chromium",
			mk("upgrade-per-hop", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src http://example.org:8443 https://example.org")}, "fetch", "http://example.org:8443/a", "https://example.org/b"), "allowed"},
		{"Firefox keeps * before a port and a path", "firefox",
			mk("star-port-path", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src wss://*:8080/api/")}, "websocket", "wss://example.com:8080/api/x"), "allowed"},
		{"WebKit keeps http://*:8080", "webkit",
			mk("star-scheme-port", "http://example.com:8080", []corpus.PolicyInput{hdr("img-src http://*:8080")}, "image", "https://example.org:8080/b"), "allowed"},
		{"WebKit keeps a lone * beside 'strict-dynamic' in default-src", "webkit",
			mk("strict-star", "http://example.com:8080", []corpus.PolicyInput{hdr("default-src 'strict-dynamic' *")}, "fetch", "http://example.org/"), "allowed"},
		{"WebKit keeps 'self' beside 'strict-dynamic' in connect-src", "webkit",
			mk("strict-connect", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src 'strict-dynamic' 'self'")}, "fetch", "http://example.com:8080/x"), "allowed"},
		{"WebKit's connect-src under a default-src with 'strict-dynamic' is its own", "webkit",
			mk("strict-own", "http://example.com:8080", []corpus.PolicyInput{hdr("default-src 'strict-dynamic' 'self'; connect-src 'self'")}, "fetch", "http://example.com:8080/x"), "allowed"},
		{"a blob: URL is still matched by the blob: scheme-source", "chromium",
			mk("blob-scheme", "https://example.com", []corpus.PolicyInput{hdr("connect-src blob:")}, "fetch", "blob:https://example.com/7a1f3c52-1b4e-4d0c-9a43-2f6f1c8e9d10"), "allowed"},
		{"an unpadded hash of other text still matches nothing", "chromium",
			checkCase("unpadded-other", corpus.CheckInline, hdr("script-src 'sha256-jzgBGA4UWFFmpOBq0JpdsySukE1FrEN5bUpoK8Z29fX'")), "blocked"},
		{"WebKit still lets a policy decide eval()", "webkit",
			func() corpus.Case {
				c := checkCase("eval", corpus.CheckEval, hdr("script-src 'self'"))
				c.Eval = &corpus.EvalInput{Type: "EVAL", Code: "1+1"}
				return c
			}(), "blocked"},
		{"Firefox still checks a form's action URL", "firefox",
			func() corpus.Case {
				c := checkCase("form-direct", corpus.CheckNavigationRequest, hdr("form-action 'self'"))
				c.Navigation.URLList = []string{"https://evil.example/landing"}
				return c
			}(), "blocked"},
		{"Firefox still matches a frame-ancestors source's host", "firefox",
			checkCase("framed-other-host", corpus.CheckNavigationResponse, hdr("frame-ancestors https://other.example/path")), "blocked"},
		{"Firefox's opaque ancestor is still not another origin's", "firefox",
			func() corpus.Case {
				c := checkCase("sandbox-other", corpus.CheckNavigationResponse, hdr("frame-ancestors https://other.example"))
				c.SelfOrigin, c.Navigation.Ancestors = "null", []string{"null"}
				return c
			}(), "blocked"},
		{"'self' on an IP-address page still matches its own origin only", "chromium",
			mk("ip-self", "http://127.0.0.1:8080", []corpus.PolicyInput{hdr("connect-src 'self'")}, "fetch", "http://localhost:8080/"), "blocked"},
	} {
		d, _ := Get(tc.dialect)
		if got, ids := d.Decide(tc.c, nil); got.Verdict != tc.want {
			t.Errorf("%s: %s.Decide(%s) = %s by %v, want %s", tc.why, d.Name, tc.c.ID, got.Verdict, ids, tc.want)
		}
	}
}

func TestNamesAndGet(t *testing.T) {
	if got := Names(); !slices.Equal(got, []string{"chromium", "firefox", "webkit"}) {
		t.Errorf("Names() = %v", got)
	}
	seen := map[string]bool{}
	for _, r := range Rules() {
		if seen[r.ID] {
			t.Errorf("rule %s listed twice", r.ID)
		}
		seen[r.ID] = true
		if r.ID == "" || r.Title == "" || r.Applies == "" || r.Effect == "" || r.Explanation == "" || !strings.HasPrefix(r.Spec, specBase) {
			t.Errorf("rule %q needs an id, a title, its applicability, its effect, an explanation and a spec link", r.ID)
		}
		if r.Kind != KindBrowser && r.Kind != KindAmbiguity {
			t.Errorf("rule %s: kind %q", r.ID, r.Kind)
		}
		if got, ok := RuleByID(r.ID); !ok || got != r {
			t.Errorf("RuleByID(%s) = %v, %v", r.ID, got, ok)
		}
	}
	for _, name := range Names() {
		d, ok := Get(name)
		if !ok || d.Name != name || d.FittedOn == "" || len(d.Rules) == 0 {
			t.Errorf("Get(%q) = %+v, %v", name, d, ok)
			continue
		}
		for _, r := range d.Rules {
			if !seen[r.ID] {
				t.Errorf("%s holds rule %s, which Rules() does not list", name, r.ID)
			}
		}
	}
	if _, ok := Get("spec"); ok {
		t.Error(`Get("spec") found a dialect`)
	}
}

// TestDecideTellsViolationsAsGiven: a violation names the delivery and
// policy text of the case as given, and the blocked URI as the page wrote
// it, whatever the rules did to the case.
func TestDecideTellsViolationsAsGiven(t *testing.T) {
	c := mk("told", "http://127.0.0.1:8080", []corpus.PolicyInput{
		hdr("img-src *"),
		meta("connect-src 'self', connect-src http://127.0.0.1:9"),
	}, "fetch", "http://127.0.0.2/x")
	res, _ := Chromium.Decide(c, nil)
	if res.Verdict != "blocked" || len(res.Violations) == 0 {
		t.Fatalf("Decide = %+v, want blocked with violations", res)
	}
	for _, v := range res.Violations {
		if v.Policy != 1 || v.BlockedURI != "http://127.0.0.2/x" {
			t.Errorf("violation %+v: want policy 1 and blocked URI http://127.0.0.2/x", v)
		}
		if !strings.Contains(c.Policies[1].Value, strings.TrimSpace(v.OriginalPolicy)) {
			t.Errorf("violation names policy %q, which is not part of %q", v.OriginalPolicy, c.Policies[1].Value)
		}
	}
	ws := mk("ws", "http://example.com:8080", []corpus.PolicyInput{hdr("connect-src 'none'")}, "websocket", "https://example.org/chat")
	res, _ = Firefox.Decide(ws, nil)
	if len(res.Violations) == 0 || res.Violations[0].BlockedURI != "wss://example.org/chat" {
		t.Errorf("a WebSocket's violation: %+v, want blocked URI wss://example.org/chat", res.Violations)
	}
}

// TestDecideTrace: the trace names the dialect and each rule that changed
// the case before the model's steps.
func TestDecideTrace(t *testing.T) {
	c := mk("traced", "http://example.com", []corpus.PolicyInput{hdr("connect-src 'self'")}, "fetch", "https://example.com:80/")
	var tr model.Trace
	res, ids := Chromium.Decide(c, &tr)
	if res.Verdict != "allowed" || !slices.Contains(ids, "self-compares-port-numbers") {
		t.Fatalf("Decide = %s by %v", res.Verdict, ids)
	}
	out := tr.String()
	first := strings.Index(out, "#dialect:chromium")
	rule := strings.Index(out, "self-compares-port-numbers: connect-src 'self' also matches as http://example.com:80")
	steps := strings.Index(out, "#match-url-to-source-expression")
	if first != 0 || rule < 0 || steps < rule {
		t.Errorf("trace:\n%s", out)
	}
	if res2, _ := Chromium.Decide(c, nil); res2.Verdict != res.Verdict {
		t.Errorf("without a trace: %s", res2.Verdict)
	}
}

// TestDecideErrors: a case the model refuses is refused with the model's
// error and no verdict, which is never allowed.
func TestDecideErrors(t *testing.T) {
	for _, c := range []corpus.Case{
		mk("bad-url", "http://example.com", []corpus.PolicyInput{hdr("connect-src *")}, "fetch", "http://[/"),
		mk("bad-origin", "::", []corpus.PolicyInput{hdr("connect-src *")}, "fetch", "http://example.com/"),
		mk("ws-redirect", "http://example.com", []corpus.PolicyInput{hdr("connect-src *")}, "websocket", "ws://example.com/", "ws://example.org/"),
		mk("ws-fragment", "http://example.com", []corpus.PolicyInput{hdr("connect-src *")}, "websocket", "ws://example.com/#x"),
		{ID: "no-kind", SelfOrigin: "http://example.com", Request: corpus.RequestInput{URLList: []string{"http://example.com/"}}},
	} {
		m := corpus.RunModel(c, nil)
		for _, d := range []*Dialect{Chromium, Firefox, WebKit} {
			res, _ := d.Decide(c, nil)
			if res.Error == "" || res.Verdict != "" || res.Error != m.Error {
				t.Errorf("%s.Decide(%s) = %+v, want the model's error %q and no verdict", d.Name, c.ID, res, m.Error)
			}
		}
	}
}

// TestDecideIsTotal: every dialect decides the corpus, the property
// generators' cases and odd strings without panicking, and twice alike;
// where the model gives a verdict, so does each dialect.
func TestDecideIsTotal(t *testing.T) {
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range differential.Generate(7, 1500) {
		cases = append(cases, r.Build(fmt.Sprintf("generated/%d", i)))
	}
	odd := []string{"", ",", ";", "'self'", "*", "http://127.0.0.1:080/p%2F?q#f", "ws://[::1]", "HTTP://EXAMPLE.COM.:80/",
		"\x00", "%2F", "http://a/?", "'self', *", "example.com:99999999999999999999", "https://xn--/", "\xff"}
	for _, s := range odd {
		for _, kind := range []string{"fetch", "websocket", "ping"} {
			cases = append(cases,
				mk("odd", "http://example.com", []corpus.PolicyInput{hdr("connect-src " + s), meta(s)}, kind, "http://example.com/"),
				mk("odd-url", "http://127.0.0.1", []corpus.PolicyInput{hdr("default-src " + s)}, kind, "http://127.0.0.1:80/"+s),
				mk("odd-origin", s, []corpus.PolicyInput{hdr(s)}, kind, s))
		}
	}
	for _, c := range cases {
		m := corpus.RunModel(c, nil)
		for _, d := range []*Dialect{Chromium, Firefox, WebKit} {
			a, ids := d.Decide(c, nil)
			b, _ := d.Decide(c, nil)
			if a.Verdict != b.Verdict {
				t.Errorf("%s.Decide(%s) gives %s, then %s", d.Name, c.ID, a.Verdict, b.Verdict)
			}
			if !d.Covers(c.CheckName()) {
				if a.Unsupported == "" || a.Verdict != "" {
					t.Errorf("%s.Decide(%s), a %s check: %+v, want unsupported", d.Name, c.ID, c.CheckName(), a)
				}
				continue
			}
			if a.Unsupported != "" {
				t.Errorf("%s.Decide(%s), a %s check it covers: unsupported (%s)", d.Name, c.ID, c.CheckName(), a.Unsupported)
			}
			if (m.Error == "") != (a.Error == "") {
				t.Errorf("%s.Decide(%s): error %q, the model's %q", d.Name, c.ID, a.Error, m.Error)
			}
			if a.Error == "" && a.Verdict != "allowed" && a.Verdict != "blocked" {
				t.Errorf("%s.Decide(%s): verdict %q", d.Name, c.ID, a.Verdict)
			}
			for _, id := range ids {
				if !d.Has(id) {
					t.Errorf("%s.Decide(%s) names rule %s, not its own", d.Name, c.ID, id)
				}
			}
		}
	}
}

// TestDecideHopsIsDecide: checked hop by hop against the same list for
// every URL, a redirected request gets model.Decide's decision, violations
// and all.
func TestDecideHopsIsDecide(t *testing.T) {
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	for i, r := range differential.Generate(11, 3000) {
		cases = append(cases, r.Build(fmt.Sprintf("generated/%d", i)))
	}
	tried := 0
	for _, c := range cases {
		in, err := c.Build()
		if err != nil || len(in.Request.URLList) < 2 || in.Request.Mode == "websocket" {
			continue
		}
		tried++
		list := model.NewCSPList(in.Deliveries, in.SelfOrigin, nil)
		want, err := model.Decide(list, in.Request, nil)
		if err != nil {
			continue
		}
		lists := make([]model.CSPList, len(in.Request.URLList))
		for i := range lists {
			lists[i] = list
		}
		got, err := decideHops(lists, in.Request, nil)
		if err != nil {
			t.Fatalf("%s: %v", c.ID, err)
		}
		if g, w := corpus.FromDecision(c.ID, got), corpus.FromDecision(c.ID, want); fmt.Sprint(g) != fmt.Sprint(w) {
			t.Errorf("%s: hop by hop %v, model.Decide %v", c.ID, g, w)
		}
	}
	if tried < 200 {
		t.Errorf("only %d redirected cases", tried)
	}
	if _, err := decideHops(nil, model.Request{}, nil); err == nil {
		t.Error("decideHops on no URL gave no error")
	}
}

// TestDoubleSlashRuleHasItsReadings: path-may-start-with-double-slash reads
// a path as path-decoded-whole and source-query-ignored read every other
// source (its emptySegment is sound only where every other %2F is
// decoded), so a dialect holding it must hold both.
func TestDoubleSlashRuleHasItsReadings(t *testing.T) {
	for _, name := range Names() {
		d, _ := Get(name)
		if !d.Has("path-may-start-with-double-slash") {
			continue
		}
		for _, need := range []string{"path-decoded-whole", "source-query-ignored"} {
			if !d.Has(need) {
				t.Errorf("the %s dialect holds path-may-start-with-double-slash but not %s", name, need)
			}
		}
	}
}
