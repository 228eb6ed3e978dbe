package engine

import (
	"crypto/sha256"
	"crypto/sha512"
	"fmt"
	"unicode/utf16"
	"unicode/utf8"
	"unsafe"

	"github.com/cspmodel/cspmodel/model"
)

// This file decides the checks that are not requests on a compiled CSP
// list (checks.go compiles it), as package model's DecideInline, DecideEval,
// DecideWasm, DecideNavigationRequest, DecideNavigationResponse, DecideBase,
// DecideSandbox and DecideRTC do: the same verdicts and the same violations, in the same
// order. Each writes into a caller-owned CheckDecision whose Violations
// slice is reused; on prepared input (an element, a parsed URL) a decision
// allocates nothing once the slice has room, except, when the navigation
// was not prepared with PrepareNavigation, for the serialization of a
// javascript: URL when a hash needs it, and, as for (*CSP).Decide, to match
// 'self' to a blob: URL whose path is a URL of the self-origin's scheme
// (http or https) that ParseURL's fast path does not take. (A hash of text
// that is not valid UTF-8 digests a cleaned copy, kept in the CheckDecision
// and grown only for text longer than any it held before.) A violation's
// strings (its directives, its sample) are computed when asked for.
//
// An input that cannot occur gets an error wrapping model.ErrBadInput and a
// Blocked verdict, as from the model. Where the model refuses, the engine
// refuses with the model's words, a kind of global object outside
// model.GlobalKind's three included, and a CSP that Compile was given a
// delivery it cannot name (CSP.Err, model's D6), which is refused where the
// model checks the global object: after the check's own input (an inline
// type, a compilation, a navigation's type and URLs), before the kind. An
// input the model has no form of (a nil pointer, a zero Navigation,
// Ancestors, Compilation or CheckURL, an InlineType ParseInlineType did not
// return, a navigation response's CSP that is nil or refuses every
// decision) is refused after anything the model would refuse about the
// global object alone (its CSP list; a kind outside the three; a check that
// needs a Window in another), and a navigation before its ancestors.

// CheckDecision is the outcome of a check that is not a request.
//
// Violations is read-only: after DecideWasm or DecideRTC, whose violations
// depend on the CSP list alone, and after DecideEval when they do (no
// Trusted Types violation, no sample), it is the compiled list's own
// (shared by every decision of that CSP), and the next decision into the
// same CheckDecision goes back to the caller's slice.
type CheckDecision struct {
	Verdict    model.Verdict
	Violations []CheckViolation
	// SandboxFlags are the CSP-derived sandboxing flags (DecideSandbox
	// only).
	SandboxFlags model.SandboxingFlagSet

	// own is the caller's Violations slice while Violations is a compiled
	// list's (lent).
	own  []CheckViolation
	lent bool

	// matcher is the inline checks' scratch space, reused from one
	// decision to the next so that its digests are not cleared each time.
	matcher inlineMatcher
}

// CheckViolation is one violation a check reported. It is a few words
// long, so that reporting costs little: it holds the violated policy, the
// numbers of its directive, effective directive, check and resource, and
// the input it is about as the decision was given it (the element, the URL,
// the text a sample is cut from); its accessors compute the strings when
// asked. A violation reads that input when asked: it is valid while the
// element and the URLs the decision was given are left as they were.
type CheckViolation struct {
	policy *checkPolicy
	// element is the element of an inline check's violation, or nil.
	element *model.Element
	// url is the resource when it is a URL, else nil (see resource).
	url *model.URL
	// text is what a sample is cut from, as sample says.
	text          string
	RedirectCount int
	dir, eff      checkDir
	check         checkCode
	// resource is the resource unless url is set.
	resource resourceCode
	sample   sampleCode
}

// Policy is the index of the delivery that carried the violated policy.
func (v *CheckViolation) Policy() int { return v.policy.delivery }

// OriginalPolicy is the violated policy's text.
func (v *CheckViolation) OriginalPolicy() string { return v.policy.text }

// Disposition is the violated policy's disposition.
func (v *CheckViolation) Disposition() model.Disposition { return v.policy.disposition }

// Directive is the directive whose check said Blocked.
func (v *CheckViolation) Directive() string { return checkDirNames[v.dir] }

// EffectiveDirective is the violation's effective directive.
func (v *CheckViolation) EffectiveDirective() string { return checkDirNames[v.eff] }

// Check says which check reported the violation.
func (v *CheckViolation) Check() model.Check { return checkNames[v.check] }

// Element is the local name of the element an inline violation is about,
// or "".
func (v *CheckViolation) Element() string {
	if v.element == nil {
		return ""
	}
	return v.element.LocalName
}

// ResponsePolicy reports whether the violation is of a navigation
// response's own policy (DecideNavigationResponse), which no global object
// reports: every violation of that check is.
func (v *CheckViolation) ResponsePolicy() bool { return v.check == chkNavigationResponse }

// Sample is the first characters of the text, when the directive asked for
// them with 'report-sample', or a Trusted Types violation's sample (the
// sink's name, "|", the first characters of the code), or "". It is cut
// when asked for: a Trusted Types sample allocates.
func (v *CheckViolation) Sample() string {
	switch v.sample {
	case sampleText:
		return firstCharacters(v.text)
	case sampleEvalSink:
		return "eval|" + firstCharacters(v.text)
	case sampleFunctionSink:
		return "Function|" + firstCharacters(stripFunctionHeader(v.text))
	}
	return ""
}

// BlockedURI is the violation's blockedURI (#obtain-violation-blocked-uri):
// the resource's string, a URL stripped for reports, or "" for a null
// resource.
func (v *CheckViolation) BlockedURI() string {
	if v.url != nil {
		return (&Violation{resource: v.url}).BlockedURI()
	}
	return resourceNames[v.resource]
}

