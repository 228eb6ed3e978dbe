package engine

import "github.com/cspmodel/cspmodel/model"

// The first request of an effective directive is decided by reading the
// policies' directive values as text, token by token, rather than by laying
// out the deciders and compiling their source lists: a policy seen once, as
// a crawler, a proxy or the vector kit sees most policies, then never pays
// for building host records it asks one question of. The CSP notes in its
// ready word that the effective directive was scanned, and its second
// request lays out and compiles as before, so that a policy seen often
// pays the scan once.
//
// Only requests whose every deciding directive checks the URL alone are
// scanned (no nonce, integrity, 'strict-dynamic', parser metadata or
// WebTransport hashes can change them); the rest, and resource hints, take
// the compiled path from their first decision on.
//
// A token is matched by the same code the compiled path runs where it can
// be (compileHostSource, then hostSourceMatches for the scheme-, port- and
// path-parts), so that the two agree by construction; the host-part is
// compared first, in the text (scanSkips), so that a host-source whose
// host-part cannot be the URL's host is skipped without compiling it.

// scanShift is the first of the ready word's bits that say an effective
// directive's first request was scanned: bit scanShift+e for e.
const scanShift = 16

// scanDecide decides r's request of effective directive eff, whose deciders
// are not laid out, by scanning the policies' texts, into d, and reports
// true; or reports false, with d untouched, when the request is not one a
// scan decides. v is the view Decide began (its request and flags).
func (c *CSP) scanDecide(r *Request, d *Decision, v *view, eff effective) bool {
	if v.webTransport {
		return false
	}
	for hop := range r.URLs {
		u := &r.URLs[hop]
		v.url, v.schemeName, v.redirectCount = u, u.Scheme, hop
		if r.Kind == KindWebSocket {
			v.schemeName = fetchScheme(wsScheme(u.Scheme))
		}
		v.scheme = schemeOf(v.schemeName)
		// Report-only policies first (main fetch step 4), then the
		// enforced ones (step 7): c.policies holds them in that order,
		// as a lay-out's deciders do.
		for i := range c.policies {
			p := &c.policies[i]
			id, ok := p.deciding(eff)
			if !ok {
				continue
			}
			if hop == 0 && !scannable(p, id, eff) {
				// Decided the compiled way, from the start.
				d.Verdict, d.Violations = model.Allowed, d.Violations[:0]
				return false
			}
			if c.scanMatches(p.value(id), v) {
				continue
			}
			d.violation(r, p, id, eff, hop, false)
			if !p.report {
				d.Verdict = model.Blocked
			}
		}
		if d.Verdict == model.Blocked {
			c.scanned(eff)
			return true
		}
	}
	// The post-request checks repeat the last hop's report-only decisions
	// (Decide).
	for i := range c.policies {
		p := &c.policies[i]
		if !p.report {
			break
		}
		if id, ok := p.deciding(eff); ok && !c.scanMatches(p.value(id), v) {
			d.violation(r, p, id, eff, v.redirectCount, true)
		}
	}
	c.scanned(eff)
	return true
}

// scannable reports whether directive id of p, deciding a request of eff,
// is one a scan decides: its check looks at the URL alone, and its value
// is read in place (a value read again from a long text at each hop would
// cost more than compiling it once).
func scannable(p *compiledPolicy, id dirID, eff effective) bool {
	b := bodyOf(id)
	if id == dirDefault || id == dirChild {
		b = bodyOfEffective[eff]
	}
	return b <= bodyConnect && len(p.text) <= maxOffset
}

// scanned notes that a request of eff was scanned: the next one lays out
// and compiles.
func (c *CSP) scanned(eff effective) {
	c.ready.Or(1 << (scanShift + uint32(eff)))
}

