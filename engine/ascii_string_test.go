package engine

import (
	"strings"
	"testing"
)

// isASCIIString reads eight bytes at a time and then the rest one by one:
// on every string of up to 33 bytes, with one byte at or above 0x80 (a lone
// byte or the lead or tail of a UTF-8 sequence) at each offset, or none, it
// must say what a byte-by-byte look says. A directive holding such a byte is
// dropped whole, and a sample's ASCII shortcut depends on it too.
func TestIsASCIIStringEveryOffset(t *testing.T) {
	for n := 0; n <= 33; n++ {
		base := []byte(strings.Repeat("a", n))
		if !isASCIIString(string(base)) {
			t.Fatalf("isASCIIString(%d ASCII bytes) = false", n)
		}
		for i := 0; i < n; i++ {
			for _, c := range []byte{0x80, 0xA9, 0xC3, 0xFF} {
				s := append([]byte(nil), base...)
				s[i] = c
				if isASCIIString(string(s)) {
					t.Fatalf("isASCIIString(%q) = true: byte %#x at offset %d of %d", s, c, i, n)
				}
			}
		}
	}
	// The boundary byte 0x7F (DEL) is ASCII.
	if !isASCIIString(strings.Repeat("\x7f", 17)) {
		t.Error("isASCIIString(DEL×17) = false")
	}
}
