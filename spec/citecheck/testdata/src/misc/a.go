package misc

type Trace struct{}

func (*Trace) Step(anchor, step, format string, args ...any) {}

// Alpha traces a step other than the one its comment cites.
//
// Spec: #alpha
func Alpha(tr *Trace) {
	tr.Step("alpha", "1", "too early") // want `trace names #alpha step.1 before any Step comment`
	// Steps 1-2.2 (no effect)
	// Step 3: the end.
	tr.Step("alpha", "2", "wrong") // want `trace names #alpha step.2 but the comment above cites step.3`
	tr.Step("beta", "2", "another algorithm's trace is not compared")
}

// Spec: #beta
func Beta() {
	// Steps 1-2
}

// Spec: #stepless
func Stepless() {}

// Grammar cites a step of a grammar.
//
// Spec: #source-grammar
func Grammar() {
	// Step 1: grammars have none. // want `#source-grammar is a grammar: it has no steps to cite`
}

// unattached cites a step without saying which algorithm.
func unattached() {
	// Step 2: of what? // want `unattached cites step.2 but has no "Spec: #anchor" line in its doc comment`
}