func (d *CheckDecision) reset() {
	d.Verdict, d.SandboxFlags = model.Allowed, 0
	if d.lent {
		d.Violations, d.own, d.lent = d.own, nil, false
	}
	d.Violations = d.Violations[:0]
}

// report appends a violation of p (its directive and effective directive
// dir and eff, its check, its resource) and blocks when p is enforced, and
// returns it for the caller to fill in the rest. The violation is written
// in place.
func (d *CheckDecision) report(p *checkPolicy, dir, eff checkDir, check checkCode, res resourceCode) *CheckViolation {
	n := len(d.Violations)
	if n < cap(d.Violations) {
		d.Violations = d.Violations[:n+1]
	} else {
		d.Violations = append(d.Violations, CheckViolation{})
	}
	// Field by field: a composite literal is built aside and copied.
	x := &d.Violations[n]
	x.policy, x.element, x.url, x.text, x.RedirectCount = p, nil, nil, "", 0
	x.dir, x.eff, x.check, x.resource, x.sample = dir, eff, check, res, sampleNone
	if p.enforced {
		d.Verdict = model.Blocked
	}
	return x
}

// Reset empties d for the next question, as every decision does first: an
// Allowed verdict, no violation, no sandboxing flag, and the caller's own
// Violations slice back when d was lent a compiled list's. A caller that
// records an outcome of its own in d (a preparation it refused, say)
// resets it first, so that appending to Violations never writes into a
// compiled list.
func (d *CheckDecision) Reset() {
	if d != nil {
		d.reset()
	}
}

// refuse is the outcome of an input that cannot occur.
func (d *CheckDecision) refuse(format string, args ...any) error {
	return d.fail(fmt.Errorf("%w: "+format, append([]any{model.ErrBadInput}, args...)...))
}

// refuseNotWindow refuses a check that needs a document in a global
// object of another kind, or of none (format names the kind with %s). Out
// of the checks' way: their refusals are rare.
//
//go:noinline
func (d *CheckDecision) refuseNotWindow(kind model.GlobalKind, format string) error {
	if err := d.checkKind(kind); err != nil {
		return err
	}
	return d.refuse(format, kind)
}

// checkKind refuses a kind of global object that does not exist.
func (d *CheckDecision) checkKind(kind model.GlobalKind) error {
	if kind > model.WorkletGlobal {
		return d.refuse("%v is not a kind of global object", kind)
	}
	return nil
}

// inlineEffOf is the effective directive of an inline type
// (#effective-directive-for-inline-check), and whether the type is known.
func inlineEffOf(typ string) (inlineEff, bool) {
	switch typ {
	case model.InlineScript, model.InlineNavigation:
		return effScriptElemInline, true
	case model.InlineScriptAttribute:
		return effScriptAttrInline, true
	case model.InlineStyle:
		return effStyleElemInline, true
	case model.InlineStyleAttribute:
		return effStyleAttrInline, true
	}
	return 0, false
}

// DecideInline decides whether element's inline behavior of type typ
// ("script", "style", "script attribute" or "style attribute") whose text
// is source may run or apply in a document (kind must be a Window), as
// model.DecideInline does.
func (c *CSP) DecideInline(kind model.GlobalKind, element *model.Element, typ, source string, d *CheckDecision) error {
	if d == nil {
		return ErrNoDecision
	}
	t, ok := ParseInlineType(typ)
	if !ok {
		return d.refuse("inline check type %q is not script, script attribute, style or style attribute", typ)
	}
	return c.Checks().DecideInline(kind, element, t, source, d)
}

// InlineType is the type of an inline check as a number.  The zero
// InlineType is none, which the checks refuse.
type InlineType uint8

const (
	// InlineScript is model.InlineScript, an inline <script>.
	InlineScript InlineType = 1 + InlineType(effScriptElemInline)
	// InlineScriptAttribute is model.InlineScriptAttribute, an event
	// handler.
	InlineScriptAttribute InlineType = 1 + InlineType(effScriptAttrInline)
	// InlineStyle is model.InlineStyle, a <style>.
	InlineStyle InlineType = 1 + InlineType(effStyleElemInline)
	// InlineStyleAttribute is model.InlineStyleAttribute, a style
	// attribute.
	InlineStyleAttribute InlineType = 1 + InlineType(effStyleAttrInline)
)

// ParseInlineType returns the InlineType of "script", "script attribute",
// "style" or "style attribute", and false (with 0) for any other string
// (a javascript: navigation is a navigation check).
func ParseInlineType(s string) (InlineType, bool) {
	if eff, ok := inlineEffOf(s); ok && s != model.InlineNavigation {
		return 1 + InlineType(eff), true
	}
	return 0, false
}

// DecideInline is (*CSP).DecideInline on the compiled list, for an inline
// type already read.
func (l *Checks) DecideInline(kind model.GlobalKind, element *model.Element, typ InlineType, source string, d *CheckDecision) error {
	if l.csp == nil {
		return d.fail(l.refusalOf())
	}
	if kind != model.WindowGlobal || element == nil || typ-1 >= InlineType(numInlineEff) {
		return d.refuseInline(kind, element)
	}
	eff := inlineEff(typ - 1)
	d.reset()
	m := d.matcher.start(element, eff, source, nil)
	for i := range l.inline[eff] {
		e := &l.inline[eff][i]
		if m.matches(e.list) {
			continue
		}
		v := d.report(e.p, e.dir, inlineEffDir(eff), chkInline, resInline)
		v.element = element
		if e.list.reportSample {
			v.text, v.sample = source, sampleText
		}
	}
	return nil
}

