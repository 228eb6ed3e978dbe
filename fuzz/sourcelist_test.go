package fuzz

import (
	"regexp"
	"slices"
	"strings"
	"testing"
)

// ownPadding is the padding that is not built from the URL's host.
var ownPadding = regexp.MustCompile(`^(\*\.p[0-9]+(\.pad)*|h[0-9]+\.invalid)$`)

// TestPadList checks what each part of the shape byte does to a list.
func TestPadList(t *testing.T) {
	list := []string{"'self'", "*.example.com"}
	host := "a.b.example.com"
	sizes := map[bool]bool{}
	for shape := range 256 {
		s := uint8(shape)
		got := padList(list, host, s)
		n := padCounts[s&7]
		if len(got) != len(list)+n {
			t.Fatalf("shape %#02x: %d entries, want %d", s, len(got), len(list)+n)
		}
		sizes[n+1 > 16] = true // one host-source in list
		own, pad := got[:len(list)], got[len(list):]
		if s&0x40 != 0 {
			own, pad = got[n:], got[:n]
		}
		if !slices.Equal(own, list) {
			t.Errorf("shape %#02x: the list is not kept whole at the %s: %q", s, map[bool]string{true: "end", false: "start"}[s&0x40 != 0], got)
		}
		wildcards := 0
		for _, p := range pad {
			if strings.HasPrefix(p, "*.") {
				wildcards++
			}
			if near := !ownPadding.MatchString(p); near != (s&0x80 != 0) {
				t.Errorf("shape %#02x: padding %q built from the URL's host: %v", s, p, near)
			}
		}
		if want := (n + 1) / 2; padDepths[s>>3&7] == nil && wildcards != 0 || padDepths[s>>3&7] != nil && wildcards != want {
			t.Errorf("shape %#02x: %d wildcards in %q", s, wildcards, pad)
		}
	}
	if !sizes[true] || !sizes[false] {
		t.Error("the padded lists do not straddle the flat scan's 16 host-sources")
	}
	// Near padding: a key one label off at each depth, and the host's own
	// suffix on port 1.
	got := padList(nil, host, 0x80|5<<3|7)
	for _, want := range []string{"*.z0", "*.example.com:1", "*.z4.example.com", "*.a.b.example.com:1", "z1.a.b.example.com", "a.b.example.com:1"} {
		if !slices.Contains(got, want) {
			t.Errorf("near padding %q lacks %q", got, want)
		}
	}
}
