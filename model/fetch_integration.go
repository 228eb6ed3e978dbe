package model

// ReportForRequest reports the violations of request against the report-only
// policies of its CSP list. It never blocks.
//
// Spec: #report-for-request
func ReportForRequest(request *Request, tr *Trace) {
	const anchor = "report-for-request"
	defer tr.Enter(anchor, "%s", request.CurrentURL())()

	// Step 1: the request's policy container's CSP list.
	cspList := &request.PolicyContainer.CSPList
	// Step 2: each policy.
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 2.1: enforced policies are left to #should-block-request.
		if policy.Disposition == Enforce {
			continue
		}
		// Step 2.2: does the request violate it?
		violated, violates := DoesRequestViolatePolicy(request, policy, cspList.SelfOrigin, tr)
		// Step 2.3: report a violation.
		if violates {
			violation := CreateViolationForRequest(request, policy, tr)
			violation.Directive, violation.Check, violation.RedirectCount = violated.Name, PreRequest, request.RedirectCount
			tr.Step(anchor, "2.3", "report-only policy %q violated by %s", policy.Text, violated.Name)
			ReportViolation(violation, tr)
		}
	}
}

// ShouldBlockRequest decides request against the enforced policies of its
// CSP list, reporting each violation.
//
// Spec: #should-block-request
func ShouldBlockRequest(request *Request, tr *Trace) Verdict {
	const anchor = "should-block-request"
	defer tr.Enter(anchor, "%s, redirect count %d", request.CurrentURL(), request.RedirectCount)()

	// Step 1: the request's policy container's CSP list.
	cspList := &request.PolicyContainer.CSPList
	// Step 2: allowed until a policy says otherwise.
	result := Allowed
	// Step 3: each policy.
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 3.1: report-only policies are left to #report-for-request.
		if policy.Disposition == Report {
			continue
		}
		// Step 3.2: does the request violate it?
		violated, violates := DoesRequestViolatePolicy(request, policy, cspList.SelfOrigin, tr)
		// Step 3.3: it does.
		if violates {
			// Step 3.3.1: report the violation.
			violation := CreateViolationForRequest(request, policy, tr)
			violation.Directive, violation.Check, violation.RedirectCount = violated.Name, PreRequest, request.RedirectCount
			ReportViolation(violation, tr)
			// Step 3.3.2: block.
			tr.Step(anchor, "3.3.2", "policy %q violated by %s: Blocked", policy.Text, violated.Name)
			result = Blocked
		}
	}
	// Step 4
	tr.Step(anchor, "4", "%s", result)
	return result
}

// ShouldBlockResponse decides response to request against every policy of
// the request's CSP list: each directive's post-request check runs, every
// Blocked result is reported, and enforced ones block.
//
// Spec: #should-block-response
func ShouldBlockResponse(response *Response, request *Request, tr *Trace) Verdict {
	const anchor = "should-block-response"
	url, _ := response.URL()
	defer tr.Enter(anchor, "response %s", url)()

	// Step 1: the request's policy container's CSP list.
	cspList := &request.PolicyContainer.CSPList
	// Step 2: allowed until a policy says otherwise.
	result := Allowed
	// Step 3: each policy.
	for i := range cspList.Policies {
		policy := &cspList.Policies[i]
		// Step 3.1: each directive.
		for _, directive := range policy.DirectiveSet {
			// Step 3.1.1: its post-request check.
			if PostRequestCheck(directive, request, response, policy, cspList.SelfOrigin, tr) == Blocked {
				// Step 3.1.1.1: report, whatever the disposition.
				// Ambiguity(A9): a report-only violation was already reported
				// by #report-for-request; the model reports it again here,
				// marked as a response check.
				violation := CreateViolationForRequest(request, policy, tr)
				violation.Directive, violation.Check, violation.RedirectCount = directive.Name, PostRequest, request.RedirectCount
				ReportViolation(violation, tr)
				// Step 3.1.1.2: enforced policies block.
				if policy.Disposition == Enforce {
					tr.Step(anchor, "3.1.1.2", "policy %q violated by %s: Blocked", policy.Text, directive.Name)
					result = Blocked
				}
			}
		}
	}
	// Step 4
	tr.Step(anchor, "4", "%s", result)
	return result
}
