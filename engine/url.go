package engine

import (
	"strconv"
	"strings"

	"github.com/cspmodel/cspmodel/model"
)

// ParseURL parses an absolute URL. Ordinary URLs are parsed here, by a fast
// path:
//   - http, https, ws, wss and ftp URLs, the scheme in any case, perhaps
//     with a username and a password of letters, digits, '-', '.', '_' and
//     '~' (the password not starting with a digit), with a domain of ASCII
//     letters, digits and '-' whose labels neither start nor end with '-'
//     nor have "--" in their third and fourth places, the last not starting
//     with a digit (perhaps a final dot), or with xn-- labels of at most 63
//     bytes that are the canonical Punycode of lowercase letters, digits,
//     '-' and at least one of U+00DF to U+00FF but U+00F7 (no final dot
//     then), or with a canonical IPv4 address or an IPv6 address;
//   - non-special URLs with "://", a scheme of at most 32 bytes and an
//     opaque host of letters, digits, '-', '.', '_' and '~', or an IPv6
//     address;
//   - either kind with an optional decimal port and a path, query and
//     fragment of printable ASCII but backslash (plain dot segments
//     resolved, the percent-encode sets encoded, no "%2e" in the path);
//   - data:, blob:, about: and mailto: URLs (the scheme in lower case) with
//     a non-empty opaque path, query and fragment of printable ASCII other
//     than space, which nothing needs percent-encoded: no '"', '<' or '>'
//     in the query or the fragment, nor '`' in the fragment.
//
// Anything else (IDNA mapping, percent-encoded or unusual hosts,
// backslashes, encoded dots, non-ASCII, tabs and newlines, file URLs, …)
// goes to the full WHATWG parser, model.ParseURL. Either way the result is
// the URL Standard's: FuzzURLFastPath and TestIDNAFastPath hold the fast
// path to the full parser. A URL the fast path takes that is already
// written as the URL Standard serializes it is parsed without allocating:
// its strings are pieces of the input. One that differs from that form only
// in bytes its path, query or fragment must percent-encode, written raw,
// allocates once for each of those parts that holds some. FuzzURLFastPath
// checks both.
func ParseURL(s string) (model.URL, error) {
	var u model.URL
	err := ParseURLInto(&u, s)
	return u, err
}

// ParseURLInto is ParseURL writing into *dst, which saves copying the URL
// record when parsing into a request's URL list.
func ParseURLInto(dst *model.URL, s string) error {
	if parseFast(s, dst) {
		return nil
	}
	u, err := model.ParseURL(s)
	*dst = u
	return err
}

