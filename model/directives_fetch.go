package model

// This file holds the fetch directives' pre-request and post-request checks
// (#directives-fetch), in the spec's order, and the dispatch that runs "the
// pre-request check of a directive" by its name.

// checkFuncs are a directive's two checks. Each takes the directive whose
// value it compares; a directive that defers to another (default-src,
// child-src) passes its own value to the other's check, as the spec says.
type checkFuncs struct {
	pre  func(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict
	post func(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict
}

// directiveChecks maps directive names to their checks. Directives not listed
// have neither, and their checks return Allowed (#framework-directives).
var directiveChecks map[string]checkFuncs

func init() {
	directiveChecks = map[string]checkFuncs{
		"child-src":       {ChildSrcPreRequestCheck, ChildSrcPostRequestCheck},
		"connect-src":     {ConnectSrcPreRequestCheck, ConnectSrcPostRequestCheck},
		"default-src":     {DefaultSrcPreRequestCheck, DefaultSrcPostRequestCheck},
		"font-src":        {FontSrcPreRequestCheck, FontSrcPostRequestCheck},
		"frame-src":       {FrameSrcPreRequestCheck, FrameSrcPostRequestCheck},
		"img-src":         {ImgSrcPreRequestCheck, ImgSrcPostRequestCheck},
		"manifest-src":    {ManifestSrcPreRequestCheck, ManifestSrcPostRequestCheck},
		"media-src":       {MediaSrcPreRequestCheck, MediaSrcPostRequestCheck},
		"object-src":      {ObjectSrcPreRequestCheck, ObjectSrcPostRequestCheck},
		"script-src":      {ScriptSrcPreRequestCheck, ScriptSrcPostRequestCheck},
		"script-src-elem": {ScriptSrcElemPreRequestCheck, ScriptSrcElemPostRequestCheck},
		"style-src":       {StyleSrcPreRequestCheck, StyleSrcPostRequestCheck},
		"style-src-elem":  {StyleSrcElemPreRequestCheck, StyleSrcElemPostRequestCheck},
		"worker-src":      {WorkerSrcPreRequestCheck, WorkerSrcPostRequestCheck},
	}
}

// PreRequestCheck runs the pre-request check of the directive named
// directive.Name, comparing against directive.Value. Directives without one
// return Allowed.
func PreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	if c, ok := directiveChecks[directive.Name]; ok {
		return c.pre(directive, request, policy, selfOrigin, tr)
	}
	return Allowed
}

// PostRequestCheck runs the post-request check of the directive named
// directive.Name, comparing against directive.Value. Directives without one
// return Allowed.
func PostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	if c, ok := directiveChecks[directive.Name]; ok {
		return c.post(directive, request, response, policy, selfOrigin, tr)
	}
	return Allowed
}

// ChildSrcPreRequestCheck is the pre-request check of child-src: for frame
// and worker requests that have no directive of their own, it runs their
// directive's check with child-src's value.
//
// Spec: #child-src-pre-request
func ChildSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "child-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: child-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "child-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the effective directive's check, with child-src's value.
	tr.Step(anchor, "3", "running the %s pre-request check with this value", name)
	return PreRequestCheck(Directive{Name: name, Value: directive.Value}, request, policy, selfOrigin, tr)
}

// ChildSrcPostRequestCheck is the post-request check of child-src.
//
// Spec: #child-src-post-request
func ChildSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "child-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: child-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "child-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the effective directive's check, with child-src's value.
	tr.Step(anchor, "3", "running the %s post-request check with this value", name)
	return PostRequestCheck(Directive{Name: name, Value: directive.Value}, request, response, policy, selfOrigin, tr)
}

// ConnectSrcPreRequestCheck is the pre-request check of connect-src: fetch(),
// XMLHttpRequest, EventSource, sendBeacon, <a ping> and WebSocket requests
// must match its source list.
//
// Spec: #connect-src-pre-request
func ConnectSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "connect-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: connect-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "connect-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the directive's value.
	sourceList := directive.Value
	// Step 4: WebTransport with server certificate hashes needs
	// 'unsafe-webtransport-hashes'.
	if request.Mode == "webtransport" && len(request.WebTransportHashList) > 0 {
		// Step 4.1
		if containsKeyword(sourceList, "'unsafe-webtransport-hashes'") {
			tr.Step(anchor, "4.1", "'unsafe-webtransport-hashes' present: Allowed")
			return Allowed
		}
		// Step 4.2
		tr.Step(anchor, "4.2", "WebTransport hashes without 'unsafe-webtransport-hashes': Blocked")
		return Blocked
	}
	// Step 5: a match allows the request.
	if MatchRequestToSourceList(request, sourceList, selfOrigin, tr) == Matches {
		tr.Step(anchor, "5", "Matches: Allowed")
		return Allowed
	}
	// Step 6
	tr.Step(anchor, "6", "Does Not Match: Blocked")
	return Blocked
}

