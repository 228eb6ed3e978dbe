package engine

import (
	"encoding/base64"
	"strings"

	"github.com/cspmodel/cspmodel/model"
)

// This file compiles a CSP list for the checks that are not requests: the
// inline checks (#should-block-inline), eval (#can-compile-strings, with the
// Trusted Types checks it runs), WebAssembly (#can-compile-wasm-bytes),
// navigation requests (#should-block-navigation-request) and responses
// (#should-block-navigation-response), <base>
// (#allow-base-for-document), the sandbox (#sandbox-init and HTML's
// CSP-derived sandboxing flags) and WebRTC (#should-block-rtc-connection).
// The decisions are in decide_checks.go.
//
// The first such check compiles, once, every policy of the list: for each
// inline type, the directive that decides it (the first of its fallback
// list the policy has, #should-directive-execute), resolved here so that a
// decision looks at one directive per policy; that directive's nonces, its
// hashes decoded to digests and grouped by algorithm, and its keywords as
// flags; the directive eval and WebAssembly consult (script-src, else
// default-src) and its keywords; base-uri's, form-action's and
// frame-ancestors' source lists;
// whether webrtc blocks; and the sandbox's flags, which depend on the list
// alone.

// inlineEff numbers the effective directives of the inline checks.
type inlineEff uint8

const (
	effScriptElemInline inlineEff = iota // script, and javascript: navigations
	effScriptAttrInline                  // event handlers
	effStyleElemInline                   // <style>
	effStyleAttrInline                   // style attributes
	numInlineEff
)

// checkDir numbers the directives a check's violation names, as its
// directive or its effective directive; checkDirNames are their names.
type checkDir uint8

const (
	cdNone checkDir = iota
	// The effective directives of the inline checks, in inlineEff's order:
	// inlineEffDir(e) is cdScriptSrcElem+e.
	cdScriptSrcElem
	cdScriptSrcAttr
	cdStyleSrcElem
	cdStyleSrcAttr
	cdScriptSrc
	cdStyleSrc
	cdDefaultSrc
	cdRequireTrustedTypesFor
	cdBaseURI
	cdFormAction
	cdFrameAncestors
	cdWebRTC
	numCheckDirs
)

var checkDirNames = [numCheckDirs]string{"", "script-src-elem", "script-src-attr", "style-src-elem", "style-src-attr",
	"script-src", "style-src", "default-src", "require-trusted-types-for", "base-uri", "form-action", "frame-ancestors", "webrtc"}

// inlineEffDir is the effective directive of an inline check.
func inlineEffDir(e inlineEff) checkDir { return cdScriptSrcElem + checkDir(e) }

// inlineFallbacks are the fallback lists of the inline effective directives
// (#directive-fallback-list).
var inlineFallbacks = [numInlineEff][3]checkDir{
	{cdScriptSrcElem, cdScriptSrc, cdDefaultSrc},
	{cdScriptSrcAttr, cdScriptSrc, cdDefaultSrc},
	{cdStyleSrcElem, cdStyleSrc, cdDefaultSrc},
	{cdStyleSrcAttr, cdStyleSrc, cdDefaultSrc},
}

// checkCode numbers the checks a violation reports (model.Check);
// checkNames are their names.
type checkCode uint8

const (
	chkNone checkCode = iota
	chkInline
	chkEval
	chkWasm
	chkNavigationRequest
	chkNavigationResponse
	chkBase
	chkRTC
	numCheckCodes
)

var checkNames = [numCheckCodes]model.Check{"", model.CheckInline, model.CheckEval, model.CheckWasm,
	model.CheckNavigationRequest, model.CheckNavigationResponse, model.CheckBase, model.CheckRTC}

// resourceCode numbers the resources a check's violation can have when it
// is not a URL (#violation-resource); resourceNames are their strings, the
// null resource "".
type resourceCode uint8

const (
	resNull resourceCode = iota
	resInline
	resEval
	resWasmEval
	resTrustedTypesSink
	numResources
)

var resourceNames = [numResources]string{"", model.ResourceInline, model.ResourceEval, model.ResourceWasmEval, model.ResourceTrustedTypesSink}

// sampleCode says how a violation's sample is cut from its text: not at all,
// the text's first characters, or a Trusted Types sample, the sink's name
// ("eval" or "Function") and the first characters of the code.
type sampleCode uint8

