package model

import (
	"fmt"
	"testing"
)

// TestResultsReadAsTheSpecWrites: each result type prints the spec's own
// literal for each of its values ("Matches", "Does Not Match", "Allowed",
// "Blocked", "Yes", "No"), as traces and callers formatting them with %v
// read them.
func TestResultsReadAsTheSpecWrites(t *testing.T) {
	for _, tc := range []struct {
		value fmt.Stringer
		want  string
	}{
		{Matches, "Matches"}, {DoesNotMatch, "Does Not Match"},
		{Allowed, "Allowed"}, {Blocked, "Blocked"},
		{Yes, "Yes"}, {No, "No"},
	} {
		if got := fmt.Sprint(tc.value); got != tc.want {
			t.Errorf("%#v prints %q, want %q", tc.value, got, tc.want)
		}
	}
}
