package model

import (
	"strings"
	"testing"
)

func TestIsElementNonceable(t *testing.T) {
	tests := []struct {
		name    string
		element *Element
		want    Nonceable
	}{
		{"no nonce (1)", script("src", "a.js"), NotNonceable},
		{"nonce (4)", script("nonce", "abc"), IsNonceable},
		{"NONCE in upper case (4)", script("NONCE", "abc"), IsNonceable},
		{"empty nonce is still an attribute (4)", script("nonce", ""), IsNonceable},
		{"<script in a name (2.1)", script("nonce", "abc", "<script", ""), NotNonceable},
		{"<STYLE in a name (2.1)", script("x<STYLE", "", "nonce", "abc"), NotNonceable},
		{"<script in a value (2.2)", script("nonce", "abc", "title", "a<ScRiPt b"), NotNonceable},
		{"<style in the nonce's own value (2.2)", script("nonce", "<style"), NotNonceable},
		{"a style element's attributes are not scanned (2)", &Element{LocalName: "style", Attributes: []Attribute{{"nonce", "abc"}, {"title", "<script"}}}, IsNonceable},
		{"duplicate attribute (3)", &Element{LocalName: "style", Attributes: []Attribute{{"nonce", "abc"}}, DuplicateAttribute: true}, NotNonceable},
		{"duplicate attribute on a script (3)", &Element{LocalName: "script", Attributes: []Attribute{{"nonce", "abc"}}, DuplicateAttribute: true}, NotNonceable},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := IsElementNonceable(tt.element, nil); got != tt.want {
				t.Errorf("IsElementNonceable(%+v) = %v, want %v", *tt.element, got, tt.want)
			}
		})
	}
}

func TestAllowAllInline(t *testing.T) {
	tests := []struct {
		list string
		typ  string
		want AllowsInline
	}{
		// The example under #allow-all-inline: lists that allow all inline behavior.
		{"'unsafe-inline' http://a.com http://b.com", InlineScript, Allows},
		{"'unsafe-inline'", InlineStyle, Allows},
		// ... lists that do not, for nonces and hashes or no 'unsafe-inline'.
		{"'sha512-321cba' 'nonce-abc'", InlineScript, DoesNotAllow},
		{"http://example.com 'unsafe-inline' 'nonce-abc'", InlineScript, DoesNotAllow},
		// ... lists that do not for script types because of 'strict-dynamic',
		// but do otherwise.
		{"'unsafe-inline' 'strict-dynamic'", InlineScript, DoesNotAllow},
		{"http://example.com 'strict-dynamic' 'unsafe-inline'", InlineScriptAttribute, DoesNotAllow},
		{"'unsafe-inline' 'strict-dynamic'", InlineNavigation, DoesNotAllow},
		{"'unsafe-inline' 'strict-dynamic'", InlineStyle, Allows},
		{"http://example.com 'strict-dynamic' 'unsafe-inline'", InlineStyleAttribute, Allows},
		// Step 2.1 wins even after 'unsafe-inline' (the loop returns at once).
		{"'unsafe-inline' 'sha256-abc='", InlineStyle, DoesNotAllow},
		// Case: keywords match ASCII case-insensitively.
		{"'UNSAFE-INLINE'", InlineScript, Allows},
		{"'Unsafe-Inline' 'STRICT-DYNAMIC'", InlineScript, DoesNotAllow},
		{"'NONCE-abc' 'unsafe-inline'", InlineScript, DoesNotAllow},
		// Something that only looks like a nonce does not override (2.1).
		{"'nonce-' 'unsafe-inline'", InlineScript, Allows},
		{"'sha1-abc' 'unsafe-inline'", InlineScript, Allows},
		// Step 3.
		{"", InlineScript, DoesNotAllow},
		{"'self' https:", InlineScript, DoesNotAllow},
		{"unsafe-inline", InlineScript, DoesNotAllow},
	}
	for _, tt := range tests {
		if got := AllowAllInline(strings.Fields(tt.list), tt.typ, nil); got != tt.want {
			t.Errorf("AllowAllInline(%q, %q) = %v, want %v", tt.list, tt.typ, got, tt.want)
		}
	}
}

