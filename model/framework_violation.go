package model

// Violation is a violation (#framework-violation), holding the fields a
// request's violation fills in. The model has no DOM, no script positions and
// no HTTP status for the document, so the referrer, status, source file,
// line, column, element and sample are left out.
type Violation struct {
	// GlobalObject is the global object whose policy was violated.
	GlobalObject *GlobalObject
	// Policy is the violated policy; Disposition is its disposition.
	Policy      *Policy
	Disposition Disposition
	// EffectiveDirective is the directive whose enforcement caused the
	// violation: the request's effective directive ("" for null).
	EffectiveDirective string
	// Resource is what violated the policy: a URL for requests.
	Resource *URL

	// Departure(D3): the model adds three facts the spec's violation does not carry, so that
	// a reader can tell violations apart: the directive whose check said
	// Blocked (which differs from EffectiveDirective when a fallback such as
	// default-src decided), which check reported it, and the redirect count
	// at the time.
	Directive     string
	Check         Check
	RedirectCount int
}

// Check names the hook that reported a violation.
type Check string

const (
	// PreRequest: #report-for-request or #should-block-request.
	PreRequest Check = "request"
	// PostRequest: #should-block-response.
	PostRequest Check = "response"
)

// CreateViolationForGlobal creates a violation of policy by global, for the
// directive named directive.
//
// Spec: #create-violation-for-global
func CreateViolationForGlobal(global *GlobalObject, policy *Policy, directive string, tr *Trace) Violation {
	const anchor = "create-violation-for-global"
	// Step 1: the violation, with no resource yet.
	violation := Violation{GlobalObject: global, Policy: policy, Disposition: policy.Disposition, EffectiveDirective: directive}
	// Step 2 (no effect): no script is running in the model, so there is no
	// source file, line or column.
	// Step 3 (no effect): the model has no Document and so no referrer.
	// Step 4 (no effect): the model has no status code for the global.
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
	url := request.URL()
	violation.Resource = &url
	tr.Step(anchor, "3", "resource %s", url)
	// Step 4
	return violation
}
