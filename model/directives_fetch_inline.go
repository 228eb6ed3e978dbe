package model

// This file holds the inline checks of the fetch directives
// (#directives-fetch): default-src, script-src, script-src-elem,
// script-src-attr, style-src, style-src-elem and style-src-attr, in the
// spec's order, and the dispatch that runs "the inline check of a directive"
// by its name. The pre- and post-request checks of the same directives are in
// directives_fetch.go.

// inlineCheckFunc is a directive's inline check.
type inlineCheckFunc func(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict

// inlineChecks maps directive names to their inline checks. Directives not
// listed have none, and their inline check returns Allowed
// (#framework-directives).
var inlineChecks map[string]inlineCheckFunc

func init() {
	inlineChecks = map[string]inlineCheckFunc{
		"default-src":     DefaultSrcInlineCheck,
		"script-src":      ScriptSrcInlineCheck,
		"script-src-elem": ScriptSrcElemInlineCheck,
		"script-src-attr": ScriptSrcAttrInlineCheck,
		"style-src":       StyleSrcInlineCheck,
		"style-src-elem":  StyleSrcElemInlineCheck,
		"style-src-attr":  StyleSrcAttrInlineCheck,
	}
}

// InlineCheck runs the inline check of the directive named directive.Name,
// comparing against directive.Value. Directives without one return Allowed.
func InlineCheck(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict {
	if c, ok := inlineChecks[directive.Name]; ok {
		return c(directive, element, typ, policy, source, tr)
	}
	return Allowed
}

// DefaultSrcInlineCheck is the inline check of default-src: for inline
// behavior whose own directive is absent, it runs that directive's inline
// check with default-src's value.
//
// Spec: #default-src-inline
func DefaultSrcInlineCheck(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict {
	const anchor = "default-src-inline"
	defer tr.Enter(anchor, "%s, type %q", directive.Name, typ)()

	// Step 1: the effective directive of the type.
	name := EffectiveDirectiveForInlineCheck(typ, tr)
	// Step 2: default-src stays out of what another directive decides.
	if ShouldDirectiveExecute(name, "default-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the effective directive's inline check, with default-src's value.
	tr.Step(anchor, "3", "running the %s inline check with this value", name)
	return InlineCheck(Directive{Name: name, Value: directive.Value}, element, typ, policy, source, tr)
}

// ScriptSrcInlineCheck is the inline check of script-src: inline scripts, event handlers and javascript: navigations, unless script-src-elem or script-src-attr decides.
//
// Spec: #script-src-inline
func ScriptSrcInlineCheck(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict {
	const anchor = "script-src-inline"
	defer tr.Enter(anchor, "%s, type %q", directive.Name, typ)()

	// Step 1 (assert): only a javascript: navigation has no element. The
	// entry points never break this; a direct call that does is Blocked.
	if element == nil && typ != InlineNavigation {
		tr.Step(anchor, "1", "assertion failed: type %q without an element: Blocked", typ)
		return Blocked
	}
	// Step 2: the effective directive of the type.
	name := EffectiveDirectiveForInlineCheck(typ, tr)
	// Step 3: script-src stays out of what another directive decides.
	if ShouldDirectiveExecute(name, "script-src", policy, tr) == No {
		tr.Step(anchor, "3", "does not execute: Allowed")
		return Allowed
	}
	// Step 4: the element and its source must match the source list.
	if MatchElementToSourceList(element, directive.Value, typ, source, tr) == DoesNotMatch {
		tr.Step(anchor, "4", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 5
	tr.Step(anchor, "5", "Allowed")
	return Allowed
}

// ScriptSrcElemInlineCheck is the inline check of script-src-elem: inline <script> blocks and javascript: navigations.
//
// Spec: #script-src-elem-inline
func ScriptSrcElemInlineCheck(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict {
	const anchor = "script-src-elem-inline"
	defer tr.Enter(anchor, "%s, type %q", directive.Name, typ)()

	// Step 1 (assert): only a javascript: navigation has no element. The
	// entry points never break this; a direct call that does is Blocked.
	if element == nil && typ != InlineNavigation {
		tr.Step(anchor, "1", "assertion failed: type %q without an element: Blocked", typ)
		return Blocked
	}
	// Step 2: the effective directive of the type.
	name := EffectiveDirectiveForInlineCheck(typ, tr)
	// Step 3: script-src-elem stays out of what another directive decides.
	if ShouldDirectiveExecute(name, "script-src-elem", policy, tr) == No {
		tr.Step(anchor, "3", "does not execute: Allowed")
		return Allowed
	}
	// Step 4: the element and its source must match the source list.
	if MatchElementToSourceList(element, directive.Value, typ, source, tr) == DoesNotMatch {
		tr.Step(anchor, "4", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 5
	tr.Step(anchor, "5", "Allowed")
	return Allowed
}

// ScriptSrcAttrInlineCheck is the inline check of script-src-attr: event handler attributes.
//
// Spec: #script-src-attr-inline
func ScriptSrcAttrInlineCheck(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict {
	const anchor = "script-src-attr-inline"
	defer tr.Enter(anchor, "%s, type %q", directive.Name, typ)()

	// Step 1 (assert): only a javascript: navigation has no element. The
	// entry points never break this; a direct call that does is Blocked.
	if element == nil && typ != InlineNavigation {
		tr.Step(anchor, "1", "assertion failed: type %q without an element: Blocked", typ)
		return Blocked
	}
	// Step 2: the effective directive of the type.
	name := EffectiveDirectiveForInlineCheck(typ, tr)
	// Step 3: script-src-attr stays out of what another directive decides.
	if ShouldDirectiveExecute(name, "script-src-attr", policy, tr) == No {
		tr.Step(anchor, "3", "does not execute: Allowed")
		return Allowed
	}
	// Step 4: the element and its source must match the source list.
	if MatchElementToSourceList(element, directive.Value, typ, source, tr) == DoesNotMatch {
		tr.Step(anchor, "4", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 5
	tr.Step(anchor, "5", "Allowed")
	return Allowed
}

// StyleSrcInlineCheck is the inline check of style-src: inline <style> blocks and style attributes, unless style-src-elem or style-src-attr decides.
//
// Spec: #style-src-inline
func StyleSrcInlineCheck(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict {
	const anchor = "style-src-inline"
	defer tr.Enter(anchor, "%s, type %q", directive.Name, typ)()

	// Step 1: the effective directive of the type.
	name := EffectiveDirectiveForInlineCheck(typ, tr)
	// Step 2: style-src stays out of what another directive decides.
	if ShouldDirectiveExecute(name, "style-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the element and its source must match the source list.
	if MatchElementToSourceList(element, directive.Value, typ, source, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// StyleSrcElemInlineCheck is the inline check of style-src-elem: inline <style> blocks.
//
// Spec: #style-src-elem-inline
func StyleSrcElemInlineCheck(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict {
	const anchor = "style-src-elem-inline"
	defer tr.Enter(anchor, "%s, type %q", directive.Name, typ)()

	// Step 1: the effective directive of the type.
	name := EffectiveDirectiveForInlineCheck(typ, tr)
	// Step 2: style-src-elem stays out of what another directive decides.
	if ShouldDirectiveExecute(name, "style-src-elem", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the element and its source must match the source list.
	if MatchElementToSourceList(element, directive.Value, typ, source, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// StyleSrcAttrInlineCheck is the inline check of style-src-attr: style attributes.
//
// Spec: #style-src-attr-inline
func StyleSrcAttrInlineCheck(directive Directive, element *Element, typ string, policy *Policy, source string, tr *Trace) Verdict {
	const anchor = "style-src-attr-inline"
	defer tr.Enter(anchor, "%s, type %q", directive.Name, typ)()

	// Step 1: the effective directive of the type.
	name := EffectiveDirectiveForInlineCheck(typ, tr)
	// Step 2: style-src-attr stays out of what another directive decides.
	if ShouldDirectiveExecute(name, "style-src-attr", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the element and its source must match the source list.
	if MatchElementToSourceList(element, directive.Value, typ, source, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}
