package model

// Match is the result of the spec's matching algorithms.
type Match bool

const (
	// Matches is the spec's "Matches".
	Matches Match = true
	// DoesNotMatch is the spec's "Does Not Match".
	DoesNotMatch Match = false
)

// String returns the spec's literal.
func (m Match) String() string {
	if m {
		return "Matches"
	}
	return "Does Not Match"
}

// Verdict is the result of the spec's checks.
type Verdict bool

const (
	// Allowed is the spec's "Allowed".
	Allowed Verdict = false
	// Blocked is the spec's "Blocked".
	Blocked Verdict = true
)

// String returns the spec's literal.
func (v Verdict) String() string {
	if v {
		return "Blocked"
	}
	return "Allowed"
}

// ShouldExecute is the result of #should-directive-execute.
type ShouldExecute bool

const (
	// Yes is the spec's "Yes".
	Yes ShouldExecute = true
	// No is the spec's "No".
	No ShouldExecute = false
)

// String returns the spec's literal.
func (s ShouldExecute) String() string {
	if s {
		return "Yes"
	}
	return "No"
}
