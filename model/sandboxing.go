package model

import "strings"

// This file transcribes the two algorithms of the HTML Standard's sandboxing
// section (https://html.spec.whatwg.org/multipage/browsers.html#sandboxing)
// that the sandbox directive relies on: parsing a sandboxing directive, and a
// CSP list's CSP-derived sandboxing flags. The HTML Standard was read as
// w3c/webref's extract of its algorithms (ed/algorithms/html.json at webref
// commit 02d4baf9e469b27e9d3e561440c23319cbb68b11); it cites anchors, not
// step numbers, as model/doc.go says of the HTML parts.

// SandboxingFlagSet is a sandboxing flag set: a set of the flags below. The
// zero value is the empty set.
type SandboxingFlagSet uint32

// The sandboxing flags that parsing a sandboxing directive can set, in the
// order the HTML Standard lists them.
const (
	SandboxedNavigation SandboxingFlagSet = 1 << iota
	SandboxedAuxiliaryNavigation
	SandboxedTopLevelNavigationWithoutUserActivation
	SandboxedTopLevelNavigationWithUserActivation
	SandboxedOrigin
	SandboxedForms
	SandboxedPointerLock
	SandboxedScripts
	SandboxedAutomaticFeatures
	SandboxedDocumentDomain
	SandboxPropagatesToAuxiliaryBrowsingContexts
	SandboxedModals
	SandboxedOrientationLock
	SandboxedPresentation
	SandboxedDownloads
	SandboxedCustomProtocolsNavigation
)

var sandboxFlagNames = [...]string{
	"sandboxed navigation browsing context flag",
	"sandboxed auxiliary navigation browsing context flag",
	"sandboxed top-level navigation without user activation browsing context flag",
	"sandboxed top-level navigation with user activation browsing context flag",
	"sandboxed origin browsing context flag",
	"sandboxed forms browsing context flag",
	"sandboxed pointer lock browsing context flag",
	"sandboxed scripts browsing context flag",
	"sandboxed automatic features browsing context flag",
	"sandboxed document.domain browsing context flag",
	"sandbox propagates to auxiliary browsing contexts flag",
	"sandboxed modals flag",
	"sandboxed orientation lock browsing context flag",
	"sandboxed presentation browsing context flag",
	"sandboxed downloads browsing context flag",
	"sandboxed custom protocols navigation browsing context flag",
}

// AllSandboxingFlags is the set of every flag above: what an empty sandbox
// directive sets.
const AllSandboxingFlags = SandboxedCustomProtocolsNavigation<<1 - 1

// Has reports whether s contains every flag of flags.
func (s SandboxingFlagSet) Has(flags SandboxingFlagSet) bool { return s&flags == flags }

// Names returns the HTML Standard's names of the flags in s, in order.
func (s SandboxingFlagSet) Names() []string {
	var names []string
	for i, name := range sandboxFlagNames {
		if s&(1<<i) != 0 {
			names = append(names, name)
		}
	}
	return names
}

// String lists the flags' names, or "empty".
func (s SandboxingFlagSet) String() string {
	if s == 0 {
		return "empty"
	}
	return strings.Join(s.Names(), ", ")
}

// ParseSandboxingDirective returns the sandboxing flag set that input, the
// value of an iframe's sandbox attribute or of a sandbox directive, gives.
//
// Ambiguity(A22): the keywords are the values of the sandbox attribute, an
// unordered set of space-separated tokens that HTML declares ASCII
// case-insensitive, while the algorithm asks whether the tokens "contain"
// each keyword. The model compares ASCII case-insensitively, as the keyword
// definitions say; case-sensitive comparison would set more flags.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#parse-a-sandboxing-directive
func ParseSandboxingDirective(input string, tr *Trace) SandboxingFlagSet {
	const anchor = "html#parse-a-sandboxing-directive"
	defer tr.Enter(anchor, "%q", input)()
	// Step 1: the tokens.
	tokens := splitOnASCIIWhitespace(input)
	has := func(keyword string) bool {
		for _, t := range tokens {
			if equalFoldASCII(t, keyword) {
				return true
			}
		}
		return false
	}
	// Step 2: an empty set.
	var output SandboxingFlagSet
	// Step 3: every flag, unless a keyword lifts it.
	output |= SandboxedNavigation
	if !has("allow-popups") {
		output |= SandboxedAuxiliaryNavigation
	}
	if !has("allow-top-navigation") {
		output |= SandboxedTopLevelNavigationWithoutUserActivation
	}
	if !has("allow-top-navigation-by-user-activation") && !has("allow-top-navigation") {
		output |= SandboxedTopLevelNavigationWithUserActivation
	}
	if !has("allow-same-origin") {
		output |= SandboxedOrigin
	}
	if !has("allow-forms") {
		output |= SandboxedForms
	}
	if !has("allow-pointer-lock") {
		output |= SandboxedPointerLock
	}
	if !has("allow-scripts") {
		output |= SandboxedScripts | SandboxedAutomaticFeatures
	}
	output |= SandboxedDocumentDomain
	if !has("allow-popups-to-escape-sandbox") {
		output |= SandboxPropagatesToAuxiliaryBrowsingContexts
	}
	if !has("allow-modals") {
		output |= SandboxedModals
	}
	if !has("allow-orientation-lock") {
		output |= SandboxedOrientationLock
	}
	if !has("allow-presentation") {
		output |= SandboxedPresentation
	}
	if !has("allow-downloads") {
		output |= SandboxedDownloads
	}
	if !has("allow-top-navigation-to-custom-protocols") && !has("allow-popups") && !has("allow-top-navigation") {
		output |= SandboxedCustomProtocolsNavigation
	}
	tr.Step(anchor, "3", "%d flags", len(output.Names()))
	return output
}

// CSPDerivedSandboxingFlags returns cspList's CSP-derived sandboxing flags:
// the flags of the last sandbox directive of its enforced policies, or the
// empty set when none has one.
//
// Spec: https://html.spec.whatwg.org/multipage/browsers.html#csp-derived-sandboxing-flags
func CSPDerivedSandboxingFlags(cspList *CSPList, tr *Trace) SandboxingFlagSet {
	const anchor = "html#csp-derived-sandboxing-flags"
	defer tr.Enter(anchor, "%d policies", len(cspList.Policies))()
	// Step 1: no directives yet.
	var directives []Directive
	// Step 2: the sandbox directive of each enforced policy.
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 2.1: report-only policies do not sandbox.
		if policy.Disposition != Enforce {
			continue
		}
		// Step 2.2
		if d, ok := policy.Directive("sandbox"); ok {
			directives = append(directives, d)
		}
	}
	// Step 3: none, no flags.
	if len(directives) == 0 {
		tr.Step(anchor, "3", "no enforced sandbox directive: empty set")
		return 0
	}
	// Step 4: the last one wins.
	directive := directives[len(directives)-1]
	// Step 5: parse it. Ambiguity(A22): the parser takes a string and the
	// directive is a name and a list of tokens; the model parses the tokens
	// joined by spaces, which splits back into the same tokens.
	tr.Step(anchor, "5", "parsing the last of %d sandbox directives", len(directives))
	return ParseSandboxingDirective(strings.Join(directive.Value, " "), tr)
}
