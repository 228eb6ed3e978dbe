//go:build linux

package browser

import (
	"fmt"

	"github.com/cspmodel/cspmodel/corpus"
)

// The focus cases: a handful of hand-picked cases for each question the
// conformance report answers. They run with every other case; the report
// shows each question's cases with the model's and every engine's verdict,
// under an answer written from those observations.

// FocusPrefix starts the id of every focus case.
const FocusPrefix = "focus/"

// question is one question of the report and the cases that answer it.
type question struct {
	ID    string
	Title string
	// Answer sums up what the cases below it showed, naming the dialect
	// rules (package dialect) that decide each divergence.
	Answer string
	Cases  []corpus.Case
}

func header(v string) corpus.PolicyInput {
	return corpus.PolicyInput{Value: v, Disposition: "enforce", Source: "header"}
}

func reportOnly(v string) corpus.PolicyInput {
	return corpus.PolicyInput{Value: v, Disposition: "report", Source: "header"}
}

func meta(v string) corpus.PolicyInput {
	return corpus.PolicyInput{Value: v, Disposition: "enforce", Source: "meta"}
}

func metaReportOnly(v string) corpus.PolicyInput {
	return corpus.PolicyInput{Value: v, Disposition: "report", Source: "meta"}
}

// focusCase builds one case; kind "image" stands for the destination.
func focusCase(origin string, policies []corpus.PolicyInput, kind string, urls ...string) corpus.Case {
	c := corpus.Case{Policies: policies, SelfOrigin: origin, Request: corpus.RequestInput{URLList: urls}}
	if kind == "image" {
		d := "image"
		c.Request.Destination = &d
	} else {
		c.Request.Kind = kind
	}
	return c
}

func hdrs(vs ...string) []corpus.PolicyInput {
	var ps []corpus.PolicyInput
	for _, v := range vs {
		ps = append(ps, header(v))
	}
	return ps
}

const (
	pageH    = "http://example.com:8080"
	pageH80  = "http://example.com"
	pageS    = "https://example.com:8443"
	pageS443 = "https://example.com"
	pageIP   = "http://127.0.0.1:8080"
)