// scanMatches reports whether the view's URL matches the source list value,
// a directive value as text: what matches reports for the list compiled
// from it. An empty list and « 'none' » have no token that matches, so they
// need no test of their own.
func (c *CSP) scanMatches(value string, v *view) bool {
	host := ""
	if v.url.Host.Kind == model.DomainHost {
		host = v.url.Host.Serialized
	}
	for i := 0; ; {
		for i < len(value) && isSpace(value[i]) {
			i++
		}
		if i == len(value) {
			return false
		}
		if value[i] == '\'' {
			// A keyword, a nonce or a hash: of these, only 'self' matches
			// a URL.
			end := tokenEnd(value, i)
			if equalFoldLower(value[i:end], "'self'") && c.selfMatches(v) {
				return true
			}
			i = end
			continue
		}
		// A scheme-source, or where a host-source's host-part starts:
		// as compileSource reads them.
		h, j := i, i
		for j < len(value) && byteClass[value[j]]&cScheme != 0 {
			j++
		}
		if j > i && isLetter(value[i]) && j < len(value) && value[j] == ':' {
			if j+1 == len(value) || isSpace(value[j+1]) {
				if schemeSourceMatches(value[i:j], v) {
					return true
				}
				i = j + 1
				continue
			}
			if j+2 < len(value) && value[j+1] == '/' && value[j+2] == '/' {
				h = j + 3
			}
		}
		if scanSkips(value, h, host) {
			i = tokenEnd(value, h)
			continue
		}
		scheme := ""
		if h > i {
			scheme = value[i:j]
		}
		ok, end := c.sourceMatches(value, i, h, scheme, v)
		if ok {
			return true
		}
		i = end
	}
}

// scanSkips reports whether the host-part that starts at value[h] does not
// match host (the URL's host, or "" when it is not a domain), as matches
// compares a flat list's hosts: a "*." wildcard whose suffix host does not
// end with, or an exact host-part that is not host, ASCII case-insensitively
// on the host-part's side. It is the scan's only comparison of hosts
// (sourceMatches does not compare them again), so false means the
// host-part matches; the token is then compiled for its other parts. A "*"
// host-part, which also stands for the source "*", is never skipped.
func scanSkips(value string, h int, host string) bool {
	if h == len(value) {
		return true // no host-part: compileSource keeps nothing
	}
	if value[h] == '*' {
		if h+1 == len(value) || value[h+1] != '.' {
			return false
		}
		if host == "" {
			return true
		}
		// The suffix with its dot runs to where the host-part ends
		// (scanHostPart).
		e := h + 2
		for e < len(value) && value[e] != ':' && value[e] != '/' && !isSpace(value[e]) {
			e++
		}
		k := e - h - 1
		if len(host) < k {
			return true
		}
		t, tail := value[h+1:e], host[len(host)-k:]
		return t != tail && !equalFoldLower(t, tail)
	}
	n := len(host)
	if n == 0 || len(value)-h < n {
		return true
	}
	if e := h + n; e < len(value) {
		if c := value[e]; c != ':' && c != '/' && !isSpace(c) {
			return true // a longer host-part
		}
	}
	if c := value[h]; c != host[0] && c|0x20 != host[0] {
		return true
	}
	t := value[h : h+n]
	return t != host && !equalFoldLower(t, host)
}

// sourceMatches compiles the expression that starts at value[i], not
// quoted nor a scheme-source, whose host-part starts at value[h] after the
// given scheme-part, as compileSource would, and reports whether the view's
// URL matches it (matches for a list of that one expression), and where its
// token ends. The caller has held the host-part to the URL's host already
// (scanSkips compares them as matches compares a flat list's hosts), so
// what is left to match is the scheme-part, the port-part and the
// path-part.
func (c *CSP) sourceMatches(value string, i, h int, scheme string, v *view) (bool, int) {
	var l sourceList
	r, end, ok := l.compileHostSource(value, i, h, sourceRec(scheme, c.self.bits, c.self.other))
	if l.star && (v.scheme == schemeHTTP || v.scheme == schemeHTTPS || !c.self.opaque && c.selfSchemeIs(v)) {
		return true, end
	}
	if !ok || v.url.Host.Kind != model.DomainHost {
		return false, end
	}
	s := hostSet{text: value}
	return c.hostSourceMatches(&s, &r, v), end
}

// schemeSourceMatches reports whether the view's URL matches the
// scheme-source of the given scheme-part, as a compiled list's schemeBits
// and otherSchemes do.
func schemeSourceMatches(part string, v *view) bool {
	if b, ok := sourceSchemeBits(part); ok {
		return v.scheme != schemeOther && b&(1<<v.scheme) != 0
	}
	// The list keeps the part's lowercase, and compares it with the URL's
	// scheme.
	return v.scheme == schemeOther && equalFoldLower(part, v.schemeName)
}
