package model

import (
	"errors"
	"strings"
	"testing"
)

func TestShouldBlockInline(t *testing.T) {
	long := strings.Repeat("a", 39) + "😀" + "tail" // the 40th code unit starts a surrogate pair
	tests := []struct {
		name     string
		policies []string
		element  *Element
		typ      string
		source   string
		want     Verdict
		vios     []vio
	}{
		{"no policy (2, 4)", nil, script(), InlineScript, "x", Allowed, nil},
		{"no script directive (3.1.1)", []string{"img-src 'none'"}, script(), InlineScript, "x", Allowed, nil},
		{"default-src 'self' blocks inline script (3.1.3-3.1.8)", []string{"default-src 'self'"}, script(), InlineScript, "x", Blocked,
			[]vio{{"default-src", "script-src-elem", "inline", "enforce", "", "inline", "element"}}},
		{"script-src-attr names the event handler directive (3.1.2)", []string{"script-src 'self'"}, script(), InlineScriptAttribute, "x", Blocked,
			[]vio{{"script-src", "script-src-attr", "inline", "enforce", "", "inline", "element"}}},
		{"style attribute (3.1.2)", []string{"style-src 'self'"}, &Element{LocalName: "div"}, InlineStyleAttribute, "color:red", Blocked,
			[]vio{{"style-src", "style-src-attr", "inline", "enforce", "", "inline", "element"}}},
		{"report-only reports and allows (3.1.8)", []string{"report:script-src 'none'"}, script(), InlineScript, "x", Allowed,
			[]vio{{"script-src", "script-src-elem", "inline", "report", "", "inline", "element"}}},
		{"report-sample gives a sample (3.1.6)", []string{"script-src 'report-sample'"}, script(), InlineScript, "alert(1)", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "alert(1)", "inline", "element"}}},
		{"REPORT-SAMPLE in any case (3.1.6)", []string{"script-src 'REPORT-SAMPLE'"}, script(), InlineScript, "alert(1)", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "alert(1)", "inline", "element"}}},
		{"the sample is cut to 40 characters (3.1.6)", []string{"style-src 'report-sample'"}, &Element{LocalName: "style"}, InlineStyle, strings.Repeat("b", 50), Blocked,
			[]vio{{"style-src", "style-src-elem", "inline", "enforce", strings.Repeat("b", 40), "inline", "element"}}},
		{"a surrogate pair is not split: A16 (3.1.6)", []string{"script-src 'report-sample'"}, script(), InlineScript, long, Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", strings.Repeat("a", 39) + "😀", "inline", "element"}}},
		{"the sample comes from the violated directive's list (3.1.6)", []string{"default-src 'report-sample'; script-src 'none'"}, script(), InlineScript, "x", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "inline", "element"}}},
		{"each policy reports (3)", []string{"script-src 'none'", "report:default-src 'none'", "script-src 'unsafe-inline'"}, script(), InlineScript, "x", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "inline", "element"}, {"default-src", "script-src-elem", "inline", "report", "", "inline", "element"}}},
		{"a disconnected element's event goes to the document (report-violation 3.1)", []string{"script-src 'none'"}, &Element{LocalName: "script", Disconnected: true}, InlineScript, "x", Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "inline", "document"}}},
		{"nonce allows (3.1.1)", []string{"script-src 'nonce-abc'"}, script("nonce", "abc"), InlineScript, "x", Allowed, nil},
		{"two directives, one allowing (3.1)", []string{"script-src 'unsafe-inline'; script-src-elem 'none'"}, script(), InlineScript, "x", Blocked,
			[]vio{{"script-src-elem", "script-src-elem", "inline", "enforce", "", "inline", "element"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr Trace
			d, err := DecideInline(env(tt.policies...), *tt.element, tt.typ, tt.source, &tr)
			if err != nil {
				t.Fatalf("DecideInline: %v", err)
			}
			if d.Verdict != tt.want || !sameVios(vios(d), tt.vios) {
				t.Errorf("DecideInline(%q, %q, %q) = %v %+v, want %v %+v\n%s", tt.policies, tt.typ, tt.source, d.Verdict, vios(d), tt.want, tt.vios, tr.String())
			}
			for _, v := range d.Violations {
				if v.Element == nil || v.Element.LocalName != tt.element.LocalName || v.Resource.Text != ResourceInline {
					t.Errorf("violation element %v, resource %v; want the element and \"inline\"", v.Element, v.Resource)
				}
			}
		})
	}
}