// refuseInline refuses an inline check in a global object that is not a
// Window, without an element, or of no type.
//
//go:noinline
func (d *CheckDecision) refuseInline(kind model.GlobalKind, element *model.Element) error {
	if kind != model.WindowGlobal {
		return d.refuseNotWindow(kind, "inline behavior needs a document, whose global object is a Window, not a %s")
	}
	if element == nil {
		return d.refuse("an inline check needs an element")
	}
	return d.refuse("an inline check type ParseInlineType did not read")
}

// inlineMatcher is #match-element-to-source-list for one decision: what it
// learns of the element and the text (the nonce, the digests) is computed
// once, for every policy.
type inlineMatcher struct {
	element *model.Element // nil for a javascript: navigation
	// The type, as what the steps ask of it: a script's (script, script
	// attribute, navigation), an element's own text (script or style:
	// nonces and hashes apply without 'unsafe-hashes'), a <script>'s.
	script, elementText, scriptElement bool
	source                             string
	// url is the javascript: URL of a navigation, whose serialization is
	// the source, computed only when needed.
	url *model.URL

	nonceKnown bool
	nonce      string
	nonceable  bool

	digestsKnown uint8
	digests      [numAlgs][64]byte
	// digested counts the digests this decision computed: at most one per
	// algorithm, whatever the number of hash-sources (docs/performance.md
	// counts the inline checks' cost that way; TestInlineDigestsOncePerAlgorithm).
	digested int
	// scalars holds the source's scalar values when the source is not
	// valid UTF-8 (cleaned says they are this decision's), kept from one
	// decision to the next so that digesting such text allocates only
	// when it is longer than any before.
	scalars []byte
	cleaned bool
}

// start readies the matcher for a decision of an inline type whose
// effective directive is eff (effScriptElemInline with a nil element: a
// javascript: navigation).
func (m *inlineMatcher) start(element *model.Element, eff inlineEff, source string, url *model.URL) *inlineMatcher {
	m.element, m.source, m.url = element, source, url
	m.script = eff <= effScriptAttrInline
	m.elementText = (eff == effScriptElemInline || eff == effStyleElemInline) && element != nil
	m.scriptElement = eff == effScriptElemInline && element != nil
	m.nonceKnown, m.nonceable, m.digestsKnown, m.cleaned = false, false, 0, false
	m.digested = 0
	return m
}

// matches reports whether the element and its text match l.
func (m *inlineMatcher) matches(l *inlineList) bool {
	// Step 1 (#allow-all-inline): 'unsafe-inline', unless a nonce, a hash or,
	// for scripts, 'strict-dynamic' is there.
	if l.unsafeInline && !l.nonceOrHash && !(m.script && l.strictDynamic) {
		return true
	}
	// Step 2: a nonce, for a nonceable <script> or <style>.
	if len(l.nonces) > 0 && m.elementText {
		if !m.nonceKnown {
			m.nonce, m.nonceable = elementNonce(m.element)
			m.nonceKnown = true
		}
		if m.nonceable {
			for _, n := range l.nonces {
				if n == m.nonce {
					return true
				}
			}
		}
	}
	// Step 5: hashes (and 'strict-dynamic'), for <script> and <style>, and
	// with 'unsafe-hashes' for the rest.
	if !m.elementText && !l.unsafeHashes {
		return false
	}
	// Step 5.2.1.1: 'strict-dynamic' allows a script that script inserted.
	if l.strictDynamic && m.scriptElement && m.element.NotParserInserted {
		return true
	}
	for i := range l.hashes {
		h := &l.hashes[i]
		if m.digestsKnown&(1<<h.alg) == 0 {
			m.digest(h.alg)
		}
		n := digestLen[h.alg]
		if string(h.digest[:n]) == string(m.digests[h.alg][:n]) {
			return true
		}
	}
	return false
}

// digest computes the digest of the source under alg: of its UTF-8 bytes
// once lone surrogates are replaced (step 5.1), which for valid UTF-8 are
// its own bytes.
func (m *inlineMatcher) digest(alg uint8) {
	if m.url != nil {
		m.source, m.url = m.url.String(), nil
	}
	b := unsafe.Slice(unsafe.StringData(m.source), len(m.source))
	if !utf8.ValidString(m.source) {
		if !m.cleaned {
			m.scalars, m.cleaned = appendScalarValues(m.scalars[:0], m.source), true
		}
		b = m.scalars
	}
	switch alg {
	case algSHA256:
		s := sha256.Sum256(b)
		copy(m.digests[alg][:], s[:])
	case algSHA384:
		s := sha512.Sum384(b)
		copy(m.digests[alg][:], s[:])
	case algSHA512:
		s := sha512.Sum512(b)
		copy(m.digests[alg][:], s[:])
	}
	m.digestsKnown |= 1 << alg
	m.digested++
}

// elementNonce returns the element's nonce and whether the element is
// nonceable (#is-element-nonceable): it has a nonce attribute; a script's
// attribute names and values hold neither "<script" nor "<style"; and the
// parser met no duplicate attribute.
func elementNonce(e *model.Element) (string, bool) {
	nonce, ok := "", false
	for i := range e.Attributes {
		if equalFoldLower(e.Attributes[i].Name, "nonce") {
			nonce, ok = e.Attributes[i].Value, true
			break
		}
	}
	if !ok || e.DuplicateAttribute {
		return nonce, false
	}
	if equalFoldLower(e.LocalName, "script") {
		for i := range e.Attributes {
			a := &e.Attributes[i]
			if containsFoldLower(a.Name, "<script") || containsFoldLower(a.Name, "<style") ||
				containsFoldLower(a.Value, "<script") || containsFoldLower(a.Value, "<style") {
				return nonce, false
			}
		}
	}
	return nonce, true
}

// containsFoldLower reports whether s holds lower (lowercase ASCII) in any
// ASCII case.
func containsFoldLower(s, lower string) bool {
	for i := 0; i+len(lower) <= len(s); i++ {
		if s[i] == '<' && equalFoldLower(s[i:i+len(lower)], lower) {
			return true
		}
	}
	return false
}

