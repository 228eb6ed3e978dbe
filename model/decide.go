package model

import "fmt"

// PolicyDelivery is one way a document received policies: a
// Content-Security-Policy or Content-Security-Policy-Report-Only header line
// (Source "header", whose Value may hold a comma-separated list of policies),
// or a <meta http-equiv="Content-Security-Policy"> element (Source "meta").
// A zero Disposition means Enforce and a zero Source means HeaderSource, so
// that a delivery written with only its Value is enforced rather than
// silently dropped. Any other value than the named ones (a misspelt
// "Enforce") makes the whole list refused (D6): every entry point given it
// returns an error wrapping ErrBadInput and a Blocked verdict.
type PolicyDelivery struct {
	Value       string
	Disposition Disposition
	Source      PolicySource
}

// Normalized returns d with its zero Disposition and Source made explicit.
func (d PolicyDelivery) Normalized() PolicyDelivery {
	if d.Disposition == "" {
		d.Disposition = Enforce
	}
	if d.Source == "" {
		d.Source = HeaderSource
	}
	return d
}

// NewCSPList builds the CSP list of a document at selfOrigin that received
// deliveries: its header policies as #parse-response-csp reads them
// (enforced headers first, then report-only ones), then its <meta> policies in
// document order. Each policy's Delivery is the index of the delivery it came
// from.
//
// Departure(D1): #parse-response-csp takes the self-origin from the
// response's URL; the model takes it as given, since a CSP list is a policy list and a
// self-origin (#framework-policy), and inherited lists keep their creator's.
// Departure(D2): a <meta> element cannot deliver a report-only policy (HTML
// has no http-equiv state for it), so such deliveries are ignored, with a
// note in the trace, and keep their index.
// Departure(D6): a delivery whose Disposition or Source is none of the
// named values comes first, as one policy with those values, so that every
// entry point refuses the list (CSPList.check) instead of deciding without
// it.
func NewCSPList(deliveries []PolicyDelivery, selfOrigin Origin, tr *Trace) CSPList {
	defer tr.Enter("csp-list", "%d deliveries, self-origin %s", len(deliveries), selfOrigin)()
	list := CSPList{SelfOrigin: selfOrigin}
	for i, d := range deliveries {
		d = d.Normalized()
		if checkPolicyValues(d.Disposition, d.Source, i) == nil {
			continue
		}
		tr.Step("csp-list", "", "delivery %d: disposition %q, source %q: not a delivery, kept so that the list is refused (docs/spec-mapping.md, D6)", i, d.Disposition, d.Source)
		p := ParseSerializedPolicy(d.Value, d.Source, d.Disposition, tr)
		p.Delivery = i
		list.Policies = append(list.Policies, p)
	}
	// #parse-response-csp reads all enforced headers, then all report-only
	// ones. Reading each header line on its own gives the same policies in
	// the same order and keeps track of the line each came from.
	for _, disposition := range []Disposition{Enforce, Report} {
		name := "Content-Security-Policy"
		if disposition == Report {
			name = "Content-Security-Policy-Report-Only"
		}
		for i, d := range deliveries {
			d = d.Normalized()
			if d.Source != HeaderSource || d.Disposition != disposition {
				continue
			}
			parsed := ParseResponseCSP(&Response{HeaderList: []Header{{Name: name, Value: d.Value}}}, tr)
			// The response built here has no URL, so step 4 of
			// #parse-response-csp took an opaque self-origin; the list
			// takes selfOrigin instead (D1), and the trace says so
			// rather than show a self-origin the list does not have.
			tr.Amend("parse-response-csp", "4", "%d policies; self-origin %s, as given (docs/spec-mapping.md, D1)", len(parsed.Policies), selfOrigin)
			for _, p := range parsed.Policies {
				p.Delivery = i
				list.Policies = append(list.Policies, p)
			}
		}
	}
	for i, d := range deliveries {
		d = d.Normalized()
		if d.Source != MetaSource {
			continue
		}
		if d.Disposition != Enforce {
			tr.Step("html#attr-meta-http-equiv-content-security-policy", "", "delivery %d: <meta> has no report-only state: ignored", i)
			continue
		}
		if p, ok := MetaCSP(d.Value, tr); ok {
			p.Delivery = i
			list.Policies = append(list.Policies, p)
		}
	}
	return list
}

// Decision is what the entry points return: the verdict of a check and every
// violation it reported, in order. HashReports holds the csp-hash reports a
// request queued (#potentially-report-hash); SandboxFlags the sandboxing flag
// set DecideSandbox derived.
type Decision struct {
	Verdict      Verdict
	Violations   []Violation
	HashReports  []CSPHashReport
	SandboxFlags SandboxingFlagSet
}