const (
	sampleNone sampleCode = iota
	sampleText
	sampleEvalSink
	sampleFunctionSink
)

// Hash algorithms, as numbers.
const (
	algSHA256 = iota
	algSHA384
	algSHA512
	numAlgs
)

var digestLen = [numAlgs]int{32, 48, 64}

// inlineHash is a hash-source whose value is the base64 (or base64url) of a
// digest of the right length: the only ones that can match.
type inlineHash struct {
	alg    uint8
	digest [64]byte
}

// inlineList is a directive's source list as the inline checks read it
// (#match-element-to-source-list, #allow-all-inline).
type inlineList struct {
	unsafeInline  bool // 'unsafe-inline'
	nonceOrHash   bool // a nonce-source or a hash-source, valid or not
	strictDynamic bool // 'strict-dynamic'
	unsafeHashes  bool // 'unsafe-hashes'
	reportSample  bool // 'report-sample'
	nonces        []string
	hashes        []inlineHash
}

// evalFlags are the keywords of the directive eval and WebAssembly consult.
type evalFlags uint8

const (
	evalUnsafeEval evalFlags = 1 << iota
	evalWasmUnsafeEval
	evalTrustedTypesEval
	evalReportSample
)

// checkPolicy is one policy of the list, compiled for the checks.
type checkPolicy struct {
	text        string
	delivery    int
	disposition model.Disposition
	enforced    bool
	// inline[e] is the list of the directive that decides inline behavior
	// whose effective directive is e, named inlineDir[e]; nil when the
	// policy has none of e's fallback list.
	inline    [numInlineEff]*inlineList
	inlineDir [numInlineEff]checkDir
	// evalDir is cdScriptSrc, cdDefaultSrc or cdNone; evalFlags are its
	// keywords.
	evalDir   checkDir
	evalFlags evalFlags
	// trustedTypes: a require-trusted-types-for directive names 'script'.
	trustedTypes bool
	// base, formAction and frameAncestors are base-uri's, form-action's
	// and frame-ancestors' lists, or nil.
	base, formAction, frameAncestors *sourceList
	// webrtcBlocks: a webrtc directive whose value is not 'allow' alone.
	webrtcBlocks bool
}

// Checks is a CSP list compiled for the checks beyond requests, what
// (*CSP).Checks returns: its policies in CSP-list order (enforced headers,
// report-only headers, <meta> elements), the order the checks consult them
// and report in. Its Decide methods are the CSP's, less finding the compiled
// list; a caller that decides many checks on one CSP can hold it. It does
// not change once compiled, and is safe for concurrent use.
//
// A Checks comes from (*CSP).Checks, which never returns nil, and its
// methods take a non-nil CheckDecision: they do not test either pointer,
// so that no decision pays for it (the CSP's methods do test theirs). A
// zero Checks, which (*CSP).Checks did not compile, refuses every decision
// with ErrNotCompiled, but for DecideWasm, DecideRTC and DecideSandbox,
// which decide it Blocked with no error (their cost is Go's inlining
// budget, docs/performance.md).
type Checks struct {
	// csp is the CSP the list was compiled from, whose self-origin the
	// source lists match against; nil in a list that refuses every
	// decision (refusal) and in a zero Checks: a decision on a list with no
	// csp is refused (refusalOf).
	csp      *CSP
	policies []checkPolicy
	// self is csp's self-origin as the checks' matcher reads it.
	self selfTarget
	// ttEnforced: an enforced policy requires Trusted Types for scripts;
	// ttAny: any policy does, and tt are those policies, in order.
	ttEnforced, ttAny bool
	tt                []*checkPolicy
	// inline[e] are the policies that decide the inline checks whose
	// effective directive is e, in order, with the directive that does.
	inline [numInlineEff][]inlineEntry
	// bases, formActions and frameAncestors are the policies that have
	// base-uri, form-action and frame-ancestors, in order, with their
	// lists.
	bases, formActions, frameAncestors []policyList
	// evalReports are the policies whose script-src (else default-src)
	// blocks the compilation of strings, in order: it has neither
	// 'unsafe-eval' nor, when an enforced policy requires Trusted Types,
	// 'trusted-types-eval'. That depends on the list alone.
	evalReports []evalReport
	// evalLent are evalReports' violations, and evalVerdict their verdict,
	// when none asks for a sample (evalSampled is false): then, when Trusted
	// Types have no say, eval's violations depend on the list alone, and a
	// decision is lent them as WebAssembly's are.
	evalLent    []CheckViolation
	evalVerdict model.Verdict
	evalSampled bool
	// sandbox is the CSP-derived sandboxing flag set; workerBlocked says
	// an enforced sandbox keeps a worker from running.
	sandbox       model.SandboxingFlagSet
	workerBlocked bool
	// sandboxVerdict is DecideSandbox's verdict for each kind of global
	// object: Blocked for a worker when workerBlocked.
	sandboxVerdict [model.WorkletGlobal + 1]model.Verdict
	// wasm and rtc are the violations WebAssembly and WebRTC report, and
	// their verdicts: they depend on the list alone. Each slice's capacity
	// is its length, so that appending to a decision's Violations that
	// holds it (CheckDecision.lend) copies it instead of writing here.
	wasm, rtc               []CheckViolation
	wasmVerdict, rtcVerdict model.Verdict
	// refusal is the CSP's Err: when set, every decision is refused with
	// it, before anything else is looked at, and nothing else is compiled.
	refusal error
}

