package model

import "fmt"

// This file holds the entry points of the checks that are not Fetch
// requests, in the style of Decide: each takes the Environment of the global
// object the check runs in and the check's own input, runs the spec's
// algorithm as HTML (or ECMAScript, WebAssembly, WebRTC) calls it, and
// returns the verdict and every violation reported, in order. An input that
// cannot occur gets an error wrapping ErrBadInput and a Blocked verdict.

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
