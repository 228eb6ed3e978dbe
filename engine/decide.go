package engine

import (
	"errors"
	"fmt"
	"hash/maphash"
	"slices"
	"strconv"
	"strings"
	"unsafe"

	"github.com/cspmodel/cspmodel/model"
)

// Kind is the API that makes a request. KindNone means the request is
// described by its Destination, Initiator and Mode instead. A number past
// KindWebSocket is no API; Decide refuses it (ErrRequest).
type Kind uint8

const (
	KindNone Kind = iota
	KindFetch
	KindXHR
	KindEventSource
	KindBeacon
	KindPing
	KindWebSocket
)

var kindNames = map[string]Kind{
	"fetch": KindFetch, "xhr": KindXHR, "eventsource": KindEventSource,
	"beacon": KindBeacon, "ping": KindPing, "websocket": KindWebSocket,
}

// ParseKind returns the Kind named name ("fetch", "xhr", "eventsource",
// "beacon", "ping", "websocket").
func ParseKind(name string) (Kind, bool) {
	k, ok := kindNames[name]
	return k, ok
}

// Request is a request to decide.
type Request struct {
	Kind Kind
	// Destination, Initiator and Mode describe the request when Kind is
	// KindNone; every Kind has destination "" and initiator "", whatever
	// these fields say. For KindNone, a value Fetch does not name (model's
	// IsDestination, Initiators and Modes; ParserMetadatas for
	// ParserMetadata, whatever the Kind) is refused with ErrRequest: a
	// misspelt "img" is not decided as a request of no destination.
	Destination string
	Initiator   string
	Mode        string
	// URLs is the URL list as the API was given it: its URL first (a
	// WebSocket's may be ws:, wss:, http: or https:), then each redirect
	// target. Each is a URL record as model.ParseURL or ParseURLInto gives
	// it. A record built by hand that no URL parser gives is not checked
	// for (the package documentation says how each kind is decided): with
	// upper-case letters in a domain or the scheme, the engine may block
	// where the model, which compares them ASCII case-insensitively,
	// allows; it never allows more than the model on such a record
	// (hand_built_hosts_test.go, fuzz/handbuilt.go).
	URLs []model.URL

	Nonce              string
	Integrity          string
	ParserMetadata     string
	WebTransportHashes []string
}

// Violation is one reported violation. It is a few words long, so that
// reporting costs little: the policy's text, delivery and disposition are
// read from the compiled policy, and the blocked URI is computed on demand.
type Violation struct {
	policy        *compiledPolicy
	dir           dirID
	effective     effective
	response      bool // reported by the post-request checks
	websocket     bool // resource is a WebSocket's URL as the page gave it, reported as Fetch sees it
	RedirectCount int
	resource      *model.URL // the request's URL
}

// Policy is the index of the delivery that carried the violated policy.
func (v *Violation) Policy() int { return int(v.policy.delivery) }

// OriginalPolicy is the violated policy's text.
func (v *Violation) OriginalPolicy() string { return v.policy.text }

// Directive is the directive whose check said Blocked.
func (v *Violation) Directive() string { return dirNames[v.dir] }

// EffectiveDirective is the request's effective directive.
func (v *Violation) EffectiveDirective() string { return effectiveNames[v.effective] }

// Disposition is the violated policy's disposition.
func (v *Violation) Disposition() model.Disposition { return v.policy.disposition() }

// Check says which hook reported the violation.
func (v *Violation) Check() model.Check {
	if v.response {
		return model.PostRequest
	}
	return model.PreRequest
}

// BlockedURI returns the violation's blockedURI: its resource stripped for
// reports (only the scheme of a non-HTTP(S) URL; no fragment or credentials).
// A WebSocket's resource is the request's URL (#create-violation-for-request
// step 3), whose scheme is http or https where the page wrote ws or wss (see
// docs/spec-mapping.md, "WebSocket URLs").
func (v *Violation) BlockedURI() string {
	u := v.resource
	scheme := u.Scheme
	if v.websocket {
		scheme = fetchScheme(wsScheme(scheme))
	}
	if scheme != "http" && scheme != "https" {
		return scheme
	}
	var b strings.Builder
	b.WriteString(scheme)
	b.WriteString("://")
	b.WriteString(u.Host.Serialized)
	if u.Port >= 0 {
		b.WriteByte(':')
		b.WriteString(strconv.Itoa(u.Port))
	}
	b.WriteString(u.Path)
	if u.HasQuery {
		b.WriteByte('?')
		b.WriteString(u.Query)
	}
	return b.String()
}