func TestShouldBlockInlineAssertions(t *testing.T) {
	if got := ShouldBlockInline(nil, InlineScript, "x", nil); got != Blocked {
		t.Errorf("ShouldBlockInline(nil) = %v, want Blocked", got)
	}
	if got := ShouldBlockInline(script(), InlineScript, "x", nil); got != Blocked {
		t.Errorf("ShouldBlockInline of an element without a document = %v, want Blocked", got)
	}
	orphan := &Element{LocalName: "script", Document: &Document{Global: &GlobalObject{}}}
	if got := ShouldBlockInline(orphan, InlineScript, "x", nil); got != Blocked {
		t.Errorf("ShouldBlockInline in a global object without a CSP list = %v, want Blocked", got)
	}
}

func TestGetCSPOfObject(t *testing.T) {
	list := &PolicyContainer{CSPList: env("script-src 'none'").CSPList}
	for name, tt := range map[string]struct {
		object CSPObject
		want   *CSPList
	}{
		"Document (1)":           {&Document{PolicyContainer: list}, &list.CSPList},
		"Document, no container": {&Document{}, nil},
		"Window (2)":             {&GlobalObject{PolicyContainer: list}, &list.CSPList},
		"worker (2)":             {&GlobalObject{Kind: WorkerGlobal, PolicyContainer: list}, &list.CSPList},
		"worklet (2)":            {&GlobalObject{Kind: WorkletGlobal, PolicyContainer: list}, &list.CSPList},
		"another global (3)":     {&GlobalObject{Kind: 7, PolicyContainer: list}, nil},
		"nil global (3)":         {(*GlobalObject)(nil), nil},
	} {
		if got := GetCSPOfObject(tt.object, nil); got != tt.want {
			t.Errorf("%s: GetCSPOfObject = %p, want %p", name, got, tt.want)
		}
	}
}

func TestRunDocumentCSPInitialization(t *testing.T) {
	for _, p := range []string{"sandbox", "sandbox allow-scripts; script-src 'none'", "report:sandbox"} {
		document, _ := newDocument(env(p))
		if err := RunDocumentCSPInitialization(document, nil); err != nil {
			t.Errorf("%q: %v", p, err)
		}
		// The trace shows each directive's initialization run (the
		// sandbox's returns at its step 1 for a document) and step 1.1.1's
		// assertion holding.
		var tr Trace
		if err := RunDocumentCSPInitialization(document, &tr); err != nil {
			t.Fatalf("%q, traced: %v", p, err)
		}
		var init, asserted bool
		for _, s := range tr.Steps {
			init = init || s.Anchor == "sandbox-init" && s.Step == "1"
			asserted = asserted || s.Anchor == "run-document-csp-initialization" && s.Step == "1.1.1"
		}
		if !init || !asserted {
			t.Errorf("%q: the trace shows the sandbox's initialization %v, step 1.1.1 %v, want both:\n%s", p, init, asserted, tr.String())
		}
	}
	if err := RunDocumentCSPInitialization(&Document{}, nil); err != nil {
		t.Errorf("no policy container: %v", err)
	}
	// A document whose policy container is a worker's would have its
	// sandbox initialization block: the assertion of step 1.1.1 reports it.
	e := env("sandbox")
	worker := e.NewGlobalObject()
	worker.Kind = WorkerGlobal
	if got := Initialization(Directive{Name: "sandbox"}, worker, &e.CSPList.Policies[0], nil); got != Blocked {
		t.Fatalf("sandbox initialization of a worker = %v, want Blocked", got)
	}
}

