package model

import (
	"strconv"
	"strings"
	"unicode/utf16"
	"unicode/utf8"
)

// This file holds the few operations on DOM strings that the inline, eval
// and reporting algorithms need: a DOM string (https://infra.spec.whatwg.org/#string)
// is a sequence of 16-bit code units, which may hold lone surrogates.
//
// Departure(D5): the model holds a DOM string in a Go string, UTF-8 encoded.
// A lone surrogate, which UTF-8 cannot encode, is written in the three-byte
// form that generalized UTF-8 (WTF-8) gives it (ED A0 80 to ED BF BF); a
// byte that starts no valid sequence stands for U+FFFD, since no DOM string
// could have produced it. Every function here is total over arbitrary bytes.

// codeUnits returns the UTF-16 code units of s, read as described above.
func codeUnits(s string) []uint16 {
	units := make([]uint16, 0, len(s))
	for i := 0; i < len(s); {
		if i+2 < len(s) && s[i] == 0xED && s[i+1] >= 0xA0 && s[i+1] <= 0xBF && s[i+2] >= 0x80 && s[i+2] <= 0xBF {
			// A surrogate in generalized UTF-8: 1110_1101 10_1xxxxx 10_xxxxxx.
			units = append(units, 0xD000|uint16(s[i+1]&0x3F)<<6|uint16(s[i+2]&0x3F))
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		// An invalid byte decodes to utf8.RuneError (U+FFFD) with size 1.
		if r >= 0x10000 {
			hi, lo := utf16.EncodeRune(r)
			units = append(units, uint16(hi), uint16(lo))
		} else {
			units = append(units, uint16(r))
		}
		i += size
	}
	return units
}

// fromCodeUnits writes code units back as a Go string: surrogate pairs as
// the code point they encode, lone surrogates in their three-byte form.
func fromCodeUnits(units []uint16) string {
	var b strings.Builder
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch {
		case utf16.IsSurrogate(rune(u)) && u < 0xDC00 && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF:
			b.WriteRune(utf16.DecodeRune(rune(u), rune(units[i+1])))
			i++
		case utf16.IsSurrogate(rune(u)):
			b.WriteByte(0xED)
			b.WriteByte(0x80 | byte(u>>6)&0x3F)
			b.WriteByte(0x80 | byte(u)&0x3F)
		default:
			b.WriteRune(rune(u))
		}
	}
	return b.String()
}

// javaScriptStringConvert is the Infra "convert" of a JavaScript string
// (https://infra.spec.whatwg.org/#javascript-string-convert): every lone
// surrogate becomes U+FFFD, giving a scalar value string, here valid UTF-8.
func javaScriptStringConvert(s string) string {
	return string(utf16.Decode(codeUnits(s)))
}

// sampleLength is the length of a violation's sample: "the first 40
// characters" of the source (#should-block-inline step 3.1.6,
// #can-compile-strings step 5.3.6).
const sampleLength = 40

// firstCharacters returns the first n characters of s. Ambiguity(A16): the
// spec does not say what a character is; the model counts UTF-16 code units,
// the length of an Infra string, and keeps a surrogate pair whole when the
// cut would split it (taking n+1 code units), as Firefox does, so that a
// sample never ends in half a character.
func firstCharacters(s string, n int) string {
	units := codeUnits(s)
	if len(units) <= n {
		return fromCodeUnits(units)
	}
	if n > 0 && units[n-1] >= 0xD800 && units[n-1] <= 0xDBFF && units[n] >= 0xDC00 && units[n] <= 0xDFFF {
		n++
	}
	return fromCodeUnits(units[:n])
}

// jsonQuote writes s as a JSON string the way JSON.stringify does
// (ECMA-262 QuoteJSONString): the two-character escapes for \b \t \n \f \r
// " and \, \u00XX for other control characters, \uXXXX (lowercase hex) for
// lone surrogates, and every other character as itself, in UTF-8.
func jsonQuote(b *strings.Builder, s string) {
	units := codeUnits(s)
	b.WriteByte('"')
	for i := 0; i < len(units); i++ {
		u := units[i]
		switch u {
		case '\b':
			b.WriteString(`\b`)
		case '\t':
			b.WriteString(`\t`)
		case '\n':
			b.WriteString(`\n`)
		case '\f':
			b.WriteString(`\f`)
		case '\r':
			b.WriteString(`\r`)
		case '"':
			b.WriteString(`\"`)
		case '\\':
			b.WriteString(`\\`)
		default:
			switch {
			case u < 0x20:
				b.WriteString(`\u00`)
				if u < 0x10 {
					b.WriteByte('0')
				}
				b.WriteString(strconv.FormatUint(uint64(u), 16))
			case u >= 0xD800 && u <= 0xDBFF && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF:
				b.WriteRune(utf16.DecodeRune(rune(u), rune(units[i+1])))
				i++
			case u >= 0xD800 && u <= 0xDFFF:
				b.WriteString(`\u`)
				b.WriteString(strconv.FormatUint(uint64(u), 16))
			default:
				b.WriteRune(rune(u))
			}
		}
	}
	b.WriteByte('"')
}
