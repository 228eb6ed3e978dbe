package corpus

import (
	"strconv"
	"strings"
	"unicode/utf8"
)

// This file is a decoder of the vector format written for the format's
// shape, for csp check --vectors, where decoding the cases with the general
// JSON library (reflection, a field table per struct) took more time than
// deciding them. It reads the common form of a case and gives up, rather
// than guess, on anything else: null, a string with a surrogate escape or
// an escaped member name, a number other than a plain integer, a report
// body, or any input the strict decoder would refuse (an unknown or
// repeated member, invalid UTF-8 or JSON, anything after the case).
// DecodeCase then decodes the line with the strict decoder, so its result
// and its errors are the same with or without this one
// (TestFastDecodeAsStrict).

// decodeFast decodes a case of the common form; ok is false when it gave
// up, and c is then not to be used.
func decodeFast(line []byte) (c Case, ok bool) {
	d := fastDecoder{b: line, s: string(line)}
	d.ws()
	ok = d.caseObject(&c)
	d.ws()
	return c, ok && d.i == len(d.b)
}

// fastDecoder reads JSON from b, at i. Each method returns false when the
// input is not of the form it reads, leaving i anywhere. s is a copy of b
// made once, of which the strings without escapes are slices: one
// allocation for all of them (the case keeps the line's text alive, about
// what its strings would take apart).
type fastDecoder struct {
	b []byte
	s string
	i int
}

// plain marks the bytes a string can hold as they are: not '"', '\\', a
// control character or a byte of a multibyte UTF-8 sequence.
var plain = func() (t [256]bool) {
	for c := 0x20; c < utf8.RuneSelf; c++ {
		t[c] = c != '"' && c != '\\'
	}
	return t
}()

