package unknownanchor

// Gone cites an anchor the outline does not have.
//
// Spec: #gone // want `#gone is not an algorithm of the pinned spec \(outline 0123456\)`
func Gone() {
	// Step 1: never checked against anything.
}

// Outside cites a real algorithm outside the outline's scope.
//
// Spec: #outside // want `#outside \(Outside\) is outside the outline's scope: add it to spec/scope.go and regenerate spec/outline.json`
func Outside() {}
