package model

import (
	"strconv"
	"strings"
)

// DoesRequestViolatePolicy runs every directive's pre-request check of policy
// on request, and returns the last directive whose check said Blocked, or
// false for "Does Not Violate".
//
// Spec: #does-request-violate-policy
func DoesRequestViolatePolicy(request *Request, policy *Policy, selfOrigin Origin, tr *Trace) (Directive, bool) {
	const anchor = "does-request-violate-policy"
	defer tr.Enter(anchor, "policy %q", policy.Text)()

	// Step 1: resource hints have an algorithm of their own. Ambiguity(A29):
	// the step names only "prefetch", but #effective-directive-for-a-request
	// step 1 treats "prerender" alike, and read literally no directive
	// executes for a prerender (default-src, its effective directive, has no
	// fallback list), so it would never be blocked. The model decides both
	// resource hints here, the reading that blocks.
	if request.Initiator == "prefetch" || request.Initiator == "prerender" {
		tr.Step(anchor, "1", "initiator is %s: resource-hint check", request.Initiator)
		return DoesResourceHintViolatePolicy(request, policy, selfOrigin, tr)
	}

	// Step 2: nothing violated yet.
	var violates Directive
	violated := false

	// Step 3: each directive's pre-request check.
	for _, directive := range policy.DirectiveSet {
		// Step 3.1: run the check.
		result := PreRequestCheck(directive, request, policy, selfOrigin, tr)
		// Step 3.2: a Blocked result makes this directive the violated one.
		if result == Blocked {
			tr.Step(anchor, "3.2", "%s pre-request check: Blocked", directive.Name)
			violates, violated = directive, true
		}
	}

	// Step 4: the violated directive, or Does Not Violate.
	if violated {
		tr.Step(anchor, "4", "violates %s", violates.Name)
	} else {
		tr.Step(anchor, "4", "Does Not Violate")
	}
	return violates, violated
}

// resourceHintDirectives are the directives whose source lists together
// govern resource hints (#does-resource-hint-violate-policy step 3.1).
var resourceHintDirectives = map[string]bool{
	"child-src": true, "connect-src": true, "font-src": true, "frame-src": true,
	"img-src": true, "manifest-src": true, "media-src": true, "object-src": true,
	"script-src": true, "script-src-elem": true, "style-src": true,
	"style-src-elem": true, "worker-src": true,
}

// DoesResourceHintViolatePolicy decides a prefetch: it violates the policy's
// default-src unless some fetch directive's source list matches it.
//
// Spec: #does-resource-hint-violate-policy
func DoesResourceHintViolatePolicy(request *Request, policy *Policy, selfOrigin Origin, tr *Trace) (Directive, bool) {
	const anchor = "does-resource-hint-violate-policy"
	defer tr.Enter(anchor, "policy %q", policy.Text)()

	// Step 1: the policy's first default-src.
	defaultDirective, ok := policy.Directive("default-src")

	// Step 2: without default-src a resource hint is never a violation.
	if !ok {
		tr.Step(anchor, "2", "no default-src: Does Not Violate")
		return Directive{}, false
	}

	// Step 3: any fetch directive that matches lets the hint through.
	for _, directive := range policy.DirectiveSet {
		// Step 3.1: only the listed fetch directives count. Ambiguity(A11):
		// default-src is not among them, so its own list never lets a hint
		// through.
		if !resourceHintDirectives[directive.Name] {
			continue
		}
		// Step 3.2 (assert): the value is a source list, which every
		// directive value is in the model.
		// Step 3.3: match the request against it.
		result := MatchRequestToSourceList(request, directive.Value, selfOrigin, tr)
		// Step 3.4: a match means no violation. Ambiguity(A5): the step
		// compares with "Allowed", which the matching algorithm never
		// returns; the model reads it as "Matches".
		if result == Matches {
			tr.Step(anchor, "3.4", "%s matches: Does Not Violate", directive.Name)
			return Directive{}, false
		}
	}

	// Step 4: no directive matched; default-src is violated.
	tr.Step(anchor, "4", "no fetch directive matches: violates default-src")
	return defaultDirective, true
}