func (d *fastDecoder) ws() {
	for d.i < len(d.b) {
		switch d.b[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// next skips white space and consumes c if it comes next.
func (d *fastDecoder) next(c byte) bool {
	d.ws()
	if d.i < len(d.b) && d.b[d.i] == c {
		d.i++
		return true
	}
	return false
}

// object reads an object, calling member for each member with its name
// (valid until the next read), the decoder standing at the member's value.
// seen is a bit per member name of the caller's struct: member returns the
// name's bit, or 0 for a name the struct does not have; a repeated name
// gives up.
func (d *fastDecoder) object(member func(name []byte) uint32) bool {
	if !d.next('{') {
		return false
	}
	if d.next('}') {
		return true
	}
	var seen uint32
	for {
		name, ok := d.name()
		if !ok || !d.next(':') {
			return false
		}
		d.ws()
		bit := member(name)
		if bit == 0 || seen&bit != 0 {
			return false
		}
		seen |= bit
		if d.next(',') {
			continue
		}
		return d.next('}')
	}
}

// name reads a member name without escapes, as bytes of the input.
func (d *fastDecoder) name() ([]byte, bool) {
	if !d.next('"') {
		return nil, false
	}
	start := d.i
	d.i = skipPlain(d.b, d.i)
	if d.i == len(d.b) || d.b[d.i] != '"' {
		return nil, false
	}
	d.i++
	return d.b[start : d.i-1], true
}

// skipPlain returns the index of the first byte at or after i in b that is
// not plain, or len(b). It looks at eight bytes at a time while none of
// them needs care: a byte with its high bit set, one below 0x20, '"' or
// '\\' (each found by the usual test for a zero byte in a word, on the word
// made to have a zero where such a byte is).
func skipPlain[T []byte | string](b T, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(b); i += 8 {
		x := uint64(b[i]) | uint64(b[i+1])<<8 | uint64(b[i+2])<<16 | uint64(b[i+3])<<24 |
			uint64(b[i+4])<<32 | uint64(b[i+5])<<40 | uint64(b[i+6])<<48 | uint64(b[i+7])<<56
		quote, backslash := x^(ones*'"'), x^(ones*'\\')
		care := x | (x - ones*0x20) | (quote-ones)&^quote | (backslash-ones)&^backslash
		if care&highs != 0 {
			break
		}
	}
	for i < len(b) && plain[b[i]] {
		i++
	}
	return i
}

// str reads a string. Escapes are decoded but for \u escapes of surrogates;
// raw bytes must be valid UTF-8.
func (d *fastDecoder) str() (string, bool) {
	if d.i >= len(d.b) || d.b[d.i] != '"' {
		return "", false
	}
	d.i++
	start := d.i
	ascii := true
	for d.i < len(d.b) {
		d.i = skipPlain(d.b, d.i)
		if d.i == len(d.b) {
			break
		}
		c := d.b[d.i]
		switch {
		case c == '"':
			raw := d.s[start:d.i]
			d.i++
			if !ascii && !utf8.ValidString(raw) {
				return "", false
			}
			return raw, true
		case c == '\\':
			return d.escaped(start)
		case c < 0x20:
			return "", false
		case c >= utf8.RuneSelf:
			ascii = false
		}
		d.i++
	}
	return "", false
}

// escaped finishes a string that starts at start and has an escape at i.
func (d *fastDecoder) escaped(start int) (string, bool) {
	var b strings.Builder
	b.Grow(d.i - start + 16)
	b.Write(d.b[start:d.i])
	for d.i < len(d.b) {
		c := d.b[d.i]
		switch {
		case c == '"':
			d.i++
			s := b.String()
			return s, utf8.ValidString(s)
		case c < 0x20:
			return "", false
		case c != '\\':
			b.WriteByte(c)
			d.i++
			continue
		}
		if d.i+1 >= len(d.b) {
			return "", false
		}
		e := d.b[d.i+1]
		d.i += 2
		switch e {
		case '"', '\\', '/':
			b.WriteByte(e)
		case 'b':
			b.WriteByte('\b')
		case 'f':
			b.WriteByte('\f')
		case 'n':
			b.WriteByte('\n')
		case 'r':
			b.WriteByte('\r')
		case 't':
			b.WriteByte('\t')
		case 'u':
			if d.i+4 > len(d.b) {
				return "", false
			}
			r, err := strconv.ParseUint(string(d.b[d.i:d.i+4]), 16, 32)
			if err != nil || 0xd800 <= r && r < 0xe000 {
				return "", false
			}
			b.WriteRune(rune(r))
			d.i += 4
		default:
			return "", false
		}
	}
	return "", false
}

// null consumes a null if one comes next: a nil pointer or slice.
func (d *fastDecoder) null() bool {
	if len(d.b)-d.i >= 4 && string(d.b[d.i:d.i+4]) == "null" {
		d.i += 4
		return true
	}
	return false
}

func (d *fastDecoder) strPtr() (*string, bool) {
	if d.null() {
		return nil, true
	}
	s, ok := d.str()
	return &s, ok
}

// integer reads a plain integer of at most 15 digits: no fraction, no
// exponent, no leading zero.
func (d *fastDecoder) integer() (int, bool) {
	start := d.i
	if d.i < len(d.b) && d.b[d.i] == '-' {
		d.i++
	}
	digits := d.i
	for d.i < len(d.b) && '0' <= d.b[d.i] && d.b[d.i] <= '9' {
		d.i++
	}
	n := d.i - digits
	if n == 0 || n > 15 || n > 1 && d.b[digits] == '0' {
		return 0, false
	}
	if d.i < len(d.b) {
		switch d.b[d.i] {
		case '.', 'e', 'E':
			return 0, false
		}
	}
	v, err := strconv.Atoi(string(d.b[start:d.i]))
	return v, err == nil
}

func (d *fastDecoder) boolean() (bool, bool) {
	rest := d.b[d.i:]
	switch {
	case len(rest) >= 4 && string(rest[:4]) == "true":
		d.i += 4
		return true, true
	case len(rest) >= 5 && string(rest[:5]) == "false":
		d.i += 5
		return false, true
	}
	return false, false
}

// array reads an array, calling elem for each element, the decoder
// standing at the element. An empty array is still non-nil for the caller
// to make (the strict decoder makes [] an empty, non-nil slice).
func (d *fastDecoder) array(elem func() bool) bool {
	if !d.next('[') {
		return false
	}
	if d.next(']') {
		return true
	}
	for {
		d.ws()
		if !elem() {
			return false
		}
		if d.next(',') {
			continue
		}
		return d.next(']')
	}
}

func (d *fastDecoder) strings(dst *[]string) bool {
	if d.null() {
		*dst = nil
		return true
	}
	*dst = []string{}
	return d.array(func() bool {
		s, ok := d.str()
		*dst = append(*dst, s)
		return ok
	})
}

func (d *fastDecoder) caseObject(c *Case) bool {
	ok := true
	return d.object(func(name []byte) uint32 {
		switch string(name) {
		case "id":
			c.ID, ok = d.str()
			return bit(ok, 0)
		case "check":
			c.CheckType, ok = d.str()
			return bit(ok, 1)
		case "policies":
			return bit(d.policies(&c.Policies), 2)
		case "self_origin":
			c.SelfOrigin, ok = d.str()
			return bit(ok, 3)
		case "global":
			if d.null() {
				c.Global = nil
				return 1 << 4
			}
			c.Global = new(GlobalInput)
			return bit(d.global(c.Global), 4)
		case "request":
			return bit(d.request(&c.Request), 5)
		case "inline":
			if d.null() {
				c.Inline = nil
				return 1 << 6
			}
			c.Inline = new(InlineInput)
			return bit(d.inline(c.Inline), 6)
		case "eval":
			if d.null() {
				c.Eval = nil
				return 1 << 7
			}
			c.Eval = new(EvalInput)
			return bit(d.eval(c.Eval), 7)
		case "navigation":
			if d.null() {
				c.Navigation = nil
				return 1 << 8
			}
			c.Navigation = new(NavigationInput)
			return bit(d.navigation(c.Navigation), 8)
		case "base_url":
			c.BaseURL, ok = d.str()
			return bit(ok, 9)
		case "expect":
			if d.null() {
				c.Expect = nil
				return 1 << 10
			}
			c.Expect = new(Expectation)
			return bit(d.expectation(c.Expect), 10)
		case "source":
			c.Source, ok = d.str()
			return bit(ok, 11)
		case "note":
			c.Note, ok = d.str()
			return bit(ok, 12)
		}
		return 0
	})
}

// bit is member n's bit for object when its value was read, 0 (give up)
// when not.
func bit(ok bool, n uint) uint32 {
	if !ok {
		return 0
	}
	return 1 << n
}

func (d *fastDecoder) policies(dst *[]PolicyInput) bool {
	if d.null() {
		*dst = nil
		return true
	}
	*dst = []PolicyInput{}
	return d.array(func() bool {
		var p PolicyInput
		ok := d.object(func(name []byte) uint32 {
			var ok bool
			switch string(name) {
			case "value":
				p.Value, ok = d.str()
				return bit(ok, 0)
			case "disposition":
				p.Disposition, ok = d.str()
				return bit(ok, 1)
			case "source":
				p.Source, ok = d.str()
				return bit(ok, 2)
			}
			return 0
		})
		*dst = append(*dst, p)
		return ok
	})
}

func (d *fastDecoder) global(g *GlobalInput) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "kind":
			g.Kind, ok = d.str()
			return bit(ok, 0)
		case "url":
			g.URL, ok = d.strPtr()
			return bit(ok, 1)
		case "referrer":
			g.Referrer, ok = d.str()
			return bit(ok, 2)
		case "status":
			g.Status, ok = d.integer()
			return bit(ok, 3)
		}
		return 0
	})
}

