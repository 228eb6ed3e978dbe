package dialect

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// Rule is one known way in which an engine departs from the spec as the
// model reads it, written as a change to the case: the case the engine
// effectively decides.
type Rule struct {
	// ID names the rule; it never changes meaning.
	ID string
	// Title says what the engine does, in one line.
	Title string
	// Kind is KindBrowser or KindAmbiguity.
	Kind string
	// Applies says exactly when the rule changes a case, and Effect what it
	// changes; the rule's code does that and nothing else.
	Applies string
	Effect  string
	// Explanation gives the spec's step and what the engine does instead.
	Explanation string
	// Spec links the spec step involved; Issue, optionally, a discussion.
	Spec  string
	Issue string

	// The rule's effect, at the stage where the engine does it; each rule
	// sets the hooks of its stages only.
	//
	// deliveries splits or joins policy deliveries: it returns the new
	// list and, for each new delivery, the index of the one it comes from,
	// or nil when it changes nothing.
	deliveries func(w *work, ds []model.PolicyDelivery) ([]model.PolicyDelivery, []int)
	// request changes the request the engine checks.
	request func(w *work)
	// readToken returns a written source expression as the engine reads
	// it; readURLs does the same for the page's origin and the URLs;
	// ignoreToken reports whether the engine ignores the source as read,
	// in its directive.
	readToken   func(w *work, tok string) string
	readURLs    func(w *work)
	ignoreToken func(w *work, dw *directiveWork, tok string) bool
	// rereadToken and rereadURLs read again, after every rule's readToken
	// and readURLs: a reading that needs the others' done first.
	rereadToken func(w *work, tok string) string
	rereadURLs  func(w *work)
	// add returns the sources a source of the directive dw also matches
	// as (empty when none);
	// dropWritten reports whether a source written in the policy does not
	// match the URL u after all.
	add         func(w *work, dw *directiveWork, tok string) []string
	dropWritten func(w *work, tok string, u model.URL) bool

	// check changes a case of a check other than requests (Dialect.Checks)
	// as the engine effectively decides it, and reports whether it changed
	// it; a rule with a check hook has no other hook.
	check func(c *corpus.Case) bool
}

// Rule kinds.
const (
	// KindBrowser: the engine departs from a step the spec states plainly.
	KindBrowser = "browser deviation"
	// KindAmbiguity: the spec's own texts disagree, or leave the point
	// open, and the model had to choose.
	KindAmbiguity = "spec ambiguity"
)

const specBase = "https://w3c.github.io/webappsec-csp/"

// allRules lists every rule, in the order of the documentation: what the
// engine reads, then how what it read matches.
var allRules = []*Rule{
	websocketURLAsGiven,
	metaContentSplitOnCommas,
	sourceQueryIgnored,
	ipHostsMatch,
	pathDecodedWhole,
	pathMayStartWithDoubleSlash,
	wsSchemesOnlyForWebSockets,
	starBeforePathDropped,
	schemelessStarWithPortOrPathIgnored,
	sandboxedConnectSchemelessIgnored,
	strictDynamicInDefaultSrc,
	portLeadingZeroNeverMatches,
	trailingDotHostDropped,
	selfComparesPortNumbers,
	missingPortIsSchemeDefault,
	missingHTTPPortMatches443,
	port80Matches443,
	port80UpgradesTo443,
	upgradeNeedsDefaultPort,
	selfSkipsLocalSchemes,
	starMatchesDataImages,
	hashPaddingOptional,
	wasmCompileUnchecked,
	formActionRedirectsUnchecked,
	frameAncestorsPathIgnored,
	starMatchesOpaqueAncestor,
	sandboxIgnoredInWorkers,
	sandboxFlagsAccumulate,
	trustedTypesEvalTrustsStrings,
	functionTrustedScriptRefused,
	stringTimerNeedsTrustedTypes,
}

// websocketURLAsGiven: the engines check a WebSocket's ws: or wss: URL as
// the page gave it, and let * match it.
//
// Applies to every WebSocket request. The request is checked with its URL
// as the page gave it (an http: URL given to the API as ws:, https: as
// wss:), as a connect-src request of mode websocket; and each * source of
// the case also matches as ws: and wss:.
var websocketURLAsGiven = &Rule{
	ID:      "websocket-url-as-given",
	Title:   "Engines check a WebSocket's ws: or wss: URL, and * matches it",
	Kind:    KindAmbiguity,
	Applies: "every WebSocket request",
	Effect: "the request is checked with its ws: or wss: URL as the page gave it (an http: URL given to the API " +
		"becomes ws:, https: wss:) instead of the http: or https: URL Fetch sees; each * source also matches as ws: and wss:",
	Explanation: "Establishing a WebSocket hands Fetch a request whose URL has ws: turned into http: and wss: into https: " +
		"(WebSockets #concept-websocket-establish step 1), and CSP checks that request, so the model matches the http(s) URL. " +
		"All three engines match the ws: or wss: URL the page gave instead, and let * cover ws: and wss: whatever the page's " +
		"scheme. An http(s) source, or a scheme-less one, therefore allows a WebSocket in the model and not in the engines. " +
		"The open issue has discussed the mismatch since 2018; docs/spec-mapping.md, section WebSocket URLs, gives the model's reading.",
	Spec:  specBase + "#match-url-to-source-expression",
	Issue: "https://github.com/w3c/webappsec-csp/issues/332",
	request: func(w *work) {
		if !w.websocket || len(w.given) != 1 || len(w.req.URLList) != 1 {
			return
		}
		u := w.given[0]
		w.note("websocket-url-as-given", "the WebSocket is checked as %s, not %s", u, w.req.URLList[0])
		w.req.URLList = []model.URL{u}
		w.req.Destination, w.req.Mode = "", "websocket"
	},
	add: func(w *work, dw *directiveWork, tok string) []string {
		if w.websocket && tok == "*" {
			return []string{"ws:", "wss:"}
		}
		return nil
	},
}

