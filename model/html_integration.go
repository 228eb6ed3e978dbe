package model

// This file holds the algorithms of the HTML integration (#html-integration),
// in the spec's order: a global object's CSP list, and the checks HTML calls.

// CSPObject is what #get-csp-of-object accepts: a *Document or a
// *GlobalObject.
type CSPObject interface{ cspObject() }

func (*Document) cspObject()     {}
func (*GlobalObject) cspObject() {}

// GetCSPOfObject returns object's CSP list, or nil (null) for an object that
// has none.
//
// Spec: #get-csp-of-object
func GetCSPOfObject(object CSPObject, tr *Trace) *CSPList {
	const anchor = "get-csp-of-object"
	// Step 1: a Document's policy container's CSP list.
	if document, ok := object.(*Document); ok && document != nil {
		if document.PolicyContainer == nil {
			return nil
		}
		tr.Step(anchor, "1", "a Document: its policy container's CSP list")
		return &document.PolicyContainer.CSPList
	}
	// Step 2: a Window's, worker's or worklet's environment settings
	// object's policy container's CSP list.
	if global, ok := object.(*GlobalObject); ok && global != nil && global.Kind <= WorkletGlobal && global.PolicyContainer != nil {
		tr.Step(anchor, "2", "a %s: its policy container's CSP list", global.Kind)
		return &global.PolicyContainer.CSPList
	}
	// Step 3
	tr.Step(anchor, "3", "null")
	return nil
}

// ShouldBlockInline decides whether element's inline behavior of type typ,
// whose text is source, may run or apply: every directive of every policy
// runs its inline check, each Blocked result is reported (with a sample
// when the directive asks for one), and enforced ones block.
//
// Spec: #should-block-inline
func ShouldBlockInline(element *Element, typ, source string, tr *Trace) Verdict {
	const anchor = "should-block-inline"
	defer tr.Enter(anchor, "type %q", typ)()

	// Step 1 (assert): there is an element. A null one is the caller's
	// bug; the model blocks rather than decide without one.
	if element == nil || element.Document == nil || element.Document.Global == nil {
		tr.Step(anchor, "1", "assertion failed: no element in a document: Blocked")
		return Blocked
	}
	// Step 2
	result := Allowed
	// Step 3: the policies of the element's document's global object.
	// Ambiguity(A24): step 3.1.3 reports to the current settings object's
	// global object, which the model takes to be this same global.
	global := element.Document.Global
	cspList := GetCSPOfObject(global, tr)
	if cspList == nil {
		tr.Step(anchor, "3", "the global object has no CSP list: Blocked")
		return Blocked
	}
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 3.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 3.1.1: its inline check.
			if InlineCheck(directive, element, typ, policy, source, tr) == Allowed {
				continue
			}
			// Step 3.1.2: the effective directive of the type.
			directiveName := EffectiveDirectiveForInlineCheck(typ, tr)
			// Step 3.1.3: a violation for the global object.
			violation := CreateViolationForGlobal(global, policy, directiveName, tr)
			violation.Directive, violation.Check = directive.Name, CheckInline
			// Step 3.1.4
			violation.Resource = StringResource(ResourceInline)
			// Step 3.1.5
			violation.Element = element
			// Step 3.1.6: a sample of the source, if the directive asks.
			if containsKeyword(directive.Value, "'report-sample'") {
				violation.Sample = firstCharacters(source, sampleLength)
				tr.Step(anchor, "3.1.6", "'report-sample': sample %q", violation.Sample)
			}
			// Step 3.1.7
			ReportViolation(violation, tr)
			// Step 3.1.8: enforced policies block.
			if policy.Disposition == Enforce {
				tr.Step(anchor, "3.1.8", "policy %q violated by %s: Blocked", policy.Text, directive.Name)
				result = Blocked
			}
		}
	}
	// Step 4
	tr.Step(anchor, "4", "%s", result)
	return result
}