func TestRunGlobalObjectCSPInitialization(t *testing.T) {
	tests := []struct {
		policies []string
		kind     GlobalKind
		want     Verdict
	}{
		{nil, WorkerGlobal, Allowed},                                   // 3
		{[]string{"sandbox"}, WorkerGlobal, Blocked},                   // 2.1.1
		{[]string{"sandbox allow-scripts"}, WorkerGlobal, Blocked},     // 2.1.1: origin still sandboxed
		{[]string{"sandbox allow-same-origin"}, WorkerGlobal, Blocked}, // 2.1.1: scripts still sandboxed
		{[]string{"sandbox allow-scripts allow-same-origin"}, WorkerGlobal, Allowed},
		{[]string{"sandbox ALLOW-SCRIPTS Allow-Same-Origin"}, WorkerGlobal, Allowed}, // A22
		{[]string{"report:sandbox"}, WorkerGlobal, Allowed},                          // sandbox-init 1
		{[]string{"sandbox"}, WorkletGlobal, Allowed},                                // sandbox-init 1: not a WorkerGlobalScope
		{[]string{"sandbox"}, WindowGlobal, Allowed},                                 // sandbox-init 1
		{[]string{"script-src 'none'", "sandbox allow-forms"}, WorkerGlobal, Blocked},
	}
	for _, tt := range tests {
		e := env(tt.policies...)
		e.Kind = tt.kind
		global := e.NewGlobalObject()
		if got := RunGlobalObjectCSPInitialization(global, nil); got != tt.want {
			t.Errorf("RunGlobalObjectCSPInitialization(%s under %q) = %v, want %v", tt.kind, tt.policies, got, tt.want)
		}
		if len(global.Reported) != 0 {
			t.Errorf("%q: the initialization reported %d violations; sandbox has no reporting", tt.policies, len(global.Reported))
		}
	}
	if got := RunGlobalObjectCSPInitialization(&GlobalObject{Kind: WorkerGlobal}, nil); got != Blocked {
		t.Errorf("a global object without a CSP list: %v, want Blocked", got)
	}
}