// metaContentSplitOnCommas: Chromium and WebKit split a <meta> policy on
// commas.
//
// Applies to an enforced <meta> delivery whose content holds a comma: it
// becomes one <meta> delivery per comma-separated part, in order.
var metaContentSplitOnCommas = &Rule{
	ID:      "meta-content-split-on-commas",
	Title:   "A <meta> policy is split on commas",
	Kind:    KindBrowser,
	Applies: "an enforced <meta> delivery whose content holds a comma",
	Effect:  "the delivery becomes one <meta> policy per comma-separated part, each enforced on its own",
	Explanation: "The HTML Standard parses a <meta http-equiv=\"Content-Security-Policy\"> element's content as one " +
		"serialized policy, so a comma is just part of a source expression (connect-src 'none', connect-src 'self' is one " +
		"directive whose sources include 'self'). Chromium and WebKit split the content on commas into several policies, as " +
		"they do a header value, and enforce each; Firefox and the model keep one.",
	Spec: specBase + "#meta-element",
	deliveries: func(w *work, ds []model.PolicyDelivery) ([]model.PolicyDelivery, []int) {
		var out []model.PolicyDelivery
		var from []int
		changed := false
		for i, d := range ds {
			n := d.Normalized()
			if n.Source != model.MetaSource || n.Disposition != model.Enforce || !strings.Contains(n.Value, ",") {
				out, from = append(out, d), append(from, i)
				continue
			}
			changed = true
			w.note("meta-content-split-on-commas", "<meta> %q split into %d policies", d.Value, strings.Count(d.Value, ",")+1)
			for _, part := range strings.Split(n.Value, ",") {
				q := n
				q.Value = part
				out, from = append(out, q), append(from, i)
			}
		}
		if !changed {
			return ds, nil
		}
		return out, from
	},
}

// sourceQueryIgnored: the engines read a source with a query as its path.
//
// Applies to a source expression that is no source expression at all, but
// whose text before its first ? or # is a host-source: it is read as that
// host-source.
var sourceQueryIgnored = &Rule{
	ID:      "source-query-ignored",
	Title:   "A source with a query is read as its path",
	Kind:    KindBrowser,
	Applies: "a source expression that matches no production of the grammar, but whose text before its first ? or # is a host-source",
	Effect:  "it is read as that host-source",
	Explanation: "The path-part grammar has no ? or #, so https://example.com/api?x=1 is no source expression at all and " +
		"matches nothing in the model. The engines drop the query (CSP Level 2 said to ignore it) and match https://example.com/api.",
	Spec: specBase + "#grammardef-path-part",
	readToken: func(w *work, tok string) string {
		if _, suffix, ok := hostSource(tok); ok && suffix != "" {
			return tok[:len(tok)-len(suffix)]
		}
		return tok
	},
}

// ipHostsMatch: the engines match IP-address hosts.
//
// Applies when the page's origin, a URL of the request, or the host-part of
// a host-source is an IP address: each IP address of the case is renamed to
// a domain name of its own (127-0-0-1.ipv4.invalid), the same everywhere,
// so that host-parts match it.
var ipHostsMatch = &Rule{
	ID:      "ip-hosts-match",
	Title:   "Engines match IP-address hosts",
	Kind:    KindAmbiguity,
	Applies: "the page's origin, a URL of the request or a host-source's host-part is an IP address",
	Effect: "every IP address of the case is read as a domain name of its own (127.0.0.1 as 127-0-0-1.ipv4.invalid), " +
		"the same in the page's origin, the URLs and the host-parts, so that a host-part naming it, or a wildcard host-part, matches it",
	Explanation: "Step 1 of #match-hosts refuses any host that is not a domain, so neither an IP-address host-part nor a " +
		"wildcard host-part matches an IP-address URL, and the model blocks. The note under the source-list grammar still says " +
		"127.0.0.1 matches (spec-mapping A7). The engines go further than the note: every IP address written as a host-part " +
		"matches itself, and wildcard host-parts match IP addresses.",
	Spec:  specBase + "#match-hosts",
	Issue: "https://github.com/w3c/webappsec-csp/pull/597",
	readToken: func(w *work, tok string) string {
		e, suffix, ok := hostSource(tok)
		if !ok {
			return tok
		}
		name, ok := ipName(e.Host)
		if !ok {
			return tok
		}
		e.Host = name
		return formatHostSource(e) + suffix
	},
	readURLs: func(w *work) {
		rename := func(h model.Host) model.Host {
			if h.Kind != model.IPv4Host && h.Kind != model.IPv6Host {
				return h
			}
			name, ok := ipName(h.Serialized)
			if !ok {
				return h
			}
			if w.renamed[name] == "" {
				w.note("ip-hosts-match", "%s read as %s", h.Serialized, name)
			}
			w.renamed[name] = h.Serialized
			return model.Host{Kind: model.DomainHost, Serialized: name}
		}
		if !w.self.Opaque {
			w.self.Host = rename(w.self.Host)
		}
		urls := make([]model.URL, len(w.req.URLList))
		for i, u := range w.req.URLList {
			u.Host = rename(u.Host)
			urls[i] = u
		}
		w.req.URLList = urls
	},
}

