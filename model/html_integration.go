package model

import "fmt"

// This file holds the algorithms of the HTML integration (#html-integration),
// in the spec's order: the CSP initialization of documents and global
// objects, a global object's CSP list, and the inline and navigation checks
// HTML calls.

// CSPObject is what #get-csp-of-object accepts: a *Document or a
// *GlobalObject.
type CSPObject interface{ cspObject() }

func (*Document) cspObject()     {}
func (*GlobalObject) cspObject() {}

// RunDocumentCSPInitialization runs every directive's initialization on
// document. No directive's initialization blocks a document, which the spec
// asserts; a failed assertion is returned as an error wrapping ErrAssert.
//
// Spec: #run-document-csp-initialization
func RunDocumentCSPInitialization(document *Document, tr *Trace) error {
	const anchor = "run-document-csp-initialization"
	defer tr.Enter(anchor, "")()
	if document.PolicyContainer == nil {
		return nil
	}
	// Step 1: each policy of the document's policy container's CSP list.
	for i := range document.PolicyContainer.CSPList.Policies {
		policy := &document.PolicyContainer.CSPList.Policies[i]
		// Step 1.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 1.1.1 (assert): its initialization allows the document.
			if Initialization(directive, document, policy, tr) != Allowed {
				return fmt.Errorf("%w: #run-document-csp-initialization step 1.1.1: the %s initialization blocked a document", ErrAssert, directive.Name)
			}
		}
	}
	tr.Step(anchor, "1.1.1", "every initialization allowed the document")
	return nil
}

// GetCSPOfObject returns object's CSP list, or nil (null) for an object that
// has none.
//
// Spec: #get-csp-of-object
func GetCSPOfObject(object CSPObject, tr *Trace) *CSPList {
	const anchor = "get-csp-of-object"
	// Step 1: a Document's policy container's CSP list.
	if document, ok := object.(*Document); ok && document != nil {
		if document.PolicyContainer == nil {
			return nil
		}
		tr.Step(anchor, "1", "a Document: its policy container's CSP list")
		return &document.PolicyContainer.CSPList
	}
	// Step 2: a Window's, worker's or worklet's environment settings
	// object's policy container's CSP list.
	if global, ok := object.(*GlobalObject); ok && global != nil && global.Kind <= WorkletGlobal && global.PolicyContainer != nil {
		tr.Step(anchor, "2", "a %s: its policy container's CSP list", global.Kind)
		return &global.PolicyContainer.CSPList
	}
	// Step 3
	tr.Step(anchor, "3", "null")
	return nil
}

// ShouldBlockInline decides whether element's inline behavior of type typ,
// whose text is source, may run or apply: every directive of every policy
// runs its inline check, each Blocked result is reported (with a sample
// when the directive asks for one), and enforced ones block.
//
// Spec: #should-block-inline
func ShouldBlockInline(element *Element, typ, source string, tr *Trace) Verdict {
	const anchor = "should-block-inline"
	defer tr.Enter(anchor, "type %q", typ)()

	// Step 1 (assert): there is an element. A null one is the caller's
	// bug; the model blocks rather than decide without one.
	if element == nil || element.Document == nil || element.Document.Global == nil {
		tr.Step(anchor, "1", "assertion failed: no element in a document: Blocked")
		return Blocked
	}
	// Step 2
	result := Allowed
	// Step 3: the policies of the element's document's global object.
	// Ambiguity(A24): step 3.1.3 reports to the current settings object's
	// global object, which the model takes to be this same global.
	global := element.Document.Global
	cspList := GetCSPOfObject(global, tr)
	if cspList == nil {
		tr.Step(anchor, "3", "the global object has no CSP list: Blocked")
		return Blocked
	}
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 3.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 3.1.1: its inline check.
			if InlineCheck(directive, element, typ, policy, source, tr) == Allowed {
				continue
			}
			// Step 3.1.2: the effective directive of the type.
			directiveName := EffectiveDirectiveForInlineCheck(typ, tr)
			// Step 3.1.3: a violation for the global object.
			violation := CreateViolationForGlobal(global, policy, directiveName, tr)
			violation.Directive, violation.Check = directive.Name, CheckInline
			// Step 3.1.4
			violation.Resource = StringResource(ResourceInline)
			// Step 3.1.5
			violation.Element = element
			// Step 3.1.6: a sample of the source, if the directive asks.
			if containsKeyword(directive.Value, "'report-sample'") {
				violation.Sample = firstCharacters(source, sampleLength)
				tr.Step(anchor, "3.1.6", "'report-sample': sample %q", violation.Sample)
			}
			// Step 3.1.7
			ReportViolation(violation, tr)
			// Step 3.1.8: enforced policies block.
			if policy.Disposition == Enforce {
				tr.Step(anchor, "3.1.8", "policy %q violated by %s: Blocked", policy.Text, directive.Name)
				result = Blocked
			}
		}
	}
	// Step 4
	tr.Step(anchor, "4", "%s", result)
	return result
}

