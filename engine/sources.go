package engine

import (
	"hash/maphash"
	"math"
	"math/bits"
	"strings"
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

// addOther adds a lowercase scheme that has no number: a scheme-part
// sourceSchemeBits does not take (it takes every numbered one).
func (s *schemeSet) addOther(name string) {
	if !s.hasOther(name) {
		s.others += name + " "
	}
}

// addSourceScheme adds the URL schemes a scheme-part matches: itself and its
// secure upgrades (#match-schemes).
func (s *schemeSet) addSourceScheme(part string) {
	if b, ok := sourceSchemeBits(part); ok {
		s.bits |= b
		return
	}
	s.addOther(lowerASCII(part))
}

// sourceSchemeBits returns the bits of the URL schemes a scheme-part CSP
// treats specially matches, ASCII case-insensitively: itself and its secure
// upgrades. It returns false for any other scheme-part.
func sourceSchemeBits(part string) (uint8, bool) {
	const http, https, ws, wss, ftp = 1 << schemeHTTP, 1 << schemeHTTPS, 1 << schemeWS, 1 << schemeWSS, 1 << schemeFTP
	switch len(part) {
	case 2:
		if equalFoldLower(part, "ws") {
			return ws | wss | http | https, true
		}
	case 3:
		if equalFoldLower(part, "wss") {
			return wss | https, true
		}
		if equalFoldLower(part, "ftp") {
			return ftp, true
		}
	case 4:
		if equalFoldLower(part, "http") {
			return http | https, true
		}
	case 5:
		if equalFoldLower(part, "https") {
			return https, true
		}
	}
	return 0, false
}

// hasOther reports whether the set holds name, a scheme without a number.
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

// sourceList is a compiled source list. The fields every match reads come
// first, and what most lists lack sits behind a pointer, so that a decider
// (compile.go) and its list take two cache lines.
type sourceList struct {
	none           bool // empty, or « 'none' »: matches nothing
	star           bool // "*" is in the list
	self           bool // 'self' is in the list
	strictDynamic  bool
	webTransportOK bool // 'unsafe-webtransport-hashes'
	// schemeBits has bit 1<<k for each scheme number k a scheme-source
	// matches; the other schemes they name are in rare.
	schemeBits uint8
	hostSet
	rare *rareSources // nil when the list has none of them
}

// hostSet is a list's host-sources, as records that point into the text of
// the directive value that holds them rather than copies of their parts: a
// compiled host-source costs 12 bytes, the same few bytes per source the
// parsed list of the model costs (docs/performance.md).
//
// A short list (flatMax host-sources or fewer) keeps them in list order and
// is scanned, which beats hashing the host; a longer one groups them by
// the hash of their host key, with an index of where each group starts
// (hostIndex), so that 10,000 host-sources cost about what 10 do.
type hostSet struct {
	text  string
	hosts []hostRec
	ix    *hostIndex // nil for a flat set
}

// rareSources are the parts of a list most lists lack: nonce- and
// hash-sources, scheme-sources of schemes CSP does not treat specially, and
// the host-sources of a directive value too long for 32-bit offsets, in
// further sets of their own.
type rareSources struct {
	nonces       []string
	hashes       []hashSource
	more         []hostSet
	otherSchemes schemeSet // the scheme-sources of schemes without a number
}

type hashSource struct{ alg, value string }

// hostRec is one host-source: where its host-part is in the set's text,
// and its scheme-part, port-part and path-part, compiled. The path-part
// and a scheme-part CSP does not treat specially are read from the text
// when a URL gets that far.
type hostRec struct {
	off uint32 // the host-part: text[off:off+n]
	n   uint32
	// port is the port-part's value, when the flags say it has a number.
	port uint16
	// schemes has bit 1<<k for each scheme number k the source matches, and
	// bit 0 when it may match a scheme that has no number: the one its
	// scheme-part names, or the self-origin's.
	schemes uint8
	flags   uint8
}

// hostRec flags. The low two bits are the kind of host-part.
const (
	recExact    = 0 // a host: text[off:off+n] (matched ASCII case-insensitively)
	recSuffix   = 1 // "*.": the URL's host must end with text[off+1:off+n]
	recAny      = 2 // "*": any host
	recKind     = 3
	recPortNull = 1 << 2 // no port-part: the scheme's default port
	recPortAny  = 1 << 3 // port-part "*"
	recPath     = 1 << 4 // a path-part follows the host and port
	recUpper    = 1 << 5 // the host-part has upper-case letters
	recNoScheme = 1 << 6 // no scheme-part: the self-origin's scheme decides
)

// key is the part of a host-part a URL host is compared with: the host, or
// for a "*." wildcard the suffix with its leading dot.
func (s *hostSet) key(r *hostRec) string {
	k := s.text[r.off : r.off+r.n]
	if r.flags&recKind == recSuffix {
		k = k[1:]
	}
	return k
}

// hostIndex locates the host-sources of a long set: hosts[:start[0]] are
// the "*" ones, and those whose key hashes to bucket b are
// hosts[start[b]:start[b+1]].
type hostIndex struct {
	start []uint32
	mask  uint64
	// minLabel and maxLabel are the fewest and the most dots in a suffix
	// key: only a host's suffixes with that many dots can be keys.
	minLabel, maxLabel int
}

// flatMax is the longest host-source list kept flat.
const flatMax = 16

// maxWindow is the longest stretch of a directive value one hostSet covers,
// so that its offsets fit in 32 bits. A variable, so that a test can
// shorten it.
var maxWindow = math.MaxUint32

// hashSeed keys the hash of host keys. It is random for each process, so
// that no policy can be written to put every host-source in one bucket.
var hashSeed = maphash.MakeSeed()

// nextToken returns the first token of s (split on ASCII whitespace) and
// what follows it; an empty token when s has none.
func nextToken(s string) (tok, rest string) {
	i := 0
	for i < len(s) && isSpace(s[i]) {
		i++
	}
	j := i
	for j < len(s) && !isSpace(s[j]) {
		j++
	}
	return s[i:j], s[j:]
}

// countTokens counts the tokens of s, and stops counting past limit.
func countTokens(s string, limit int) int {
	n := 0
	for in, i := false, 0; i < len(s) && n <= limit; i++ {
		sp := isSpace(s[i])
		if !sp && !in {
			n++
		}
		in = !sp
	}
	return n
}

// compileSourceList compiles a directive value into l (which must be zero):
// the source expressions it holds, separated by ASCII whitespace, as the
// model's parser splits them. self is what a scheme-less host-source's scheme
// must match.
func compileSourceList(l *sourceList, value string, self schemeSet) {
	// #match-url-to-source-list steps 2-3: an empty list, or « 'none' ».
	tok, rest := nextToken(value)
	if tok == "" || equalFoldLower(tok, "'none'") && countTokens(rest, 0) == 0 {
		l.none = true
		return
	}
	if len(value) <= maxWindow {
		l.compileWindow(&l.hostSet, value, self)
		return
	}
	// A value longer than a window is compiled a window at a time, each
	// window ending after a whole token.
	for first := true; value != ""; first = false {
		w := value
		if len(w) > maxWindow {
			end := maxWindow
			for end > 0 && !isSpace(w[end]) {
				end--
			}
			if end == 0 {
				// The first token reaches past the window: the window
				// ends after it.
				for end < len(w) && isSpace(w[end]) {
					end++
				}
				for end < len(w) && !isSpace(w[end]) {
					end++
				}
			}
			w = w[:end]
		}
		value = value[len(w):]
		var hs hostSet
		l.compileWindow(&hs, w, self)
		if first {
			l.hostSet = hs
		} else if len(hs.hosts) > 0 {
			l.rareSources().more = append(l.rare.more, hs)
		}
	}
}

// compileWindow compiles the source expressions of text into l's flags and
// its host-sources into hs. Each expression is read where it stands, in one
// pass: a host-source's parts end where the next part or the token does.
func (l *sourceList) compileWindow(hs *hostSet, text string, self schemeSet) {
	hs.text = text
	for i := 0; ; {
		for i < len(text) && isSpace(text[i]) {
			i++
		}
		if i == len(text) {
			break
		}
		if text[i] == '\'' {
			end := tokenEnd(text, i)
			l.compileQuoted(text[i:end])
			i = end
			continue
		}
		r, end, ok := l.compileSource(text, i, self.bits, self.others != "")
		if ok {
			if hs.hosts == nil {
				// Room for every token left, counted when there can
				// be many.
				n := (len(text)-end)/8 + 1
				if len(text)-end > 256 {
					n = countTokens(text[end:], math.MaxInt) + 1
				}
				hs.hosts = make([]hostRec, 0, n)
			}
			hs.hosts = append(hs.hosts, r)
		}
		i = end
	}
	if c := cap(hs.hosts); c > len(hs.hosts)+len(hs.hosts)/4+4 {
		// Mostly other expressions: keep only the room the hosts take.
		hs.hosts = append([]hostRec(nil), hs.hosts...)
	}
	if len(hs.hosts) > flatMax {
		hs.index()
	}
}

// tokenEnd is the index of the first ASCII whitespace at or after i in s,
// or len(s).
func tokenEnd(s string, i int) int {
	for i < len(s) && !isSpace(s[i]) {
		i++
	}
	return i
}

// compileQuoted compiles a quoted source expression: a keyword, a nonce or a
// hash.
func (l *sourceList) compileQuoted(tok string) {
	switch {
	case equalFoldLower(tok, "'self'"):
		l.self = true
	case equalFoldLower(tok, "'strict-dynamic'"):
		l.strictDynamic = true
	case equalFoldLower(tok, "'unsafe-webtransport-hashes'"):
		l.webTransportOK = true
	default:
		if v, ok := quoted(tok, "'nonce-"); ok {
			if base64Value(v) {
				l.rareSources().nonces = append(l.rare.nonces, v)
			}
		} else if alg, v, ok := hashExpression(tok); ok {
			l.rareSources().hashes = append(l.rare.hashes, hashSource{alg, v})
		}
	}
}

func (l *sourceList) rareSources() *rareSources {
	if l.rare == nil {
		l.rare = &rareSources{}
	}
	return l.rare
}

// index groups a long set's host-sources by the hash of their keys, in
// place: the "*" hosts first, then bucket by bucket.
func (s *hostSet) index() {
	n := len(s.hosts)
	// About two to four host-sources per bucket: the index costs one or
	// two bytes per source, and a lookup compares a few lengths.
	nb := 1 << bits.Len(uint(n/4))
	ix := &hostIndex{mask: uint64(nb - 1), start: make([]uint32, nb+1)}
	// bucket[i] is record i's bucket, nb for a "*" host; count[b] how many
	// records bucket b has.
	bucket := make([]uint32, n)
	count := make([]uint32, nb+1)
	var buf []byte
	suffixes := 0
	for i := range s.hosts {
		r := &s.hosts[i]
		b := uint32(nb)
		if r.flags&recKind != recAny {
			k := s.key(r)
			if r.flags&recUpper != 0 {
				buf = append(buf[:0], k...)
				lowerBytes(buf)
				b = uint32(maphash.Bytes(hashSeed, buf) & ix.mask)
			} else {
				b = uint32(maphash.String(hashSeed, k) & ix.mask)
			}
			if r.flags&recKind == recSuffix {
				dots := strings.Count(k, ".")
				ix.maxLabel = max(ix.maxLabel, dots)
				if suffixes == 0 || dots < ix.minLabel {
					ix.minLabel = dots
				}
				suffixes++
			}
		}
		bucket[i] = b
		count[b]++
	}
	// next[b] is the next free place of bucket b, limit[b] the end of its
	// places.
	next, limit := make([]uint32, nb+1), make([]uint32, nb+1)
	pos := count[nb]
	limit[nb] = pos
	for b := range nb {
		ix.start[b], next[b] = pos, pos
		pos += count[b]
		limit[b] = pos
	}
	ix.start[nb] = pos
	// Swap each record into its bucket's next free place until every place
	// holds a record of its bucket.
	for b := 0; b <= nb; b++ {
		for next[b] < limit[b] {
			i := next[b]
			ib := bucket[i]
			if ib == uint32(b) {
				next[b]++
				continue
			}
			j := next[ib]
			s.hosts[i], s.hosts[j] = s.hosts[j], s.hosts[i]
			bucket[i], bucket[j] = bucket[j], bucket[i]
			next[ib]++
		}
	}
	s.ix = ix
}

// lowerBytes ASCII-lowercases b in place.
func lowerBytes(b []byte) {
	for i, c := range b {
		if 'A' <= c && c <= 'Z' {
			b[i] = c + 'a' - 'A'
		}
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
	for _, a := range [...]struct{ alg, prefix string }{{"sha256", "'sha256-"}, {"sha384", "'sha384-"}, {"sha512", "'sha512-"}} {
		if v, ok := quoted(tok, a.prefix); ok && base64Value(v) {
			return a.alg, v, true
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

// compileSource reads the expression that starts at text[i], not quoted: a
// scheme-source (added to l), a host-source ([ scheme "://" ] host [ ":"
// port ] [ path ], returned as a record), or neither. It returns where the
// expression's token ends. A host-source that cannot match any URL (a
// port-part above 65535, a host-part over 4 GiB) is not kept. selfBits and
// selfOther are what a scheme-less host-source's scheme must match: the
// numbered schemes of the self-origin's set, and whether it has another.
func (l *sourceList) compileSource(text string, i int, selfBits uint8, selfOther bool) (hostRec, int, bool) {
	j := i
	for j < len(text) && byteClass[text[j]]&cScheme != 0 {
		j++
	}
	h, scheme := i, "" // where the host-part starts, and the scheme-part
	if j > i && isLetter(text[i]) && j < len(text) && text[j] == ':' {
		switch {
		case j+1 == len(text) || isSpace(text[j+1]):
			// A scheme-source.
			if b, ok := sourceSchemeBits(text[i:j]); ok {
				l.schemeBits |= b
			} else {
				l.rareSources().otherSchemes.addOther(lowerASCII(text[i:j]))
			}
			return hostRec{}, j + 1, false
		case j+2 < len(text) && text[j+1] == '/' && text[j+2] == '/':
			// A scheme-part and "://". (When what comes before the
			// first "://" is not a scheme, there is none: that "://"
			// can only be in a path-part.)
			h, scheme = j+3, text[i:j]
		}
	}
	return l.compileHostSource(text, i, h, sourceRec(scheme, selfBits, selfOther))
}

// sourceRec is the record of a host-source with the given scheme-part
// ("" for none, when the self-origin's schemes decide), before its
// host-part, port-part and path-part are read.
func sourceRec(scheme string, selfBits uint8, selfOther bool) hostRec {
	if scheme == "" {
		r := hostRec{flags: recPortNull | recNoScheme, schemes: selfBits}
		if selfOther {
			r.schemes |= 1
		}
		return r
	}
	r := hostRec{flags: recPortNull, schemes: 1}
	if b, ok := sourceSchemeBits(scheme); ok {
		r.schemes = b
	}
	return r
}

// maxHostPart is the longest host-part a record holds (r.n is 32 bits): a
// longer one is refused, and matches nothing, rather than read as its
// length wrapped to a short host. A test can shorten it.
var maxHostPart uint64 = math.MaxUint32

// compileHostSource is compileSource for an expression at text[i] that is
// not a scheme-source, whose host-part starts at text[h], given the record
// its scheme-part makes (sourceRec).
func (l *sourceList) compileHostSource(text string, i, h int, r hostRec) (hostRec, int, bool) {
	if text[i] == '*' && (i+1 == len(text) || isSpace(text[i+1])) {
		// "*" is also the host-source with host-part "*" (ambiguity A3
		// in docs/spec-mapping.md).
		l.star = true
	}
	n, upper, ok := scanHostPart(text[h:])
	if !ok || uint64(n) > maxHostPart {
		return r, tokenEnd(text, h), false
	}
	if upper {
		r.flags |= recUpper
	}
	r.off, r.n = uint32(h), uint32(n)
	switch {
	case n == 1 && text[h] == '*':
		r.flags |= recAny
	case text[h] == '*':
		r.flags |= recSuffix
	}
	p := h + n
	if p < len(text) && text[p] == ':' {
		q := p + 1
		for q < len(text) && text[q] != '/' && !isSpace(text[q]) {
			q++
		}
		port := text[p+1 : q]
		r.flags &^= recPortNull
		switch {
		case port == "*":
			r.flags |= recPortAny
		case port == "":
			return r, tokenEnd(text, q), false
		default:
			v := 0
			for k := 0; k < len(port); k++ {
				if !isDigit(port[k]) {
					return r, tokenEnd(text, q), false
				}
				if v <= 65535 {
					v = v*10 + int(port[k]-'0')
				}
			}
			if v > 65535 {
				// No port equals it, nor any default port
				// (#match-ports steps 4-5): the source matches nothing.
				return r, tokenEnd(text, q), false
			}
			r.port = uint16(v)
		}
		p = q
	}
	if p < len(text) && !isSpace(text[p]) {
		q := tokenEnd(text, p)
		if !validPathPart(text[p:q]) {
			return r, q, false
		}
		r.flags |= recPath
		p = q
	}
	return r, p, true
}

// scanHostPart reads the host-part at the start of s, which runs until ':',
// '/', ASCII whitespace or the end: it returns its length, whether it has upper-case letters,
// and whether it is one: "*", or an optional "*." then labels of letters,
// digits and '-' separated by single dots, with an optional final dot.
func scanHostPart(s string) (n int, upper, ok bool) {
	i := 0
	if len(s) > 0 && s[0] == '*' {
		if len(s) == 1 || s[1] == ':' || s[1] == '/' || isSpace(s[1]) {
			return 1, false, true
		}
		if s[1] != '.' {
			return 0, false, false
		}
		i = 2
	}
	start, labelStart := i, i
	var all uint16 // the classes of every byte but the dots
	for ; i < len(s); i++ {
		c := s[i]
		if k := byteClass[c]; k&(cDomain|cUpper) != 0 {
			all |= k
			continue
		}
		if c == '.' {
			if i == labelStart {
				return 0, false, false // an empty label
			}
			labelStart = i + 1
			continue
		}
		if c == ':' || c == '/' || isSpace(c) {
			break
		}
		return 0, false, false
	}
	// At most the final dot ends it (an empty label before it was refused).
	return i, all&cUpper != 0, i > start
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

// pathPart is a record's path-part, read from the text: it follows the
// host-part and the port-part and runs to the end of the token.
func (s *hostSet) pathPart(r *hostRec) string {
	// The text after the host-part starts with ":" (a port-part, then the
	// path) or with the path's "/": either way the path starts at the
	// first "/".
	p := s.text[r.off+r.n:]
	p = p[strings.IndexByte(p, '/'):]
	end := 0
	for end < len(p) && !isSpace(p[end]) {
		end++
	}
	return p[:end]
}

// schemePart is the scheme-part of a record that has one: the token up to
// "://" before its host-part.
func (s *hostSet) schemePart(r *hostRec) string {
	end := int(r.off) - len("://")
	start := end
	for start > 0 && !isSpace(s.text[start-1]) {
		start--
	}
	return s.text[start:end]
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

// decodedEqual reports whether a and b are the same once percent-decoded,
// without allocating.
func decodedEqual(a, b string) bool {
	if a == b {
		return true
	}
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		ca, cb := a[i], b[j]
		i++
		j++
		if ca == '%' && i+1 < len(a) && isHex(a[i]) && isHex(a[i+1]) {
			ca = unhex(a[i])<<4 | unhex(a[i+1])
			i += 2
		}
		if cb == '%' && j+1 < len(b) && isHex(b[j]) && isHex(b[j+1]) {
			cb = unhex(b[j])<<4 | unhex(b[j+1])
			j += 2
		}
		if ca != cb {
			return false
		}
	}
	return i == len(a) && j == len(b)
}