// sampleLength is the length of a sample, in UTF-16 code units.
const sampleLength = 40

// firstCharacters returns the first 40 UTF-16 code units of s, keeping a
// surrogate pair whole, as the model cuts a sample. For valid UTF-8 that is
// a prefix of s; other text is read as the model reads it (lone surrogates
// in their three-byte form, other invalid bytes as U+FFFD).
func firstCharacters(s string) string {
	if len(s) <= sampleLength && isASCIIString(s) {
		return s
	}
	if utf8.ValidString(s) {
		units := 0
		for i, r := range s {
			if units >= sampleLength {
				return s[:i]
			}
			units++
			if r >= 0x10000 {
				units++
			}
		}
		return s
	}
	units := codeUnits(s)
	n := len(units)
	if n > sampleLength {
		n = sampleLength
		if units[n-1] >= 0xD800 && units[n-1] <= 0xDBFF && units[n] >= 0xDC00 && units[n] <= 0xDFFF {
			n++
		}
	}
	return fromCodeUnits(units[:n])
}

// codeUnits reads s as the model reads a DOM string: UTF-8, with lone
// surrogates in their three-byte form and any other invalid byte U+FFFD.
func codeUnits(s string) []uint16 {
	var out []uint16
	for i := 0; i < len(s); {
		if i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
			out = append(out, 0xD000|uint16(s[i+1]&0x3F)<<6|uint16(s[i+2]&0x3F))
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		out = utf16.AppendRune(out, r)
		i += size
	}
	return out
}

// fromCodeUnits writes code units as UTF-8, lone surrogates in their
// three-byte form.
func fromCodeUnits(units []uint16) string {
	var b []byte
	for i := 0; i < len(units); i++ {
		u := rune(units[i])
		switch {
		case u >= 0xD800 && u <= 0xDBFF && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF:
			b = utf8.AppendRune(b, utf16.DecodeRune(u, rune(units[i+1])))
			i++
		case u >= 0xD800 && u <= 0xDFFF:
			b = append(b, 0xED, 0x80|byte(u>>6)&0x3F, 0x80|byte(u)&0x3F)
		default:
			b = utf8.AppendRune(b, u)
		}
	}
	return string(b)
}

// appendScalarValues appends to b the UTF-8 of Infra's conversion of s,
// read as codeUnits reads it, to a scalar value string: a surrogate pair
// becomes its code point, a lone surrogate U+FFFD. It reads s one code
// point at a time, so that nothing but b grows.
func appendScalarValues(b []byte, s string) []byte {
	high := rune(-1) // a high surrogate waiting for its low one
	for i := 0; i < len(s); {
		var r rune
		if i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
			// A surrogate in its three-byte form, as codeUnits reads it.
			r = 0xD000 | rune(s[i+1]&0x3F)<<6 | rune(s[i+2]&0x3F)
			i += 3
		} else {
			var size int
			r, size = utf8.DecodeRuneInString(s[i:])
			i += size
		}
		if high >= 0 {
			if r >= 0xDC00 && r <= 0xDFFF {
				b, high = utf8.AppendRune(b, utf16.DecodeRune(high, r)), -1
				continue
			}
			b, high = utf8.AppendRune(b, utf8.RuneError), -1
		}
		if r >= 0xD800 && r <= 0xDBFF {
			high = r
			continue
		}
		// A lone low surrogate is written as U+FFFD by AppendRune.
		b = utf8.AppendRune(b, r)
	}
	if high >= 0 {
		b = utf8.AppendRune(b, utf8.RuneError)
	}
	return b
}

// DecideEval decides whether a global object of the given kind may compile
// comp's code (eval(), the Function constructor, a timer given a string),
// as model.DecideEval does: Trusted Types first, then each policy's
// script-src, else default-src.
func (c *CSP) DecideEval(kind model.GlobalKind, comp *model.Compilation, d *CheckDecision) error {
	if d == nil {
		return ErrNoDecision
	}
	if comp == nil {
		// No compilation at all: the global object's refusals (the list's,
		// the kind's) come first, as for every input the model has no form
		// of.
		if err := c.Err(); err != nil {
			return d.fail(err)
		}
		if err := d.checkKind(kind); err != nil {
			return err
		}
		return d.refuse("an eval check needs a compilation")
	}
	p, err := PrepareCompilation(comp)
	if err != nil {
		return d.fail(err)
	}
	return c.Checks().DecideEval(kind, &p, d)
}

// compilationType numbers the types of a compilation: a timer's string,
// the Function constructor, eval().
type compilationType uint8

const (
	compileTimer compilationType = 1 + iota
	compileFunction
	compileEval
)

// Compilation is a model.Compilation prepared for (*Checks).DecideEval:
// its type as a number, its code, and whether every string it compiles is
// the data of a TrustedScript. The zero Compilation is refused.
type Compilation struct {
	code    string
	typ     compilationType
	trusted bool
}

// PrepareCompilation prepares comp for (*Checks).DecideEval, or refuses a
// compilation that cannot occur (none, a type that is not TIMER, FUNCTION
// or EVAL; parameter values and strings of different numbers) with an
// error wrapping model.ErrBadInput.
func PrepareCompilation(comp *model.Compilation) (Compilation, error) {
	if comp == nil {
		return Compilation{}, fmt.Errorf("%w: an eval check needs a compilation", model.ErrBadInput)
	}
	var typ compilationType
	switch comp.Type {
	case model.CompileTimer:
		typ = compileTimer
	case model.CompileFunction:
		typ = compileFunction
	case model.CompileEval:
		typ = compileEval
	default:
		return Compilation{}, fmt.Errorf("%w: compilation type %q is not TIMER, FUNCTION or EVAL", model.ErrBadInput, comp.Type)
	}
	if len(comp.ParameterArgs) != len(comp.ParameterStrings) {
		return Compilation{}, fmt.Errorf("%w: %d parameter values for %d parameter strings", model.ErrBadInput, len(comp.ParameterArgs), len(comp.ParameterStrings))
	}
	// A TrustedScript whose data is each string passes Trusted Types.
	trusted := comp.BodyArg.TrustedScript && comp.BodyString == comp.BodyArg.Data
	for i := range comp.ParameterArgs {
		if a := &comp.ParameterArgs[i]; !a.TrustedScript || comp.ParameterStrings[i] != a.Data {
			trusted = false
		}
	}
	return Compilation{code: comp.CodeString, typ: typ, trusted: trusted}, nil
}

