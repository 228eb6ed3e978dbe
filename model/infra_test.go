package model

import (
	"strings"
	"testing"
)

// TestASCIILower: Infra's ASCII lowercase maps A-Z, every one of them
// (the first, the last, after another upper-case letter) and nothing
// else; a string with no upper-case letter comes back as it is.
func TestASCIILower(t *testing.T) {
	var all strings.Builder
	for c := 0; c < 256; c++ {
		all.WriteByte(byte(c))
	}
	got := asciiLower(all.String())
	for c := 0; c < 256; c++ {
		want := byte(c)
		if 'A' <= want && want <= 'Z' {
			want += 'a' - 'A'
		}
		if got[c] != want {
			t.Errorf("asciiLower maps byte %#x to %#x, want %#x", c, got[c], want)
		}
	}
	for in, want := range map[string]string{"": "", "x": "x", "AZ": "az", "ZA": "za", "aZ": "az", "É": "É", "Self": "self"} {
		if got := asciiLower(in); got != want {
			t.Errorf("asciiLower(%q) = %q, want %q", in, got, want)
		}
	}
}
