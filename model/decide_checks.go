package model

import "fmt"

// This file holds the entry points of the checks that are not Fetch
// requests, in the style of Decide: each takes the Environment of the global
// object the check runs in and the check's own input, runs the spec's
// algorithm as HTML (or ECMAScript, WebAssembly, WebRTC) calls it, and
// returns the verdict and every violation reported, in order. An input that
// cannot occur gets an error wrapping ErrBadInput and a Blocked verdict.
// Each entry point checks the check's own input (an inline type, a
// compilation, a navigation), then the global object (Environment.check):
// its CSP list, which must not hold a policy whose disposition or source is
// none of the named values (D6), then its kind.

// decision collects the violations a global object (and, for navigation
// responses, a navigable) recorded.
func decision(verdict Verdict, global *GlobalObject, extra ...Violation) Decision {
	violations := append(append([]Violation(nil), extra...), global.Reported...)
	return Decision{Verdict: verdict, Violations: violations, HashReports: global.HashReports}
}

// newDocument returns a Window global object for env and its document.
func newDocument(env Environment) (*Document, *GlobalObject) {
	global := env.NewGlobalObject()
	return &Document{PolicyContainer: global.PolicyContainer, Global: global}, global
}

// DecideInline decides whether element's inline behavior of type typ may
// run or apply in a document described by env (a Window): an inline
// <script> ("script") or <style> ("style") whose text is source, or an event
// handler ("script attribute") or style attribute ("style attribute") of
// element whose value is source. javascript: URLs ("navigation") go through
// DecideNavigationRequest.
//
// Spec: https://html.spec.whatwg.org/multipage/scripting.html#prepare-the-script-element
// (and the other callers of #should-block-inline HTML lists in
// #html-integration: updating a style block, event handlers and style
// attributes)
func DecideInline(env Environment, element Element, typ, source string, tr *Trace) (Decision, error) {
	switch typ {
	case InlineScript, InlineScriptAttribute, InlineStyle, InlineStyleAttribute:
	default:
		return Decision{Verdict: Blocked}, fmt.Errorf("%w: inline check type %q is not script, script attribute, style or style attribute", ErrBadInput, typ)
	}
	if err := env.check(); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	if env.Kind != WindowGlobal {
		return Decision{Verdict: Blocked}, fmt.Errorf("%w: inline behavior needs a document, whose global object is a Window, not a %s", ErrBadInput, env.Kind)
	}
	document, global := newDocument(env)
	element.Document = document
	verdict := ShouldBlockInline(&element, typ, source, tr)
	return decision(verdict, global), nil
}

// DecideEval decides whether the global object env describes may compile
// c's code (eval(), the Function constructor, or a timer given a string).
// Blocked stands for the EvalError the spec throws.
//
// Spec: https://tc39.es/ecma262/#sec-hostensurecancompilestrings
// (the host hook CSP implements as #can-compile-strings; cited without steps)
func DecideEval(env Environment, c Compilation, tr *Trace) (Decision, error) {
	switch c.Type {
	case CompileTimer, CompileFunction, CompileEval:
	default:
		return Decision{Verdict: Blocked}, fmt.Errorf("%w: compilation type %q is not TIMER, FUNCTION or EVAL", ErrBadInput, c.Type)
	}
	if len(c.ParameterArgs) != len(c.ParameterStrings) {
		return Decision{Verdict: Blocked}, fmt.Errorf("%w: %d parameter values for %d parameter strings", ErrBadInput, len(c.ParameterArgs), len(c.ParameterStrings))
	}
	if err := env.check(); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	global := env.NewGlobalObject()
	verdict := CanCompileStrings(global, c, tr)
	return decision(verdict, global), nil
}

// DecideWasm decides whether the global object env describes may compile
// WebAssembly bytes. Blocked stands for the WebAssembly.CompileError the
// spec throws.
//
// Spec: https://webassembly.github.io/content-security-policy/js-api/#host-ensure-can-compile-wasm-bytes
// (the host hook CSP implements as #can-compile-wasm-bytes, at the address
// CSP's own link gives; cited without steps)
func DecideWasm(env Environment, tr *Trace) (Decision, error) {
	if err := env.check(); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	global := env.NewGlobalObject()
	verdict := CanCompileWasmBytes(global, tr)
	return decision(verdict, global), nil
}

// checkNavigation checks a navigation request and its type.
func checkNavigation(env Environment, request Request, navigationType string) error {
	if navigationType != NavigationFormSubmission && navigationType != NavigationOther {
		return fmt.Errorf("%w: navigation type %q is not form-submission or other", ErrBadInput, navigationType)
	}
	if len(request.URLList) == 0 {
		return fmt.Errorf("%w: the navigation request's URL list is empty", ErrBadInput)
	}
	for _, u := range request.URLList[1:] {
		if request.URLList[0].Scheme == "javascript" || !IsHTTPSScheme(u.Scheme) {
			return fmt.Errorf("%w: a navigation is redirected only from and to HTTP(S) URLs, not to %s", ErrBadInput, u)
		}
	}
	return env.check()
}