// ipName returns the domain name an IP address (bracketed or not) is read
// as, and false for a host that is not one.
func ipName(host string) (string, bool) {
	a, err := netip.ParseAddr(strings.TrimSuffix(strings.TrimPrefix(host, "["), "]"))
	if err != nil || a.Zone() != "" {
		return "", false
	}
	if a.Is4() {
		return strings.ReplaceAll(a.String(), ".", "-") + ".ipv4.invalid", true
	}
	return strings.ReplaceAll(a.StringExpanded(), ":", "-") + ".ipv6.invalid", true
}

// pathDecodedWhole: the engines decode the whole path before splitting it.
//
// Applies to a URL of the request, or a host-source's path-part, that holds
// %2F or %2f: each becomes a /. A path that then starts with // keeps its
// empty first segment (see emptyFirstSegment).
var pathDecodedWhole = &Rule{
	ID:      "path-decoded-whole",
	Title:   "Engines decode the whole path before splitting it",
	Kind:    KindBrowser,
	Applies: "a URL's path, or a host-source's path-part, that holds %2F (or %2f)",
	Effect: "each %2F becomes a /, so it separates segments; a path-part that then starts with // (/%2Fapi) keeps the " +
		"empty first segment, and matches a URL whose path starts with // (//api)",
	Explanation: "#match-paths splits both paths on / and then percent-decodes each segment (step 8), so an encoded slash " +
		"(%2F) stays inside its segment. The engines decode the path as a whole (the source's path when it is parsed), so %2F " +
		"separates segments: a source path /p/ allows /p%2Fq, and /p%2Fq allows /p/q; /%2Fapi allows //api, in Firefox too, " +
		"which refuses the path-part //api written as such.",
	Spec: specBase + "#match-paths",
	readToken: func(w *work, tok string) string {
		e, suffix, ok := hostSource(tok)
		if !ok || decodeSlashes(e.Path) == e.Path {
			return tok
		}
		e.Path = w.emptyFirstSegment(decodeSlashes(e.Path))
		return formatHostSource(e) + suffix
	},
	readURLs: func(w *work) {
		w.readPaths("path-decoded-whole", func(p string) string { return w.urlPath(decodeSlashes(p)) })
	},
}

// pathMayStartWithDoubleSlash: Chromium and WebKit read a path-part that
// starts with //.
//
// Applies to a source expression that is no source expression, but that
// reads as a host-source once the empty first segment of its path is
// allowed (https://example.com//api): it is read as that host-source, with
// its path decoded whole and any query dropped, as these engines read every
// source (path-decoded-whole and source-query-ignored, which every dialect
// holding this rule holds too).
var pathMayStartWithDoubleSlash = &Rule{
	ID:    "path-may-start-with-double-slash",
	Title: "A path-part may start with //",
	Kind:  KindBrowser,
	Applies: "a source expression that is no source expression, but that reads as a host-source once the empty first " +
		"segment of its path is allowed (https://example.com//api)",
	Effect: "it is read as that host-source, its path decoded whole and any query dropped as for every source, and " +
		"matches a URL whose path starts with // (https://example.com//api, and under https://example.com// also " +
		"https://example.com//x)",
	Explanation: "The path-part grammar is RFC 3986's path-absolute, whose first segment, when there is one, is not empty, " +
		"so https://example.com//api is no source expression and matches nothing in the model and in Firefox. Chromium and " +
		"WebKit read everything after the host-part and port-part as the path, and match it.",
	Spec: specBase + "#grammardef-path-part",
	rereadToken: func(w *work, tok string) string {
		if model.ParseSourceExpression(tok).Kind != model.NoProduction {
			return tok
		}
		// Try each // that can start the path (not the one after the
		// scheme): with its first / and an empty segment written as the
		// path's first segment, the token must read as a host-source whose
		// path starts there.
		for i := strings.Index(tok, "//"); i >= 0; {
			if i == 0 || tok[i-1] != ':' {
				if e, _, ok := hostSource(tok[:i] + emptySegment + tok[i+1:]); ok && strings.HasPrefix(e.Path, emptySegment+"/") {
					e.Path = w.emptyFirstSegment("/" + decodeSlashes(e.Path[len(emptySegment):]))
					return formatHostSource(e)
				}
			}
			next := strings.Index(tok[i+1:], "//")
			if next < 0 {
				break
			}
			i += 1 + next
		}
		return tok
	},
	rereadURLs: func(w *work) {
		w.readPaths("path-may-start-with-double-slash", w.urlPath)
	},
}