func (d *fastDecoder) request(r *RequestInput) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "kind":
			r.Kind, ok = d.str()
			return bit(ok, 0)
		case "destination":
			r.Destination, ok = d.strPtr()
			return bit(ok, 1)
		case "initiator":
			r.Initiator, ok = d.str()
			return bit(ok, 2)
		case "mode":
			r.Mode, ok = d.str()
			return bit(ok, 3)
		case "url_list":
			return bit(d.strings(&r.URLList), 4)
		case "nonce":
			r.Nonce, ok = d.str()
			return bit(ok, 5)
		case "integrity":
			r.Integrity, ok = d.str()
			return bit(ok, 6)
		case "parser_metadata":
			r.ParserMetadata, ok = d.str()
			return bit(ok, 7)
		case "webtransport_hashes":
			return bit(d.strings(&r.WebTransportHashes), 8)
		}
		return 0
	})
}

func (d *fastDecoder) inline(in *InlineInput) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "type":
			in.Type, ok = d.str()
			return bit(ok, 0)
		case "element":
			if d.null() {
				in.Element = nil
				return 1 << 1
			}
			in.Element = new(ElementInput)
			return bit(d.element(in.Element), 1)
		case "source":
			in.Source, ok = d.str()
			return bit(ok, 2)
		}
		return 0
	})
}

