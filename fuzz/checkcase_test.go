package fuzz

import (
	"encoding/json"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// FuzzCheckCase feeds arbitrary vector lines, seeded with every corpus case
// (every check of CSP3, not only requests), to the decoder and, when they
// decode, to the model, the model with report bodies, the engine and the
// command writer: no input may panic, model and engine agree as in the
// other targets (disagreement), every result is a verdict or an error (the
// engine may also say unsupported, for checks beyond requests only), and
// every result reads back as a result.
func FuzzCheckCase(f *testing.F) {
	for _, line := range seedsOf(f, checkCaseSeeds) {
		f.Add(line)
	}
	f.Fuzz(func(t *testing.T, line []byte) {
		if msg := checkCaseFailure(line); msg != "" {
			t.Fatalf("%s", msg)
		}
	})
}

// TestCheckCaseSeedsHold runs the target's check on its seeds with every
// result counted, so that a seed the decoder refuses (and the target then
// skips) is noticed.
func TestCheckCaseSeedsHold(t *testing.T) {
	lines, err := checkCaseSeeds()
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range lines {
		if _, err := corpus.DecodeCase(line); err != nil {
			t.Errorf("seed %s does not decode: %v", line, err)
		}
		if msg := checkCaseFailure(line); msg != "" {
			t.Error(msg)
		}
	}
	var bad []byte
	if bad, err = json.Marshal(map[string]string{"id": "x"}); err != nil || checkCaseFailure(bad) != "" {
		t.Errorf("an undecodable line is not skipped quietly")
	}
}