// emptySegment is how a path that starts with // is given to the model,
// whose grammar has no room for an empty first segment: "/" and a first
// segment of %2F. Every dialect that reads such a path decodes each %2F of
// every other path (path-decoded-whole), so no other segment decodes to
// "/", and the two match each other and nothing else.
const emptySegment = "/%2F"

// emptyFirstSegment returns the path-part p as the model is given it: a p
// that starts with // has its empty first segment written as emptySegment,
// and from then on the URLs' paths too (urlPath).
func (w *work) emptyFirstSegment(p string) string {
	if !strings.HasPrefix(p, "//") {
		return p
	}
	w.emptySegments = true
	return emptySegment + p[1:]
}

// urlPath returns a URL's path as the model is given it: once a source was
// read with an empty first segment, a path that starts with // has that
// segment written as emptySegment.
func (w *work) urlPath(p string) string {
	if w.emptySegments && strings.HasPrefix(p, "//") {
		return emptySegment + p[1:]
	}
	return p
}

// readPaths reads the path of each URL of the request that is not opaque
// as read returns it, for rule.
func (w *work) readPaths(rule string, read func(string) string) {
	urls := make([]model.URL, len(w.req.URLList))
	for i, u := range w.req.URLList {
		if p := read(u.Path); p != u.Path && !u.OpaquePath {
			w.note(rule, "URL path %s read as %s", u.Path, p)
			u.Path = p
		}
		urls[i] = u
	}
	w.req.URLList = urls
}

func decodeSlashes(path string) string {
	if !strings.Contains(path, "%2") {
		return path
	}
	return slashes.Replace(path)
}

var slashes = strings.NewReplacer("%2F", "/", "%2f", "/")

// wsSchemesOnlyForWebSockets: Chromium and Firefox match ws and wss
// scheme-parts against ws: and wss: URLs only.
//
// Applies to a request that is not a WebSocket's: each scheme-source or
// host-source whose scheme-part is ws or wss is ignored.
var wsSchemesOnlyForWebSockets = &Rule{
	ID:      "ws-schemes-only-for-websockets",
	Title:   "ws and wss scheme-parts match only ws: and wss: URLs",
	Kind:    KindBrowser,
	Applies: "a request other than a WebSocket's, under a scheme-source or host-source whose scheme-part is ws or wss",
	Effect:  "that source is ignored",
	Explanation: "Steps 1.3 and 1.4 of #match-schemes let a ws scheme-part match http and https, and a wss scheme-part " +
		"match https, so connect-src ws: allows fetch() to any http(s) URL in the model. Chromium and Firefox match ws and wss " +
		"scheme-parts against ws: and wss: URLs only; WebKit follows the spec.",
	Spec: specBase + "#match-schemes",
	ignoreToken: func(w *work, dw *directiveWork, tok string) bool {
		if w.websocket {
			return false
		}
		e := model.ParseSourceExpression(tok)
		if e.Kind != model.SchemeSource && e.Kind != model.HostSource {
			if he, _, ok := hostSource(tok); ok {
				e = he
			}
		}
		s := strings.ToLower(e.Scheme)
		return e.HasScheme && (s == "ws" || s == "wss")
	},
}

// starBeforePathDropped: Firefox refuses a wildcard host-part followed by a
// path.
//
// Applies to a host-source whose host-part is * and which has a path-part
// but no port-part (http://*/api, */): it is ignored.
var starBeforePathDropped = &Rule{
	ID:      "star-before-path-dropped",
	Title:   "A host-part * followed by a path is dropped",
	Kind:    KindBrowser,
	Applies: "a host-source whose host-part is * and which has a path-part but no port-part (http://*/api, */)",
	Effect:  "that source is ignored",
	Explanation: "The host-source grammar lets a path-part follow any host-part, * included, so http://*/api matches " +
		"http://example.com/api in the model, Chromium and WebKit. Firefox's parser accepts * only alone, before a port-part " +
		"or before a dot, and drops the source; http://*:8080/api/ and http://* keep working.",
	Spec: specBase + "#grammardef-host-source",
	ignoreToken: func(w *work, dw *directiveWork, tok string) bool {
		e, _, ok := hostSource(tok)
		return ok && e.Host == "*" && !e.HasPort && e.Path != ""
	},
}

