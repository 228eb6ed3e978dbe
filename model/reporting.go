package model

// ObtainViolationBlockedURI returns the blockedURI of a violation whose
// resource is a URL; a nil resource gives "" (the spec asserts it never is).
//
// Spec: #obtain-violation-blocked-uri
func ObtainViolationBlockedURI(resource *URL) string {
	// Step 1 (assert): the resource is a URL or a string. Request violations
	// always carry a URL; the model answers "" rather than panic.
	if resource == nil {
		return ""
	}
	// Step 2: a URL is stripped for reports.
	return StripURLForUseInReports(*resource)
	// Step 3 (not reached): string resources ("inline", "eval", …) come
	// from checks the model does not implement.
}

// StripURLForUseInReports returns url as a violation report may show it:
// only the scheme of a non-HTTP(S) URL, and otherwise the URL without
// fragment and credentials.
//
// Spec: #strip-url-for-use-in-reports
func StripURLForUseInReports(url URL) string {
	// Step 1: a non-HTTP(S) URL is reduced to its scheme.
	if !IsHTTPSScheme(url.Scheme) {
		return url.Scheme
	}
	// Step 2: no fragment. Ambiguity(A6): the step sets the fragment to the
	// empty string, which the URL serializer would still write as a trailing
	// "#"; the model removes the fragment (sets it to null), as browsers do.
	url.Fragment, url.HasFragment = "", false
	// Step 3: no username.
	url.Username = ""
	// Step 4: no password.
	url.Password = ""
	// Step 5: serialize.
	return url.Serialize(false)
}

// ReportViolation reports violation. The model has no event loop, DOM or
// reporting endpoints: it appends the violation to its global object's
// Reported list, which stands for the securitypolicyviolation event the spec
// fires there. Sending reports to report-uri and report-to endpoints is not
// modelled.
//
// Spec: #report-violation
func ReportViolation(violation Violation, tr *Trace) {
	const anchor = "report-violation"
	// Step 1: the violation's global object.
	global := violation.GlobalObject
	// Step 2 (no effect): request violations have no element.
	// Step 3: a task that fires the event. Steps 3.1-3.2 (no effect) pick the
	// global as the target, since there is no element.
	// Step 3.3: fire securitypolicyviolation at the target; the model records
	// the violation at the global.
	if global != nil {
		global.Reported = append(global.Reported, violation)
	}
	tr.Step(anchor, "3.3", "securitypolicyviolation: %s violated %s (%s), blockedURI %s",
		violation.Directive, violation.EffectiveDirective, violation.Disposition, ObtainViolationBlockedURI(violation.Resource))
	// Steps 3.4-3.5 (not modelled): delivery to report-uri and report-to
	// endpoints.
}
