package engine

import (
	"strings"

	"github.com/cspmodel/cspmodel/model"
)

// Scheme numbers. The schemes CSP treats specially get small integers and a
// bit each, so that the scheme-part upgrades (#match-schemes) are bit masks;
// any other scheme is schemeOther and is compared as a string.
type scheme uint8

const (
	schemeOther scheme = iota
	schemeHTTP
	schemeHTTPS
	schemeWS
	schemeWSS
	schemeFTP
)

func schemeOf(s string) scheme {
	switch s {
	case "http":
		return schemeHTTP
	case "https":
		return schemeHTTPS
	case "ws":
		return schemeWS
	case "wss":
		return schemeWSS
	case "ftp":
		return schemeFTP
	}
	return schemeOther
}

func defaultPort(s scheme) int {
	switch s {
	case schemeHTTP, schemeWS:
		return 80
	case schemeHTTPS, schemeWSS:
		return 443
	case schemeFTP:
		return 21
	}
	return -1
}

// schemeSet is a set of URL schemes: a bit per known scheme, and the names of
// others (lowercase), each followed by a space, which keeps the set small
// enough to sit next to the fields a match reads first.
type schemeSet struct {
	bits   uint8
	others string
}

func (s *schemeSet) addURLScheme(name string) {
	if k := schemeOf(name); k != schemeOther {
		s.bits |= 1 << k
		return
	}
	if !s.has(schemeOther, name) {
		s.others += name + " "
	}
}

// addSourceScheme adds the URL schemes a scheme-part matches: itself and its
// secure upgrades.
func (s *schemeSet) addSourceScheme(part string) {
	part = lowerASCII(part)
	s.addURLScheme(part)
	switch part {
	case "http":
		s.addURLScheme("https")
	case "ws":
		s.addURLScheme("wss")
		s.addURLScheme("http")
		s.addURLScheme("https")
	case "wss":
		s.addURLScheme("https")
	}
}

func (s *schemeSet) has(k scheme, name string) bool {
	if k != schemeOther {
		return s.bits&(1<<k) != 0
	}
	return s.others != "" && s.hasOther(name)
}

// hasOther is has for a scheme CSP does not treat specially, kept apart so
// that has inlines.
func (s *schemeSet) hasOther(name string) bool {
	for rest := s.others; rest != ""; {
		var o string
		o, rest, _ = strings.Cut(rest, " ")
		if o == name {
			return true
		}
	}
	return false
}

// Port forms of a host-source.
const (
	portNull = -1 // no port-part: the default port
	portAny  = -2 // "*"
)

// hostSource is a compiled host-source: everything but its host-part, which
// is the key it is filed under. It is kept small, so that a flat list's
// entries take a cache line each.
type hostSource struct {
	port int32 // portNull, portAny, or a decimal value (65536 for any larger)
	// schemes are the URL schemes the source's scheme-part matches; a
	// scheme-less source gets those the self-origin's scheme matches.
	schemes schemeSet
	path    *pathPart // nil for none
}

// pathPart is a host-source's path-part.
type pathPart struct {
	raw string
	// exact is true when it does not end in "/"; segments are its
	// segments, percent-decoded, without the final empty segment of a
	// directory path.
	exact    bool
	segments []string
}

// sourceList is a compiled source list. The fields every match reads come
// first, and what most lists lack sits behind pointers, so that a decider
// (compile.go) and its list take two cache lines.
type sourceList struct {
	none           bool // empty, or « 'none' »: matches nothing
	star           bool // "*" is in the list
	self           bool // 'self' is in the list
	hasHostSources bool
	strictDynamic  bool
	webTransportOK bool // 'unsafe-webtransport-hashes'
	schemes        schemeSet

	// flat holds the host-sources of a short list (flatMax or fewer), in
	// list order, which a linear scan decides faster than hashing the host;
	// a longer list leaves it nil and files them in index.
	flat  []flatHost
	index *hostIndex

	nonceHash *nonceHashSources // nil when the list has neither
}

// hostIndex files the host-sources of a long list by host-part: exact hosts
// (lowercase), "*." wildcards by their suffix with its leading dot
// (".example.com"), and "*" hosts.
type hostIndex struct {
	exact   map[string][]hostSource
	suffix  map[string][]hostSource
	anyHost []hostSource
	// minLabel and maxLabel are the fewest and the most dots in a suffix
	// key: only a host's suffixes with that many dots can be keys.
	minLabel, maxLabel int
}

// nonceHashSources are a list's nonce-sources and hash-sources.
type nonceHashSources struct {
	nonces []string
	hashes []hashSource
}

type hashSource struct{ alg, value string }