// schemelessStarWithPortOrPathIgnored: WebKit reads a scheme-less * only
// alone.
//
// Applies to a host-source without a scheme-part whose host-part is * and
// which has a port-part or a path-part (*:8080, */api): it is ignored.
var schemelessStarWithPortOrPathIgnored = &Rule{
	ID:      "schemeless-star-with-port-or-path-ignored",
	Title:   "A scheme-less * with a port or a path matches nothing",
	Kind:    KindBrowser,
	Applies: "a host-source without a scheme-part whose host-part is * and which has a port-part or a path-part (*:8080, */api)",
	Effect:  "that source is ignored",
	Explanation: "The host-source grammar lets a port-part or a path-part follow the host-part *, with or without a " +
		"scheme-part, so *:8080 matches http://example.org:8080/ (and, upgraded, https://example.org:8080/) from an http " +
		"page in the model. WebKit blocks https://example.org:8080/ under *:8080 and http://example.org/api under */api, " +
		"while a lone *, http://*:8080 and http://*/api work as in the spec; the rule reads such a scheme-less source as " +
		"matching nothing, which the recorded cases do not contradict (none has *:8080 against an http URL on its own).",
	Spec: specBase + "#grammardef-host-source",
	ignoreToken: func(w *work, dw *directiveWork, tok string) bool {
		e, _, ok := hostSource(tok)
		return ok && !e.HasScheme && e.Host == "*" && (e.HasPort || e.Path != "")
	},
}

// sandboxedByPolicy reports whether policies sandbox their document into
// an opaque origin: an enforced header policy holds a sandbox directive
// without allow-same-origin (a <meta> policy's sandbox is ignored). With
// flags that add up (sandbox-flags-accumulate), one such directive
// suffices.
func sandboxedByPolicy(policies []corpus.PolicyInput) bool {
	for _, p := range policies {
		if !enforcedHeader(p) {
			continue
		}
		for _, policy := range strings.Split(p.Value, ",") {
			if srcs, ok := firstDirective(policy, "sandbox"); ok && !containsFold(srcs, "allow-same-origin") {
				return true
			}
		}
	}
	return false
}

// sandboxedConnectSchemelessIgnored: WebKit's connect-src matches no
// scheme-less host-source in a sandboxed document.
//
// Applies to a request whose effective directive is connect-src, from a
// document its policies sandbox into an opaque origin: each host-source
// without a scheme-part, but a lone *, is ignored.
var sandboxedConnectSchemelessIgnored = &Rule{
	ID:    "sandboxed-connect-schemeless-ignored",
	Title: "In a sandboxed document, connect-src's requests match no host-source without a scheme",
	Kind:  KindBrowser,
	Applies: "a request whose effective directive is connect-src (fetch, XMLHttpRequest, EventSource, sendBeacon, " +
		"WebSocket), from a document that an enforced header policy's sandbox directive sandboxes into an opaque " +
		"origin (no allow-same-origin), under a host-source without a scheme-part other than a lone *",
	Effect: "that source is ignored",
	Explanation: "Step 3.2 of #match-url-to-source-expression gives a host-source without a scheme-part the scheme of " +
		"the CSP list's self-origin, which is the origin of the document's URL, sandboxed or not (#parse-response-csp " +
		"step 4): under connect-src example.com a sandboxed document at https://example.com may fetch " +
		"https://example.com/ in the model, Chromium and Firefox. WebKit blocks that fetch, and the same request by " +
		"XMLHttpRequest, EventSource and sendBeacon, under default-src example.com too, with a connect-src violation; " +
		"'self', a host-source with a scheme and a lone * match as usual, and img-src, base-uri and form-action are " +
		"not affected. Its connect-src check seems to take the scheme from the document's own, opaque, origin (read " +
		"from the observations, not from WebKit's source).",
	Spec: specBase + "#match-url-to-source-expression",
	ignoreToken: func(w *work, dw *directiveWork, tok string) bool {
		if !w.sandboxed || model.EffectiveDirectiveForRequest(&w.req, nil) != "connect-src" {
			return false
		}
		e, _, ok := hostSource(tok)
		return ok && !e.HasScheme && (e.Host != "*" || e.HasPort || e.Path != "")
	},
}

// strictDynamicInDefaultSrc: WebKit lets 'strict-dynamic' in default-src
// drop its other sources for every directive.
//
// Applies to a default-src directive holding 'strict-dynamic' (in any
// case): its host-sources other than a lone *, its scheme-sources and its
// 'self' are ignored, for every directive that falls back to it.
var strictDynamicInDefaultSrc = &Rule{
	ID:    "strict-dynamic-in-default-src",
	Title: "'strict-dynamic' in default-src drops its other sources for every directive",
	Kind:  KindBrowser,
	Applies: "the host-sources other than a lone *, the scheme-sources and 'self' of a default-src directive that holds " +
		"'strict-dynamic' (in any case)",
	Effect: "those sources are ignored, for every directive that falls back to default-src",
	Explanation: "'strict-dynamic' concerns scripts only: the script directives' pre-request check allows or blocks a " +
		"script request by it, and #match-request-to-source-list ignores it for every other request, so default-src " +
		"'strict-dynamic' 'self' allows fetch() and images from the page's origin in the model, Chromium and Firefox. " +
		"WebKit drops the host-sources, scheme-sources and 'self' of a default-src that holds 'strict-dynamic', for " +
		"connect-src and img-src requests that fall back to it too, and keeps a lone *; 'strict-dynamic' in connect-src " +
		"or img-src themselves changes nothing.",
	Spec: specBase + "#strict-dynamic-usage",
	ignoreToken: func(w *work, dw *directiveWork, tok string) bool {
		if dw.name != "default-src" {
			return false
		}
		strict := false
		for _, it := range dw.items {
			strict = strict || strings.EqualFold(it.text, "'strict-dynamic'")
		}
		if !strict {
			return false
		}
		switch e := model.ParseSourceExpression(tok); e.Kind {
		case model.SchemeSource:
			return true
		case model.HostSource:
			return tok != "*"
		case model.KeywordSource:
			return e.Keyword == "'self'"
		}
		return false
	},
}

