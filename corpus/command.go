package corpus

import (
	"fmt"
	"strings"
)

// CheckCommand writes the csp check command line that decides c with the
// model, with every argument quoted for a POSIX shell when it needs it, so
// that a failure elsewhere (a fuzz target, the browser differential) can say
// how to reproduce it.
func (c Case) CheckCommand() string {
	var b strings.Builder
	b.WriteString("csp check")
	for _, p := range c.Policies {
		flag := "--policy"
		switch {
		case p.Source == "meta" && p.Disposition == "report":
			flag = "--meta-report-only"
		case p.Source == "meta":
			flag = "--meta"
		case p.Disposition == "report":
			flag = "--report-only"
		}
		fmt.Fprintf(&b, " %s %s", flag, ShellQuote(p.Value))
	}
	fmt.Fprintf(&b, " --self-origin %s", ShellQuote(c.SelfOrigin))
	if c.CheckName() != CheckRequest {
		c.checkFlags(&b)
		return b.String()
	}
	c.globalFlags(&b)
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
	for _, h := range r.WebTransportHashes {
		fmt.Fprintf(&b, " --webtransport-hash %s", ShellQuote(h))
	}
	urls := r.URLList
	for _, u := range urls[:max(len(urls)-1, 0)] {
		fmt.Fprintf(&b, " --redirect-from %s", ShellQuote(u))
	}
	if len(urls) > 0 {
		fmt.Fprintf(&b, " --url %s", ShellQuote(urls[len(urls)-1]))
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

// globalFlags writes the flags of the case's global object.
func (c Case) globalFlags(b *strings.Builder) {
	g := c.Global
	if g == nil {
		return
	}
	if g.Kind != "" {
		fmt.Fprintf(b, " --global-kind %s", ShellQuote(g.Kind))
	}
	if g.URL != nil {
		fmt.Fprintf(b, " --global-url %s", ShellQuote(*g.URL))
	}
	if g.Referrer != "" {
		fmt.Fprintf(b, " --global-referrer %s", ShellQuote(g.Referrer))
	}
	if g.Status != 0 {
		fmt.Fprintf(b, " --global-status %d", g.Status)
	}
}

// checkFlags writes --check and the flags of a check other than a
// request. What the flags cannot say (a TrustedScript whose data differs
// from its string, or only some parameters trusted) is left out with a
// comment.
func (c Case) checkFlags(b *strings.Builder) {
	fmt.Fprintf(b, " --check %s", c.CheckName())
	c.globalFlags(b)
	lossy := false
	switch {
	case c.Inline != nil:
		in := c.Inline
		fmt.Fprintf(b, " --inline-type %s", ShellQuote(in.Type))
		if e := in.Element; e != nil {
			if e.LocalName != "" {
				fmt.Fprintf(b, " --element %s", ShellQuote(e.LocalName))
			}
			for _, a := range e.Attributes {
				fmt.Fprintf(b, " --attr %s", ShellQuote(a[0]+"="+a[1]))
			}
			if e.NotParserInserted {
				b.WriteString(" --not-parser-inserted")
			}
			if e.DuplicateAttribute {
				b.WriteString(" --duplicate-attribute")
			}
		}
		fmt.Fprintf(b, " --source %s", ShellQuote(in.Source))
	case c.Eval != nil:
		e := c.Eval
		fmt.Fprintf(b, " --eval-type %s --code %s", ShellQuote(e.Type), ShellQuote(e.Code))
		if e.Body != nil {
			fmt.Fprintf(b, " --body %s", ShellQuote(*e.Body))
		}
		for _, p := range e.Parameters {
			fmt.Fprintf(b, " --parameter %s", ShellQuote(p))
		}
		if a := e.BodyArg; a != nil && a.TrustedScript {
			b.WriteString(" --trusted-body")
			lossy = lossy || a.Data != nil
		}
		trusted := 0
		for _, a := range e.ParameterArgs {
			if a.TrustedScript {
				trusted++
			}
			lossy = lossy || a.Data != nil
		}
		if trusted > 0 && trusted == len(e.Parameters) {
			b.WriteString(" --trusted-parameters")
		} else if trusted > 0 {
			lossy = true
		}
	case c.Navigation != nil:
		n := c.Navigation
		fmt.Fprintf(b, " --navigation-type %s", ShellQuote(n.Type))
		if r := n.Response; r != nil {
			for _, p := range r.Policies {
				flag := "--response-csp"
				if p.Disposition == "report" {
					flag = "--response-csp-report-only"
				}
				fmt.Fprintf(b, " %s %s", flag, ShellQuote(p.Value))
			}
		}
		for _, a := range n.Ancestors {
			fmt.Fprintf(b, " --ancestor %s", ShellQuote(a))
		}
		urls := n.URLList
		for _, u := range urls[:max(len(urls)-1, 0)] {
			fmt.Fprintf(b, " --redirect-from %s", ShellQuote(u))
		}
		if len(urls) > 0 {
			fmt.Fprintf(b, " --url %s", ShellQuote(urls[len(urls)-1]))
		}
	case c.BaseURL != "":
		fmt.Fprintf(b, " --base-url %s", ShellQuote(c.BaseURL))
	}
	if lossy {
		b.WriteString("  # TrustedScript values the flags cannot say left out")
	}
}
