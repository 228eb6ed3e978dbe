package model

// This file holds the navigation directives (#directives-navigation), in the
// spec's order: form-action's pre-navigation check and frame-ancestors'
// navigation response check, with the dispatches that run them by name.

// PreNavigationCheck runs the pre-navigation check of the directive named
// directive.Name: form-action's, or Allowed for every other directive.
func PreNavigationCheck(directive Directive, request *Request, navigationType string, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	if directive.Name == "form-action" {
		return FormActionPreNavigate(directive, request, navigationType, policy, selfOrigin, tr)
	}
	return Allowed
}

// FormActionPreNavigate is form-action's pre-navigation check: a form
// submission's request must match the directive's source list.
//
// Spec: #form-action-pre-navigate
func FormActionPreNavigate(directive Directive, request *Request, navigationType string, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "form-action-pre-navigate"
	defer tr.Enter(anchor, "type %q", navigationType)()

	// Step 1 (assert): the policy is not used.
	// Step 2: only form submissions are checked.
	if navigationType == NavigationFormSubmission {
		// Step 2.1: the request (its current URL) must match.
		if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
			tr.Step(anchor, "2.1", "Does Not Match: Blocked")
			return Blocked
		}
	}
	// Step 3
	tr.Step(anchor, "3", "Allowed")
	return Allowed
}

// NavigationResponseCheck runs the navigation response check of the
// directive named directive.Name: frame-ancestors', or Allowed for every
// other directive.
func NavigationResponseCheck(directive Directive, request *Request, navigationType string, response *Response, target *Navigable, checkType string, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	if directive.Name == "frame-ancestors" {
		return FrameAncestorsNavigationResponse(directive, request, navigationType, response, target, checkType, policy, selfOrigin, tr)
	}
	return Allowed
}

// isLocal reports whether u is local (https://fetch.spec.whatwg.org/#is-local):
// its scheme is a local scheme, "about", "blob" or "data".
func isLocal(u URL) bool {
	switch u.Scheme {
	case "about", "blob", "data":
		return true
	}
	return false
}

// FrameAncestorsNavigationResponse is frame-ancestors' navigation response
// check: the origin of every document that embeds target, from its parent
// up, must match the directive delivered with the response.
//
// Spec: #frame-ancestors-navigation-response
func FrameAncestorsNavigationResponse(directive Directive, request *Request, navigationType string, response *Response, target *Navigable, checkType string, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "frame-ancestors-navigation-response"
	defer tr.Enter(anchor, "check type %q, %d ancestors", checkType, len(target.AncestorOrigins))()

	// Step 1: local responses (about:, blob:, data:) are never refused.
	// A response without a URL is a network error; the model checks it as
	// not local.
	if u, ok := response.URL(); ok && isLocal(u) {
		tr.Step(anchor, "1", "response URL %s is local: Allowed", u)
		return Allowed
	}
	// Step 2 (assert): request, response and navigation type are not used
	// from here on.
	// Step 3: the directive governs the response's own embedding, not the
	// navigating document.
	if checkType == CheckTypeSource {
		tr.Step(anchor, "3", "check type source: Allowed")
		return Allowed
	}
	// Step 4: a top-level traversable has no ancestors.
	if !target.isChild() {
		tr.Step(anchor, "4", "top-level: Allowed")
		return Allowed
	}
	// Step 5: start at the target.
	current := 0
	// Step 6: walk up the container documents.
	for current < len(target.AncestorOrigins) {
		// Step 6.1: the container document (the model knows its origin).
		documentOrigin := target.AncestorOrigins[current]
		// Step 6.2: its origin as a URL. Ambiguity(A21): an opaque origin
		// serializes to "null", which the URL parser rejects; the model
		// takes such an ancestor to match nothing, so it is refused.
		origin, err := ParseURL(documentOrigin.String())
		// Step 6.3: every ancestor must match, with no redirects.
		if err != nil || MatchURLToSourceList(origin, directive.Value, selfOrigin, 0, tr) == DoesNotMatch {
			tr.Step(anchor, "6.3", "ancestor %s does not match: Blocked", documentOrigin)
			return Blocked
		}
		// Step 6.4: on to the document's own navigable.
		current++
	}
	// Step 7
	tr.Step(anchor, "7", "every ancestor matches: Allowed")
	return Allowed
}