func TestMatchElementToSourceList(t *testing.T) {
	const text = "alert(1)"
	nonced := script("nonce", "abc")
	dynamic := &Element{LocalName: "script", NotParserInserted: true}
	tests := []struct {
		name    string
		element *Element
		list    string
		typ     string
		source  string
		want    Match
	}{
		{"unsafe-inline (1)", script(), "'unsafe-inline'", InlineScript, text, Matches},
		{"unsafe-inline for an attribute (1)", script(), "'unsafe-inline'", InlineScriptAttribute, text, Matches},
		{"nonce (2.1.1)", nonced, "'nonce-abc'", InlineScript, text, Matches},
		{"nonce neutralizes unsafe-inline but matches (2.1.1)", nonced, "'unsafe-inline' 'nonce-abc'", InlineScript, text, Matches},
		{"other nonce: unsafe-inline neutralized (6)", script("nonce", "xyz"), "'unsafe-inline' 'nonce-abc'", InlineScript, text, DoesNotMatch},
		{"nonce is case-sensitive (6)", script("nonce", "ABC"), "'nonce-abc'", InlineScript, text, DoesNotMatch},
		{"nonce keyword is case-insensitive (2.1.1)", nonced, "'NONCE-abc'", InlineScript, text, Matches},
		{"nonce on a style (2.1.1)", &Element{LocalName: "style", Attributes: []Attribute{{"nonce", "abc"}}}, "'nonce-abc'", InlineStyle, text, Matches},
		{"nonces do not apply to attributes (6)", nonced, "'nonce-abc'", InlineScriptAttribute, text, DoesNotMatch},
		{"nonces do not apply to style attributes (6)", nonced, "'nonce-abc' 'unsafe-hashes'", InlineStyleAttribute, text, DoesNotMatch},
		{"nonce of an element that is not nonceable (2)", script("nonce", "abc", "title", "<script"), "'nonce-abc'", InlineScript, text, DoesNotMatch},
		{"no nonce attribute (2)", script(), "'nonce-abc'", InlineScript, text, DoesNotMatch},
		{"sha256 (5.2.2.5.3)", script(), digest("sha256", text, false, false), InlineScript, text, Matches},
		{"sha384 (5.2.2.5.3)", script(), digest("sha384", text, false, false), InlineScript, text, Matches},
		{"sha512 (5.2.2.5.3)", script(), digest("sha512", text, false, false), InlineScript, text, Matches},
		{"SHA256 in upper case (5.2.2.2)", script(), strings.Replace(digest("sha256", text, false, false), "sha256", "SHA256", 1), InlineScript, text, Matches},
		// The digests of "x1" (sha256) and "x4" (sha512) hold both "+" and "/"
		// in base64 (TestDigestAlphabets checks it), so their base64url
		// spellings hold "-" and "_".
		{"base64url with padding (5.2.2.5.2)", script(), digest("sha256", "x1", true, false), InlineScript, "x1", Matches},
		{"base64url sha512 with padding (5.2.2.5.2)", script(), digest("sha512", "x4", true, false), InlineScript, "x4", Matches},
		{"base64url without padding: A15 (6)", script(), digest("sha256", text, true, true), InlineScript, text, DoesNotMatch},
		{"base64 without padding: A15 (6)", script(), digest("sha256", text, false, true), InlineScript, text, DoesNotMatch},
		{"a sha384 digest has no padding to drop (5.2.2.5.3)", script(), digest("sha384", text, true, true), InlineScript, text, Matches},
		{"hash of other text (6)", script(), digest("sha256", "alert(2)", false, false), InlineScript, text, DoesNotMatch},
		{"hash on a style (5.2.2.5.3)", &Element{LocalName: "style"}, digest("sha256", "p{}", false, false), InlineStyle, "p{}", Matches},
		{"hash with unsafe-inline: unsafe-inline neutralized, the hash matches", script(), "'unsafe-inline' " + digest("sha256", text, false, false), InlineScript, text, Matches},
		{"hash with unsafe-inline: unsafe-inline neutralized (6)", script(), "'unsafe-inline' " + digest("sha256", "other", false, false), InlineScript, text, DoesNotMatch},
		{"hashes do not apply to attributes (5)", script(), digest("sha256", "doSubmit()", false, false), InlineScriptAttribute, "doSubmit()", DoesNotMatch},
		{"unsafe-hashes lets them (4.1, 5.2.2.5.3)", script(), "'unsafe-hashes' " + digest("sha256", "doSubmit()", false, false), InlineScriptAttribute, "doSubmit()", Matches},
		{"UNSAFE-HASHES (4.1)", script(), "'UNSAFE-HASHES' " + digest("sha256", "color:red", false, false), InlineStyleAttribute, "color:red", Matches},
		{"unsafe-hashes for a javascript: URL (5.2.2.5.3)", nil, "'unsafe-hashes' " + digest("sha256", "javascript:go()", false, false), InlineNavigation, "javascript:go()", Matches},
		{"hash of a javascript: URL without unsafe-hashes (5)", nil, digest("sha256", "javascript:go()", false, false), InlineNavigation, "javascript:go()", DoesNotMatch},
		{"strict-dynamic and a script-inserted script (5.2.1.1)", dynamic, "'strict-dynamic'", InlineScript, text, Matches},
		{"STRICT-DYNAMIC (5.2.1.1)", dynamic, "'Strict-Dynamic'", InlineScript, text, Matches},
		{"strict-dynamic and a parser-inserted script (6)", script(), "'strict-dynamic'", InlineScript, text, DoesNotMatch},
		{"strict-dynamic does not apply to styles (6)", &Element{LocalName: "style", NotParserInserted: true}, "'strict-dynamic'", InlineStyle, text, DoesNotMatch},
		{"strict-dynamic does not apply to attributes (6)", dynamic, "'strict-dynamic' 'unsafe-hashes'", InlineScriptAttribute, text, DoesNotMatch},
		{"strict-dynamic neutralizes unsafe-inline for script-inserted scripts too, but matches them (5.2.1.1)", dynamic, "'unsafe-inline' 'strict-dynamic'", InlineScript, text, Matches},
		{"strict-dynamic neutralizes unsafe-inline (6)", script(), "'unsafe-inline' 'strict-dynamic'", InlineScript, text, DoesNotMatch},
		{"the hash is of the UTF-8 bytes (5.1)", script(), digest("sha256", "é", false, false), InlineScript, "é", Matches},
		{"a lone surrogate is hashed as U+FFFD (5.1)", script(), digest("sha256", "a\uFFFDb", false, false), InlineScript, "a\xED\xA0\x80b", Matches},
		{"empty list (6)", script(), "", InlineScript, text, DoesNotMatch},
		{"host-sources do not match inline (6)", script(), "'self' https://example.com", InlineScript, text, DoesNotMatch},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			list := strings.Fields(tt.list)
			if got := MatchElementToSourceList(tt.element, list, tt.typ, tt.source, nil); got != tt.want {
				t.Errorf("MatchElementToSourceList(%v, %q, %q, %q) = %v, want %v", tt.element, tt.list, tt.typ, tt.source, got, tt.want)
			}
		})
	}
}

// TestDigestAlphabets keeps the base64url rows of TestMatchElementToSourceList
// meaningful: their digests must use the characters base64url changes.
func TestDigestAlphabets(t *testing.T) {
	for _, c := range []struct{ alg, text string }{{"sha256", "x1"}, {"sha512", "x4"}} {
		if std, url := digest(c.alg, c.text, false, false), digest(c.alg, c.text, true, false); !strings.ContainsAny(std, "+") || !strings.ContainsAny(std, "/") || !strings.Contains(url, "-") || !strings.Contains(url, "_") {
			t.Errorf("%s of %q is %s / %s: it does not exercise both base64url characters", c.alg, c.text, std, url)
		}
	}
}
