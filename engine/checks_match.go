package engine

import (
	"strings"

	"github.com/cspmodel/cspmodel/model"
)

// This file matches the prepared URLs of the checks beyond requests (a base
// URL, a navigation's URLs, a navigable's ancestors) against the source
// lists the checks consult (base-uri, form-action, frame-ancestors), as
// #match-url-to-source-list does. The request path's matcher,
// (*CSP).matches, reads a request's view; this one reads a target, whose
// scheme bit, host, port and whether that port is the scheme's default were
// read once, when the input was prepared, and a self-origin and
// host-sources (their hosts lowercased, their path-parts cut out of the
// policy's text) the checks' list read once, when it was compiled. A list
// or a URL it does not handle itself (a URL with a host whose scheme CSP has
// no number for, or a blob: URL; a host with upper-case letters; a list with
// rare parts or an index) goes to (*CSP).matches, so that the two cannot
// disagree on anything but the common case, which
// TestCheckURLMatcherAgreesWithModel and the differential tests hold to the
// model.

// target is a URL prepared for the checks' source lists.
type target struct {
	url  *model.URL
	host string // url.Host.Serialized
	// hw are host's words (words): equal strings of at most 16 bytes
	// have equal words, so that comparing a host with a policy's costs
	// no call.
	hw   [2]uint64
	port int // url.Port
	// bit is 1<<scheme for a numbered scheme, 0 for any other (and for
	// a host with upper-case letters).
	bit      uint8
	scheme   scheme
	hostKind model.HostKind
	// defaultPort: the port is null or the scheme's default.
	defaultPort bool
	// plainPath: the URL's path has no "%".
	plainPath bool
	// redirected: the URL is a redirect target (redirect count above
	// zero), whose path a source's path-part does not constrain
	// (#match-url-to-source-expression step 4.9).
	redirected bool
	// source is a javascript: URL's serialization, when PrepareNavigation
	// prepared it, else "" (a serialization is never empty).
	source string
}

// prepareTarget reads u for the checks' source lists; hop is its place in
// a URL list (0 for the request's URL).
func prepareTarget(u *model.URL, hop int) target {
	k := schemeOf(u.Scheme)
	t := target{url: u, host: u.Host.Serialized, hw: words(u.Host.Serialized), port: u.Port, scheme: k, hostKind: u.Host.Kind, redirected: hop > 0}
	if k != schemeOther && !hasUpper(t.host) {
		// A host with upper-case letters (a URL built by hand: the
		// parser lowercases domains) is left to (*CSP).matches, which
		// folds the policy's hosts as it compares them.
		t.bit = 1 << k
	}
	t.defaultPort = u.Port == -1 || u.Port == defaultPort(k)
	t.plainPath = !strings.Contains(u.Path, "%")
	return t
}

// selfTarget is the self-origin as the checks' matcher reads it, compiled
// with the checks' list.
type selfTarget struct {
	// ok: the self-origin is a tuple origin, which 'self' can match.
	ok       bool
	hostKind model.HostKind
	scheme   scheme
	// starBits are the scheme bits "*" matches: http, https, and the
	// self-origin's scheme (#match-url-to-source-expression step 1).
	starBits uint8
	// upgradeBits are the scheme bits of a URL that 'self' matches when
	// the host and ports agree (#match-url-to-source-expression step
	// 4.3.2): https and wss, and http and ws for an http self-origin.
	upgradeBits uint8
	// portDefault: the self-origin's port is null or its scheme's default.
	portDefault bool
	port        int // as model.Origin has it; one no URL has when outside
	host        string
	hw          [2]uint64 // host's words
	// otherScheme: the self-origin is not opaque and its scheme, otherName,
	// has no number; "*" matches that scheme too.
	otherScheme bool
	otherName   string
}

// compileSelfTarget reads c's self-origin for the checks' matcher.
func (c *CSP) compileSelfTarget() selfTarget {
	s := &c.self
	st := selfTarget{starBits: 1<<schemeHTTP | 1<<schemeHTTPS}
	if s.opaque {
		return st
	}
	if s.schemeNum != schemeOther {
		st.starBits |= 1 << s.schemeNum
	} else {
		st.otherScheme, st.otherName = true, c.selfOtherScheme()
	}
	st.ok, st.hostKind, st.scheme, st.host, st.hw = true, s.hostKind, s.schemeNum, s.host, words(s.host)
	st.port = s.portNum()
	st.portDefault = st.port == -1 || st.port == defaultPort(s.schemeNum)
	st.upgradeBits = 1<<schemeHTTPS | 1<<schemeWSS
	if s.schemeNum == schemeHTTP {
		st.upgradeBits |= 1<<schemeHTTP | 1<<schemeWS
	}
	return st
}

// entryMatches reports whether t's URL matches a policy's list, as
// (*CSP).matches does for its view. Small enough to inline: most URLs are
// decided by the list's scheme bits (policyList).
func (l *Checks) entryMatches(e *policyList, t *target) bool {
	return e.bits&t.bit != 0 || l.entryHostsMatch(e, t)
}

// checkHost is a host-source as the checks' matcher reads it: its host-part
// lowercased (for a "*." wildcard, the suffix from its dot; for "*",
// nothing), its path-part, and its scheme-part and port-part as the
// source list compiled them (hostRec).
type checkHost struct {
	key  string
	kw   [2]uint64 // key's words
	path string    // when flags has recPath
	port int
	// plainPath: path has no "%", so that #match-paths compares its
	// segments as they are written.
	plainPath bool
	schemes   uint8
	flags     uint8
}