// Decision is the verdict on a request and the violations reported, in order.
// Reusing a Decision across calls reuses its Violations storage. A
// violation's BlockedURI reads the request's first URL: it is valid until the
// Decision decides again, and while that URL is left as it was.
type Decision struct {
	Verdict    model.Verdict
	Violations []Violation
}

// violation records a violation of the request r by policy p. It writes the
// record in place in d.Violations rather than appending a value built on the
// stack: the copy cost more than the rest of the record-keeping.
func (d *Decision) violation(r *Request, p *compiledPolicy, dir dirID, eff effective, hop int, response bool) {
	n := len(d.Violations)
	if n < cap(d.Violations) {
		d.Violations = d.Violations[:n+1]
	} else {
		d.Violations = append(d.Violations, Violation{})
	}
	x := &d.Violations[n]
	x.policy, x.dir, x.effective, x.response, x.RedirectCount = p, dir, eff, response, hop
	x.websocket, x.resource = r.Kind == KindWebSocket, &r.URLs[0]
}

// ErrRequest is wrapped by the errors Decide returns for requests the API or
// Fetch would refuse before any CSP check.
var ErrRequest = errors.New("request cannot be made")

// view is a request at one hop, as the checks see it.
type view struct {
	url *model.URL
	// schemeName is the URL's scheme as Fetch sees it: a WebSocket's ws:
	// and wss: URLs are fetched as http: and https: ones. scheme is its
	// number.
	schemeName    string
	scheme        scheme
	webTransport  bool // a WebTransport request with server certificate hashes
	redirectCount int
	r             *Request
}

// Decide decides r under the compiled CSP list, writing the verdict and the
// violations into d (whose Violations it truncates first). For a request
// built from already parsed URLs it does not allocate once d has room for
// the violations, but to lay out the request's effective directive (at
// its first request that a scan does not decide, once per CSP and
// directive; a resource hint's lists likewise) and to match 'self' to a
// blob: URL whose path is a URL of the self-origin's scheme (http or
// https) that ParseURL's fast path does not take: that path is parsed at
// each decision. A request the API
// or Fetch would not make is refused, with ErrRequest and a Blocked
// verdict; then a CSP that refuses every
// decision (Err: one compiled from a delivery it cannot name, or a nil or
// zero CSP) refuses any other, with its error; then a nil r is refused,
// with ErrRequest. A nil d is refused first, with ErrNoDecision, and
// nothing is decided.
func (c *CSP) Decide(r *Request, d *Decision) error {
	if d == nil {
		return ErrNoDecision
	}
	d.Violations = d.Violations[:0]
	if r == nil {
		return c.refuseRequest(d)
	}
	d.Verdict = model.Allowed
	v := view{r: r}
	eff, prefetch := effConnect, false
	if r.Kind == KindNone {
		// prefetch and prerender are resource hints (spec-mapping A29).
		eff, prefetch = effectiveOf(r.Destination, r.Initiator), r.Initiator == "prefetch" || r.Initiator == "prerender"
		v.webTransport = len(r.WebTransportHashes) > 0 && r.Mode == "webtransport"
	}
	if err := validate(r, eff); err != nil {
		// Fail closed: a caller who ignores the error must not read Allowed.
		d.Verdict = model.Blocked
		return err
	}
	if c == nil {
		return c.refuseRequest(d)
	}
	var ds []decider
	if ready := c.ready.Load(); ready>>firstShift == uint32(eff)+1 {
		ds = unsafe.Slice(c.first, c.firstLen)
	} else if ready == refusedReady || c.uncompiled() {
		// A CSP that refuses every decision (its ready word has every
		// bit set, which takes no branch above), or a zero CSP, which
		// Compile did not make.
		return c.refuseRequest(d)
	} else if ready&(1<<eff|1<<(scanShift+uint32(eff))) == 0 && !prefetch && c.scanDecide(r, d, &v, eff) {
		// The first request of eff, decided without laying it out.
		return nil
	} else {
		ds = c.otherDeciders(eff)
	}
	for hop := range r.URLs {
		u := &r.URLs[hop]
		v.url, v.schemeName, v.redirectCount = u, u.Scheme, hop
		if r.Kind == KindWebSocket {
			v.schemeName = fetchScheme(wsScheme(u.Scheme))
		}
		v.scheme = schemeOf(v.schemeName)
		if prefetch {
			c.prefetchHop(r, d, &v)
		} else {
			// Report-only policies report first (main fetch step 4), then
			// the enforced ones decide (step 7): ds holds them in that
			// order.
			for i := range ds {
				dc := &ds[i]
				if c.blocks(dc, &v) {
					d.violation(r, dc.policy, dc.dir, eff, hop, false)
					if dc.enforced {
						d.Verdict = model.Blocked
					}
				}
			}
		}
		if d.Verdict == model.Blocked {
			return nil
		}
	}
	// The post-request checks see the last URL with the last redirect count,
	// so they repeat the last hop's pre-request decisions: enforced policies
	// all allowed it, and report-only ones report again. A prefetch's
	// effective directive is default-src, which no directive's post-request
	// check executes for.
	if prefetch {
		return nil
	}
	for i := range ds {
		dc := &ds[i]
		if dc.enforced {
			break
		}
		if c.blocks(dc, &v) {
			d.violation(r, dc.policy, dc.dir, eff, v.redirectCount, true)
		}
	}
	return nil
}