// MatchNonceToSourceList reports whether nonce is one of the nonce-sources of
// sourceList.
//
// Spec: #match-nonce-to-source-list
func MatchNonceToSourceList(nonce string, sourceList []string, tr *Trace) Match {
	const anchor = "match-nonce-to-source-list"
	defer tr.Enter(anchor, "nonce %q", nonce)()

	// Step 1 (assert): the source list is not null; a Go slice never is.
	// Step 2: an empty nonce matches nothing.
	if nonce == "" {
		tr.Step(anchor, "2", "no nonce: Does Not Match")
		return DoesNotMatch
	}
	// Step 3: a nonce-source whose base64-value is the nonce, exactly.
	for _, expression := range sourceList {
		// Step 3.1
		if e := ParseSourceExpression(expression); e.Kind == NonceSource && e.Base64Value == nonce {
			tr.Step(anchor, "3.1", "%s: Matches", expression)
			return Matches
		}
	}
	// Step 4
	tr.Step(anchor, "4", "Does Not Match")
	return DoesNotMatch
}

// MatchIntegrityMetadataToSourceList reports whether every hash of the
// request's integrity metadata is one of the hash-sources of sourceList.
//
// Spec: #match-integrity-metadata-to-source-list
func MatchIntegrityMetadataToSourceList(integrityMetadata string, sourceList []string, tr *Trace) Match {
	const anchor = "match-integrity-metadata-to-source-list"
	defer tr.Enter(anchor, "integrity metadata %q", integrityMetadata)()

	// Step 1 (assert): the source list is not null; a Go slice never is.
	// Step 2: the hash-sources of the list.
	var integrityExpressions []SourceExpression
	for _, expression := range sourceList {
		if e := ParseSourceExpression(expression); e.Kind == HashSource {
			integrityExpressions = append(integrityExpressions, e)
		}
	}
	// Step 3: no hash-sources, no match.
	if len(integrityExpressions) == 0 {
		tr.Step(anchor, "3", "no hash-source: Does Not Match")
		return DoesNotMatch
	}
	// Step 4: parse the metadata (SRI).
	integritySources := ParseSRIMetadata(integrityMetadata)
	// Step 5: no metadata, no match.
	if len(integritySources) == 0 {
		tr.Step(anchor, "5", "no metadata: Does Not Match")
		return DoesNotMatch
	}
	// Step 6: every source must be among the hash-sources.
	for _, source := range integritySources {
		// Step 6.1
		found := false
		for _, e := range integrityExpressions {
			if equalFoldASCII(e.HashAlgorithm, source.Algorithm) && e.Base64Value == source.Value {
				found = true
				break
			}
		}
		if !found {
			tr.Step(anchor, "6.1", "%s-%s is not a hash-source: Does Not Match", source.Algorithm, source.Value)
			return DoesNotMatch
		}
	}
	// Step 7
	tr.Step(anchor, "7", "Matches")
	return Matches
}

// MatchRequestToSourceList matches request's current URL against sourceList.
//
// Spec: #match-request-to-source-list
func MatchRequestToSourceList(request *Request, sourceList []string, selfOrigin Origin, tr *Trace) Match {
	const anchor = "match-request-to-source-list"
	defer tr.Enter(anchor, "current URL %s, redirect count %d", request.CurrentURL(), request.RedirectCount)()
	// The algorithm is one step: match the current URL with the redirect count.
	return MatchURLToSourceList(request.CurrentURL(), sourceList, selfOrigin, request.RedirectCount, tr)
}

