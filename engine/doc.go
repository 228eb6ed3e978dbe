// Package engine decides Content Security Policy requests as package model
// does, fast: a CSP list is compiled into a value that is safe for
// concurrent use, and each decision on an already parsed URL allocates
// nothing, but those that lay out an effective directive (once per CSP and
// directive, below).
//
// The model follows the spec's algorithms step by step; the engine makes the
// same decisions from precomputed data, and the fuzz/ and differential/
// packages hold it to the model:
//
//   - Compile reads each policy once, noting where each directive a request
//     can consult starts, and compiles nothing else: a policy seen once costs
//     about what its first decision reads. The first request of each
//     effective directive that the URL alone decides (no nonce, integrity,
//     'strict-dynamic' or WebTransport hashes can matter, and no resource
//     hint) is decided by reading the deciding directives' values as text,
//     each source expression matched where it stands and host-sources whose
//     host cannot be the URL's skipped unread (scan.go). The next request
//     of that effective directive, and the first of any other, lays out,
//     once and safely for concurrent use, which directive of each policy
//     decides (the fallback list, #directive-fallback-list) as an array of
//     deciders, report-only policies first, each with a copy of its
//     compiled source list: a decision walks one short array, in the order
//     main fetch consults the policies. Both ways give the same decision
//     and violations, which corpus.RunEngine checks on every case.
//   - A compiled source list keeps schemes as a bitset of small integers and
//     each host-source as a 12-byte record of offsets into the policy's own
//     text, its port as an integer and its scheme as bits, so that a
//     compiled list is no larger than the model's parsed one. A list of up
//     to 16 host-sources is scanned in order; a longer one groups its
//     records by the hash of their host (exact hosts, and "*." wildcards by
//     the suffix they require), so that a list of 10,000 host-sources costs
//     about what a list of 10 does.
//   - ParseURL parses ordinary absolute URLs itself (http, https, ws, wss
//     and ftp, non-special URLs with a host, and data:, blob:, about: and
//     mailto: URLs of the shapes its documentation lists), without
//     allocating when they are already canonical, and hands anything
//     unusual to the model's WHATWG parser, so its result is always the
//     WHATWG result.
//   - The checks that are not requests (DecideInline, DecideEval,
//     DecideWasm, DecideNavigationRequest, DecideNavigationResponse,
//     DecideBase, DecideSandbox, DecideRTC; checks.go) compile the whole CSP
//     list on the first such check, once: per policy, the directive that
//     decides each kind of inline check (its fallback chain resolved), its
//     nonces, its hashes decoded to digests and its keywords as flags, and
//     the lists of base-uri, form-action and frame-ancestors. They compile
//     from the policies' texts Compile kept (those of the policies no
//     request consults too), not from the caller's deliveries, which the
//     caller may change or reuse once Compile returns. (*CSP).Checks returns
//     that compiled list, whose methods decide the same checks on input
//     prepared once (PrepareNavigation, PrepareAncestors, PrepareURL,
//     PrepareCompilation, ParseInlineType). Base-uri, form-action and
//     frame-ancestors match prepared URLs with a matcher of their own
//     (checks_match.go): each policy's list with the scheme bits that
//     decide whatever the host and its host-sources read once, and each
//     URL's scheme, host and port read once.
//
// Every refusal comes with a Blocked verdict: a request the API or Fetch
// would not make, or whose destination, initiator, mode or parser metadata
// Fetch does not name (ErrRequest); an input of a check that cannot occur
// (model.ErrBadInput); every decision on a CSP compiled from a delivery
// whose Disposition or Source is none of the named values, which (*CSP).Err
// reports at once; and every decision on a CSP or Checks that Compile did
// not make, a nil pointer or a zero value, which would otherwise read as a
// list of no policy and allow everything (ErrNotCompiled). A nil Decision
// or CheckDecision has nowhere to take a verdict: it is refused with
// ErrNoDecision. No method of a CSP panics on a nil pointer. The compiled
// list (*CSP).Checks returns, never nil, does not test its own pointers,
// so that no decision pays for it (the Checks documentation).
//
// Every URL a request or a check takes (Request.URLs, the navigation
// checks' URL lists, DecideBase's URL, PrepareURL, PrepareNavigation) is a
// model.URL record as ParseURL, ParseURLInto or model.ParseURL gives it
// (an ancestor's, as AncestorURL gives it). A record built by hand is not
// checked. It is decided as the model decides it when its path lacks the
// "/" in front or is empty, its port is its scheme's default written out
// or past 65535, or its host's kind contradicts its text. Upper-case
// letters in its scheme or in a domain (which no parser leaves) are read
// as written: the engine may then block where the model, which folds case,
// allows, and never allows what the model blocks. The fuzz targets decide
// every request, navigation and base URL under such records too
// (fuzz/handbuilt.go); not an ancestor, which the model takes as an
// origin.
//
// A *CSP is safe for concurrent use. Decide writes into a caller-owned
// Decision whose Violations slice is reused across calls; a violation's
// blockedURI is computed only when asked for (Violation.BlockedURI). The
// checks beyond requests write into a CheckDecision the same way, whose
// Violations are read-only: after DecideWasm, DecideRTC, and DecideEval
// without Trusted Types or samples, they are the compiled list's own; a
// CheckViolation's strings too are computed when asked for.
//
// Typical use (ExampleCSP_Decide runs it):
//
//	self, err := engine.ParseOrigin("https://example.com")
//	if err != nil {
//		panic(err)
//	}
//	c := engine.Compile([]model.PolicyDelivery{{Value: "connect-src https://example.com/"}}, self)
//	u, err := engine.ParseURL("https://not-example.com/api")
//	if err != nil {
//		panic(err)
//	}
//	var d engine.Decision
//	if err := c.Decide(&engine.Request{Kind: engine.KindFetch, URLs: []model.URL{u}}, &d); err != nil {
//		panic(err) // a request fetch() or Fetch would refuse; d.Verdict is Blocked
//	}
//	fmt.Println(d.Verdict)
//
// The engine depends on the model, the standard library and the WHATWG URL
// parser only; the vector format's adapters (corpus.RunEngine,
// corpus.CompileCase) live with the vector format.
package engine
