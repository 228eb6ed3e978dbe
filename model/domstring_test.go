package model

import (
	"encoding/json"
	"fmt"
	"math/rand"
	"reflect"
	"strconv"
	"strings"
	"testing"
	"unicode/utf16"
	"unicode/utf8"
)

func TestCodeUnits(t *testing.T) {
	for _, tt := range []struct {
		in      string
		units   []uint16
		convert string
	}{
		{"", nil, ""},
		{"aé", []uint16{'a', 0xE9}, "aé"},
		{"😀", []uint16{0xD83D, 0xDE00}, "😀"},
		{"\xED\xA0\x80", []uint16{0xD800}, "\uFFFD"},                // a lone high surrogate
		{"\xED\xBF\xBFx", []uint16{0xDFFF, 'x'}, "\uFFFDx"},         // a lone low surrogate
		{"\xED\xA0\xBD\xED\xB8\x80", []uint16{0xD83D, 0xDE00}, "😀"}, // a pair written as two surrogates
		{"\xff", []uint16{0xFFFD}, "\uFFFD"},                        // a byte no DOM string has
		{"\xED\xA0", []uint16{0xFFFD, 0xFFFD}, "\uFFFD\uFFFD"},      // a cut surrogate: two invalid bytes
	} {
		got := codeUnits(tt.in)
		if len(got) != len(tt.units) {
			t.Errorf("codeUnits(%q) = %x, want %x", tt.in, got, tt.units)
			continue
		}
		for i := range got {
			if got[i] != tt.units[i] {
				t.Errorf("codeUnits(%q) = %x, want %x", tt.in, got, tt.units)
				break
			}
		}
		if c := javaScriptStringConvert(tt.in); c != tt.convert || !utf8.ValidString(c) {
			t.Errorf("javaScriptStringConvert(%q) = %q, want %q", tt.in, c, tt.convert)
		}
	}
	// Lone surrogates survive a round trip through code units.
	if s := fromCodeUnits(codeUnits("a\xED\xA0\x80b")); s != "a\xED\xA0\x80b" {
		t.Errorf("round trip: %q", s)
	}
}

func TestFirstCharacters(t *testing.T) {
	for _, tt := range []struct {
		in   string
		n    int
		want string
	}{
		{"abc", 40, "abc"},
		{strings.Repeat("é", 45), 40, strings.Repeat("é", 40)},
		{strings.Repeat("a", 39) + "😀b", 40, strings.Repeat("a", 39) + "😀"}, // A16: 41 code units
		{strings.Repeat("a", 38) + "😀b", 40, strings.Repeat("a", 38) + "😀"}, // exactly 40
		{strings.Repeat("a", 39) + "\xED\xA0\x80bc", 40, strings.Repeat("a", 39) + "\xED\xA0\x80"},
		{"😀", 0, ""},
	} {
		if got := firstCharacters(tt.in, tt.n); got != tt.want {
			t.Errorf("firstCharacters(%q, %d) = %q, want %q", tt.in, tt.n, got, tt.want)
		}
	}
}