// MatchResponseToSourceList matches response's URL against sourceList, with
// request's redirect count.
//
// Spec: #match-response-to-source-list
func MatchResponseToSourceList(response *Response, request *Request, sourceList []string, selfOrigin Origin, tr *Trace) Match {
	const anchor = "match-response-to-source-list"
	url, ok := response.URL()
	defer tr.Enter(anchor, "response URL %s, redirect count %d", url, request.RedirectCount)()
	if !ok {
		// Ambiguity(A30): the algorithm assumes the response has a URL; a
		// response whose URL list is empty (a network error) has none. The
		// model answers Does Not Match, the reading that blocks.
		tr.Step(anchor, "", "response URL is null: Does Not Match")
		return DoesNotMatch
	}
	// The algorithm is one step: match the response URL with the request's redirect count.
	return MatchURLToSourceList(url, sourceList, selfOrigin, request.RedirectCount, tr)
}

// MatchURLToSourceList reports whether url matches any expression of
// sourceList, resolving 'self' against origin.
//
// Spec: #match-url-to-source-list
func MatchURLToSourceList(url URL, sourceList []string, origin Origin, redirectCount int, tr *Trace) Match {
	const anchor = "match-url-to-source-list"
	defer tr.Enter(anchor, "%s against %d expressions, origin %s, redirect count %d", url, len(sourceList), origin, redirectCount)()

	// Step 1 (assert): the source list is not null; a Go slice never is.
	// Step 2: an empty list matches nothing.
	if len(sourceList) == 0 {
		tr.Step(anchor, "2", "empty source list: Does Not Match")
		return DoesNotMatch
	}
	// Step 3: the list « 'none' » matches nothing.
	if len(sourceList) == 1 && equalFoldASCII(sourceList[0], "'none'") {
		tr.Step(anchor, "3", "source list is 'none': Does Not Match")
		return DoesNotMatch
	}
	// Step 4: any matching expression makes the list match.
	for _, expression := range sourceList {
		// Step 4.1
		if MatchURLToSourceExpression(url, expression, origin, redirectCount, tr) == Matches {
			tr.Step(anchor, "4.1", "%s matches: Matches", expression)
			return Matches
		}
	}
	// Step 5
	tr.Step(anchor, "5", "no expression matches: Does Not Match")
	return DoesNotMatch
}

