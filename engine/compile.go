package engine

import (
	"github.com/cspmodel/cspmodel/model"
	"sort"
)

// effective is the effective directive of a request, as a small integer.
type effective uint8

const (
	effNull effective = iota // destination "report"
	effConnect
	effManifest
	effObject
	effFrame
	effMedia
	effFont
	effImg
	effStyleElem
	effScriptElem
	effWorker
	effDefault // prefetch and prerender
	numEffective
)

var effectiveNames = [numEffective]string{"", "connect-src", "manifest-src", "object-src", "frame-src", "media-src", "font-src", "img-src", "style-src-elem", "script-src-elem", "worker-src", "default-src"}

// fallbacks are the fetch directive fallback lists, by effective directive.
var fallbacks = [numEffective][]string{
	effConnect:    {"connect-src", "default-src"},
	effManifest:   {"manifest-src", "default-src"},
	effObject:     {"object-src", "default-src"},
	effFrame:      {"frame-src", "child-src", "default-src"},
	effMedia:      {"media-src", "default-src"},
	effFont:       {"font-src", "default-src"},
	effImg:        {"img-src", "default-src"},
	effStyleElem:  {"style-src-elem", "style-src", "default-src"},
	effScriptElem: {"script-src-elem", "script-src", "default-src"},
	effWorker:     {"worker-src", "child-src", "script-src", "default-src"},
}

// body is the algorithm that decides a request once the deciding directive is
// known.
type body uint8

const (
	bodyURL     body = iota // the URL must match
	bodyConnect             // WebTransport hashes, then the URL
	bodyScript              // script-like: nonce, integrity, 'strict-dynamic', then the URL
	bodyStyle               // nonce, then the URL
)

// bodyOf is the check a directive runs; default-src and child-src run the
// effective directive's instead.
func bodyOf(name string) body {
	switch name {
	case "connect-src":
		return bodyConnect
	case "script-src", "script-src-elem":
		return bodyScript
	case "style-src", "style-src-elem":
		return bodyStyle
	}
	return bodyURL
}

// compiledPolicy is one policy of the CSP list, compiled: what a violation
// reports of it, and what a resource hint needs.
type compiledPolicy struct {
	disposition model.Disposition
	text        string
	delivery    int
	// Resource hints: whether default-src is present, and the lists of the
	// fetch directives that can let a hint through.
	hasDefault bool
	hintLists  []*sourceList
}

// decider is how one policy decides requests of one effective directive: the
// directive that decides (the first of the fallback list the policy has),
// the check it runs, and its source list. The list is a copy, so that a
// decision reads the decider and the list's hot fields from one place.
type decider struct {
	body      body
	enforced  bool
	policy    *compiledPolicy
	directive string
	list      sourceList
}

// CSP is a compiled CSP list: immutable once built, safe for concurrent use.
type CSP struct {
	// connect is deciders[effConnect], the deciders of the requests this
	// package is mostly about. When there are at most len(inline) of them,
	// they are copied into inline, so that deciding a connection reads the
	// CSP and its deciders from one allocation instead of two: for a
	// many-sites workload, one cache miss fewer per decision.
	connect []decider
	inline  [2]decider
	// deciders[e] are the policies that decide requests whose effective
	// directive is e, report-only ones first, then the enforced ones, each
	// group in CSP-list order: the order main fetch consults them at each
	// hop. A policy with no directive for e is absent. All of them share one
	// backing array.
	deciders [numEffective][]decider
	self     selfOrigin
	// policies holds every policy, in the same order.
	policies []compiledPolicy
}

// selfOrigin is the CSP list's self-origin, ready for 'self'.
type selfOrigin struct {
	opaque    bool
	schemeNum scheme
	scheme    string
	host      model.Host
	port      int
}

func newSelfOrigin(o model.Origin) selfOrigin {
	return selfOrigin{opaque: o.Opaque, schemeNum: schemeOf(o.Scheme), scheme: o.Scheme, host: o.Host, port: o.Port}
}

var hintDirectives = map[string]bool{
	"child-src": true, "connect-src": true, "font-src": true, "frame-src": true, "img-src": true,
	"manifest-src": true, "media-src": true, "object-src": true, "script-src": true,
	"script-src-elem": true, "style-src": true, "style-src-elem": true, "worker-src": true,
}

