package fuzz

import (
	"strconv"
	"strings"
	"testing"

	"golang.org/x/net/idna"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// The engine's ParseURL promises two things: the URL Standard's result for
// every input, and no allocation for an input that its fast path takes and
// that is already written as the URL Standard serializes it (its strings
// are then pieces of the input). FuzzURLFastPath checks the first by
// comparing with the model, and the second with fastPathPromised, which
// spells out ParseURL's documentation of what the fast path takes,
// independently of how the engine decides it, and allocsPerParse.

// fastPathPromised reports whether s, which the full parser reads as u,
// is canonical and of a kind ParseURL's documentation says the fast path
// takes.
func fastPathPromised(s string, u model.URL) bool {
	if u.String() != s {
		return false
	}
	for i := 0; i < len(s); i++ {
		// Printable ASCII other than space, and no backslash.
		if c := s[i]; c <= ' ' || c >= 0x7f || c == '\\' {
			return false
		}
	}
	if u.OpaquePath {
		if len(s) == len(u.Scheme)+1 {
			return false // an empty opaque path ("data:")
		}
		switch u.Scheme {
		case "data", "blob", "about", "mailto":
			return true
		}
		return false
	}
	if !strings.HasPrefix(s, u.Scheme+"://") {
		return false
	}
	special := fastSpecial(u.Scheme)
	if !special && (u.Scheme == "file" || len(u.Scheme) > 32) {
		return false // file, or a long non-special scheme
	}
	if strings.Contains(strings.ToLower(u.Path), "%2e") {
		return false // encoded dots
	}
	if u.Username != "" || u.Password != "" {
		// Credentials of a special URL: a username and perhaps a password
		// of letters, digits, '-', '.', '_' and '~', the password not
		// starting with a digit.
		if !special || !unreserved(u.Username) || u.Password != "" && (!unreserved(u.Password) || isASCIIDigit(u.Password[0])) {
			return false
		}
	}
	switch u.Host.Kind {
	case model.IPv6Host:
		return true
	case model.IPv4Host:
		return special
	case model.DomainHost:
		return special && plainOrSimpleDomain(u.Host.Serialized)
	case model.OpaqueHost:
		return !special && u.Host.Serialized != "" && unreserved(u.Host.Serialized)
	}
	return false
}

// unreserved: non-empty, of letters, digits, '-', '.', '_' and '~'.
func unreserved(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		c := s[i]
		if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || isASCIIDigit(c) || strings.IndexByte("-._~", c) >= 0) {
			return false
		}
	}
	return true
}

func isASCIIDigit(c byte) bool { return '0' <= c && c <= '9' }

// plainOrSimpleDomain: labels of lowercase letters, digits and '-' that
// neither start nor end with '-' and have no "--" in their third and
// fourth places, perhaps a final dot, the last label not starting with a
// digit; xn-- labels that are the Punycode of lowercase letters, digits,
// '-' and at least one of U+00DF to U+00FF but U+00F7, at most 63 bytes,
// may be among them when there is no final dot.
func plainOrSimpleDomain(h string) bool {
	finalDot := strings.HasSuffix(h, ".")
	labels := strings.Split(strings.TrimSuffix(h, "."), ".")
	for _, l := range labels {
		if l == "" || !plainASCIILabel(l) && (finalDot || !simpleACE(l)) {
			return false
		}
	}
	return !isASCIIDigit(labels[len(labels)-1][0])
}

func plainASCIILabel(l string) bool {
	for i := 0; i < len(l); i++ {
		if c := l[i]; !('a' <= c && c <= 'z' || isASCIIDigit(c) || c == '-') {
			return false
		}
	}
	return l[0] != '-' && l[len(l)-1] != '-' && !(len(l) >= 4 && l[2:4] == "--")
}

func simpleACE(l string) bool {
	if !strings.HasPrefix(l, "xn--") || len(l) > 63 || l[len(l)-1] == '-' {
		return false
	}
	u, err := idna.Punycode.ToUnicode(l)
	if err != nil {
		return false
	}
	latin := false
	for _, r := range u {
		switch {
		case 'a' <= r && r <= 'z', '0' <= r && r <= '9', r == '-':
		case 0xDF <= r && r <= 0xFF && r != 0xF7:
			latin = true
		default:
			return false
		}
	}
	return latin
}

// allocsPerParse is how many allocations one engine.ParseURLInto of s
// takes, averaged over 20 runs and rounded down, so that an allocation
// elsewhere in the process during the runs does not count.
func allocsPerParse(s string) float64 {
	var u model.URL
	return testing.AllocsPerRun(20, func() { _ = engine.ParseURLInto(&u, s) })
}

// rawReading returns s, a URL the fast path is promised to take
// (fastPathPromised: canonical, hierarchical), with each percent-encoded
// byte of its path, query and fragment that the part's percent-encode set
// holds written raw, and how many of the three parts changed. The full
// parser encodes those bytes again and reads it as s; ParseURL's
// documentation says the fast path takes it too, encoding them itself, at
// one allocation for each part it encodes. It returns 0 when nothing
// changed or when the full parser does not read the result as u (a byte
// outside the sets this reads from the URL Standard).
func rawReading(s string, u model.URL) (string, int) {
	if u.OpaquePath {
		return s, 0
	}
	special := fastSpecial(u.Scheme)
	// The bytes of each part's percent-encode set that are printable ASCII
	// and not the part's delimiters ('?' and '#' in the path, '#' in the
	// query).
	query := ` "<>`
	if special {
		query += "'"
	}
	sets := [3]string{` "<>^{}` + "`", query, ` "<>` + "`"}
	// The path starts after the authority; the query at the first '?',
	// the fragment at the first '#' (a canonical URL has no other).
	start := len(u.Scheme) + len("://")
	if k := strings.IndexAny(s[start:], "/?#"); k >= 0 {
		start += k
	} else {
		return s, 0
	}
	var b strings.Builder
	b.WriteString(s[:start])
	part, changed, parts := 0, false, 0
	for i := start; i < len(s); i++ {
		c := s[i]
		if c == '?' && part == 0 || c == '#' && part < 2 {
			if changed {
				parts++
			}
			part, changed = 1, false
			if c == '#' {
				part = 2
			}
		}
		if c == '%' && i+2 < len(s) {
			if v, err := strconv.ParseUint(s[i+1:i+3], 16, 8); err == nil && strings.IndexByte(sets[part], byte(v)) >= 0 {
				b.WriteByte(byte(v))
				i += 2
				changed = true
				continue
			}
		}
		b.WriteByte(c)
	}
	if changed {
		parts++
	}
	raw := b.String()
	if parts == 0 {
		return s, 0
	}
	if r, err := model.ParseURL(raw); err != nil || r != u {
		return s, 0
	}
	return raw, parts
}

// fastSpecial reports whether scheme is one of the special schemes the fast
// path reads (every special scheme but file).
func fastSpecial(scheme string) bool {
	switch scheme {
	case "http", "https", "ws", "wss", "ftp":
		return true
	}
	return false
}