// refuseRequest refuses a request on a CSP that refuses every decision
// (Err), or a nil request on any other. Out of line: Decide's hot path
// stays small.
//
//go:noinline
func (c *CSP) refuseRequest(d *Decision) error {
	d.Verdict = model.Blocked
	if err := c.Err(); err != nil {
		return err
	}
	return fmt.Errorf("%w: no request", ErrRequest)
}

// prefetchHop decides one hop of a prefetch: a policy with default-src blocks
// it unless one of the fetch directives that can let a hint through allows
// it. Its effective directive is default-src.
func (c *CSP) prefetchHop(r *Request, d *Decision, v *view) {
	c.hintLists()
	var hints [][]*sourceList // nil when no policy has default-src
	if rare := c.rare.Load(); rare != nil {
		hints = rare.hints
	}
	for i := range c.policies {
		p := &c.policies[i]
		if p.has&(1<<dirDefault) == 0 || c.hintMatches(hints[i], v) {
			continue
		}
		d.violation(r, p, dirDefault, effDefault, v.redirectCount, false)
		if !p.report {
			d.Verdict = model.Blocked
		}
	}
}

// hintMatches reports whether one of the lists of a policy's fetch
// directives other than default-src matches
// (#does-resource-hint-violate-policy step 3).
func (c *CSP) hintMatches(lists []*sourceList, v *view) bool {
	for _, l := range lists {
		if c.matches(l, v) {
			return true
		}
	}
	return false
}

// blocks runs the deciding directive's check.
func (c *CSP) blocks(dc *decider, v *view) bool {
	l := &dc.list
	// Most checks look only at the URL; those go straight to matching.
	if dc.body <= bodyConnect && !v.webTransport {
		return !c.matches(l, v)
	}
	switch dc.body {
	case bodyConnect: // a WebTransport request with certificate hashes
		return !l.webTransportOK
	case bodyScript:
		// #script-pre-request step 1 acts on script-like destinations
		// (xslt counted, spec-mapping A8): every destination a script
		// directive decides is one (script-src-elem's and worker-src's,
		// effectiveOf), so the nonce, integrity and 'strict-dynamic'
		// checks always apply here.
		if l.nonceMatches(v.r.Nonce) || l.integrityMatches(v.r.Integrity) {
			return false
		}
		if l.strictDynamic {
			return v.r.ParserMetadata == "parser-inserted"
		}
	case bodyStyle:
		if l.nonceMatches(v.r.Nonce) {
			return false
		}
	}
	return !c.matches(l, v)
}