// MatchURLToSourceExpression reports whether url matches one source
// expression, resolving 'self' and scheme-less host-sources against origin.
//
// Spec: #match-url-to-source-expression
func MatchURLToSourceExpression(url URL, expression string, origin Origin, redirectCount int, tr *Trace) Match {
	const anchor = "match-url-to-source-expression"
	defer tr.Enter(anchor, "%s vs %q", url, expression)()

	// Step 1: "*" matches HTTP(S) URLs and URLs of the origin's own scheme.
	if expression == "*" {
		// Step 1.1
		if IsHTTPSScheme(url.Scheme) {
			tr.Step(anchor, "1.1", "scheme %s is an HTTP(S) scheme: Matches", url.Scheme)
			return Matches
		}
		// Step 1.2
		if !origin.Opaque && url.Scheme == origin.Scheme {
			tr.Step(anchor, "1.2", "scheme %s is the origin's scheme: Matches", url.Scheme)
			return Matches
		}
		// Ambiguity(A3): neither condition holds and the step does not
		// return; "*" is also a host-source, so the model goes on to step 3.
		tr.Step(anchor, "1", "neither condition holds; \"*\" is read on as a host-source")
	}

	e := ParseSourceExpression(expression)

	// Step 2: scheme-sources, and the scheme-part of host-sources.
	if e.Kind == SchemeSource || e.Kind == HostSource {
		// Step 2.1: a scheme-part must scheme-part match the URL's scheme.
		if e.HasScheme && SchemePartMatch(e.Scheme, url.Scheme, tr) == DoesNotMatch {
			tr.Step(anchor, "2.1", "scheme-part %s does not match %s: Does Not Match", e.Scheme, url.Scheme)
			return DoesNotMatch
		}
		// Step 2.2: a scheme-source needs nothing more.
		if e.Kind == SchemeSource {
			tr.Step(anchor, "2.2", "scheme-source: Matches")
			return Matches
		}
	}

	// Step 3: host-sources.
	if e.Kind == HostSource {
		// Step 3.1: a URL without a host cannot match.
		if url.Host.IsNull() {
			tr.Step(anchor, "3.1", "URL host is null: Does Not Match")
			return DoesNotMatch
		}
		// Step 3.2: without a scheme-part, the origin's scheme must
		// scheme-part match the URL's. Ambiguity(A4): an opaque origin has no
		// scheme; the model treats it as matching no scheme.
		if !e.HasScheme {
			if origin.Opaque {
				tr.Step(anchor, "3.2", "origin is opaque and has no scheme: Does Not Match")
				return DoesNotMatch
			}
			if SchemePartMatch(origin.Scheme, url.Scheme, tr) == DoesNotMatch {
				tr.Step(anchor, "3.2", "origin scheme %s does not match %s: Does Not Match", origin.Scheme, url.Scheme)
				return DoesNotMatch
			}
		}
		// Step 3.3: the host-part must match the URL's host.
		if HostPartMatch(e.Host, url.Host, tr) == DoesNotMatch {
			tr.Step(anchor, "3.3", "host-part %s does not match %s: Does Not Match", e.Host, url.Host)
			return DoesNotMatch
		}
		// Step 3.4: the port-part, or null.
		portPart, hasPort := e.Port, e.HasPort
		// Step 3.5: it must match the URL's port.
		if PortPartMatch(portPart, hasPort, url, tr) == DoesNotMatch {
			tr.Step(anchor, "3.5", "port-part does not match: Does Not Match")
			return DoesNotMatch
		}
		// Step 3.6: a non-empty path-part counts only before any redirect.
		if e.Path != "" && redirectCount == 0 {
			// Step 3.6.1: the URL's path, serialized.
			path := url.Path
			// Step 3.6.2
			if PathPartMatch(e.Path, path, tr) == DoesNotMatch {
				tr.Step(anchor, "3.6.2", "path-part %s does not match %s: Does Not Match", e.Path, path)
				return DoesNotMatch
			}
		} else if e.Path != "" {
			tr.Step(anchor, "3.6", "redirect count %d: path-part %s ignored", redirectCount, e.Path)
		}
		// Step 3.7
		tr.Step(anchor, "3.7", "host-source: Matches")
		return Matches
	}

	// Step 4: 'self'.
	if equalFoldASCII(expression, "'self'") {
		// Step 4.1: the same origin.
		if SameOrigin(origin, URLOrigin(url)) {
			tr.Step(anchor, "4.1", "same origin: Matches")
			return Matches
		}
		// Step 4.2: same host, same or default ports, and a secure or
		// same-security scheme.
		if !origin.Opaque && origin.Host == url.Host && selfPortsAgree(origin, url) {
			// Step 4.2.1
			if url.Scheme == "https" || url.Scheme == "wss" {
				tr.Step(anchor, "4.2.1", "same host and ports, secure scheme %s: Matches", url.Scheme)
				return Matches
			}
			// Step 4.2.2
			if origin.Scheme == "http" && (url.Scheme == "http" || url.Scheme == "ws") {
				tr.Step(anchor, "4.2.2", "same host and ports, http origin and %s URL: Matches", url.Scheme)
				return Matches
			}
		}
		tr.Step(anchor, "4", "'self' does not match")
	}

	// Step 5
	tr.Step(anchor, "5", "Does Not Match")
	return DoesNotMatch
}

// selfPortsAgree is the port condition of #match-url-to-source-expression
// step 4.2: the origin's and the URL's ports are the same, or both are the
// default ports of their schemes. A null port stands for the default port.
// Ambiguity(A12): "the same" compares the ports as values, so a null port
// (the default of the origin's scheme) and an explicit port of the same
// number are not the same; the model reads the text literally, which
// blocks.
func selfPortsAgree(origin Origin, url URL) bool {
	if origin.Port == url.Port {
		return true
	}
	isDefault := func(port int, scheme string) bool { return port == -1 || port == DefaultPort(scheme) }
	return isDefault(origin.Port, origin.Scheme) && isDefault(url.Port, url.Scheme)
}