func TestShouldBlockNavigationRequest(t *testing.T) {
	tests := []struct {
		name     string
		policies []string
		urls     []string
		typ      string
		want     Verdict
		vios     []vio
	}{
		{"no policy (5)", nil, []string{"https://other.example/"}, NavigationFormSubmission, Allowed, nil},
		{"form-action allows a match (3.1.1)", []string{"form-action 'self'"}, []string{"https://example.com/submit"}, NavigationFormSubmission, Allowed, nil},
		{"form-action blocks another origin (3.1.2-3.1.5)", []string{"form-action 'self'"}, []string{"https://other.example/submit#f"}, NavigationFormSubmission, Blocked,
			[]vio{{"form-action", "form-action", "https://other.example/submit", "enforce", "", "navigation-request", "document"}}},
		{"form-action ignores other navigations (form-action 2)", []string{"form-action 'none'"}, []string{"https://other.example/"}, NavigationOther, Allowed, nil},
		{"form-action does not fall back to default-src", []string{"default-src 'none'"}, []string{"https://other.example/"}, NavigationFormSubmission, Allowed, nil},
		{"report-only form-action (3.1.5)", []string{"report:form-action 'none'"}, []string{"https://other.example/"}, NavigationFormSubmission, Allowed,
			[]vio{{"form-action", "form-action", "https://other.example/", "report", "", "navigation-request", "document"}}},
		{"a redirect is checked at its target, reported with the first URL (3.1.3)", []string{"form-action https://example.com"}, []string{"https://example.com/a", "https://other.example/b"}, NavigationFormSubmission, Blocked,
			[]vio{{"form-action", "form-action", "https://example.com/a", "enforce", "", "navigation-request", "document"}}},
		{"javascript: without policy (4)", nil, []string{"javascript:go()"}, NavigationOther, Allowed, nil},
		{"javascript: under script-src 'self' (4.1.1.2-4.1.1.6)", []string{"script-src 'self'"}, []string{"javascript:go()"}, NavigationOther, Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "navigation-request", "document"}}},
		{"javascript: under default-src (4.1.1.1)", []string{"default-src 'none'"}, []string{"javascript:go()"}, NavigationOther, Blocked,
			[]vio{{"default-src", "script-src-elem", "inline", "enforce", "", "navigation-request", "document"}}},
		{"javascript: with unsafe-inline (4.1.1.2)", []string{"script-src 'unsafe-inline'"}, []string{"javascript:go()"}, NavigationOther, Allowed, nil},
		{"javascript: script-src-attr does not govern it (4.1.1.2)", []string{"script-src-attr 'none'"}, []string{"javascript:go()"}, NavigationOther, Allowed, nil},
		{"javascript: with unsafe-hashes and the URL's hash: A17", []string{"script-src 'unsafe-hashes' " + digest("sha256", "javascript:go()", false, false)}, []string{"javascript:go()"}, NavigationOther, Allowed, nil},
		{"javascript: the hash of the URL without its scheme does not match: A17", []string{"script-src 'unsafe-hashes' " + digest("sha256", "go()", false, false)}, []string{"javascript:go()"}, NavigationOther, Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "navigation-request", "document"}}},
		{"javascript: a nonce does not apply", []string{"script-src 'nonce-abc'"}, []string{"javascript:go()"}, NavigationOther, Blocked,
			[]vio{{"script-src", "script-src-elem", "inline", "enforce", "", "navigation-request", "document"}}},
		{"javascript: report-only (4.1.1.6)", []string{"report:script-src 'none'"}, []string{"javascript:go()"}, NavigationOther, Allowed,
			[]vio{{"script-src", "script-src-elem", "inline", "report", "", "navigation-request", "document"}}},
		{"javascript: form-action blocks first, no inline check (4)", []string{"form-action 'none'; script-src 'none'"}, []string{"javascript:go()"}, NavigationFormSubmission, Blocked,
			[]vio{{"form-action", "form-action", "javascript", "enforce", "", "navigation-request", "document"}}},
		{"javascript: a report-only form-action violation keeps the inline check (4)", []string{"report:form-action 'none'", "script-src 'none'"}, []string{"javascript:go()"}, NavigationFormSubmission, Blocked,
			[]vio{{"form-action", "form-action", "javascript", "report", "", "navigation-request", "document"}, {"script-src", "script-src-elem", "inline", "enforce", "", "navigation-request", "document"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tr Trace
			d, err := DecideNavigationRequest(env(tt.policies...), navRequest(t, tt.urls...), tt.typ, &tr)
			if err != nil {
				t.Fatalf("DecideNavigationRequest: %v", err)
			}
			if d.Verdict != tt.want || !sameVios(vios(d), tt.vios) {
				t.Errorf("DecideNavigationRequest(%q, %q, %q) = %v %+v, want %v %+v\n%s", tt.policies, tt.urls, tt.typ, d.Verdict, vios(d), tt.want, tt.vios, tr.String())
			}
		})
	}
}