// Compile builds the CSP list of a document at self from its policy
// deliveries (header lines and <meta> elements, as model.NewCSPList takes
// them) and compiles it. It never fails: like the spec, it skips what it
// cannot parse.
func Compile(deliveries []model.PolicyDelivery, self model.Origin) *CSP {
	c := &CSP{self: newSelfOrigin(self)}
	selfSet := selfSchemes(self)
	list := cspList(deliveries)
	sort.SliceStable(list, func(i, j int) bool {
		return list[i].disposition == model.Report && list[j].disposition != model.Report
	})
	type plan struct {
		directive string // "" when no directive of the policy decides
		body      body
		list      *sourceList
	}
	plans := make([][numEffective]plan, len(list))
	c.policies = make([]compiledPolicy, len(list))
	n := 0
	for i, p := range list {
		cp := &c.policies[i]
		*cp = compiledPolicy{disposition: p.disposition, text: p.text, delivery: p.delivery}
		lists := map[string]*sourceList{}
		listOf := func(d directive) *sourceList {
			if l, ok := lists[d.name]; ok {
				return l
			}
			l := compileSourceList(d.value, selfSet)
			lists[d.name] = l
			return l
		}
		byName := map[string]directive{}
		for _, d := range p.directives {
			byName[d.name] = d
			if hintDirectives[d.name] {
				cp.hintLists = append(cp.hintLists, listOf(d))
			}
		}
		_, cp.hasDefault = byName["default-src"]
		for e := effConnect; e < numEffective; e++ {
			for _, name := range fallbacks[e] {
				d, ok := byName[name]
				if !ok {
					continue
				}
				pl := plan{directive: name, list: listOf(d), body: bodyOf(name)}
				if name == "default-src" || name == "child-src" {
					pl.body = bodyOf(effectiveNames[e])
				}
				plans[i][e] = pl
				n++
				break
			}
		}
	}
	backing := make([]decider, 0, n)
	for e := range numEffective {
		start := len(backing)
		for i := range c.policies {
			pl := &plans[i][e]
			if pl.directive == "" {
				continue
			}
			backing = append(backing, decider{
				body:      pl.body,
				enforced:  c.policies[i].disposition != model.Report,
				list:      *pl.list,
				policy:    &c.policies[i],
				directive: pl.directive,
			})
		}
		c.deciders[e] = backing[start:len(backing):len(backing)]
	}
	c.connect = c.deciders[effConnect]
	if n := len(c.connect); n <= len(c.inline) {
		copy(c.inline[:], c.connect)
		c.connect = c.inline[:n:n]
	}
	return c
}

// ParsedPolicy is a policy as the engine parsed it, before compilation.
type ParsedPolicy struct {
	Directives  []model.Directive
	Disposition model.Disposition
	Source      model.PolicySource
	Text        string
	Delivery    int
}

// ParsePolicies returns the CSP list Compile would build from deliveries,
// parsed but not compiled: the engine's half of the policy-parsing
// differential (FuzzParsePolicy).
func ParsePolicies(deliveries []model.PolicyDelivery) []ParsedPolicy {
	var out []ParsedPolicy
	for _, p := range cspList(deliveries) {
		pp := ParsedPolicy{Disposition: p.disposition, Source: p.source, Text: p.text, Delivery: p.delivery}
		for _, d := range p.directives {
			pp.Directives = append(pp.Directives, model.Directive{Name: d.name, Value: d.value})
		}
		out = append(out, pp)
	}
	return out
}

// MatchSourceList reports whether url matches the source list under the
// engine's compiled form, with self as the origin 'self' and scheme-less
// sources resolve against: the engine's half of the source-expression
// differential (FuzzSourceExpression). It compiles the list on every call.
func MatchSourceList(sourceList []string, url model.URL, self model.Origin, redirectCount int) bool {
	c := &CSP{self: newSelfOrigin(self)}
	l := compileSourceList(sourceList, selfSchemes(self))
	return c.matches(l, &view{url: &url, schemeName: url.Scheme, scheme: schemeOf(url.Scheme), redirectCount: redirectCount})
}
