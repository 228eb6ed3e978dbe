package model

import "strings"

// SourceExpressionKind names the production of the source-expression grammar
// (#framework-directive-source-list) an expression matches.
type SourceExpressionKind uint8

const (
	// NoProduction: the expression matches none of the productions ('none'
	// among them, which is a source list, not a source expression). Such an
	// expression stays in the list and never matches.
	NoProduction SourceExpressionKind = iota
	SchemeSource
	HostSource
	KeywordSource
	NonceSource
	HashSource
)

var kindNames = [...]string{"no production", "scheme-source", "host-source", "keyword-source", "nonce-source", "hash-source"}

func (k SourceExpressionKind) String() string {
	if int(k) < len(kindNames) {
		return kindNames[k]
	}
	return "unknown"
}

// SourceExpression is a source expression split into the parts of the
// grammar production it matches. Parts keep the case they were written in;
// the matching algorithms compare them ASCII case-insensitively where the spec
// says so.
type SourceExpression struct {
	Kind SourceExpressionKind
	// HasScheme and Scheme: the scheme-part of a scheme-source or host-source.
	HasScheme bool
	Scheme    string
	// Host: the host-part of a host-source ("*", "*.example.com", "example.com").
	Host string
	// HasPort and Port: the port-part of a host-source (digits or "*").
	HasPort bool
	Port    string
	// Path: the path-part of a host-source, empty when absent.
	Path string
	// Keyword: a keyword-source, ASCII-lowercased ("'self'").
	Keyword string
	// HashAlgorithm: the hash-algorithm of a hash-source, ASCII-lowercased.
	HashAlgorithm string
	// Base64Value: the base64-value of a nonce-source or hash-source.
	Base64Value string
}

// keywordSources are the keyword-source alternatives of the grammar.
var keywordSources = []string{
	"'self'", "'unsafe-inline'", "'unsafe-eval'", "'strict-dynamic'", "'unsafe-hashes'",
	"'report-sample'", "'unsafe-allow-redirects'", "'wasm-unsafe-eval'", "'trusted-types-eval'",
	"'report-sha256'", "'report-sha384'", "'report-sha512'", "'unsafe-webtransport-hashes'",
}

// ParseSourceExpression reports which production of the source-expression
// grammar expression matches, and its parts. ABNF string literals are
// case-insensitive, so "'SELF'" is a keyword-source and "HTTPS:" a
// scheme-source.
//
// Spec: #framework-directive-source-list (the grammar; not an algorithm)
func ParseSourceExpression(expression string) SourceExpression {
	lower := asciiLower(expression)
	for _, k := range keywordSources {
		if lower == k {
			return SourceExpression{Kind: KeywordSource, Keyword: k}
		}
	}
	if v, ok := strings.CutPrefix(lower, "'nonce-"); ok && strings.HasSuffix(v, "'") && isBase64Value(expression[len("'nonce-"):len(expression)-1]) {
		return SourceExpression{Kind: NonceSource, Base64Value: expression[len("'nonce-") : len(expression)-1]}
	}
	for _, alg := range []string{"sha256", "sha384", "sha512"} {
		if strings.HasPrefix(lower, "'"+alg+"-") && strings.HasSuffix(lower, "'") && len(expression) >= len(alg)+3 {
			if v := expression[len(alg)+2 : len(expression)-1]; isBase64Value(v) {
				return SourceExpression{Kind: HashSource, HashAlgorithm: alg, Base64Value: v}
			}
		}
	}
	// scheme-source = scheme-part ":"
	if scheme, ok := strings.CutSuffix(expression, ":"); ok && isScheme(scheme) {
		return SourceExpression{Kind: SchemeSource, HasScheme: true, Scheme: scheme}
	}
	// host-source = [ scheme-part "://" ] host-part [ ":" port-part ] [ path-part ]
	if e, ok := parseHostSource(expression); ok {
		return e
	}
	return SourceExpression{Kind: NoProduction}
}

