package spec

// scopeAnchors are the CSP3 anchors in scope: exactly those the model cites
// in a "Spec: #anchor" line of a function's doc comment (model/*.go). Full
// URLs in Spec lines point at other standards (Fetch, HTML, the URL
// Standard, SRI, …) and are out of scope. TestScopeMatchesModel keeps this
// list and the model in step: citing a new CSP3 anchor in model/ means adding
// it here and regenerating spec/outline.json.
//
// The list is in the spec's document order; the comments name the model file
// that transcribes each group.
var scopeAnchors = []string{
	// framework_policy.go
	"parse-serialized-policy",
	"parse-response-csp",
	// framework_source_list.go (a grammar, see grammarAnchors)
	"framework-directive-source-list",
	// framework_violation.go
	"create-violation-for-global",
	"create-violation-for-request",
	// fetch_integration.go
	"report-for-request",
	"should-block-request",
	"should-block-response",
	"potentially-report-hash",
	// html_integration.go
	"run-document-csp-initialization",
	"get-csp-of-object",
	"should-block-inline",
	"should-block-navigation-request",
	"should-block-navigation-response",
	"run-global-object-csp-initialization",
	// webrtc_integration.go
	"should-block-rtc-connection",
	// ecma_integration.go
	"can-compile-strings",
	// wasm_integration.go
	"can-compile-wasm-bytes",
	// reporting.go
	"obtain-violation-blocked-uri",
	"deprecated-serialize-violation",
	"strip-url-for-use-in-reports",
	"report-violation",
	// directives_fetch.go (the inline checks: directives_fetch_inline.go)
	"child-src-pre-request",
	"child-src-post-request",
	"connect-src-pre-request",
	"connect-src-post-request",
	"default-src-pre-request",
	"default-src-post-request",
	"default-src-inline",
	"font-src-pre-request",
	"font-src-post-request",
	"frame-src-pre-request",
	"frame-src-post-request",
	"img-src-pre-request",
	"img-src-post-request",
	"manifest-src-pre-request",
	"manifest-src-post-request",
	"media-src-pre-request",
	"media-src-post-request",
	"object-src-pre-request",
	"object-src-post-request",
	"script-src-pre-request",
	"script-src-post-request",
	"script-src-inline",
	"script-src-elem-pre-request",
	"script-src-elem-post-request",
	"script-src-elem-inline",
	"script-src-attr-inline",
	"style-src-pre-request",
	"style-src-post-request",
	"style-src-inline",
	"style-src-elem-pre-request",
	"style-src-elem-post-request",
	"style-src-elem-inline",
	"style-src-attr-inline",
	// directives_other.go
	"webrtc-pre-connect",
	"worker-src-pre-request",
	"worker-src-post-request",
	// directives_document.go
	"allow-base-for-document",
	"sandbox-init",
	// directives_navigation.go
	"form-action-pre-navigate",
	"frame-ancestors-navigation-response",
	// script_checks.go
	"script-pre-request",
	"script-post-request",
	// matching_urls.go
	"does-request-violate-policy",
	"does-resource-hint-violate-policy",
	"match-nonce-to-source-list",
	"match-integrity-metadata-to-source-list",
	"match-request-to-source-list",
	"match-response-to-source-list",
	"match-url-to-source-list",
	"match-url-to-source-expression",
	"match-schemes",
	"match-hosts",
	"match-ports",
	"match-paths",
	// matching_elements.go
	"is-element-nonceable",
	"allow-all-inline",
	"match-element-to-source-list",
	// directive_algorithms.go
	"effective-directive-for-a-request",
	"effective-directive-for-inline-check",
	"directive-fallback-list",
	"should-directive-execute",
}

// grammarAnchors are in-scope anchors that name a grammar, not an algorithm:
// their outline entry has no steps but one fingerprint per production, and
// citecheck rejects "Step" citations of them.
var grammarAnchors = map[string]bool{
	"framework-directive-source-list": true,
}

// Scope returns the in-scope CSP3 anchors (without "#"), in document order.
func Scope() []string { return append([]string(nil), scopeAnchors...) }

// IsGrammar reports whether an in-scope anchor names a grammar.
func IsGrammar(anchor string) bool { return grammarAnchors[anchor] }
