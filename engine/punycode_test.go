package engine

import "testing"

func TestSimpleIDNALabel(t *testing.T) {
	for label, want := range map[string]bool{
		"xn--bcher-kva": true, "XN--BCHER-KVA": true, "xn--tdaaaaaa": true, "xn--zca": true, "xn--mnchen-3ya": true,
		"xn--bcher-kvaa": true, // büücher
		// Malformed, non-canonical, all-ASCII or outside the simple
		// repertoire: left to the full parser.
		"xn--": false, "xn--abc-": false, "xn---abc": false, "xn--bcher-kv": false, "xn--bcher-kva0": false,
		"xn--wgv71a": false, "xn--bcher": false, "example": false, "xn--abc": false, "xn--ls8h": false,
	} {
		if got := simpleIDNALabel(label); got != want {
			t.Errorf("simpleIDNALabel(%q) = %v, want %v", label, got, want)
		}
	}
}
