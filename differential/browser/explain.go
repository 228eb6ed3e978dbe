//go:build linux

package browser

import (
	"fmt"
	"net/netip"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// Explaining a divergence. Each rule below is a known way in which engines
// read the spec differently from the model, written as a rewrite of the
// case: the case an engine effectively decides. A divergence between the
// model and an engine is explained by a rule (or a combination of rules)
// when the model, run on the rewritten case, gives the engine's verdict.
// The rules' titles, kinds, spec links and explanations are data, in
// testdata/divergences.json; the rewrites are code, here, keyed by the
// same ids.

// rewrite turns a case into the case an engine effectively decides, or
// reports that the rule does not apply to it.
type rewrite func(c corpus.Case) (corpus.Case, bool)

// rewrites holds every rule's rewrite, in the order they are combined:
// rules that change the request come first.
var rewrites = []struct {
	id string
	fn rewrite
}{
	{"websocket-url-as-given", websocketURLAsGiven},
	{"meta-content-split-on-commas", metaContentSplitOnCommas},
	{"source-query-ignored", sourceQueryIgnored},
	{"ip-hosts-match", ipHostsMatch},
	{"self-compares-port-numbers", selfComparesPortNumbers},
	{"ws-schemes-only-for-websockets", wsSchemesOnlyForWebSockets},
	{"missing-port-is-scheme-default", missingPortIsSchemeDefault},
	{"port-80-matches-443", port80Matches443},
	{"upgrade-needs-default-port", upgradeNeedsDefaultPort},
	{"path-decoded-whole", pathDecodedWhole},
	{"port-leading-zero-never-matches", portLeadingZeroNeverMatches},
	{"trailing-dot-host-dropped", trailingDotHostDropped},
}

// explain returns the ids of the smallest combination of rules (one, two
// or three, tried in order) under which the model gives verdict for c, or
// nil when none does.
func explain(c corpus.Case, verdict string) []string {
	n := len(rewrites)
	try := func(idx ...int) bool {
		cur := c
		for _, i := range idx {
			next, ok := rewrites[i].fn(cur)
			if !ok {
				return false
			}
			cur = next
		}
		r := corpus.RunModel(cur, nil)
		return r.Error == "" && r.Verdict == verdict
	}
	ids := func(idx ...int) []string {
		var out []string
		for _, i := range idx {
			out = append(out, rewrites[i].id)
		}
		return out
	}
	for i := 0; i < n; i++ {
		if try(i) {
			return ids(i)
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			if try(i, j) {
				return ids(i, j)
			}
		}
	}
	for i := 0; i < n; i++ {
		for j := i + 1; j < n; j++ {
			for k := j + 1; k < n; k++ {
				if try(i, j, k) {
					return ids(i, j, k)
				}
			}
		}
	}
	return nil
}

// websocketURLAsGiven: the engines match a WebSocket's ws: or wss: URL
// itself, not the http: or https: URL that WebSocket establishment hands
// to Fetch, and let * cover ws: and wss:.
func websocketURLAsGiven(c corpus.Case) (corpus.Case, bool) {
	if c.Request.Kind != "websocket" || len(c.Request.URLList) != 1 {
		return c, false
	}
	u, err := model.ParseURL(c.Request.URLList[0])
	if err != nil {
		return c, false
	}
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	}
	empty := ""
	c.Request = corpus.RequestInput{Destination: &empty, Mode: "websocket", URLList: []string{u.String()}}
	c = mapSources(c, func(expr string) []string {
		if expr == "*" {
			return []string{"*", "ws:", "wss:"}
		}
		return []string{expr}
	})
	return c, true
}

// ipHostsMatch: the engines let a host-part name an IP address, and *
// match one. The rewrite gives every IP address in the case a domain name
// of its own.
func ipHostsMatch(c corpus.Case) (corpus.Case, bool) {
	changed := false
	rename := func(host string) string {
		a, err := netip.ParseAddr(strings.Trim(host, "[]"))
		if err != nil {
			return host
		}
		changed = true
		return "ip-" + strings.NewReplacer(".", "-", ":", "-").Replace(a.String()) + ".test"
	}
	renameURL := func(raw string) string {
		u, err := model.ParseURL(raw)
		if err != nil || u.Host.IsNull() {
			return raw
		}
		if h := rename(u.Host.Serialized); h != u.Host.Serialized {
			u.Host = model.Host{Kind: model.DomainHost, Serialized: h}
		}
		return u.String()
	}
	c.SelfOrigin = renameURL(c.SelfOrigin)
	urls := make([]string, len(c.Request.URLList))
	for i, u := range c.Request.URLList {
		urls[i] = renameURL(u)
	}
	c.Request.URLList = urls
	c = mapSources(c, func(expr string) []string {
		e := model.ParseSourceExpression(expr)
		if e.Kind != model.HostSource {
			return []string{expr}
		}
		if h := rename(e.Host); h != e.Host {
			e.Host = h
			return []string{formatHostSource(e)}
		}
		return []string{expr}
	})
	return c, changed
}

