package model

import (
	"crypto/sha256"
	"crypto/sha512"
	"encoding/base64"
	"hash"
)

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

// applyAlgorithmToBytes returns the base64 encoding of the digest of bytes
// under algorithm ("sha256", "sha384" or "sha512"), as SRI's "apply
// algorithm to bytes" does, and false for another algorithm.
func applyAlgorithmToBytes(algorithm string, bytes []byte) (string, bool) {
	var h hash.Hash
	switch algorithm {
	case "sha256":
		h = sha256.New()
	case "sha384":
		h = sha512.New384()
	case "sha512":
		h = sha512.New()
	default:
		return "", false
	}
	h.Write(bytes)
	return base64.StdEncoding.EncodeToString(h.Sum(nil)), true
}

// PotentiallyReportHash queues a csp-hash report of a script response when
// directive asks for one ('report-sha256', 'report-sha384' or
// 'report-sha512') and policy has a report-to directive. The model appends
// the report to the request's client's HashReports. It never changes a
// verdict.
//
// Spec: #potentially-report-hash
func PotentiallyReportHash(response *Response, request *Request, directive Directive, policy *Policy, tr *Trace) {
	const anchor = "potentially-report-hash"
	// Step 1
	algorithm := ""
	// Steps 2-4: the last of the report keywords present wins.
	if containsKeyword(directive.Value, "'report-sha256'") {
		algorithm = "sha256"
	}
	if containsKeyword(directive.Value, "'report-sha384'") {
		algorithm = "sha384"
	}
	if containsKeyword(directive.Value, "'report-sha512'") {
		algorithm = "sha512"
	}
	// Step 5: no report asked for.
	if algorithm == "" {
		return
	}
	// Step 6
	hashValue := ""
	// Step 7: only a CORS-same-origin body is hashed.
	if response.IsCORSSameOrigin() {
		// Step 7.1: the digest, base64-encoded. Ambiguity(A23): SRI's
		// algorithm encodes in base64, while the spec's example report
		// shows hexadecimal; the model follows the algorithm.
		h, _ := applyAlgorithmToBytes(algorithm, response.Body)
		// Step 7.2
		hashValue = algorithm + "-" + h
	}
	// Step 8: the request's client's global object.
	global := request.Client
	// Step 9: only Windows report.
	if global == nil || global.Kind != WindowGlobal {
		tr.Step(anchor, "9", "the client is not a Window: no report")
		return
	}
	// Step 10: the stripped URL of the document ("" when not given).
	strippedDocumentURL := ""
	if global.URL != nil {
		strippedDocumentURL = StripURLForUseInReports(*global.URL)
	}
	// Step 11: no report-to, no report.
	reportTo, ok := policy.Directive("report-to")
	if !ok {
		tr.Step(anchor, "11", "no report-to directive: no report")
		return
	}
	// Step 12: the report-to directive (reportTo).
	// Step 13: the report's body.
	body := CSPHashReport{
		DocumentURL:    strippedDocumentURL,
		SubresourceURL: request.URL().String(),
		Hash:           hashValue,
		Destination:    request.Destination,
		Type:           "subresource",
		Endpoint:       reportTo.Value,
	}
	// Step 14: queue it for the report-to endpoint.
	global.HashReports = append(global.HashReports, body)
	tr.Step(anchor, "14", "csp-hash report %q for %s", body.Hash, body.SubresourceURL)
}
