// Package corpus holds the project's test cases and the public test-vector
// format that carries them to any implementation of Content Security Policy.
//
// The format (docs/vectors.md) is JSON lines: a Case per line in (the
// policies a document received, its origin, and one check: a request by
// default, or an inline script or style, eval, WebAssembly, a navigation or
// its response, a <base> URL, a sandbox or WebRTC, each with its own
// input), a Result per line out (the verdict, every violation and, for a
// sandbox, its flags; or an error). DecodeCase and DecodeResult read one
// line strictly, RunLines decides a stream of cases with any Decider,
// RunModel decides a case of any check with the reference model (package
// model) and RunEngine with the compiled engine (package engine), which
// decides a request twice on one compiled CSP (its first decision reads the
// policies' texts, its second the compiled lists) and reports
// ErrEngineDecisions when the two differ; Compare lists how two results
// differ, field by field.
//
// The corpus itself is a tree of txtar archives embedded in the package
// (documented/: cases the spec and the documentation state; regressions/:
// cases found by fuzzing and mutation testing), each case with its source
// and its expected result; Load reads them. PinnedVectors are the corpus,
// 5,000 generated requests and 500 generated cases of each other check with
// the model's decisions, as corpus/vectors/pinned.jsonl holds them.
package corpus