func (l *sourceList) nonceMatches(nonce string) bool {
	if nonce == "" || l.rare == nil {
		return false
	}
	for _, n := range l.rare.nonces {
		if n == nonce {
			return true
		}
	}
	return false
}

// integrityMatches: every hash of the metadata with a known algorithm must be
// among the list's hash-sources, and there must be at least one.
func (l *sourceList) integrityMatches(metadata string) bool {
	if l.rare == nil || len(l.rare.hashes) == 0 {
		return false
	}
	found := 0
	for {
		item, rest, more := strings.Cut(metadata, " ")
		item, _, _ = strings.Cut(item, "?")
		alg, value, _ := strings.Cut(item, "-")
		value, _, _ = strings.Cut(value, "-")
		// The algorithm's name, ASCII case-insensitively, as the list
		// spells it (lowercase), without allocating a lowercase copy.
		a := ""
		for _, known := range [...]string{"sha256", "sha384", "sha512"} {
			if equalFoldLower(alg, known) {
				a = known
			}
		}
		if a != "" {
			ok := false
			for _, h := range l.rare.hashes {
				if h.alg == a && h.value == value {
					ok = true
					break
				}
			}
			if !ok {
				return false
			}
			found++
		}
		if !more {
			break
		}
		metadata = rest
	}
	return found > 0
}

// matches reports whether the view's URL matches the source list.
func (c *CSP) matches(l *sourceList, v *view) bool {
	if l.none {
		return false
	}
	if l.star && (v.scheme == schemeHTTP || v.scheme == schemeHTTPS || !c.self.opaque && c.selfSchemeIs(v)) {
		return true
	}
	if v.scheme != schemeOther {
		if l.schemeBits&(1<<v.scheme) != 0 {
			return true
		}
	} else if l.rare != nil && l.rare.otherSchemes.hasOther(v.schemeName) {
		return true
	}
	if l.self && c.selfMatches(v) {
		return true
	}
	if v.url.Host.Kind != model.DomainHost {
		return false
	}
	if l.ix != nil || l.rare != nil && l.rare.more != nil {
		return c.hostSetsMatch(l, v)
	}
	// A short list, scanned here rather than in hostsMatch: the call
	// cost more than the scan.
	host := v.url.Host.Serialized
	text, hosts := l.text, l.hosts
	for i := range hosts {
		r := &hosts[i]
		off, n, flags := int(r.off), int(r.n), r.flags
		switch flags & recKind {
		case recExact:
			if n != len(host) {
				continue
			}
		case recSuffix:
			// The host ends with the suffix (#match-hosts step 3.2),
			// which it may equal: ".com" ends with ".com".
			off, n = off+1, n-1
			if len(host) < n {
				continue
			}
		default:
			goto checkRest
		}
		if t, h := text[off:off+n], host[len(host)-n:]; t != h && (flags&recUpper == 0 || !equalFoldLower(t, h)) {
			continue
		}
	checkRest:
		if c.hostSourceMatches(&l.hostSet, r, v) {
			return true
		}
	}
	return false
}

// hostSetsMatch is the host-source part of matches for a list that is
// indexed, or has more than one set.
func (c *CSP) hostSetsMatch(l *sourceList, v *view) bool {
	if c.hostsMatch(&l.hostSet, v) {
		return true
	}
	if l.rare != nil {
		for i := range l.rare.more {
			if c.hostsMatch(&l.rare.more[i], v) {
				return true
			}
		}
	}
	return false
}

