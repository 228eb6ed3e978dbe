package engine

import (
	"fmt"
	"math/bits"
	"slices"
	"strings"
	"sync"
	"testing"
	"unsafe"

	"github.com/cspmodel/cspmodel/model"
)

// FuzzEngineInternals holds the engine to itself where the fuzz package's
// targets, which see only its API, cannot look. They compare decisions with
// the model's; this one decides each request on CSPs in every internal state
// and under every internal limit, and asks that the decision be the same
// and that the state move as scan.go and compile.go say it does:
//
//   - fresh, decided three times (a scan, which allocates nothing; a
//     lay-out; then neither), laid out eagerly, after warm-up requests of
//     other effective directives, and by two goroutines at once. Each
//     decision's change to the ready word is held to the request's first
//     decision on a fresh CSP (which effective directive, scanned or laid
//     out), so that a request is scanned only when its own directive is
//     neither scanned nor laid out, and laid out by the next; and that
//     first decision is held to scan.go's rule for what a scan decides.
//     Lay-outs share the lists they compile and index long host sets.
//   - with directive values cut into windows of a few bytes, and policy
//     texts too long to keep offsets for (the 4 GiB and 64 KiB limits,
//     shortened);
//   - with the host-part limit at the longest host-part (nothing changes)
//     and below it (a host-source over the limit decides as 'none');
//   - with the delivery limit at the list's length (nothing changes) and one
//     less (every decision refused, Blocked);
//   - and an inline check of the same policies, which digests its text at
//     most once per hash algorithm, on a list for the checks compiled once
//     and shared by the inline types a directive decides.
//
// The file stands alone: go-118-fuzz-build compiles only the file that
// defines a target (docs/fuzzing.md). Its first eleven arguments are
// FuzzDecide's, in the same encoding (fuzz/args.go), so the fuzz package
// seeds its libFuzzer corpus from FuzzDecide's seeds (fuzz/targets.go);
// warm, order and limit pick the warm-ups, their order, the inline type
// and the limits.
func FuzzEngineInternals(f *testing.F) {
	for i, s := range internalsSeeds() {
		b := uint8(i * 37)
		f.Add(s.policies, internalsSelf, s.urls, s.kind, s.destination, s.initiator, s.mode, s.nonce, s.integrity, s.parser, s.webTransport, b, uint8(i), uint8(i*7))
	}
	f.Fuzz(func(t *testing.T, policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser, webTransport string, warm, order, limit uint8) {
		in, ok := internalsInputOf(policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser, webTransport)
		if !ok {
			return
		}
		if msg := in.check(warm, order, limit); msg != "" {
			t.Fatalf("policies %q, self %q, request %+v, warm %#x, order %#x, limit %d:\n%s", policies, selfOrigin, in.r, warm, order, limit, msg)
		}
	})
}

// internalsInput is a decoded input: the deliveries, the self-origin and
// the request.
type internalsInput struct {
	deliveries []model.PolicyDelivery
	self       model.Origin
	r          Request
}

// internalsInputOf decodes FuzzDecide's arguments (fuzz/args.go): policies
// one per line, a first byte of e, r, m or M naming the kind of delivery
// and 0x1E standing for a line feed; the URL list one per line; the
// WebTransport hashes one per line. It reports false for an input no
// request can be built from (a self-origin or URL that does not parse, a
// kind no API has); the fuzz package's targets decide those.
func internalsInputOf(policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser, webTransport string) (internalsInput, bool) {
	var in internalsInput
	if policies != "" {
		for _, line := range strings.Split(policies, "\n") {
			d := model.PolicyDelivery{Value: line, Disposition: model.Enforce, Source: model.HeaderSource}
			if line != "" {
				switch line[0] {
				case 'e':
					d.Value = line[1:]
				case 'r':
					d.Value, d.Disposition = line[1:], model.Report
				case 'm':
					d.Value, d.Source = line[1:], model.MetaSource
				case 'M':
					d.Value, d.Source, d.Disposition = line[1:], model.MetaSource, model.Report
				}
				d.Value = strings.ReplaceAll(d.Value, "\x1e", "\n")
			}
			in.deliveries = append(in.deliveries, d)
		}
	}
	var err error
	if in.self, err = ParseOrigin(selfOrigin); err != nil {
		return in, false
	}
	if kind != "" {
		k, ok := ParseKind(kind)
		if !ok {
			return in, false
		}
		in.r.Kind = k
	} else {
		in.r.Destination, in.r.Initiator, in.r.Mode = destination, initiator, mode
	}
	for _, s := range strings.Split(urls, "\n") {
		var u model.URL
		if ParseURLInto(&u, s) != nil {
			return in, false
		}
		in.r.URLs = append(in.r.URLs, u)
	}
	in.r.Nonce, in.r.Integrity, in.r.ParserMetadata = nonce, integrity, parser
	if webTransport != "" {
		in.r.WebTransportHashes = strings.Split(webTransport, "\n")
	}
	return in, true
}

