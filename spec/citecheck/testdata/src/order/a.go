package order

// Alpha cites step 2 after step 3.
//
// Spec: #alpha
func Alpha() {
	// Step 1
	// Step 3: out of place.
	// Step 2: too late. Steps 2.1-2.2 (not modelled) follow it. // want `Alpha cites #alpha step.2 after step.3: cite steps in the spec's order`
}

// Beta repeats a step, which is fine, then goes back. Steps 2-1 would run
// backwards.
//
// Spec: #beta
func Beta() {
	// Step 1
	// Step 1 (continued): the same step again.
	// Step 2
	// Steps 2-1: backwards. // want `#beta steps.2-1: the range runs backwards`
}

// Spec: #stepless
func Stepless() {}

// Spec: #source-grammar
func Grammar() {}
