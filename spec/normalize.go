package spec

import (
	"crypto/sha256"
	"encoding/hex"
	"html"
	"regexp"
	"strings"
)

// Normalization turns a fragment of Bikeshed source into the plain text a
// reader sees, so that a fingerprint changes when the words change and not
// when the markup or the line breaks do. In order:
//
//   - HTML comments are dropped and whitespace (line breaks included) is
//     folded to single spaces, so reflowing a paragraph changes nothing;
//   - Bikeshed autolinks become the text they render: [=for/term=] and
//     {{Interface/member}} become "term" and "member", [=term|text=] becomes
//     "text", <{element/attr}> becomes "attr", [[#anchor]] stays "#anchor" and
//     [[!REF]] becomes "[REF]";
//   - |variable| becomes "variable";
//   - HTML tags are dropped, keeping their content, so <a for=x>term</a> and
//     [=x/term=] normalize alike; markdown backticks are dropped;
//   - character references (&lt; &amp; …) are decoded, then whitespace is
//     folded again.
//
// The Fingerprint of a text is the first 16 hexadecimal digits of the SHA-256
// of its normalized form. FormatVersion in the outline names this recipe: any
// change to it must bump the version and regenerate spec/outline.json.
var (
	reComment   = regexp.MustCompile(`(?s)<!--.*?-->`)
	reSpace     = regexp.MustCompile(`\s+`)
	reDfnLink   = regexp.MustCompile(`\[=([^\]]*?)=\]`)
	reIDLLink   = regexp.MustCompile(`\{\{([^{}]*?)\}\}`)
	reElemAttr  = regexp.MustCompile(`<\{([^{}]*?)\}>`)
	reDollar    = regexp.MustCompile(`\[\$([^\]]*?)\$\]`)
	reBiblio    = regexp.MustCompile(`\[\[!?([^\]]*?)\]\]`)
	reVariable  = regexp.MustCompile(`\|([^|\s][^|]*?)\|`)
	reTag       = regexp.MustCompile(`</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>`)
	reAnchorRef = regexp.MustCompile(`#[a-z0-9][a-z0-9-]*`)
)

// linkText is the text Bikeshed shows for the inside of an autolink:
// "for/term" shows "term", "term|text" shows "text".
func linkText(inner string) string {
	if i := strings.LastIndexByte(inner, '|'); i >= 0 {
		return inner[i+1:]
	}
	if i := strings.LastIndexByte(inner, '/'); i >= 0 && i < len(inner)-1 {
		return inner[i+1:]
	}
	return strings.TrimPrefix(inner, "/")
}

// Normalize returns the plain text of a Bikeshed fragment, as described at
// the top of this file.
func Normalize(s string) string {
	s = reComment.ReplaceAllString(s, " ")
	s = reSpace.ReplaceAllString(s, " ")
	replaceLink := func(re *regexp.Regexp) {
		s = re.ReplaceAllStringFunc(s, func(m string) string {
			return linkText(re.FindStringSubmatch(m)[1])
		})
	}
	replaceLink(reDfnLink)
	replaceLink(reIDLLink)
	replaceLink(reElemAttr)
	replaceLink(reDollar)
	s = reBiblio.ReplaceAllStringFunc(s, func(m string) string {
		inner := reBiblio.FindStringSubmatch(m)[1]
		if strings.HasPrefix(inner, "#") {
			return inner
		}
		return "[" + inner + "]"
	})
	s = reVariable.ReplaceAllString(s, "$1")
	s = reTag.ReplaceAllString(s, "")
	s = strings.ReplaceAll(s, "`", "")
	s = html.UnescapeString(s)
	s = reSpace.ReplaceAllString(s, " ")
	return strings.TrimSpace(s)
}

// Fingerprint returns the first 16 hexadecimal digits of the SHA-256 of the
// normalized text (already normalized: call Normalize first).
func Fingerprint(normalized string) string {
	sum := sha256.Sum256([]byte(normalized))
	return hex.EncodeToString(sum[:8])
}

// fileSHA256 is the full hexadecimal SHA-256 of a source file.
func fileSHA256(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:])
}
