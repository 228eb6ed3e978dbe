package model

// isScriptLike reports whether a destination is script-like
// (https://fetch.spec.whatwg.org/#request-destination-script-like, read at
// whatwg/fetch 586cd2a). Fetch no longer counts "xslt" as script-like,
// although CSP still gives it script-src-elem as its effective directive.
func isScriptLike(destination string) bool {
	switch destination {
	case "audioworklet", "paintworklet", "script", "serviceworker", "sharedworker", "worker":
		return true
	}
	return false
}

// checkedAsScript reports whether the script checks (#script-pre-request and
// #script-post-request step 1) look at a request with this destination.
// Ambiguity(A8): the steps ask for a script-like destination, and Fetch no
// longer counts "xslt" as one; read with today's Fetch, the script
// directives would allow every xslt request, although
// #effective-directive-for-a-request sends xslt requests to script-src-elem
// precisely so that they are checked. The model takes the reading that
// blocks: xslt requests are checked as scripts, as when Fetch listed them.
func checkedAsScript(destination string) bool {
	return isScriptLike(destination) || destination == "xslt"
}

// ScriptPreRequest is the pre-request check shared by script-src and
// script-src-elem: nonces, integrity metadata and 'strict-dynamic' first,
// then the URL.
//
// Spec: #script-pre-request
func ScriptPreRequest(request *Request, directive Directive, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "script-pre-request"
	defer tr.Enter(anchor, "destination %q", request.Destination)()

	// Step 1: only script-like destinations are checked here (xslt
	// included, see checkedAsScript).
	if checkedAsScript(request.Destination) {
		// Step 1.1: a matching nonce allows the request.
		if MatchNonceToSourceList(request.CryptographicNonceMetadata, directive.Value, tr) == Matches {
			tr.Step(anchor, "1.1", "nonce Matches: Allowed")
			return Allowed
		}
		// Step 1.2: matching integrity metadata allows the request.
		if MatchIntegrityMetadataToSourceList(request.IntegrityMetadata, directive.Value, tr) == Matches {
			tr.Step(anchor, "1.2", "integrity metadata Matches: Allowed")
			return Allowed
		}
		// Step 1.3: with 'strict-dynamic', only parser-inserted requests are
		// blocked, and the URL does not count.
		if containsKeyword(directive.Value, "'strict-dynamic'") {
			// Step 1.3.1
			if request.ParserMetadata == "parser-inserted" {
				tr.Step(anchor, "1.3.1", "'strict-dynamic' and parser-inserted: Blocked")
				return Blocked
			}
			tr.Step(anchor, "1.3.1", "'strict-dynamic' and not parser-inserted: Allowed")
			return Allowed
		}
		// Step 1.4: otherwise the URL must match.
		if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
			tr.Step(anchor, "1.4", "Does Not Match: Blocked")
			return Blocked
		}
	}
	// Step 2
	tr.Step(anchor, "2", "Allowed")
	return Allowed
}

// ScriptPostRequest is the post-request check shared by script-src and
// script-src-elem.
//
// Spec: #script-post-request
func ScriptPostRequest(request *Request, response *Response, directive Directive, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "script-post-request"
	defer tr.Enter(anchor, "destination %q", request.Destination)()

	// Step 1: only script-like destinations are checked here (xslt
	// included, see checkedAsScript).
	if checkedAsScript(request.Destination) {
		// Step 1.1: a csp-hash report, when asked for (no effect on the
		// verdict).
		PotentiallyReportHash(response, request, directive, policy, tr)
		// Step 1.2: a matching nonce allows the response.
		if MatchNonceToSourceList(request.CryptographicNonceMetadata, directive.Value, tr) == Matches {
			tr.Step(anchor, "1.2", "nonce Matches: Allowed")
			return Allowed
		}
		// Step 1.3: matching integrity metadata allows the response.
		if MatchIntegrityMetadataToSourceList(request.IntegrityMetadata, directive.Value, tr) == Matches {
			tr.Step(anchor, "1.3", "integrity metadata Matches: Allowed")
			return Allowed
		}
		// Step 1.4: with 'strict-dynamic', only parser-inserted requests are
		// blocked.
		if containsKeyword(directive.Value, "'strict-dynamic'") {
			// Step 1.4.1
			if request.ParserMetadata == "parser-inserted" {
				tr.Step(anchor, "1.4.1", "'strict-dynamic' and parser-inserted: Blocked")
				return Blocked
			}
			tr.Step(anchor, "1.4.1", "'strict-dynamic' and not parser-inserted: Allowed")
			return Allowed
		}
		// Step 1.5: otherwise the response's URL must match.
		if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
			tr.Step(anchor, "1.5", "Does Not Match: Blocked")
			return Blocked
		}
	}
	// Step 2
	tr.Step(anchor, "2", "Allowed")
	return Allowed
}