// uncompiledChecks is the list (*CSP).Checks returns for a nil CSP: it
// refuses every decision with ErrNotCompiled.
var uncompiledChecks = &Checks{refusal: ErrNotCompiled}

// refusalOf is the error of every decision on l, a list with no csp: its
// refusal, or ErrNotCompiled for a zero Checks.
func (l *Checks) refusalOf() error {
	if l.refusal == nil {
		return ErrNotCompiled
	}
	return l.refusal
}

// inlineEntry is a policy that decides an inline check, its directive and
// that directive's list.
type inlineEntry struct {
	p    *checkPolicy
	list *inlineList
	dir  checkDir
}

// policyList is a policy and one of its source lists, with what a match
// of a URL against that list can tell without reading the URL's host: the
// scheme bits every URL of which matches ("*" and the scheme-sources,
// #match-url-to-source-expression steps 1 and 3), and whether the list
// matches nothing.
type policyList struct {
	p    *checkPolicy
	list *sourceList
	// hosts are list's host-sources as the checks' matcher reads them
	// (checkHost), when slow is false; slow: the list has rare parts or
	// an index, which only (*CSP).matches reads.
	hosts []checkHost
	bits  uint8
	none  bool
	self  bool // 'self' is in the list
	star  bool // "*" is in the list
	slow  bool
}

// newPolicyList is p and list, the bits of the schemes list matches
// whatever the host read from it with self (the checks' self-origin).
func newPolicyList(p *checkPolicy, list *sourceList, self *selfTarget) policyList {
	e := policyList{p: p, list: list, none: list.none, self: list.self, star: list.star, slow: list.rare != nil || list.ix != nil}
	if !list.none {
		e.bits = list.schemeBits
		if list.star {
			e.bits |= self.starBits
		}
	}
	if !e.slow {
		e.hosts = compileCheckHosts(&list.hostSet)
	}
	return e
}

// evalReport is a policy whose directive blocks eval: its directive, and
// whether it asks for a sample.
type evalReport struct {
	p      *checkPolicy
	dir    checkDir
	sample bool
}

// rareParts are the parts of a CSP that few CSPs need, behind one pointer
// (CSP.rare) so that a CSP that never needs them does not pay for them.
// Compile sets others; later, under CSP.mu, a new rareParts replaces the
// old one whole (setRare), so that a reader that loaded it sees a value
// that no longer changes.
type rareParts struct {
	// hints[i] are the lists of the fetch directives but default-src of
	// policies[i], when it has default-src: what a resource hint consults
	// (hintLists, compile.go).
	hints [][]*sourceList
	// others are the policies Compile read that no request consults (a
	// lone frame-ancestors or sandbox header, say), which the checks
	// beyond requests read.
	others []otherPolicy
	// checks is the CSP list compiled for the checks beyond requests, nil
	// until the first such check.
	checks *Checks
	// selfScheme is the self-origin's scheme when it has no number
	// (selfOrigin), set by Compile.
	selfScheme string
	// refusal is the error of a CSP that refuses every decision (CSP.Err).
	refusal error
}

// otherPolicy is a policy no request consults, as Compile read it.
type otherPolicy struct {
	text     string
	delivery int32
	// at is how many policies CSP.policies held when this one was read:
	// it came after policies[:at] and before policies[at:], in the order
	// Compile reads the deliveries.
	at           int32
	report, meta bool
}

