package model

import (
	"errors"
	"fmt"
	"strconv"
	"strings"
)

// Resource is a violation's resource (#framework-violation): null, a URL, or
// one of the strings "inline", "eval", "wasm-eval", "trusted-types-policy"
// and "trusted-types-sink". The zero Resource is null.
type Resource struct {
	// URL is the resource when it is a URL.
	URL *URL
	// Text is the resource when it is a string.
	Text string
}

// Resource strings of the spec (#framework-violation).
const (
	ResourceInline             = "inline"
	ResourceEval               = "eval"
	ResourceWasmEval           = "wasm-eval"
	ResourceTrustedTypesPolicy = "trusted-types-policy"
	ResourceTrustedTypesSink   = "trusted-types-sink"
)

// URLResource returns u as a violation's resource.
func URLResource(u URL) Resource { return Resource{URL: &u} }

// StringResource returns s as a violation's resource.
func StringResource(s string) Resource { return Resource{Text: s} }

// IsNull reports whether the resource is null.
func (r Resource) IsNull() bool { return r.URL == nil && r.Text == "" }

// String returns the URL's serialization, the string, or "null".
func (r Resource) String() string {
	switch {
	case r.URL != nil:
		return r.URL.String()
	case r.Text != "":
		return r.Text
	}
	return "null"
}

// ObtainViolationBlockedURI returns the blockedURI of a violation's resource.
//
// Spec: #obtain-violation-blocked-uri
func ObtainViolationBlockedURI(resource Resource) string {
	// Step 1 (assert): the resource is a URL or a string. Ambiguity(A13):
	// #should-block-rtc-connection step 2.1.3 sets a WebRTC violation's
	// resource to null and reports it, so the assertion fails in the spec's
	// own use; the model answers "" for a null resource rather than fail.
	if resource.IsNull() {
		return ""
	}
	// Step 2: a URL is stripped for reports.
	if resource.URL != nil {
		return StripURLForUseInReports(*resource.URL)
	}
	// Step 3: a string is itself.
	return resource.Text
}

// ErrAssert is wrapped by the errors of a failed spec assertion: a bug of the
// model, never a property of the input.
var ErrAssert = errors.New("spec assertion failed")

// DeprecatedSerializeViolation returns the JSON body of the report that the
// deprecated report-uri directive sends for violation: an object with one
// member, "csp-report", whose members are, in order, document-uri, referrer,
// blocked-uri, effective-directive, violated-directive, original-policy,
// disposition, status-code and script-sample, then source-file, line-number
// and column-number when a script was running.
//
// Spec: #deprecated-serialize-violation
func DeprecatedSerializeViolation(violation Violation, tr *Trace) ([]byte, error) {
	const anchor = "deprecated-serialize-violation"
	// Step 1: the body's members, in order. Ambiguity(A20): a null url (no
	// global object) or a null referrer has no stripped form; the model
	// writes "" for both, as browsers send. The serialization of the policy
	// is the text it was parsed from (Policy.Text).
	var body strings.Builder
	member := func(key string, value any) {
		if body.Len() > 0 {
			body.WriteByte(',')
		}
		jsonQuote(&body, key)
		body.WriteByte(':')
		switch v := value.(type) {
		case string:
			jsonQuote(&body, v)
		case int:
			body.WriteString(strconv.Itoa(v))
		}
	}
	stripped := func(u *URL) string {
		if u == nil {
			return ""
		}
		return StripURLForUseInReports(*u)
	}
	blockedURI := ObtainViolationBlockedURI(violation.Resource)
	policyText := ""
	if violation.Policy != nil {
		policyText = violation.Policy.Text
	}
	member("document-uri", stripped(violation.URL()))
	member("referrer", stripped(violation.Referrer))
	member("blocked-uri", blockedURI)
	member("effective-directive", violation.EffectiveDirective)
	member("violated-directive", violation.EffectiveDirective)
	member("original-policy", policyText)
	member("disposition", string(violation.Disposition))
	member("status-code", violation.Status)
	member("script-sample", violation.Sample)
	// Step 2: the running script's location, when there was one.
	if violation.SourceFile != nil {
		// Steps 2.1-2.3: its stripped URL, line and column. The spec's key
		// "source-file'" has mismatched quotes; the model writes source-file.
		member("source-file", StripURLForUseInReports(*violation.SourceFile))
		member("line-number", violation.LineNumber)
		member("column-number", violation.ColumnNumber)
		tr.Step(anchor, "2.3", "source file %s", *violation.SourceFile)
	}
	// Step 3 (assert): only inline violations carry a sample. Ambiguity(A20):
	// the step names a key "sample" the body does not have, and
	// #can-compile-strings step 5.3.6 (and Trusted Types) give "eval" and
	// "trusted-types-sink" violations a sample too; the model checks
	// script-sample and accepts those three resources.
	switch blockedURI {
	case ResourceInline, ResourceEval, ResourceTrustedTypesSink:
	default:
		if violation.Sample != "" {
			return nil, fmt.Errorf("%w: #deprecated-serialize-violation step 3: a violation of %q has a sample", ErrAssert, blockedURI)
		}
	}
	// Step 4: the map « "csp-report" → body » as JSON, in UTF-8.
	var out strings.Builder
	out.WriteByte('{')
	jsonQuote(&out, "csp-report")
	out.WriteString(":{")
	out.WriteString(body.String())
	out.WriteString("}}")
	tr.Step(anchor, "4", "%d bytes", out.Len())
	return []byte(out.String()), nil
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
// fires there, and records where the event would fire (EventTarget). A
// violation without a global object fires no event; its caller records it.
// Sending reports to report-uri and report-to endpoints is not modelled
// (DeprecatedSerializeViolation builds the report-uri body).
//
// Spec: #report-violation
func ReportViolation(violation Violation, tr *Trace) {
	const anchor = "report-violation"
	// Step 1: the violation's global object.
	global := violation.GlobalObject
	// Step 2: the event's target is the violation's element, if any.
	target := ""
	if violation.Element != nil {
		target = "element"
	}
	// Step 3: a task that fires the event.
	// Step 3.1: an element outside the Window's document loses the event
	// to the document.
	if target == "element" && global != nil && global.Kind == WindowGlobal && violation.Element.Disconnected {
		target = ""
		tr.Step(anchor, "3.1", "the element is not connected: the document is the target")
	}
	// Step 3.2: otherwise the target is the global object, or a Window's
	// document.
	if target == "" && global != nil {
		// Step 3.2.1
		target = "global"
		// Step 3.2.2
		if global.Kind == WindowGlobal {
			target = "document"
		}
	}
	// Step 3.3: fire securitypolicyviolation at the target; the model records
	// the violation at the global. A null target (no global object) is no
	// EventTarget: no event.
	violation.EventTarget = target
	if global != nil {
		global.Reported = append(global.Reported, violation)
		tr.Step(anchor, "3.3", "securitypolicyviolation at the %s: %s violated %s (%s), blockedURI %q",
			target, violation.Directive, violation.EffectiveDirective, violation.Disposition, ObtainViolationBlockedURI(violation.Resource))
	} else {
		tr.Step(anchor, "3.3", "no global object: no event (%s violated %s, blockedURI %q)",
			violation.Directive, violation.EffectiveDirective, ObtainViolationBlockedURI(violation.Resource))
	}
	// Steps 3.4-3.5 (not modelled): delivery to report-uri and report-to
	// endpoints.
}