// internalsOutcome is a decision as data: the verdict, the error and every
// field of every violation.
type internalsOutcome struct {
	verdict    model.Verdict
	err        string
	violations []string
	// untexted are the violations without the policies' texts.
	untexted []string
}

func (o internalsOutcome) String() string {
	s := fmt.Sprintf("%v", o.verdict)
	if o.err != "" {
		s += " (error: " + o.err + ")"
	}
	for _, v := range o.violations {
		s += "\n    " + v
	}
	return s
}

func (o internalsOutcome) equal(p internalsOutcome) bool {
	return o.verdict == p.verdict && o.err == p.err && slices.Equal(o.violations, p.violations)
}

// equalBut is equal but for the policies' texts.
func (o internalsOutcome) equalBut(p internalsOutcome) bool {
	return o.verdict == p.verdict && o.err == p.err && slices.Equal(o.untexted, p.untexted)
}

// decideAll decides r on c with a fresh Decision.
func decideAll(c *CSP, r *Request) internalsOutcome {
	var d Decision
	err := c.Decide(r, &d)
	o := internalsOutcome{verdict: d.Verdict}
	if err != nil {
		o.err = err.Error()
	}
	for i := range d.Violations {
		v := &d.Violations[i]
		rest := fmt.Sprintf("%s for %s, %s, %s, hop %d, %s", v.Directive(), v.EffectiveDirective(), v.Disposition(), v.Check(), v.RedirectCount, v.BlockedURI())
		o.violations = append(o.violations, fmt.Sprintf("policy %d %q, %s", v.Policy(), v.OriginalPolicy(), rest))
		o.untexted = append(o.untexted, fmt.Sprintf("policy %d, %s", v.Policy(), rest))
	}
	return o
}

// internalsWarmUps are requests of every effective directive, decided on a
// CSP before the request under test.
var internalsWarmUps = []Request{
	{Kind: KindFetch}, {Destination: "image"}, {Destination: "script"}, {Destination: "style"},
	{Destination: "font"}, {Destination: "iframe"}, {Destination: "worker"}, {Destination: "manifest"},
	{Destination: "object"}, {Destination: "video"}, {Destination: "report"}, {Initiator: "prefetch"},
}

// move is what one decision did to a CSP's ready word: the effective
// directive it scanned or laid out (-1 for none), and whether the resource
// hints' lists became ready.
type move struct {
	eff   int
	scan  bool
	hints bool
}

func (m move) String() string {
	switch {
	case m.eff < 0 && m.hints:
		return "the hints' lists compiled"
	case m.eff < 0:
		return "nothing"
	}
	s := "laid out " + effectiveNames[m.eff]
	if m.scan {
		s = "scanned " + effectiveNames[m.eff]
	}
	if effectiveNames[m.eff] == "" {
		s += "(none)"
	}
	if m.hints {
		s += ", the hints' lists compiled"
	}
	return s
}

const effMask = 1<<numEffective - 1

// moveOf reads the move from before to after, or says why no decision
// makes it: a bit cleared, more than one effective directive touched, or
// the first-laid-out number changed other than by the first lay-out.
func moveOf(before, after uint32) (move, string) {
	m := move{eff: -1}
	if before == refusedReady || after == refusedReady {
		if before != after {
			return m, fmt.Sprintf("the ready word went from %#x to %#x: a refusing CSP never changes, and no other becomes one", before, after)
		}
		return m, ""
	}
	if before&^after != 0 {
		return m, fmt.Sprintf("the ready word went from %#x to %#x: a bit was cleared", before, after)
	}
	added := after &^ before
	scanned, laid := added>>scanShift&effMask, added&effMask
	m.hints = added&hintsReady != 0
	switch {
	case bits.OnesCount32(scanned)+bits.OnesCount32(laid) > 1:
		return m, fmt.Sprintf("the ready word went from %#x to %#x: one decision scanned %#x and laid out %#x", before, after, scanned, laid)
	case scanned != 0:
		m.eff, m.scan = bits.TrailingZeros32(scanned), true
	case laid != 0:
		m.eff = bits.TrailingZeros32(laid)
	}
	first, firstAfter := before>>firstShift, after>>firstShift
	switch {
	case first != 0 && firstAfter != first:
		return m, fmt.Sprintf("the ready word went from %#x to %#x: the first effective directive laid out changed", before, after)
	case first == 0 && laid != 0 && firstAfter != uint32(m.eff)+1:
		return m, fmt.Sprintf("the ready word went from %#x to %#x: the first lay-out, of %s, is not noted as first", before, after, effectiveNames[m.eff])
	case first == 0 && laid == 0 && firstAfter != 0:
		return m, fmt.Sprintf("the ready word went from %#x to %#x: a first lay-out noted with none", before, after)
	}
	return m, ""
}