// keepOther keeps a policy no request consults for the checks beyond
// requests, if it has any text. Called by Compile only, before the CSP is
// shared.
func (c *CSP) keepOther(text string, report, meta bool, delivery int) {
	if text == "" {
		return
	}
	r := c.rare.Load()
	if r == nil {
		r = new(rareParts)
		c.rare.Store(r)
	}
	r.others = append(r.others, otherPolicy{text: text, delivery: int32(delivery), at: int32(len(c.policies)), report: report, meta: meta})
}

// setRare replaces c.rare by a copy that set changed. Called under mu.
func (c *CSP) setRare(set func(*rareParts)) {
	r := new(rareParts)
	if old := c.rare.Load(); old != nil {
		*r = *old
	}
	set(r)
	c.rare.Store(r)
}

// Checks returns c compiled for the checks beyond requests, compiling it
// on the first call (or the first check). Small enough to inline once
// compiled: a load and a test. For a nil or zero CSP it returns a list
// that refuses every decision with ErrNotCompiled, as the CSP does (Err).
func (c *CSP) Checks() *Checks {
	if c == nil {
		return uncompiledChecks
	}
	if r := c.rare.Load(); r != nil && r.checks != nil {
		return r.checks
	}
	return c.compileChecksOnce()
}

// compiledChecks returns the list compiled for the checks, or nil before
// the first check (then compileChecksOnce compiles it).
func (c *CSP) compiledChecks() *Checks {
	if r := c.rare.Load(); r != nil {
		return r.checks
	}
	return nil
}

// compileChecksOnce compiles the list for the checks unless another
// goroutine did first.
func (c *CSP) compileChecksOnce() *Checks {
	c.mu.Lock()
	defer c.mu.Unlock()
	if r := c.rare.Load(); r != nil && r.checks != nil {
		return r.checks
	}
	l := c.compileChecks()
	c.setRare(func(r *rareParts) { r.checks = l })
	return l
}

// checkPolicies returns the CSP list as the checks read it, in CSP-list
// order (enforced headers, report-only headers, <meta> elements, each in
// the order of the deliveries), parsed as cspList parses the deliveries:
// the policies a request consults (c.policies) and the others, reparsed from
// their texts.
func (c *CSP) checkPolicies() []parsedPolicy {
	var others []otherPolicy
	if r := c.rare.Load(); r != nil {
		others = r.others
	}
	// Every policy in the order Compile read them: report-only headers,
	// enforced headers, <meta> elements.
	all := make([]otherPolicy, 0, len(c.policies)+len(others))
	for i := range c.policies {
		for len(others) > 0 && int(others[0].at) <= i {
			all, others = append(all, others[0]), others[1:]
		}
		p := &c.policies[i]
		all = append(all, otherPolicy{text: p.text, delivery: p.delivery, report: p.report, meta: p.meta})
	}
	all = append(all, others...)
	var list []parsedPolicy
	for _, pass := range [...]struct{ report, meta bool }{{false, false}, {true, false}, {false, true}} {
		for _, o := range all {
			if o.report != pass.report || o.meta != pass.meta {
				continue
			}
			if !o.meta {
				if p := parsePolicy(o.text, disposition(o.report), model.HeaderSource, int(o.delivery)); len(p.directives) > 0 {
					list = append(list, p)
				}
				continue
			}
			// A <meta> element's policy goes without the directives it
			// cannot deliver, as in cspList.
			p := parsePolicy(o.text, model.Enforce, model.MetaSource, int(o.delivery))
			kept := p.directives[:0]
			for _, dir := range p.directives {
				if dir.name != "report-uri" && dir.name != "frame-ancestors" && dir.name != "sandbox" {
					kept = append(kept, dir)
				}
			}
			p.directives = kept
			list = append(list, p)
		}
	}
	return list
}

// disposition is Report when report is set, else Enforce.
func disposition(report bool) model.Disposition {
	if report {
		return model.Report
	}
	return model.Enforce
}

