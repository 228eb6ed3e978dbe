package model

// EffectiveDirectiveForRequest returns the name of the fetch directive that
// governs request, or "" for null (requests whose destination is "report").
//
// Spec: #effective-directive-for-a-request
func EffectiveDirectiveForRequest(request *Request, tr *Trace) string {
	const anchor = "effective-directive-for-a-request"

	// Step 1: resource hints fall to default-src.
	if request.Initiator == "prefetch" || request.Initiator == "prerender" {
		tr.Step(anchor, "1", "initiator %s: default-src", request.Initiator)
		return "default-src"
	}

	// Step 2: by destination.
	name, known := "", true
	switch request.Destination {
	case "":
		name = "connect-src"
	case "manifest":
		name = "manifest-src"
	case "object", "embed":
		name = "object-src"
	case "frame", "iframe":
		name = "frame-src"
	case "audio", "track", "video":
		name = "media-src"
	case "font":
		name = "font-src"
	case "image":
		name = "img-src"
	case "style":
		name = "style-src-elem"
	case "script", "xslt", "audioworklet", "paintworklet":
		name = "script-src-elem"
	case "serviceworker", "sharedworker", "worker":
		name = "worker-src"
	case "json", "text", "webidentity":
		name = "connect-src"
	case "report":
		tr.Step(anchor, "2", "destination report: null")
		return ""
	default:
		known = false
	}
	if known {
		tr.Step(anchor, "2", "destination %q: %s", request.Destination, name)
		return name
	}

	// Step 3: any other destination falls to connect-src. Ambiguity(A28):
	// that includes "document", the destination of a top-level navigation,
	// which browsers never check against connect-src (navigations have
	// checks of their own); the model follows the step, so a request with
	// destination "document" is decided by connect-src.
	tr.Step(anchor, "3", "destination %q has no case: connect-src", request.Destination)
	return "connect-src"
}

// EffectiveDirectiveForInlineCheck returns the name of the directive most
// relevant to an inline check of type typ, or "" (null) for other types.
//
// Spec: #effective-directive-for-inline-check
func EffectiveDirectiveForInlineCheck(typ string, tr *Trace) string {
	const anchor = "effective-directive-for-inline-check"
	// Step 1: by type.
	name := ""
	switch typ {
	case InlineScript, InlineNavigation:
		name = "script-src-elem"
	case InlineScriptAttribute:
		name = "script-src-attr"
	case InlineStyle:
		name = "style-src-elem"
	case InlineStyleAttribute:
		name = "style-src-attr"
	}
	if name != "" {
		tr.Step(anchor, "1", "type %q: %s", typ, name)
		return name
	}
	// Step 2: null.
	tr.Step(anchor, "2", "type %q: null", typ)
	return ""
}

// DirectiveFallbackList returns the directives that stand in for
// directiveName, most relevant first, itself included; empty for names that
// have no fallback list.
//
// Spec: #directive-fallback-list
func DirectiveFallbackList(directiveName string) []string {
	// Step 1: by name.
	switch directiveName {
	case "script-src-elem":
		return []string{"script-src-elem", "script-src", "default-src"}
	case "script-src-attr":
		return []string{"script-src-attr", "script-src", "default-src"}
	case "style-src-elem":
		return []string{"style-src-elem", "style-src", "default-src"}
	case "style-src-attr":
		return []string{"style-src-attr", "style-src", "default-src"}
	case "worker-src":
		return []string{"worker-src", "child-src", "script-src", "default-src"}
	case "connect-src":
		return []string{"connect-src", "default-src"}
	case "manifest-src":
		return []string{"manifest-src", "default-src"}
	case "object-src":
		return []string{"object-src", "default-src"}
	case "frame-src":
		return []string{"frame-src", "child-src", "default-src"}
	case "media-src":
		return []string{"media-src", "default-src"}
	case "font-src":
		return []string{"font-src", "default-src"}
	case "img-src":
		return []string{"img-src", "default-src"}
	}
	// Step 2: no fallback list.
	return nil
}

// ShouldDirectiveExecute reports whether the directive named directiveName is
// the one that decides for effectiveDirectiveName in policy: the first
// directive of the fallback list that the policy has.
//
// Spec: #should-directive-execute
func ShouldDirectiveExecute(effectiveDirectiveName, directiveName string, policy *Policy, tr *Trace) ShouldExecute {
	const anchor = "should-directive-execute"

	// Step 1: the fallback list of the effective directive.
	directiveFallbackList := DirectiveFallbackList(effectiveDirectiveName)

	// Step 2: walk it, most relevant first.
	for _, fallbackDirective := range directiveFallbackList {
		// Step 2.1: reached this directive first: it executes.
		if directiveName == fallbackDirective {
			tr.Step(anchor, "2.1", "%s decides for %s: Yes", directiveName, effectiveDirectiveName)
			return Yes
		}
		// Step 2.2: a more relevant directive is present: this one defers.
		if _, present := policy.Directive(fallbackDirective); present {
			tr.Step(anchor, "2.2", "%s is present and decides for %s: %s does not execute", fallbackDirective, effectiveDirectiveName, directiveName)
			return No
		}
	}

	// Step 3: not in the list at all.
	tr.Step(anchor, "3", "%s is not in the fallback list of %q: No", directiveName, effectiveDirectiveName)
	return No
}
