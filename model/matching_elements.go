package model

import "strings"

// This file holds the element matching algorithms (#matching-elements), in
// the spec's order.

// Nonceable is the result of #is-element-nonceable.
type Nonceable bool

const (
	// IsNonceable is the spec's "Nonceable".
	IsNonceable Nonceable = true
	// NotNonceable is the spec's "Not Nonceable".
	NotNonceable Nonceable = false
)

// String returns the spec's literal.
func (n Nonceable) String() string {
	if n {
		return "Nonceable"
	}
	return "Not Nonceable"
}

// IsElementNonceable reports whether a nonce-source may match element: it
// must have a nonce attribute, and must not look like the work of an
// injection that captured someone else's nonce (dangling markup in a
// script's attributes, or a duplicated attribute).
//
// Spec: #is-element-nonceable
func IsElementNonceable(element *Element, tr *Trace) Nonceable {
	const anchor = "is-element-nonceable"
	// Step 1: no nonce attribute.
	if _, ok := element.Attribute("nonce"); !ok {
		tr.Step(anchor, "1", "no nonce attribute: Not Nonceable")
		return NotNonceable
	}
	// Step 2: a script's attributes must not hold "<script" or "<style".
	if element.isScriptElement() {
		for _, attribute := range element.Attributes {
			// Step 2.1: in a name.
			if containsFoldASCII(attribute.Name, "<script") || containsFoldASCII(attribute.Name, "<style") {
				tr.Step(anchor, "2.1", "attribute name %q holds <script or <style: Not Nonceable", attribute.Name)
				return NotNonceable
			}
			// Step 2.2: in a value.
			if containsFoldASCII(attribute.Value, "<script") || containsFoldASCII(attribute.Value, "<style") {
				tr.Step(anchor, "2.2", "attribute %s's value holds <script or <style: Not Nonceable", attribute.Name)
				return NotNonceable
			}
		}
	}
	// Step 3: a duplicate-attribute parse error.
	if element.DuplicateAttribute {
		tr.Step(anchor, "3", "duplicate-attribute parse error: Not Nonceable")
		return NotNonceable
	}
	// Step 4
	tr.Step(anchor, "4", "Nonceable")
	return IsNonceable
}

// containsFoldASCII reports whether s contains an ASCII case-insensitive
// match for substr.
func containsFoldASCII(s, substr string) bool {
	return strings.Contains(asciiLower(s), asciiLower(substr))
}

// AllowsInline is the result of #allow-all-inline.
type AllowsInline bool

const (
	// Allows is the spec's "Allows".
	Allows AllowsInline = true
	// DoesNotAllow is the spec's "Does Not Allow".
	DoesNotAllow AllowsInline = false
)

// String returns the spec's literal.
func (a AllowsInline) String() string {
	if a {
		return "Allows"
	}
	return "Does Not Allow"
}

// Inline check types: the type argument of the inline checks.
const (
	InlineScript          = "script"
	InlineScriptAttribute = "script attribute"
	InlineStyle           = "style"
	InlineStyleAttribute  = "style attribute"
	InlineNavigation      = "navigation"
)

// AllowAllInline reports whether list allows all inline behavior of type typ:
// it holds 'unsafe-inline' and no nonce-source, hash-source or (for script
// types) 'strict-dynamic' overrides it.
//
// Spec: #allow-all-inline
func AllowAllInline(list []string, typ string, tr *Trace) AllowsInline {
	const anchor = "allow-all-inline"
	// Step 1
	allowAllInline := false
	// Step 2: each expression.
	for _, expression := range list {
		// Step 2.1: a nonce or hash overrides 'unsafe-inline'.
		if k := ParseSourceExpression(expression).Kind; k == NonceSource || k == HashSource {
			tr.Step(anchor, "2.1", "%s is a %s: Does Not Allow", expression, k)
			return DoesNotAllow
		}
		// Step 2.2: so does 'strict-dynamic', for script types.
		if (typ == InlineScript || typ == InlineScriptAttribute || typ == InlineNavigation) && equalFoldASCII(expression, "'strict-dynamic'") {
			tr.Step(anchor, "2.2", "'strict-dynamic' for type %q: Does Not Allow", typ)
			return DoesNotAllow
		}
		// Step 2.3
		if equalFoldASCII(expression, "'unsafe-inline'") {
			allowAllInline = true
		}
	}
	// Step 3
	if allowAllInline {
		tr.Step(anchor, "3", "'unsafe-inline': Allows")
		return Allows
	}
	tr.Step(anchor, "3", "no 'unsafe-inline': Does Not Allow")
	return DoesNotAllow
}

