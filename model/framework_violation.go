package model

// Violation is a violation (#framework-violation). Its url is not a field:
// the spec defines it as its global object's URL, which URL returns.
type Violation struct {
	// GlobalObject is the global object whose policy was violated; nil when
	// there is none (#should-block-navigation-response step 2.1.2).
	GlobalObject *GlobalObject
	// Status is the HTTP status code of the resource the global object was
	// created for.
	Status int
	// Resource is what violated the policy: a URL, one of the strings
	// "inline", "eval", "wasm-eval", "trusted-types-policy" or
	// "trusted-types-sink", or null.
	Resource Resource
	// Referrer is the referrer of the global object's document, or nil.
	Referrer *URL
	// Policy is the violated policy; Disposition is its disposition.
	Policy      *Policy
	Disposition Disposition
	// EffectiveDirective is the directive whose enforcement caused the
	// violation: a request's effective directive ("" for null), the
	// effective directive of an inline check, "script-src" for eval, …
	EffectiveDirective string
	// SourceFile, LineNumber and ColumnNumber locate the script that was
	// running when the violation happened; SourceFile is nil when none was.
	SourceFile   *URL
	LineNumber   int
	ColumnNumber int
	// Element is the element an inline violation is about, or nil.
	Element *Element
	// Sample is the first characters of the inline script, style, attribute
	// or eval'd string, when the directive asked for it with
	// 'report-sample'; empty otherwise.
	Sample string

	// Departure(D3): the model adds facts the spec's violation does not
	// carry, so that a reader can tell violations apart: the directive whose
	// check said Blocked (which differs from EffectiveDirective when a
	// fallback such as default-src decided), which check reported it, the
	// redirect count at the time, and where #report-violation fired its
	// event ("element", "document", "global", or "" when it fired none).
	Directive     string
	Check         Check
	RedirectCount int
	EventTarget   string
}

// URL returns the violation's url: its global object's URL, or nil when the
// global object is null or its URL was not given.
func (v *Violation) URL() *URL {
	if v.GlobalObject == nil {
		return nil
	}
	return v.GlobalObject.URL
}

// Check names the hook that reported a violation.
type Check string

const (
	// PreRequest: #report-for-request or #should-block-request.
	PreRequest Check = "request"
	// PostRequest: #should-block-response.
	PostRequest Check = "response"
	// CheckInline: #should-block-inline.
	CheckInline Check = "inline"
	// CheckEval: #can-compile-strings (and the Trusted Types check it runs).
	CheckEval Check = "eval"
	// CheckWasm: #can-compile-wasm-bytes.
	CheckWasm Check = "wasm"
	// CheckNavigationRequest: #should-block-navigation-request.
	CheckNavigationRequest Check = "navigation-request"
	// CheckNavigationResponse: #should-block-navigation-response.
	CheckNavigationResponse Check = "navigation-response"
	// CheckBase: #allow-base-for-document.
	CheckBase Check = "base"
	// CheckRTC: #should-block-rtc-connection.
	CheckRTC Check = "rtc"
)

// CreateViolationForGlobal creates a violation of policy by global, for the
// directive named directive. global may be nil (the spec's null).
//
// Spec: #create-violation-for-global
func CreateViolationForGlobal(global *GlobalObject, policy *Policy, directive string, tr *Trace) Violation {
	const anchor = "create-violation-for-global"
	// Step 1: the violation, with a null resource.
	violation := Violation{GlobalObject: global, Policy: policy, Disposition: policy.Disposition, EffectiveDirective: directive}
	// Step 2: the location of the script running in global, when there is
	// one (the caller says so in the global's RunningScript).
	if global != nil && global.RunningScript != nil {
		file := global.RunningScript.SourceFile
		violation.SourceFile = &file
		violation.LineNumber, violation.ColumnNumber = global.RunningScript.LineNumber, global.RunningScript.ColumnNumber
		tr.Step(anchor, "2", "script running at %s:%d:%d", file, violation.LineNumber, violation.ColumnNumber)
	}
	// Step 3: a Window's document's referrer.
	if global != nil && global.Kind == WindowGlobal && global.Referrer != nil {
		referrer := *global.Referrer
		violation.Referrer = &referrer
		tr.Step(anchor, "3", "referrer %s", referrer)
	}
	// Step 4: the status code of the global's resource, as given.
	if global != nil {
		violation.Status = global.StatusCode
	}
	// Step 5
	tr.Step(anchor, "5", "violation of %s (%s)", directive, policy.Disposition)
	return violation
}

// CreateViolationForRequest creates the violation of policy by request. Its
// resource is the request's URL, its first, not its current one.
//
// Spec: #create-violation-for-request
func CreateViolationForRequest(request *Request, policy *Policy, tr *Trace) Violation {
	const anchor = "create-violation-for-request"
	defer tr.Enter(anchor, "policy %q", policy.Text)()

	// Step 1: the request's effective directive.
	directive := EffectiveDirectiveForRequest(request, tr)
	// Step 2: a violation for the request's client's global object.
	violation := CreateViolationForGlobal(request.Client, policy, directive, tr)
	// Step 3: the resource is the request's URL (never the current URL, which
	// could reveal redirect targets). Ambiguity(A10): for a WebSocket that is
	// the http: or https: form of the ws: or wss: URL the page gave, and the
	// model reports it as the spec says; browsers report the page's URL.
	violation.Resource = URLResource(request.URL())
	tr.Step(anchor, "3", "resource %s", request.URL())
	// Step 4
	return violation
}