func (d *fastDecoder) element(e *ElementInput) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "local_name":
			e.LocalName, ok = d.str()
			return bit(ok, 0)
		case "attributes":
			if d.null() {
				e.Attributes = nil
				return 1 << 1
			}
			e.Attributes = []Attribute{}
			return bit(d.array(func() bool {
				var a Attribute
				n := 0
				ok := d.array(func() bool {
					if n == 2 {
						return false
					}
					var ok bool
					a[n], ok = d.str()
					n++
					return ok
				})
				e.Attributes = append(e.Attributes, a)
				return ok && n == 2
			}), 1)
		case "not_parser_inserted":
			e.NotParserInserted, ok = d.boolean()
			return bit(ok, 2)
		case "duplicate_attribute":
			e.DuplicateAttribute, ok = d.boolean()
			return bit(ok, 3)
		}
		return 0
	})
}

func (d *fastDecoder) eval(e *EvalInput) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "type":
			e.Type, ok = d.str()
			return bit(ok, 0)
		case "code":
			e.Code, ok = d.str()
			return bit(ok, 1)
		case "body":
			e.Body, ok = d.strPtr()
			return bit(ok, 2)
		case "parameters":
			return bit(d.strings(&e.Parameters), 3)
		case "body_arg":
			if d.null() {
				e.BodyArg = nil
				return 1 << 4
			}
			e.BodyArg = new(ScriptValueInput)
			return bit(d.scriptValue(e.BodyArg), 4)
		case "parameter_args":
			if d.null() {
				e.ParameterArgs = nil
				return 1 << 5
			}
			e.ParameterArgs = []ScriptValueInput{}
			return bit(d.array(func() bool {
				var v ScriptValueInput
				ok := d.scriptValue(&v)
				e.ParameterArgs = append(e.ParameterArgs, v)
				return ok
			}), 5)
		}
		return 0
	})
}

func (d *fastDecoder) scriptValue(v *ScriptValueInput) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "trusted_script":
			v.TrustedScript, ok = d.boolean()
			return bit(ok, 0)
		case "data":
			v.Data, ok = d.strPtr()
			return bit(ok, 1)
		}
		return 0
	})
}

func (d *fastDecoder) navigation(n *NavigationInput) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "type":
			n.Type, ok = d.str()
			return bit(ok, 0)
		case "url_list":
			return bit(d.strings(&n.URLList), 1)
		case "response":
			if d.null() {
				n.Response = nil
				return 1 << 2
			}
			n.Response = new(ResponseInput)
			return bit(d.object(func(name []byte) uint32 {
				if string(name) == "policies" {
					return bit(d.policies(&n.Response.Policies), 0)
				}
				return 0
			}), 2)
		case "ancestors":
			return bit(d.strings(&n.Ancestors), 3)
		}
		return 0
	})
}

func (d *fastDecoder) expectation(e *Expectation) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "verdict":
			e.Verdict, ok = d.str()
			return bit(ok, 0)
		case "violations":
			if d.null() {
				e.Violations = nil
				return 1 << 1
			}
			e.Violations = []Violation{}
			return bit(d.array(func() bool {
				var v Violation
				ok := d.violation(&v)
				e.Violations = append(e.Violations, v)
				return ok
			}), 1)
		case "sandbox_flags":
			return bit(d.strings(&e.SandboxFlags), 2)
		}
		return 0
	})
}

// violation reads a violation without a report body (a report body gives
// up: the strict decoder compacts it).
func (d *fastDecoder) violation(v *Violation) bool {
	return d.object(func(name []byte) uint32 {
		var ok bool
		switch string(name) {
		case "policy":
			v.Policy, ok = d.integer()
			return bit(ok, 0)
		case "original_policy":
			v.OriginalPolicy, ok = d.str()
			return bit(ok, 1)
		case "directive":
			v.Directive, ok = d.str()
			return bit(ok, 2)
		case "effective_directive":
			v.EffectiveDirective, ok = d.str()
			return bit(ok, 3)
		case "disposition":
			v.Disposition, ok = d.str()
			return bit(ok, 4)
		case "blocked_uri":
			v.BlockedURI, ok = d.str()
			return bit(ok, 5)
		case "check":
			v.Check, ok = d.str()
			return bit(ok, 6)
		case "redirect_count":
			v.RedirectCount, ok = d.integer()
			return bit(ok, 7)
		case "sample":
			v.Sample, ok = d.str()
			return bit(ok, 8)
		case "element":
			v.Element, ok = d.str()
			return bit(ok, 9)
		case "response_policy":
			v.ResponsePolicy, ok = d.boolean()
			return bit(ok, 10)
		}
		return 0
	})
}