func TestShouldBlockNavigationResponse(t *testing.T) {
	self := origin(t, "https://example.com")
	a, b := origin(t, "https://a.example"), origin(t, "https://b.example:8443")
	tests := []struct {
		name      string
		headers   string // the response's Content-Security-Policy
		reportRO  string // its Content-Security-Policy-Report-Only
		source    []string
		respURL   string
		ancestors []Origin
		want      Verdict
		vios      []vio
	}{
		{"top-level (frame-ancestors 4)", "frame-ancestors 'none'", "", nil, "https://framed.example/", nil, Allowed, nil},
		{"'none' in a frame (6.3)", "frame-ancestors 'none'", "", nil, "https://framed.example/", []Origin{a}, Blocked,
			[]vio{{"frame-ancestors", "frame-ancestors", "https://framed.example/", "enforce", "", "navigation-response", ""}}},
		{"'self' is the framed response's origin (6.3)", "frame-ancestors 'self'", "", nil, "https://framed.example/x", []Origin{origin(t, "https://framed.example")}, Allowed, nil},
		{"'self' does not mean the embedder's origin (6.3)", "frame-ancestors 'self'", "", nil, "https://framed.example/x", []Origin{self}, Blocked,
			[]vio{{"frame-ancestors", "frame-ancestors", "https://framed.example/x", "enforce", "", "navigation-response", ""}}},
		{"every ancestor must match (6)", "frame-ancestors https://a.example", "", nil, "https://framed.example/", []Origin{a, b}, Blocked,
			[]vio{{"frame-ancestors", "frame-ancestors", "https://framed.example/", "enforce", "", "navigation-response", ""}}},
		{"nested frames all allowed (7)", "frame-ancestors https://a.example https://b.example:8443", "", nil, "https://framed.example/", []Origin{a, b, a}, Allowed, nil},
		{"an opaque ancestor never matches: A21 (6.2)", "frame-ancestors *", "", nil, "https://framed.example/", []Origin{NewOpaqueOrigin()}, Blocked,
			[]vio{{"frame-ancestors", "frame-ancestors", "https://framed.example/", "enforce", "", "navigation-response", ""}}},
		{"a local response is never refused (1)", "frame-ancestors 'none'", "", nil, "data:text/html,x", []Origin{a}, Allowed, nil},
		{"report-only frame-ancestors (2.1.5)", "", "frame-ancestors 'none'", nil, "https://framed.example/", []Origin{a}, Allowed,
			[]vio{{"frame-ancestors", "frame-ancestors", "https://framed.example/", "report", "", "navigation-response", ""}}},
		{"the navigating document's frame-ancestors says nothing (3)", "", "", []string{"frame-ancestors 'none'"}, "https://framed.example/", []Origin{a}, Allowed, nil},
		{"frame-ancestors does not fall back to default-src", "default-src 'none'", "", nil, "https://framed.example/", []Origin{a}, Allowed, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			resp := Response{URLList: []URL{MustParseURL(tt.respURL)}}
			if tt.headers != "" {
				resp.HeaderList = append(resp.HeaderList, Header{"Content-Security-Policy", tt.headers})
			}
			if tt.reportRO != "" {
				resp.HeaderList = append(resp.HeaderList, Header{"Content-Security-Policy-Report-Only", tt.reportRO})
			}
			var tr Trace
			req := navRequest(t, "https://framed.example/")
			req.Destination = "iframe"
			d, err := DecideNavigationResponse(env(tt.source...), req, NavigationOther, resp, Navigable{AncestorOrigins: tt.ancestors}, &tr)
			if err != nil {
				t.Fatalf("DecideNavigationResponse: %v", err)
			}
			if d.Verdict != tt.want || !sameVios(vios(d), tt.vios) {
				t.Errorf("DecideNavigationResponse(%q, ancestors %v) = %v %+v, want %v %+v\n%s", tt.headers, tt.ancestors, d.Verdict, vios(d), tt.want, tt.vios, tr.String())
			}
			for _, v := range d.Violations {
				if v.GlobalObject != nil || v.URL() != nil {
					t.Errorf("a response violation has a global object (2.1.2)")
				}
			}
			// Step 2.1.4: each violation goes through #report-violation,
			// which, with no global object, fires no event; the trace says
			// so once per violation.
			if got := strings.Count(tr.String(), "#report-violation step 3.3: no global object"); got != len(tt.vios) {
				t.Errorf("the trace reports %d violations with no global object, want %d:\n%s", got, len(tt.vios), tr.String())
			}
		})
	}
}

