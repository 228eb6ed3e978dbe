package engine

import (
	"sync"
	"sync/atomic"

	"github.com/cspmodel/cspmodel/model"
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

// dirID numbers the directives a request's decision can consult: the fetch
// directives of the fallback lists. A policy's other directives play no
// part in any decision the engine makes.
type dirID uint8

const (
	dirDefault dirID = iota
	dirConnect
	dirManifest
	dirObject
	dirFrame
	dirChild
	dirMedia
	dirFont
	dirImg
	dirStyleElem
	dirStyle
	dirScriptElem
	dirScript
	dirWorker
	numDirs
)

var dirNames = [numDirs]string{"default-src", "connect-src", "manifest-src", "object-src", "frame-src", "child-src", "media-src", "font-src", "img-src", "style-src-elem", "style-src", "script-src-elem", "script-src", "worker-src"}

// dirByName returns the dirID of a directive name, ASCII case-insensitively,
// without allocating.
func dirByName(name string) (dirID, bool) {
	// Every name is at least 7 bytes and starts with one of few letters.
	if len(name) < 7 || len(name) > 15 {
		return 0, false
	}
	for id, n := range dirNames {
		if len(n) == len(name) && equalFoldLower(name, n) {
			return dirID(id), true
		}
	}
	return 0, false
}

// fallbacks are the fetch directive fallback lists, by effective directive.
var fallbacks = [numEffective][]dirID{
	effConnect:    {dirConnect, dirDefault},
	effManifest:   {dirManifest, dirDefault},
	effObject:     {dirObject, dirDefault},
	effFrame:      {dirFrame, dirChild, dirDefault},
	effMedia:      {dirMedia, dirDefault},
	effFont:       {dirFont, dirDefault},
	effImg:        {dirImg, dirDefault},
	effStyleElem:  {dirStyleElem, dirStyle, dirDefault},
	effScriptElem: {dirScriptElem, dirScript, dirDefault},
	effWorker:     {dirWorker, dirChild, dirScript, dirDefault},
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
func bodyOf(id dirID) body {
	switch id {
	case dirConnect:
		return bodyConnect
	case dirScript, dirScriptElem:
		return bodyScript
	case dirStyle, dirStyleElem:
		return bodyStyle
	}
	return bodyURL
}

// bodyOfEffective is the check of an effective directive's own directive.
var bodyOfEffective = [numEffective]body{effConnect: bodyConnect, effStyleElem: bodyStyle, effScriptElem: bodyScript}

// compiledPolicy is one policy of the CSP list: what a violation reports of
// it, and where each directive a decision can consult starts and ends in
// its text, read by Compile. Their source lists are compiled when a request
// first needs them.
type compiledPolicy struct {
	disposition model.Disposition
	text        string
	delivery    int
	// has has bit 1<<id for each directive id the policy holds, whose value
	// (what follows the name) is values[id].
	has    uint16
	values [numDirs]string
	// lists[id] is the compiled list of directive id once a lay-out needed
	// it; written and read under CSP.mu only.
	lists [numDirs]*sourceList
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

// hintsReady is the bit of CSP.ready that says the lists resource hints
// consult are compiled.
const hintsReady = 1 << numEffective

// CSP is a compiled CSP list: safe for concurrent use. Compile reads the
// policies and where each directive is; the deciders of an effective
// directive are laid out, and the source lists they need compiled, the first
// time a request of that effective directive is decided, once, under mu.
type CSP struct {
	// ready has bit 1<<e once deciders[e] is laid out (and hintsReady once
	// the resource hints' lists are compiled). A decision that finds the
	// bit set reads deciders[e] without locking: the atomic store that set
	// it comes after every write of the lay-out.
	ready atomic.Uint32
	// deciders[e] are the policies that decide requests whose effective
	// directive is e, report-only ones first, then the enforced ones, each
	// group in CSP-list order: the order main fetch consults them at each
	// hop. A policy with no directive for e is absent.
	deciders [numEffective][]decider
	// inline holds the deciders of the first effective directive laid out
	// with at most len(inline) of them, so that deciding such a request
	// reads the CSP and its deciders from one allocation instead of two:
	// for a many-sites workload, one cache miss fewer per decision.
	inline     [2]decider
	inlineUsed bool
	self       selfOrigin
	selfSet    schemeSet
	// policies holds every policy that has a directive some request
	// consults, report-only ones first, then the enforced ones.
	policies []compiledPolicy
	mu       sync.Mutex
	// onePolicy is the backing of policies when there is only one.
	onePolicy [1]compiledPolicy
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

// Compile builds the CSP list of a document at self from its policy
// deliveries (header lines and <meta> elements, as model.NewCSPList takes
// them) and compiles it. It never fails: like the spec, it skips what it
// cannot parse.
//
// Compile reads each policy once, to find its directives; the source lists
// are compiled the first time a request needs them, so that a policy seen
// once costs about what its first decision reads.
func Compile(deliveries []model.PolicyDelivery, self model.Origin) *CSP {
	c := &CSP{self: newSelfOrigin(self), selfSet: selfSchemes(self)}
	c.policies = c.onePolicy[:0]
	// The CSP list's order is the enforced headers, the report-only ones,
	// then the <meta> elements (#parse-response-csp, HTML); main fetch
	// consults the report-only policies first, so they come first here.
	for _, want := range [...]model.Disposition{model.Report, model.Enforce} {
		for i := range deliveries {
			d := deliveries[i].Normalized()
			if d.Source != model.HeaderSource || d.Disposition != want {
				continue
			}
			for rest, more := d.Value, true; more; {
				var member string
				member, rest, more = cut(rest, ',')
				c.addPolicy(member, want, i)
			}
		}
	}
	for i := range deliveries {
		d := deliveries[i].Normalized()
		if d.Source != model.MetaSource || d.Disposition != model.Enforce || d.Value == "" {
			continue
		}
		c.addPolicy(d.Value, model.Enforce, i)
	}
	return c
}

// cut is strings.Cut on a byte.
func cut(s string, sep byte) (before, after string, found bool) {
	for i := 0; i < len(s); i++ {
		if s[i] == sep {
			return s[:i], s[i+1:], true
		}
	}
	return s, "", false
}

// addPolicy reads one serialized policy as #parse-serialized-policy does
// (the engine's parsePolicy, parse.go), keeping the first directive of each
// name a decision can consult, and adds it to the list when it has one.
func (c *CSP) addPolicy(serialized string, disposition model.Disposition, delivery int) {
	var p compiledPolicy
	for rest, more := serialized, true; more; {
		var token string
		token, rest, more = cut(rest, ';')
		token = trimSpace(token)
		if token == "" || !isASCIIString(token) {
			continue
		}
		n := 0
		for n < len(token) && !isSpace(token[n]) {
			n++
		}
		id, ok := dirByName(token[:n])
		if !ok || p.has&(1<<id) != 0 {
			continue
		}
		p.has |= 1 << id
		p.values[id] = token[n:]
	}
	if p.has == 0 {
		// No request consults this policy: it never reports or blocks.
		return
	}
	p.disposition, p.text, p.delivery = disposition, trimSpace(serialized), delivery
	c.policies = append(c.policies, p)
}

// decidersFor returns the deciders of effective directive e, laying them out
// on first use.
func (c *CSP) decidersFor(e effective) []decider {
	if c.ready.Load()&(1<<e) != 0 {
		return c.deciders[e]
	}
	return c.layOut(e)
}

// layOut lays out the deciders of e, once: a concurrent first use waits
// for the lay-out another goroutine has begun.
func (c *CSP) layOut(e effective) []decider {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready.Load()&(1<<e) != 0 {
		return c.deciders[e]
	}
	n := 0
	for i := range c.policies {
		if _, ok := c.policies[i].deciding(e); ok {
			n++
		}
	}
	var ds []decider
	if n <= len(c.inline) && !c.inlineUsed {
		ds, c.inlineUsed = c.inline[:0:n], true
	} else if n > 0 {
		ds = make([]decider, 0, n)
	}
	for i := range c.policies {
		p := &c.policies[i]
		id, ok := p.deciding(e)
		if !ok {
			continue
		}
		dc := decider{
			body:      bodyOf(id),
			enforced:  p.disposition != model.Report,
			policy:    p,
			directive: dirNames[id],
		}
		if id == dirDefault || id == dirChild {
			dc.body = bodyOfEffective[e]
		}
		if l := p.lists[id]; l != nil {
			dc.list = *l
		} else {
			dc.list = compileSourceList(p.values[id], c.selfSet)
		}
		ds = append(ds, dc)
		if p.lists[id] == nil {
			p.lists[id] = &ds[len(ds)-1].list
		}
	}
	c.deciders[e] = ds
	c.ready.Or(1 << e)
	return ds
}

// deciding is the directive of the policy that decides requests of e: the
// first of e's fallback list the policy has.
func (p *compiledPolicy) deciding(e effective) (dirID, bool) {
	for _, id := range fallbacks[e] {
		if p.has&(1<<id) != 0 {
			return id, true
		}
	}
	return 0, false
}

// hintLists compiles, once, the lists a resource hint consults: those of
// every fetch directive but default-src, in the policies that have a
// default-src.
func (c *CSP) hintLists() {
	if c.ready.Load()&hintsReady != 0 {
		return
	}
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.ready.Load()&hintsReady != 0 {
		return
	}
	for i := range c.policies {
		p := &c.policies[i]
		if p.has&(1<<dirDefault) == 0 {
			continue
		}
		for id := dirDefault + 1; id < numDirs; id++ {
			if p.has&(1<<id) != 0 && p.lists[id] == nil {
				l := compileSourceList(p.values[id], c.selfSet)
				p.lists[id] = &l
			}
		}
	}
	c.ready.Or(hintsReady)
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
	// #match-url-to-source-list steps 2-3 look at the list as given.
	if len(sourceList) == 0 || len(sourceList) == 1 && equalFoldLower(sourceList[0], "'none'") {
		return false
	}
	// The compiled form reads a directive value, whose expressions ASCII
	// whitespace separates. An expression that holds whitespace matches no
	// grammar, so it is left out rather than split.
	var b []byte
	for _, e := range sourceList {
		if e == "" || fieldsContainSpace(e) {
			continue
		}
		b = append(append(b, e...), ' ')
	}
	// (If what is left is « 'none' », it came with others, and matches
	// nothing either way.)
	c := &CSP{self: newSelfOrigin(self), selfSet: selfSchemes(self)}
	l := compileSourceList(string(b), c.selfSet)
	return c.matches(&l, &view{url: &url, schemeName: url.Scheme, scheme: schemeOf(url.Scheme), redirectCount: redirectCount})
}

func fieldsContainSpace(s string) bool {
	for i := 0; i < len(s); i++ {
		if isSpace(s[i]) {
			return true
		}
	}
	return false
}