// expectedMove is the move a request makes on a CSP whose ready word is
// before, given the move its first decision made on a fresh one (fresh):
// nothing once its directive is laid out, a lay-out once it was scanned,
// and otherwise what it did fresh; a resource hint compiles the hints'
// lists if they are not yet.
func expectedMove(fresh move, before uint32, hint bool) move {
	m := move{eff: -1, hints: hint && before&hintsReady == 0}
	if before == refusedReady || fresh.eff < 0 {
		m.hints = false
		return m
	}
	switch {
	case before&(1<<fresh.eff) != 0:
	case before&(1<<(scanShift+fresh.eff)) != 0:
		m.eff = fresh.eff
	default:
		m.eff, m.scan = fresh.eff, fresh.scan
	}
	return m
}

// internalsRun decides requests on one CSP and holds each decision to want
// and each move of the ready word to expectedMove.
type internalsRun struct {
	c     *CSP
	want  internalsOutcome
	fresh move // the request's move on a fresh CSP
	hint  bool // the request is a resource hint
	what  string
}

// decide decides r on the run's CSP and reports how its decision or move
// is wrong, or "".
func (run *internalsRun) decide(r *Request, n int) string {
	before := run.c.ready.Load()
	got := decideAll(run.c, r)
	after := run.c.ready.Load()
	if !got.equal(run.want) {
		return fmt.Sprintf("%s, decision %d:\n  want %v\n  got  %v", run.what, n, run.want, got)
	}
	m, msg := moveOf(before, after)
	if msg != "" {
		return fmt.Sprintf("%s, decision %d: %s", run.what, n, msg)
	}
	if want := expectedMove(run.fresh, before, run.hint); m != want {
		return fmt.Sprintf("%s, decision %d: the ready word went from %#x to %#x (%v); want %v, since the request's first decision on a fresh CSP %v",
			run.what, n, before, after, m, want, run.fresh)
	}
	return ""
}

// freshRun compiles a CSP and decides the request on it once: its
// decision and move are what every other run of the same limits is held to.
func (in *internalsInput) freshRun(what string) (*internalsRun, string) {
	run := &internalsRun{c: Compile(in.deliveries, in.self), what: what}
	run.hint = in.r.Kind == KindNone && (in.r.Initiator == "prefetch" || in.r.Initiator == "prerender")
	before := run.c.ready.Load()
	run.want = decideAll(run.c, &in.r)
	m, msg := moveOf(before, run.c.ready.Load())
	if msg != "" {
		return nil, fmt.Sprintf("%s, decision 1: %s", what, msg)
	}
	refused := run.want.err != ""
	switch {
	case refused && (m.eff >= 0 || m.hints):
		return nil, fmt.Sprintf("%s, decision 1: refused (%s), but the CSP %v", what, run.want.err, m)
	case refused && run.want.verdict != model.Blocked:
		return nil, fmt.Sprintf("%s, decision 1: refused (%s) with a verdict of %v", what, run.want.err, run.want.verdict)
	case !refused && m.eff < 0:
		return nil, fmt.Sprintf("%s, decision 1: decided %v, but neither scanned nor laid out its effective directive", what, run.want.verdict)
	case !refused && m.hints != run.hint:
		return nil, fmt.Sprintf("%s, decision 1: %v, for a request that is a resource hint: %v", what, m, run.hint)
	case !refused && m.scan != scans(run.c, &in.r, effective(m.eff), run.hint):
		return nil, fmt.Sprintf("%s, decision 1: %v; scan.go says a scan decides it: %v", what, m, !m.scan)
	}
	run.fresh = m
	if m.scan {
		if msg := in.scanAllocs(len(run.want.violations)); msg != "" {
			return nil, what + ", decision 1: " + msg
		}
	}
	return run, ""
}