// fastSchemes are the schemes the fast path handles, with their default ports.
// Their lowercase spellings are returned as constants, so a parse of an
// uppercase scheme does not allocate either.
var fastSchemes = [...]struct {
	name string
	port int
}{{"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}, {"ftp", 21}}

// fastScheme returns the entry of fastSchemes that is name, ASCII
// case-insensitively.
func fastScheme(name string) (struct {
	name string
	port int
}, bool) {
	var i int
	switch len(name) {
	case 2:
		i = 2
	case 3:
		i = 3
		if name[0]|0x20 == 'f' {
			i = 4
		}
	case 4:
		i = 0
	case 5:
		i = 1
	default:
		return fastSchemes[0], false
	}
	return fastSchemes[i], equalFoldLower(name, fastSchemes[i].name)
}

// parseFast returns false whenever the input is not an ordinary URL. It
// never guesses: any byte it is not sure about sends the input to the full
// parser.
func parseFast(s string, u *model.URL) bool {
	*u = model.URL{}
	// The parser strips leading and trailing C0 controls and spaces.
	if len(s) == 0 || s[len(s)-1] <= ' ' {
		return false
	}
	// The usual schemes, in lower case, by one comparison each (no scan of
	// the scheme, no look-up in fastSchemes).
	if len(s) >= 8 && s[:8] == "https://" {
		return parseAuthority(s, 5, "https", 443, u)
	}
	if len(s) >= 7 && s[:7] == "http://" {
		return parseAuthority(s, 4, "http", 80, u)
	}
	// Scheme, then "://". The scheme is a letter, then letters, digits,
	// '+', '-' and '.'.
	i := 0
	if isLetter(s[0]) {
		i = 1
		for i < len(s) && i < 32 && byteClass[s[i]]&cScheme != 0 {
			i++
		}
	}
	if i > 0 && i+1 < len(s) && s[i] == ':' && s[i+1] != '/' {
		return parseOpaque(s, i, u)
	}
	if i == 0 || i+3 > len(s) || s[i] != ':' || s[i+1] != '/' || s[i+2] != '/' {
		return false
	}
	defaultPort := -1
	if fs, ok := fastScheme(s[:i]); ok {
		u.Scheme, defaultPort = fs.name, fs.port
	}
	return parseAuthority(s, i, u.Scheme, defaultPort, u)
}

// parseAuthority is parseFast past the scheme s[:i], followed by "://":
// scheme is its lower-case spelling when it is one of fastSchemes, with its
// default port, and "" otherwise.
func parseAuthority(s string, i int, scheme string, defaultPort int, u *model.URL) bool {
	u.Scheme = scheme
	special := scheme != ""
	if !special {
		// A non-special scheme with an authority ("custom://host/…"), or
		// file, the one special scheme fastScheme does not know (it knows
		// the others in any case), which goes to the full parser.
		u.Scheme = lowerASCII(s[:i])
		if u.Scheme == "file" {
			return false
		}
	}
	rest := s[i+3:]

	// Host: an IPv6 address in brackets, a canonical dotted-decimal IPv4
	// address, or a domain of ASCII letters, digits, '-' and '.' in
	// non-empty labels that neither start nor end with '-', with no xn--
	// label (IDNA would check it) and a last label that does not start with
	// a digit (the IPv4 parser would take it).
	var ok bool
	h, upper, plain := plainDomain(rest)
	if special && (!plain || h < len(rest) && rest[h] == ':' && (h+1 == len(rest) || !isDigit(rest[h+1]))) {
		// Credentials before the host ("user@", "user:password@"); a
		// username stops plainDomain at its ':' when a password follows,
		// a port does not. (A password that starts with a digit goes to
		// the full parser.)
		if n, ok := fastUserinfo(rest, u); ok {
			rest = rest[n:]
			h, upper, plain = plainDomain(rest)
		}
	}
	if special && plain {
		// The usual host, read in the same pass that finds its end.
		host := rest[:h]
		if upper {
			host = lowerASCII(host)
		}
		u.Host = model.Host{Kind: model.DomainHost, Serialized: host}
		rest = rest[h:]
	} else {
		h := 0
		for h < len(rest) && byteClass[rest[h]]&cHostStop == 0 {
			h++
		}
		if h < len(rest) && rest[h] == '[' {
			for h < len(rest) && rest[h] != ']' {
				h++
			}
			if h < len(rest) {
				h++
			}
		}
		var host model.Host
		if special {
			host, ok = fastHost(rest[:h])
		} else {
			host, ok = fastOpaqueHost(rest[:h])
		}
		if !ok {
			return false
		}
		u.Host = host
		rest = rest[h:]
	}

	// Port: ':' and one to five digits, at most 65535; the default port is null.
	u.Port = -1
	if len(rest) > 0 && rest[0] == ':' {
		p, n := 0, 1
		for n < len(rest) && n <= 5 && isDigit(rest[n]) {
			p = p*10 + int(rest[n]-'0')
			n++
		}
		if n == 1 || n > 6 || p > 65535 || (n < len(rest) && isDigit(rest[n])) {
			return false
		}
		if p != defaultPort {
			u.Port = p
		}
		rest = rest[n:]
	}

	// Path: '/' and path characters, with plain "." and ".." segments
	// resolved and the characters of the path percent-encode set encoded.
	switch {
	case rest == "" || rest[0] == '?' || rest[0] == '#':
		if special {
			u.Path = "/"
		}
	case rest[0] != '/':
		return false
	default:
		var end int
		if u.Path, end, ok = fastPath(rest); !ok {
			return false
		}
		rest = rest[end:]
	}

	// Query and fragment: printable ASCII, with the special-query and the
	// fragment percent-encode sets encoded.
	if len(rest) > 0 && rest[0] == '?' {
		end := strings.IndexByte(rest, '#')
		if end < 0 {
			end = len(rest)
		}
		querySet := uint16(cSpecialQueryEnc)
		if !special {
			querySet = cQueryEnc
		}
		if u.Query, ok = encode(rest[1:end], querySet); !ok {
			return false
		}
		u.HasQuery = true
		rest = rest[end:]
	}
	if len(rest) > 0 && rest[0] == '#' {
		if u.Fragment, ok = encode(rest[1:], cFragmentEnc); !ok {
			return false
		}
		u.HasFragment = true
	}
	return true
}

// opaqueSchemes are the non-special schemes whose URLs the fast path parses
// when they have an opaque path ("data:text/plain,x", "blob:https://…").
var opaqueSchemes = [...]string{"data", "blob", "about", "mailto"}

// parseOpaque parses scheme ":" opaque-path ["?" query] ["#" fragment] for
// a lowercase scheme of opaqueSchemes, when every byte is printable ASCII
// other than space (so nothing is stripped or encoded), or returns false.
func parseOpaque(s string, schemeEnd int, u *model.URL) bool {
	*u = model.URL{Port: -1, OpaquePath: true}
	for _, name := range opaqueSchemes {
		if s[:schemeEnd] == name {
			u.Scheme = name
			break
		}
	}
	if u.Scheme == "" {
		return false
	}
	rest := s[schemeEnd+1:]
	for j := 0; j < len(rest); j++ {
		if c := rest[j]; c <= ' ' || c >= 0x7f {
			return false
		}
	}
	end := strings.IndexAny(rest, "?#")
	if end < 0 {
		end = len(rest)
	}
	u.Path, rest = rest[:end], rest[end:]
	if len(rest) > 0 && rest[0] == '?' {
		end := strings.IndexByte(rest, '#')
		if end < 0 {
			end = len(rest)
		}
		u.Query, u.HasQuery, rest = rest[1:end], true, rest[end:]
	}
	if len(rest) > 0 {
		u.Fragment, u.HasFragment = rest[1:], true
		if strings.ContainsAny(u.Fragment, "`\"<>") {
			return false
		}
	}
	if strings.ContainsAny(u.Query, "\"<>") {
		return false
	}
	return true
}

// fastHost parses the host of an ordinary URL, or returns false.
func fastHost(h string) (model.Host, bool) {
	if h == "" {
		return model.Host{}, false
	}
	if h[0] == '[' {
		if h[len(h)-1] != ']' {
			return model.Host{}, false
		}
		if s, ok := ipv6(h[1 : len(h)-1]); ok {
			if s == "" {
				s = h
			}
			return model.Host{Kind: model.IPv6Host, Serialized: s}, true
		}
		return model.Host{}, false
	}
	if isDigit(h[0]) && canonicalIPv4(h) {
		return model.Host{Kind: model.IPv4Host, Serialized: h}, true
	}
	upper := false
	labelStart, lastLabel := 0, 0
	for i := 0; i <= len(h); i++ {
		if i == len(h) || h[i] == '.' {
			if l := h[labelStart:i]; !plainLabel(l) && !simpleIDNALabel(l) {
				return model.Host{}, false
			}
			lastLabel, labelStart = labelStart, i+1
			continue
		}
		if k := byteClass[h[i]]; k&cDomain == 0 {
			if k&cUpper == 0 {
				return model.Host{}, false
			}
			upper = true
		}
	}
	if isDigit(h[lastLabel]) {
		return model.Host{}, false
	}
	if upper {
		h = lowerASCII(h)
	}
	return model.Host{Kind: model.DomainHost, Serialized: h}, true
}

// fastOpaqueHost parses the host of a non-special URL: an IPv6 address in
// brackets, or letters, digits, '.', '-', '_' and '~', kept as written (an
// opaque host is neither lowercased nor read as IPv4). Empty hosts and
// anything else go to the full parser.
func fastOpaqueHost(h string) (model.Host, bool) {
	if h == "" {
		return model.Host{}, false
	}
	if h[0] == '[' {
		return fastHost(h)
	}
	for i := 0; i < len(h); i++ {
		if c := h[i]; !isLetter(c) && !isDigit(c) && c != '.' && c != '-' && c != '_' && c != '~' {
			return model.Host{}, false
		}
	}
	return model.Host{Kind: model.OpaqueHost, Serialized: h}, true
}

// canonicalIPv4 reports whether h is four decimal numbers of at most 255,
// without leading zeros, separated by dots: the IPv4 addresses that
// serialize as they are written.
func canonicalIPv4(h string) bool {
	parts, n, digits := 0, 0, 0
	for i := 0; i <= len(h); i++ {
		if i == len(h) || h[i] == '.' {
			if digits == 0 || n > 255 || digits > 1 && h[i-digits] == '0' {
				return false
			}
			parts++
			n, digits = 0, 0
			continue
		}
		if !isDigit(h[i]) || digits == 3 {
			return false
		}
		n = n*10 + int(h[i]-'0')
		digits++
	}
	return parts == 4
}

// ipv6 parses the inside of an IPv6 host written as hexadecimal pieces with
// at most one "::" (no embedded IPv4 address), and serializes it as the URL
// Standard does: lowercase, no leading zeros, the first longest run of two
// or more zero pieces written "::". It returns "" when s is already written
// that way (so that the caller need not allocate), and false for anything
// else.
func ipv6(s string) (string, bool) {
	var pieces [8]uint16
	n, compress := 0, -1
	i := 0
	if len(s) >= 2 && s[0] == ':' && s[1] == ':' {
		i, compress = 2, 0
	} else if len(s) > 0 && s[0] == ':' {
		return "", false
	}
	for i < len(s) {
		if n == 8 {
			return "", false
		}
		if s[i] == ':' {
			if compress >= 0 {
				return "", false
			}
			i++
			compress = n
			continue
		}
		v, digits := 0, 0
		for i < len(s) && digits < 4 && isHex(s[i]) {
			v = v*16 + int(unhex(s[i]))
			i++
			digits++
		}
		if digits == 0 {
			return "", false
		}
		pieces[n] = uint16(v)
		n++
		if i == len(s) {
			break
		}
		if s[i] != ':' || i+1 == len(s) {
			return "", false
		}
		i++
	}
	if compress >= 0 {
		if n == 8 {
			return "", false
		}
		copy(pieces[8-(n-compress):], pieces[compress:n])
		for j := compress; j < 8-(n-compress); j++ {
			pieces[j] = 0
		}
	} else if n != 8 {
		return "", false
	}
	// The first longest run of at least two zero pieces.
	best, bestLen := -1, 1
	for j := 0; j < 8; {
		if pieces[j] != 0 {
			j++
			continue
		}
		k := j
		for k < 8 && pieces[k] == 0 {
			k++
		}
		if k-j > bestLen {
			best, bestLen = j, k-j
		}
		j = k
	}
	var buf [41]byte
	b := append(buf[:0], '[')
	for j := 0; j < 8; j++ {
		if j == best {
			b = append(b, ':', ':')
			j += bestLen - 1
			continue
		}
		if j > 0 && b[len(b)-1] != ':' {
			b = append(b, ':')
		}
		b = strconv.AppendUint(b, uint64(pieces[j]), 16)
	}
	b = append(b, ']')
	if len(b) == len(s)+2 && string(b[1:len(b)-1]) == s {
		return "", true // already canonical: the caller keeps its input
	}
	return string(b), true
}

// fastPath reads the path at the start of rest, which runs until '?', '#'
// or the end, and returns it with plain "." and ".." segments resolved and
// the path percent-encode set encoded, and its length in rest; it returns
// false for what it leaves to the full parser (encoded dots, non-ASCII,
// backslashes). A '%' stays as it is, followed by hex digits or not.
func fastPath(rest string) (string, int, bool) {
	dots, needsEncoding := false, false
	segStart := 0
	j := 0
	for ; j < len(rest); j++ {
		c := rest[j]
		k := byteClass[c]
		if k&cPathPlain != 0 {
			continue
		}
		switch {
		case c == '/':
			if dotSegment(rest[segStart:j]) {
				dots = true
			}
			segStart = j + 1
			continue
		case k&cPathStop != 0:
		case c == '\\' || c >= 0x80 || c < ' ':
			return "", 0, false
		case c == '%':
			// A '%' that does not start two hex digits stays as it is,
			// as the full parser leaves it.
			if j+2 < len(rest) && rest[j+1] == '2' && (rest[j+2] == 'e' || rest[j+2] == 'E') {
				return "", 0, false // an encoded dot could make a dot segment
			}
			continue
		default:
			needsEncoding = needsEncoding || k&cPathEnc != 0
			continue
		}
		break
	}
	if dotSegment(rest[segStart:j]) {
		dots = true
	}
	p := rest[:j]
	if dots {
		p = removeDotSegments(p)
	}
	if !needsEncoding {
		return p, j, true
	}
	p, ok := encode(p, cPathEnc)
	return p, j, ok
}

// dotSegment reports whether a path segment is "." or "..".
func dotSegment(seg string) bool {
	return len(seg) <= 2 && seg != "" && seg[0] == '.' && (len(seg) == 1 || seg[1] == '.')
}

// fastUserinfo reads the credentials at the start of a special URL's
// authority (which ends at the first '/', '?', '#' or '\\'): what comes
// before its only '@', when that is a non-empty username, then perhaps ':'
// and a password, of letters, digits, '-', '.', '_' and '~', which the
// userinfo percent-encode set leaves as they are. It returns how many bytes
// they and the '@' take; anything else (a second '@', a second ':', a byte
// to encode) is left to the full parser.
func fastUserinfo(rest string, u *model.URL) (int, bool) {
	at, colon := -1, -1
scan:
	for i := 0; i < len(rest); i++ {
		switch c := rest[i]; {
		case c == '/' || c == '?' || c == '#' || c == '\\':
			break scan
		case c == '@':
			if at >= 0 {
				return 0, false
			}
			at = i
		case at >= 0:
			// The host's bytes, which the caller reads.
		case c == ':':
			if colon >= 0 {
				return 0, false
			}
			colon = i
		case !isLetter(c) && !isDigit(c) && c != '-' && c != '.' && c != '_' && c != '~':
			return 0, false
		}
	}
	if at <= 0 || colon == 0 {
		return 0, false
	}
	if colon > 0 {
		u.Username, u.Password = rest[:colon], rest[colon+1:at]
	} else {
		u.Username = rest[:at]
	}
	return at + 1, true
}

// plainDomain reads the host at the start of rest (up to '/', ':', '?', '#'
// or the end) when it is a plain domain: labels of letters, digits and '-'
// that IDNA leaves as they are (plainLabel), perhaps a final dot, the last
// label not starting with a digit (which the IPv4 parser would take). It returns the host's length
// and whether it has upper-case letters; false for any other host, which
// the general path reads.
func plainDomain(rest string) (n int, upper, ok bool) {
	labelStart := 0
	var all uint16
	i := 0
	for ; i < len(rest); i++ {
		c := rest[i]
		k := byteClass[c]
		if k&(cDomain|cUpper) != 0 {
			all |= k
			continue
		}
		if c == '.' {
			if !plainLabel(rest[labelStart:i]) {
				return 0, false, false
			}
			labelStart = i + 1
			continue
		}
		if c == '/' || c == ':' || c == '?' || c == '#' {
			break
		}
		return 0, false, false
	}
	if labelStart == i && i > 0 {
		// A final dot ("example.com."), which the host keeps: the label
		// before it is the one the IPv4 parser looks at. (Found here, not
		// kept in the loop, which a second index made slower for every
		// host.)
		prev := strings.LastIndexByte(rest[:i-1], '.') + 1
		if isDigit(rest[prev]) {
			return 0, false, false
		}
		return i, all&cUpper != 0, true
	}
	if !plainLabel(rest[labelStart:i]) || isDigit(rest[labelStart]) {
		return 0, false, false
	}
	return i, all&cUpper != 0, true
}

// removeDotSegments applies the path state's rules for "." and ".."
// segments: "." is dropped, ".." drops the segment before it, and either one
// as the last segment leaves the path ending in "/". p starts with '/'.
func removeDotSegments(p string) string {
	b := make([]byte, 0, len(p))
	for start := 1; start <= len(p); {
		end := strings.IndexByte(p[start:], '/')
		last := end < 0
		if last {
			end = len(p)
		} else {
			end += start
		}
		switch seg := p[start:end]; seg {
		case "..":
			if k := bytesLastSlash(b); k >= 0 {
				b = b[:k]
			}
			if last {
				b = append(b, '/')
			}
		case ".":
			if last {
				b = append(b, '/')
			}
		default:
			b = append(b, '/')
			b = append(b, seg...)
		}
		start = end + 1
	}
	// The last segment (empty when p ends in '/') always wrote a '/'.
	return string(b)
}

func bytesLastSlash(b []byte) int {
	for k := len(b) - 1; k >= 0; k-- {
		if b[k] == '/' {
			return k
		}
	}
	return -1
}

// encode percent-encodes the bytes of s in the set (a byteClass bit); it
// allocates once when there is something to encode, else never, and returns false for
// non-ASCII input and the bytes the URL parser strips or treats specially
// (tab, newline, CR).
func encode(s string, set uint16) (string, bool) {
	n := 0
	for i := 0; i < len(s); i++ {
		k := byteClass[s[i]]
		if k&cRefused != 0 {
			return "", false
		}
		if k&set != 0 {
			n++
		}
	}
	if n == 0 {
		return s, true
	}
	const hex = "0123456789ABCDEF"
	// One allocation: the Builder's buffer becomes the string.
	var b strings.Builder
	b.Grow(len(s) + 2*n)
	for i := 0; i < len(s); i++ {
		if c := s[i]; byteClass[c]&set != 0 {
			b.WriteByte('%')
			b.WriteByte(hex[c>>4])
			b.WriteByte(hex[c&15])
		} else {
			b.WriteByte(c)
		}
	}
	return b.String(), true
}

// The percent-encode sets of the URL Standard, for ASCII bytes.
func inC0ControlSet(c byte) bool { return c < ' ' || c == 0x7f }
func inFragmentEncodeSet(c byte) bool {
	return inC0ControlSet(c) || c == ' ' || c == '"' || c == '<' || c == '>' || c == '`'
}
func inQueryEncodeSet(c byte) bool {
	return inC0ControlSet(c) || c == ' ' || c == '"' || c == '#' || c == '<' || c == '>'
}
func inSpecialQueryEncodeSet(c byte) bool { return inQueryEncodeSet(c) || c == '\'' }
func inPathEncodeSet(c byte) bool {
	return inQueryEncodeSet(c) || c == '?' || c == '^' || c == '`' || c == '{' || c == '}'
}

// byteClass holds, for each byte, the classes the fast path asks about, so
// that a loop over a URL reads one table entry per byte instead of testing
// ranges.
var byteClass [256]uint16

// byteClass bits.
const (
	cScheme          = 1 << iota // a scheme's letters, digits, '+', '-' and '.'
	cDomain                      // lower-case letters, digits and '-': a plain domain's bytes
	cUpper                       // 'A' to 'Z'
	cPathPlain                   // letters, digits, '-', '.', '_': a path byte with nothing to check
	cPathEnc                     // the path percent-encode set
	cQueryEnc                    // the query percent-encode set
	cSpecialQueryEnc             // the special-query percent-encode set
	cFragmentEnc                 // the fragment percent-encode set
	cRefused                     // non-ASCII, tab, newline and CR: left to the full parser
	cHostStop                    // '/', ':', '?', '#' and '[': where a host's plain part stops
	cPathStop                    // '?' and '#': where a path stops
	cSpace                       // ASCII whitespace: tab, LF, FF, CR and space
)

func init() {
	for i := range byteClass {
		c := byte(i)
		var k uint16
		if isLetter(c) || isDigit(c) || c == '+' || c == '-' || c == '.' {
			k |= cScheme
		}
		if isLowerAlnum(c) || c == '-' {
			k |= cDomain
		}
		if 'A' <= c && c <= 'Z' {
			k |= cUpper
		}
		if isLetter(c) || isDigit(c) || c == '-' || c == '.' || c == '_' {
			k |= cPathPlain
		}
		if c >= 0x80 || c == '\t' || c == '\n' || c == '\r' {
			k |= cRefused
		} else {
			for _, set := range []struct {
				bit uint16
				in  func(byte) bool
			}{{cPathEnc, inPathEncodeSet}, {cQueryEnc, inQueryEncodeSet}, {cSpecialQueryEnc, inSpecialQueryEncodeSet}, {cFragmentEnc, inFragmentEncodeSet}} {
				if set.in(c) {
					k |= set.bit
				}
			}
		}
		switch c {
		case '/', ':', '?', '#', '[':
			k |= cHostStop
		}
		if c == '?' || c == '#' {
			k |= cPathStop
		}
		if c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' {
			k |= cSpace
		}
		byteClass[i] = k
	}
}

func isLetter(c byte) bool     { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool      { return '0' <= c && c <= '9' }
func isLowerAlnum(c byte) bool { return 'a' <= c && c <= 'z' || isDigit(c) }
func isHex(c byte) bool        { return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F' }

// equalFoldLower reports whether s, ASCII-lowercased, is lower.
func equalFoldLower(s, lower string) bool {
	if len(s) != len(lower) {
		return false
	}
	if s == lower {
		return true
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if 'A' <= c && c <= 'Z' {
			c += 'a' - 'A'
		}
		if c != lower[i] {
			return false
		}
	}
	return true
}

// schemePrefixed reports whether the URL Standard's parser would read s as
// a URL whose scheme is scheme (lowercase letters): after leading C0
// controls and spaces, scheme in any ASCII case and then ':', with ASCII
// tabs and newlines anywhere among them (the parser removes those).
func schemePrefixed(s, scheme string) bool {
	i := 0
	for i < len(s) && s[i] <= ' ' {
		i++
	}
	for k := 0; ; i++ {
		if i == len(s) {
			return false
		}
		switch c := s[i]; {
		case c == '\t' || c == '\n' || c == '\r':
		case k == len(scheme):
			return c == ':'
		case c|0x20 != scheme[k]:
			return false
		default:
			k++
		}
	}
}

// simpleIDNALabel: an "xn--" label (in any case) that is the canonical
// Punycode of a label of the simple repertoire of punycode.go.
func simpleIDNALabel(l string) bool {
	if len(l) < 5 || !equalFoldLower(l[:4], "xn--") {
		return false
	}
	// A label ending in '-' has no encoded part: punyDecode refuses it.
	return simpleACELabel(lowerASCII(l[4:]))
}

// plainLabel: a non-empty label that IDNA leaves as it is.
func plainLabel(l string) bool {
	if l == "" || l[0] == '-' || l[len(l)-1] == '-' {
		return false
	}
	if len(l) >= 4 && l[2] == '-' && l[3] == '-' {
		return false // xn-- and other labels with hyphens in positions 3 and 4
	}
	return true
}