// wsSchemesOnlyForWebSockets: a ws or wss scheme-part matches only ws: and
// wss: URLs, never the http: and https: URLs of other requests.
func wsSchemesOnlyForWebSockets(c corpus.Case) (corpus.Case, bool) {
	if c.Request.Kind == "websocket" || c.Request.Mode == "websocket" {
		return c, false
	}
	changed := false
	c = mapSources(c, func(expr string) []string {
		e := model.ParseSourceExpression(expr)
		if (e.Kind == model.SchemeSource || e.Kind == model.HostSource) && e.HasScheme {
			if s := strings.ToLower(e.Scheme); s == "ws" || s == "wss" {
				changed = true
				return nil
			}
		}
		return []string{expr}
	})
	return c, changed
}

// port80Matches443: a port-part of 80 also matches port 443.
func port80Matches443(c corpus.Case) (corpus.Case, bool) {
	changed := false
	c = mapSources(c, func(expr string) []string {
		e := model.ParseSourceExpression(expr)
		if e.Kind != model.HostSource || !e.HasPort || strings.TrimLeft(e.Port, "0") != "80" {
			return []string{expr}
		}
		changed = true
		twin := e
		twin.Port = "443"
		return []string{expr, formatHostSource(twin)}
	})
	return c, changed
}

// missingPortIsSchemeDefault: a host-source without a port-part matches
// the default port of its own scheme (written, or the page's) as well as
// the URL scheme's.
func missingPortIsSchemeDefault(c corpus.Case) (corpus.Case, bool) {
	self := selfScheme(c)
	changed := false
	c = mapSources(c, func(expr string) []string {
		e := model.ParseSourceExpression(expr)
		if e.Kind != model.HostSource || e.HasPort {
			return []string{expr}
		}
		scheme := self
		if e.HasScheme {
			scheme = strings.ToLower(e.Scheme)
		}
		port := model.DefaultPort(scheme)
		if port < 0 {
			return []string{expr}
		}
		changed = true
		twin := e
		twin.HasPort, twin.Port = true, fmt.Sprint(port)
		return []string{expr, formatHostSource(twin)}
	})
	return c, changed
}

// upgradeNeedsDefaultPort: a host-source with an insecure scheme (written,
// or the page's) and an explicit port does not match the secure scheme on
// that port; only a wildcard port, or 80 for 443, follows an upgrade.
//
// The rewrite drops such sources when any URL of the list is secure, so on
// a redirect chain that mixes schemes it explains the secure hops only.
func upgradeNeedsDefaultPort(c corpus.Case) (corpus.Case, bool) {
	var secure []model.URL
	for _, u := range engineURLs(c) {
		if u.Scheme == "https" || u.Scheme == "wss" {
			secure = append(secure, u)
		}
	}
	if len(secure) == 0 {
		return c, false
	}
	self := selfScheme(c)
	changed := false
	c = mapSources(c, func(expr string) []string {
		e := model.ParseSourceExpression(expr)
		if e.Kind != model.HostSource || !e.HasPort || e.Port == "*" {
			return []string{expr}
		}
		scheme := self
		if e.HasScheme {
			scheme = strings.ToLower(e.Scheme)
		}
		if scheme != "http" && scheme != "ws" {
			return []string{expr}
		}
		for _, url := range secure {
			upgrade80 := strings.TrimLeft(e.Port, "0") == "80" && (url.Port == -1 || url.Port == 443)
			if upgrade80 {
				return []string{expr}
			}
		}
		changed = true
		return nil
	})
	return c, changed
}

// pathDecodedWhole: the engines percent-decode a path before splitting it
// into segments, so an encoded slash separates segments.
func pathDecodedWhole(c corpus.Case) (corpus.Case, bool) {
	slash := strings.NewReplacer("%2F", "/", "%2f", "/")
	changed := false
	urls := make([]string, len(c.Request.URLList))
	for i, raw := range c.Request.URLList {
		u, err := model.ParseURL(raw)
		if err == nil && slash.Replace(u.Path) != u.Path {
			u.Path = slash.Replace(u.Path)
			raw, changed = u.String(), true
		}
		urls[i] = raw
	}
	c.Request.URLList = urls
	c = mapSources(c, func(expr string) []string {
		e := model.ParseSourceExpression(expr)
		if e.Kind == model.HostSource && slash.Replace(e.Path) != e.Path {
			e.Path = slash.Replace(e.Path)
			changed = true
			return []string{formatHostSource(e)}
		}
		return []string{expr}
	})
	return c, changed
}

// portLeadingZeroNeverMatches: a port-part written with a leading zero is
// compared as a string, and matches no port.
func portLeadingZeroNeverMatches(c corpus.Case) (corpus.Case, bool) {
	changed := false
	c = mapSources(c, func(expr string) []string {
		e := model.ParseSourceExpression(expr)
		if e.Kind == model.HostSource && e.HasPort && len(e.Port) > 1 && e.Port[0] == '0' {
			changed = true
			return nil
		}
		return []string{expr}
	})
	return c, changed
}

