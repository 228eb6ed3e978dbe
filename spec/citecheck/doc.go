// Package citecheck defines an Analyzer that checks the model's citations
// of the CSP3 spec against the pinned outline (spec/outline.json, embedded
// from package spec).
//
// # Analyzer citecheck
//
// citecheck: check that spec citations name steps the pinned spec has, in order, and all of them
//
// A function whose doc comment has a line "Spec: #anchor" transcribes that
// CSP3 algorithm; "// Step N.M: …" comments in its body cite its steps
// ("Steps N-M", a qualifier in parentheses such as "(assert)" or "(no
// effect)", and "Step …" opening a sentence or a parenthesis of a body
// comment are read too). citecheck reports:
//
//   - a Spec anchor the outline does not have (out of scope, or gone);
//   - a cited step the algorithm does not have, or a step cited in a grammar
//     (#framework-directive-source-list has productions, not steps);
//   - a step cited before one that precedes it in the spec (citations must
//     follow the spec's order within each function; citing the same step
//     again is fine);
//   - an in-scope step that no function cites, once per step, at the Spec
//     line of the first function citing its algorithm. A range "Steps 3-4"
//     covers every step from 3 to 4 in the spec's order; a qualifier "(no
//     effect)", "(not modelled)" or "(not reached)" also covers the last
//     step's sub-steps, which then need no citation of their own;
//   - an in-scope algorithm that no function of the package cites, at the
//     package clause, when the package cites at least one in-scope
//     algorithm;
//   - a "Step" citation in a function without a Spec line;
//   - a lowercase reference ("step 3.2", "#anchor step 3.2") to a step that
//     does not exist, and a trace call x.Step(anchor, "N", …) whose step does
//     not exist or is not the one the comment above it cites.
//
// Functions whose Spec line is a URL cite another standard and are skipped.
// The -outline flag reads another outline file instead of the embedded one.
//
// Run it on the model with
//
//	go run ./spec/citecheck/cmd/citecheck ./model
//
// or install it and use it as a vet tool:
//
//	go install ./spec/citecheck/cmd/citecheck
//	go vet -vettool=$(go env GOPATH)/bin/citecheck ./model
package citecheck