// scanAllocs reports a scan that allocates: a first decision the URL
// alone decides reads the policies' texts and builds nothing (scan.go), so
// into a Decision with room for its violations it allocates nothing, but
// for the blob: URL whose path (*CSP).Decide documents that it parses. It
// counts with testing.AllocsPerRun, each run scanning on a CSP of its own;
// a libFuzzer build has none (allocsCounted), and its instrumentation
// allocates where a plain build does not, so there it counts nothing.
func (in *internalsInput) scanAllocs(violations int) string {
	if !allocsCounted() {
		return ""
	}
	for _, u := range in.r.URLs {
		if u.Scheme == "blob" {
			return ""
		}
	}
	const runs = 3 // and AllocsPerRun's warm-up
	var cs [runs + 1]*CSP
	var ds [runs + 1]Decision
	for i := range cs {
		cs[i], ds[i].Violations = Compile(in.deliveries, in.self), make([]Violation, 0, violations)
	}
	next := 0
	n := testing.AllocsPerRun(runs, func() { _ = cs[next].Decide(&in.r, &ds[next]); next++ })
	for _, c := range cs {
		if c.ready.Load()>>scanShift&effMask == 0 {
			return "" // not the scan measured before: checked elsewhere
		}
	}
	if n != 0 {
		return fmt.Sprintf("the scan made %v allocations, into a Decision with room for its %d violations; a scan allocates nothing", n, violations)
	}
	return ""
}

// allocsCounted reports whether testing.AllocsPerRun counts: go-118-fuzz-
// build's stand-in for package testing panics instead.
var allocsCounted = sync.OnceValue(func() (ok bool) {
	defer func() {
		if recover() != nil {
			ok = false
		}
	}()
	testing.AllocsPerRun(1, func() {})
	return true
})

// scans reports whether scan.go says a scan decides r, the first request
// of eff on c: a request that is no resource hint and no WebTransport
// request with hashes, each of whose policies' deciding directives checks
// the URL alone (connect-src's check or one before it) in a text short
// enough for offsets. The rule is written again from scan.go's
// documentation rather than by calling scannable and scanDecide's own
// tests, so that a change to those shows here.
func scans(c *CSP, r *Request, eff effective, hint bool) bool {
	if hint || r.Kind == KindNone && r.Mode == "webtransport" && len(r.WebTransportHashes) > 0 {
		return false
	}
	for i := range c.policies {
		p := &c.policies[i]
		id, ok := p.deciding(eff)
		if !ok {
			continue
		}
		b := bodyOf(id)
		if id == dirDefault || id == dirChild {
			b = bodyOfEffective[eff]
		}
		if b > bodyConnect || len(p.text) > maxOffset {
			return false
		}
	}
	return true
}

// sharedLists reports a directive of a policy whose list two of c's
// laid-out effective directives compiled each for itself rather than
// sharing one (compile.go's compiled), or a list not indexed as its length
// asks (indexed), or "".
func sharedLists(c *CSP) string {
	type key struct {
		p  *compiledPolicy
		id dirID
	}
	type storage struct {
		hosts *hostRec
		ix    *hostIndex
		rare  *rareSources
	}
	seen := map[key]storage{}
	ready := c.ready.Load()
	for e := range effective(numEffective) {
		if ready&(1<<e) == 0 {
			continue
		}
		for _, dc := range c.laidOut(e) {
			if msg := indexed(&dc.list); msg != "" {
				return fmt.Sprintf("%s of policy %d, laid out for %s: %s", dirNames[dc.dir], dc.policy.delivery, effectiveNames[e], msg)
			}
			k, s := key{dc.policy, dc.dir}, storage{unsafe.SliceData(dc.list.hosts), dc.list.ix, dc.list.rare}
			if s == (storage{}) {
				continue // nothing compiled to share
			}
			if old, ok := seen[k]; ok && old != s {
				return fmt.Sprintf("%s of policy %d compiled again for %s", dirNames[dc.dir], dc.policy.delivery, effectiveNames[e])
			}
			seen[k] = s
		}
	}
	return ""
}

// indexed reports a host set of l that is not indexed as sources.go says:
// one of more than flatMax host-sources has an index, and a shorter one
// is scanned flat.
func indexed(l *sourceList) string {
	sets := []*hostSet{&l.hostSet}
	if l.rare != nil {
		for i := range l.rare.more {
			sets = append(sets, &l.rare.more[i])
		}
	}
	for i, hs := range sets {
		if (len(hs.hosts) > flatMax) != (hs.ix != nil) {
			return fmt.Sprintf("host set %d holds %d host-sources, indexed: %v", i, len(hs.hosts), hs.ix != nil)
		}
	}
	return ""
}