// Navigation types: the type argument of the navigation checks.
const (
	NavigationFormSubmission = "form-submission"
	NavigationOther          = "other"
)

// ShouldBlockNavigationRequest decides whether the navigation request of
// type navigationType ("form-submission" or "other") may go ahead: every
// directive's pre-navigation check runs (form-action's is the only one), and
// a javascript: URL goes through the inline checks as a "navigation".
//
// Spec: #should-block-navigation-request
func ShouldBlockNavigationRequest(request *Request, navigationType string, tr *Trace) Verdict {
	const anchor = "should-block-navigation-request"
	defer tr.Enter(anchor, "%s, type %q", request.CurrentURL(), navigationType)()

	// Step 1
	result := Allowed
	// Step 2: the request's policy container's CSP list. Ambiguity(A18): the
	// step keeps only the list's policies, yet step 3.1.1 reads the list's
	// self-origin; the model keeps the CSP list.
	cspList := &request.PolicyContainer.CSPList
	// Step 3: each policy.
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 3.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 3.1.1: its pre-navigation check.
			if PreNavigationCheck(directive, request, navigationType, policy, cspList.SelfOrigin, tr) == Allowed {
				continue
			}
			// Step 3.1.2: a violation for the request's client's global object.
			violation := CreateViolationForGlobal(request.Client, policy, directive.Name, tr)
			violation.Directive, violation.Check, violation.RedirectCount = directive.Name, CheckNavigationRequest, request.RedirectCount
			// Step 3.1.3: the resource is the request's URL.
			violation.Resource = URLResource(request.URL())
			// Step 3.1.4
			ReportViolation(violation, tr)
			// Step 3.1.5: enforced policies block.
			if policy.Disposition == Enforce {
				tr.Step(anchor, "3.1.5", "policy %q violated by %s: Blocked", policy.Text, directive.Name)
				result = Blocked
			}
		}
	}
	// Step 4: a javascript: URL is inline script.
	if current := request.CurrentURL(); result == Allowed && current.Scheme == "javascript" {
		// Ambiguity(A17): the inline check's source is the current URL, a
		// URL where a string is expected; the model passes its
		// serialization, "javascript:" included, which is what a hash with
		// 'unsafe-hashes' must match.
		source := current.String()
		// Step 4.1: each policy of the request's policy container's CSP list.
		for i := range cspList.Policies {
			policy := &cspList.Policies[i]
			// Step 4.1.1: each directive.
			for _, directive := range policy.DirectiveSet {
				// Step 4.1.1.1
				directiveName := EffectiveDirectiveForInlineCheck(InlineNavigation, tr)
				// Step 4.1.1.2: its inline check, with no element.
				if InlineCheck(directive, nil, InlineNavigation, policy, source, tr) == Allowed {
					continue
				}
				// Step 4.1.1.3: a violation for the request's client's global object.
				violation := CreateViolationForGlobal(request.Client, policy, directiveName, tr)
				violation.Directive, violation.Check, violation.RedirectCount = directive.Name, CheckNavigationRequest, request.RedirectCount
				// Step 4.1.1.4
				violation.Resource = StringResource(ResourceInline)
				// Step 4.1.1.5
				ReportViolation(violation, tr)
				// Step 4.1.1.6: enforced policies block.
				if policy.Disposition == Enforce {
					tr.Step(anchor, "4.1.1.6", "javascript: URL blocked by %s of %q", directive.Name, policy.Text)
					result = Blocked
				}
			}
		}
	}
	// Step 5
	tr.Step(anchor, "5", "%s", result)
	return result
}

