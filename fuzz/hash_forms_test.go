package fuzz

import (
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestHashOfTextAllowsItsText: each form of hash-source hashOfText writes
// (sha256, sha384, sha512, sha256 in base64url) allows the text it was
// written for, and only that text, so the fuzz targets reach a hash match
// of every algorithm and spelling; and a navigation to a javascript: URL
// gets a report-only hash-source of the URL's serialization, which then
// reports nothing, while the enforced 'none' beside it blocks.
func TestHashOfTextAllowsItsText(t *testing.T) {
	for form := range uint8(len(hashForms)) {
		for _, source := range []string{"alert(1)", "f('\xed\xa0\x80')", ""} {
			a := inlineArgs{typ: 0, localName: "script", flags: 32 | form<<6, source: source}
			if got := corpus.RunModel(a.toCase(), nil); got.Verdict != corpus.VerdictAllowed {
				t.Errorf("form %d (%+v), text %q: %+v, want allowed by its own hash", form, hashForms[form], source, got)
			}
			other := a
			other.source += "x"
			c := other.toCase()
			c.Policies[len(c.Policies)-1] = hashOfText(source, "enforce", form)
			if got := corpus.RunModel(c, nil); got.Verdict != corpus.VerdictBlocked {
				t.Errorf("form %d, text %q with another text's hash: %+v, want blocked", form, source, got)
			}
		}
		nav := navigationArgs{policies: "escript-src 'none'", selfOrigin: seedSelf, check: form << 3, urls: "javascript:alert(1)"}
		c := nav.toCase()
		if len(c.Policies) != 2 {
			t.Fatalf("form %d: a javascript: navigation has policies %+v, want its own hash's after the case's", form, c.Policies)
		}
		got := corpus.RunModel(c, nil)
		if got.Verdict != corpus.VerdictBlocked || len(got.Violations) != 1 || got.Violations[0].Policy != 0 {
			t.Errorf("form %d: javascript: navigation under 'none' and its own report-only hash: %+v, want blocked by policy 0 alone", form, got)
		}
	}
}