// appendResult appends r as one JSON line, byte for byte as encoding/json
// writes it with HTML escaping off (TestAppendResultAsEncoder); ok is false
// for a result with a report body, which encoding/json writes (it checks
// and compacts the body).
func appendResult(dst []byte, r *Result) (_ []byte, ok bool) {
	dst = append(dst, `{"id":`...)
	dst = appendJSONString(dst, r.ID)
	if r.Verdict != "" {
		dst = append(dst, `,"verdict":`...)
		dst = appendJSONString(dst, r.Verdict)
	}
	dst = append(dst, `,"violations":`...)
	if r.Violations == nil {
		dst = append(dst, "null"...)
	} else {
		dst = append(dst, '[')
		for i := range r.Violations {
			v := &r.Violations[i]
			if v.ReportBody != "" {
				return dst, false
			}
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = append(dst, `{"policy":`...)
			dst = strconv.AppendInt(dst, int64(v.Policy), 10)
			dst = append(dst, `,"original_policy":`...)
			dst = appendJSONString(dst, v.OriginalPolicy)
			dst = append(dst, `,"directive":`...)
			dst = appendJSONString(dst, v.Directive)
			dst = append(dst, `,"effective_directive":`...)
			dst = appendJSONString(dst, v.EffectiveDirective)
			dst = append(dst, `,"disposition":`...)
			dst = appendJSONString(dst, v.Disposition)
			dst = append(dst, `,"blocked_uri":`...)
			dst = appendJSONString(dst, v.BlockedURI)
			dst = append(dst, `,"check":`...)
			dst = appendJSONString(dst, v.Check)
			dst = append(dst, `,"redirect_count":`...)
			dst = strconv.AppendInt(dst, int64(v.RedirectCount), 10)
			if v.Sample != "" {
				dst = append(dst, `,"sample":`...)
				dst = appendJSONString(dst, v.Sample)
			}
			if v.Element != "" {
				dst = append(dst, `,"element":`...)
				dst = appendJSONString(dst, v.Element)
			}
			if v.ResponsePolicy {
				dst = append(dst, `,"response_policy":true`...)
			}
			dst = append(dst, '}')
		}
		dst = append(dst, ']')
	}
	if r.SandboxFlags != nil {
		dst = append(dst, `,"sandbox_flags":[`...)
		for i, f := range r.SandboxFlags {
			if i > 0 {
				dst = append(dst, ',')
			}
			dst = appendJSONString(dst, f)
		}
		dst = append(dst, ']')
	}
	if r.Error != "" {
		dst = append(dst, `,"error":`...)
		dst = appendJSONString(dst, r.Error)
	}
	if r.Unsupported != "" {
		dst = append(dst, `,"unsupported":`...)
		dst = appendJSONString(dst, r.Unsupported)
	}
	return append(dst, "}\n"...), true
}

// appendJSONString appends s as a JSON string the way encoding/json does
// with HTML escaping off: '"', '\\' and control characters escaped (\b, \f,
// \n, \r and \t by name, the others as \u00XX), each byte of invalid UTF-8
// as \ufffd, and U+2028 and U+2029 as \u2028 and \u2029.
func appendJSONString(dst []byte, s string) []byte {
	const hex = "0123456789abcdef"
	dst = append(dst, '"')
	start := 0
	for i := 0; i < len(s); {
		i = skipPlain(s, i)
		if i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			dst = append(dst, s[start:i]...)
			switch c {
			case '\\', '"':
				dst = append(dst, '\\', c)
			case '\b':
				dst = append(dst, '\\', 'b')
			case '\f':
				dst = append(dst, '\\', 'f')
			case '\n':
				dst = append(dst, '\\', 'n')
			case '\r':
				dst = append(dst, '\\', 'r')
			case '\t':
				dst = append(dst, '\\', 't')
			default:
				dst = append(dst, '\\', 'u', '0', '0', hex[c>>4], hex[c&0xf])
			}
			i++
			start = i
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		switch {
		case r == utf8.RuneError && size == 1:
			dst = append(dst, s[start:i]...)
			dst = append(dst, `\ufffd`...)
		case r == '\u2028' || r == '\u2029':
			dst = append(dst, s[start:i]...)
			dst = append(dst, '\\', 'u', '2', '0', '2', hex[r&0xf])
		default:
			i += size
			continue
		}
		i += size
		start = i
	}
	dst = append(dst, s[start:]...)
	return append(dst, '"')
}
