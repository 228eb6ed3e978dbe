package corpus

import _ "embed"

// The pinned test vectors: every corpus case, PinnedCount request cases
// drawn from the property generators (package differential) with
// PinnedSeed, and PinnedChecks cases of each other check drawn from the
// same seed, each with the model's decision as its expectation. They were
// written by
//
//	go run ./cmd/csp vectors generate --count 5000 --checks 500 --seed 20261125 > corpus/vectors/pinned.jsonl
//
// and a test checks that the same command still writes the same lines, and
// that the model still gives every recorded decision. When the model or the
// corpus changes on purpose, rerun the command and review the diff.
const (
	PinnedSeed   = 20261125
	PinnedCount  = 5000
	PinnedChecks = 500
)

// PinnedVectors is the content of corpus/vectors/pinned.jsonl.
//
//go:embed vectors/pinned.jsonl
var PinnedVectors []byte
