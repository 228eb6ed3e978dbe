// Package model is a literal transcription of the algorithms of Content
// Security Policy Level 3: policy parsing, the source-expression grammar, the
// effective directive and its fallbacks, the fetch directives' pre- and
// post-request checks, URL matching (scheme-part, host-part, port-part,
// path-part, 'self', "*"), violations and the Fetch hooks that report and
// block; and beyond requests, the inline checks (nonces, hashes,
// 'unsafe-inline', 'strict-dynamic', 'unsafe-hashes', 'report-sample'), eval
// and WebAssembly compilation, navigations (form-action, javascript: URLs,
// frame-ancestors), base-uri, sandbox, webrtc, and the report-uri body of a
// violation.
//
// It is the project's reference: clarity comes before speed, and the
// optimized engine (package engine) is held to its answers.
//
// # Which spec
//
// The transcription follows w3c/webappsec-csp index.bs at commit
// 3e24aea3421b225f890a5c1f8a415354b6730b32 (2026-04-19), published at
// https://w3c.github.io/webappsec-csp/. Other standards are cited by full URL:
// the URL Standard for URLs, hosts, origins and default ports, Fetch for
// requests, responses and the order of the CSP hooks, HTML for <meta>
// delivery, hyperlink auditing, sandboxing and the callers of the inline and
// navigation checks, Trusted Types for the part of string compilation it
// owns, and the WebSockets, XMLHttpRequest and Beacon standards for the
// connect-src callers.
//
// # How to read it beside the spec
//
// Every transcribed algorithm is one exported function named after it
// (MatchURLToSourceExpression for "Does url match expression in origin with
// redirect count?"), whose doc comment ends with a line
//
//	Spec: #match-url-to-source-expression
//
// naming the algorithm's anchor. Inside, each step is a comment
//
//	// Step 3.2: …
//
// in the project's own words, right above the code of that step, in the
// spec's order. Steps that cannot change a decision here still appear, marked
// "(no effect)", "(assert)" or "(not modelled)". Where the text is ambiguous
// or contradicts itself the comment says Ambiguity(An), and docs/spec-mapping.md
// explains the reading the model takes. Results use the spec's vocabulary:
// Matches / Does Not Match, Allowed / Blocked, Yes / No.
//
// Every function takes a *Trace as its last argument. A nil trace records
// nothing; a non-nil one records each step that decided something, with its
// anchor and step number, so `csp check --trace` can show why a request was
// blocked.
//
// # Entry points
//
// NewCSPList builds a document's CSP list from its Content-Security-Policy
// headers and <meta> elements. The request constructors (NewFetchRequest,
// NewXHRRequest, NewEventSourceRequest, NewBeaconRequest, NewPingRequest,
// NewWebSocketRequest) build the requests the connect-src callers make.
// Decide runs Fetch's CSP hooks for a request across its URL list and returns
// the verdict and every violation reported. The checks that are not requests
// have entry points in the same style, each taking the Environment of the
// global object it runs in (its CSP list, kind, URL, referrer, status and
// running script): DecideInline, DecideEval, DecideWasm,
// DecideNavigationRequest, DecideNavigationResponse, DecideBase,
// DecideSandbox (which also returns the sandboxing flags) and DecideRTC.
// DeprecatedSerializeViolation turns any violation into the JSON body the
// report-uri directive sends.
//
// # Security considerations
//
// The model never panics and never fails on a policy: it skips what it cannot
// parse, as the spec does. It fails only on inputs that cannot occur (a string
// that is not a URL, an unknown inline check type, a policy whose disposition
// or source is none of the named values, …), and then returns an error with a
// Blocked verdict. Strings from the page (inline text, eval'd
// code) may hold any bytes. Where the spec's text is
// ambiguous, the reading the model takes is written down; where it must pick,
// it picks the reading that blocks. A wrong Allowed is a security bug.
package model
