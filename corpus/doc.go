// Package corpus holds the project's test cases and the public test-vector
// format that carries them to any implementation of Content Security Policy.
//
// The format (docs/vectors.md) is JSON lines: a Case per line in (the
// policies a document received, its origin, one request), a Result per line
// out (the verdict and every violation, or an error). DecodeCase and
// DecodeResult read one line strictly, RunLines decides a stream of cases
// with any Decider, RunModel decides a case with the reference model
// (package model) and RunEngine with the compiled engine (package engine);
// Compare lists how two results differ, field by field.
//
// The corpus itself is a tree of txtar archives embedded in the package
// (documented/: cases the spec and the documentation state; regressions/:
// cases found by fuzzing and mutation testing), each case with its source
// and its expected result; Load reads them. PinnedVectors are the corpus
// and 5,000 generated cases with the model's decisions, as
// corpus/vectors/pinned.jsonl holds them.
package corpus