// ConnectSrcPostRequestCheck is the post-request check of connect-src.
//
// Spec: #connect-src-post-request
func ConnectSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "connect-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: connect-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "connect-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the directive's value.
	sourceList := directive.Value
	// Step 4: WebTransport with server certificate hashes needs
	// 'unsafe-webtransport-hashes'.
	if request.Mode == "webtransport" && len(request.WebTransportHashList) > 0 {
		// Step 4.1
		if containsKeyword(sourceList, "'unsafe-webtransport-hashes'") {
			tr.Step(anchor, "4.1", "'unsafe-webtransport-hashes' present: Allowed")
			return Allowed
		}
		// Step 4.2
		tr.Step(anchor, "4.2", "WebTransport hashes without 'unsafe-webtransport-hashes': Blocked")
		return Blocked
	}
	// Step 5: a matching response is allowed.
	if MatchResponseToSourceList(response, request, sourceList, selfOrigin, tr) == Matches {
		tr.Step(anchor, "5", "Matches: Allowed")
		return Allowed
	}
	// Step 6
	tr.Step(anchor, "6", "Does Not Match: Blocked")
	return Blocked
}

// containsKeyword reports whether sourceList holds an ASCII case-insensitive
// match for keyword.
func containsKeyword(sourceList []string, keyword string) bool {
	for _, e := range sourceList {
		if equalFoldASCII(e, keyword) {
			return true
		}
	}
	return false
}

// DefaultSrcPreRequestCheck is the pre-request check of default-src: for
// requests whose own directive is absent, it runs that directive's check with
// default-src's value.
//
// Spec: #default-src-pre-request
func DefaultSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "default-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: default-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "default-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the effective directive's check, with default-src's value.
	tr.Step(anchor, "3", "running the %s pre-request check with this value", name)
	return PreRequestCheck(Directive{Name: name, Value: directive.Value}, request, policy, selfOrigin, tr)
}

// DefaultSrcPostRequestCheck is the post-request check of default-src.
//
// Spec: #default-src-post-request
func DefaultSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "default-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: default-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "default-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the effective directive's check, with default-src's value.
	tr.Step(anchor, "3", "running the %s post-request check with this value", name)
	return PostRequestCheck(Directive{Name: name, Value: directive.Value}, request, response, policy, selfOrigin, tr)
}

// FontSrcPreRequestCheck is the pre-request check of font-src.
//
// Spec: #font-src-pre-request
func FontSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "font-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: font-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "font-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// FontSrcPostRequestCheck is the post-request check of font-src.
//
// Spec: #font-src-post-request
func FontSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "font-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: font-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "font-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// FrameSrcPreRequestCheck is the pre-request check of frame-src.
//
// Spec: #frame-src-pre-request
func FrameSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "frame-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: frame-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "frame-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// FrameSrcPostRequestCheck is the post-request check of frame-src.
//
// Spec: #frame-src-post-request
func FrameSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "frame-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: frame-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "frame-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// ImgSrcPreRequestCheck is the pre-request check of img-src.
//
// Spec: #img-src-pre-request
func ImgSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "img-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: img-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "img-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// ImgSrcPostRequestCheck is the post-request check of img-src.
//
// Spec: #img-src-post-request
func ImgSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "img-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: img-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "img-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// ManifestSrcPreRequestCheck is the pre-request check of manifest-src.
//
// Spec: #manifest-src-pre-request
func ManifestSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "manifest-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: manifest-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "manifest-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// ManifestSrcPostRequestCheck is the post-request check of manifest-src.
//
// Spec: #manifest-src-post-request
func ManifestSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "manifest-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: manifest-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "manifest-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// MediaSrcPreRequestCheck is the pre-request check of media-src.
//
// Spec: #media-src-pre-request
func MediaSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "media-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: media-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "media-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// MediaSrcPostRequestCheck is the post-request check of media-src.
//
// Spec: #media-src-post-request
func MediaSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "media-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: media-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "media-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// ObjectSrcPreRequestCheck is the pre-request check of object-src.
//
// Spec: #object-src-pre-request
func ObjectSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "object-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: object-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "object-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// ObjectSrcPostRequestCheck is the post-request check of object-src.
//
// Spec: #object-src-post-request
func ObjectSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "object-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: object-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "object-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// ScriptSrcPreRequestCheck is the pre-request check of script-src.
//
// Spec: #script-src-pre-request
func ScriptSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "script-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: script-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "script-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the script directives' shared check.
	return ScriptPreRequest(request, directive, policy, selfOrigin, tr)
}

