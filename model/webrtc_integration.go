package model

// ShouldBlockRTCConnection decides whether global may make RTC connections:
// each directive's webrtc pre-connect check runs (webrtc's is the only one),
// each Blocked result is reported with a null resource, and enforced ones
// block.
//
// Spec: #should-block-rtc-connection
func ShouldBlockRTCConnection(global *GlobalObject, tr *Trace) Verdict {
	const anchor = "should-block-rtc-connection"
	defer tr.Enter(anchor, "%s", global.Kind)()

	// Step 1
	result := Allowed
	// Step 2: each policy of the global object's CSP list.
	cspList := GetCSPOfObject(global, tr)
	if cspList == nil {
		tr.Step(anchor, "2", "the global object has no CSP list: Blocked")
		return Blocked
	}
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 2.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 2.1.1: its webrtc pre-connect check.
			if WebRTCPreConnectCheck(directive, policy, tr) == Allowed {
				continue
			}
			// Step 2.1.2: a violation of the directive.
			violation := CreateViolationForGlobal(global, policy, directive.Name, tr)
			violation.Directive, violation.Check = directive.Name, CheckRTC
			// Step 2.1.3: the resource is null (see ObtainViolationBlockedURI).
			violation.Resource = Resource{}
			// Step 2.1.4
			ReportViolation(violation, tr)
			// Step 2.1.5: enforced policies block.
			if policy.Disposition == Enforce {
				tr.Step(anchor, "2.1.5", "policy %q: Blocked", policy.Text)
				result = Blocked
			}
		}
	}
	// Step 3
	tr.Step(anchor, "3", "%s", result)
	return result
}
