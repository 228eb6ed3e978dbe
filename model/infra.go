package model

// String operations of the Infra Standard (https://infra.spec.whatwg.org/),
// byte-wise over ASCII. The model never uses Unicode case folding: the specs
// say "ASCII case-insensitive", and Unicode folding would, for example, take
// U+017F (ſ) for "s".

// isASCIIWhitespace reports whether c is ASCII whitespace
// (https://infra.spec.whatwg.org/#ascii-whitespace).
func isASCIIWhitespace(c byte) bool {
	return c == '\t' || c == '\n' || c == '\f' || c == '\r' || c == ' '
}

// stripASCIIWhitespace strips leading and trailing ASCII whitespace
// (https://infra.spec.whatwg.org/#strip-leading-and-trailing-ascii-whitespace).
func stripASCIIWhitespace(s string) string {
	i, j := 0, len(s)
	for i < j && isASCIIWhitespace(s[i]) {
		i++
	}
	for j > i && isASCIIWhitespace(s[j-1]) {
		j--
	}
	return s[i:j]
}

// splitOnASCIIWhitespace splits s on ASCII whitespace, dropping empty pieces
// (https://infra.spec.whatwg.org/#split-on-ascii-whitespace).
func splitOnASCIIWhitespace(s string) []string {
	var out []string
	i := 0
	for i < len(s) {
		for i < len(s) && isASCIIWhitespace(s[i]) {
			i++
		}
		start := i
		for i < len(s) && !isASCIIWhitespace(s[i]) {
			i++
		}
		if i > start {
			out = append(out, s[start:i])
		}
	}
	return out
}

// isASCII reports whether s is an ASCII string
// (https://infra.spec.whatwg.org/#ascii-string). Applied to bytes, it also
// answers for the isomorphic decoding of s: a byte of 0x80 or more decodes to
// a code point above U+007F.
func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// asciiLower is ASCII lowercase (https://infra.spec.whatwg.org/#ascii-lowercase).
func asciiLower(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := i; j < len(b); j++ {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// equalFoldASCII is an ASCII case-insensitive match
// (https://infra.spec.whatwg.org/#ascii-case-insensitive).
func equalFoldASCII(a, b string) bool {
	if len(a) != len(b) {
		return false
	}
	for i := 0; i < len(a); i++ {
		x, y := a[i], b[i]
		if 'A' <= x && x <= 'Z' {
			x += 'a' - 'A'
		}
		if 'A' <= y && y <= 'Z' {
			y += 'a' - 'A'
		}
		if x != y {
			return false
		}
	}
	return true
}
