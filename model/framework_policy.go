package model

import (
	"fmt"
	"strings"
)

// Disposition is a policy's disposition: "enforce" or "report".
type Disposition string

const (
	Enforce Disposition = "enforce"
	Report  Disposition = "report"
)

// PolicySource is a policy's source: "header" or "meta".
type PolicySource string

const (
	HeaderSource PolicySource = "header"
	MetaSource   PolicySource = "meta"
)

// Directive is a name / value pair (#framework-directives). The name is
// ASCII lowercase; the value is the list of source expressions (or other
// tokens) in the order written.
type Directive struct {
	Name  string
	Value []string
}

// Policy is a content security policy object (#framework-policy).
type Policy struct {
	DirectiveSet []Directive
	Disposition  Disposition
	Source       PolicySource

	// Text is not part of the spec's policy: it is the serialized policy the
	// directive set was parsed from (after whitespace stripping), kept for
	// violation reports, which name their policy by its serialization.
	Text string
	// Delivery is not part of the spec's policy either: it is the index of the
	// header line or <meta> element that delivered it, in the order the
	// caller listed them, so that a violation can point back at its input.
	Delivery int
}

// Directive returns the policy's directive named name, if it has one.
func (p *Policy) Directive(name string) (Directive, bool) {
	for _, d := range p.DirectiveSet {
		if d.Name == name {
			return d, true
		}
	}
	return Directive{}, false
}

// CSPList is a CSP list (#framework-policy): the policies that apply to a
// global object, and the origin 'self' stands for.
type CSPList struct {
	Policies   []Policy
	SelfOrigin Origin
}

// check refuses a list that holds a policy whose disposition or source is
// none of the named values (D6): such a policy is neither enforced nor
// reported, so a list holding it would be decided as if the caller had not
// given it. Every entry point checks its list with the global object
// (Environment.check): after the check's own input, before the kind.
func (l CSPList) check() error {
	for i := range l.Policies {
		p := &l.Policies[i]
		if err := checkPolicyValues(p.Disposition, p.Source, p.Delivery); err != nil {
			return err
		}
	}
	return nil
}

// checkPolicyValues refuses a disposition or a source (of the policy of
// delivery number delivery) that is none of the named values.
func checkPolicyValues(disposition Disposition, source PolicySource, delivery int) error {
	if disposition != Enforce && disposition != Report {
		return fmt.Errorf("%w: delivery %d: disposition %q is not %q or %q", ErrBadInput, delivery, disposition, Enforce, Report)
	}
	if source != HeaderSource && source != MetaSource {
		return fmt.Errorf("%w: delivery %d: source %q is not %q or %q", ErrBadInput, delivery, source, HeaderSource, MetaSource)
	}
	return nil
}

// ParseSerializedPolicy parses serialized, a header value or <meta> content,
// into a policy with the given source and disposition. It never fails: what it
// cannot read it skips, and the trace says what was skipped.
//
// Spec: #parse-serialized-policy
func ParseSerializedPolicy(serialized string, source PolicySource, disposition Disposition, tr *Trace) Policy {
	const anchor = "parse-serialized-policy"
	defer tr.Enter(anchor, "%q, source %s, disposition %s", serialized, source, disposition)()

	// Step 1: a byte sequence is isomorphic-decoded. The model holds the input
	// as bytes in a Go string and only ever keeps ASCII tokens (step 3.2),
	// whose bytes and code points coincide, so decoding changes nothing.
	tr.Step(anchor, "1", "input taken as bytes; only ASCII tokens survive step 3.2")

	// Step 2: an empty policy with the given source and disposition.
	policy := Policy{Source: source, Disposition: disposition, Text: stripASCIIWhitespace(serialized)}
	// The names already in the directive set, so that step 3.5 stays a set
	// lookup however many directives a policy has.
	names := map[string]bool{}

	// Step 3: each token of a strict split on ";".
	for _, token := range strings.Split(serialized, ";") {
		// Step 3.1: strip ASCII whitespace around the token.
		token = stripASCIIWhitespace(token)

		// Step 3.2: skip empty tokens and tokens with non-ASCII characters.
		if token == "" {
			continue
		}
		if !isASCII(token) {
			tr.Step(anchor, "3.2", "token %q is not ASCII: skipped", token)
			continue
		}

		// Step 3.3: the name is the leading run of non-whitespace.
		end := 0
		for end < len(token) && !isASCIIWhitespace(token[end]) {
			end++
		}
		name := token[:end]

		// Step 3.4: names are ASCII-lowercased.
		name = asciiLower(name)

		// Step 3.5: a second directive of the same name is ignored.
		if names[name] {
			tr.Step(anchor, "3.5", "duplicate directive %q ignored", name)
			continue
		}

		// Step 3.6: the value is the rest of the token split on ASCII
		// whitespace. Ambiguity(A1): the step says to split the token, which
		// would make the name the value's first item; the model splits what
		// follows the name collected in step 3.3, as every implementation does.
		value := splitOnASCIIWhitespace(token[end:])

		// Steps 3.7-3.8: append the new directive.
		policy.DirectiveSet = append(policy.DirectiveSet, Directive{Name: name, Value: value})
		names[name] = true
		tr.Step(anchor, "3.8", "directive %s with %d source expressions", name, len(value))
	}

	// Step 4: the policy.
	tr.Step(anchor, "4", "%d directives", len(policy.DirectiveSet))
	return policy
}

// Header is one header of a header list: a name and a value.
type Header struct {
	Name  string
	Value string
}