// hostsMatch reports whether a host-source of s matches the view's URL,
// whose host is a domain.
func (c *CSP) hostsMatch(s *hostSet, v *view) bool {
	host := v.url.Host.Serialized
	if s.ix == nil {
		for i := range s.hosts {
			r := &s.hosts[i]
			switch r.flags & recKind {
			case recExact:
				if int(r.n) != len(host) || !s.hostIs(r, r.off, host) {
					continue
				}
			case recSuffix:
				// The host ends with the suffix (#match-hosts step 3.2),
				// which it may equal: ".com" ends with ".com".
				n := int(r.n) - 1
				if len(host) < n || !s.hostIs(r, r.off+1, host[len(host)-n:]) {
					continue
				}
			}
			if c.hostSourceMatches(s, r, v) {
				return true
			}
		}
		return false
	}
	ix := s.ix
	for i := range ix.start[0] {
		if c.hostSourceMatches(s, &s.hosts[i], v) {
			return true
		}
	}
	if c.bucketMatches(s, recExact, host, v) {
		return true
	}
	// Suffixes from the right, as deep as some key is.
	dots := 0
	for i := len(host) - 1; i >= 0 && dots < ix.maxLabel; i-- {
		if host[i] != '.' {
			continue
		}
		if dots++; dots < ix.minLabel {
			continue
		}
		if c.bucketMatches(s, recSuffix, host[i:], v) {
			return true
		}
	}
	return false
}

// bucketMatches looks key up in an indexed set: whether a host-source of
// that kind whose key is key matches the view's URL.
func (c *CSP) bucketMatches(s *hostSet, kind uint8, key string, v *view) bool {
	ix := s.ix
	b := maphash.String(hashSeed, key) & ix.mask
	for i := ix.start[b]; i < ix.start[b+1]; i++ {
		r := &s.hosts[i]
		if r.flags&recKind != kind {
			continue
		}
		off, n := r.off, r.n
		if kind == recSuffix {
			off, n = off+1, n-1
		}
		if int(n) == len(key) && s.hostIs(r, off, key) && c.hostSourceMatches(s, r, v) {
			return true
		}
	}
	return false
}

// hostIs reports whether the bytes of s's text at off are host, which has
// their length and is lower case, as a URL's domain is.
func (s *hostSet) hostIs(r *hostRec, off uint32, host string) bool {
	t := s.text[off : int(off)+len(host)]
	if r.flags&recUpper == 0 {
		return t == host
	}
	return equalFoldLower(t, host)
}

// hostSourceMatches checks the scheme-part, port-part and path-part of a
// host-source whose host-part matches.
func (c *CSP) hostSourceMatches(s *hostSet, r *hostRec, v *view) bool {
	u := v.url
	if v.scheme != schemeOther {
		if r.schemes&(1<<v.scheme) == 0 {
			return false
		}
	} else if r.schemes&1 == 0 || !c.otherSchemeMatches(s, r, v.schemeName) {
		return false
	}
	switch {
	case r.flags&recPortAny != 0:
	case r.flags&recPortNull != 0:
		if u.Port != -1 {
			return false
		}
	case int(r.port) == u.Port:
	case u.Port == -1 && int(r.port) == defaultPort(v.scheme):
	default:
		return false
	}
	if r.flags&recPath != 0 && v.redirectCount == 0 && !pathMatches(s.pathPart(r), u.Path) {
		return false
	}
	return true
}

// otherSchemeMatches is the scheme check for a URL scheme CSP does not treat
// specially: the source's scheme-part must be that scheme, or, for a source
// without one, the self-origin's scheme.
func (c *CSP) otherSchemeMatches(s *hostSet, r *hostRec, name string) bool {
	if r.flags&recNoScheme != 0 {
		return c.self.other && equalFoldLower(c.selfOtherScheme(), name)
	}
	return equalFoldLower(s.schemePart(r), name)
}

// pathMatches is #match-paths for a path-part as written in the policy (a
// path-absolute) and a URL's path.
func pathMatches(a, b string) bool {
	if a == "/" && b == "" {
		return true
	}
	exact := a[len(a)-1] != '/'
	lenA, lenB := strings.Count(a, "/")+1, strings.Count(b, "/")+1
	if lenA > lenB || exact && lenA != lenB {
		return false
	}
	if !exact {
		a = a[:len(a)-1]
	}
	// Each segment of a, percent-decoded, against b's in order.
	for {
		i := strings.IndexByte(a, '/')
		pa := a
		if i >= 0 {
			pa, a = a[:i], a[i+1:]
		}
		j := strings.IndexByte(b, '/')
		pb := b
		if j >= 0 {
			pb, b = b[:j], b[j+1:]
		} else {
			b = ""
		}
		if !decodedEqual(pa, pb) {
			return false
		}
		if i < 0 {
			return true
		}
	}
}