// DecideEval is (*CSP).DecideEval on the compiled list, for a prepared
// compilation (nil is refused as the zero Compilation is).
func (l *Checks) DecideEval(kind model.GlobalKind, comp *Compilation, d *CheckDecision) error {
	if l.csp == nil {
		return d.fail(l.refusalOf())
	}
	if comp == nil || comp.typ == 0 || kind > model.WorkletGlobal {
		return d.refuseEval(kind)
	}
	if (comp.typ == compileTimer || comp.trusted || !l.ttAny) && !l.evalSampled {
		// Trusted Types have no say and no violation has a sample: the
		// violations are the compiled list's (lent, read-only).
		if !d.lent {
			d.own, d.lent = d.Violations, true
		}
		d.Violations, d.Verdict, d.SandboxFlags = l.evalLent, l.evalVerdict, 0
		return nil
	}
	d.reset()
	if comp.typ != compileTimer && !comp.trusted && l.ttAny {
		// Trusted Types: a string that is not a TrustedScript's data is
		// reported to every policy that requires Trusted Types for scripts,
		// and refused when one of them is enforced (there is no default
		// policy).
		sink := sampleEvalSink
		if comp.typ == compileFunction {
			sink = sampleFunctionSink
		}
		for _, p := range l.tt {
			v := d.report(p, cdRequireTrustedTypesFor, cdRequireTrustedTypesFor, chkEval, resTrustedTypesSink)
			v.text, v.sample = comp.code, sink
		}
		if d.Verdict == model.Blocked {
			return nil
		}
	}
	for i := range l.evalReports {
		r := &l.evalReports[i]
		v := d.report(r.p, r.dir, cdScriptSrc, chkEval, resEval)
		if r.sample {
			v.text, v.sample = comp.code, sampleText
		}
	}
	return nil
}

// refuseEval refuses an unprepared compilation or a kind of global object
// that does not exist.
//
//go:noinline
func (d *CheckDecision) refuseEval(kind model.GlobalKind) error {
	if err := d.checkKind(kind); err != nil {
		return err
	}
	return d.refuse("a compilation that PrepareCompilation did not prepare")
}

// stripFunctionHeader removes the header the Function constructors
// synthesize from a sample of their code.
func stripFunctionHeader(code string) string {
	for _, prefix := range [...]string{"function anonymous", "async function anonymous", "function* anonymous", "async function* anonymous"} {
		if len(code) >= len(prefix) && code[:len(prefix)] == prefix {
			return code[len(prefix):]
		}
	}
	return code
}

// DecideWasm decides whether a global object of the given kind may compile
// WebAssembly, as model.DecideWasm does.
func (c *CSP) DecideWasm(kind model.GlobalKind, d *CheckDecision) error {
	if d == nil {
		return ErrNoDecision
	}
	return c.Checks().DecideWasm(kind, d)
}

// DecideWasm is (*CSP).DecideWasm on the compiled list. The decision
// depends on the list alone, and was compiled with it: the decision's
// Violations become the list's own (lent, read-only). Small enough to
// inline.
func (l *Checks) DecideWasm(kind model.GlobalKind, d *CheckDecision) error {
	return d.lendList(kind, l.wasm, l.wasmVerdict, l.refusal)
}

// lendList is the decision of a check that depends on the compiled list
// alone (WebAssembly, WebRTC): the caller's slice is kept for the next
// decision, and Violations become the list's vs. A list that refuses every
// decision (refusal, CSP.Err) and then a kind of global object that does
// not exist are refused, Blocked. Small enough to inline, with its callers.
func (d *CheckDecision) lendList(kind model.GlobalKind, vs []CheckViolation, verdict model.Verdict, refusal error) error {
	if !d.lent {
		d.own, d.lent = d.Violations, true
	}
	if kind > model.WorkletGlobal || refusal != nil {
		d.Violations, d.Verdict, d.SandboxFlags = nil, model.Blocked, 0
		if refusal != nil {
			return refusal
		}
		return kindError(kind)
	}
	d.Violations, d.Verdict, d.SandboxFlags = vs, verdict, 0
	return nil
}

// DecideRTC decides whether a global object of the given kind may make RTC
// connections, as model.DecideRTC does.
func (c *CSP) DecideRTC(kind model.GlobalKind, d *CheckDecision) error {
	if d == nil {
		return ErrNoDecision
	}
	return c.Checks().DecideRTC(kind, d)
}

// DecideRTC is (*CSP).DecideRTC on the compiled list, which lends the
// decision its violations as DecideWasm does. Small enough to inline.
func (l *Checks) DecideRTC(kind model.GlobalKind, d *CheckDecision) error {
	return d.lendList(kind, l.rtc, l.rtcVerdict, l.refusal)
}

// kindError is the error of a kind of global object that does not exist.
type kindError model.GlobalKind

func (k kindError) Error() string {
	return fmt.Sprintf("%v: %v is not a kind of global object", model.ErrBadInput, model.GlobalKind(k))
}

func (k kindError) Unwrap() error { return model.ErrBadInput }

