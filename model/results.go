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

// Verdict is the result of the spec's checks. Its zero value is Blocked, so
// that a verdict nobody set, such as the one an error path leaves, never
// reads as Allowed: a caller who forgets to check an error fails closed.
type Verdict uint8

const (
	// Blocked is the spec's "Blocked", and the zero Verdict.
	Blocked Verdict = iota
	// Allowed is the spec's "Allowed".
	Allowed
)

// String returns the spec's literal.
func (v Verdict) String() string {
	if v == Allowed {
		return "Allowed"
	}
	return "Blocked"
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