// check decides the input's request in every state and under every limit
// and reports the first difference, or "".
func (in *internalsInput) check(warm, order, limit uint8) string {
	run, msg := in.freshRun("fresh")
	if msg != "" {
		return msg
	}
	want, fresh := run.want, run.fresh
	// The same CSP twice more: the second decision lays out what the first
	// scanned, the third changes nothing.
	for n := 2; n <= 3; n++ {
		if msg := run.decide(&in.r, n); msg != "" {
			return msg
		}
	}
	// Laid out eagerly, the hints' lists first and the effective directives
	// in reverse order: nothing left to scan or lay out.
	eager := &internalsRun{c: Compile(in.deliveries, in.self), want: want, fresh: fresh, hint: run.hint, what: "laid out eagerly"}
	eager.c.hintLists()
	for e := range numEffective {
		eager.c.layOut(numEffective - 1 - effective(e))
	}
	if msg := eager.decide(&in.r, 1); msg != "" {
		return msg
	}
	if msg := sharedLists(eager.c); msg != "" {
		return "laid out eagerly: " + msg
	}
	if msg := in.warmedUp(run, warm, order); msg != "" {
		return msg
	}
	if msg := in.windows(want, 1+int(limit)); msg != "" {
		return msg
	}
	if msg := in.hostPartLimits(want, limit); msg != "" {
		return msg
	}
	if msg := in.deliveryLimits(want); msg != "" {
		return msg
	}
	if msg := in.inlineDigests(order >> 6); msg != "" {
		return msg
	}
	if limit&1 != 0 {
		return in.concurrent(want)
	}
	return ""
}

// inlineTypes are the inline types an input's order picks.
var inlineTypes = [4]string{model.InlineScript, model.InlineScriptAttribute, model.InlineStyle, model.InlineStyleAttribute}

// inlineDigests decides an inline check of the input's policies (its type
// picked by typ; a <script> or <style> element carrying the request's nonce,
// not parser-inserted when its parser metadata says so; the request's
// integrity metadata as the text) fresh, again into the same decision, and
// on a CSP that decided the request first: the decisions must agree, and
// none may digest the text more than once per algorithm the policies' hash-
// sources name (decide_checks.go's digested).
func (in *internalsInput) inlineDigests(typ uint8) string {
	name := inlineTypes[typ&3]
	el := model.Element{LocalName: "script", NotParserInserted: in.r.ParserMetadata == "not-parser-inserted"}
	if typ&2 != 0 {
		el.LocalName = "style"
	}
	if in.r.Nonce != "" {
		el.Attributes = []model.Attribute{{Name: "nonce", Value: in.r.Nonce}}
	}
	algs := 0
	for _, alg := range []string{"'sha256-", "'sha384-", "'sha512-"} {
		for _, d := range in.deliveries {
			if strings.Contains(strings.ToLower(d.Value), alg) {
				algs++
				break
			}
		}
	}
	decide := func(c *CSP, d *CheckDecision) (string, int) {
		err := c.DecideInline(model.WindowGlobal, &el, name, in.r.Integrity, d)
		s := fmt.Sprintf("%v, error %v", d.Verdict, err)
		for i := range d.Violations {
			v := &d.Violations[i]
			s += fmt.Sprintf("\n    policy %d, %s for %s, %s", v.Policy(), v.Directive(), v.EffectiveDirective(), v.Disposition())
		}
		return s, d.matcher.digested
	}
	c, d := Compile(in.deliveries, in.self), new(CheckDecision)
	want, n := decide(c, d)
	after := Compile(in.deliveries, in.self)
	decideAll(after, &in.r)
	for _, run := range []struct {
		what string
		c    *CSP
		d    *CheckDecision
	}{{"fresh", nil, nil}, {"again, into the same decision", c, d}, {"on a CSP that decided the request first", after, new(CheckDecision)}} {
		got, m := want, n
		if run.c != nil {
			got, m = decide(run.c, run.d)
		}
		if got != want {
			return fmt.Sprintf("%s check of %q, %s:\n  want %s\n  got  %s", name, in.r.Integrity, run.what, want, got)
		}
		if m > algs {
			return fmt.Sprintf("%s check of %q, %s: %d digests of the text; the policies' hash-sources name %d algorithm(s)", name, in.r.Integrity, run.what, m, algs)
		}
	}
	return checksOnce(c, after)
}