// selfMatches is 'self': the same origin, or the same host with a secure or
// same-security scheme on the same or default ports. The URL's scheme is
// the view's: the one Fetch sees.
func (c *CSP) selfMatches(v *view) bool {
	s, u, k := &c.self, v.url, v.scheme
	if s.opaque {
		return false
	}
	port := s.portNum()
	switch {
	case k != schemeOther: // ftp, http, https, ws and wss
		if k == s.schemeNum && u.Port == port && s.hostIs(u.Host) {
			return true
		}
	case v.schemeName == "blob":
		// A blob: URL's origin is its path's, when the path is an http:
		// or https: URL (URL Standard, #concept-url-origin): the same
		// origin only when the path's scheme is the self-origin's. Only
		// such a path is parsed, since parsing one the fast path does not
		// take allocates (and a refused one allocates its error).
		if s.schemeNum == schemeHTTP && schemePrefixed(u.Path, "http") || s.schemeNum == schemeHTTPS && schemePrefixed(u.Path, "https") {
			if inner, err := ParseURL(u.Path); err == nil && schemeOf(inner.Scheme) == s.schemeNum && s.hostIs(inner.Host) && inner.Port == port {
				return true
			}
		}
	}
	if !s.hostIs(u.Host) {
		return false
	}
	selfDefault := port == -1 || port == defaultPort(s.schemeNum)
	urlDefault := u.Port == -1 || u.Port == defaultPort(k)
	if port != u.Port && !(selfDefault && urlDefault) {
		return false
	}
	return k == schemeHTTPS || k == schemeWSS || s.schemeNum == schemeHTTP && (k == schemeHTTP || k == schemeWS)
}

// selfSchemeIs reports whether the view's URL has the self-origin's scheme.
func (c *CSP) selfSchemeIs(v *view) bool {
	if c.self.schemeNum != schemeOther {
		return v.scheme == c.self.schemeNum
	}
	return v.scheme == schemeOther && v.schemeName == c.selfOtherScheme()
}

// effectiveOf is #effective-directive-for-a-request for a request described
// by its destination and initiator (prefetch and prerender are resource
// hints, spec-mapping A29). A destination Fetch does not name gets
// connect-src's, as "" does; fieldsKnown refuses it.
func effectiveOf(destination, initiator string) effective {
	if initiator == "prefetch" || initiator == "prerender" {
		return effDefault
	}
	switch destination {
	case "manifest":
		return effManifest
	case "object", "embed":
		return effObject
	case "frame", "iframe":
		return effFrame
	case "audio", "track", "video":
		return effMedia
	case "font":
		return effFont
	case "image":
		return effImg
	case "style":
		return effStyleElem
	case "script", "xslt", "audioworklet", "paintworklet":
		return effScriptElem
	case "serviceworker", "sharedworker", "worker":
		return effWorker
	case "report":
		return effNull
	}
	return effConnect
}

// wsScheme is the WebSocket constructor's scheme mapping: http: to ws:,
// https: to wss:.
func wsScheme(s string) string {
	switch s {
	case "http":
		return "ws"
	case "https":
		return "wss"
	}
	return s
}

// fetchScheme is how a WebSocket URL is fetched: ws: as http:, wss: as https:.
func fetchScheme(s string) string {
	if s == "ws" {
		return "http"
	}
	return "https"
}

// validate refuses the requests the API or Fetch refuse before any CSP
// check, and those whose fields hold what neither names (eff is
// effectiveOf's answer for a request of KindNone).
func validate(r *Request, eff effective) error {
	// The common request has no initiator, mode or parser metadata, and a
	// destination that picked a directive of its own (or none): two
	// comparisons.
	if len(r.Initiator)|len(r.Mode)|len(r.ParserMetadata) != 0 || eff == effConnect && r.Destination != "" {
		if !fieldsKnown(r, eff) {
			return fieldsError(r)
		}
	}
	if len(r.URLs) == 1 {
		// The common case, decided without looking at the scheme.
		switch r.Kind {
		case KindNone, KindXHR, KindEventSource:
			return nil
		case KindFetch:
			return fetchCredentials(&r.URLs[0])
		}
	}
	return validateSlow(r)
}