// ScriptSrcPostRequestCheck is the post-request check of script-src.
//
// Spec: #script-src-post-request
func ScriptSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "script-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: script-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "script-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the script directives' shared check.
	return ScriptPostRequest(request, response, directive, policy, selfOrigin, tr)
}

// ScriptSrcElemPreRequestCheck is the pre-request check of script-src-elem.
//
// Spec: #script-src-elem-pre-request
func ScriptSrcElemPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "script-src-elem-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: script-src-elem stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "script-src-elem", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the script directives' shared check.
	return ScriptPreRequest(request, directive, policy, selfOrigin, tr)
}

// ScriptSrcElemPostRequestCheck is the post-request check of script-src-elem.
//
// Spec: #script-src-elem-post-request
func ScriptSrcElemPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "script-src-elem-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: script-src-elem stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "script-src-elem", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the script directives' shared check.
	return ScriptPostRequest(request, response, directive, policy, selfOrigin, tr)
}

// StyleSrcPreRequestCheck is the pre-request check of style-src: a matching nonce or
// a matching URL allows the request.
//
// Spec: #style-src-pre-request
func StyleSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "style-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: style-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "style-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: a matching nonce allows the request.
	if MatchNonceToSourceList(request.CryptographicNonceMetadata, directive.Value, tr) == Matches {
		tr.Step(anchor, "3", "nonce Matches: Allowed")
		return Allowed
	}
	// Step 4: otherwise the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "4", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 5
	tr.Step(anchor, "5", "Allowed")
	return Allowed
}

// StyleSrcPostRequestCheck is the post-request check of style-src.
//
// Spec: #style-src-post-request
func StyleSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "style-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: style-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "style-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: a matching nonce allows the response.
	if MatchNonceToSourceList(request.CryptographicNonceMetadata, directive.Value, tr) == Matches {
		tr.Step(anchor, "3", "nonce Matches: Allowed")
		return Allowed
	}
	// Step 4: otherwise the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "4", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 5
	tr.Step(anchor, "5", "Allowed")
	return Allowed
}

// StyleSrcElemPreRequestCheck is the pre-request check of style-src-elem: a matching nonce or
// a matching URL allows the request.
//
// Spec: #style-src-elem-pre-request
func StyleSrcElemPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "style-src-elem-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: style-src-elem stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "style-src-elem", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: a matching nonce allows the request.
	if MatchNonceToSourceList(request.CryptographicNonceMetadata, directive.Value, tr) == Matches {
		tr.Step(anchor, "3", "nonce Matches: Allowed")
		return Allowed
	}
	// Step 4: otherwise the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "4", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 5
	tr.Step(anchor, "5", "Allowed")
	return Allowed
}

// StyleSrcElemPostRequestCheck is the post-request check of style-src-elem.
//
// Spec: #style-src-elem-post-request
func StyleSrcElemPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "style-src-elem-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: style-src-elem stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "style-src-elem", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: a matching nonce allows the response.
	if MatchNonceToSourceList(request.CryptographicNonceMetadata, directive.Value, tr) == Matches {
		tr.Step(anchor, "3", "nonce Matches: Allowed")
		return Allowed
	}
	// Step 4: otherwise the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "4", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 5
	tr.Step(anchor, "5", "Allowed")
	return Allowed
}

// WorkerSrcPreRequestCheck is the pre-request check of worker-src.
//
// Spec: #worker-src-pre-request
func WorkerSrcPreRequestCheck(directive Directive, request *Request, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "worker-src-pre-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: worker-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "worker-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the request must match the source list.
	if MatchRequestToSourceList(request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}

// WorkerSrcPostRequestCheck is the post-request check of worker-src.
//
// Spec: #worker-src-post-request
func WorkerSrcPostRequestCheck(directive Directive, request *Request, response *Response, policy *Policy, selfOrigin Origin, tr *Trace) Verdict {
	const anchor = "worker-src-post-request"
	defer tr.Enter(anchor, "%s", directive.Name)()

	// Step 1: the request's effective directive.
	name := EffectiveDirectiveForRequest(request, tr)
	// Step 2: worker-src stays out of requests another directive decides.
	if ShouldDirectiveExecute(name, "worker-src", policy, tr) == No {
		tr.Step(anchor, "2", "does not execute: Allowed")
		return Allowed
	}
	// Step 3: the response must match the source list.
	if MatchResponseToSourceList(response, request, directive.Value, selfOrigin, tr) == DoesNotMatch {
		tr.Step(anchor, "3", "Does Not Match: Blocked")
		return Blocked
	}
	// Step 4
	tr.Step(anchor, "4", "Allowed")
	return Allowed
}