// DecideSandbox returns the CSP-derived sandboxing flags of a global object
// of the given kind, and whether it may run, as model.DecideSandbox does: a
// worker may not when an enforced sandbox takes away scripts or the origin.
func (c *CSP) DecideSandbox(kind model.GlobalKind, d *CheckDecision) error {
	if d == nil {
		return ErrNoDecision
	}
	return c.Checks().DecideSandbox(kind, d)
}

// DecideSandbox is (*CSP).DecideSandbox on the compiled list, which holds
// the verdict of each kind of global object. Small enough to inline.
func (l *Checks) DecideSandbox(kind model.GlobalKind, d *CheckDecision) error {
	if d.lent {
		d.Violations, d.own, d.lent = d.own, nil, false
	}
	if kind > model.WorkletGlobal || l.refusal != nil {
		d.Violations, d.Verdict, d.SandboxFlags = d.Violations[:0], model.Blocked, 0
		if l.refusal != nil {
			return l.refusal
		}
		return kindError(kind)
	}
	d.Verdict, d.SandboxFlags, d.Violations = l.sandboxVerdict[kind], l.sandbox, d.Violations[:0]
	return nil
}

// DecideBase decides whether base may be a document's frozen base URL (kind
// must be a Window), as model.DecideBase does.
func (c *CSP) DecideBase(kind model.GlobalKind, base *model.URL, d *CheckDecision) error {
	if d == nil {
		return ErrNoDecision
	}
	if base == nil && kind == model.WindowGlobal && c.Err() == nil {
		return d.refuse("a base check needs a URL")
	}
	u := PrepareURL(base)
	return c.Checks().DecideBase(kind, &u, d)
}

// CheckURL is a URL prepared for the checks: its scheme read as a number,
// its host and port as source lists match them. It reads the URL it was
// prepared from, which must be left as it was. The zero CheckURL is
// refused.
type CheckURL struct {
	t target
}

// PrepareURL prepares u for the checks.
func PrepareURL(u *model.URL) CheckURL {
	if u == nil {
		return CheckURL{}
	}
	return CheckURL{prepareTarget(u, 0)}
}

// DecideBase is (*CSP).DecideBase on the compiled list, for a prepared URL
// (nil is refused as the zero CheckURL is).
func (l *Checks) DecideBase(kind model.GlobalKind, base *CheckURL, d *CheckDecision) error {
	if l.csp == nil {
		return d.fail(l.refusalOf())
	}
	if kind != model.WindowGlobal || base == nil || base.t.url == nil {
		return d.refuseBase(kind)
	}
	d.reset()
	t, bases := &base.t, l.bases
	if len(bases) == 1 {
		// One policy has base-uri, as most lists that have it: no loop.
		b := &bases[0]
		if !l.entryMatches(b, t) {
			d.report(b.p, cdBaseURI, cdBaseURI, chkBase, resInline)
		}
		return nil
	}
	for i := range bases {
		b := &bases[i]
		if l.entryMatches(b, t) {
			continue
		}
		d.report(b.p, cdBaseURI, cdBaseURI, chkBase, resInline)
		if b.p.enforced {
			// An enforced policy blocks, and no later one is consulted.
			return nil
		}
	}
	return nil
}

// refuseBase refuses a base URL check in a global object that is not a
// Window, or of an unprepared URL.
//
//go:noinline
func (d *CheckDecision) refuseBase(kind model.GlobalKind) error {
	if kind == model.WindowGlobal {
		return d.refuse("a base URL that PrepareURL did not prepare")
	}
	return d.refuseNotWindow(kind, "a base URL belongs to a document, whose global object is a Window, not a %s")
}

// NavigationType is a navigation's type (HTML's navigate algorithm) as a
// number. The zero NavigationType is none, which the checks refuse.
type NavigationType uint8

const (
	// NavigateOther is "other".
	NavigateOther NavigationType = 1 + iota
	// NavigateFormSubmission is "form-submission".
	NavigateFormSubmission
)

// ParseNavigationType returns the NavigationType of model.NavigationOther
// or model.NavigationFormSubmission, and false (with 0) for any other
// string.
func ParseNavigationType(s string) (NavigationType, bool) {
	switch s {
	case model.NavigationOther:
		return NavigateOther, true
	case model.NavigationFormSubmission:
		return NavigateFormSubmission, true
	}
	return 0, false
}

// Navigation is a navigation request prepared for the navigation checks:
// its URL list (the request's URL, then each redirect target) with each
// URL's scheme read as a number and its host and port as source lists
// match them, its type, and a javascript: URL's serialization. It reads the
// URLs it was prepared from, which must be left as they were. The zero
// Navigation is refused.
type Navigation struct {
	urls    []model.URL
	targets []target // targets[hop] is urls[hop] as source lists match it
	typ     NavigationType
	// javascript: the request's URL is a javascript: URL (which is never
	// redirected); PrepareNavigation keeps its serialization, the source
	// the inline check hashes, in its target.
	javascript bool
	// local: the last URL's scheme is about, blob or data.
	local bool
}

// prepared reports whether n is a navigation PrepareNavigation returned
// (not nil, not the zero Navigation).
func (n *Navigation) prepared() bool { return n != nil && n.typ != 0 }

// PrepareNavigation prepares a navigation of type navigationType
// ("form-submission" or "other") to urls, or refuses one that cannot occur
// (an unknown type, no URL, a redirect from a javascript: URL or to a URL
// that is not HTTP(S)) with an error wrapping model.ErrBadInput.
func PrepareNavigation(urls []model.URL, navigationType string) (Navigation, error) {
	n, err := prepareNavigation(urls, navigationType)
	if err == nil {
		n.targets = appendTargets(make([]target, 0, len(urls)), urls)
		if n.javascript {
			n.targets[0].source = urls[0].String()
		}
	}
	return n, err
}