// ErrBadRequest is wrapped by the errors Decide returns for requests that
// Fetch could not have made.
var ErrBadRequest = fmt.Errorf("request cannot be fetched")

// Decide runs, for request under cspList, the CSP hooks Fetch runs on it:
// for each URL of its URL list (the original URL, then each redirect target),
// main fetch reports the report-only violations and asks whether the request
// should be blocked, with that URL as the current URL and its position as the
// redirect count; a block ends the fetch. When every hop is allowed, the
// response (whose URL is the last of the list) goes through the post-request
// checks. The request's client and policy container are filled in here. A
// request Fetch could not have made gets an error wrapping ErrBadRequest and
// a Decision whose Verdict is Blocked (the zero Verdict), never Allowed; so
// does a CSP list holding a policy whose disposition or source is none of
// the named values (D6), with an error wrapping ErrBadInput, once the
// request is found possible.
//
// Main fetch's steps 5-6 (upgrade-insecure-requests and mixed-content
// upgrades) can change the URL between the report-only and the enforced
// checks; the model does not make those upgrades, so a URL list states the
// URLs as the CSP checks see them.
//
// Decide runs in a global object with no URL, referrer, status or running
// script: its violations' reports leave those fields empty. DecideRequest
// takes them from an Environment.
func Decide(cspList CSPList, request Request, tr *Trace) (Decision, error) {
	return DecideRequest(Environment{CSPList: cspList}, request, tr)
}

// DecideRequest is Decide for a request whose client is the global object
// env describes (a Window unless env says otherwise).
//
// Spec: https://fetch.spec.whatwg.org/#main-fetch
// (read at whatwg/fetch 586cd2a, 2026-07-02)
func DecideRequest(env Environment, request Request, tr *Trace) (Decision, error) {
	const anchor = "fetch#main-fetch"
	// The request's own faults first, then the global object's, as for
	// the other checks.
	if err := request.checkFields(); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	if len(request.URLList) == 0 {
		return Decision{Verdict: Blocked}, fmt.Errorf("%w: the URL list is empty", ErrBadRequest)
	}
	if request.Mode == "websocket" && len(request.URLList) > 1 {
		// WebSocket requests have redirect mode "error"
		// (https://websockets.spec.whatwg.org/#concept-websocket-establish step 2),
		// so HTTP fetch step 6.3 turns a redirect into a network error.
		return Decision{Verdict: Blocked}, fmt.Errorf("%w: a WebSocket request cannot be redirected (its redirect mode is \"error\")", ErrBadRequest)
	}
	if err := env.check(); err != nil {
		return Decision{Verdict: Blocked}, err
	}
	tr.Step(anchor, "", "request: destination %q, initiator %q, mode %q, URL list %v", request.Destination, request.Initiator, request.Mode, request.URLList)
	global := env.NewGlobalObject()
	container := global.PolicyContainer
	all := request.URLList
	verdict := Allowed
	for hop := range all {
		r := request
		r.URLList = all[:hop+1]
		r.RedirectCount = hop
		r.PolicyContainer = container
		r.Client = global
		if hop > 0 {
			// HTTP-redirect fetch steps 8 and 18 raise the redirect count and
			// append the location URL; step 22 runs main fetch again.
			tr.Step("fetch#http-redirect-fetch", "22", "redirect %d to %s: main fetch runs again", hop, r.CurrentURL())
		}
		// Main fetch step 4: report violations of report-only policies.
		ReportForRequest(&r, tr)
		// Main fetch step 7: a blocked request becomes a network error.
		if ShouldBlockRequest(&r, tr) == Blocked {
			tr.Step(anchor, "7", "blocked at %s: network error", r.CurrentURL())
			verdict = Blocked
			break
		}
	}
	if verdict == Allowed {
		r := request
		r.RedirectCount = len(all) - 1
		r.PolicyContainer = container
		r.Client = global
		// Main fetch step 16: the response's URL list is the request's.
		response := &Response{URLList: all}
		// Main fetch step 20: the response may still be blocked. Step 13
		// returns early from the main fetch of each redirect, so this runs
		// once, on the final response.
		if ShouldBlockResponse(response, &r, tr) == Blocked {
			tr.Step(anchor, "20", "response blocked: network error")
			verdict = Blocked
		}
	}
	return Decision{Verdict: verdict, Violations: global.Reported, HashReports: global.HashReports}, nil
}