// Response is the part of a Fetch response (https://fetch.spec.whatwg.org/#concept-response)
// CSP reads: its URL list, header list, type and body.
type Response struct {
	URLList    []URL
	HeaderList []Header
	// Type is the response's type: "basic", "cors", "default", "error",
	// "opaque" or "opaqueredirect"; "" stands for "default", Fetch's
	// initial value.
	Type string
	// Body is the response's body, as bytes (#potentially-report-hash
	// hashes it).
	Body []byte
}

// IsCORSSameOrigin reports whether the response is CORS-same-origin
// (https://fetch.spec.whatwg.org/#cors-same-origin): its type is "basic",
// "cors" or "default".
func (r *Response) IsCORSSameOrigin() bool {
	switch r.Type {
	case "", "basic", "cors", "default":
		return true
	}
	return false
}

// URL returns the response's URL, the last of its URL list
// (https://fetch.spec.whatwg.org/#concept-response-url), and false when the
// list is empty (the URL is null).
func (r *Response) URL() (URL, bool) {
	if len(r.URLList) == 0 {
		return URL{}, false
	}
	return r.URLList[len(r.URLList)-1], true
}

// ExtractHeaderListValues returns the values of the headers named name in
// list, each split into the elements of its comma-separated list, in order.
// The bool is false when list has no such header (the spec's null).
//
// Ambiguity(A2): Fetch parses each value with the header's ABNF and fails the
// whole extraction on a value the grammar rejects; for CSP that would drop a
// header over one non-ASCII byte that #parse-serialized-policy step 3.2 exists
// to skip. The model, like browsers, splits on "," and lets the policy parser
// skip what it cannot read.
//
// Spec: https://fetch.spec.whatwg.org/#extract-header-list-values
func ExtractHeaderListValues(name string, list []Header) ([]string, bool) {
	var values []string
	found := false
	for _, h := range list {
		// Header names match byte-case-insensitively.
		if !equalFoldASCII(h.Name, name) {
			continue
		}
		found = true
		// The CSP header's grammar is a 1#rule of serialized policies: a
		// comma-separated list.
		values = append(values, strings.Split(h.Value, ",")...)
	}
	return values, found
}

// ParseResponseCSP parses the Content-Security-Policy and
// Content-Security-Policy-Report-Only headers of response into a CSP list
// whose self-origin is the origin of the response's URL.
//
// Spec: #parse-response-csp
func ParseResponseCSP(response *Response, tr *Trace) CSPList {
	const anchor = "parse-response-csp"
	defer tr.Enter(anchor, "%d headers", len(response.HeaderList))()

	// Step 1: an empty list of policies.
	var policies []Policy

	// Step 2: each policy of each Content-Security-Policy header, enforced.
	enforced, _ := ExtractHeaderListValues("Content-Security-Policy", response.HeaderList)
	for _, token := range enforced {
		// Step 2.1: parse it from a header, enforced.
		policy := ParseSerializedPolicy(token, HeaderSource, Enforce, tr)
		// Step 2.2: keep it unless its directive set is empty.
		if len(policy.DirectiveSet) == 0 {
			tr.Step(anchor, "2.2", "policy %q has no directives: dropped", token)
			continue
		}
		policies = append(policies, policy)
	}

	// Step 3: each policy of each Content-Security-Policy-Report-Only header.
	reported, _ := ExtractHeaderListValues("Content-Security-Policy-Report-Only", response.HeaderList)
	for _, token := range reported {
		// Step 3.1: parse it from a header, report-only.
		policy := ParseSerializedPolicy(token, HeaderSource, Report, tr)
		// Step 3.2: keep it unless its directive set is empty.
		if len(policy.DirectiveSet) == 0 {
			tr.Step(anchor, "3.2", "policy %q has no directives: dropped", token)
			continue
		}
		policies = append(policies, policy)
	}

	// Step 4: the list, with the response URL's origin as self-origin.
	list := CSPList{Policies: policies}
	if u, ok := response.URL(); ok {
		list.SelfOrigin = URLOrigin(u)
	} else {
		list.SelfOrigin = NewOpaqueOrigin()
	}
	tr.Step(anchor, "4", "%d policies, self-origin %s", len(policies), list.SelfOrigin)
	return list
}

// MetaCSP runs the Content Security Policy state of <meta http-equiv> on a
// <meta> element in the document's <head> whose content attribute is
// content, and returns the policy to append to the document's CSP list, or
// false when there is none. Report-only delivery has no http-equiv state at
// all, so a <meta> policy is always enforced.
//
// Spec: https://html.spec.whatwg.org/multipage/semantics.html#attr-meta-http-equiv-content-security-policy
func MetaCSP(content string, tr *Trace) (Policy, bool) {
	const anchor = "html#attr-meta-http-equiv-content-security-policy"
	defer tr.Enter(anchor, "content %q", content)()

	// Step 1 (no effect): the model takes the element to be a child of <head>.
	// Step 2: no policy from an empty content attribute.
	if content == "" {
		tr.Step(anchor, "2", "empty content: no policy")
		return Policy{}, false
	}
	// Step 3: parse the content as an enforced policy from "meta".
	policy := ParseSerializedPolicy(content, MetaSource, Enforce, tr)
	// Step 4: directives a <meta> cannot deliver are removed.
	kept := policy.DirectiveSet[:0:0]
	for _, d := range policy.DirectiveSet {
		switch d.Name {
		case "report-uri", "frame-ancestors", "sandbox":
			tr.Step(anchor, "4", "directive %s is not allowed in <meta>: removed", d.Name)
		default:
			kept = append(kept, d)
		}
	}
	policy.DirectiveSet = kept
	// Step 5: the caller appends it to the CSP list.
	return policy, true
}
