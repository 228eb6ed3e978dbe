package engine

import (
	"strings"

	"github.com/cspmodel/cspmodel/model"
)

// directive is a parsed directive: a lowercase name and its value tokens.
type directive struct {
	name  string
	value []string
}

// parsedPolicy is one policy of a CSP list, before compilation.
type parsedPolicy struct {
	directives  []directive
	disposition model.Disposition
	source      model.PolicySource
	text        string
	delivery    int
}

// isSpace reports whether c is ASCII whitespace (tab, LF, FF, CR, space).
func isSpace(c byte) bool { return byteClass[c]&cSpace != 0 }

func trimSpace(s string) string {
	for len(s) > 0 && isSpace(s[0]) {
		s = s[1:]
	}
	for len(s) > 0 && isSpace(s[len(s)-1]) {
		s = s[:len(s)-1]
	}
	return s
}

// fields splits on ASCII whitespace (strings.Fields would also split on
// Unicode spaces such as U+0085 and U+00A0).
func fields(s string) []string {
	var out []string
	for {
		for len(s) > 0 && isSpace(s[0]) {
			s = s[1:]
		}
		if s == "" {
			return out
		}
		n := 0
		for n < len(s) && !isSpace(s[n]) {
			n++
		}
		out = append(out, s[:n])
		s = s[n:]
	}
}

func lowerASCII(s string) string {
	for i := 0; i < len(s); i++ {
		if 'A' <= s[i] && s[i] <= 'Z' {
			b := []byte(s)
			for j := range b {
				if 'A' <= b[j] && b[j] <= 'Z' {
					b[j] += 'a' - 'A'
				}
			}
			return string(b)
		}
	}
	return s
}

// parsePolicy reads one serialized policy: ';'-separated directives, skipping
// empty and non-ASCII ones and repeated names.
func parsePolicy(serialized string, disposition model.Disposition, source model.PolicySource, delivery int) parsedPolicy {
	p := parsedPolicy{disposition: disposition, source: source, text: trimSpace(serialized), delivery: delivery}
	seen := map[string]bool{}
	for {
		token, rest, more := strings.Cut(serialized, ";")
		token = trimSpace(token)
		if token != "" && isASCIIString(token) {
			n := 0
			for n < len(token) && !isSpace(token[n]) {
				n++
			}
			name := lowerASCII(token[:n])
			if !seen[name] {
				seen[name] = true
				p.directives = append(p.directives, directive{name: name, value: fields(token[n:])})
			}
		}
		if !more {
			break
		}
		serialized = rest
	}
	return p
}

func isASCIIString(s string) bool {
	// Eight bytes at a time: none may have its high bit set. The last
	// eight bytes are read as one word too, overlapping the words before.
	if n := len(s); n >= 8 {
		for i := 0; i < n-8; i += 8 {
			if highBits(s[i : i+8]) {
				return false
			}
		}
		return !highBits(s[n-8:])
	}
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

// highBits reports whether a byte of w, eight bytes long, has its high bit
// set.
func highBits(w string) bool {
	return (uint64(w[0])|uint64(w[1])<<8|uint64(w[2])<<16|uint64(w[3])<<24|
		uint64(w[4])<<32|uint64(w[5])<<40|uint64(w[6])<<48|uint64(w[7])<<56)&0x8080808080808080 != 0
}

// cspList builds the CSP list of a document from its deliveries, in the
// order #parse-response-csp and HTML give: enforced headers, report-only
// headers, then <meta> elements. A delivery whose Disposition or Source is
// none of the named values comes first, as one policy with those values,
// as in model.NewCSPList (D6): Compile refuses such a list.
func cspList(deliveries []model.PolicyDelivery) []parsedPolicy {
	var list []parsedPolicy
	for i := range deliveries {
		if d := deliveries[i].Normalized(); deliveryKind(&d) == unnamedDelivery {
			list = append(list, parsePolicy(d.Value, d.Disposition, d.Source, i))
		}
	}
	for _, want := range []model.Disposition{model.Enforce, model.Report} {
		for i, d := range deliveries {
			d = d.Normalized()
			if d.Source != model.HeaderSource || d.Disposition != want {
				continue
			}
			for _, member := range strings.Split(d.Value, ",") {
				if p := parsePolicy(member, want, model.HeaderSource, i); len(p.directives) > 0 {
					list = append(list, p)
				}
			}
		}
	}
	for i, d := range deliveries {
		d = d.Normalized()
		if d.Source != model.MetaSource || d.Disposition != model.Enforce || d.Value == "" {
			continue
		}
		p := parsePolicy(d.Value, model.Enforce, model.MetaSource, i)
		kept := p.directives[:0]
		for _, dir := range p.directives {
			if dir.name != "report-uri" && dir.name != "frame-ancestors" && dir.name != "sandbox" {
				kept = append(kept, dir)
			}
		}
		p.directives = kept
		list = append(list, p)
	}
	return list
}