// compileChecks compiles c's CSP list for the checks. Called under mu.
func (c *CSP) compileChecks() *Checks {
	if err := c.Err(); err != nil {
		// Nothing is compiled: every decision is refused.
		return &Checks{refusal: err}
	}
	parsed := c.checkPolicies()
	l := &Checks{csp: c, policies: make([]checkPolicy, len(parsed)), self: c.compileSelfTarget()}
	var lastSandbox *directive
	for i := range parsed {
		pp := &parsed[i]
		p := &l.policies[i]
		p.text, p.delivery, p.disposition = pp.text, pp.delivery, pp.disposition
		p.enforced = pp.disposition == model.Enforce
		lists := map[checkDir]*inlineList{}
		for e := range numInlineEff {
			for _, dir := range inlineFallbacks[e] {
				d := pp.find(checkDirNames[dir])
				if d == nil {
					continue
				}
				il := lists[dir]
				if il == nil {
					il = compileInlineList(d.value)
					lists[dir] = il
				}
				p.inline[e], p.inlineDir[e] = il, dir
				break
			}
		}
		for _, dir := range [...]checkDir{cdScriptSrc, cdDefaultSrc} {
			if d := pp.find(checkDirNames[dir]); d != nil {
				p.evalDir = dir
				for _, tok := range d.value {
					switch {
					case equalFoldLower(tok, "'unsafe-eval'"):
						p.evalFlags |= evalUnsafeEval
					case equalFoldLower(tok, "'wasm-unsafe-eval'"):
						p.evalFlags |= evalWasmUnsafeEval
					case equalFoldLower(tok, "'trusted-types-eval'"):
						p.evalFlags |= evalTrustedTypesEval
					case equalFoldLower(tok, "'report-sample'"):
						p.evalFlags |= evalReportSample
					}
				}
				break
			}
		}
		if d := pp.find("require-trusted-types-for"); d != nil {
			for _, tok := range d.value {
				if equalFoldLower(tok, "'script'") {
					p.trustedTypes = true
				}
			}
		}
		if p.trustedTypes {
			l.ttAny = true
			l.ttEnforced = l.ttEnforced || p.enforced
			l.tt = append(l.tt, p)
		}
		if d := pp.find("base-uri"); d != nil {
			p.base = c.compileURLList(d.value)
		}
		if d := pp.find("form-action"); d != nil {
			p.formAction = c.compileURLList(d.value)
		}
		if d := pp.find("frame-ancestors"); d != nil {
			p.frameAncestors = c.compileURLList(d.value)
		}
		if d := pp.find("webrtc"); d != nil {
			p.webrtcBlocks = len(d.value) != 1 || !equalFoldLower(d.value[0], "'allow'")
		}
		if d := pp.find("sandbox"); d != nil && p.enforced {
			lastSandbox = d
			flags := model.ParseSandboxingDirective(strings.Join(d.value, " "), nil)
			if flags.Has(model.SandboxedScripts) || flags.Has(model.SandboxedOrigin) {
				l.workerBlocked = true
			}
		}
	}
	var wasmBlocked, rtcBlocked bool
	for i := range l.policies {
		p := &l.policies[i]
		for e := range numInlineEff {
			if p.inline[e] != nil {
				l.inline[e] = append(l.inline[e], inlineEntry{p, p.inline[e], p.inlineDir[e]})
			}
		}
		if p.base != nil {
			l.bases = append(l.bases, newPolicyList(p, p.base, &l.self))
		}
		if p.formAction != nil {
			l.formActions = append(l.formActions, newPolicyList(p, p.formAction, &l.self))
		}
		if p.frameAncestors != nil {
			l.frameAncestors = append(l.frameAncestors, newPolicyList(p, p.frameAncestors, &l.self))
		}
		if p.evalDir != cdNone && !(l.ttEnforced && p.evalFlags&evalTrustedTypesEval != 0 || p.evalFlags&evalUnsafeEval != 0) {
			l.evalReports = append(l.evalReports, evalReport{p: p, dir: p.evalDir, sample: p.evalFlags&evalReportSample != 0})
		}
		if p.evalDir != cdNone && p.evalFlags&(evalUnsafeEval|evalWasmUnsafeEval) == 0 {
			// #can-compile-wasm-bytes step 3.3: neither keyword.
			l.wasm = append(l.wasm, CheckViolation{policy: p, dir: p.evalDir, eff: cdScriptSrc, check: chkWasm, resource: resWasmEval})
			wasmBlocked = wasmBlocked || p.enforced
		}
		if p.webrtcBlocks {
			// #should-block-rtc-connection step 2.1: a null resource.
			l.rtc = append(l.rtc, CheckViolation{policy: p, dir: cdWebRTC, eff: cdWebRTC, check: chkRTC})
			rtcBlocked = rtcBlocked || p.enforced
		}
	}
	l.evalVerdict = model.Allowed
	for _, r := range l.evalReports {
		l.evalSampled = l.evalSampled || r.sample
		l.evalLent = append(l.evalLent, CheckViolation{policy: r.p, dir: r.dir, eff: cdScriptSrc, check: chkEval, resource: resEval})
		if r.p.enforced {
			l.evalVerdict = model.Blocked
		}
	}
	l.evalLent = l.evalLent[:len(l.evalLent):len(l.evalLent)]
	l.wasm, l.rtc = l.wasm[:len(l.wasm):len(l.wasm)], l.rtc[:len(l.rtc):len(l.rtc)]
	l.wasmVerdict, l.rtcVerdict = model.Allowed, model.Allowed
	if wasmBlocked {
		l.wasmVerdict = model.Blocked
	}
	if rtcBlocked {
		l.rtcVerdict = model.Blocked
	}
	for k := range l.sandboxVerdict {
		l.sandboxVerdict[k] = model.Allowed
		if model.GlobalKind(k) == model.WorkerGlobal && l.workerBlocked {
			l.sandboxVerdict[k] = model.Blocked
		}
	}
	if lastSandbox != nil {
		// The last enforced sandbox directive gives the flags.
		l.sandbox = model.ParseSandboxingDirective(strings.Join(lastSandbox.value, " "), nil)
	}
	return l
}

