package corpus

import (
	"bytes"
	"encoding/json"
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// This file extends the vector format (docs/vectors.md) beyond requests: a
// case's check field names what is decided, and the check's own field
// carries its input. RunModel and RunEngine decide every check.

// The checks a case can ask for, as its check field names them.
const (
	CheckRequest            = "request" // the default: a Fetch request (Case.Request)
	CheckInline             = "inline"  // an inline script, style, event handler or style attribute (Case.Inline)
	CheckEval               = "eval"    // eval(), Function() or a timer given a string (Case.Eval)
	CheckWasm               = "wasm"    // compiling WebAssembly
	CheckNavigationRequest  = "navigation-request"
	CheckNavigationResponse = "navigation-response"
	CheckBase               = "base" // a <base href> (Case.BaseURL)
	CheckSandbox            = "sandbox"
	CheckRTC                = "rtc" // WebRTC connections
)

// Checks lists every check, the default first.
var Checks = []string{CheckRequest, CheckInline, CheckEval, CheckWasm, CheckNavigationRequest, CheckNavigationResponse, CheckBase, CheckSandbox, CheckRTC}

// ViolationChecks lists the values of Violation.Check: the hook that
// reported a violation. A request's are "request" and "response"; every
// other check reports under its own name (a sandbox check reports nothing).
var ViolationChecks = []string{"request", "response", CheckInline, CheckEval, CheckWasm, CheckNavigationRequest, CheckNavigationResponse, CheckBase, CheckRTC}

// EngineUnsupported is the reason an engine gives for a case of a check it
// does not decide. The compiled engine decides every check and never gives
// it; it stays for implementations that decide fewer (csp vectors run
// counts such cases apart).
const EngineUnsupported = "the engine does not decide this check"

// CheckName returns the case's check, CheckRequest when it names none.
func (c Case) CheckName() string {
	if c.CheckType == "" {
		return CheckRequest
	}
	return c.CheckType
}

// GlobalInput describes the global object a check runs in. Its kind is
// read by the checks (inline and base checks need a window; a sandbox
// blocks only a worker); its URL, referrer and status only fill in the
// report-uri body of a violation.
type GlobalInput struct {
	// Kind is "window" (the default), "worker" or "worklet".
	Kind string `json:"kind,omitempty"`
	// URL is the global object's URL (a report's document-uri): by default
	// the self-origin's URL ("https://example.com/"); "" for none.
	URL *string `json:"url,omitempty"`
	// Referrer is the document's referrer, if any.
	Referrer string `json:"referrer,omitempty"`
	// Status is the status code of the response the global object came
	// from (0 when not given).
	Status int `json:"status,omitempty"`
}

// InlineInput is the input of an inline check: the type of inline
// behavior, the element, and the text (the script or style, or the
// attribute's value).
type InlineInput struct {
	// Type is "script", "style", "script attribute" or "style attribute".
	Type    string        `json:"type"`
	Element *ElementInput `json:"element,omitempty"`
	Source  string        `json:"source"`
}

// ElementInput is the element an inline check is about.
type ElementInput struct {
	// LocalName is the element's local name; it defaults to "script" for
	// type script and "style" for type style, and must be given for the
	// attribute types.
	LocalName string `json:"local_name,omitempty"`
	// Attributes is the element's attribute list, in order, duplicates
	// included; its nonce is the value of the attribute named "nonce".
	Attributes []Attribute `json:"attributes,omitempty"`
	// NotParserInserted is true for a script element made by script (the
	// default is parser-inserted).
	NotParserInserted bool `json:"not_parser_inserted,omitempty"`
	// DuplicateAttribute is true when the parser met a duplicate attribute
	// on the element.
	DuplicateAttribute bool `json:"duplicate_attribute,omitempty"`
}

// Attribute is one attribute, written as a JSON array [name, value].
type Attribute [2]string

// UnmarshalJSON reads [name, value] and refuses arrays of any other
// length, which encoding/json would silently cut or pad.
func (a *Attribute) UnmarshalJSON(b []byte) error {
	var s []string
	if err := json.Unmarshal(b, &s); err != nil {
		return err
	}
	if len(s) != 2 {
		return fmt.Errorf("an attribute is [name, value], not %d strings", len(s))
	}
	a[0], a[1] = s[0], s[1]
	return nil
}

// EvalInput is the input of an eval check: what a string-compiling sink
// hands to the host (ECMAScript's HostEnsureCanCompileStrings).
type EvalInput struct {
	// Type is "EVAL" (eval()), "FUNCTION" (the Function constructors) or
	// "TIMER" (setTimeout() or setInterval() given a string).
	Type string `json:"type"`
	// Code is the code string: the string eval'd or given to the timer,
	// or the whole source text the Function constructor assembled.
	Code string `json:"code"`
	// Body is the body string (EVAL and FUNCTION; default: Code).
	Body *string `json:"body,omitempty"`
	// Parameters are the parameter strings (FUNCTION only).
	Parameters []string `json:"parameters,omitempty"`
	// BodyArg is the value the body came from (default: a plain string).
	BodyArg *ScriptValueInput `json:"body_arg,omitempty"`
	// ParameterArgs are the values the parameters came from, one per
	// parameter (default: plain strings).
	ParameterArgs []ScriptValueInput `json:"parameter_args,omitempty"`
}

// ScriptValueInput is a value handed to a sink: a string, or a
// TrustedScript object whose data is Data.
type ScriptValueInput struct {
	TrustedScript bool `json:"trusted_script"`
	// Data is the value's data; by default the string it stands for (the
	// body or the parameter).
	Data *string `json:"data,omitempty"`
}

// NavigationInput is the input of the navigation checks.
type NavigationInput struct {
	// Type is "form-submission" or "other".
	Type string `json:"type"`
	// URLList is the navigation request's URL list: its URL, then each
	// redirect target (HTTP(S) only; a javascript: URL is never redirected).
	URLList []string `json:"url_list"`
	// Response (navigation-response only) is the response's CSP headers;
	// its URL is the last URL of URLList.
	Response *ResponseInput `json:"response,omitempty"`
	// Ancestors (navigation-response only) are the origins of the
	// documents that embed the navigable, parent first; "null" for an
	// opaque origin. None for a top-level traversable.
	Ancestors []string `json:"ancestors,omitempty"`
}

// ResponseInput is a navigation response's Content-Security-Policy and
// Content-Security-Policy-Report-Only headers, as policy deliveries
// (source "header" only: a response has no <meta>).
type ResponseInput struct {
	Policies []PolicyInput `json:"policies"`
}

// RawJSON is a JSON value kept as its text: it is written as the value
// itself, not as a string, and stays comparable with ==.
type RawJSON string

// MarshalJSON writes the value.
func (r RawJSON) MarshalJSON() ([]byte, error) {
	if r == "" {
		return []byte("null"), nil
	}
	return []byte(r), nil
}

// UnmarshalJSON keeps the value's text, compacted.
func (r *RawJSON) UnmarshalJSON(b []byte) error {
	var buf bytes.Buffer
	if err := json.Compact(&buf, b); err != nil {
		return err
	}
	*r = RawJSON(buf.String())
	return nil
}

// The values of the check fields that name a concept of the spec or of
// HTML; anything else is refused.
var (
	inlineTypes     = []string{model.InlineScript, model.InlineScriptAttribute, model.InlineStyle, model.InlineStyleAttribute}
	evalTypes       = []string{model.CompileEval, model.CompileFunction, model.CompileTimer}
	navigationTypes = []string{model.NavigationFormSubmission, model.NavigationOther}
	globalKinds     = map[string]model.GlobalKind{"": model.WindowGlobal, "window": model.WindowGlobal, "worker": model.WorkerGlobal, "worklet": model.WorkletGlobal}
)

// checkFields are the fields that belong to one or two checks, in the order
// Validate names them: a field of another check makes a case invalid.
var checkFields = [...]string{"request", "inline", "eval", "navigation", "base_url"}

// setField reports whether the case sets the check field f (one of
// checkFields).
func (c *Case) setField(f string) bool {
	switch f {
	case "request":
		return !c.Request.isZero()
	case "inline":
		return c.Inline != nil
	case "eval":
		return c.Eval != nil
	case "navigation":
		return c.Navigation != nil
	case "base_url":
		return c.BaseURL != ""
	}
	return false
}

// isZero reports whether no field of the request is set: what omitzero
// leaves out when a case is written.
func (r *RequestInput) isZero() bool {
	return r.Kind == "" && r.Destination == nil && r.Initiator == "" && r.Mode == "" && r.URLList == nil &&
		r.Nonce == "" && r.Integrity == "" && r.ParserMetadata == "" && r.WebTransportHashes == nil
}

// fieldOf is the check field each check requires ("" for wasm, sandbox and
// rtc).
func fieldOf(check string) string {
	switch check {
	case CheckRequest:
		return "request"
	case CheckInline:
		return "inline"
	case CheckEval:
		return "eval"
	case CheckNavigationRequest, CheckNavigationResponse:
		return "navigation"
	case CheckBase:
		return "base_url"
	}
	return ""
}

// Validate checks the shape of a case beyond what JSON decoding checks: a
// known check, its own field present and no field of another check, and
// values the spec knows. (A request's own fields are checked by
// RequestInput.Check, URLs and origins when the case is decided.)
func (c Case) Validate() error {
	ck := c.CheckName()
	if !slices.Contains(Checks, ck) {
		return fmt.Errorf("%w: check %q is not one of %s", ErrCase, c.CheckType, strings.Join(Checks, ", "))
	}
	own := fieldOf(ck)
	for _, f := range checkFields {
		if f != own && c.setField(f) {
			return fmt.Errorf("%w: %s belongs to another check than %s", ErrCase, f, ck)
		}
	}
	if own != "" && own != "request" && !c.setField(own) {
		return fmt.Errorf("%w: check %s needs %s", ErrCase, ck, own)
	}
	if g := c.Global; g != nil {
		if _, ok := globalKinds[g.Kind]; !ok {
			return fmt.Errorf("%w: global.kind %q is not window, worker or worklet", ErrCase, g.Kind)
		}
		if g.Status < 0 || g.Status > 999 {
			return fmt.Errorf("%w: global.status %d is not an HTTP status code", ErrCase, g.Status)
		}
	}
	switch ck {
	case CheckInline:
		in := c.Inline
		if !slices.Contains(inlineTypes, in.Type) {
			return fmt.Errorf("%w: inline.type %q is not one of %q", ErrCase, in.Type, inlineTypes)
		}
		if (in.Type == model.InlineScriptAttribute || in.Type == model.InlineStyleAttribute) && (in.Element == nil || in.Element.LocalName == "") {
			return fmt.Errorf("%w: a %s check needs inline.element.local_name (the element whose attribute it is)", ErrCase, in.Type)
		}
	case CheckEval:
		e := c.Eval
		if !slices.Contains(evalTypes, e.Type) {
			return fmt.Errorf("%w: eval.type %q is not one of %q", ErrCase, e.Type, evalTypes)
		}
		if e.Type == model.CompileTimer && (e.Body != nil || e.BodyArg != nil || e.Parameters != nil || e.ParameterArgs != nil) {
			return fmt.Errorf("%w: a TIMER has only eval.code (its string is checked as it is)", ErrCase)
		}
		if e.Type == model.CompileEval && (e.Parameters != nil || e.ParameterArgs != nil) {
			return fmt.Errorf("%w: eval.parameters and eval.parameter_args are for FUNCTION", ErrCase)
		}
		if e.ParameterArgs != nil && len(e.ParameterArgs) != len(e.Parameters) {
			return fmt.Errorf("%w: %d eval.parameter_args for %d eval.parameters", ErrCase, len(e.ParameterArgs), len(e.Parameters))
		}
	case CheckNavigationRequest, CheckNavigationResponse:
		n := c.Navigation
		if !slices.Contains(navigationTypes, n.Type) {
			return fmt.Errorf("%w: navigation.type %q is not one of %q", ErrCase, n.Type, navigationTypes)
		}
		if len(n.URLList) == 0 {
			return fmt.Errorf("%w: navigation.url_list is empty", ErrCase)
		}
		if ck == CheckNavigationRequest && (n.Response != nil || n.Ancestors != nil) {
			return fmt.Errorf("%w: navigation.response and navigation.ancestors are for navigation-response", ErrCase)
		}
		if n.Response != nil {
			for i, p := range n.Response.Policies {
				if p.Source != "" && p.Source != "header" {
					return fmt.Errorf("%w: navigation.response.policies[%d].source %q: a response delivers headers only", ErrCase, i, p.Source)
				}
				if p.Disposition != "" && p.Disposition != "enforce" && p.Disposition != "report" {
					return fmt.Errorf("%w: navigation.response.policies[%d].disposition %q is not \"enforce\" or \"report\"", ErrCase, i, p.Disposition)
				}
			}
		}
	}
	return nil
}

// built is a case turned into the model's inputs, for any check.
type built struct {
	deliveries []model.PolicyDelivery
	self       model.Origin
	env        model.Environment // without its CSP list
	request    model.Request     // request, navigation-request, navigation-response
	element    model.Element
	compile    model.Compilation
	response   model.Response
	target     model.Navigable
	base       model.URL
}

// urlParsers are the parsers a case's URLs and origins go through when it
// is built: the model's (the WHATWG library), or the engine's (its fast path
// for ordinary URLs, the model's parser for the rest, so the same records
// and the same errors).
type urlParsers struct {
	url    func(dst *model.URL, s string) error
	origin func(s string) (model.Origin, error)
	// globalURL is whether the global object's default URL (the
	// self-origin's) is built: the model reports it; the engine reads only
	// the global object's kind, so it skips that parse, which cannot fail.
	globalURL bool
}

var (
	modelParsers  = urlParsers{url: modelParseURLInto, origin: model.ParseOrigin, globalURL: true}
	engineParsers = urlParsers{url: engine.ParseURLInto, origin: engine.ParseOrigin}
)

func modelParseURLInto(dst *model.URL, s string) (err error) {
	*dst, err = model.ParseURL(s)
	return err
}

// build checks a case and turns it into the model's inputs, its URLs parsed
// by the model. Every error is about the case (ErrCase) or one of its URLs
// or origins.
func (c Case) build() (built, error) {
	return c.buildWith(&modelParsers)
}

// buildForEngine is build with the engine's URL parser, for a case the
// engine decides: the same inputs and errors, but the global object's URL
// only when the case gives one.
func (c Case) buildForEngine() (built, error) {
	return c.buildWith(&engineParsers)
}

func (c Case) buildWith(p *urlParsers) (built, error) {
	var b built
	var err error
	if err := c.Validate(); err != nil {
		return b, err
	}
	if b.deliveries, err = c.Deliveries(); err != nil {
		return b, err
	}
	if b.self, err = c.selfOrigin(p.origin); err != nil {
		return b, err
	}
	if b.env, err = c.environment(b.self, p); err != nil {
		return b, err
	}
	switch c.CheckName() {
	case CheckRequest:
		b.request, err = c.Request.Build()
		c.byHand(b.request.URLList)
	case CheckInline:
		in := c.Inline
		if in.Type == model.InlineScript || in.Type == model.InlineStyle {
			b.element.LocalName = in.Type
		}
		if e := in.Element; e != nil {
			if e.LocalName != "" {
				b.element.LocalName = e.LocalName
			}
			for _, a := range e.Attributes {
				b.element.Attributes = append(b.element.Attributes, model.Attribute{Name: a[0], Value: a[1]})
			}
			b.element.NotParserInserted, b.element.DuplicateAttribute = e.NotParserInserted, e.DuplicateAttribute
		}
	case CheckEval:
		b.compile = c.Eval.compilation()
	case CheckNavigationRequest, CheckNavigationResponse:
		n := c.Navigation
		b.request.Mode = "navigate"
		b.request.URLList = make([]model.URL, len(n.URLList))
		for i, s := range n.URLList {
			if err := p.url(&b.request.URLList[i], s); err != nil {
				return b, fmt.Errorf("navigation.url_list[%d]: %w", i, err)
			}
		}
		c.byHand(b.request.URLList)
		b.response.URLList = b.request.URLList
		if n.Response != nil {
			for _, pol := range n.Response.Policies {
				b.response.HeaderList = append(b.response.HeaderList, responseHeader(pol))
			}
		}
		for i, a := range n.Ancestors {
			o, err := p.origin(a)
			if err != nil {
				return b, fmt.Errorf("%w: navigation.ancestors[%d]: %w", ErrCase, i, err)
			}
			b.target.AncestorOrigins = append(b.target.AncestorOrigins, o)
		}
	case CheckBase:
		if err = p.url(&b.base, c.BaseURL); err != nil {
			return b, fmt.Errorf("base_url: %w", err)
		}
		one := []model.URL{b.base}
		c.byHand(one)
		b.base = one[0]
	}
	return b, err
}

// responseHeader is the header that delivers a response policy.
func responseHeader(p PolicyInput) model.Header {
	if p.Disposition == "report" {
		return model.Header{Name: "Content-Security-Policy-Report-Only", Value: p.Value}
	}
	return model.Header{Name: "Content-Security-Policy", Value: p.Value}
}

// environment is the global object of the case, without its CSP list.
func (c Case) environment(self model.Origin, p *urlParsers) (model.Environment, error) {
	var env model.Environment
	g := c.Global
	if g == nil {
		g = &GlobalInput{}
	}
	env.Kind = globalKinds[g.Kind]
	env.StatusCode = g.Status
	switch {
	case g.URL != nil && *g.URL != "":
		u := new(model.URL)
		if err := p.url(u, *g.URL); err != nil {
			return env, fmt.Errorf("global.url: %w", err)
		}
		env.URL = u
	case g.URL == nil && !self.Opaque && p.globalURL:
		if u, err := model.ParseURL(self.String()); err == nil {
			env.URL = &u
		}
	}
	if g.Referrer != "" {
		u := new(model.URL)
		if err := p.url(u, g.Referrer); err != nil {
			return env, fmt.Errorf("global.referrer: %w", err)
		}
		env.Referrer = u
	}
	return env, nil
}

// compilation is the model's Compilation for an eval input, with its
// defaults filled in.
func (e *EvalInput) compilation() model.Compilation {
	c := model.Compilation{Type: e.Type, CodeString: e.Code}
	if e.Type == model.CompileTimer {
		return c
	}
	c.BodyString = e.Code
	if e.Body != nil {
		c.BodyString = *e.Body
	}
	c.ParameterStrings = e.Parameters
	value := func(v *ScriptValueInput, s string) model.ScriptValue {
		out := model.ScriptValue{Data: s}
		if v != nil {
			out.TrustedScript = v.TrustedScript
			if v.Data != nil {
				out.Data = *v.Data
			}
		}
		return out
	}
	c.BodyArg = value(e.BodyArg, c.BodyString)
	for i, p := range e.Parameters {
		var v *ScriptValueInput
		if i < len(e.ParameterArgs) {
			v = &e.ParameterArgs[i]
		}
		c.ParameterArgs = append(c.ParameterArgs, value(v, p))
	}
	return c
}

// modelRun is how runModel departs from the case: in a global object of
// kind when it is not nil, and with the case's deliveries passed through
// deliveries when it is not nil.
type modelRun struct {
	kind       *model.GlobalKind
	deliveries func([]model.PolicyDelivery) []model.PolicyDelivery
}

// runModel decides a case of any check with the model, as run says.
func runModel(c Case, tr *model.Trace, reports bool, run modelRun) Result {
	b, err := c.build()
	if err != nil {
		return Result{ID: c.ID, Error: err.Error()}
	}
	env := b.env
	if run.kind != nil {
		env.Kind = *run.kind
	}
	if run.deliveries != nil {
		b.deliveries = run.deliveries(b.deliveries)
	}
	env.CSPList = model.NewCSPList(b.deliveries, b.self, tr)
	var d model.Decision
	switch c.CheckName() {
	case CheckRequest:
		d, err = model.DecideRequest(env, b.request, tr)
	case CheckInline:
		d, err = model.DecideInline(env, b.element, c.Inline.Type, c.Inline.Source, tr)
	case CheckEval:
		d, err = model.DecideEval(env, b.compile, tr)
	case CheckWasm:
		d, err = model.DecideWasm(env, tr)
	case CheckNavigationRequest:
		d, err = model.DecideNavigationRequest(env, b.request, c.Navigation.Type, tr)
	case CheckNavigationResponse:
		d, err = model.DecideNavigationResponse(env, b.request, c.Navigation.Type, b.response, b.target, tr)
	case CheckBase:
		d, err = model.DecideBase(env, b.base, tr)
	case CheckSandbox:
		d, err = model.DecideSandbox(env, tr)
	case CheckRTC:
		d, err = model.DecideRTC(env, tr)
	}
	if err != nil {
		return Result{ID: c.ID, Error: err.Error()}
	}
	res := FromDecision(c.ID, d)
	for i, v := range d.Violations {
		out := &res.Violations[i]
		if c.CheckName() == CheckNavigationResponse && v.GlobalObject == nil && v.Policy != nil {
			// A violation of the response's own policies (A27): its
			// policy number counts the response's deliveries.
			out.ResponsePolicy = true
			out.Policy = responseDelivery(c.Navigation.Response, v.Policy)
		}
		if reports {
			body, err := model.DeprecatedSerializeViolation(v, nil)
			if err != nil {
				return Result{ID: c.ID, Error: err.Error()}
			}
			out.ReportBody = RawJSON(body)
		}
	}
	if c.CheckName() == CheckSandbox {
		res.SandboxFlags = append([]string{}, d.SandboxFlags.Names()...)
		sort.Strings(res.SandboxFlags)
	}
	return res
}

// responseDelivery returns the index of the response delivery that carried
// policy: the first whose header value holds a policy of the same text and
// disposition.
func responseDelivery(r *ResponseInput, policy *model.Policy) int {
	if r == nil {
		return 0
	}
	for i, p := range r.Policies {
		list := model.ParseResponseCSP(&model.Response{HeaderList: []model.Header{responseHeader(p)}}, nil)
		for _, q := range list.Policies {
			if q.Text == policy.Text && q.Disposition == policy.Disposition {
				return i
			}
		}
	}
	return 0
}