// questions are the report's questions, in order.
var questions = func() []question {
	qs := []question{
		{
			ID:    "star-ws",
			Title: "`*` against ws: and wss: URLs",
			Answer: "The model allows every WebSocket to a domain under `*`: the WebSocket standard hands Fetch an http: or https: URL, " +
				"which `*` matches (step 1 of #match-url-to-source-expression). All three engines allow them too, although they check " +
				"the ws:/wss: URL itself: each lets `*` cover ws: and wss: whatever the page's scheme. Read literally on the ws: URL, step 1 " +
				"would block them from an http page (spec-mapping A3, rule websocket-url-as-given). Through an IP address, `*` " +
				"still allows in the model (step 1 does not look at the host) and in the engines.",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src *"), "websocket", "ws://example.org/"),
				focusCase(pageH, hdrs("connect-src *"), "websocket", "wss://example.org/"),
				focusCase(pageH, hdrs("connect-src *"), "websocket", "ws://127.0.0.1:8080/"),
				focusCase(pageS443, hdrs("connect-src *"), "websocket", "wss://example.org/"),
				focusCase(pageS443, hdrs("default-src *"), "websocket", "wss://example.org:8443/"),
				focusCase(pageH, hdrs("connect-src *"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src http://*"), "websocket", "ws://example.org/"),
			},
		},
		{
			ID:    "ws-sources-http-urls",
			Title: "ws: and wss: source expressions against http: and https: URLs (and the reverse)",
			Answer: "#match-schemes lets `ws` match ws, wss, http and https, and `wss` match wss and https, so the model allows " +
				"fetch() to http(s) URLs under `ws:`/`wss:` sources. WebKit agrees; Chromium and Firefox block " +
				"(rule ws-schemes-only-for-websockets). The reverse way, the model lets http(s) sources allow WebSockets, since Fetch " +
				"sees an http(s) URL; every engine blocks them, matching the ws: URL against the source " +
				"(rule websocket-url-as-given).",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src ws:"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src ws:"), "xhr", "https://example.org/"),
				focusCase(pageH, hdrs("connect-src wss:"), "fetch", "https://example.org/"),
				focusCase(pageH, hdrs("connect-src wss:"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src ws://example.org"), "eventsource", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src wss://example.org"), "fetch", "https://example.org/"),
				focusCase(pageH, hdrs("connect-src ws:"), "websocket", "wss://example.org/"),
				focusCase(pageH, hdrs("connect-src http://example.org"), "websocket", "ws://example.org/"),
				focusCase(pageH, hdrs("connect-src https://example.org"), "websocket", "wss://example.org/"),
				focusCase(pageH, hdrs("connect-src https:"), "websocket", "wss://example.org/"),
				focusCase(pageH, hdrs("connect-src http:"), "websocket", "ws://example.org/"),
				focusCase(pageH, hdrs("connect-src wss:"), "websocket", "https://example.org/"),
			},
		},
		{
			ID:    "self-upgrades",
			Title: "'self' against ws:, wss: and https upgrades",
			Answer: "Step 4.2 of #match-url-to-source-expression lets 'self' follow an upgrade on the same port or between default " +
				"ports, and the engines do the same for http(s) requests and WebSockets alike: from http://example.com:8080 'self' " +
				"allows ws, wss and https on 8080 but not https on 443; from http://example.com (port 80) it allows https and wss " +
				"on 443; from an https page it never allows ws or http. One edge differs: from http://example.com, whose port is " +
				"null, Chromium and Firefox also let 'self' match https://example.com:80/, comparing port numbers where the model " +
				"compares the port fields (rule self-compares-port-numbers), and Firefox and WebKit let it match " +
				"http://example.com:443/ (Firefox: that rule with port-80-matches-443; WebKit, which does not match " +
				"https://example.com:80/: missing-http-port-matches-443).",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src 'self'"), "websocket", "ws://example.com:8080/"),
				focusCase(pageH, hdrs("connect-src 'self'"), "websocket", "wss://example.com:8080/"),
				focusCase(pageH, hdrs("connect-src 'self'"), "fetch", "https://example.com:8080/"),
				focusCase(pageH, hdrs("connect-src 'self'"), "fetch", "https://example.com/"),
				focusCase(pageH, hdrs("connect-src 'self'"), "websocket", "wss://example.com/"),
				focusCase(pageH80, hdrs("connect-src 'self'"), "fetch", "https://example.com/"),
				focusCase(pageH80, hdrs("connect-src 'self'"), "websocket", "wss://example.com/"),
				focusCase(pageH80, hdrs("connect-src 'self'"), "websocket", "ws://example.com/"),
				focusCase(pageH80, hdrs("connect-src 'self'"), "fetch", "https://example.com:8443/"),
				focusCase(pageS443, hdrs("connect-src 'self'"), "websocket", "wss://example.com/"),
				focusCase(pageS443, hdrs("connect-src 'self'"), "websocket", "ws://example.com/"),
				focusCase(pageS443, hdrs("connect-src 'self'"), "fetch", "http://example.com/"),
				focusCase(pageS, hdrs("connect-src 'self'"), "websocket", "wss://example.com:8443/"),
				focusCase(pageS, hdrs("connect-src 'SELF'"), "beacon", "https://example.com:8443/"),
				focusCase(pageH80, hdrs("connect-src 'self'"), "fetch", "https://example.com:80/"),
				focusCase(pageH80, hdrs("connect-src 'self'"), "fetch", "http://example.com:443/"),
			},
		},
		{
			ID:    "port-80-upgrade",
			Title: "An explicit port 80 against an https upgrade",
			Answer: "#match-ports compares the port-part 80 with https' default port 443, so the model blocks " +
				"`http://example.org:80` for https://example.org/. All three engines allow it, an upgrade rule of earlier " +
				"drafts: Firefox and WebKit let 80 match 443 whatever the URL's scheme (rule port-80-matches-443), Chromium only " +
				"on the upgrade to https or wss (rule port-80-upgrades-to-443). Firefox and WebKit also let a port-less " +
				"`http://example.org` match http://example.org:443/ (Firefox: missing-port-is-scheme-default with " +
				"port-80-matches-443; WebKit: missing-http-port-matches-443), and Chromium refuses an upgrade that keeps an " +
				"explicit port, 80 included (rule upgrade-needs-default-port).",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src http://example.org:80"), "fetch", "https://example.org/"),
				focusCase(pageH, hdrs("connect-src http://example.org:80"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src http://example.org:80"), "fetch", "https://example.org:80/"),
				focusCase(pageH, hdrs("connect-src example.org:80"), "xhr", "https://example.org/"),
				focusCase(pageH, hdrs("connect-src ws://example.org:80"), "websocket", "wss://example.org/"),
				focusCase(pageH, hdrs("connect-src http://example.org"), "fetch", "http://example.org:443/"),
				focusCase(pageH, hdrs("connect-src http://example.org:8080"), "fetch", "https://example.org:8080/"),
				focusCase(pageH, hdrs("connect-src ws://example.org:8080"), "websocket", "wss://example.org:8080/"),
				focusCase(pageH, hdrs("connect-src https://example.org:443"), "fetch", "https://example.org/"),
				focusCase(pageH, hdrs("connect-src https://example.org:0443"), "fetch", "https://example.org/"),
			},
		},
		{
			ID:    "ip-hosts",
			Title: "IP-address hosts (the note on 127.0.0.1 against host-part matching)",
			Answer: "The note under the source-list grammar says 127.0.0.1 matches; #match-hosts step 1 refuses every host that is " +
				"not a domain. The model follows the algorithm and blocks; all three engines match IP-address host-parts, " +
				"127.0.0.1 and others alike (rule ip-hosts-match). `*` on its own allows IP URLs in the model too, through step 1; " +
				"`http://*` does not in the model, and does in the engines. 'self' on an IP-address page compares origins and " +
				"agrees everywhere.",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src 127.0.0.1:8080"), "fetch", "http://127.0.0.1:8080/"),
				focusCase(pageH, hdrs("connect-src http://127.0.0.1"), "fetch", "http://127.0.0.1/"),
				focusCase(pageH, hdrs("connect-src http://127.0.0.2"), "fetch", "http://127.0.0.2/"),
				focusCase(pageH, hdrs("connect-src *"), "fetch", "http://127.0.0.1:8080/"),
				focusCase(pageH, hdrs("connect-src http://*:*"), "fetch", "http://127.0.0.1:8080/"),
				focusCase(pageH, hdrs("connect-src http://[::1]:8080"), "fetch", "http://[::1]:8080/"),
				focusCase(pageIP, hdrs("connect-src 'self'"), "fetch", "http://127.0.0.1:8080/"),
				focusCase(pageIP, hdrs("connect-src 'self'"), "websocket", "ws://127.0.0.1:8080/"),
				focusCase(pageIP, hdrs("connect-src 127.0.0.1:8080"), "xhr", "http://127.0.0.1:8080/x"),
				focusCase(pageIP, hdrs("connect-src 'self'"), "fetch", "http://localhost:8080/"),
			},
		},
		{
			ID:    "paths",
			Title: "Paths: trailing slash, percent-encoding and case",
			Answer: "A path-part ending in / matches that directory and below; without it the match is exact; segments compare " +
				"case-sensitively after percent-decoding, so /%7Euser/ and /~user/ are the same. The engines agree on all of " +
				"it but one point: they decode the whole path before splitting it, so an encoded slash (%2F) separates segments " +
				"for them and not for the model (rule path-decoded-whole).",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src http://example.org/api/"), "fetch", "http://example.org/api/"),
				focusCase(pageH, hdrs("connect-src http://example.org/api/"), "fetch", "http://example.org/api"),
				focusCase(pageH, hdrs("connect-src http://example.org/api/"), "fetch", "http://example.org/api/x"),
				focusCase(pageH, hdrs("connect-src http://example.org/api/"), "fetch", "http://example.org/apix"),
				focusCase(pageH, hdrs("connect-src http://example.org/api/"), "fetch", "http://example.org/API/x"),
				focusCase(pageH, hdrs("connect-src http://example.org/api"), "fetch", "http://example.org/api/"),
				focusCase(pageH, hdrs("connect-src http://example.org/%7Euser/"), "fetch", "http://example.org/~user/x"),
				focusCase(pageH, hdrs("connect-src http://example.org/~user/"), "fetch", "http://example.org/%7euser/x"),
				focusCase(pageH, hdrs("connect-src http://example.org/a%20b/"), "fetch", "http://example.org/a b/c"),
				focusCase(pageH, hdrs("connect-src http://example.org/p%2Fq"), "fetch", "http://example.org/p/q"),
				focusCase(pageH, hdrs("connect-src http://example.org/p/"), "fetch", "http://example.org/p%2Fq"),
				focusCase(pageH, hdrs("connect-src http://example.org/caf%C3%A9/"), "fetch", "http://example.org/café/x"),
			},
		},
		{
			ID:    "redirects",
			Title: "Paths after redirects",
			Answer: "After a redirect a path-part is no longer compared (step 3.6 of #match-url-to-source-expression), so a " +
				"source with a path allows a redirect to any path on its host, but never to another host. All three engines " +
				"agree, for every API, and name the URL the page asked for (not the redirect target) in the violation, as the " +
				"model does. Chromium did not follow the redirects of sendBeacon() and <a ping> here, so those show as not sent; " +
				"when a redirect is blocked, it still reports the violation.",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src 'self' http://example.org/api/"), "fetch", pageH+"/r", "http://example.org/other"),
				focusCase(pageH, hdrs("connect-src 'self' http://example.org/api/"), "fetch", "http://example.org/other"),
				focusCase(pageH, hdrs("connect-src http://example.org/api/"), "xhr", "http://example.org/api/r", "http://example.org/elsewhere"),
				focusCase(pageH, hdrs("connect-src http://example.org/api/"), "eventsource", "http://example.org/api/r", "http://not-example.com/api/"),
				focusCase(pageH, hdrs("img-src 'self' http://example.org/img/"), "image", pageH+"/r", "http://example.org/x.gif"),
				focusCase(pageH, hdrs("connect-src 'self' http://example.org/api/"), "beacon", pageH+"/r", "http://example.org/other"),
				focusCase(pageH, hdrs("connect-src 'self' http://example.org/api/"), "ping", pageH+"/r", "http://example.org/other"),
				focusCase(pageH, hdrs("connect-src 'self' http://example.org/api/"), "fetch", pageH+"/r", "http://example.org/api/", "https://example.org/x"),
			},
		},
		{
			ID:    "policies",
			Title: "Report-only and multiple policies",
			Answer: "Every engine enforces each enforced policy on its own (the strictest wins, also across the comma-separated " +
				"policies of one header) and never blocks for a report-only one, exactly as the model does. How many events one " +
				"report-only violation fires depends on the engine and the API (see Violation details): Chromium fires two for " +
				"fetch() and sendBeacon() and one for the others, Firefox one (two for a WebSocket), WebKit two (one for a " +
				"WebSocket or an image). The model reports two, one from the request check and one from the response check " +
				"(spec-mapping A9).",
			Cases: []corpus.Case{
				focusCase(pageH, []corpus.PolicyInput{reportOnly("connect-src 'self'")}, "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src *", "connect-src 'self'"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src *", "connect-src 'self'"), "fetch", pageH+"/x"),
				focusCase(pageH, []corpus.PolicyInput{header("connect-src http://example.org"), reportOnly("connect-src 'none'")}, "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src http://example.org, connect-src http://example.net"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("default-src 'none'; connect-src *"), "websocket", "ws://example.org/"),
				focusCase(pageH, hdrs("default-src 'none'"), "eventsource", pageH+"/x"),
				focusCase(pageH, []corpus.PolicyInput{reportOnly("connect-src 'none'"), reportOnly("default-src 'self'")}, "beacon", "http://example.org/"),
			},
		},
		{
			ID:    "meta",
			Title: "<meta> against header delivery",
			Answer: "A <meta> policy decides connections exactly as the same header would, in all three engines and the model, " +
				"and combines with header policies the same way; a report-only <meta> is ignored everywhere (HTML has no such " +
				"http-equiv state; spec-mapping D2). One difference: a comma in a <meta> policy is part of a source expression " +
				"for the model and Firefox, which parse the content as one policy, while Chromium and WebKit split it into " +
				"several policies as they do a header (rule meta-content-split-on-commas).",
			Cases: []corpus.Case{
				focusCase(pageH, []corpus.PolicyInput{meta("connect-src 'self'")}, "fetch", "http://example.org/"),
				focusCase(pageH, []corpus.PolicyInput{meta("connect-src 'self'")}, "fetch", pageH+"/x"),
				focusCase(pageH, []corpus.PolicyInput{meta("connect-src 'self'")}, "websocket", "ws://example.com:8080/"),
				focusCase(pageH, []corpus.PolicyInput{metaReportOnly("connect-src 'none'")}, "fetch", "http://example.org/"),
				focusCase(pageH, []corpus.PolicyInput{header("connect-src *"), meta("connect-src 'self'")}, "fetch", "http://example.org/"),
				focusCase(pageH, []corpus.PolicyInput{meta("connect-src http://example.org"), header("connect-src 'self' http://example.org")}, "xhr", "http://example.org/"),
				focusCase(pageS443, []corpus.PolicyInput{meta("default-src 'none'")}, "beacon", "https://example.org/"),
				focusCase(pageH, []corpus.PolicyInput{meta("connect-src 'none', connect-src 'self'")}, "fetch", pageH+"/x"),
				focusCase(pageH, []corpus.PolicyInput{header("connect-src 'none', connect-src 'self'")}, "fetch", pageH+"/x"),
			},
		},
		{
			ID:    "source-edges",
			Title: "Other edges of source expressions",
			Answer: "Wildcard hosts and ports, and a port-part that no port can equal, behave as the model says in every engine. " +
				"The engines read a source with a query as its path (rule source-query-ignored), and Firefox drops a host-part " +
				"that ends in a dot (rule trailing-dot-host-dropped), where the model matches it against the same host.",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src *.example.org"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src *.example.org"), "fetch", "http://a.b.example.org/"),
				focusCase(pageH, hdrs("connect-src http://example.org:*"), "fetch", "http://example.org:8000/"),
				focusCase(pageH, hdrs("connect-src example.org:99999"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("connect-src http://example.org/api?x=1"), "fetch", "http://example.org/api?x=1"),
				focusCase(pageH, hdrs("connect-src example.org."), "fetch", "http://example.org./"),
				focusCase(pageH, hdrs("connect-src example.org"), "fetch", "http://example.org./"),
				focusCase(pageH, hdrs("connect-src HTTP://EXAMPLE.ORG"), "xhr", "http://example.org/"),
			},
		},
		{
			ID:    "strict-dynamic",
			Title: "'strict-dynamic' outside script-src",
			Answer: "'strict-dynamic' concerns scripts: for every other request #match-request-to-source-list ignores it, so a " +
				"default-src or connect-src holding it still allows what its other sources allow, in the model, Chromium and " +
				"Firefox. WebKit drops the host-sources, scheme-sources and 'self' of a default-src that holds 'strict-dynamic' " +
				"(in any case, by header or <meta>) for every directive that falls back to it, connections and images alike, " +
				"and keeps a lone * (rule strict-dynamic-in-default-src); 'strict-dynamic' in connect-src, img-src or script-src " +
				"changes nothing.",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("default-src 'strict-dynamic' 'self'"), "fetch", pageH+"/x"),
				focusCase(pageH, hdrs("connect-src 'strict-dynamic' 'self'"), "fetch", pageH+"/x"),
				focusCase(pageH, hdrs("default-src 'strict-dynamic' http://example.org"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("default-src 'strict-dynamic' *"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("default-src 'strict-dynamic' http:"), "fetch", "http://example.org/"),
				focusCase(pageH, hdrs("default-src 'strict-dynamic' 'self'"), "image", pageH+"/x.gif"),
				focusCase(pageH, hdrs("default-src 'strict-dynamic' 'self'; connect-src 'self'"), "fetch", pageH+"/x"),
				focusCase(pageH, hdrs("img-src 'strict-dynamic' 'self'"), "image", pageH+"/x.gif"),
				focusCase(pageH, hdrs("default-src 'strict-dynamic' 'self'"), "websocket", "ws://example.com:8080/"),
				focusCase(pageH, hdrs("default-src 'self' 'STRICT-DYNAMIC'"), "xhr", pageH+"/x"),
				focusCase(pageH, []corpus.PolicyInput{meta("default-src 'strict-dynamic' 'self'")}, "fetch", pageH+"/x"),
				focusCase(pageH, hdrs("script-src 'strict-dynamic'; default-src 'self'"), "fetch", pageH+"/x"),
			},
		},
		{
			ID:    "scheme-redirects",
			Title: "Upgrades with an explicit port, and redirects that change scheme",
			Answer: "An http host-source with an explicit port follows the upgrade to https in the model, Firefox and WebKit: " +
				"`http://example.org:8443` allows https://example.org:8443/. Chromium refuses it (rule upgrade-needs-default-port), " +
				"and checks each URL of a redirect chain on its own, so the http URLs of a chain are still matched by such a " +
				"source. A scheme-less `*:8080` allows http and https URLs on port 8080 in the model and Firefox; WebKit matches " +
				"nothing with a scheme-less * followed by a port or a path (rule schemeless-star-with-port-or-path-ignored), " +
				"while `http://*:8080` works, and Chromium refuses the upgrade. Firefox reads `:0443` as a port no URL has " +
				"(rule port-leading-zero-never-matches).",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src http://example.org:8443 https://example.org"), "fetch", "http://example.org:8443/a", "https://example.org/b"),
				focusCase(pageH, hdrs("connect-src http://example.org:8443"), "fetch", "http://example.org:8443/a", "https://example.org:8443/b"),
				focusCase(pageH, hdrs("img-src *:8080"), "image", pageH+"/a", "https://example.org:8080/b"),
				focusCase(pageH, hdrs("img-src *:8080"), "image", "https://example.org:8080/b"),
				focusCase(pageH, hdrs("connect-src *:8080"), "fetch", "https://example.org:8080/b"),
				focusCase(pageH, hdrs("img-src http://*:8080"), "image", "https://example.org:8080/b"),
				focusCase(pageH, hdrs("img-src *:8080"), "image", pageH+"/a", "https://a.b.example.com:8080/", pageH+"/%7Euser/x"),
				focusCase(pageH, hdrs("connect-src *:8080"), "fetch", pageH+"/a", "https://example.org:8080/b"),
				focusCase(pageH, hdrs("img-src http://example.com:0443 https://example.com"), "image", "http://example.com:443/p", "https://example.com/api"),
			},
		},
		{
			ID:    "wildcard-paths",
			Title: "A wildcard host with a path",
			Answer: "The grammar lets a path-part follow the host-part *, and the model, Chromium and WebKit match " +
				"`http://*/api` against http://example.com/api. Firefox's parser accepts * only alone, before a port-part or " +
				"before a dot, and drops such a source, for images and connections alike (rule star-before-path-dropped); " +
				"`http://*` keeps working. WebKit drops the scheme-less `*/api` too (rule " +
				"schemeless-star-with-port-or-path-ignored).",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("img-src http://*/api"), "image", "http://example.com:80/api"),
				focusCase(pageH, hdrs("img-src http://*/api"), "image", "http://example.com/api"),
				focusCase(pageH, hdrs("connect-src http://*/api"), "fetch", "http://example.com/api"),
				focusCase(pageH, hdrs("img-src http://example.com/api"), "image", "http://example.com/api"),
				focusCase(pageH, hdrs("img-src http://*"), "image", "http://example.com/api"),
				focusCase(pageH, hdrs("img-src */api"), "image", "http://example.org/api"),
				focusCase(pageH, hdrs("img-src http://*/api/"), "image", "http://example.com/api/x"),
				focusCase(pageH, hdrs("img-src http://*/api"), "image", "http://example.org/api"),
				focusCase(pageH, hdrs("connect-src http://*/api"), "fetch", "http://example.com:80/api"),
			},
		},
		{
			ID:    "double-slash-paths",
			Title: "A path-part that starts with //",
			Answer: "The path-part grammar has no room for an empty first segment, so the model drops " +
				"`http://example.org//api` and `http://example.org//` and blocks, as Firefox does. Chromium and WebKit read " +
				"everything after the host and port as the path and match it as any other: `//` is the directory of //x, " +
				"`//api` matches //api only, a query is dropped, `example.org//api` takes the page's scheme, for images " +
				"too (rule path-may-start-with-double-slash). A path-part that only decoding makes start with //, such as " +
				"`/%2Fapi`, is read by all three engines, Firefox included, and matches //api (rule path-decoded-whole). " +
				"Empty segments after the first are in the grammar, and every engine matches them as the model does.",
			Cases: []corpus.Case{
				focusCase(pageH, hdrs("connect-src http://example.org//"), "fetch", "http://example.org//"),
				focusCase(pageH, hdrs("connect-src http://example.org//"), "fetch", "http://example.org//x"),
				focusCase(pageH, hdrs("connect-src http://example.org//"), "fetch", "http://example.org/x"),
				focusCase(pageH, hdrs("connect-src http://example.org//api"), "fetch", "http://example.org//api"),
				focusCase(pageH, hdrs("connect-src http://example.org//api"), "fetch", "http://example.org/api"),
				focusCase(pageH, hdrs("connect-src http://example.org/"), "fetch", "http://example.org//api"),
				focusCase(pageH, hdrs("connect-src example.org//api"), "fetch", "http://example.org//api"),
				focusCase(pageH, hdrs("img-src http://example.org//api"), "image", "http://example.org//api"),
				focusCase(pageH, hdrs("connect-src http://example.org/%2Fapi"), "fetch", "http://example.org//api"),
				focusCase(pageH, hdrs("connect-src http://example.org//api"), "fetch", "http://example.org/%2Fapi"),
				focusCase(pageH, hdrs("connect-src http://example.org:8000//api/"), "fetch", "http://example.org:8000//api/x"),
				focusCase(pageH, hdrs("connect-src http://example.org//api?x=1"), "fetch", "http://example.org//api"),
				focusCase(pageH, hdrs("connect-src http://example.org///"), "fetch", "http://example.org///x"),
				focusCase(pageH, hdrs("connect-src http://example.org///"), "fetch", "http://example.org//x"),
				focusCase(pageH, hdrs("connect-src http://example.org/a//"), "fetch", "http://example.org/a//x"),
			},
		},
		{
			ID:    "sandboxed-requests",
			Title: "Requests from a sandboxed document",
			Answer: "A document its own sandbox directive sandboxes without `allow-same-origin` has an opaque origin, but " +
				"its CSP list's self-origin, which 'self' and a source without a scheme match against, is the origin of its " +
				"URL (#parse-response-csp step 4), so a sandboxed document at https://example.com may fetch " +
				"https://example.com/ under connect-src 'self' and nothing else; Chromium, Firefox and WebKit agree. WebKit " +
				"departs for connect-src alone: there a host-source without a scheme-part (example.com, *.example.com, " +
				"example.com/api/) matches nothing, for fetch, XMLHttpRequest, EventSource and sendBeacon, also through " +
				"default-src (rule sandboxed-connect-schemeless-ignored); img-src, base-uri and form-action match such a source " +
				"as the spec does. A document that the sandbox attribute of its frame sandboxes is no case the vector format " +
				"can write (no field says the frame is sandboxed); run that way in an earlier probe, this WebKit let its " +
				"'self' match every https: and wss: URL (a fetch, a WebSocket and an image to https://evil.example under " +
				"connect-src, default-src and img-src 'self'), where Chromium and Firefox matched the document's URL's origin.",
			Cases: []corpus.Case{
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src 'self'"), "fetch", "https://evil.example/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src 'self'"), "fetch", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src 'self'"), "websocket", "wss://evil.example/")),
				sandboxedDocument(focusCase(pageS443, hdrs("img-src 'self'"), "image", "https://evil.example/a.gif")),
				sandboxedDocument(focusCase(pageS443, hdrs("img-src 'self'"), "image", "https://example.com/a.gif")),
				sandboxedDocument(focusCase(pageS443, hdrs("default-src 'self'"), "fetch", "https://evil.example/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src 'self' https://partner.example"), "fetch", "https://evil.example/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src example.com"), "fetch", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src https://example.com"), "fetch", "https://evil.example/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src https://example.com"), "fetch", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src 'none'"), "fetch", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src *"), "fetch", "https://evil.example/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src example.com:443"), "fetch", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src *.example.com"), "fetch", "https://a.example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src example.com/api/"), "fetch", "https://example.com/api/x")),
				sandboxedDocument(focusCase(pageS443, hdrs("img-src example.com"), "image", "https://example.com/a.gif")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src example.com"), "websocket", "wss://example.com/")),
				focusCase(pageS443, hdrs("sandbox allow-scripts allow-same-origin; connect-src example.com"), "fetch", "https://example.com/"),
				focusCase(pageS443, hdrs("connect-src example.com"), "fetch", "https://example.com/"),
				focusCase(pageS443, []corpus.PolicyInput{header("sandbox allow-scripts"), header("connect-src example.com")}, "fetch", "https://example.com/"),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src example.com"), "xhr", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src example.com"), "eventsource", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src example.com"), "beacon", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("default-src example.com"), "fetch", "https://example.com/")),
				sandboxedDocument(focusCase(pageS443, hdrs("default-src example.com"), "image", "https://example.com/a.gif")),
				sandboxedDocument(focusCase(pageS443, hdrs("connect-src 'self' example.com"), "fetch", "https://example.com/")),
			},
		},
	}
	qs = append(qs, checkQuestions...)
	for qi := range qs {
		for ci := range qs[qi].Cases {
			c := &qs[qi].Cases[ci]
			c.ID = fmt.Sprintf("%s%s/%02d", FocusPrefix, qs[qi].ID, ci)
			c.Source = "focus case: " + qs[qi].Title
		}
	}
	return qs
}()

// focusCases returns every question's cases.
func focusCases() []corpus.Case {
	var cs []corpus.Case
	for _, q := range questions {
		cs = append(cs, q.Cases...)
	}
	return cs
}
