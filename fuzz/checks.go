package fuzz

import (
	"strings"
	"sync"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// This file holds the arguments, cases and seeds of the fuzz targets of the
// checks beyond requests (checks_test.go), one per family:
//   - FuzzInlineCheck: inline scripts, styles and attributes (nonces,
//     hashes, 'strict-dynamic', 'unsafe-hashes', samples);
//   - FuzzGlobalCheck: the checks of a global object alone: eval (with
//     Trusted Types), WebAssembly, WebRTC and the sandbox;
//   - FuzzNavigationCheck: navigation requests (form-action, javascript:
//     URLs), navigation responses (frame-ancestors) and <base> URLs.
// Each compares model and engine on the whole result (disagreement), on
// arbitrary policies and inputs.

// Kinds of global object, by number (inline and base checks need a window;
// any other number is the case's default, a window).
var globalKindNames = []string{"", "window", "worker", "worklet"}

// inlineTypeNames are the inline types by number.
var inlineTypeNames = []string{"script", "style", "script attribute", "style attribute"}

// edgeCharacters are the characters at the edges of UTF-8's and UTF-16's
// ranges, where a sample's cut and a digest's input can go wrong: the last
// one-, two- and three-byte characters and the first of the next, the code
// points either side of the surrogates, lone surrogates at both ends of
// both halves (in the three-byte form a DOM string read from WTF-8 has),
// the first and last characters of two UTF-16 code units, U+FFFD and a
// byte that is not UTF-8. The second sixteen are sequences a reader of
// UTF-8 or WTF-8 must not take for characters: a lead byte cut short
// (before a surrogate, inside one, past U+10FFFF, of a valid two-, three-
// and four-byte character), overlong leads, a stray continuation byte at
// each end of its range, and bytes that never start a character. Cut
// short, each reads on into whatever the next entry or byte is, so two
// neighbours write a sequence that is one byte off a character.
var edgeCharacters = [32]string{
	"\u007F", "\u0080", "\u07FF", "\u0800",
	"\uD7FF", "\uE000", "\uFFFD", "\uFFFF",
	"\U00010000", "\U0010FFFF",
	"\xED\xA0\x80", "\xED\xAF\xBF", "\xED\xB0\x80", "\xED\xBF\xBF",
	"\xFF", "\U0001F600",
	"\xED\x9F", "\xED\xA0", "\xED\xBF", "\xF4\x90",
	"\xC2", "\xE0\xA0", "\xF0\x90\x80", "\xF4\x8F\xBF",
	"\xC0", "\xE0\x9F", "\xF0\x8F", "\x80",
	"\xBF", "\xF5", "\xFE", "\xED",
}

// spelled reads s with each byte 0x00 to 0x1F standing for that entry of
// edgeCharacters: a fuzzer mutating one byte then puts any edge character
// anywhere in a text, which bytes alone reach only by chance.
func spelled(s string) string {
	out, _ := spellWith(s, edgeCharacters[:], 0)
	return out
}

// spellWith writes s with each byte from first to len(table)-1 replaced
// by that entry of table, and reports whether any was.
func spellWith(s string, table []string, first byte) (string, bool) {
	var b strings.Builder
	replaced := false
	for i := 0; i < len(s); i++ {
		if c := s[i]; c >= first && int(c) < len(table) {
			if !replaced {
				replaced = true
				b.WriteString(s[:i])
			}
			b.WriteString(table[c])
		} else if replaced {
			b.WriteByte(c)
		}
	}
	if !replaced {
		return s, false
	}
	return b.String(), true
}

// inlineArgs are FuzzInlineCheck's arguments: policies (as FuzzDecide's),
// the inline type (by number), the element's local name, its attributes
// (one "name=value" per line; a line without "=" is a name with an empty
// value; a line holding the byte 0x1F is cut there instead, so that a name
// may hold '='; the byte 0x1E stands for a line feed), flags (bit 0: not
// parser-inserted; bit 1: a duplicate attribute; bits 2-3: the global
// object's kind; bit 4: the text is spelled with edgeCharacters; bit 5: the
// last policy, which lists the text's hash (hashOfText), is enforced rather
// than report-only; bits 6-7: that hash's form, hashForms) and the text.
type inlineArgs struct {
	policies  string
	typ       uint8
	localName string
	attrs     string
	flags     uint8
	source    string
}

func (a inlineArgs) toCase() corpus.Case {
	c := corpus.Case{ID: "fuzz", CheckType: corpus.CheckInline, Policies: decodePolicies(a.policies), SelfOrigin: seedSelf}
	source := a.source
	if a.flags&16 != 0 {
		source = spelled(source)
	}
	// A policy of the text's own hash, report-only unless the flag
	// enforces it: both implementations allow the text by it, so a text
	// they hash differently leaves a report on one side only, whatever
	// the other policies say.
	disposition := "report"
	if a.flags&32 != 0 {
		disposition = "enforce"
	}
	c.Policies = append(c.Policies, hashOfText(source, disposition, a.flags>>6))
	in := &corpus.InlineInput{Type: inlineTypeNames[int(a.typ)%len(inlineTypeNames)], Source: source}
	el := &corpus.ElementInput{LocalName: a.localName, NotParserInserted: a.flags&1 != 0, DuplicateAttribute: a.flags&2 != 0}
	if a.attrs != "" {
		for _, line := range strings.Split(a.attrs, "\n") {
			sep := "="
			if strings.Contains(line, "\x1f") {
				sep = "\x1f"
			}
			name, value, _ := strings.Cut(strings.ReplaceAll(line, "\x1e", "\n"), sep)
			el.Attributes = append(el.Attributes, corpus.Attribute{name, value})
		}
	}
	in.Element = el
	c.Inline = in
	if k := globalKindNames[int(a.flags>>2)%len(globalKindNames)]; k != "" {
		c.Global = &corpus.GlobalInput{Kind: k}
	}
	return c
}

// hashForms are the hash-sources hashOfText writes, by number: sha256,
// sha384 and sha512 in base64, and sha256 in base64url, which the
// hash-source grammar also takes.
var hashForms = [4]struct {
	alg string
	url bool
}{{"sha256", false}, {"sha384", false}, {"sha512", false}, {"sha256", true}}

var toBase64URL = strings.NewReplacer("+", "-", "/", "_")

// hashOfText is a policy (of the disposition given) that allows an inline
// script or style, element or attribute, whose text is source and nothing
// else: its hash-source in the form hashForms[form%4] gives, of the text
// as Infra converts it to a scalar value string (a surrogate pair becomes
// its code point, a lone surrogate and an invalid byte U+FFFD; a surrogate
// is read in its three-byte form, ED A0..BF 80..BF, as the model reads a
// DOM string). The fuzzer cannot write a text's digest into a policy
// itself; with it, a text that model and engine hash differently is
// reported (report-only) or blocked (enforced) by one and not the other.
// It is written here, apart from the model's and the engine's readings.
func hashOfText(source, disposition string, form uint8) corpus.PolicyInput {
	var units []uint16
	for i := 0; i < len(source); {
		if i+2 < len(source) && source[i] == 0xED && source[i+1]&0xE0 == 0xA0 && source[i+2]&0xC0 == 0x80 {
			units = append(units, 0xD000|uint16(source[i+1]&0x3F)<<6|uint16(source[i+2]&0x3F))
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(source[i:])
		units = utf16.AppendRune(units, r)
		i += n
	}
	f := hashForms[form%4]
	value := hashOf(f.alg, string(utf16.Decode(units)))
	if f.url {
		value = toBase64URL.Replace(value)
	}
	h := "'" + f.alg + "-" + value + "' 'unsafe-hashes'"
	return corpus.PolicyInput{Value: "script-src " + h + "; style-src " + h, Disposition: disposition, Source: "header"}
}

// globalArgs are FuzzGlobalCheck's arguments: policies, the check (by
// number: eval, wasm, rtc, sandbox), the eval type (by number modulo 3:
// EVAL, FUNCTION, TIMER; divided by 3, modulo 3, how the parameters'
// TrustedScripts stray when bit 3 of the flags makes them so: 1, the last
// is a plain string; 2, the first holds its string and one byte more;
// divided by 9, odd: an empty body is the empty string, as new
// Function("") has, rather than the code), the code, the body ("" for the
// code itself), the parameters (one per line), and flags (bits 0-1: the
// global object's kind; bit 2: the body is a TrustedScript; bit 3: so is
// each parameter; bit 4: the TrustedScript of the body holds the code
// instead; bit 5: the code and the body are spelled with edgeCharacters;
// bits 6-7: how many more times the policies are listed, so that one
// flipped bit makes two, three or four policies block a check alike).
type globalArgs struct {
	policies string
	check    uint8
	evalType uint8
	code     string
	body     string
	params   string
	flags    uint8
}

var globalChecks = []string{corpus.CheckEval, corpus.CheckWasm, corpus.CheckRTC, corpus.CheckSandbox}

var evalTypeNames = []string{"EVAL", "FUNCTION", "TIMER"}

func (a globalArgs) toCase() corpus.Case {
	c := corpus.Case{ID: "fuzz", CheckType: globalChecks[int(a.check)%len(globalChecks)], Policies: decodePolicies(a.policies), SelfOrigin: seedSelf}
	listed := c.Policies
	for range a.flags >> 6 {
		c.Policies = append(c.Policies, listed...)
	}
	if k := globalKindNames[int(a.flags)%len(globalKindNames)]; k != "" {
		c.Global = &corpus.GlobalInput{Kind: k}
	}
	if c.CheckType != corpus.CheckEval {
		return c
	}
	if a.flags&32 != 0 {
		a.code, a.body = spelled(a.code), spelled(a.body)
	}
	e := &corpus.EvalInput{Type: evalTypeNames[int(a.evalType)%len(evalTypeNames)], Code: a.code}
	c.Eval = e
	if e.Type == "TIMER" {
		return c
	}
	if a.body != "" || a.evalType/9%2 == 1 {
		body := a.body
		e.Body = &body
	}
	if a.flags&4 != 0 {
		e.BodyArg = &corpus.ScriptValueInput{TrustedScript: true}
		if a.flags&16 != 0 {
			code := a.code
			e.BodyArg.Data = &code
		}
	}
	if e.Type == "FUNCTION" && a.params != "" {
		e.Parameters = strings.Split(a.params, "\n")
		if a.flags&8 != 0 {
			for range e.Parameters {
				e.ParameterArgs = append(e.ParameterArgs, corpus.ScriptValueInput{TrustedScript: true})
			}
			switch a.evalType / 3 % 3 {
			case 1:
				e.ParameterArgs[len(e.ParameterArgs)-1].TrustedScript = false
			case 2:
				data := e.Parameters[0] + "x"
				e.ParameterArgs[0].Data = &data
			}
		}
	}
	return c
}

// navigationArgs are FuzzNavigationCheck's arguments: policies, the
// self-origin, the check (bit 0: a <base>; else bit 2: a navigation
// response; else a navigation request; bit 1: a form submission; bits 3-4:
// the form of the report-only hash-source of a javascript: URL, which a
// navigation request to one also gets, hashOfText), the URL
// list (one per line; the first is the <base> URL of a base check), the
// global object's kind (by number), and for a navigation response its
// policies (as the case's: 'r' for report-only, any other first byte
// enforced) and its ancestors' origins (one per line, parent first; none
// when empty).
type navigationArgs struct {
	policies   string
	selfOrigin string
	check      uint8
	urls       string
	kind       uint8
	response   string
	ancestors  string
}

func (a navigationArgs) toCase() corpus.Case {
	c := corpus.Case{ID: "fuzz", Policies: decodePolicies(a.policies), SelfOrigin: a.selfOrigin}
	if k := globalKindNames[int(a.kind)%len(globalKindNames)]; k != "" {
		c.Global = &corpus.GlobalInput{Kind: k}
	}
	urls := strings.Split(a.urls, "\n")
	if a.check&1 != 0 {
		c.CheckType, c.BaseURL = corpus.CheckBase, urls[0]
		return c
	}
	typ := "other"
	if a.check&2 != 0 {
		typ = "form-submission"
	}
	c.CheckType, c.Navigation = corpus.CheckNavigationRequest, &corpus.NavigationInput{Type: typ, URLList: urls}
	// A javascript: URL is checked as inline script whose text is its
	// serialization: a report-only policy of that text's hash lets the
	// fuzzer reach a hash match it could not write itself.
	if u, err := model.ParseURL(urls[len(urls)-1]); err == nil && u.Scheme == "javascript" && a.check&4 == 0 {
		c.Policies = append(c.Policies, hashOfText(u.String(), "report", a.check>>3))
	}
	if a.check&4 != 0 {
		c.CheckType = corpus.CheckNavigationResponse
		if a.response != "" {
			r := &corpus.ResponseInput{}
			for _, p := range decodePolicies(a.response) {
				p.Source = "header"
				r.Policies = append(r.Policies, p)
			}
			c.Navigation.Response = r
		}
		if a.ancestors != "" {
			c.Navigation.Ancestors = strings.Split(a.ancestors, "\n")
		}
	}
	return c
}

// flagsOf packs a case's global kind into the low bits of a flag byte.
func kindNumber(c corpus.Case) uint8 {
	if c.Global == nil {
		return 0
	}
	for i, k := range globalKindNames {
		if k == c.Global.Kind {
			return uint8(i)
		}
	}
	return 0
}

// inlineSeeds are FuzzInlineCheck's seeds: every inline case of the
// corpus, then nonces, hashes and 'strict-dynamic' next to near misses.
var inlineSeeds = sync.OnceValues(func() ([]inlineArgs, error) {
	cases, err := loadedCorpus()
	if err != nil {
		return nil, err
	}
	var seeds []inlineArgs
	for _, c := range cases {
		if c.CheckName() == corpus.CheckInline && c.Inline != nil {
			seeds = append(seeds, inlineArgsOf(c))
		}
	}
	text := "alert(1)"
	for _, alg := range []string{"sha256", "sha384", "sha512"} {
		h := hashOf(alg, text)
		url := strings.NewReplacer("+", "-", "/", "_").Replace(h)
		for _, p := range []string{
			"escript-src '" + alg + "-" + h + "'",
			"escript-src '" + alg + "-" + oneOff(h) + "'",
			"escript-src '" + alg + "-" + url + "' 'unsafe-hashes' 'report-sample'",
			"estyle-src '" + alg + "-" + strings.TrimRight(url, "=") + "' 'unsafe-inline'",
		} {
			for typ := range uint8(4) {
				seeds = append(seeds, inlineArgs{policies: p, typ: typ, localName: "button", source: text})
			}
		}
	}
	for _, p := range []string{
		"escript-src 'nonce-abc' 'strict-dynamic' https://cdn.example 'unsafe-inline'",
		"edefault-src 'nonce-abc'\nrstyle-src-elem 'unsafe-inline' 'report-sample'",
		"mscript-src-elem 'nonce-ABC'; script-src 'unsafe-inline'",
	} {
		// The attributes' lines: the nonce in another case, beside
		// another attribute, absent; a name holding '=' (cut at 0x1F), a
		// value starting with one, and line feeds (0x1E) in both.
		for _, attrs := range []string{"nonce=abc", "NONCE=abc\nsrc=<script", "nonce=ABC", "", "nonce=\x1fabc", "=nonce\x1fabc",
			"nonce\x1f=abc", "nonce=ab\x1ec", "nonce\x1e=abc", "nonce=abc\x1e"} {
			for flags := range uint8(4) {
				seeds = append(seeds, inlineArgs{policies: p, typ: flags % 2, attrs: attrs, flags: flags, source: "x()😀" + strings.Repeat("é", 40)})
			}
		}
	}
	// Nonce-sources whose value breaks the grammar at its first, a middle
	// or its last character, against an element whose nonce is that value
	// (blocked), and a twin that keeps to the grammar (allowed).
	for _, v := range []string{"!bc", "a!c", "ab!", "=abc", "abc=!", "abc"} {
		for typ := range uint8(2) {
			seeds = append(seeds, inlineArgs{policies: "escript-src 'nonce-" + v + "'; style-src 'nonce-" + v + "'", typ: typ, attrs: "nonce=" + v, source: "x()"})
		}
	}
	// Text that is not valid UTF-8, as a DOM string read from WTF-8 can
	// be: surrogates in their three-byte form (alone, and a high and a low
	// one that make U+10000 together) and a stray byte, in the hashed text
	// and where the sample's forty code units end.
	const pair, lone = "\xed\xa0\x80\xed\xb0\x80", "\xed\xa0\x81"
	for _, source := range []string{
		"f(" + pair + ")",
		"f(" + lone + ")",
		"f(\xff)",
		"f(\xed\xa0\x7f)", // not a surrogate: its last byte is no continuation byte
		"f(" + strings.Repeat("x", 40) + "\xed\xa0\x80\xee\x80\x80)", // a high surrogate, then U+E000 (no low surrogate)
		"\xed\xa0\x80\xee\x80\x80",                                   // the same, short
		strings.Repeat("x", 38) + lone + "yz",
		strings.Repeat("x", 39) + pair + "yz",
		strings.Repeat("x", 30) + pair + lone + "\xff" + strings.Repeat("y", 20),
		// Valid UTF-8 before and at the cut: the last one-unit character
		// and the first and last two-unit ones.
		strings.Repeat("x", 38) + "\U00010000yz",
		strings.Repeat("x", 36) + "\U00010000\U0010FFFFyz",
		strings.Repeat("x", 38) + "\uFFFF\U00010000yz",
	} {
		p := "escript-src 'report-sample' 'unsafe-hashes' '" + "sha256-" + hashOf("sha256", "f(\U00010000)") + "'"
		seeds = append(seeds, inlineArgs{policies: p, typ: 2, localName: "button", source: source}) // a script attribute
		// And under a policy of the text's own hash, as each script
		// type: allowed only if both implementations hash it alike.
		for typ := range uint8(len(inlineTypeNames)) {
			seeds = append(seeds, inlineArgs{policies: "escript-src 'unsafe-inline'", typ: typ, localName: "button", flags: 32, source: source})
		}
	}
	// Spelled texts: every pair of edge characters where a sample's forty
	// code units end (the first of them the fortieth unit), every edge
	// character just before it, and one in a hashed text.
	sampled := "escript-src 'report-sample' 'unsafe-hashes' 'sha256-" + hashOf("sha256", "f(\U00010000)") + "'"
	var edges strings.Builder
	for c := range byte(len(edgeCharacters)) {
		edges.WriteByte(c)
		for d := range byte(len(edgeCharacters)) {
			seeds = append(seeds, inlineArgs{policies: sampled, typ: 2, localName: "button", flags: 16, source: strings.Repeat("x", 39) + string([]byte{c, d}) + "y"})
		}
	}
	for _, lead := range []int{36, 37, 38} {
		seeds = append(seeds, inlineArgs{policies: sampled, typ: 2, localName: "button", flags: 16, source: strings.Repeat("x", lead) + edges.String()})
	}
	// Every ordered pair of edge characters in one text, under a policy
	// of its own hash, as each inline type: a reading of WTF-8 that
	// differs from Infra's on any two neighbours hashes it differently.
	var pairs []byte
	for c := range byte(len(edgeCharacters)) {
		for d := range byte(len(edgeCharacters)) {
			pairs = append(pairs, c, d)
		}
	}
	for typ := range uint8(len(inlineTypeNames)) {
		seeds = append(seeds, inlineArgs{policies: "escript-src 'unsafe-inline'", typ: typ, localName: "button", flags: 48, source: string(pairs)})
	}
	seeds = append(seeds, inlineArgs{policies: "escript-src 'sha256-" + hashOf("sha256", "f(\U00010000)") + "'", localName: "script", flags: 16, source: "f(\x08)"})
	// Every inline type in every kind of global object: outside a window
	// both implementations refuse, with the same message.
	for kind := range uint8(len(globalKindNames)) {
		for typ := range uint8(len(inlineTypeNames)) {
			seeds = append(seeds, inlineArgs{policies: "escript-src 'unsafe-inline'", typ: typ, localName: "script", flags: kind << 2, source: "x()"})
		}
	}
	return seeds, nil
})

// inlineArgsOf is c, an inline check, as FuzzInlineCheck's arguments:
// toCase gives c back, with one more policy (the text's hash, report-only)
// and the element present if it was absent.
func inlineArgsOf(c corpus.Case) inlineArgs {
	a := inlineArgs{policies: encodePolicies(c.Policies), source: c.Inline.Source, flags: kindNumber(c) << 2}
	for i, t := range inlineTypeNames {
		if t == c.Inline.Type {
			a.typ = uint8(i)
		}
	}
	if el := c.Inline.Element; el != nil {
		a.localName = el.LocalName
		var lines []string
		for _, at := range el.Attributes {
			sep := "="
			if strings.Contains(at[0], "=") {
				sep = "\x1f"
			}
			lines = append(lines, strings.ReplaceAll(at[0]+sep+at[1], "\n", "\x1e"))
		}
		a.attrs = strings.Join(lines, "\n")
		if el.NotParserInserted {
			a.flags |= 1
		}
		if el.DuplicateAttribute {
			a.flags |= 2
		}
	}
	return a
}

// globalSeeds are FuzzGlobalCheck's seeds: every eval, wasm, rtc and
// sandbox case of the corpus, then each check under keywords that allow
// and block it.
var globalSeeds = sync.OnceValues(func() ([]globalArgs, error) {
	cases, err := loadedCorpus()
	if err != nil {
		return nil, err
	}
	var seeds []globalArgs
	for _, c := range cases {
		if a, ok := globalArgsOf(c); ok {
			seeds = append(seeds, a)
		}
	}
	for _, p := range []string{
		"escript-src 'unsafe-eval' 'report-sample'\nrdefault-src 'wasm-unsafe-eval'",
		"erequire-trusted-types-for 'script'; script-src 'trusted-types-eval' 'report-sample'",
		"rrequire-trusted-types-for 'SCRIPT'\nedefault-src 'none'",
		"ewebrtc 'allow'\nrwebrtc 'block'\nmwebrtc 'allow' 'allow'",
		"rscript-src 'self'\nrwebrtc 'block'\nrdefault-src 'unsafe-eval'",
		"esandbox allow-scripts\nesandbox allow-same-origin allow-forms\nrsandbox",
		// Three policies that each block eval, WebAssembly and WebRTC:
		// a compiled list of three violations, which an append would
		// grow with room for a fourth (appendDifference).
		"escript-src 'none'; webrtc 'block'\nrdefault-src 'none'; webrtc 'block'\nmscript-src 'self'; webrtc 'block'",
	} {
		for check := range uint8(4) {
			for flags := range uint8(32) {
				seeds = append(seeds, globalArgs{policies: p, check: check, evalType: flags % 3, code: "function anonymous(a\n) {\n" + strings.Repeat("x", 40) + "\n}", params: "a", flags: flags})
			}
		}
	}
	// Spelled code: every edge character at the cut of a sample.
	for _, lead := range []int{36, 38, 39} {
		code := strings.Repeat("x", lead)
		for c := range byte(len(edgeCharacters)) {
			code += string(rune(c))
		}
		seeds = append(seeds, globalArgs{policies: "escript-src 'report-sample'", code: code, flags: 32})
	}
	// The Function constructor's header is dropped from a Trusted Types
	// sample once, and code that does not start with it (or is shorter
	// than it) is kept whole.
	for _, code := range []string{"function notanonymous() {}", "f()", "function anonymousasync function anonymous() {}", "async function* anonymous() {}"} {
		for evalType := range uint8(3) {
			seeds = append(seeds, globalArgs{policies: "erequire-trusted-types-for 'script'; script-src 'unsafe-eval'", evalType: evalType, code: code, body: "x"})
		}
	}
	// An empty body (new Function(""), eval("")) with the code that
	// wraps it, under each keyword, as a plain string and as a
	// TrustedScript, and whose TrustedScript holds the code instead.
	for _, p := range []string{"escript-src 'unsafe-eval' 'report-sample'", "erequire-trusted-types-for 'script'; script-src 'trusted-types-eval'", "escript-src 'none' 'report-sample'"} {
		for _, evalType := range []uint8{9, 10} {
			for _, flags := range []uint8{0, 4, 4 | 16} {
				seeds = append(seeds, globalArgs{policies: p, evalType: evalType, code: "function anonymous(\n) {\n\n}", flags: flags})
			}
		}
	}
	// The Function constructor's TrustedScripts under Trusted Types: the
	// body's and every parameter's, then the last parameter a plain
	// string, then the first one's data a byte longer than its string.
	for _, evalType := range []uint8{1, 4, 7} {
		seeds = append(seeds, globalArgs{policies: "erequire-trusted-types-for 'script'; script-src 'unsafe-eval'", evalType: evalType, code: "function anonymous(a,b\n) {\nf()\n}", params: "a\nb", flags: 4 | 8 | 16})
	}
	return seeds, nil
})

// globalArgsOf is c as FuzzGlobalCheck's arguments, or false when c is not
// one of its checks. Of an eval check's TrustedScripts it keeps only
// whether the body is one.
func globalArgsOf(c corpus.Case) (globalArgs, bool) {
	a := globalArgs{policies: encodePolicies(c.Policies), flags: kindNumber(c)}
	found := false
	for i, ck := range globalChecks {
		if ck == c.CheckName() {
			a.check, found = uint8(i), true
		}
	}
	if !found {
		return a, false
	}
	if e := c.Eval; e != nil {
		a.code = e.Code
		for i, t := range evalTypeNames {
			if t == e.Type {
				a.evalType = uint8(i)
			}
		}
		if e.Body != nil {
			a.body = *e.Body
			if a.body == "" {
				a.evalType += 9
			}
		}
		a.params = strings.Join(e.Parameters, "\n")
		if e.BodyArg != nil && e.BodyArg.TrustedScript {
			a.flags |= 4
		}
	}
	return a, true
}

// navigationSeeds are FuzzNavigationCheck's seeds: every navigation and
// base case of the corpus, then form-action, base-uri and frame-ancestors
// lists, javascript: URLs under 'unsafe-hashes', and every URL of urlSeeds.
var navigationSeeds = sync.OnceValues(func() ([]navigationArgs, error) {
	cases, err := loadedCorpus()
	if err != nil {
		return nil, err
	}
	var seeds []navigationArgs
	for _, c := range cases {
		a := navigationArgs{policies: encodePolicies(c.Policies), selfOrigin: c.SelfOrigin, kind: kindNumber(c)}
		switch c.CheckName() {
		case corpus.CheckBase:
			a.check, a.urls = 1, c.BaseURL
		case corpus.CheckNavigationRequest, corpus.CheckNavigationResponse:
			a.urls = strings.Join(c.Navigation.URLList, "\n")
			if c.Navigation.Type == "form-submission" {
				a.check = 2
			}
			if c.CheckName() == corpus.CheckNavigationResponse {
				a.check |= 4
				if r := c.Navigation.Response; r != nil {
					a.response = encodePolicies(r.Policies)
				}
				a.ancestors = strings.Join(c.Navigation.Ancestors, "\n")
			}
		default:
			continue
		}
		seeds = append(seeds, a)
	}
	js := "javascript:alert(1)"
	for _, p := range []string{
		"eform-action 'self' https://forms.example/submit; base-uri 'self'",
		"rform-action 'none'\nebase-uri https://*.example.com:* http:",
		"escript-src 'unsafe-hashes' 'sha256-" + hashOf("sha256", js) + "'",
		"edefault-src 'unsafe-inline'\nrscript-src-elem 'nonce-a' 'unsafe-inline'",
	} {
		for _, urls := range []string{"https://forms.example/submit", "https://example.com/a\nhttps://forms.example/elsewhere", "https://example.com/a\nhttps://forms.example/submit\nhttp://evil.example/", js, "javascript:alert(2)", "data:text/html,x"} {
			for check := range uint8(8) {
				seeds = append(seeds, navigationArgs{policies: p, selfOrigin: seedSelf, check: check, urls: urls,
					response: "eframe-ancestors 'self' https://*.example.com:*\nrframe-ancestors 'none'", ancestors: "https://example.com\nhttps://a.example.com:8443\nnull"})
			}
		}
	}
	// Path-parts against URL paths with escapes, which #match-paths decodes
	// segment by segment: into the path-part's segments and not. The
	// path-part "/" against a path of one segment and the empty one: a
	// path built by hand may lack the "/" in front (handBuiltURLs).
	for _, p := range []string{"eform-action https://example.com/app/; base-uri https://example.com/app", "eform-action https://example.com/a%70p/x; base-uri 'self' https://example.com/%61pp", "eform-action https://example.com/; base-uri https://example.com/"} {
		for _, u := range []string{"https://example.com/a%70p/x", "https://example.com/%61pp", "https://example.com/app%2Fx", "https://example.com/app/%78", "https://example.com/app", "https://example.com/x", "https://example.com/"} {
			for _, check := range []uint8{0, 1, 2} {
				seeds = append(seeds, navigationArgs{policies: p, selfOrigin: seedSelf, check: check, urls: u})
			}
		}
	}
	// Hosts that are a wildcard's suffix, leading dot and all, which the
	// suffix matches (#match-hosts step 3.2), and their neighbours.
	for _, u := range []string{"https://.example.com/", "https://a.example.com/", "https://example.com/", "https://.com/"} {
		for _, check := range []uint8{0, 1, 2, 3} {
			seeds = append(seeds, navigationArgs{policies: "eform-action https://*.example.com; base-uri *.example.com", selfOrigin: seedSelf, check: check, urls: u,
				response: "eframe-ancestors *.example.com", ancestors: strings.TrimSuffix(u, "/")})
		}
	}
	// One ancestor of ten that 'self' does not match, at each depth: every
	// ancestor is checked (#frame-ancestors-navigation-response step 6),
	// more of them than the engine prepares on the stack.
	for evil := range 10 {
		ancestors := make([]string, 10)
		for i := range ancestors {
			ancestors[i] = seedSelf
		}
		ancestors[evil] = "https://evil.example"
		seeds = append(seeds, navigationArgs{policies: "eform-action 'self'", selfOrigin: seedSelf, check: 4, urls: seedSelf + "/framed",
			response: "eframe-ancestors 'self'", ancestors: strings.Join(ancestors, "\n")})
	}
	// 'self' of a self-origin at each edge of its port (0 is no scheme's
	// default), against the host on the default port, a byte away from
	// any other port.
	for _, port := range []string{":0", ":1", ":80", ":443", ":8443", ":65535"} {
		for _, check := range []uint8{1, 2} {
			seeds = append(seeds, navigationArgs{policies: "ebase-uri 'self'; form-action 'self'", selfOrigin: seedSelf + port, check: check, urls: seedSelf + "/a"})
		}
	}
	// Hosts of 16, 17 and 24 bytes (the checks' matcher compares the first
	// and last eight bytes as words, then the rest), against hosts that
	// differ from them in one middle byte, as the self-origin and as a
	// host-source.
	for _, host := range []string{"abcdefg.ijklmnop", "abcdefgh.ijklmnop", "abcdefgh.jklm.opqrstuv"} {
		other := []byte(host)
		other[len(other)/2] = '-'
		for _, check := range []uint8{1, 2} {
			seeds = append(seeds,
				navigationArgs{policies: "ebase-uri 'self'; form-action 'self'", selfOrigin: "https://" + host, check: check, urls: "https://" + string(other) + "/a"},
				navigationArgs{policies: "ebase-uri https://" + host + "; form-action https://" + host, selfOrigin: seedSelf, check: check, urls: "https://" + string(other) + "/a"})
		}
	}
	// Scheme-sources without a number against URLs of that scheme that
	// have no host: only the scheme-source can match them.
	for _, src := range []string{"foo:", "data:", "foo: 'nonce-a'", "DATA: https://example.com"} {
		for _, u := range []string{"foo:opaque", "data:,x"} {
			seeds = append(seeds, navigationArgs{policies: "ebase-uri " + src + "; form-action " + src, selfOrigin: seedSelf, check: 2, urls: u})
		}
	}
	// Every URL FuzzURLFastPath starts from (urlSeeds: every scheme, host
	// kind and port edge, blob: URLs of each inner kind) as a <base> URL
	// and a form's target, under 'self', "*", scheme-sources and
	// host-sources: each branch of the checks' own URL matcher.
	for _, u := range urlSeeds {
		for _, src := range []string{"'self'", "*", "https: blob: data: custom:", "example.com *.example.com:* 10.0.0.1 [::1]"} {
			for _, check := range []uint8{1, 2} {
				seeds = append(seeds, navigationArgs{policies: "ebase-uri " + src + "; form-action " + src, selfOrigin: seedSelf, check: check, urls: u})
			}
		}
	}
	// Each check in every kind of global object (a <base> needs a window).
	for kind := range uint8(len(globalKindNames)) {
		for check := range uint8(8) {
			seeds = append(seeds, navigationArgs{policies: "ebase-uri 'self'; form-action 'self'", selfOrigin: seedSelf, check: check, urls: seedSelf + "/a", kind: kind})
		}
	}
	return seeds, nil
})