// parseHostSource matches the host-source production. The scheme-part and its
// "://" are tried first: a scheme cannot contain ':', and without a scheme the
// host-part (which cannot contain ':') would have to be followed by a
// port-part starting with "//", so at most one reading succeeds.
func parseHostSource(s string) (SourceExpression, bool) {
	var e SourceExpression
	e.Kind = HostSource
	if i := strings.Index(s, "://"); i >= 0 && isScheme(s[:i]) {
		e.HasScheme, e.Scheme = true, s[:i]
		s = s[i+3:]
	}
	// host-part runs to the first ':' or '/'.
	end := strings.IndexAny(s, ":/")
	if end < 0 {
		end = len(s)
	}
	e.Host, s = s[:end], s[end:]
	if !isHostPart(e.Host) {
		return SourceExpression{}, false
	}
	if rest, ok := strings.CutPrefix(s, ":"); ok {
		end := strings.IndexByte(rest, '/')
		if end < 0 {
			end = len(rest)
		}
		e.HasPort, e.Port, s = true, rest[:end], rest[end:]
		if !isPortPart(e.Port) {
			return SourceExpression{}, false
		}
	}
	if s != "" {
		if !isPathPart(s) {
			return SourceExpression{}, false
		}
		e.Path = s
	}
	return e, true
}

func isAlpha(c byte) bool { return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' }
func isDigit(c byte) bool { return '0' <= c && c <= '9' }
func isHexDigit(c byte) bool {
	return isDigit(c) || 'a' <= c && c <= 'f' || 'A' <= c && c <= 'F'
}

// isScheme: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) (RFC 3986, 3.1).
func isScheme(s string) bool {
	if s == "" || !isAlpha(s[0]) {
		return false
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		if !isAlpha(c) && !isDigit(c) && c != '+' && c != '-' && c != '.' {
			return false
		}
	}
	return true
}

// isHostPart: host-part = "*" / [ "*." ] 1*host-char *( "." 1*host-char ) [ "." ]
// with host-char = ALPHA / DIGIT / "-".
func isHostPart(s string) bool {
	if s == "*" {
		return true
	}
	s = strings.TrimPrefix(s, "*.")
	s = strings.TrimSuffix(s, ".")
	if s == "" {
		return false
	}
	for _, label := range strings.Split(s, ".") {
		if label == "" {
			return false
		}
		for i := 0; i < len(label); i++ {
			if c := label[i]; !isAlpha(c) && !isDigit(c) && c != '-' {
				return false
			}
		}
	}
	return true
}

// isPortPart: port-part = 1*DIGIT / "*".
func isPortPart(s string) bool {
	if s == "*" {
		return true
	}
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isPathPart: path-part = path-absolute (RFC 3986, 3.3) without ";" or ",":
// "/" [ segment-nz *( "/" segment ) ], where a segment is made of pchars.
func isPathPart(s string) bool {
	if s == "" || s[0] != '/' {
		return false
	}
	if len(s) > 1 && s[1] == '/' {
		return false // path-absolute's first segment, when present, is non-empty
	}
	for i := 1; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '/':
		case c == '%':
			if i+2 >= len(s) || !isHexDigit(s[i+1]) || !isHexDigit(s[i+2]) {
				return false
			}
			i += 2
		case isAlpha(c) || isDigit(c):
		case strings.IndexByte("-._~", c) >= 0: // unreserved
		case strings.IndexByte("!$&'()*+=", c) >= 0: // sub-delims without ";" and ","
		case c == ':' || c == '@':
		default:
			return false
		}
	}
	return true
}

// isBase64Value: base64-value = 1*( ALPHA / DIGIT / "+" / "/" / "-" / "_" )*2( "=" ).
func isBase64Value(s string) bool {
	body := strings.TrimRight(s, "=")
	if body == "" || len(s)-len(body) > 2 {
		return false
	}
	for i := 0; i < len(body); i++ {
		c := body[i]
		if !isAlpha(c) && !isDigit(c) && c != '+' && c != '/' && c != '-' && c != '_' {
			return false
		}
	}
	return true
}