// fieldsKnown reports whether r's parser metadata and, for a request of
// KindNone, its destination, initiator and mode are values Fetch names
// (model's D6: a misspelt "img" must not be decided by connect-src); a Kind
// sets its own destination, initiator and mode, whatever the fields hold.
// eff is effectiveOf's answer; validate asks only for a request with an
// initiator, a mode or parser metadata, or whose destination effectiveOf
// gave connect-src's.
func fieldsKnown(r *Request, eff effective) bool {
	switch r.ParserMetadata {
	case "", "parser-inserted", "not-parser-inserted":
	default:
		return false
	}
	if r.Kind != KindNone {
		return true
	}
	// A destination that picked a directive of its own is one Fetch
	// names; connect-src's and a resource hint's are looked up.
	if (eff == effConnect || eff == effDefault) && !model.IsDestination(r.Destination) {
		return false
	}
	switch r.Initiator {
	case "", "download", "imageset", "manifest", "prefetch", "prerender", "xslt":
	default:
		return false
	}
	switch r.Mode {
	case "", "cors", "navigate", "no-cors", "same-origin", "websocket", "webtransport":
		return true
	}
	return false
}

// fieldsError is the refusal of a request fieldsKnown refused.
//
//go:noinline
func fieldsError(r *Request) error {
	switch {
	case r.Kind == KindNone && !model.IsDestination(r.Destination):
		return fmt.Errorf("%w: destination %q is not one Fetch names", ErrRequest, r.Destination)
	case r.Kind == KindNone && !slices.Contains(model.Initiators(), r.Initiator):
		return fmt.Errorf("%w: initiator %q is not one Fetch names", ErrRequest, r.Initiator)
	case r.Kind == KindNone && !slices.Contains(model.Modes(), r.Mode):
		return fmt.Errorf("%w: mode %q is not one Fetch names", ErrRequest, r.Mode)
	}
	return fmt.Errorf("%w: parser metadata %q is not one Fetch names", ErrRequest, r.ParserMetadata)
}

func fetchCredentials(u *model.URL) error {
	if u.Username != "" || u.Password != "" {
		return fmt.Errorf("%w: fetch() throws a TypeError for a URL with credentials", ErrRequest)
	}
	return nil
}

func validateSlow(r *Request) error {
	if r.Kind > KindWebSocket {
		return fmt.Errorf("%w: Kind(%d) is no API that makes requests", ErrRequest, r.Kind)
	}
	if len(r.URLs) == 0 {
		return fmt.Errorf("%w: the URL list is empty", ErrRequest)
	}
	first := &r.URLs[0]
	httpish := func(u *model.URL) bool { return u.Scheme == "http" || u.Scheme == "https" }
	// Only a request described by its destination has a mode of its own;
	// of the APIs, only WebSocket's mode matters here.
	mode := ""
	switch r.Kind {
	case KindNone:
		mode = r.Mode
	case KindFetch:
		if err := fetchCredentials(first); err != nil {
			return err
		}
	case KindBeacon, KindPing:
		if !httpish(first) {
			return fmt.Errorf("%w: sendBeacon and <a ping> need an http or https URL", ErrRequest)
		}
	case KindWebSocket:
		mode = "websocket"
		if s := wsScheme(first.Scheme); s != "ws" && s != "wss" {
			return fmt.Errorf("%w: new WebSocket throws a SyntaxError for scheme %q", ErrRequest, first.Scheme)
		}
		if first.HasFragment {
			return fmt.Errorf("%w: new WebSocket throws a SyntaxError for a URL with a fragment", ErrRequest)
		}
	}
	if len(r.URLs) > 1 {
		if mode == "websocket" {
			return fmt.Errorf("%w: a WebSocket request cannot be redirected", ErrRequest)
		}
		// Hop by hop, as Fetch meets them: a URL's scheme, then the
		// redirect count reaching it would pass 20.
		for i := range r.URLs {
			if !httpish(&r.URLs[i]) {
				return fmt.Errorf("%w: only http and https URLs take part in redirects", ErrRequest)
			}
			if i > 20 {
				return fmt.Errorf("%w: more than 20 redirects", ErrRequest)
			}
		}
	}
	return nil
}