// appendTargets appends the targets of a navigation's URLs to ts.
func appendTargets(ts []target, urls []model.URL) []target {
	for hop := range urls {
		ts = append(ts, prepareTarget(&urls[hop], hop))
	}
	return ts
}

// checkNavigationURLs refuses a URL list no navigation has.
func checkNavigationURLs(urls []model.URL) error {
	if len(urls) == 0 {
		return fmt.Errorf("%w: the navigation request's URL list is empty", model.ErrBadInput)
	}
	for i := 1; i < len(urls); i++ {
		if urls[0].Scheme == "javascript" || !model.IsHTTPSScheme(urls[i].Scheme) {
			return fmt.Errorf("%w: a navigation is redirected only from and to HTTP(S) URLs, not to %s", model.ErrBadInput, urls[i].String())
		}
	}
	return nil
}

// stackURLs is how many URLs the string-taking navigation checks prepare
// on the stack: the request's URL and Fetch's 20 redirects (HTTP-redirect
// fetch step 5). A longer list is prepared on the heap.
const stackURLs = 21

// DecideNavigationRequest decides whether a document may navigate to urls
// (the request's URL, then each redirect target), a navigation of type
// navigationType ("form-submission" or "other"), as
// model.DecideNavigationRequest does: form-action at each hop, and a
// javascript: URL through the inline checks.
func (c *CSP) DecideNavigationRequest(kind model.GlobalKind, urls []model.URL, navigationType string, d *CheckDecision) error {
	if d == nil {
		return ErrNoDecision
	}
	n, err := prepareNavigation(urls, navigationType)
	if err != nil {
		return d.fail(err)
	}
	if err := c.Err(); err != nil {
		return d.fail(err)
	}
	if kind > model.WorkletGlobal {
		return d.refuseNavigation(kind)
	}
	// The URL list's targets on the stack, so that a decision allocates
	// nothing; a javascript: URL is serialized only if a hash needs it.
	var ts [stackURLs]target
	n.targets = appendTargets(ts[:0], urls)
	return c.Checks().DecideNavigationRequest(kind, &n, d)
}

// prepareNavigation is PrepareNavigation without the targets.
func prepareNavigation(urls []model.URL, navigationType string) (Navigation, error) {
	typ, ok := ParseNavigationType(navigationType)
	if !ok {
		return Navigation{}, fmt.Errorf("%w: navigation type %q is not form-submission or other", model.ErrBadInput, navigationType)
	}
	if err := checkNavigationURLs(urls); err != nil {
		return Navigation{}, err
	}
	n := Navigation{urls: urls, typ: typ, javascript: urls[0].Scheme == "javascript"}
	switch urls[len(urls)-1].Scheme {
	case "about", "blob", "data":
		n.local = true
	}
	return n, nil
}

// fail is the outcome of an input a preparation refused.
func (d *CheckDecision) fail(err error) error {
	d.reset()
	d.Verdict = model.Blocked
	return err
}

// DecideNavigationRequest is (*CSP).DecideNavigationRequest on the compiled
// list, for a prepared navigation. (It reads nav's targets and stores
// nothing of nav itself, so that the CSP's method can prepare one on the
// stack.)
func (l *Checks) DecideNavigationRequest(kind model.GlobalKind, nav *Navigation, d *CheckDecision) error {
	if l.csp == nil {
		return d.fail(l.refusalOf())
	}
	if !nav.prepared() || kind > model.WorkletGlobal {
		return d.refuseNavigation(kind)
	}
	d.reset()
	targets, fas := nav.targets, l.formActions
	if nav.typ == NavigateFormSubmission && len(fas) > 0 {
		// #should-block-navigation-request step 2, form-action's
		// pre-navigation check, at each hop; an enforced violation ends
		// the navigation there.
		if len(fas) == 1 && len(targets) == 1 {
			// One policy has form-action, and one URL: no loop.
			if f := &fas[0]; !l.entryMatches(f, &targets[0]) {
				d.report(f.p, cdFormAction, cdFormAction, chkNavigationRequest, resNull).url = targets[0].url
				if f.p.enforced {
					return nil
				}
			}
		} else {
			for hop := range targets {
				t := &targets[hop]
				for i := range fas {
					f := &fas[i]
					if !l.entryMatches(f, t) {
						d.reportFormAction(f.p, hop, targets[0].url)
					}
				}
				if d.Verdict == model.Blocked {
					return nil
				}
			}
		}
	}
	if nav.javascript {
		// Only the request's URL can be a javascript: URL, and it is
		// never redirected: the inline check at hop 0.
		l.decideJavascript(&targets[0], d)
	}
	return nil
}

// reportFormAction reports a form-action violation of p at hop, whose
// resource is the request's URL. Out of line, so that the decision's frame
// stays small.
//
//go:noinline
func (d *CheckDecision) reportFormAction(p *checkPolicy, hop int, u *model.URL) {
	r := d.report(p, cdFormAction, cdFormAction, chkNavigationRequest, resNull)
	r.RedirectCount, r.url = hop, u
}

// decideJavascript is the inline check of a navigation to a javascript: URL
// (#should-block-navigation-request step 3): its serialization as a script
// element's inline source, serialized when a hash needs it unless the
// navigation was prepared with it.
//
//go:noinline
func (l *Checks) decideJavascript(t *target, d *CheckDecision) {
	m := d.matcher.start(nil, effScriptElemInline, t.source, t.url)
	if t.source != "" {
		m.url = nil
	}
	for i := range l.inline[effScriptElemInline] {
		e := &l.inline[effScriptElemInline][i]
		if !m.matches(e.list) {
			d.report(e.p, e.dir, cdScriptSrcElem, chkNavigationRequest, resInline)
		}
	}
}