// SchemePartMatch reports whether a source's scheme-part a may match a URL
// whose scheme is b: the same scheme, or a secure upgrade of it.
//
// Spec: #match-schemes
func SchemePartMatch(a, b string, tr *Trace) Match {
	const anchor = "match-schemes"
	// Step 1: equal, or an upgrade.
	switch {
	case equalFoldASCII(a, b):
		// Step 1.1
		return Matches
	case equalFoldASCII(a, "http") && equalFoldASCII(b, "https"):
		// Step 1.2
		tr.Step(anchor, "1.2", "http upgrades to https")
		return Matches
	case equalFoldASCII(a, "ws") && (equalFoldASCII(b, "wss") || equalFoldASCII(b, "http") || equalFoldASCII(b, "https")):
		// Step 1.3
		tr.Step(anchor, "1.3", "ws matches %s", b)
		return Matches
	case equalFoldASCII(a, "wss") && equalFoldASCII(b, "https"):
		// Step 1.4
		tr.Step(anchor, "1.4", "wss matches https")
		return Matches
	}
	// Step 2
	return DoesNotMatch
}

// HostPartMatch reports whether the host-part pattern matches host.
//
// Spec: #match-hosts
func HostPartMatch(pattern string, host Host, tr *Trace) Match {
	const anchor = "match-hosts"
	// Step 1: only domains match; IP addresses, opaque and empty hosts never
	// do. Ambiguity(A7): the note under the source-list grammar still says
	// 127.0.0.1 matches; this step says it does not.
	if !host.IsDomain() {
		tr.Step(anchor, "1", "host %s is an %s, not a domain: Does Not Match", host, host.Kind)
		return DoesNotMatch
	}
	// Step 2: "*" matches any domain.
	if pattern == "*" {
		tr.Step(anchor, "2", "pattern *: Matches")
		return Matches
	}
	// Step 3: "*." matches strict subdomains.
	if strings.HasPrefix(pattern, "*.") {
		// Step 3.1: the pattern without its "*", lowercased.
		remaining := asciiLower(pattern[1:])
		// Step 3.2
		if strings.HasSuffix(asciiLower(host.Serialized), remaining) {
			tr.Step(anchor, "3.2", "%s ends with %s: Matches", host, remaining)
			return Matches
		}
		// Step 3.3
		tr.Step(anchor, "3.3", "%s does not end with %s: Does Not Match", host, remaining)
		return DoesNotMatch
	}
	// Step 4: otherwise the pattern is the host, ASCII case-insensitively.
	if !equalFoldASCII(pattern, host.Serialized) {
		tr.Step(anchor, "4", "%s is not %s: Does Not Match", pattern, host)
		return DoesNotMatch
	}
	// Step 5
	return Matches
}

// PortPartMatch reports whether a port-part (hasInput false for null) matches
// url's port, where a null URL port stands for its scheme's default port.
//
// Spec: #match-ports
func PortPartMatch(input string, hasInput bool, url URL, tr *Trace) Match {
	const anchor = "match-ports"
	// Step 1 (assert): null, "*", or digits. The grammar guarantees it; a
	// caller that breaks it gets Does Not Match, never a panic.
	if hasInput && !isPortPart(input) {
		tr.Step(anchor, "1", "assert failed: port-part %q is not \"*\" or digits: Does Not Match", input)
		return DoesNotMatch
	}
	// Step 2: "*" matches any port.
	if hasInput && input == "*" {
		tr.Step(anchor, "2", "port-part *: Matches")
		return Matches
	}
	// Step 3: null stays null (-1); digits are read as a decimal number.
	normalizedInput := -1
	if hasInput {
		normalizedInput = decimalPort(input)
	}
	// Step 4: equal to the URL's port (null equals null).
	if normalizedInput == url.Port {
		tr.Step(anchor, "4", "port %s equals the URL's port: Matches", portString(normalizedInput))
		return Matches
	}
	// Step 5: a URL without a port has its scheme's default port.
	if url.Port == -1 {
		// Step 5.1
		defaultPort := DefaultPort(url.Scheme)
		// Step 5.2
		if normalizedInput == defaultPort {
			tr.Step(anchor, "5.2", "port %d is the default port of %s: Matches", normalizedInput, url.Scheme)
			return Matches
		}
	}
	// Step 6
	tr.Step(anchor, "6", "port %s vs URL port %s: Does Not Match", portString(normalizedInput), portString(url.Port))
	return DoesNotMatch
}