// portLeadingZeroNeverMatches: Firefox compares port-parts as strings.
//
// Applies to a host-source whose port-part has two or more digits and
// starts with 0: it is ignored.
var portLeadingZeroNeverMatches = &Rule{
	ID:      "port-leading-zero-never-matches",
	Title:   "A port-part with a leading zero matches nothing",
	Kind:    KindBrowser,
	Applies: "a host-source whose port-part has two or more digits and starts with 0 (:0443, :080)",
	Effect:  "that source is ignored",
	Explanation: "Step 3 of #match-ports reads the port-part as a decimal number, so :0443 is port 443. Firefox compares " +
		"ports as strings, and a port-part with a leading zero never matches.",
	Spec: specBase + "#match-ports",
	ignoreToken: func(w *work, dw *directiveWork, tok string) bool {
		e, _, ok := hostSource(tok)
		return ok && e.HasPort && len(e.Port) > 1 && e.Port[0] == '0'
	},
}

// trailingDotHostDropped: Firefox drops a host-part that ends in a dot.
//
// Applies to a host-source whose host-part ends in a dot: it is ignored.
var trailingDotHostDropped = &Rule{
	ID:      "trailing-dot-host-dropped",
	Title:   "A host-part ending in a dot is dropped",
	Kind:    KindBrowser,
	Applies: "a host-source whose host-part ends in a dot (example.com.)",
	Effect:  "that source is ignored",
	Explanation: "The host-part grammar allows a final dot (example.com.), which matches a URL host with the same dot. " +
		"Firefox's parser rejects such a source and drops it.",
	Spec: specBase + "#grammardef-host-part",
	ignoreToken: func(w *work, dw *directiveWork, tok string) bool {
		e, _, ok := hostSource(tok)
		return ok && strings.HasSuffix(e.Host, ".")
	},
}

// selfComparesPortNumbers: 'self' compares the page's port as a number,
// its scheme's default when it has none.
//
// Applies to a 'self' source on a page whose origin is http with no port
// (port 80): it also matches as the host-source http://host:80, which
// follows the upgrade to https://host:80/ (and, with port-80-matches-443,
// matches port 443).
var selfComparesPortNumbers = &Rule{
	ID:      "self-compares-port-numbers",
	Title:   "'self' compares the page's default port as a number",
	Kind:    KindAmbiguity,
	Applies: "a 'self' source, on a page whose origin is http with no port (its default, 80)",
	Effect:  "'self' also matches as the host-source http://host:80, the page's origin with its port written out",
	Explanation: "Step 4.2 of #match-url-to-source-expression lets 'self' follow an upgrade when the origin's port and the " +
		"URL's port are the same, or are both their schemes' defaults. A page at http://example.com has a null port; the text " +
		"does not say whether null is the same as an explicit 80, and the model reads the fields literally: 'self' there does " +
		"not match https://example.com:80/. Chromium and Firefox compare port numbers, null standing for 80, and match it. " +
		"Firefox reads 'self' as that host-source, so its port-80-matches-443 also lets it match http://example.com:443/.",
	Spec: specBase + "#match-url-to-source-expression",
	add: func(w *work, dw *directiveWork, tok string) []string {
		if !strings.EqualFold(tok, "'self'") || w.self.Opaque || w.self.Scheme != "http" || w.self.Port >= 0 {
			return nil
		}
		return []string{fmt.Sprintf("http://%s:80", w.self.Host.Serialized)}
	},
}

// missingPortIsSchemeDefault: Firefox gives a port-less source its own
// scheme's default port.
//
// Applies to a host-source without a port-part whose scheme (written, or the
// page's when it has none) is http or ws: it also matches as the same
// source with port 80.
var missingPortIsSchemeDefault = &Rule{
	ID:      "missing-port-is-scheme-default",
	Title:   "A source without a port also matches its own scheme's default port",
	Kind:    KindBrowser,
	Applies: "a host-source without a port-part whose scheme (written, or the page's when it has none) is http or ws",
	Effect:  "it also matches as the same source with port 80, its scheme's default, written out",
	Explanation: "With no port-part, #match-ports (step 5) matches only a URL without a port, or with the default port of " +
		"the URL's own scheme: http://example.org matches https://example.org/ but not https://example.org:80/. Firefox gives " +
		"a port-less source the default port of the source's scheme (written, or the page's), and matches that number too: " +
		"https://example.org:80/, and with port-80-matches-443 http://example.org:443/. For https and wss sources the two " +
		"readings agree.",
	Spec: specBase + "#match-ports",
	add: func(w *work, dw *directiveWork, tok string) []string {
		e := model.ParseSourceExpression(tok)
		if e.Kind != model.HostSource || e.HasPort {
			return nil
		}
		if s := sourceScheme(w, e); s != "http" && s != "ws" {
			return nil
		}
		e.HasPort, e.Port = true, "80"
		return []string{formatHostSource(e)}
	},
}