// refuseNavigation refuses an unprepared navigation or a kind of global
// object that does not exist.
//
//go:noinline
func (d *CheckDecision) refuseNavigation(kind model.GlobalKind) error {
	if err := d.checkKind(kind); err != nil {
		return err
	}
	return d.refuse("a navigation that PrepareNavigation did not prepare")
}

// AncestorURL returns the URL the origin of an embedding document
// serializes to, for DecideNavigationResponse, or nil when that does not
// parse (an opaque origin, "null"): such an ancestor matches no source
// list.
func AncestorURL(o model.Origin) *model.URL {
	u, err := ParseURL(o.String())
	if err != nil {
		return nil
	}
	return &u
}

// Ancestors are the ancestors of a navigable (the URLs their origins
// serialize to, AncestorURL's, parent first) prepared for
// DecideNavigationResponse: each as source lists match it. It reads the
// URLs it was prepared from, which must be left as they were. The zero
// Ancestors is refused; PrepareAncestors(nil) are a top-level navigable's.
type Ancestors struct {
	targets []target // the ancestors but the nil ones
	// n is the number of ancestors, nil ones included; opaque: one of them
	// is nil (an opaque origin), which matches no source list.
	n        int
	opaque   bool
	prepared bool
}

// PrepareAncestors prepares a navigable's ancestors, parent first (nil for
// an ancestor whose origin is opaque), for DecideNavigationResponse.
func PrepareAncestors(ancestors []*model.URL) Ancestors {
	return prepareAncestors(make([]target, 0, len(ancestors)), ancestors)
}

// stackAncestors is how many ancestors the CSP's DecideNavigationResponse
// prepares on the stack; deeper nesting is prepared on the heap.
const stackAncestors = 8

// prepareAncestors prepares ancestors into ts.
func prepareAncestors(ts []target, ancestors []*model.URL) Ancestors {
	a := Ancestors{n: len(ancestors), prepared: true}
	for _, u := range ancestors {
		if u == nil {
			a.opaque = true
			continue
		}
		ts = append(ts, prepareTarget(u, 0))
	}
	a.targets = ts
	return a
}

// DecideNavigationResponse decides whether the response to a navigation
// (its request's URL list urls, of type navigationType; the response's URL
// is the last) may be shown in a navigable whose ancestors' origins, parent
// first, are ancestors (AncestorURL of each; none for a top-level one), as
// model.DecideNavigationResponse does. response is the response's own CSP
// list, compiled with the response URL's origin as its self-origin: its
// frame-ancestors directives decide. The navigating document's policies
// (c) have no say: frame-ancestors governs only the response's own
// embedding (#frame-ancestors-navigation-response step 3).
func (c *CSP) DecideNavigationResponse(kind model.GlobalKind, urls []model.URL, navigationType string, response *CSP, ancestors []*model.URL, d *CheckDecision) error {
	if d == nil {
		return ErrNoDecision
	}
	n, err := prepareNavigation(urls, navigationType)
	if err != nil {
		return d.fail(err)
	}
	// c's list has no say, but one that refuses every decision refuses
	// this one too, where the list's method would.
	if err := c.Err(); err != nil {
		return d.fail(err)
	}
	// No response CSP is refused by the list's method, after the kind.
	var rl *Checks
	if response != nil {
		rl = response.Checks()
	}
	// The ancestors on the stack, for up to stackAncestors of them, so
	// that a decision allocates nothing.
	var ts [stackAncestors]target
	a := prepareAncestors(ts[:0], ancestors)
	// c's own list has no say: it need not be compiled.
	return c.compiledChecks().DecideNavigationResponse(kind, &n, rl, &a, d)
}

// DecideNavigationResponse is (*CSP).DecideNavigationResponse on compiled
// lists, for a prepared navigation and prepared ancestors: response is the
// response's own CSP list compiled for the checks. The navigating
// document's list (l) has no say, and may be nil; when it refuses every
// decision (CSP.Err), so does this. A response list that does is refused
// as a missing one is, after the kind and the other inputs.
func (l *Checks) DecideNavigationResponse(kind model.GlobalKind, nav *Navigation, response *Checks, ancestors *Ancestors, d *CheckDecision) error {
	if l != nil && l.refusal != nil {
		return d.fail(l.refusal)
	}
	if !nav.prepared() || kind > model.WorkletGlobal || ancestors == nil || !ancestors.prepared {
		return d.refuseResponse(kind, nav, ancestors)
	}
	if response == nil {
		return d.refuse("a navigation response needs its CSP list")
	}
	if response.csp == nil {
		return d.fail(fmt.Errorf("%w (the navigation response's CSP list)", response.refusalOf()))
	}
	d.reset()
	if nav.local || ancestors.n == 0 {
		// A local response is never refused, nor a top-level one.
		return nil
	}
	last := len(nav.urls) - 1
	fas := response.frameAncestors
	for i := range fas {
		f := &fas[i]
		if !ancestors.opaque && response.ancestorsMatch(f, ancestors.targets) {
			continue
		}
		v := d.report(f.p, cdFrameAncestors, cdFrameAncestors, chkNavigationResponse, resNull)
		v.RedirectCount, v.url = last, &nav.urls[last]
	}
	return nil
}

// refuseResponse refuses an unprepared navigation or ancestors, or a kind
// of global object that does not exist.
//
//go:noinline
func (d *CheckDecision) refuseResponse(kind model.GlobalKind, nav *Navigation, ancestors *Ancestors) error {
	if !nav.prepared() || kind > model.WorkletGlobal {
		return d.refuseNavigation(kind)
	}
	return d.refuse("ancestors that PrepareAncestors did not prepare")
}

// ancestorsMatch reports whether every ancestor (none of them opaque)
// matches f's list, with no redirects.
func (l *Checks) ancestorsMatch(f *policyList, ancestors []target) bool {
	for i := range ancestors {
		if !l.entryMatches(f, &ancestors[i]) {
			return false
		}
	}
	return true
}