// DecideNavigationRequest decides whether the document env describes may
// navigate with request, of type navigationType ("form-submission" or
// "other"). As for Decide, each URL of the request's URL list (the URL, then
// each redirect target) is checked in turn as the current URL, with its
// position as the redirect count, until one is blocked. A javascript: URL
// is not fetched and cannot be redirected; its inline check runs once.
//
// Spec: https://html.spec.whatwg.org/multipage/browsing-the-web.html#create-navigation-params-by-fetching
// (and, for javascript: URLs, #navigate-to-a-javascript:-url)
func DecideNavigationRequest(env Environment, request Request, navigationType string, tr *Trace) (Decision, error) {
	if err := checkNavigation(env, request, navigationType); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	global := env.NewGlobalObject()
	all := request.URLList
	verdict := Allowed
	for hop := range all {
		r := request
		r.URLList, r.RedirectCount = all[:hop+1], hop
		// Ambiguity(A18): HTML gives a javascript: URL's request no client;
		// the model reports to the navigating document's global object.
		r.PolicyContainer, r.Client = global.PolicyContainer, global
		if ShouldBlockNavigationRequest(&r, navigationType, tr) == Blocked {
			verdict = Blocked
			break
		}
	}
	return decision(verdict, global), nil
}

// DecideNavigationResponse decides whether response, the response to the
// navigation request of type navigationType that the document env describes
// made, may be shown in target. The response's CSP list is parsed from its
// headers (its self-origin is the response URL's origin); the request's URL
// list is as for DecideNavigationRequest, its last URL the response's.
// Violations of the response's own policies (frame-ancestors) come first,
// then those of the navigating document's.
//
// Spec: https://html.spec.whatwg.org/multipage/browsing-the-web.html#attempt-to-populate-the-history-entry's-document
func DecideNavigationResponse(env Environment, request Request, navigationType string, response Response, target Navigable, tr *Trace) (Decision, error) {
	if err := checkNavigation(env, request, navigationType); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	if _, ok := response.URL(); !ok {
		return Decision{Verdict: Blocked}, fmt.Errorf("%w: the navigation response has no URL", ErrBadInput)
	}
	global := env.NewGlobalObject()
	r := request
	r.RedirectCount = len(r.URLList) - 1
	r.PolicyContainer, r.Client = global.PolicyContainer, global
	responseCSP := ParseResponseCSP(&response, tr)
	target.Reported = nil
	verdict := ShouldBlockNavigationResponse(&r, &response, &responseCSP, navigationType, &target, tr)
	return decision(verdict, global, target.Reported...), nil
}

// DecideBase decides whether base may be the frozen base URL of the document
// env describes (a <base href>).
//
// Spec: https://html.spec.whatwg.org/multipage/semantics.html#set-the-frozen-base-url
func DecideBase(env Environment, base URL, tr *Trace) (Decision, error) {
	if err := env.check(); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	if env.Kind != WindowGlobal {
		return Decision{Verdict: Blocked}, fmt.Errorf("%w: a base URL belongs to a document, whose global object is a Window, not a %s", ErrBadInput, env.Kind)
	}
	document, global := newDocument(env)
	verdict := AllowBaseForDocument(base, document, tr)
	return decision(verdict, global), nil
}

// DecideSandbox runs the CSP initialization of the global object env
// describes and returns its sandboxing flags: for a Window, the document's
// initialization (which never blocks) and the CSP-derived sandboxing flags
// its document gets; for a worker or worklet, whether it may run at all
// (#run-global-object-csp-initialization), and the same flags for reference.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#csp-derived-sandboxing-flags
// (and #run-document-csp-initialization, which HTML runs when it creates a
// Document, and, for workers, https://html.spec.whatwg.org/multipage/workers.html#run-a-worker)
func DecideSandbox(env Environment, tr *Trace) (Decision, error) {
	if err := env.check(); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	verdict := Allowed
	var global *GlobalObject
	if env.Kind == WindowGlobal {
		var document *Document
		document, global = newDocument(env)
		if err := RunDocumentCSPInitialization(document, tr); err != nil {
			return Decision{Verdict: Blocked}, err
		}
	} else {
		global = env.NewGlobalObject()
		verdict = RunGlobalObjectCSPInitialization(global, tr)
	}
	d := decision(verdict, global)
	d.SandboxFlags = CSPDerivedSandboxingFlags(&global.PolicyContainer.CSPList, tr)
	return d, nil
}

// DecideRTC decides whether the global object env describes may make RTC
// connections (WebRTC's administratively-prohibited check).
//
// Spec: https://www.w3.org/TR/webrtc/#dfn-administratively-prohibited
// (at the address CSP's own link gives; cited without steps)
func DecideRTC(env Environment, tr *Trace) (Decision, error) {
	if err := env.check(); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	global := env.NewGlobalObject()
	verdict := ShouldBlockRTCConnection(global, tr)
	return decision(verdict, global), nil
}