// missingHTTPPortMatches443: WebKit lets a port-less http source, and
// 'self' on an http page on port 80, match port 443.
//
// Applies to a host-source without a port-part whose written scheme-part is
// http, and to a 'self' source on a page whose origin is http with no port:
// it also matches as the same source (the page's origin for 'self') with
// port 443.
var missingHTTPPortMatches443 = &Rule{
	ID:    "missing-http-port-matches-443",
	Title: "A port-less http source, and 'self' on an http page on port 80, also match port 443",
	Kind:  KindBrowser,
	Applies: "a host-source without a port-part whose written scheme-part is http; a 'self' source on a page whose " +
		"origin is http with no port",
	Effect: "it also matches as the same source with port 443 (for 'self', the host-source http://host:443)",
	Explanation: "With no port-part, #match-ports (step 5) matches a URL without a port, or with the default port of the " +
		"URL's scheme, so http://example.org does not match http://example.org:443/. WebKit reads a missing port-part after " +
		"an http scheme-part, and 'self' on an http page on its default port, as port 80, which its port rule lets match " +
		"443 (see port-80-matches-443); it does not match the number 80 against an https URL, and a scheme-less source, or " +
		"a ws one, keeps the spec's reading.",
	Spec: specBase + "#match-ports",
	add: func(w *work, dw *directiveWork, tok string) []string {
		if strings.EqualFold(tok, "'self'") {
			if w.self.Opaque || w.self.Scheme != "http" || w.self.Port >= 0 {
				return nil
			}
			return []string{fmt.Sprintf("http://%s:443", w.self.Host.Serialized)}
		}
		e := model.ParseSourceExpression(tok)
		if e.Kind != model.HostSource || e.HasPort || !e.HasScheme {
			return nil
		}
		if !strings.EqualFold(e.Scheme, "http") {
			return nil
		}
		e.HasPort, e.Port = true, "443"
		return []string{formatHostSource(e)}
	},
}

// port80Matches443: Firefox and WebKit let a port-part of 80 match port
// 443, whatever the URL's scheme.
//
// Applies to a host-source whose port-part is 80 as a number: it also
// matches as the same source with port 443.
var port80Matches443 = &Rule{
	ID:      "port-80-matches-443",
	Title:   "A port-part of 80 also matches port 443, whatever the URL's scheme",
	Kind:    KindBrowser,
	Applies: "a host-source whose port-part is 80 (as a number)",
	Effect:  "it also matches as the same source with port 443",
	Explanation: "#match-ports compares the port-part with the URL's port, or with its scheme's default port when it has " +
		"none, so :80 never matches https' 443 and the model blocks http://example.org:80 for https://example.org/. Firefox and " +
		"WebKit keep the upgrade rule of earlier drafts and let a port-part of 80 match port 443, whatever the URL's scheme: " +
		"http://example.org:80 matches http://example.org:443/ as well as https://example.org/.",
	Spec: specBase + "#match-ports",
	add: func(w *work, dw *directiveWork, tok string) []string {
		e := model.ParseSourceExpression(tok)
		if e.Kind != model.HostSource || !e.HasPort || !isPort80(e.Port) {
			return nil
		}
		e.Port = "443"
		return []string{formatHostSource(e)}
	},
}

// port80UpgradesTo443: Chromium lets a port-part of 80 match port 443 only
// on an upgrade to https or wss.
//
// Applies to a host-source whose port-part is 80 (as a number) and whose
// scheme (written, or the page's when it has none) is http or ws: it also
// matches as the same host and path with the secure scheme (https, wss) and
// port 443.
var port80UpgradesTo443 = &Rule{
	ID:    "port-80-upgrades-to-443",
	Title: "A port-part of 80 also matches port 443 on an upgrade to https or wss",
	Kind:  KindBrowser,
	Applies: "a host-source whose port-part is 80 (as a number) and whose scheme (written, or the page's when it has none) " +
		"is http or ws",
	Effect: "it also matches as the same host and path with the secure scheme (https for http, wss for ws) and port 443",
	Explanation: "#match-ports compares the port-part with the URL's port, or with its scheme's default port when it has " +
		"none, so :80 never matches https' 443 and the model blocks http://example.org:80 for https://example.org/. Chromium " +
		"keeps the upgrade rule of earlier drafts only for the upgrade itself: http://example.org:80 matches https://example.org/ " +
		"(and ws://example.org:80 wss://example.org/), but not http://example.org:443/.",
	Spec: specBase + "#match-ports",
	add: func(w *work, dw *directiveWork, tok string) []string {
		e := model.ParseSourceExpression(tok)
		if e.Kind != model.HostSource || !e.HasPort || !isPort80(e.Port) {
			return nil
		}
		switch sourceScheme(w, e) {
		case "http":
			e.Scheme = "https"
		case "ws":
			e.Scheme = "wss"
		default:
			return nil
		}
		e.HasScheme, e.Port = true, "443"
		return []string{formatHostSource(e)}
	},
}

