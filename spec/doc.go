// Package spec holds the pinned CSP3 spec as data and the tools that keep
// the model in step with it.
//
// # The outline
//
// spec/outline.json is the outline of the spec revision the model
// transcribes (w3c/webappsec-csp index.bs at the commit it names): for each
// in-scope algorithm its anchor, its title, a fingerprint of the prose before
// its steps, and each step's number ("3", "3.2", "3.2.1") with a fingerprint
// of the step's own text. Grammars (#framework-directive-source-list) list a
// fingerprint per production instead of steps. The file also lists the
// anchors and titles of the spec's other algorithms, so an audit can tell a
// new algorithm from one that was merely out of scope. It holds numbers,
// anchors, titles and hashes, never the spec's prose.
//
// A fingerprint is the first 16 hexadecimal digits of the SHA-256 of the
// normalized text (see Normalize): markup reduced to the words it shows and
// whitespace folded, so reflowing a paragraph or swapping [=term=] for
// <a>term</a> changes nothing. Notes, issues and examples are left out.
// ParseDocument documents how Bikeshed's numbered lists become step numbers.
//
// The scope is the list of anchors the model cites in "Spec: #anchor" lines
// (Scope, in scope.go); a test keeps it equal to what model/ cites.
//
// # Reading it beside the spec
//
// Parse turns a Bikeshed source into an Outline; ParseDocument keeps every
// section with its normalized step text. The command
//
//	go run ./cmd/csp spec steps --spec index.bs --anchor match-paths
//
// prints one algorithm's steps with their numbers, which is what a
// "// Step N.M:" comment in model/ cites. Regenerate the pinned outline
// after re-pinning with
//
//	go run ./cmd/csp spec outline --spec index.bs --commit <sha> -o spec/outline.json
//
// # Citations and the audit
//
// Funcs reads the citations of Go source (doc comments "Spec: #anchor",
// body comments "Step N.M", trace calls). The analyzer in spec/citecheck
// checks them against the outline. Audit compares another revision of the
// spec with the outline and names, for each changed step, the model
// function and line that cite it; cmd/csp exposes it as "csp audit".
//
// # Security considerations
//
// The outline decides what the audit calls unchanged, so a normalization
// that dropped words would hide a change to matching. Normalize drops only
// markup, comments and whitespace, and notes, issues and examples, which
// are not normative; any change to it bumps FormatVersion and regenerates
// the outline.
package spec