// trailingDotHostDropped: a host-part ending in a dot is not a valid
// source, and is dropped.
func trailingDotHostDropped(c corpus.Case) (corpus.Case, bool) {
	changed := false
	c = mapSources(c, func(expr string) []string {
		e := model.ParseSourceExpression(expr)
		if e.Kind == model.HostSource && strings.HasSuffix(e.Host, ".") {
			changed = true
			return nil
		}
		return []string{expr}
	})
	return c, changed
}

// mapSources rewrites every source expression of every directive of the
// case's policies, leaving directive names and the policy structure as they
// are.
func mapSources(c corpus.Case, f func(expr string) []string) corpus.Case {
	out := make([]corpus.PolicyInput, len(c.Policies))
	for i, p := range c.Policies {
		policies := strings.Split(p.Value, ",")
		for pi, policy := range policies {
			directives := strings.Split(policy, ";")
			for di, d := range directives {
				tokens := splitASCIIWhitespace(d)
				if len(tokens) == 0 {
					continue
				}
				kept := tokens[:1:1]
				for _, t := range tokens[1:] {
					kept = append(kept, f(t)...)
				}
				directives[di] = strings.Join(kept, " ")
			}
			policies[pi] = strings.Join(directives, "; ")
		}
		p.Value = strings.Join(policies, ", ")
		out[i] = p
	}
	c.Policies = out
	return c
}

// splitASCIIWhitespace splits s on the ASCII whitespace the CSP grammar
// uses (not on other Unicode spaces).
func splitASCIIWhitespace(s string) []string {
	return strings.FieldsFunc(s, func(r rune) bool {
		return r == ' ' || r == '\t' || r == '\n' || r == '\f' || r == '\r'
	})
}

// formatHostSource writes a host-source back as text.
func formatHostSource(e model.SourceExpression) string {
	var b strings.Builder
	if e.HasScheme {
		b.WriteString(e.Scheme + "://")
	}
	b.WriteString(e.Host)
	if e.HasPort {
		b.WriteString(":" + e.Port)
	}
	b.WriteString(e.Path)
	return b.String()
}

// selfScheme returns the scheme of the case's self-origin.
func selfScheme(c corpus.Case) string {
	o, err := model.ParseOrigin(c.SelfOrigin)
	if err != nil || o.Opaque {
		return ""
	}
	return o.Scheme
}

// engineURLs returns the case's URL list as the engines check it: a
// WebSocket's http: or https: URL turned into ws: or wss:.
func engineURLs(c corpus.Case) []model.URL {
	var out []model.URL
	for _, raw := range c.Request.URLList {
		u, err := model.ParseURL(raw)
		if err != nil {
			continue
		}
		if c.Request.Kind == "websocket" {
			switch u.Scheme {
			case "http":
				u.Scheme = "ws"
			case "https":
				u.Scheme = "wss"
			}
		}
		out = append(out, u)
	}
	return out
}

// metaContentSplitOnCommas: the engine splits a <meta> element's content
// on commas into several policies, as it does a header's value.
func metaContentSplitOnCommas(c corpus.Case) (corpus.Case, bool) {
	var out []corpus.PolicyInput
	changed := false
	for _, p := range c.Policies {
		if p.Source != "meta" || !strings.Contains(p.Value, ",") {
			out = append(out, p)
			continue
		}
		changed = true
		for _, part := range strings.Split(p.Value, ",") {
			q := p
			q.Value = part
			out = append(out, q)
		}
	}
	c.Policies = out
	return c, changed
}

// sourceQueryIgnored: a source expression with a query or a fragment
// after its path, which the grammar refuses, is read without them.
func sourceQueryIgnored(c corpus.Case) (corpus.Case, bool) {
	changed := false
	c = mapSources(c, func(expr string) []string {
		cut := strings.IndexAny(expr, "?#")
		if cut < 0 || model.ParseSourceExpression(expr).Kind != model.NoProduction {
			return []string{expr}
		}
		if e := model.ParseSourceExpression(expr[:cut]); e.Kind == model.HostSource {
			changed = true
			return []string{expr[:cut]}
		}
		return []string{expr}
	})
	return c, changed
}

// selfComparesPortNumbers: 'self' compares the page's port, null for its
// scheme's default, as that default number, so it also matches a URL that
// names the number: 'self' on http://example.com matches
// https://example.com:80/. The rewrite adds the page's origin, with its
// port written out, as a host-source beside 'self'.
func selfComparesPortNumbers(c corpus.Case) (corpus.Case, bool) {
	o, err := model.ParseOrigin(c.SelfOrigin)
	if err != nil || o.Opaque {
		return c, false
	}
	port := o.Port
	if port < 0 {
		port = model.DefaultPort(o.Scheme)
	}
	if port < 0 || !o.Host.IsDomain() {
		return c, false
	}
	source := fmt.Sprintf("%s://%s:%d", o.Scheme, o.Host.Serialized, port)
	changed := false
	c = mapSources(c, func(expr string) []string {
		if strings.EqualFold(expr, "'self'") {
			changed = true
			return []string{expr, source}
		}
		return []string{expr}
	})
	return c, changed
}