// upgradeNeedsDefaultPort: Chromium lets a source follow a scheme upgrade
// only on a wildcard or default port.
//
// Applies to an https: or wss: URL of the request's URL list, under a
// host-source written in the policy with a numeric port-part and whose
// scheme (written, or the page's when it has none) is http or ws: that
// source does not match that URL (the other URLs of a redirect chain are
// checked against it as usual).
var upgradeNeedsDefaultPort = &Rule{
	ID:    "upgrade-needs-default-port",
	Title: "A scheme upgrade needs a wildcard or missing port-part",
	Kind:  KindBrowser,
	Applies: "an https: or wss: URL of the request, under a host-source written in the policy with a numeric port-part " +
		"and whose scheme (written, or the page's when it has none) is http or ws",
	Effect: "that source does not match that URL; the other URLs of a redirect chain are checked against it as usual",
	Explanation: "Steps 2.1 and 3.5 of #match-url-to-source-expression check the scheme-part (which upgrades http to https " +
		"and ws to wss) and the port-part separately, so http://example.org:8080 matches https://example.org:8080/. Chromium " +
		"lets a source follow a scheme upgrade only when its port-part is a wildcard or missing (80 to 443 is port-80-upgrades-to-443), " +
		"and blocks the rest; Firefox and WebKit follow the spec.",
	Spec: specBase + "#match-url-to-source-expression",
	dropWritten: func(w *work, tok string, u model.URL) bool {
		if u.Scheme != "https" && u.Scheme != "wss" {
			return false
		}
		e := model.ParseSourceExpression(tok)
		if e.Kind != model.HostSource || !e.HasPort || e.Port == "*" {
			return false
		}
		s := sourceScheme(w, e)
		return s == "http" || s == "ws"
	},
}

// starMatchesDataImages: WebKit's * in img-src matches data: images.
//
// Applies to a * source of an img-src directive: it also matches as the
// scheme-source data:.
var starMatchesDataImages = &Rule{
	ID:      "star-matches-data-images",
	Title:   "* in img-src also matches data: images",
	Kind:    KindBrowser,
	Applies: "a * source of an img-src directive (not of a default-src that images fall back to)",
	Effect:  "it also matches as the scheme-source data:",
	Explanation: "Step 1 of #match-url-to-source-expression lets * match only URLs whose scheme is HTTP(S) or the page's " +
		"own, so img-src * blocks a data: image in the model, Chromium and Firefox. WebKit's * allows data: in img-src " +
		"(its source says so of media-src too, for data: and blob:, which the harness does not observe); a default-src * " +
		"that images fall back to, a blob: image under img-src *, and https://* do not match it.",
	Spec: specBase + "#match-url-to-source-expression",
	add: func(w *work, dw *directiveWork, tok string) []string {
		if tok == "*" && strings.EqualFold(dw.name, "img-src") {
			return []string{"data:"}
		}
		return nil
	},
}

// isPort80 reports whether a port-part is 80 read as a decimal number.
func isPort80(port string) bool {
	return port != "*" && strings.TrimLeft(port, "0") == "80"
}

// sourceScheme returns a host-source's scheme, ASCII-lowercased, or the
// page's when it has none ("" on an opaque origin).
func sourceScheme(w *work, e model.SourceExpression) string {
	if e.HasScheme {
		return strings.ToLower(e.Scheme)
	}
	if w.self.Opaque {
		return ""
	}
	return w.self.Scheme
}

// hostSource reads tok as a host-source, allowing the query or fragment
// after its path that the grammar refuses: it returns the host-source's
// parts, that suffix (from the first ? or #), and false when tok is no
// host-source even so.
func hostSource(tok string) (model.SourceExpression, string, bool) {
	e := model.ParseSourceExpression(tok)
	if e.Kind == model.HostSource {
		return e, "", true
	}
	if e.Kind != model.NoProduction {
		return model.SourceExpression{}, "", false
	}
	if cut := strings.IndexAny(tok, "?#"); cut >= 0 {
		if e := model.ParseSourceExpression(tok[:cut]); e.Kind == model.HostSource {
			return e, tok[cut:], true
		}
	}
	return model.SourceExpression{}, "", false
}

// formatHostSource writes a host-source's parts back as text.
func formatHostSource(e model.SourceExpression) string {
	var b strings.Builder
	if e.HasScheme {
		b.WriteString(e.Scheme + "://")
	}
	b.WriteString(e.Host)
	if e.HasPort {
		b.WriteString(":" + e.Port)
	}
	b.WriteString(e.Path)
	return b.String()
}

func sprintf(format string, args ...any) string { return fmt.Sprintf(format, args...) }

func sprintfTo(b *strings.Builder, format string, args ...any) { fmt.Fprintf(b, format, args...) }
