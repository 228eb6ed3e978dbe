// Package good cites every step of testdata/outline.json correctly: no
// diagnostics.
package good

// Trace stands for the model's trace.
type Trace struct{}

// Step records a step.
func (*Trace) Step(anchor, step, format string, args ...any) {}

// Alpha cites alpha's steps in order; a qualifier "(no effect)" on a range
// covers the sub-steps of its last step (2.2.1).
//
// Spec: #alpha
func Alpha(tr *Trace, x int) int {
	const anchor = "alpha"
	// Step 1: start.
	y := x
	tr.Step(anchor, "1", "started")
	// Step 2 (assert): a check. Steps 2.1-2.2 (no effect) do nothing here.
	if y < 0 {
		// Step 3: done; unlike step 2.1, this one returns.
		tr.Step(anchor, "3", "done")
		return 0
	}
	// Step 3
	return y
}

// BetaFirst and BetaSecond share beta: coverage counts the whole package.
//
// Spec: #beta
func BetaFirst() {
	// Step 1: one.
}

// BetaSecond is the rest of beta (see #alpha step 2.2 for nothing).
//
// Spec: #beta
func BetaSecond() {
	// Steps 1-2: again, in order.
}

// Stepless is an algorithm without steps.
//
// Spec: #stepless
func Stepless() {}

// Grammar names the grammar.
//
// Spec: #source-grammar (the grammar; not an algorithm)
func Grammar() {}

// External cites another standard; its comments are not read.
//
// Spec: https://example.org/other#algorithm
func External() {
	// Step 99: not ours, not checked (see #other step 7 too).
}

// helper has neither a Spec line nor Step comments.
func helper() {}
