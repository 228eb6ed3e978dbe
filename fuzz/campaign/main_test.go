package main

import "testing"

// TestDeadlineRace: a run that failed with "context deadline exceeded"
// and wrote no input is Go's race at the end of -fuzztime; one that wrote
// an input, or failed with anything else, is a failure.
func TestDeadlineRace(t *testing.T) {
	raced := []string{"fuzz: elapsed: 3m0s, execs: 250987 (1258/sec), new interesting: 100 (total: 1465)",
		"--- FAIL: FuzzInlineCheck (181.10s)", "    context deadline exceeded", "FAIL", "exit status 1"}
	found := []string{"--- FAIL: FuzzDecide (12.01s)", "    --- FAIL: FuzzDecide (0.00s)", "        decide_test.go:12: decision mismatch",
		"    Failing input written to testdata/fuzz/FuzzDecide/0123abcd", "FAIL"}
	panicked := []string{"--- FAIL: FuzzDecide (1.00s)", "panic: runtime error: index out of range", "FAIL"}
	for _, tt := range []struct {
		name    string
		failing string
		tail    []string
		want    bool
	}{
		{"the race", "", raced, true},
		{"an input written", "fuzz/testdata/fuzz/FuzzDecide/0123abcd", found, false},
		{"the race's words beside an input", "fuzz/testdata/fuzz/FuzzInlineCheck/0123abcd", raced, false},
		{"a panic without an input", "", panicked, false},
		{"no output", "", nil, false},
	} {
		if got := deadlineRace(tt.failing, tt.tail); got != tt.want {
			t.Errorf("%s: deadlineRace = %v, want %v", tt.name, got, tt.want)
		}
	}
}