// flatMax is the longest host-source list kept flat.
const flatMax = 16

// flatHost is one host-source of a flat list: its lowercase host, or for a
// "*." wildcard the suffix it requires (with its leading dot), or any host.
type flatHost struct {
	kind uint8 // flatExact, flatSuffix or flatAny
	host string
	hs   hostSource
}

const (
	flatExact = iota
	flatSuffix
	flatAny
)

// indexHosts files a long list's host-sources in a hostIndex instead of the
// flat slice.
func (l *sourceList) indexHosts() {
	if len(l.flat) <= flatMax {
		return
	}
	ix := &hostIndex{exact: map[string][]hostSource{}, suffix: map[string][]hostSource{}}
	for _, f := range l.flat {
		switch f.kind {
		case flatAny:
			ix.anyHost = append(ix.anyHost, f.hs)
		case flatSuffix:
			ix.suffix[f.host] = append(ix.suffix[f.host], f.hs)
			n := strings.Count(f.host, ".")
			if n > ix.maxLabel {
				ix.maxLabel = n
			}
			if len(ix.suffix) == 1 || n < ix.minLabel {
				ix.minLabel = n
			}
		default:
			ix.exact[f.host] = append(ix.exact[f.host], f.hs)
		}
	}
	l.flat, l.index = nil, ix
}

// selfSchemes are the URL schemes a scheme-less host-source accepts: those the
// self-origin's scheme matches as a scheme-part (none for an opaque origin).
func selfSchemes(o model.Origin) schemeSet {
	var s schemeSet
	if !o.Opaque {
		s.addSourceScheme(o.Scheme)
	}
	return s
}

// compileSourceList compiles a directive value.
func compileSourceList(value []string, self schemeSet) *sourceList {
	l := &sourceList{}
	if len(value) == 0 || len(value) == 1 && lowerASCII(value[0]) == "'none'" {
		l.none = true
		return l
	}
	for _, tok := range value {
		if tok == "*" {
			// "*" is also the host-source with host-part "*" (ambiguity A3
			// in docs/spec-mapping.md).
			l.star = true
			l.addHost("*", hostSource{port: portNull, schemes: self})
			continue
		}
		lt := lowerASCII(tok)
		switch {
		case lt == "'self'":
			l.self = true
			continue
		case lt == "'strict-dynamic'":
			l.strictDynamic = true
			continue
		case lt == "'unsafe-webtransport-hashes'":
			l.webTransportOK = true
			continue
		}
		if v, ok := quoted(tok, "'nonce-"); ok {
			if base64Value(v) {
				l.nonceHashes().nonces = append(l.nonceHash.nonces, v)
			}
			continue
		}
		if alg, v, ok := hashExpression(tok); ok {
			l.nonceHashes().hashes = append(l.nonceHash.hashes, hashSource{alg, v})
			continue
		}
		if name, ok := strings.CutSuffix(tok, ":"); ok && validScheme(name) {
			l.schemes.addSourceScheme(name)
			continue
		}
		if host, hs, ok := compileHostSource(tok, self); ok {
			l.addHost(host, hs)
		}
	}
	l.indexHosts()
	return l
}

func (l *sourceList) nonceHashes() *nonceHashSources {
	if l.nonceHash == nil {
		l.nonceHash = &nonceHashSources{}
	}
	return l.nonceHash
}

func (l *sourceList) addHost(host string, hs hostSource) {
	l.hasHostSources = true
	switch {
	case host == "*":
		l.flat = append(l.flat, flatHost{flatAny, "", hs})
	case strings.HasPrefix(host, "*."):
		l.flat = append(l.flat, flatHost{flatSuffix, lowerASCII(host[1:]), hs})
	default:
		l.flat = append(l.flat, flatHost{flatExact, lowerASCII(host), hs})
	}
}

// quoted returns the body of 'prefix…' (prefix includes the opening quote,
// matched ASCII case-insensitively).
func quoted(tok, prefix string) (string, bool) {
	if len(tok) < len(prefix)+1 || tok[len(tok)-1] != '\'' || !equalFoldLower(tok[:len(prefix)], prefix) {
		return "", false
	}
	return tok[len(prefix) : len(tok)-1], true
}

func hashExpression(tok string) (alg, value string, ok bool) {
	for _, a := range []string{"sha256", "sha384", "sha512"} {
		if v, ok := quoted(tok, "'"+a+"-"); ok && base64Value(v) {
			return a, v, true
		}
	}
	return "", "", false
}

