//go:build linux

package browser

import (
	"errors"
	"strings"

	"github.com/cspmodel/cspmodel/model"
)

// The harness runs script of its own in the documents it tests (doc.js),
// and sometimes frames or workers the case's policies would refuse for a
// reason that has nothing to do with the check under test. These functions
// add to a policy exactly what lets the harness do that, and nothing that
// changes a decision the case is about:
//
//   - withHarnessNonce adds a nonce-source for the harness's own <script>
//     to the directive that governs script elements (script-src-elem, else
//     script-src, else default-src), only where that directive does not
//     already allow every inline script. There a nonce-source cannot turn
//     'unsafe-inline' off (it is absent, or already overridden by a nonce,
//     a hash or 'strict-dynamic'), and it matches only an element or a
//     request that carries the harness's random nonce, so every inline
//     check, eval, WebAssembly and request the case makes is decided as
//     before. The one place where it would change something, a default-src
//     whose 'unsafe-inline' still allows inline styles (it holds
//     'strict-dynamic' but no nonce or hash), is refused instead.
//   - withFrameSources and withWorkerSources let the document load the
//     frames or workers the harness builds (the chain of a frame-ancestors
//     case, a blob: or data: document or worker): they add those sources
//     to frame-src or worker-src, or add that directive where the policy
//     restricts frames or workers through a fallback. Only frames or
//     workers are affected, and no check but a request for one reads those
//     directives.
//   - withReportURI adds a report-uri directive, which no check reads.
//
// A <meta> policy is left alone: doc.js runs before any <meta> element of
// the document, and <meta> cannot deliver report-uri. A header value is
// changed policy by policy (each comma-separated member).

var errStyleInline = errors.New("the harness cannot add its script's nonce: the policy's default-src allows inline styles through 'unsafe-inline' (with 'strict-dynamic', which turns it off for scripts), and a nonce would turn it off for styles too")

// eachPolicy applies f to each comma-separated policy of a header value.
func eachPolicy(value string, f func(policy string) (string, error)) (string, error) {
	parts := strings.Split(value, ",")
	for i, p := range parts {
		if strings.TrimSpace(p) == "" {
			continue
		}
		out, err := f(p)
		if err != nil {
			return "", err
		}
		parts[i] = out
	}
	return strings.Join(parts, ","), nil
}

// directiveOf returns the value of the directive named name in a parsed
// policy, and whether it is there.
func directiveOf(p model.Policy, name string) ([]string, bool) {
	for _, d := range p.DirectiveSet {
		if d.Name == name {
			return d.Value, true
		}
	}
	return nil, false
}

// firstOf returns the first of names the policy holds, with its value.
func firstOf(p model.Policy, names ...string) (string, []string, bool) {
	for _, n := range names {
		if v, ok := directiveOf(p, n); ok {
			return n, v, true
		}
	}
	return "", nil, false
}

// appendToDirective adds tokens to the first directive named name in a
// serialized policy (compared as #parse-serialized-policy does: the
// ASCII-lowercased name of a non-empty ASCII token), or adds the directive
// at the end when the policy has none.
func appendToDirective(policy, name string, tokens ...string) string {
	items := strings.Split(policy, ";")
	for i, item := range items {
		t := strings.Trim(item, " \t\n\f\r")
		if t == "" || !isASCII(t) {
			continue
		}
		n, _, _ := strings.Cut(strings.Map(func(r rune) rune {
			if r == '\t' || r == '\n' || r == '\f' || r == '\r' {
				return ' '
			}
			return r
		}, t), " ")
		if strings.ToLower(n) == name {
			items[i] = strings.TrimRight(item, " \t\n\f\r") + " " + strings.Join(tokens, " ")
			return strings.Join(items, ";")
		}
	}
	rest := strings.TrimRight(policy, " \t\n\f\r")
	switch {
	case strings.TrimSpace(rest) == "":
		rest = ""
	case strings.HasSuffix(rest, ";"):
		rest += " "
	default:
		rest += "; "
	}
	return rest + name + " " + strings.Join(tokens, " ")
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func parsePolicy(text string) model.Policy {
	return model.ParseSerializedPolicy(text, model.HeaderSource, model.Enforce, nil)
}

// withHarnessNonce lets an inline <script nonce=nonce> run under a header
// value, as the comment above says.
func withHarnessNonce(value, nonce string) (string, error) {
	return eachPolicy(value, func(text string) (string, error) {
		p := parsePolicy(text)
		name, list, ok := firstOf(p, "script-src-elem", "script-src", "default-src")
		if !ok || model.AllowAllInline(list, model.InlineScript, nil) == model.Allows {
			return text, nil
		}
		if name == "default-src" && model.AllowAllInline(list, model.InlineStyle, nil) == model.Allows {
			return "", errStyleInline
		}
		return appendToDirective(text, name, "'nonce-"+nonce+"'"), nil
	})
}

// withSources lets a header value load what sources name as directive
// (frame-src or worker-src), whose fallbacks are given: it adds them to the
// directive, or adds the directive where a fallback restricts it.
func withSources(value, directive string, fallbacks []string, sources []string) string {
	out, _ := eachPolicy(value, func(text string) (string, error) {
		p := parsePolicy(text)
		if _, _, ok := firstOf(p, append([]string{directive}, fallbacks...)...); !ok {
			return text, nil
		}
		return appendToDirective(text, directive, sources...), nil
	})
	return out
}

// withFrameSources lets a document load frames from sources.
func withFrameSources(value string, sources ...string) string {
	return withSources(value, "frame-src", []string{"child-src", "default-src"}, sources)
}

// withWorkerSources lets a document start workers from sources.
func withWorkerSources(value string, sources ...string) string {
	return withSources(value, "worker-src", []string{"child-src", "script-src", "default-src"}, sources)
}

// withReportURI adds report-uri uri to every policy of a header value.
func withReportURI(value, uri string) string {
	out, _ := eachPolicy(value, func(text string) (string, error) {
		return appendToDirective(text, "report-uri", uri), nil
	})
	return out
}
