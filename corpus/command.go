package corpus

import (
	"fmt"
	"strings"
)

// CheckCommand writes the csp check command line that decides c with the
// model, with every argument quoted for a POSIX shell when it needs it, so
// that a failure elsewhere (a fuzz target, the browser differential) can say
// how to reproduce it. A report-only <meta> delivery, which the model
// ignores and csp check has no flag for, is left out with a comment.
func (c Case) CheckCommand() string {
	var b strings.Builder
	b.WriteString("csp check")
	dropped := false
	for _, p := range c.Policies {
		flag := "--policy"
		switch {
		case p.Source == "meta" && p.Disposition == "report":
			dropped = true
			continue
		case p.Source == "meta":
			flag = "--meta"
		case p.Disposition == "report":
			flag = "--report-only"
		}
		fmt.Fprintf(&b, " %s %s", flag, ShellQuote(p.Value))
	}
	fmt.Fprintf(&b, " --self-origin %s", ShellQuote(c.SelfOrigin))
	r := c.Request
	if r.Kind != "" {
		fmt.Fprintf(&b, " --kind %s", ShellQuote(r.Kind))
	} else if r.Destination != nil {
		fmt.Fprintf(&b, " --destination %s", ShellQuote(*r.Destination))
	}
	for _, f := range []struct{ name, value string }{
		{"initiator", r.Initiator}, {"mode", r.Mode}, {"nonce", r.Nonce},
		{"integrity", r.Integrity}, {"parser-metadata", r.ParserMetadata},
	} {
		if f.value != "" {
			fmt.Fprintf(&b, " --%s %s", f.name, ShellQuote(f.value))
		}
	}
	urls := r.URLList
	for _, u := range urls[:max(len(urls)-1, 0)] {
		fmt.Fprintf(&b, " --redirect-from %s", ShellQuote(u))
	}
	if len(urls) > 0 {
		fmt.Fprintf(&b, " --url %s", ShellQuote(urls[len(urls)-1]))
	}
	if dropped {
		b.WriteString("  # a report-only <meta>, which the model ignores, left out")
	}
	return b.String()
}

// ShellQuote quotes s for a POSIX shell when it needs it.
func ShellQuote(s string) string {
	if s != "" && strings.IndexFunc(s, func(r rune) bool {
		return !(r == '/' || r == ':' || r == '.' || r == '-' || r == '_' || r == '%' || r == '~' ||
			'a' <= r && r <= 'z' || 'A' <= r && r <= 'Z' || '0' <= r && r <= '9')
	}) < 0 {
		return s
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
