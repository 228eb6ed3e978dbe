package engine

import (
	"reflect"
	"testing"
	"unicode/utf16"
)

// codeUnits reads text as the model does (Departure D5 of the model): ED
// A0..BF 80..BF is one lone surrogate, every other sequence UTF-8 with an
// invalid byte standing for U+FFFD. Checked on every three-byte sequence
// that begins with ED, alone and followed by a byte, against Go's own
// UTF-8 decoding.
func TestCodeUnitsOnEveryEDSequence(t *testing.T) {
	for b1 := 0; b1 < 256; b1++ {
		for b2 := 0; b2 < 256; b2++ {
			s := string([]byte{0xED, byte(b1), byte(b2)})
			var want []uint16
			if b1 >= 0xA0 && b1 <= 0xBF && b2 >= 0x80 && b2 <= 0xBF {
				want = []uint16{0xD000 | uint16(b1&0x3F)<<6 | uint16(b2&0x3F)}
			} else {
				want = utf16.Encode([]rune(s))
			}
			if got := codeUnits(s); !reflect.DeepEqual(got, want) {
				t.Fatalf("codeUnits(%q) = %x, want %x", s, got, want)
			}
			if got, w := codeUnits(s+"x"), append(want[:len(want):len(want)], 'x'); !reflect.DeepEqual(got, w) {
				t.Fatalf("codeUnits(%q) = %x, want %x", s+"x", got, w)
			}
		}
	}
}

// TestAppendScalarValuesAsInfraConverts: appendScalarValues, which writes
// the text an inline hash is of without building its code units, gives
// Infra's conversion of the code units codeUnits reads (surrogate pairs
// joined, lone surrogates U+FFFD) on every string of up to five pieces
// drawn from surrogates in their three-byte form at both ends of both
// ranges, their neighbours outside the ranges, a truncated one, a
// supplementary character, an invalid byte and ASCII.
func TestAppendScalarValuesAsInfraConverts(t *testing.T) {
	pieces := []string{
		"\xed\xa0\x80", "\xed\xaf\xbf", "\xed\xb0\x80", "\xed\xbf\xbf", // high and low surrogates, first and last
		"\xed\x9f\xbf", "\xee\x80\x80", // U+D7FF and U+E000
		"\xed\xa0", "\U0001F600", "\xff", "x",
	}
	var walk func(s string, depth int)
	walk = func(s string, depth int) {
		want := string(utf16.Decode(codeUnits(s)))
		if got := string(appendScalarValues([]byte("kept"), s)); got != "kept"+want {
			t.Fatalf("appendScalarValues(%q) = %q, want %q", s, got, "kept"+want)
		}
		if depth == 5 {
			return
		}
		for _, p := range pieces {
			walk(s+p, depth+1)
		}
	}
	walk("", 0)
}

// TestAppendScalarValuesOnEveryEDSequence: appendScalarValues reads every
// three-byte sequence that begins with ED, alone and followed by a byte,
// as codeUnits does (one lone surrogate only for ED A0..BF 80..BF), so
// that an inline text holding one is hashed as the model hashes it. The
// pieces of TestAppendScalarValuesAsInfraConverts have no third byte just
// outside 80..BF.
func TestAppendScalarValuesOnEveryEDSequence(t *testing.T) {
	for b1 := 0; b1 < 256; b1++ {
		for b2 := 0; b2 < 256; b2++ {
			for _, s := range []string{string([]byte{0xED, byte(b1), byte(b2)}), string([]byte{0xED, byte(b1), byte(b2), 'x'})} {
				want := string(utf16.Decode(codeUnits(s)))
				if got := string(appendScalarValues(nil, s)); got != want {
					t.Fatalf("appendScalarValues(%q) = %q, want %q", s, got, want)
				}
			}
		}
	}
}
