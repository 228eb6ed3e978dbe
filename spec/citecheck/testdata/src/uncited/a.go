package uncited // want `#beta \(Beta\) is in scope but no function cites it`

// Alpha leaves out steps 2.1 to 2.2.1: without a qualifier, citing step.2
// does not cover its sub-steps.
//
// Spec: #alpha // want `#alpha step.2.1 is not cited by any function` `#alpha step.2.2 is not cited by any function` `#alpha step.2.2.1 is not cited by any function`
func Alpha() {
	// Step 1
	// Step 2: a parent step.
	// Step 3
}

// Spec: #stepless
func Stepless() {}

// Spec: #source-grammar
func Grammar() {}
