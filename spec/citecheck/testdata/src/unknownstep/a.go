package unknownstep

type Trace struct{}

func (*Trace) Step(anchor, step, format string, args ...any) {}

// Alpha cites steps alpha does not have.
//
// Spec: #alpha
func Alpha(tr *Trace) {
	const anchor = "alpha"
	// Steps 1-2.2 (no effect): setup.
	// Step 2.3: there is no such step. // want `#alpha has no step.2\.3`
	// Step 3: the end, unlike step 7. // want `#alpha has no step.7`
	tr.Step(anchor, "3.1", "no such step") // want `trace names #alpha step.3\.1, which does not exist`
}

// Beta refers to a step of alpha that does not exist: see #alpha step 4. // want `#alpha has no step.4`
//
// Spec: #beta
func Beta() {
	// Steps 1-2
}

// Spec: #stepless
func Stepless() {}

// Spec: #source-grammar
func Grammar() {}