// find returns the policy's directive named name (a lowercase name), or nil.
func (p *parsedPolicy) find(name string) *directive {
	for i := range p.directives {
		if p.directives[i].name == name {
			return &p.directives[i]
		}
	}
	return nil
}

// compileURLList compiles a source list that URLs are matched against
// (#match-url-to-source-list), from its tokens.
func (c *CSP) compileURLList(tokens []string) *sourceList {
	l := new(sourceList)
	compileSourceList(l, strings.Join(tokens, " "), c.selfSchemes())
	return l
}

// compileInlineList compiles a directive's value for the inline checks.
func compileInlineList(tokens []string) *inlineList {
	l := new(inlineList)
	for _, tok := range tokens {
		switch {
		case equalFoldLower(tok, "'unsafe-inline'"):
			l.unsafeInline = true
		case equalFoldLower(tok, "'strict-dynamic'"):
			l.strictDynamic = true
		case equalFoldLower(tok, "'unsafe-hashes'"):
			l.unsafeHashes = true
		case equalFoldLower(tok, "'report-sample'"):
			l.reportSample = true
		}
		// The source expression grammar decides what is a nonce or a hash,
		// as #allow-all-inline step 2.1 and #match-element-to-source-list
		// read it.
		e := model.ParseSourceExpression(tok)
		switch e.Kind {
		case model.NonceSource:
			l.nonceOrHash = true
			l.nonces = append(l.nonces, e.Base64Value)
		case model.HashSource:
			l.nonceOrHash = true
			if h, ok := decodeHash(e.HashAlgorithm, e.Base64Value); ok {
				l.hashes = append(l.hashes, h)
			}
		}
	}
	return l
}

// decodeHash decodes a hash-source's value. A value matches a digest when,
// its base64url characters turned into base64 ones, it is exactly the
// digest's base64 with padding (#match-element-to-source-list step
// 5.2.2.5); any other value matches nothing and is dropped.
func decodeHash(algorithm, value string) (inlineHash, bool) {
	var h inlineHash
	switch algorithm {
	case "sha256":
		h.alg = algSHA256
	case "sha384":
		h.alg = algSHA384
	case "sha512":
		h.alg = algSHA512
	default:
		return h, false
	}
	// The value must be the canonical base64 of a digest's worth of
	// bytes: decoded, it has the digest's length and encodes back to
	// itself, which no invalid character, padding bit or byte too many
	// or too few does.
	expected := strings.NewReplacer("-", "+", "_", "/").Replace(value)
	decoded, _ := base64.StdEncoding.DecodeString(expected)
	if len(decoded) != digestLen[h.alg] || base64.StdEncoding.EncodeToString(decoded) != expected {
		return h, false
	}
	copy(h.digest[:], decoded)
	return h, true
}
