package engine

import (
	"fmt"
	"math"
	"strings"
	"sync"
	"sync/atomic"
	"unsafe"

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

// dirsByFirst is, by the first letter (lowercase, less 'a') of a
// directive name, the dirIDs of the names with that letter, plus one,
// then zeros. No two of them have the same length, so a token names at
// most one.
var dirsByFirst [26][4]uint8

func init() {
	for id, n := range dirNames {
		ks := &dirsByFirst[n[0]-'a']
		for i := 0; ; i++ {
			if k := ks[i]; k == 0 {
				ks[i] = uint8(id) + 1
				break
			} else if len(dirNames[k-1]) == len(n) {
				panic("engine: two directive names share a length and a first letter")
			}
		}
	}
}

// dirByName returns the dirID of a directive name, ASCII case-insensitively,
// without allocating.
func dirByName(name string) (dirID, bool) {
	id, k, ok := dirAt(name, 0, len(name))
	return id, ok && k == len(name)
}

// dirAt reports whether the token of text[start:stop] that starts at start
// (and ends at the first ASCII whitespace, or stop) names a directive a
// decision consults, ASCII case-insensitively: which one, and where its
// name ends. The name's end is found by trying the names that start with
// its first letter rather than by scanning the token to its end.
func dirAt(text string, start, stop int) (id dirID, k int, ok bool) {
	if start == stop {
		return 0, 0, false
	}
	f := text[start] | 0x20 - 'a' // a letter's lowercase, less 'a'
	if f >= 26 {
		return 0, 0, false
	}
	for _, d := range &dirsByFirst[f] {
		if d == 0 {
			break
		}
		name := dirNames[d-1]
		k = start + len(name)
		if k <= stop && (k == stop || isSpace(text[k])) && equalFoldLower(text[start:k], name) {
			return dirID(d - 1), k, true
		}
	}
	return 0, 0, false
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
	text string
	// delivery is the number of the delivery that carried the policy
	// (Compile leaves out those past the 2^31st).
	delivery int32
	// has has bit 1<<id for each directive id the policy holds, whose value
	// (what follows the name) is value(id).
	has    uint16
	report bool // the disposition is Report, not Enforce
	meta   bool // a <meta> element delivered it (the checks beyond requests read this)
	// start[id] is where directive id's value starts in text; it ends at
	// the next ';'. A 16-bit offset, which the collector need not scan,
	// rather than a string, so that a policy costs 14 bytes less per
	// directive it could hold. A policy text longer than maxOffset has no
	// offsets: value reads it again (a lay-out asks for each value at
	// most twice).
	start [numDirs]uint16
}

// maxOffset is the longest policy text whose directives' offsets are
// kept, which a test can shorten.
var maxOffset = math.MaxUint16

// value is the value of directive id, which the policy has (p.has).
func (p *compiledPolicy) value(id dirID) string {
	if len(p.text) > maxOffset {
		for pos := 0; pos <= len(p.text); {
			d, named, k, stop, next := directiveAt(p.text, pos)
			if named && d == id && isASCIIString(p.text[k:stop]) {
				// The first such directive is the one addPolicy noted.
				return trimSpace(p.text[k:stop])
			}
			pos = next
		}
		return ""
	}
	v := p.text[p.start[id]:]
	if j := strings.IndexByte(v, ';'); j >= 0 {
		v = v[:j]
	}
	return trimSpace(v)
}

// disposition is the policy's disposition.
func (p *compiledPolicy) disposition() model.Disposition {
	if p.report {
		return model.Report
	}
	return model.Enforce
}

// decider is how one policy decides requests of one effective directive: the
// directive that decides (the first of the fallback list the policy has),
// the check it runs, and its source list. The list is a copy, so that a
// decision reads the decider and the list's hot fields from one place.
type decider struct {
	body     body
	enforced bool
	dir      dirID // the deciding directive
	list     sourceList
	// What a violation reports, read last.
	policy *compiledPolicy
}

// hintsReady is the bit of CSP.ready that says the lists resource hints
// consult are compiled; the bits from scanShift (scan.go) say which
// effective directives had their first request scanned; the bits from
// firstShift hold the number of the first effective directive laid out,
// plus one, alone in the word's top bits so that Decide compares them with
// one shift.
//
// refusedReady, every bit set, is the ready word of a CSP that refuses
// every decision (CSP.Err): no lay-out reaches it, since the first
// effective directive's number plus one is less than the top bits' 15, and
// setting bits cannot leave it.
const (
	hintsReady   = 1 << numEffective
	firstShift   = 28
	refusedReady = math.MaxUint32
)

// The ready word's parts must not overlap, and no first effective
// directive's number plus one fills the top bits.
var _ = [1]struct{}{}[(hintsReady>>scanShift)|(1<<numEffective-1)>>(firstShift-scanShift)|uint64(numEffective+1)>>(32-firstShift)]

// CSP is a compiled CSP list: safe for concurrent use. Compile reads the
// policies and where each directive is. The first request of an effective
// directive that the URL alone decides is decided from the policies' texts
// (scan.go); the deciders of an effective directive are laid out, and the
// source lists they need compiled, by the first request after that, or by
// the first one a scan does not decide, once, under mu.
type CSP struct {
	// ready has bit 1<<e once the deciders of e are laid out (and
	// hintsReady once the resource hints' lists are compiled), and bit
	// 1<<(scanShift+e) once a request of e was decided by scanning the
	// policies' texts (scan.go). A decision
	// that finds the bit set reads them without locking: the atomic store
	// that set it comes after every write of the lay-out.
	ready atomic.Uint32
	// firstLen is len(first), kept in the word ready leaves free.
	firstLen uint32
	// first holds the deciders of the first effective directive laid out,
	// whose number plus one is ready>>firstShift (for most CSPs,
	// connect-src: the requests this package is mostly about), next to
	// ready and inline: such a decision reads the CSP and its deciders from
	// the CSP's first cache lines.
	first *decider
	// inline holds the first deciders laid out when the list has one
	// policy (most have), so that deciding such a request reads the CSP
	// and its deciders from one allocation instead of two: for a
	// many-sites workload, one cache miss fewer per decision. Room for
	// one decider only, since every byte of a CSP is paid for by each
	// policy seen once.
	inline [1]decider
	// more[e] holds the deciders of each other effective directive e laid
	// out; it is allocated by the first of those lay-outs that has any
	// (none, for a policy of one fetch directive). The deciders of e are
	// the policies that decide requests whose effective directive is e,
	// report-only ones first, then the enforced ones, each group in
	// CSP-list order: the order main fetch consults them at each hop. A
	// policy with no directive for e is absent.
	//
	// An atomic pointer: it is set by the first lay-out that has deciders
	// to keep, possibly after other effective directives were laid out
	// with none, whose decisions read it without locking.
	more atomic.Pointer[[numEffective][]decider]
	// rare holds what few CSPs need (rareParts, checks.go): the lists a
	// resource hint consults (rare.hints, once hintsReady is set), the
	// policies no request consults, and the list compiled for the checks
	// beyond requests. Behind one atomic pointer, replaced whole under mu.
	rare atomic.Pointer[rareParts]
	self selfOrigin
	// policies holds every policy that has a directive some request
	// consults, report-only ones first, then the enforced ones.
	policies []compiledPolicy
	mu       sync.Mutex
	// onePolicy is the backing of policies when there is only one.
	onePolicy [1]compiledPolicy
}

// selfOrigin is the CSP list's self-origin, ready for 'self', in 24 bytes
// (every byte of a CSP is paid for by each policy seen once): the scheme is
// its number, and its name is kept (in rare.selfScheme) only when it has
// none; the port is 16 bits and a kind (a number, null, or one no URL can
// have).
type selfOrigin struct {
	opaque    bool
	schemeNum scheme
	// bits are the scheme numbers a scheme-less host-source matches (those
	// the self-origin's scheme matches as a scheme-part); other says it
	// also matches the self-origin's scheme, which has no number.
	bits     uint8
	other    bool
	hostKind model.HostKind
	portKind uint8 // portNumber, portNull (model.Origin.Port -1) or portOutside
	port     uint16
	host     string // the host, serialized
}

// setSelf makes o the self-origin of c, new and seen by no one else yet.
func (c *CSP) setSelf(o *model.Origin) {
	s := &c.self
	s.opaque, s.hostKind, s.host = o.Opaque, o.Host.Kind, o.Host.Serialized
	s.schemeNum = schemeOf(o.Scheme)
	if uint(o.Port) <= math.MaxUint16 {
		s.port = uint16(o.Port)
	} else if o.Port == -1 {
		s.portKind = portNull
	} else {
		s.portKind = portOutside // no URL has such a port; an origin built by hand may
	}
	if s.schemeNum == schemeOther && o.Scheme != "" {
		// The scheme's name, which no number stands for.
		c.rare.Store(&rareParts{selfScheme: o.Scheme})
	}
	// The schemes a scheme-less host-source matches.
	if !o.Opaque {
		var set schemeSet
		set.addSourceScheme(o.Scheme)
		s.bits, s.other = set.bits, set.others != ""
	}
}

// Kinds of self-origin port.
const (
	portNumber  = iota // port holds it
	portNull           // null: the scheme's default
	portOutside        // neither null nor a port a URL can have
)

// portNum is the port as model.Origin has it (-1 when null), or, for a
// port no URL can have, one that no URL has either.
func (s *selfOrigin) portNum() int {
	switch s.portKind {
	case portNull:
		return -1
	case portOutside:
		return math.MaxUint16 + 1
	}
	return int(s.port)
}

// hostIs reports whether h is the self-origin's host.
func (s *selfOrigin) hostIs(h model.Host) bool {
	return h.Kind == s.hostKind && h.Serialized == s.host
}

// selfOtherScheme is the self-origin's scheme when it has no number
// (c.self.other): the only case in which a caller needs its name.
func (c *CSP) selfOtherScheme() string {
	if r := c.rare.Load(); r != nil {
		return r.selfScheme
	}
	return ""
}

// selfSchemes returns the schemes a scheme-less host-source matches as a set.
func (c *CSP) selfSchemes() schemeSet {
	s := schemeSet{bits: c.self.bits}
	if c.self.other {
		s.others = lowerASCII(c.selfOtherScheme()) + " "
	}
	return s
}

// Compile builds the CSP list of a document at self from its policy
// deliveries (header lines and <meta> elements, as model.NewCSPList takes
// them) and compiles it. Like the spec, it skips what it cannot parse in a
// policy. A delivery whose Disposition or Source is none of the named
// values (a misspelt "Enforce") would be neither enforced nor reported:
// the CSP then refuses every decision, Blocked, with the error Err returns,
// which names the first such delivery in model.NewCSPList's words (D6 of
// docs/spec-mapping.md). So does a list of more than 2^31-1 deliveries,
// more than the CSP can number, which the model would decide.
//
// Compile reads each policy once, to find its directives; the source lists
// are compiled the first time a request needs them, so that a policy seen
// once costs about what its first decision reads. Compile keeps nothing of
// deliveries but the policies' texts.
func Compile(deliveries []model.PolicyDelivery, self model.Origin) *CSP {
	c := new(CSP)
	c.setSelf(&self)
	// Never nil from here on: a nil policies marks a CSP Compile did not
	// make (uncompiled).
	c.policies = c.onePolicy[:0]
	// The CSP list's order is the enforced headers, the report-only ones,
	// then the <meta> elements (#parse-response-csp, HTML); main fetch
	// consults the report-only policies first, so they come first here.
	// A delivery's zero Disposition and Source are Enforce and HeaderSource
	// (model.PolicyDelivery.Normalized).
	if len(deliveries) == 1 {
		// The usual case: one header, in whatever order.
		kind := deliveryKind(&deliveries[0])
		if kind == unnamedDelivery {
			c.refuse(&deliveries[0], 0)
			return c
		}
		c.addDelivery(&deliveries[0], kind, 0)
		return c
	}
	for i := range deliveries {
		if d := &deliveries[i]; deliveryKind(d) == unnamedDelivery {
			c.refuse(d, i)
			return c
		}
	}
	if len(deliveries) > maxDeliveries {
		c.refuseWith(fmt.Errorf("%w: %d policy deliveries, more than the %d a CSP numbers", model.ErrBadInput, len(deliveries), maxDeliveries))
		return c
	}
	for _, want := range [...]uint8{reportHeader, enforceHeader, enforceMeta} {
		for i := range deliveries {
			if d := &deliveries[i]; deliveryKind(d) == want {
				c.addDelivery(d, want, i)
			}
		}
	}
	return c
}

// maxDeliveries is the most policy deliveries Compile takes: a policy
// keeps its delivery's number in 32 bits. A longer list (some 100 GB of
// deliveries) is refused rather than cut short, since a policy left out
// could only allow more. A test can lower it.
var maxDeliveries = math.MaxInt32

// refuse makes c, compiled from nothing yet, refuse every decision:
// delivery number i, d, has a Disposition or Source that is none of the
// named values. Called by Compile only, before the CSP is shared.
func (c *CSP) refuse(d *model.PolicyDelivery, i int) {
	switch d.Disposition {
	case "", model.Enforce, model.Report:
		c.refuseWith(fmt.Errorf("%w: delivery %d: source %q is not %q or %q", model.ErrBadInput, i, d.Source, model.HeaderSource, model.MetaSource))
	default:
		c.refuseWith(fmt.Errorf("%w: delivery %d: disposition %q is not %q or %q", model.ErrBadInput, i, d.Disposition, model.Enforce, model.Report))
	}
}

// refuseWith makes c, compiled from nothing yet, refuse every decision
// with err. Called by Compile only, before the CSP is shared.
func (c *CSP) refuseWith(err error) {
	c.rare.Store(&rareParts{refusal: err})
	c.ready.Store(refusedReady)
}

// Err returns the error every decision on c returns, with a Blocked
// verdict, when Compile was given a delivery whose Disposition or Source is
// none of the named values or more deliveries than it numbers, or when c
// is not a CSP Compile returned (nil, or a zero CSP, which would otherwise
// read as a list of no policy and allow everything): ErrNotCompiled. Else
// it returns nil.
func (c *CSP) Err() error {
	if c == nil || c.uncompiled() {
		return ErrNotCompiled
	}
	if c.ready.Load() != refusedReady {
		return nil
	}
	return c.rare.Load().refusal
}

// uncompiled reports whether c is a zero CSP, which Compile did not make:
// Compile sets policies, even to an empty list.
func (c *CSP) uncompiled() bool { return c.policies == nil }

// ErrNotCompiled is the refusal of every decision on a CSP or a Checks
// that Compile or (*CSP).Checks did not return: a nil pointer or a zero
// value. It wraps model.ErrBadInput.
var ErrNotCompiled = fmt.Errorf("%w: a CSP or Checks that Compile did not make (nil or zero)", model.ErrBadInput)

// ErrNoDecision is returned, and nothing decided, when the decision to
// write the verdict into is a nil pointer. It wraps model.ErrBadInput.
var ErrNoDecision = fmt.Errorf("%w: no decision to write the verdict into (nil)", model.ErrBadInput)

// addDelivery adds the policies of delivery number i, of the given kind: a
// header's comma-separated policies, or a <meta> element's one.
func (c *CSP) addDelivery(d *model.PolicyDelivery, kind uint8, i int) {
	switch kind {
	case enforceMeta:
		c.addPolicy(d.Value, false, true, i)
	case enforceHeader, reportHeader:
		report := kind == reportHeader
		for rest := d.Value; ; {
			j := strings.IndexByte(rest, ',')
			if j < 0 {
				c.addPolicy(rest, report, false, i)
				break
			}
			c.addPolicy(rest[:j], report, false, i)
			rest = rest[j+1:]
		}
	}
}

// Kinds of delivery.
const (
	noPolicy        = iota // delivers nothing
	enforceHeader          // Content-Security-Policy
	reportHeader           // Content-Security-Policy-Report-Only
	enforceMeta            // <meta http-equiv="Content-Security-Policy">, not empty
	unnamedDelivery        // a Disposition or Source none of the named values
)

// deliveryKind is what d delivers, its zero Disposition and Source being
// Enforce and HeaderSource (model.PolicyDelivery.Normalized); a <meta>
// element cannot deliver a report-only policy (model.NewCSPList, D2).
func deliveryKind(d *model.PolicyDelivery) uint8 {
	report := false
	switch d.Disposition {
	case "", model.Enforce:
	case model.Report:
		report = true
	default:
		return unnamedDelivery
	}
	switch d.Source {
	case "", model.HeaderSource:
		if report {
			return reportHeader
		}
		return enforceHeader
	case model.MetaSource:
		if !report && d.Value != "" {
			return enforceMeta
		}
		return noPolicy
	}
	return unnamedDelivery
}

// addPolicy reads one serialized policy as #parse-serialized-policy does
// (the engine's parsePolicy, parse.go), keeping the first directive of each
// name a decision can consult, and adds it to the list when it has one.
func (c *CSP) addPolicy(serialized string, report, meta bool, delivery int) {
	// The policy is read in place, in the list's next slot; the slots past
	// the list's length are always zero.
	n := len(c.policies)
	if n < cap(c.policies) {
		c.policies = c.policies[:n+1]
	} else {
		c.policies = append(c.policies, compiledPolicy{})
	}
	p := &c.policies[n]
	// Splitting the trimmed text on ';' gives the tokens splitting the
	// policy does, but for whitespace that trimming each token drops.
	text := trimSpace(serialized)
	long := len(text) > maxOffset
	for pos := 0; pos <= len(text); {
		id, named, k, stop, next := directiveAt(text, pos)
		// Only the directives a decision consults matter, so only theirs
		// are checked for non-ASCII (which drops the whole directive).
		if named && p.has&(1<<id) == 0 && isASCIIString(text[k:stop]) {
			p.has |= 1 << id
			if !long {
				p.start[id] = uint16(k)
			}
		}
		pos = next
	}
	if p.has == 0 {
		// No request consults this policy: it never reports or blocks a
		// request. The checks beyond requests may read it (keepOther).
		*p = compiledPolicy{}
		c.policies = c.policies[:n]
		c.keepOther(text, report, meta, delivery)
		return
	}
	p.report, p.meta, p.text, p.delivery = report, meta, text, int32(delivery)
}

// directiveAt reads the token of text that starts at pos and ends at the
// next ';' or the end: named says it names a directive a decision
// consults, id, whose value (before the ASCII check) is text[k:stop] (k
// and id mean nothing when it does not); the next token starts at next.
func directiveAt(text string, pos int) (id dirID, named bool, k, stop, next int) {
	end := len(text)
	if j := strings.IndexByte(text[pos:], ';'); j >= 0 {
		end = pos + j
	}
	// The token is text[start:stop], trimmed.
	start := pos
	stop = end
	for start < stop && isSpace(text[start]) {
		start++
	}
	for stop > start && isSpace(text[stop-1]) {
		stop--
	}
	id, k, named = dirAt(text, start, stop)
	return id, named, k, stop, end + 1
}

// otherDeciders returns the deciders of effective directive e, laying them
// out on first use. Decide calls it when its own look at the ready word
// did not find e laid out first; it answers for any e.
func (c *CSP) otherDeciders(e effective) []decider {
	// The lay-out of e may have ended since Decide looked, and e may
	// then be the first laid out, whose deciders are not in more: laidOut
	// looks in both.
	if c.ready.Load()&(uint32(1)<<(e&31)) != 0 {
		return c.laidOut(e)
	}
	return c.layOut(e)
}

// laidOut returns the deciders of e once e is laid out (its ready bit
// set, after which the word's first-laid-out number no longer changes),
// with or without mu: in first when e was laid out first, else in more
// (none when no policy has a directive for e).
func (c *CSP) laidOut(e effective) []decider {
	if c.ready.Load()>>firstShift == uint32(e)+1 {
		return unsafe.Slice(c.first, c.firstLen)
	}
	if m := c.more.Load(); m != nil {
		return m[e]
	}
	return nil
}

// layOut lays out the deciders of e, once: a concurrent first use waits
// for the lay-out another goroutine has begun.
func (c *CSP) layOut(e effective) []decider {
	c.mu.Lock()
	ready := c.ready.Load()
	if ready&(1<<e) != 0 {
		c.mu.Unlock()
		return c.laidOut(e)
	}
	// At most one decider per policy.
	var ds []decider
	if n := len(c.policies); n <= len(c.inline) && ready>>firstShift == 0 {
		ds = c.inline[:0:n]
	} else {
		n = 0
		for i := range c.policies {
			if _, ok := c.policies[i].deciding(e); ok {
				n++
			}
		}
		if n > 0 {
			ds = make([]decider, 0, n)
		}
	}
	for i := range c.policies {
		p := &c.policies[i]
		id, ok := p.deciding(e)
		if !ok {
			continue
		}
		ds = ds[:len(ds)+1]
		dc := &ds[len(ds)-1]
		dc.body, dc.enforced, dc.policy, dc.dir = bodyOf(id), !p.report, p, id
		if id == dirDefault || id == dirChild {
			dc.body = bodyOfEffective[e]
		}
		if l := c.compiled(i, id); l != nil {
			dc.list = *l
		} else {
			compileSourceList(&dc.list, p.value(id), c.selfSchemes())
		}
	}
	switch {
	case ready>>firstShift == 0:
		c.first, c.firstLen = unsafe.SliceData(ds), uint32(len(ds))
		c.ready.Or(1<<e | (uint32(e)+1)<<firstShift)
	case len(ds) == 0:
		// Nothing to keep: more stays unallocated until some effective
		// directive has deciders.
		c.ready.Or(1 << e)
	default:
		m := c.more.Load()
		if m == nil {
			m = new([numEffective][]decider)
			c.more.Store(m)
		}
		m[e] = ds
		c.ready.Or(1 << e)
	}
	c.mu.Unlock()
	return ds
}

// compiled returns the list of directive id of policies[i] when a lay-out
// has compiled it already, or nil. Called under mu.
func (c *CSP) compiled(i int, id dirID) *sourceList {
	p := &c.policies[i]
	ready := c.ready.Load()
	if ready&(1<<numEffective-1|hintsReady) == 0 {
		return nil // nothing laid out yet
	}
	for e := range numEffective {
		if ready&(1<<e) == 0 {
			continue
		}
		ds := c.laidOut(e)
		for k := range ds {
			if dc := &ds[k]; dc.policy == p && dc.dir == id {
				return &dc.list
			}
		}
	}
	if ready&hintsReady != 0 && p.has&(1<<dirDefault) != 0 && id != dirDefault {
		// hints[i] holds the lists of p's directives in dirID order.
		k := 0
		for other := dirDefault + 1; other < id; other++ {
			if p.has&(1<<other) != 0 {
				k++
			}
		}
		return c.rare.Load().hints[i][k]
	}
	return nil
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
	any := false
	for i := range c.policies {
		any = any || c.policies[i].has&(1<<dirDefault) != 0
	}
	if !any {
		// No policy has default-src, so no hint is ever blocked and no
		// list is consulted.
		c.ready.Or(hintsReady)
		return
	}
	hints := make([][]*sourceList, len(c.policies))
	for i := range c.policies {
		p := &c.policies[i]
		if p.has&(1<<dirDefault) == 0 {
			continue
		}
		for id := dirDefault + 1; id < numDirs; id++ {
			if p.has&(1<<id) == 0 {
				continue
			}
			l := c.compiled(i, id)
			if l == nil {
				l = new(sourceList)
				compileSourceList(l, p.value(id), c.selfSchemes())
			}
			hints[i] = append(hints[i], l)
		}
	}
	c.setRare(func(r *rareParts) { r.hints = hints })
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
// differential (FuzzParsePolicy). A delivery whose Disposition or Source
// is none of the named values comes first, as model.NewCSPList keeps it
// (D6); Compile refuses such a list instead (CSP.Err).
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

// MatchSourceList reports whether url matches the source list of the given
// expressions under the engine's compiled form, with self as the origin
// 'self' and scheme-less sources resolve against: the engine's half of the
// source-expression differential (FuzzSourceExpression). It compiles the
// list on every call.
func MatchSourceList(expressions []string, url model.URL, self model.Origin, redirectCount int) bool {
	// #match-url-to-source-list steps 2-3 look at the list as given.
	if len(expressions) == 0 || len(expressions) == 1 && equalFoldLower(expressions[0], "'none'") {
		return false
	}
	// The compiled form reads a directive value, whose expressions ASCII
	// whitespace separates. An expression that holds whitespace matches no
	// grammar, so it is left out rather than split.
	var b []byte
	for _, e := range expressions {
		if e == "" || fieldsContainSpace(e) {
			continue
		}
		b = append(append(b, e...), ' ')
	}
	// (If what is left is « 'none' », it came with others, and matches
	// nothing either way.)
	c := new(CSP)
	c.setSelf(&self)
	var l sourceList
	compileSourceList(&l, string(b), c.selfSchemes())
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