// checksOnce reports the list compiled for the checks compiled again, or
// dropped by the resource hints' lists, or those lists dropped by the
// checks' (checks.go's setRare), or a directive's inline list compiled for
// each inline type it decides rather than shared (compileChecks), on a and
// b, CSPs that decided a check.
func checksOnce(a, b *CSP) string {
	for _, c := range []*CSP{a, b} {
		l := c.Checks()
		var hints *[]*sourceList
		if r := c.rare.Load(); r != nil && len(r.hints) > 0 {
			hints = &r.hints[0]
		}
		c.hintLists()
		if c.Checks() != l {
			return "the list for the checks was compiled again, after the resource hints' lists"
		}
		if r := c.rare.Load(); hints != nil && (r == nil || len(r.hints) == 0 || &r.hints[0] != hints) {
			return "the resource hints' lists were dropped or compiled again after the checks' list"
		}
		for i := range l.policies {
			p := &l.policies[i]
			byDir := map[checkDir]*inlineList{}
			for e := range numInlineEff {
				il, dir := p.inline[e], p.inlineDir[e]
				if prev, ok := byDir[dir]; ok && il != nil && prev != il {
					return fmt.Sprintf("policy %d of the checks' list: %s compiled again for inline type %d", i, checkDirNames[dir], e)
				}
				if il != nil {
					byDir[dir] = il
				}
			}
		}
	}
	return ""
}

// warmedUp decides the request after warm-ups: bit i of warm picks the
// warm-up (i + order's low nibble) mod 12, which gets the request's first
// URL; order's 0x10 decides each once (scanned, not laid out), else twice;
// 0x20 gives each a nonce and parser metadata, so that those of
// script-src and style-src are laid out from their first decision.
func (in *internalsInput) warmedUp(fresh *internalsRun, warm, order uint8) string {
	run := *fresh
	run.c, run.what = Compile(in.deliveries, in.self), fmt.Sprintf("after warm-ups %#x in order %#x", warm, order)
	for i := range 8 {
		if warm&(1<<i) == 0 {
			continue
		}
		w := internalsWarmUps[(i+int(order&0xf))%len(internalsWarmUps)]
		w.URLs = in.r.URLs[:1]
		if order&0x20 != 0 {
			w.Nonce, w.ParserMetadata = "n", "parser-inserted"
		}
		for range 2 - int(order>>4&1) {
			before := run.c.ready.Load()
			decideAll(run.c, &w)
			if _, msg := moveOf(before, run.c.ready.Load()); msg != "" {
				return fmt.Sprintf("%s, warm-up %+v: %s", run.what, w, msg)
			}
		}
	}
	for n := 1; n <= 2; n++ {
		if msg := run.decide(&in.r, n); msg != "" {
			return msg
		}
	}
	if msg := sharedLists(run.c); msg != "" {
		return run.what + ": " + msg
	}
	return ""
}

// windows decides the request with directive values cut into hostSets of
// at most window bytes and policy texts longer than window bytes kept
// without offsets (which a scan does not read: such a request is laid out
// from its first decision), fresh and eagerly laid out.
func (in *internalsInput) windows(want internalsOutcome, window int) string {
	oldWindow, oldOffset := maxWindow, maxOffset
	maxWindow, maxOffset = window, window
	defer func() { maxWindow, maxOffset = oldWindow, oldOffset }()
	what := fmt.Sprintf("windows of %d bytes", window)
	run, msg := in.freshRun(what)
	if msg != "" {
		return msg
	}
	if !run.want.equal(want) {
		return fmt.Sprintf("%s, decision 1:\n  want %v\n  got  %v", what, want, run.want)
	}
	for n := 2; n <= 3; n++ {
		if msg := run.decide(&in.r, n); msg != "" {
			return msg
		}
	}
	return ""
}

// hostPartLimits decides the request with the host-part limit at bounds
// no host-part of the policies is longer than (the same decision): the
// longest stretch without white space or ';', and the longest host-part;
// and, when they are shorter than that, one byte shorter and at limit
// bytes: a host-source over the limit matches nothing, so the request is
// decided as on policies with 'none' in its place (but for the policies'
// texts, which the violations quote).
func (in *internalsInput) hostPartLimits(want internalsOutcome, limit uint8) string {
	stretch := 0
	for _, d := range in.deliveries {
		for _, tok := range strings.FieldsFunc(d.Value, func(r rune) bool { return r == ';' || r < 0x80 && isSpace(byte(r)) }) {
			stretch = max(stretch, len(tok))
		}
	}
	longest := 0
	in.eachHostPart(func(_ *strings.Builder, _ string, n int) bool {
		longest = max(longest, n)
		return false
	})
	old := maxHostPart
	defer func() { maxHostPart = old }()
	for _, n := range []int{stretch, longest} {
		maxHostPart = uint64(n)
		if got := decideAll(Compile(in.deliveries, in.self), &in.r); !got.equal(want) {
			return fmt.Sprintf("host-parts limited to %d bytes, which none is longer than:\n  want %v\n  got  %v", n, want, got)
		}
	}
	// Not 0: a "*" over the limit still matches as the star it also is.
	for _, n := range []int{longest - 1, int(limit)} {
		if n < 1 || n >= longest {
			continue
		}
		maxHostPart = uint64(n)
		got := decideAll(Compile(in.deliveries, in.self), &in.r)
		maxHostPart = old
		rewritten := in.eachHostPart(func(b *strings.Builder, tok string, m int) bool {
			if m <= n {
				return false
			}
			b.WriteString("'none'")
			return true
		})
		if wantOver := decideAll(Compile(rewritten, in.self), &in.r); !got.equalBut(wantOver) {
			return fmt.Sprintf("host-parts limited to %d bytes:\n  got  %v\n  want %v, as decided on %q", n, got, wantOver, rewritten)
		}
	}
	return ""
}

