package engine

import (
	"cspmodel/model"
)

// ParseURL parses an absolute URL. Ordinary URLs (an http, https, ws or wss
// scheme, a plain lowercase-able ASCII domain, an optional decimal port, and a
// path, query and fragment made only of characters the URL parser keeps as
// they are) are parsed here without allocating; anything else (IP addresses,
// IDNA, percent-encoded or uppercase hosts, credentials, backslashes, dot
// segments, characters the parser would percent-encode, tabs and newlines, …)
// goes to the full WHATWG parser, model.ParseURL. Either way the result is
// the URL Standard's: FuzzURLFastPath holds the fast path to the full parser.
func ParseURL(s string) (model.URL, error) {
	if u, ok := parseFast(s); ok {
		return u, nil
	}
	return model.ParseURL(s)
}

// fastSchemes are the schemes the fast path handles, with their default ports.
// Their lowercase spellings are returned as constants, so a parse of an
// uppercase scheme does not allocate either.
var fastSchemes = [...]struct {
	name string
	port int
}{{"http", 80}, {"https", 443}, {"ws", 80}, {"wss", 443}}

// parseFast returns false whenever the input is not an ordinary URL. It
// never guesses: any byte it is not sure about sends the input to the full
// parser.
func parseFast(s string) (model.URL, bool) {
	var u model.URL
	// Scheme, then "://".
	i := 0
	for i < len(s) && i < 6 && isLetter(s[i]) {
		i++
	}
	if i == 0 || i+3 > len(s) || s[i] != ':' || s[i+1] != '/' || s[i+2] != '/' {
		return u, false
	}
	defaultPort := -1
	for _, fs := range fastSchemes {
		if equalFoldLower(s[:i], fs.name) {
			u.Scheme, defaultPort = fs.name, fs.port
			break
		}
	}
	if u.Scheme == "" {
		return u, false
	}
	rest := s[i+3:]

	// Host: lowercase letters, digits, '-' and '.', in non-empty labels that
	// neither start nor end with '-', with no xn-- label and a last label
	// that does not start with a digit (which could make it an IPv4 address).
	h := 0
	labelStart := 0
	for h < len(rest) {
		c := rest[h]
		if c == '.' {
			if !plainLabel(rest[labelStart:h]) {
				return u, false
			}
			labelStart = h + 1
		} else if !isLowerAlnum(c) && c != '-' {
			break
		}
		h++
	}
	last := rest[labelStart:h]
	if h == 0 || !plainLabel(last) || isDigit(last[0]) {
		return u, false
	}
	u.Host = model.Host{Kind: model.DomainHost, Serialized: rest[:h]}
	rest = rest[h:]

	// Port: ':' and one to five digits, at most 65535; the default port is null.
	u.Port = -1
	if len(rest) > 0 && rest[0] == ':' {
		p, n := 0, 1
		for n < len(rest) && n <= 5 && isDigit(rest[n]) {
			p = p*10 + int(rest[n]-'0')
			n++
		}
		if n == 1 || n > 6 || p > 65535 || (n < len(rest) && isDigit(rest[n])) {
			return u, false
		}
		if p != defaultPort {
			u.Port = p
		}
		rest = rest[n:]
	}

	// Path: '/' and plain path characters, with no dot segments.
	end := 0
	for end < len(rest) && rest[end] != '?' && rest[end] != '#' {
		end++
	}
	path := rest[:end]
	switch {
	case path == "":
		u.Path = "/"
	case path[0] != '/' || !plainPath(path):
		return u, false
	default:
		u.Path = path
	}
	rest = rest[end:]

	// Query and fragment: printable ASCII the special-scheme query and the
	// fragment percent-encode sets leave alone.
	if len(rest) > 0 && rest[0] == '?' {
		end := 1
		for end < len(rest) && rest[end] != '#' {
			if !queryByte(rest[end]) {
				return u, false
			}
			end++
		}
		u.Query, u.HasQuery = rest[1:end], true
		rest = rest[end:]
	}
	if len(rest) > 0 && rest[0] == '#' {
		for j := 1; j < len(rest); j++ {
			if !fragmentByte(rest[j]) {
				return u, false
			}
		}
		u.Fragment, u.HasFragment = rest[1:], true
	}
	return u, true
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

// plainPath: path characters the path percent-encode set leaves alone, '%'
// only before two hex digits, and no "." or ".." segment (written plainly or
// with %2e).
func plainPath(p string) bool {
	segStart := 0
	for j := 0; j <= len(p); j++ {
		if j == len(p) || p[j] == '/' {
			if seg := p[segStart:j]; seg == "." || seg == ".." {
				return false
			}
			segStart = j + 1
			continue
		}
		c := p[j]
		switch {
		case isLetter(c) || isDigit(c):
		case c == '-' || c == '.' || c == '_' || c == '~':
		case c == '!' || c == '$' || c == '&' || c == '\'' || c == '(' || c == ')' || c == '*' || c == '+' || c == ',' || c == ';' || c == '=' || c == ':' || c == '@':
		case c == '%':
			if j+2 >= len(p) || !isHex(p[j+1]) || !isHex(p[j+2]) {
				return false
			}
			if p[j+1] == '2' && (p[j+2] == 'e' || p[j+2] == 'E') {
				return false // an encoded dot could make a dot segment
			}
		default:
			return false
		}
	}
	return true
}

// queryByte: printable ASCII outside the special-query percent-encode set
// (space, '"', '#', '\”, '<', '>').
func queryByte(c byte) bool {
	return c > ' ' && c < 0x7f && c != '"' && c != '#' && c != '\'' && c != '<' && c != '>'
}

// fragmentByte: printable ASCII outside the fragment percent-encode set
// (space, '"', '<', '>', '`').
func fragmentByte(c byte) bool {
	return c > ' ' && c < 0x7f && c != '"' && c != '<' && c != '>' && c != '`'
}