// decimalPort reads a string of ASCII digits as a decimal number. Numbers
// above 65535 cannot equal any port, so they all read as 65536: equality with
// a port, the only use, stays exact, and no input overflows.
func decimalPort(digits string) int {
	n := 0
	for i := 0; i < len(digits); i++ {
		n = n*10 + int(digits[i]-'0')
		if n > 65535 {
			return 65536
		}
	}
	return n
}

func portString(p int) string {
	if p < 0 {
		return "null"
	}
	return strconv.Itoa(p)
}

// PathPartMatch reports whether the path-part pathA matches the serialized
// URL path pathB, segment by segment, each percent-decoded.
//
// Spec: #match-paths
func PathPartMatch(pathA, pathB string, tr *Trace) Match {
	const anchor = "match-paths"
	// Step 1: an empty path-part matches any path.
	if pathA == "" {
		return Matches
	}
	// Step 2: "/" matches the empty path.
	if pathA == "/" && pathB == "" {
		tr.Step(anchor, "2", "\"/\" matches the empty path: Matches")
		return Matches
	}
	// Step 3: a path-part without a trailing "/" must match exactly.
	exactMatch := !strings.HasSuffix(pathA, "/")
	// Step 4: strict splits on "/".
	pathListA := strings.Split(pathA, "/")
	pathListB := strings.Split(pathB, "/")
	// Step 5: the path-part cannot be longer than the path.
	if len(pathListA) > len(pathListB) {
		tr.Step(anchor, "5", "%q has more segments than %q: Does Not Match", pathA, pathB)
		return DoesNotMatch
	}
	// Step 6: an exact match needs as many segments.
	if exactMatch && len(pathListA) != len(pathListB) {
		tr.Step(anchor, "6", "%q must match %q exactly: Does Not Match", pathA, pathB)
		return DoesNotMatch
	}
	// Step 7: a directory path-part drops its final empty piece.
	if !exactMatch {
		// Step 7.1 (assert): the final piece is empty, since pathA ends in "/".
		// Step 7.2
		pathListA = pathListA[:len(pathListA)-1]
	}
	// Step 8: each piece, percent-decoded, must be the same.
	for i, pieceA := range pathListA {
		// Step 8.1
		pieceB := pathListB[i]
		// Steps 8.2-8.3
		decodedPieceA, decodedPieceB := percentDecode(pieceA), percentDecode(pieceB)
		// Step 8.4
		if decodedPieceA != decodedPieceB {
			tr.Step(anchor, "8.4", "segment %q is not %q once decoded: Does Not Match", pieceA, pieceB)
			return DoesNotMatch
		}
	}
	// Step 9
	tr.Step(anchor, "9", "%q matches %q: Matches", pathA, pathB)
	return Matches
}

// percentDecode is the URL Standard's string percent-decode
// (https://url.spec.whatwg.org/#string-percent-decode): the UTF-8 bytes of s,
// with each "%" and two hex digits replaced by the byte they name.
func percentDecode(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	b := make([]byte, 0, len(s))
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHexDigit(s[i+1]) && isHexDigit(s[i+2]) {
			b = append(b, unhex(s[i+1])<<4|unhex(s[i+2]))
			i += 2
			continue
		}
		b = append(b, s[i])
	}
	return string(b)
}

func unhex(c byte) byte {
	switch {
	case '0' <= c && c <= '9':
		return c - '0'
	case 'a' <= c && c <= 'f':
		return c - 'a' + 10
	default:
		return c - 'A' + 10
	}
}