// eachHostPart calls f with each token of the deliveries' directive values
// that holds a host-part and that host-part's length, where compileSource
// reads one (a header's policies split at ',', a <meta>'s not; directives
// at ';'; hostPartTokens). It returns the deliveries with each such token
// written by f instead where f reports true.
func (in *internalsInput) eachHostPart(f func(b *strings.Builder, tok string, n int) bool) []model.PolicyDelivery {
	out := slices.Clone(in.deliveries)
	for i := range out {
		v, seps := out[i].Value, ";,"
		if out[i].Source == model.MetaSource {
			seps = ";"
		}
		var b strings.Builder
		for start := 0; start <= len(v); start++ {
			end := strings.IndexAny(v[start:], seps)
			if end < 0 {
				end = len(v)
			} else {
				end += start
			}
			hostPartTokens(&b, v[start:end], f)
			if end < len(v) {
				b.WriteByte(v[end])
			}
			start = end
		}
		out[i].Value = b.String()
	}
	return out
}

// hostPartTokens writes directive into b, token by token, calling f with
// each token that holds a host-part (every token but the directive's name
// and scheme-sources, from its start or after its scheme-part's "://" when
// something follows in the value) and writing the token itself where f
// reports false. A directive that is not ASCII is written as it is: the
// parser drops it whole (#parse-serialized-policy step 3.2), and 'none' in
// place of its non-ASCII token would bring it back.
func hostPartTokens(b *strings.Builder, directive string, f func(b *strings.Builder, tok string, n int) bool) {
	if !isASCIIString(directive) {
		b.WriteString(directive)
		return
	}
	last := len(directive) - 1 // the directive's last byte that is not white space
	for last >= 0 && isSpace(directive[last]) {
		last--
	}
	name := true
	for pos := 0; pos < len(directive); {
		if isSpace(directive[pos]) {
			b.WriteByte(directive[pos])
			pos++
			continue
		}
		end := tokenEnd(directive, pos)
		tok := directive[pos:end]
		j := 0 // the end of a scheme-part
		for j < len(tok) && byteClass[tok[j]]&cScheme != 0 {
			j++
		}
		schemed := j > 0 && isLetter(tok[0])
		h := 0 // where the host-part starts
		if schemed && strings.HasPrefix(tok[j:], "://") && pos+j+3 <= last {
			h = j + 3
		}
		n, _, ok := scanHostPart(tok[h:])
		if name || schemed && tok[j:] == ":" || !ok || !f(b, tok, n) {
			b.WriteString(tok)
		}
		name, pos = false, end
	}
}

// deliveryLimits decides the request with the delivery limit at the
// list's length (the same decision) and, for a list of more than one
// delivery (Compile takes one without counting), one less: refused,
// Blocked, with no violation.
func (in *internalsInput) deliveryLimits(want internalsOutcome) string {
	n := len(in.deliveries)
	if n < 2 {
		return ""
	}
	old := maxDeliveries
	defer func() { maxDeliveries = old }()
	maxDeliveries = n
	if got := decideAll(Compile(in.deliveries, in.self), &in.r); !got.equal(want) {
		return fmt.Sprintf("deliveries limited to %d, the list's length:\n  want %v\n  got  %v", n, want, got)
	}
	maxDeliveries = n - 1
	c := Compile(in.deliveries, in.self)
	if got := decideAll(c, &in.r); got.err == "" || got.verdict != model.Blocked || len(got.violations) != 0 || c.ready.Load() != refusedReady {
		return fmt.Sprintf("deliveries limited to %d, one less than the list's %d: %v, ready word %#x; want a refusal, Blocked", n-1, n, got, c.ready.Load())
	}
	return ""
}