// Check types of the navigation response checks.
const (
	CheckTypeSource   = "source"
	CheckTypeResponse = "response"
)

// ShouldBlockNavigationResponse decides whether response, the response to
// the navigation request of type navigationType, may be displayed in target:
// the directives of the response's own policies (responseCSP) and then those
// of the request's policy container run their navigation response checks
// (frame-ancestors' is the only one).
//
// Spec: #should-block-navigation-response
func ShouldBlockNavigationResponse(request *Request, response *Response, responseCSP *CSPList, navigationType string, target *Navigable, tr *Trace) Verdict {
	const anchor = "should-block-navigation-response"
	responseURL, _ := response.URL()
	defer tr.Enter(anchor, "response %s, type %q, %d ancestors", responseURL, navigationType, len(target.AncestorOrigins))()

	// Step 1
	result := Allowed
	// Step 2: each policy the response delivered.
	for i := range responseCSP.Policies {
		policy := &responseCSP.Policies[i]
		// Step 2.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 2.1.1: its navigation response check, as the response's.
			if NavigationResponseCheck(directive, request, navigationType, response, target, CheckTypeResponse, policy, responseCSP.SelfOrigin, tr) == Allowed {
				continue
			}
			// Step 2.1.2: a violation with no global object (no document
			// exists yet).
			violation := CreateViolationForGlobal(nil, policy, directive.Name, tr)
			violation.Directive, violation.Check, violation.RedirectCount = directive.Name, CheckNavigationResponse, request.RedirectCount
			// Step 2.1.3: the resource is the response's URL.
			violation.Resource = URLResource(responseURL)
			// Step 2.1.4: reported; Ambiguity(A27): recorded at the target.
			ReportViolation(violation, tr)
			target.Reported = append(target.Reported, violation)
			// Step 2.1.5: enforced policies block.
			if policy.Disposition == Enforce {
				tr.Step(anchor, "2.1.5", "response policy %q violated by %s: Blocked", policy.Text, directive.Name)
				result = Blocked
			}
		}
	}
	// Step 3: each policy of the request's policy container.
	cspList := &request.PolicyContainer.CSPList
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 3.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 3.1.1: its navigation response check, as the source's.
			if NavigationResponseCheck(directive, request, navigationType, response, target, CheckTypeSource, policy, responseCSP.SelfOrigin, tr) == Allowed {
				continue
			}
			// Step 3.1.2: a violation for the request's client's global object.
			violation := CreateViolationForGlobal(request.Client, policy, directive.Name, tr)
			violation.Directive, violation.Check, violation.RedirectCount = directive.Name, CheckNavigationResponse, request.RedirectCount
			// Step 3.1.3: the resource is the request's URL.
			violation.Resource = URLResource(request.URL())
			// Step 3.1.4
			ReportViolation(violation, tr)
			// Step 3.1.5: enforced policies block.
			if policy.Disposition == Enforce {
				tr.Step(anchor, "3.1.5", "policy %q violated by %s: Blocked", policy.Text, directive.Name)
				result = Blocked
			}
		}
	}
	// Step 4
	tr.Step(anchor, "4", "%s", result)
	return result
}

// RunGlobalObjectCSPInitialization runs every directive's initialization on
// global (a worker's, when HTML runs it) and returns Blocked if one of them
// does.
//
// Spec: #run-global-object-csp-initialization
func RunGlobalObjectCSPInitialization(global *GlobalObject, tr *Trace) Verdict {
	const anchor = "run-global-object-csp-initialization"
	defer tr.Enter(anchor, "%s", global.Kind)()

	// Step 1
	result := Allowed
	// Step 2: each policy of the global object's CSP list.
	cspList := GetCSPOfObject(global, tr)
	if cspList == nil {
		tr.Step(anchor, "2", "the global object has no CSP list: Blocked")
		return Blocked
	}
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 2.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 2.1.1: its initialization; Blocked blocks.
			if Initialization(directive, global, policy, tr) == Blocked {
				tr.Step(anchor, "2.1.1", "the %s initialization of %q: Blocked", directive.Name, policy.Text)
				result = Blocked
			}
		}
	}
	// Step 3
	tr.Step(anchor, "3", "%s", result)
	return result
}