// base64Value: 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" ) *2"=".
func base64Value(v string) bool {
	n := len(v)
	pad := 0
	for pad < 2 && n > 0 && v[n-1] == '=' {
		n--
		pad++
	}
	if n == 0 {
		return false
	}
	for i := 0; i < n; i++ {
		c := v[i]
		if !isLetter(c) && !isDigit(c) && c != '+' && c != '/' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}

// validScheme: ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ).
func validScheme(s string) bool {
	if s == "" || !isLetter(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		if c := s[i]; !isLetter(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// compileHostSource reads [ scheme "://" ] host [ ":" port ] [ path ] in one
// left-to-right scan.
func compileHostSource(tok string, self schemeSet) (string, hostSource, bool) {
	hs := hostSource{port: portNull, schemes: self}
	rest := tok
	if i := strings.Index(rest, "://"); i >= 0 {
		if !validScheme(rest[:i]) {
			return "", hs, false
		}
		hs.schemes = schemeSet{}
		hs.schemes.addSourceScheme(rest[:i])
		rest = rest[i+3:]
	}
	// The host runs until ':' or '/'.
	h := 0
	for h < len(rest) && rest[h] != ':' && rest[h] != '/' {
		h++
	}
	host := rest[:h]
	if !validHostPart(host) {
		return "", hs, false
	}
	rest = rest[h:]
	if len(rest) > 0 && rest[0] == ':' {
		p := 1
		for p < len(rest) && rest[p] != '/' {
			p++
		}
		port := rest[1:p]
		switch {
		case port == "*":
			hs.port = portAny
		case port == "":
			return "", hs, false
		default:
			v := 0
			for i := 0; i < len(port); i++ {
				if !isDigit(port[i]) {
					return "", hs, false
				}
				if v <= 65535 {
					v = v*10 + int(port[i]-'0')
				}
			}
			if v > 65535 {
				v = 65536
			}
			hs.port = int32(v)
		}
		rest = rest[p:]
	}
	if rest != "" {
		if !validPathPart(rest) {
			return "", hs, false
		}
		p := &pathPart{raw: rest, exact: rest[len(rest)-1] != '/'}
		segs := strings.Split(rest, "/")
		if !p.exact {
			segs = segs[:len(segs)-1]
		}
		for i, s := range segs {
			segs[i] = decodePercent(s)
		}
		p.segments = segs
		hs.path = p
	}
	return host, hs, true
}

func validHostPart(h string) bool {
	if h == "*" {
		return true
	}
	h = strings.TrimSuffix(strings.TrimPrefix(h, "*."), ".")
	if h == "" {
		return false
	}
	prevDot := true
	for i := 0; i < len(h); i++ {
		c := h[i]
		if c == '.' {
			if prevDot {
				return false
			}
			prevDot = true
			continue
		}
		if !isLetter(c) && !isDigit(c) && c != '-' {
			return false
		}
		prevDot = false
	}
	return !prevDot
}

// validPathPart: path-absolute of RFC 3986 without ';' and ','.
func validPathPart(p string) bool {
	if p[0] != '/' || strings.HasPrefix(p, "//") {
		return false
	}
	for i := 1; i < len(p); i++ {
		c := p[i]
		switch {
		case c == '/' || isLetter(c) || isDigit(c):
		case strings.IndexByte("-._~!$&'()*+=:@", c) >= 0:
		case c == '%' && i+2 < len(p) && isHex(p[i+1]) && isHex(p[i+2]):
			i += 2
		default:
			return false
		}
	}
	return true
}

func unhex(c byte) byte {
	switch {
	case c <= '9':
		return c - '0'
	case c <= 'F':
		return c - 'A' + 10
	}
	return c - 'a' + 10
}

// decodePercent percent-decodes s (at compile time; it may allocate).
func decodePercent(s string) string {
	if strings.IndexByte(s, '%') < 0 {
		return s
	}
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		if s[i] == '%' && i+2 < len(s) && isHex(s[i+1]) && isHex(s[i+2]) {
			b.WriteByte(unhex(s[i+1])<<4 | unhex(s[i+2]))
			i += 2
			continue
		}
		b.WriteByte(s[i])
	}
	return b.String()
}

// decodedEquals reports whether raw, percent-decoded, is decoded, without
// allocating.
func decodedEquals(decoded, raw string) bool {
	j := 0
	for i := 0; i < len(raw); i++ {
		c := raw[i]
		if c == '%' && i+2 < len(raw) && isHex(raw[i+1]) && isHex(raw[i+2]) {
			c = unhex(raw[i+1])<<4 | unhex(raw[i+2])
			i += 2
		}
		if j >= len(decoded) || decoded[j] != c {
			return false
		}
		j++
	}
	return j == len(decoded)
}