// concurrent decides the request on a fresh CSP from two goroutines
// released at once: each must decide as one alone does.
func (in *internalsInput) concurrent(want internalsOutcome) string {
	c := Compile(in.deliveries, in.self)
	start := make(chan struct{})
	var got [2]internalsOutcome
	var wg sync.WaitGroup
	for i := range got {
		wg.Add(1)
		go func() {
			defer wg.Done()
			r := in.r
			<-start
			got[i] = decideAll(c, &r)
		}()
	}
	close(start)
	wg.Wait()
	for i := range got {
		if !got[i].equal(want) {
			return fmt.Sprintf("goroutine %d of two on a fresh CSP:\n  want %v\n  got  %v", i, want, got[i])
		}
	}
	return ""
}

// internalsSelf is the seeds' self-origin.
const internalsSelf = "https://a.example"

// internalsSeed is a seed's first eleven arguments but the self-origin.
type internalsSeed struct {
	policies, urls, kind, destination, initiator, mode, nonce, integrity, parser, webTransport string
}

// internalsSeeds are policies of each shape a state or limit matters to
// (one directive and many, report-only beside enforced, <meta>, lists past
// the flat scan, checks that look past the URL, several policies in one
// header), each with URLs that match and not, redirects, and requests of
// every effective directive and kind of check.
func internalsSeeds() []internalsSeed {
	long := "connect-src"
	for i := range 20 {
		long += fmt.Sprintf(" *.h%d.example https://p%d.example:84%02d/x/", i, i, i)
	}
	long += " *.a.example"
	policies := []string{
		"econnect-src a.example",
		"edefault-src 'none'",
		"edefault-src a.example; img-src b.example; connect-src *; font-src 'none'; object-src a.example",
		"rconnect-src 'none'; img-src 'self'\neconnect-src a.example",
		"escript-src 'nonce-abc' a.example; style-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=' 'self'",
		"escript-src 'strict-dynamic' 'nonce-abc'; worker-src b.example",
		"edefault-src 'self'",
		"mdefault-src *.example:* ; frame-src 'none'",
		"Mimg-src 'none'\nrdefault-src https:",
		"echild-src b.example; worker-src 'self'; manifest-src a.example/x",
		"e" + long,
		"edefault-src https: data: blob:; media-src 'none'",
		"econnect-src a.example, img-src 'none', default-src b.example",
		"econnect-src 'self'\neimg-src a.example\nrconnect-src *",
		"econnect-src b.example a.example http://c.example; img-src c.example b.example *.h7.example",
		"escript-src 'sha256-" + strings.Repeat("A", 43) + "=' 'sha256-" + strings.Repeat("E", 43) + "='; style-src 'sha256-" + strings.Repeat("B", 43) + "=' 'unsafe-hashes' 'sha256-" + strings.Repeat("C", 43) + "='",
		"escript-src 'sha256-" + strings.Repeat("A", 43) + "=' 'nonce-abc' 'sha256-" + strings.Repeat("E", 43) + "=' 'SHA384-" + strings.Repeat("C", 64) + "' 'unsafe-hashes'; style-src 'sha512-" + strings.Repeat("Q", 86) + "==' 'sha512-" + strings.Repeat("A", 86) + "==' 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='\nrdefault-src 'sha256-" + strings.Repeat("A", 43) + "=' 'sha256-" + strings.Repeat("B", 43) + "='",
		"",
	}
	urls := []string{
		"https://a.example/x", "https://b.example/", "http://a.example:8443/x/y", "wss://a.example/s",
		"https://x.h7.example/", "data:,x", "https://a.example/\nhttps://c.example/", "blob:https://a.example/uuid",
	}
	requests := []internalsSeed{
		{kind: "fetch"}, {kind: "xhr"}, {kind: "eventsource"}, {kind: "beacon"}, {kind: "ping"}, {kind: "websocket"},
		{destination: "image"}, {destination: "script"}, {destination: "style"}, {destination: "font"},
		{destination: "iframe"}, {destination: "worker"}, {destination: "manifest"}, {destination: "object"},
		{destination: "audio"}, {destination: "report"}, {initiator: "prefetch"}, {initiator: "prerender"},
		{destination: "script", nonce: "abc"}, {destination: "script", parser: "parser-inserted"},
		{destination: "style", integrity: "sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU="},
		{mode: "webtransport", webTransport: "a\nb"}, {destination: "img"},
	}
	var seeds []internalsSeed
	for _, p := range policies {
		for _, u := range urls {
			for _, r := range requests {
				r.policies, r.urls = p, u
				seeds = append(seeds, r)
			}
		}
	}
	return seeds
}
