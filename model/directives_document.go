package model

import "strings"

// This file holds the document directives (#directives-document), in the
// spec's order: base-uri's check and sandbox's initialization, with the
// dispatch that runs "the initialization of a directive" by its name.

// AllowBaseForDocument decides whether base may be the URL of a <base>
// element's href in document: each policy with a base-uri directive must
// match it; a report-only mismatch is reported, an enforced one blocks at
// once.
//
// Spec: #allow-base-for-document
func AllowBaseForDocument(base URL, document *Document, tr *Trace) Verdict {
	const anchor = "allow-base-for-document"
	defer tr.Enter(anchor, "%s", base)()

	// Step 1: the CSP list of the document's global object.
	cspList := GetCSPOfObject(document.Global, tr)
	if cspList == nil {
		tr.Step(anchor, "1", "the global object has no CSP list: Blocked")
		return Blocked
	}
	// Step 2: each policy.
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 2.1
		var sourceList []string
		// Step 2.2: the base-uri directive's value.
		d, present := policy.Directive("base-uri")
		if present {
			sourceList = d.Value
		}
		// Step 2.3: a policy without base-uri says nothing.
		if !present {
			continue
		}
		// Step 2.4: the URL must match, with no redirects.
		if MatchURLToSourceList(base, sourceList, cspList.SelfOrigin, 0, tr) == DoesNotMatch {
			// Step 2.4.1: a violation of base-uri.
			violation := CreateViolationForGlobal(document.Global, policy, "base-uri", tr)
			violation.Directive, violation.Check = "base-uri", CheckBase
			// Step 2.4.2
			violation.Resource = StringResource(ResourceInline)
			// Step 2.4.3
			ReportViolation(violation, tr)
			// Step 2.4.4: an enforced policy blocks, and no later policy is
			// consulted.
			if policy.Disposition == Enforce {
				tr.Step(anchor, "2.4.4", "policy %q: Blocked", policy.Text)
				return Blocked
			}
		}
	}
	// Step 3
	tr.Step(anchor, "3", "Allowed")
	return Allowed
}

// Initialization runs the initialization of the directive named
// directive.Name on context (a *Document or a *GlobalObject): sandbox's, or
// Allowed for every other directive (#framework-directives; style-src's
// initialization is an open issue of the spec with no steps).
func Initialization(directive Directive, context CSPObject, policy *Policy, tr *Trace) Verdict {
	if directive.Name == "sandbox" {
		return SandboxInit(directive, context, policy, tr)
	}
	return Allowed
}

// SandboxInit is the sandbox directive's initialization: an enforced
// sandbox that takes away scripts or the origin keeps a worker from running.
// (Documents get the sandbox's flags through HTML's CSP-derived sandboxing
// flags, CSPDerivedSandboxingFlags.)
//
// Spec: #sandbox-init
func SandboxInit(directive Directive, context CSPObject, policy *Policy, tr *Trace) Verdict {
	const anchor = "sandbox-init"
	defer tr.Enter(anchor, "%q", directive.Value)()

	// Step 1: only enforced policies, and only workers. Ambiguity(A25):
	// "abort" returns nothing; the model returns Allowed, which is what
	// #run-document-csp-initialization asserts and what
	// #run-global-object-csp-initialization only acts against.
	global, isGlobal := context.(*GlobalObject)
	if policy.Disposition != Enforce || !isGlobal || global == nil || global.Kind != WorkerGlobal {
		tr.Step(anchor, "1", "not an enforced policy on a worker: nothing to do")
		return Allowed
	}
	// Step 2
	var sandboxingFlagSet SandboxingFlagSet
	// Step 3: parse the directive's value. Ambiguity(A22): the parser takes a
	// string; the model joins the value's tokens with spaces.
	sandboxingFlagSet = ParseSandboxingDirective(strings.Join(directive.Value, " "), tr)
	// Step 4: no scripts, or an opaque origin: the worker cannot run.
	if sandboxingFlagSet.Has(SandboxedScripts) || sandboxingFlagSet.Has(SandboxedOrigin) {
		tr.Step(anchor, "4", "scripts or origin sandboxed: Blocked")
		return Blocked
	}
	// Step 5
	tr.Step(anchor, "5", "Allowed")
	return Allowed
}
