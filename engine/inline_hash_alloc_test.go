package engine_test

import (
	"crypto/sha256"
	"encoding/base64"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// TestInlineHashOfLoneSurrogatesAllocatesNothing: an inline script whose
// text is not valid UTF-8 (a lone surrogate, as a DOM string may hold) is
// hashed after its lone surrogates become U+FFFD. The engine writes that
// text into its CheckDecision's own scratch space, so that deciding it
// again allocates nothing, as decide_checks.go promises for prepared
// input; and the digest is of the replaced text, so that a hash-source of
// it matches.
func TestInlineHashOfLoneSurrogatesAllocatesNothing(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	const source = "f('\xed\xa0\x80')" // a lone high surrogate
	sum := sha256.Sum256([]byte("f('\uFFFD')"))
	for _, tc := range []struct {
		hash string
		want model.Verdict
	}{
		{base64.StdEncoding.EncodeToString(sum[:]), model.Allowed},
		{"47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU=", model.Blocked}, // the empty text's
	} {
		c := engine.Compile([]model.PolicyDelivery{{Value: "script-src 'sha256-" + tc.hash + "'"}}, self)
		l := c.Checks()
		el := model.Element{LocalName: "script"}
		d := engine.CheckDecision{Violations: make([]engine.CheckViolation, 0, 4)}
		if err := l.DecideInline(model.WindowGlobal, &el, engine.InlineScript, source, &d); err != nil {
			t.Fatal(err)
		}
		if d.Verdict != tc.want {
			t.Fatalf("hash %s: verdict %v, want %v", tc.hash, d.Verdict, tc.want)
		}
		if n := testing.AllocsPerRun(100, func() { _ = l.DecideInline(model.WindowGlobal, &el, engine.InlineScript, source, &d) }); n != 0 {
			t.Errorf("hash %s: %v allocations per decision of text with a lone surrogate, want 0", tc.hash, n)
		}
	}
}

// TestInlineHashesEachTextOnItsOwn: a CheckDecision reused for a second
// text that is not valid UTF-8 hashes that text, not what its scratch
// space kept of the first: a text allowed by its hash must not lend its
// digest to the next (a wrong Allowed).
func TestInlineHashesEachTextOnItsOwn(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	allowed, other := "a('\xed\xa0\x80')", "b('\xed\xa0\x80')"
	sum := sha256.Sum256([]byte("a('\uFFFD')"))
	c := engine.Compile([]model.PolicyDelivery{{Value: "script-src 'sha256-" + base64.StdEncoding.EncodeToString(sum[:]) + "'"}}, self)
	l := c.Checks()
	el := model.Element{LocalName: "script"}
	var d engine.CheckDecision
	for i, tc := range []struct {
		source string
		want   model.Verdict
	}{{allowed, model.Allowed}, {other, model.Blocked}, {allowed, model.Allowed}, {other, model.Blocked}} {
		if err := l.DecideInline(model.WindowGlobal, &el, engine.InlineScript, tc.source, &d); err != nil {
			t.Fatal(err)
		}
		if d.Verdict != tc.want {
			t.Fatalf("decision %d, of %q: verdict %v, want %v", i+1, tc.source, d.Verdict, tc.want)
		}
	}
}

// TestInlineHashOfValidTextNeedsNoScratch: text that is valid UTF-8 is
// hashed as it is, so a decision of it allocates nothing however long it
// is, and the scratch space is left unused (decide_checks.go: only text
// that is not valid UTF-8 is cleaned into the CheckDecision). Each text
// below is longer than any before it, so copying it would allocate.
func TestInlineHashOfValidTextNeedsNoScratch(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	for _, policy := range []string{"script-src 'sha256-47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU='", "script-src 'sha384-OLBgp1GsljhM2TJ+sbHjaiH9txEUvgdDTAzHv2P24donTt6/529l+9Ua0vFImLlb' 'sha512-z4PhNX7vuL3xVChQ1m2AB9Yg5AULVxXcg/SpIdNs6c5H0NE8XYXysP+DGNKHfuwvY7kxvUdBeoGlODJ6+SfaPg=='"} {
		c := engine.Compile([]model.PolicyDelivery{{Value: policy}}, self)
		l := c.Checks()
		el := model.Element{LocalName: "script"}
		d := engine.CheckDecision{Violations: make([]engine.CheckViolation, 0, 4)}
		// Each four times as long as the last, past any room a copy of
		// the one before would have kept.
		var texts []string
		for i := range 7 {
			texts = append(texts, "f('"+strings.Repeat("é", 16<<(2*i))+"')")
		}
		next := 0
		n := testing.AllocsPerRun(6, func() {
			_ = l.DecideInline(model.WindowGlobal, &el, engine.InlineScript, texts[next], &d)
			next++
		})
		if d.Verdict != model.Blocked {
			t.Fatalf("%s: verdict %v, want Blocked (the empty text's hashes)", policy, d.Verdict)
		}
		if n != 0 {
			t.Errorf("%s: %v allocations per decision of ever longer valid text, want 0", policy, n)
		}
	}
}

// TestInlineDigestsOncePerAlgorithm: an inline decision computes the
// digest of the text at most once per algorithm, however many hash-sources
// of it the policies hold, only for the algorithms they use, and only when
// a nonce has not already allowed the element in every policy
// (docs/performance.md counts the inline checks' cost that way). Each
// decision is also held to its verdict, so that a digest skipped is not
// mistaken for one computed once.
func TestInlineDigestsOncePerAlgorithm(t *testing.T) {
	self, err := engine.ParseOrigin("https://example.com")
	if err != nil {
		t.Fatal(err)
	}
	const text = "f()"
	s256 := sha256.Sum256([]byte(text))
	match := "'sha256-" + base64.StdEncoding.EncodeToString(s256[:]) + "'"
	// Digests no text of this test has, each spelled canonically (the bits
	// past the digest zero), as a hash-source that matches anything must be.
	misses := "'sha256-" + strings.Repeat("A", 43) + "=' 'sha256-" + strings.Repeat("E", 43) + "=' 'sha384-" + strings.Repeat("C", 64) + "' 'sha512-" + strings.Repeat("Q", 86) + "=='"
	for _, tc := range []struct {
		name     string
		policies []string
		nonce    string
		source   string
		want     model.Verdict
		digests  int
	}{
		{"three policies, four algorithms' worth of misses each", []string{"script-src " + misses, "script-src " + misses, "default-src " + misses}, "", text, model.Blocked, 3},
		{"sha384 only, twice in each of two policies", []string{"script-src 'sha384-" + strings.Repeat("C", 64) + "' 'sha384-" + strings.Repeat("E", 64) + "'", "script-src 'sha384-" + strings.Repeat("F", 64) + "'"}, "", text, model.Blocked, 1},
		{"a match after misses, in two policies", []string{"script-src " + misses + " " + match, "script-src " + match + " " + misses}, "", text, model.Allowed, 3},
		{"a match first", []string{"script-src " + match + " " + misses}, "", text, model.Allowed, 1},
		{"text that is not UTF-8", []string{"script-src " + misses, "script-src " + misses}, "", "f('\xed\xa0\x80')", model.Blocked, 3},
		{"a nonce allows it in every policy", []string{"script-src 'nonce-n' " + misses, "script-src " + misses + " 'nonce-n'"}, "n", text, model.Allowed, 0},
		{"a nonce in one policy, hashes in the other", []string{"script-src 'nonce-n' " + misses, "script-src " + misses}, "n", text, model.Blocked, 3},
	} {
		var deliveries []model.PolicyDelivery
		for _, p := range tc.policies {
			deliveries = append(deliveries, model.PolicyDelivery{Value: p})
		}
		l := engine.Compile(deliveries, self).Checks()
		el := model.Element{LocalName: "script"}
		if tc.nonce != "" {
			el.Attributes = []model.Attribute{{Name: "nonce", Value: tc.nonce}}
		}
		var d engine.CheckDecision
		for round := range 2 { // a reused decision starts its count again
			if err := l.DecideInline(model.WindowGlobal, &el, engine.InlineScript, tc.source, &d); err != nil {
				t.Fatal(err)
			}
			if d.Verdict != tc.want {
				t.Fatalf("%s: verdict %v, want %v", tc.name, d.Verdict, tc.want)
			}
			if got := engine.DigestsComputed(&d); got != tc.digests {
				t.Errorf("%s, decision %d: %d digests computed, want %d", tc.name, round+1, got, tc.digests)
			}
		}
	}
}