// TestJSONQuote compares jsonQuote with encoding/json on valid strings (the
// two agree there, but for the HTML escaping Go adds and JSON.stringify does
// not), and checks what only JSON.stringify does: lone surrogates escaped.
func TestJSONQuote(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	for i := 0; i < 2000; i++ {
		var b strings.Builder
		for n := r.Intn(20); n > 0; n-- {
			switch r.Intn(4) {
			case 0:
				b.WriteByte(byte(r.Intn(0x80)))
			case 1:
				b.WriteRune(rune(0x80 + r.Intn(0x800)))
			case 2:
				b.WriteRune(rune(0x10000 + r.Intn(0x1000)))
			default:
				b.WriteString(`"\` + "\u2028")
			}
		}
		s := b.String()
		var got strings.Builder
		jsonQuote(&got, s)
		var back string
		if err := json.Unmarshal([]byte(got.String()), &back); err != nil || back != s {
			t.Fatalf("jsonQuote(%q) = %s, which decodes to %q, %v", s, got.String(), back, err)
		}
	}
	for in, want := range map[string]string{
		"\b\t\n\f\r\"\\": `"\b\t\n\f\r\"\\"`,
		"\x01\x1f":       `"\u0001\u001f"`,
		"<&>\u2028":      "\"<&>\u2028\"",
		"\xED\xA0\x80":   `"\ud800"`,
		"\xED\xB0\x80x":  `"\udc00x"`,
		// The edges of both halves: a high surrogate before another high
		// one (U+DBFF) is alone, and so is the last low one (U+DFFF); the
		// last high and the first low make a pair.
		"\xED\xA0\x80\xED\xAF\xBF": `"\ud800\udbff"`,
		"\xED\xBF\xBFx":            `"\udfffx"`,
		"\xED\xAF\xBF\xED\xB0\x80": "\"\U0010FC00\"",
		"\xED\xA0\x80\xED\xBF\xBF": "\"\U000103FF\"",
		"😀":                        `"😀"`,
		"\xff":                     "\"\uFFFD\"",
	} {
		var got strings.Builder
		jsonQuote(&got, in)
		if got.String() != want {
			t.Errorf("jsonQuote(%q) = %s, want %s", in, got.String(), want)
		}
	}
}

// TestJSONQuoteKeepsEveryCodeUnit quotes every sequence of up to three code
// units drawn from the edges of each range (controls, the characters JSON
// escapes, the ends of one-, two- and three-byte UTF-8, both halves of the
// surrogates, U+E000, U+FFFF) and reads the JSON back as UTF-16: the code
// units must come back as they went in, the text must be valid UTF-8, and
// a code unit must be escaped exactly when JSON.stringify escapes it: a
// control character, '"', '\\', or a surrogate that is not half of a pair.
func TestJSONQuoteKeepsEveryCodeUnit(t *testing.T) {
	edges := []uint16{0x00, 0x1F, 0x20, '"', '\\', 0x7F, 0x80, 0x7FF, 0x800, 0xD7FF, 0xD800, 0xDBFF, 0xDC00, 0xDFFF, 0xE000, 0xFFFF}
	var seqs [][]uint16
	for _, a := range edges {
		seqs = append(seqs, []uint16{a})
		for _, b := range edges {
			seqs = append(seqs, []uint16{a, b})
			for _, c := range edges {
				seqs = append(seqs, []uint16{a, b, c})
			}
		}
	}
	for _, units := range seqs {
		s := fromCodeUnits(units)
		var q strings.Builder
		jsonQuote(&q, s)
		out := q.String()
		if !utf8.ValidString(out) {
			t.Fatalf("%04x: %q is not UTF-8", units, out)
		}
		back, escaped, err := readJSONString(out)
		if err != nil {
			t.Fatalf("%04x: %q: %v", units, out, err)
		}
		if !reflect.DeepEqual(back, units) {
			t.Fatalf("%04x: %q reads back as %04x", units, out, back)
		}
		for i, u := range units {
			want := u < 0x20 || u == '"' || u == '\\'
			if u >= 0xD800 && u <= 0xDFFF {
				paired := u <= 0xDBFF && i+1 < len(units) && units[i+1] >= 0xDC00 && units[i+1] <= 0xDFFF ||
					u >= 0xDC00 && i > 0 && units[i-1] >= 0xD800 && units[i-1] <= 0xDBFF
				want = !paired
			}
			if escaped[i] != want {
				t.Errorf("%04x: %q: code unit %d escaped %v, want %v", units, out, i, escaped[i], want)
			}
		}
	}
}

// readJSONString reads a JSON string literal as UTF-16 code units, and says
// of each whether it was written as a \u escape.
func readJSONString(s string) (units []uint16, escaped []bool, err error) {
	if len(s) < 2 || s[0] != '"' || s[len(s)-1] != '"' {
		return nil, nil, fmt.Errorf("not a string literal")
	}
	s = s[1 : len(s)-1]
	for i := 0; i < len(s); {
		c := s[i]
		if c == '"' || c < 0x20 {
			return nil, nil, fmt.Errorf("%q unescaped at %d", c, i)
		}
		if c != '\\' {
			r, n := utf8.DecodeRuneInString(s[i:])
			for _, u := range utf16.Encode([]rune{r}) {
				units, escaped = append(units, u), append(escaped, false)
			}
			i += n
			continue
		}
		if i+1 >= len(s) {
			return nil, nil, fmt.Errorf("a lone backslash")
		}
		if e := strings.IndexByte(`"\/bfnrt`, s[i+1]); e >= 0 {
			units, escaped = append(units, uint16("\"\\/\b\f\n\r\t"[e])), append(escaped, true)
			i += 2
			continue
		}
		if s[i+1] != 'u' || i+6 > len(s) {
			return nil, nil, fmt.Errorf("a bad escape at %d", i)
		}
		v, perr := strconv.ParseUint(s[i+2:i+6], 16, 16)
		if perr != nil {
			return nil, nil, perr
		}
		units, escaped = append(units, uint16(v)), append(escaped, true)
		i += 6
	}
	return units, escaped, nil
}
