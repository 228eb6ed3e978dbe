package model

import (
	"fmt"
	"strings"
)

// This file transcribes the three algorithms of Trusted Types that
// #can-compile-strings calls (steps 2.6 and 5.3.1). They are cited by URL and
// were read at w3c/trusted-types b76b1441024b4a7e18453dc020cd63374a9a674a
// (2026-02-24), spec/index.bs.
//
// Departure(D4): the model has no Trusted Types policy factory, so no default
// policy: processing a value with the default policy gives null, as it does
// on a page that created none. A page whose default policy converts eval'd
// strings is outside the model.

// ScriptValue is an ECMAScript value handed to a sink that compiles code: a
// string (TrustedScript false, the string in Data), or a TrustedScript object
// whose data is Data.
type ScriptValue struct {
	TrustedScript bool
	Data          string
}

// ErrTypeError is wrapped by the error of GetTrustedTypeCompliantString when
// Trusted Types refuses a value (the TypeError it throws).
var ErrTypeError = fmt.Errorf("TypeError")

// GetTrustedTypeCompliantString returns the string a sink of sinkGroup may
// use for input: a TrustedScript's data, or a plain string when no policy of
// global requires Trusted Types for the group or a report-only one does; an
// error (the TypeError) when an enforced policy requires them.
//
// Spec: https://w3c.github.io/trusted-types/dist/spec/#get-trusted-type-compliant-string-algorithm
func GetTrustedTypeCompliantString(global *GlobalObject, input ScriptValue, sink, sinkGroup string, tr *Trace) (string, error) {
	const anchor = "trusted-types#get-trusted-type-compliant-string-algorithm"
	defer tr.Enter(anchor, "sink %q, group %q", sink, sinkGroup)()
	// Step 1: a TrustedScript passes as its data.
	if input.TrustedScript {
		tr.Step(anchor, "1", "a TrustedScript: its data")
		return input.Data, nil
	}
	// Step 2: does a policy, report-only ones included, require Trusted Types?
	requireTrustedTypes := DoesSinkTypeRequireTrustedTypes(global, sinkGroup, true, tr)
	// Step 3: no: the string as it is.
	if !requireTrustedTypes {
		tr.Step(anchor, "3", "Trusted Types not required: the string")
		return input.Data, nil
	}
	// Steps 4-5: the default policy; Departure(D4): there is none, so the
	// converted input is null.
	// Step 6: null: report the mismatch.
	// Step 6.1
	disposition := ShouldSinkTypeMismatchViolationBeBlocked(global, sink, sinkGroup, input.Data, tr)
	// Step 6.2: only report-only policies objected: the string.
	if disposition == Allowed {
		tr.Step(anchor, "6.2", "report-only: the string")
		return input.Data, nil
	}
	// Step 6.3: throw a TypeError.
	tr.Step(anchor, "6.3", "TypeError")
	return "", fmt.Errorf("%w: %s requires a TrustedScript", ErrTypeError, sink)
	// Steps 7-8 (not reached): a converted input.
}

// sinkGroupMatches reports whether a require-trusted-types-for value holds
// the keyword of sinkGroup ("'script'"), in any ASCII case.
func sinkGroupMatches(value []string, sinkGroup string) bool {
	return containsKeyword(value, "'"+sinkGroup+"'")
}

// DoesSinkTypeRequireTrustedTypes reports whether a policy of global's CSP
// list has a require-trusted-types-for directive naming sinkGroup: an
// enforced one, or a report-only one when includeReportOnlyPolicies is true.
//
// Spec: https://w3c.github.io/trusted-types/dist/spec/#does-sink-require-trusted-types
func DoesSinkTypeRequireTrustedTypes(global *GlobalObject, sinkGroup string, includeReportOnlyPolicies bool, tr *Trace) bool {
	const anchor = "trusted-types#does-sink-require-trusted-types"
	defer tr.Enter(anchor, "group %q, report-only policies included: %v", sinkGroup, includeReportOnlyPolicies)()
	cspList := GetCSPOfObject(global, tr)
	if cspList == nil {
		return false
	}
	// Step 1: each policy.
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Steps 1.1-1.2: its require-trusted-types-for directive.
		directive, ok := policy.Directive("require-trusted-types-for")
		if !ok {
			continue
		}
		// Step 1.3: naming the sink group.
		if !sinkGroupMatches(directive.Value, sinkGroup) {
			continue
		}
		// Steps 1.4-1.6
		if policy.Disposition == Enforce || includeReportOnlyPolicies {
			tr.Step(anchor, "1.6", "policy %q (%s) requires Trusted Types for %q", policy.Text, policy.Disposition, sinkGroup)
			return true
		}
	}
	// Step 2
	return false
}

// ShouldSinkTypeMismatchViolationBeBlocked reports a violation of every
// policy that requires Trusted Types for sinkGroup, with a sample made of
// the sink's name and the start of source, and returns Blocked when one of
// them is enforced.
//
// Spec: https://w3c.github.io/trusted-types/dist/spec/#should-block-sink-type-mismatch
func ShouldSinkTypeMismatchViolationBeBlocked(global *GlobalObject, sink, sinkGroup, source string, tr *Trace) Verdict {
	const anchor = "trusted-types#should-block-sink-type-mismatch"
	defer tr.Enter(anchor, "sink %q", sink)()
	// Step 1
	result := Allowed
	// Step 2
	sample := source
	// Step 3: Function's synthesized header is not part of the sample.
	if sink == "Function" {
		// Steps 3.1-3.4: the first prefix that matches is stripped.
		for _, prefix := range []string{"function anonymous", "async function anonymous", "function* anonymous", "async function* anonymous"} {
			if rest, ok := strings.CutPrefix(sample, prefix); ok {
				sample = rest
				break
			}
		}
	}
	cspList := GetCSPOfObject(global, tr)
	if cspList == nil {
		return Blocked
	}
	// Step 4: each policy requiring Trusted Types for the group.
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Steps 4.1-4.3
		directive, ok := policy.Directive("require-trusted-types-for")
		if !ok || !sinkGroupMatches(directive.Value, sinkGroup) {
			continue
		}
		// Step 4.4: a violation of require-trusted-types-for.
		violation := CreateViolationForGlobal(global, policy, "require-trusted-types-for", tr)
		violation.Directive, violation.Check = directive.Name, CheckEval
		// Step 4.5
		violation.Resource = StringResource(ResourceTrustedTypesSink)
		// Steps 4.6-4.7: the sink, "|", and the first 40 characters.
		violation.Sample = sink + "|" + firstCharacters(sample, sampleLength)
		// Step 4.8
		ReportViolation(violation, tr)
		// Step 4.9
		if policy.Disposition == Enforce {
			tr.Step(anchor, "4.9", "policy %q: Blocked", policy.Text)
			result = Blocked
		}
	}
	// Step 5
	return result
}