// MatchElementToSourceList reports whether the inline behavior of type typ
// whose text is source, on element (nil for a javascript: navigation),
// matches list: through 'unsafe-inline', a nonce, 'strict-dynamic' or a hash
// of the text.
//
// Spec: #match-element-to-source-list
func MatchElementToSourceList(element *Element, list []string, typ, source string, tr *Trace) Match {
	const anchor = "match-element-to-source-list"
	defer tr.Enter(anchor, "type %q, %d bytes of source", typ, len(source))()

	// Step 1: 'unsafe-inline' that nothing overrides.
	if AllowAllInline(list, typ, tr) == Allows {
		tr.Step(anchor, "1", "all inline behavior allowed: Matches")
		return Matches
	}
	// Step 2: a nonce, for inline <script> and <style> that may carry one.
	if (typ == InlineScript || typ == InlineStyle) && element != nil && IsElementNonceable(element, tr) == IsNonceable {
		// Step 2.1
		for _, expression := range list {
			// Step 2.1.1: the nonce attribute is the base64-value, exactly.
			// Ambiguity(A14): HTML moves the nonce attribute's value into an
			// internal slot and may blank the attribute; the model compares
			// the value the element was given (Element.Attributes).
			e := ParseSourceExpression(expression)
			if nonce, ok := element.Attribute("nonce"); ok && e.Kind == NonceSource && nonce == e.Base64Value {
				tr.Step(anchor, "2.1.1", "%s: Matches", expression)
				return Matches
			}
		}
	}
	// Step 3
	unsafeHashes := false
	// Step 4: is 'unsafe-hashes' there?
	for _, expression := range list {
		// Step 4.1
		if equalFoldASCII(expression, "'unsafe-hashes'") {
			unsafeHashes = true
			break
		}
	}
	// Step 5: hashes apply to inline <script> and <style>, and with
	// 'unsafe-hashes' to attributes and javascript: navigations too.
	if typ == InlineScript || typ == InlineStyle || unsafeHashes {
		// Step 5.1: the UTF-8 bytes of the source as a scalar value string.
		sourceBytes := []byte(javaScriptStringConvert(source))
		// The digest of the source under an algorithm is the same for every
		// hash-source of the list, so it is computed once per algorithm: a
		// list of n hashes costs one pass over the source, not n.
		digests := map[string]string{}
		// Step 5.2: each expression.
		for _, expression := range list {
			// Step 5.2.1: 'strict-dynamic' (any ASCII case, as a keyword-source).
			if equalFoldASCII(expression, "'strict-dynamic'") {
				// Step 5.2.1.1: allows an inline script that script inserted.
				if typ == InlineScript && element != nil && element.NotParserInserted {
					tr.Step(anchor, "5.2.1.1", "'strict-dynamic' and a script that is not parser-inserted: Matches")
					return Matches
				}
			}
			// Step 5.2.2: a hash-source.
			e := ParseSourceExpression(expression)
			if e.Kind != HashSource {
				continue
			}
			// Steps 5.2.2.1-5.2.2.4: its algorithm (ParseSourceExpression
			// lowercases the hash-algorithm part: sha256, sha384 or sha512).
			algorithm := e.HashAlgorithm
			// Step 5.2.2.5
			if _, known := digests[algorithm]; !known {
				if d, ok := applyAlgorithmToBytes(algorithm, sourceBytes); ok {
					digests[algorithm] = d
					tr.Step(anchor, "5.2.2.5", "%s digest of %d bytes of source", algorithm, len(sourceBytes))
				}
			}
			if actual, ok := digests[algorithm]; ok {
				// Step 5.2.2.5.1: the base64 of the digest (with padding),
				// computed above when first needed.
				// Step 5.2.2.5.2: base64url characters become base64 ones.
				// Ambiguity(A15): padding is not normalized, so a base64url
				// value written without its "=" never matches.
				expected := strings.NewReplacer("-", "+", "_", "/").Replace(e.Base64Value)
				// Step 5.2.2.5.3
				if actual == expected {
					tr.Step(anchor, "5.2.2.5.3", "%s is the %s of the source: Matches", expression, e.HashAlgorithm)
					return Matches
				}
			}
		}
	}
	// Step 6
	tr.Step(anchor, "6", "Does Not Match")
	return DoesNotMatch
}