// TestNavigationResponseSourceChecks runs the "source" half of
// #should-block-navigation-response (step 3) directly: the navigating
// document's own frame-ancestors directive is asked with check type "source"
// and, by frame-ancestors' step 3, never blocks or reports, even for a
// redirected request in a frame its directive would refuse.
func TestNavigationResponseSourceChecks(t *testing.T) {
	e := env("frame-ancestors 'none'")
	global := e.NewGlobalObject()
	req := navRequest(t, "https://a.example/start", "https://framed.example/")
	req.PolicyContainer, req.Client, req.RedirectCount = global.PolicyContainer, global, 1
	resp := &Response{URLList: []URL{MustParseURL("https://framed.example/")}}
	responseCSP := ParseResponseCSP(resp, nil)
	target := &Navigable{AncestorOrigins: []Origin{URLOrigin(MustParseURL("https://a.example/"))}}
	if got := ShouldBlockNavigationResponse(&req, resp, &responseCSP, NavigationOther, target, nil); got != Allowed {
		t.Errorf("the source's frame-ancestors: %v, want Allowed (frame-ancestors step 3)", got)
	}
	if len(global.Reported)+len(target.Reported) != 0 {
		t.Errorf("violations reported: %v %v", global.Reported, target.Reported)
	}
}

func TestDecideFailsClosed(t *testing.T) {
	e := env("script-src 'none'")
	bad := env("script-src 'none'")
	bad.Kind = 9
	worker := env("script-src 'none'")
	worker.Kind = WorkerGlobal
	nav := navRequest(t, "https://example.com/")
	resp := Response{URLList: []URL{MustParseURL("https://example.com/")}}
	cases := map[string]func() (Decision, error){
		"inline type":        func() (Decision, error) { return DecideInline(e, *script(), "navigation", "x", nil) },
		"inline, bad global": func() (Decision, error) { return DecideInline(bad, *script(), InlineScript, "x", nil) },
		"inline in a worker": func() (Decision, error) { return DecideInline(worker, *script(), InlineScript, "x", nil) },
		"eval type":          func() (Decision, error) { return DecideEval(e, Compilation{Type: "eval"}, nil) },
		"eval arguments": func() (Decision, error) {
			return DecideEval(e, Compilation{Type: CompileFunction, ParameterStrings: []string{"a"}}, nil)
		},
		"eval, bad global":   func() (Decision, error) { return DecideEval(bad, Compilation{Type: CompileEval}, nil) },
		"wasm, bad global":   func() (Decision, error) { return DecideWasm(bad, nil) },
		"navigation type":    func() (Decision, error) { return DecideNavigationRequest(e, nav, "reload", nil) },
		"navigation, no URL": func() (Decision, error) { return DecideNavigationRequest(e, Request{}, NavigationOther, nil) },
		"navigation, javascript: hop": func() (Decision, error) {
			return DecideNavigationRequest(e, navRequest(t, "javascript:x", "https://a/"), NavigationOther, nil)
		},
		"navigation, data: hop": func() (Decision, error) {
			return DecideNavigationRequest(e, navRequest(t, "https://a/", "data:,x"), NavigationOther, nil)
		},
		"navigation, bad global": func() (Decision, error) { return DecideNavigationRequest(bad, nav, NavigationOther, nil) },
		"response, no URL": func() (Decision, error) {
			return DecideNavigationResponse(e, nav, NavigationOther, Response{}, Navigable{}, nil)
		},
		"response, bad type": func() (Decision, error) {
			return DecideNavigationResponse(e, nav, "x", resp, Navigable{}, nil)
		},
		"base, bad global":     func() (Decision, error) { return DecideBase(bad, MustParseURL("https://a/"), nil) },
		"base in a worker":     func() (Decision, error) { return DecideBase(worker, MustParseURL("https://a/"), nil) },
		"sandbox, bad global":  func() (Decision, error) { return DecideSandbox(bad, nil) },
		"rtc, bad global":      func() (Decision, error) { return DecideRTC(bad, nil) },
		"request, bad global":  func() (Decision, error) { return DecideRequest(bad, nav, nil) },
		"request, no URL list": func() (Decision, error) { return DecideRequest(e, Request{}, nil) },
	}
	for name, f := range cases {
		d, err := f()
		if !errors.Is(err, ErrBadInput) && !errors.Is(err, ErrBadRequest) {
			t.Errorf("%s: error %v, want ErrBadInput", name, err)
		}
		if d.Verdict == Allowed {
			t.Errorf("%s: the error comes with verdict Allowed", name)
		}
	}
}
