package corpus

import (
	"errors"
	"fmt"
	"sort"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// This file adapts the public vector format to the compiled engine (package
// engine), which knows nothing of cases and results: the engine depends only
// on the model, the standard library and the URL parser.

// RunEngine decides a case of the public vector format (docs/vectors.md)
// with the compiled engine, as RunModel does with the model.
//
// The engine decides every check.
func RunEngine(c Case) Result { return RunEngineAfter(c, nil) }

// RunEngineAfter is RunEngine on a compiled CSP that first served first
// (when it is not nil), as a long-lived CSP has served other requests and
// checks before this one: a compiled CSP lays parts of itself out on first
// use, and what it was asked before must never change an answer.
func RunEngineAfter(c Case, first func(*engine.CSP)) Result {
	if c.CheckName() != CheckRequest {
		return runEngineCheck(c, first)
	}
	csp, req, err := CompileCase(c)
	if err != nil {
		return Result{ID: c.ID, Error: err.Error()}
	}
	if first != nil {
		first(csp)
	}
	// Decided twice: a CSP's first request of an effective directive is
	// decided by scanning the policies' texts, the next ones by the
	// compiled lists (engine/scan.go), and every case holds both paths to
	// the same decision.
	var d, again engine.Decision
	err = csp.Decide(&req, &d)
	if errAgain := csp.Decide(&req, &again); !sameDecision(err, errAgain, &d, &again) {
		return Result{ID: c.ID, Error: fmt.Sprintf("%v: the first decision was %v (%v, %d violations), the second %v (%v, %d violations)",
			ErrEngineDecisions, d.Verdict, err, len(d.Violations), again.Verdict, errAgain, len(again.Violations))}
	}
	if err != nil {
		return Result{ID: c.ID, Error: err.Error()}
	}
	res := Result{ID: c.ID, Verdict: VerdictBlocked, Violations: []Violation{}}
	if d.Verdict == model.Allowed {
		res.Verdict = VerdictAllowed
	}
	for i := range d.Violations {
		v := &d.Violations[i]
		res.Violations = append(res.Violations, Violation{
			Policy: v.Policy(), OriginalPolicy: v.OriginalPolicy(), Directive: v.Directive(),
			EffectiveDirective: v.EffectiveDirective(), Disposition: string(v.Disposition()),
			BlockedURI: v.BlockedURI(), Check: string(v.Check()), RedirectCount: v.RedirectCount,
		})
	}
	return res
}

// ErrEngineDecisions is in the error of a result of RunEngine whose
// request the engine decided differently the second time on the same
// compiled CSP: a bug of the engine's, never of the case.
var ErrEngineDecisions = errors.New("the engine's first and second decisions of the request differ")

// sameDecision reports whether two decisions of the same request are the
// same: the same error or none, verdict and violations, field by field.
func sameDecision(err1, err2 error, d1, d2 *engine.Decision) bool {
	if (err1 == nil) != (err2 == nil) || err1 != nil && err1.Error() != err2.Error() {
		return false
	}
	if d1.Verdict != d2.Verdict || len(d1.Violations) != len(d2.Violations) {
		return false
	}
	for i := range d1.Violations {
		if d1.Violations[i] != d2.Violations[i] {
			return false
		}
	}
	return true
}

// EngineCheck is a case of a check other than a request, compiled and
// prepared for the engine: what a benchmark or a fuzz target needs to
// decide the same check many times (Decide).
type EngineCheck struct {
	CSP   *engine.CSP
	Check string
	Kind  model.GlobalKind
	// The check's input: Element, InlineType and Source (inline);
	// Compilation (eval); URLs and NavigationType (navigation-request);
	// Base (base); URLs, NavigationType, Response and Ancestors
	// (navigation-response).
	Element        model.Element
	InlineType     string
	Source         string
	Compilation    model.Compilation
	URLs           []model.URL
	NavigationType string
	Base           model.URL
	Response       *engine.CSP
	Ancestors      []*model.URL
	// responseInput is the case's response, whose deliveries number a
	// response policy's violations.
	responseInput *ResponseInput
}

// CompileCheck compiles a case of a check other than a request and
// prepares its input (for a navigation response, its own CSP list too).
// A request case is an error: CompileCase prepares those.
func CompileCheck(c Case) (*EngineCheck, error) {
	if c.CheckName() == CheckRequest {
		return nil, fmt.Errorf("%w: CompileCheck does not prepare request cases (CompileCase does)", ErrCase)
	}
	b, err := c.buildForEngine()
	if err != nil {
		return nil, err
	}
	ec := &EngineCheck{CSP: engine.Compile(b.deliveries, b.self), Check: c.CheckName(), Kind: b.env.Kind}
	switch ec.Check {
	case CheckInline:
		ec.Element, ec.InlineType, ec.Source = b.element, c.Inline.Type, c.Inline.Source
	case CheckEval:
		ec.Compilation = b.compile
	case CheckNavigationRequest:
		ec.URLs, ec.NavigationType = b.request.URLList, c.Navigation.Type
	case CheckNavigationResponse:
		ec.URLs, ec.NavigationType, ec.responseInput = b.request.URLList, c.Navigation.Type, c.Navigation.Response
		var deliveries []model.PolicyDelivery
		for _, h := range b.response.HeaderList {
			d := model.PolicyDelivery{Value: h.Value, Disposition: model.Enforce, Source: model.HeaderSource}
			if h.Name == "Content-Security-Policy-Report-Only" {
				d.Disposition = model.Report
			}
			deliveries = append(deliveries, d)
		}
		ec.Response = engine.Compile(deliveries, model.URLOrigin(b.request.URLList[len(b.request.URLList)-1]))
		for _, o := range b.target.AncestorOrigins {
			ec.Ancestors = append(ec.Ancestors, engine.AncestorURL(o))
		}
	case CheckBase:
		ec.Base = b.base
	}
	return ec, nil
}

// Decide decides the check with the engine, into d.
func (ec *EngineCheck) Decide(d *engine.CheckDecision) error {
	switch ec.Check {
	case CheckInline:
		return ec.CSP.DecideInline(ec.Kind, &ec.Element, ec.InlineType, ec.Source, d)
	case CheckEval:
		return ec.CSP.DecideEval(ec.Kind, &ec.Compilation, d)
	case CheckWasm:
		return ec.CSP.DecideWasm(ec.Kind, d)
	case CheckNavigationRequest:
		return ec.CSP.DecideNavigationRequest(ec.Kind, ec.URLs, ec.NavigationType, d)
	case CheckNavigationResponse:
		return ec.CSP.DecideNavigationResponse(ec.Kind, ec.URLs, ec.NavigationType, ec.Response, ec.Ancestors, d)
	case CheckBase:
		return ec.CSP.DecideBase(ec.Kind, &ec.Base, d)
	case CheckSandbox:
		return ec.CSP.DecideSandbox(ec.Kind, d)
	case CheckRTC:
		return ec.CSP.DecideRTC(ec.Kind, d)
	}
	return fmt.Errorf("%w: the engine does not decide %s checks", ErrCase, ec.Check)
}

// runEngineCheck decides a case of a check other than a request with the
// engine, on a CSP that first served first (when it is not nil).
func runEngineCheck(c Case, first func(*engine.CSP)) Result {
	ec, err := CompileCheck(c)
	if err != nil {
		return Result{ID: c.ID, Error: err.Error()}
	}
	if first != nil {
		first(ec.CSP)
	}
	var d engine.CheckDecision
	if err := ec.Decide(&d); err != nil {
		return Result{ID: c.ID, Error: err.Error()}
	}
	res := FromCheckDecision(c.ID, ec.Check, &d)
	for i := range d.Violations {
		if v := &d.Violations[i]; v.ResponsePolicy() {
			// As RunModel numbers it: the first response delivery that
			// carries a policy of the same text and disposition.
			res.Violations[i].Policy = responseDelivery(ec.responseInput, &model.Policy{Text: v.OriginalPolicy(), Disposition: v.Disposition()})
		}
	}
	return res
}

// FromCheckDecision writes the engine's decision of a check as a result.
func FromCheckDecision(id, check string, d *engine.CheckDecision) Result {
	res := Result{ID: id, Verdict: VerdictBlocked, Violations: []Violation{}}
	if d.Verdict == model.Allowed {
		res.Verdict = VerdictAllowed
	}
	for i := range d.Violations {
		v := &d.Violations[i]
		res.Violations = append(res.Violations, Violation{
			Policy: v.Policy(), OriginalPolicy: v.OriginalPolicy(), Directive: v.Directive(),
			EffectiveDirective: v.EffectiveDirective(), Disposition: string(v.Disposition()),
			BlockedURI: v.BlockedURI(), Check: string(v.Check()), RedirectCount: v.RedirectCount,
			Sample: v.Sample(), Element: v.Element(), ResponsePolicy: v.ResponsePolicy(),
		})
	}
	if check == CheckSandbox {
		res.SandboxFlags = append([]string{}, d.SandboxFlags.Names()...)
		sort.Strings(res.SandboxFlags)
	}
	return res
}

// CompileCase compiles a case's policies and builds its request, with URLs
// parsed, ready for (*engine.CSP).Decide: what a benchmark or a caller
// holding the vector format needs to decide the same request many times.
func CompileCase(c Case) (*engine.CSP, engine.Request, error) {
	var req engine.Request
	if ck := c.CheckName(); ck != CheckRequest {
		return nil, req, fmt.Errorf("%w: a %s check is not a request (CompileCheck prepares the other checks)", ErrCase, ck)
	}
	if err := c.Validate(); err != nil {
		return nil, req, err
	}
	deliveries, err := c.Deliveries()
	if err != nil {
		return nil, req, err
	}
	self, err := c.selfOrigin(engine.ParseOrigin)
	if err != nil {
		return nil, req, err
	}
	r := c.Request
	if err := r.Check(); err != nil {
		return nil, req, err
	}
	if r.Kind != "" {
		req.Kind, _ = engine.ParseKind(r.Kind)
	} else {
		req.Destination, req.Initiator, req.Mode = *r.Destination, r.Initiator, r.Mode
	}
	req.URLs = make([]model.URL, len(r.URLList))
	for i, s := range r.URLList {
		if err := engine.ParseURLInto(&req.URLs[i], s); err != nil {
			return nil, req, err
		}
	}
	c.byHand(req.URLs)
	req.Nonce, req.Integrity, req.ParserMetadata, req.WebTransportHashes = r.Nonce, r.Integrity, r.ParserMetadata, r.WebTransportHashes
	return engine.Compile(deliveries, self), req, nil
}

// Prepare returns a function that decides ec's check with the engine's
// entry point for prepared input (the methods of engine.Checks), on input
// prepared once as a caller deciding many checks of a page would hold it:
// the CSP list compiled for the checks, the inline type read as a number,
// the navigation, its ancestors, the base URL and the compilation prepared
// (the strings a decision would compare read as numbers). Its decisions are
// Decide's; once its CheckDecision has room for the violations, it
// allocates nothing (engine/decide_checks.go promises it).
func (ec *EngineCheck) Prepare() func(*engine.CheckDecision) error {
	l, kind := ec.CSP.Checks(), ec.Kind
	switch ec.Check {
	case CheckInline:
		typ, _ := engine.ParseInlineType(ec.InlineType)
		return func(d *engine.CheckDecision) error {
			return l.DecideInline(kind, &ec.Element, typ, ec.Source, d)
		}
	case CheckEval:
		comp, err := engine.PrepareCompilation(&ec.Compilation)
		if err != nil {
			return refused(err)
		}
		return func(d *engine.CheckDecision) error { return l.DecideEval(kind, &comp, d) }
	case CheckWasm:
		return func(d *engine.CheckDecision) error { return l.DecideWasm(kind, d) }
	case CheckNavigationRequest, CheckNavigationResponse:
		nav, err := engine.PrepareNavigation(ec.URLs, ec.NavigationType)
		if err != nil {
			return refused(err)
		}
		if ec.Check == CheckNavigationRequest {
			return func(d *engine.CheckDecision) error { return l.DecideNavigationRequest(kind, &nav, d) }
		}
		response, ancestors := ec.Response.Checks(), engine.PrepareAncestors(ec.Ancestors)
		return func(d *engine.CheckDecision) error {
			return l.DecideNavigationResponse(kind, &nav, response, &ancestors, d)
		}
	case CheckBase:
		base := engine.PrepareURL(&ec.Base)
		return func(d *engine.CheckDecision) error { return l.DecideBase(kind, &base, d) }
	case CheckSandbox:
		return func(d *engine.CheckDecision) error { return l.DecideSandbox(kind, d) }
	case CheckRTC:
		return func(d *engine.CheckDecision) error { return l.DecideRTC(kind, d) }
	}
	return ec.Decide
}

// refused returns a decider for input its preparation refused with err: it
// leaves the decision as the CSP's methods leave a refused one (Blocked, no
// violation, no sandboxing flag, the caller's own slice back), whatever it
// held, and returns err.
func refused(err error) func(*engine.CheckDecision) error {
	return func(d *engine.CheckDecision) error {
		if d == nil {
			return engine.ErrNoDecision
		}
		d.Reset()
		d.Verdict = model.Blocked
		return err
	}
}