// compileCheckHosts reads a flat set's records for the checks' matcher.
func compileCheckHosts(s *hostSet) []checkHost {
	if len(s.hosts) == 0 {
		return nil
	}
	hs := make([]checkHost, len(s.hosts))
	for i := range s.hosts {
		r := &s.hosts[i]
		h := &hs[i]
		h.port, h.schemes, h.flags = int(r.port), r.schemes, r.flags
		switch r.flags & recKind {
		case recExact, recSuffix:
			h.key = lowerASCII(s.key(r))
			h.kw = words(h.key)
		}
		if r.flags&recPath != 0 {
			h.path = s.pathPart(r)
			h.plainPath = !strings.Contains(h.path, "%")
		}
	}
	return hs
}

// entryHostsMatch is entryMatches past "*" and the scheme-sources: « 'none'
// », 'self' and the host-sources, and the rest of a list or a URL that only
// (*CSP).matches handles.
func (l *Checks) entryHostsMatch(e *policyList, t *target) bool {
	if e.none {
		return false
	}
	bit := t.bit
	if bit == 0 || e.slow {
		if bit == 0 && !e.slow && t.hostKind == model.NoHost && t.scheme == schemeOther && t.url.Scheme != "blob" {
			// A URL without a host whose scheme has no number
			// (javascript:, data:, about:): neither 'self' (which
			// allows only numbered schemes, and a blob:'s origin)
			// nor a host-source matches it, and "*" only when it has
			// the self-origin's scheme (#match-url-to-source-expression
			// step 1).
			return e.star && l.self.otherScheme && t.url.Scheme == l.self.otherName
		}
		return l.urlMatchesSlow(e.list, t)
	}
	if e.self && l.selfMatches(t) {
		return true
	}
	if t.hostKind != model.DomainHost {
		return false
	}
	host := t.host
	for i := range e.hosts {
		h := &e.hosts[i]
		switch h.flags & recKind {
		case recExact:
			if len(h.key) != len(host) || h.kw != t.hw || len(host) > 16 && h.key != host {
				continue
			}
		case recSuffix:
			// The host ends with the suffix (#match-hosts step 3.2),
			// which it may equal.
			if len(host) < len(h.key) || host[len(host)-len(h.key):] != h.key {
				continue
			}
		}
		// #match-schemes, as the source's scheme bits hold it.
		if h.schemes&bit == 0 {
			continue
		}
		// #match-ports.
		switch {
		case h.flags&recPortAny != 0:
		case h.flags&recPortNull != 0:
			if t.port != -1 {
				continue
			}
		case h.port == t.port:
		case t.port == -1 && h.port == defaultPort(t.scheme):
		default:
			continue
		}
		if h.flags&recPath != 0 && !t.redirected && !h.pathMatches(t) {
			continue
		}
		return true
	}
	return false
}

// selfMatches is 'self' for a URL of a numbered scheme, as
// (*CSP).selfMatches decides it.
func (l *Checks) selfMatches(t *target) bool {
	s := &l.self
	if !s.ok || t.hostKind != s.hostKind || len(t.host) != len(s.host) || t.hw != s.hw || len(t.host) > 16 && t.host != s.host {
		return false
	}
	if t.port == s.port {
		return t.scheme == s.scheme || s.upgradeBits&t.bit != 0
	}
	return s.portDefault && t.defaultPort && s.upgradeBits&t.bit != 0
}

// urlMatchesSlow matches what entryHostsMatch leaves to the request path's
// matcher: a URL whose scheme has no number, a list with rare parts or an
// index.
//
//go:noinline
func (l *Checks) urlMatchesSlow(sl *sourceList, t *target) bool {
	rc := 0
	if t.redirected {
		rc = 1
	}
	return l.csp.matches(sl, &view{url: t.url, schemeName: t.url.Scheme, scheme: t.scheme, redirectCount: rc})
}

// hasUpper reports whether s has an ASCII upper-case letter.
func hasUpper(s string) bool {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			return true
		}
	}
	return false
}

// words are the first and the last eight bytes of s (fewer, zero-padded,
// when s is shorter), little-endian: two strings of the same length of at
// most 16 bytes are equal exactly when their words are, since the two
// windows cover every byte.
func words(s string) [2]uint64 {
	var w [2]uint64
	n := min(len(s), 8)
	for i := range n {
		w[0] |= uint64(s[i]) << (8 * i)
		w[1] |= uint64(s[len(s)-n+i]) << (8 * i)
	}
	return w
}

// pathMatches is #match-paths of h's path-part and t's URL's path, as
// pathMatches decides it. When neither has a "%", no segment is decoded and
// the segments compare as the strings do: a path-part without a final "/"
// matches the same path, and one with it every path it begins (its last
// segment, empty, is not compared), or the empty path when it is "/".
func (h *checkHost) pathMatches(t *target) bool {
	if !h.plainPath || !t.plainPath {
		return pathMatches(h.path, t.url.Path)
	}
	a, b := h.path, t.url.Path
	if a[len(a)-1] != '/' {
		return a == b
	}
	return strings.HasPrefix(b, a) || a == "/" && b == ""
}
