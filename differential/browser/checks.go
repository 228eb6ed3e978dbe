//go:build linux

package browser

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"html"
	"image"
	_ "image/gif" // the image formats a data: URL may hold
	_ "image/png"
	"maps"
	"net/http"
	"net/url"
	"regexp"
	"slices"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// The checks other than requests (inline, eval, wasm, navigation-request,
// navigation-response, base, sandbox; and requests a request page cannot
// make: from a srcdoc:, blob: or data: document or worker, or to a blob:
// or data: URL) run as units: each case gets a test document of its own (or
// a worker, or a chain of nested frames), made from the case and nothing
// else, inside a top page that holds a few dozen units and reports what it
// saw. doc.js runs inside each test document, checks.js in the top page;
// checks.go says how a case becomes a unit and what the unit's signals say.
//
// Every verdict rests on two signals that do not depend on each other: the
// effect of the behaviour under test, seen by the page or the server (a
// script's effect, a style sheet, an event handler, an EvalError, a
// CompileError, the base URL, a request that reached the server, a framed
// document that rendered) and the violation, seen as a
// securitypolicyviolation event of an enforced policy or, where the spec
// fires no event (frame-ancestors), as a report-uri report the server
// receives. An effect without a violation is Allowed, a violation without
// the effect Blocked; both is Unknown and neither NotSent, as for requests.
// A sandbox has no violation at all (#sandbox-init reports none): its
// signals are two effects each (see sandboxAspects).

// checkUnit is one case as the harness runs it.
type checkUnit struct {
	Check string // the case's check (CheckRequest for a request from a local-scheme document or to a local URL)
	// Mode is how the top page runs it: "doc" (a test document in an
	// iframe), "worker" (a dedicated worker), "chain" (nested frames down
	// to a framed document).
	Mode string
	// TopOrigin is the origin of the top page that holds the unit, and
	// TopPolicies that page's own policies (the case's, when the top page
	// is the navigating document of a frame-ancestors case; a sandbox, when
	// the top page must have an opaque origin).
	TopOrigin   string
	TopPolicies []policyDelivery
	TopOpaque   bool
	// Aspects are the rows the unit's run gives: one ("") but for a
	// sandboxed window, which gives one per effect (sandboxAspects).
	Aspects []string
	// Note says what the harness changed in the case's policies to run it,
	// if anything.
	Note string

	prepare func(p *prep) (jsUnit, error)
	observe func(r unitRun) map[string]observation
}

// jsUnit is a unit as checks.js runs it.
type jsUnit struct {
	Probe     string  `json:"probe"`
	Mode      string  `json:"mode"`
	URL       string  `json:"url"`
	Sandbox   *string `json:"sandbox,omitempty"`
	Nav       bool    `json:"nav,omitempty"`
	Inspect   bool    `json:"inspect,omitempty"`
	Depth     int     `json:"depth,omitempty"`
	Form      bool    `json:"form,omitempty"`
	TimeoutMs int     `json:"timeoutMs"`
	// Wait names the arrival that ends a navigation: hop Hop of the
	// target tagged Probe (checks.js asks the server).
	Wait *waitFor `json:"wait,omitempty"`
	// Navigate, for a chain whose top page is the navigating document,
	// is the navigation it starts into the parent's named frame.
	Navigate *navigateTo `json:"navigate,omitempty"`
}

type navigateTo struct {
	URL    string `json:"url"`
	Form   bool   `json:"form"`
	Target string `json:"target"`
}

type waitFor struct {
	Probe string `json:"probe"`
	Hop   int    `json:"hop"`
}

// unitReport is what checks.js reports of one unit.
type unitReport struct {
	Probe       string          `json:"probe"`
	Messages    []string        `json:"messages"`
	Events      []seenViolation `json:"events"`
	Result      *docResult      `json:"result"`
	Armed       bool            `json:"armed"`
	Submit      *submitResult   `json:"submit"`
	Child       *childResult    `json:"child"`
	Loads       int             `json:"loads"`
	Inspect     *inspection     `json:"inspect"`
	WorkerError string          `json:"workerError"`
	Problem     string          `json:"problem"`
	TimedOut    bool            `json:"timedOut"`
	Ms          float64         `json:"ms"`
}

// docResult is what doc.js found.
type docResult struct {
	Outcome      string   `json:"outcome"`
	Detail       string   `json:"detail"`
	Ran          *bool    `json:"ran"`
	Calls        []string `json:"calls"`
	Errors       []string `json:"errors"`
	Handler      string   `json:"handler"`
	CompileError bool     `json:"compileError"`
	Declarations *int     `json:"declarations"`
	Origin       string   `json:"origin"`
}

type submitResult struct {
	Fired  bool   `json:"fired"`
	Detail string `json:"detail"`
}

type childResult struct {
	Error string `json:"error"`
}

type inspection struct {
	SameOrigin bool `json:"sameOrigin"`
	Frames     int  `json:"frames"`
}

// unitRun is everything known of a unit once its page is over: the top
// page's report (nil when it never came) and what the server saw.
type unitRun struct {
	Report   *unitReport
	Arrivals func(probe string) []arrival
	Reports  []cspReport
}

// prep collects what a unit needs the server to serve, for one probe id.
type prep struct {
	probe     string
	resources map[string]*resource
	targets   []target
}

// resourceURL registers r under a path of the unit's own and returns its
// URL at origin.
func (p *prep) resourceURL(origin, name string, r *resource) string {
	path := pathResource + p.probe + "/" + name
	p.resources[path] = r
	return origin + path
}

// targetURL registers a target whose arrivals the server records (probe
// tag suffix) and returns its first URL, tagged.
func (p *prep) targetURL(suffix, kind string, urls []string, final *resource) (string, error) {
	t := target{Probe: p.probe + suffix, Kind: kind, URLs: urls, Final: final}
	p.targets = append(p.targets, t)
	return tagURL(urls[0], t.Probe, 0)
}

// Settings of units.
const (
	docSettleMs = 120
	unitTimeout = 4000
	// sandboxWorkerTimeout is how long a sandbox check's worker has to
	// start: its silence is read as blocked, so it must not be a slow
	// start. Every engine's workers report within a second on a quiet
	// machine (the record's run, 2026-12-02), but Firefox's took more than
	// unitTimeout under a load average over 20 (the runs behind the
	// record of 2026-12-01 and the loaded test of 2026-12-02); a worker
	// that reports ends its wait at once, so only a silent one pays.
	sandboxWorkerTimeout = 20000
	navWaitMs            = 500
	pageSettleMs         = 120
)

// recorders are the global functions the code of the corpus's, the focus
// questions' and the generators' cases call; doc.js replaces each with one
// that records the call, which is how a script, an event handler, a timer
// or a javascript: URL shows that it ran.
var recorders = []string{"alert", "doSubmit", "loadApp", "good", "evil", "initApp", "transferAllMyMoney", "tick", "go"}

var callsRecorder = regexp.MustCompile(`(^|[^A-Za-z0-9_$.])(` + strings.Join(recorders, "|") + `)\s*\(`)

// throwing are texts of the pools that throw when run (so that doc.js sees
// an uncaught error): a ReferenceError and a SyntaxError.
var throwing = map[string]bool{"color: red": true, "caf\u00e9 \u2603": true}

// showsItRan reports whether running code has an effect doc.js sees: a
// call of a recorder, a write of className, or an uncaught error.
func showsItRan(code string) bool {
	return callsRecorder.MatchString(code) || strings.Contains(code, ".className") || throwing[code]
}

// styleDeclares reports whether a style attribute's text declares
// something, so that the element's style shows whether it applied: one or
// more "property: value" declarations.
var styleDeclaration = regexp.MustCompile(`^\s*[a-zA-Z-]+\s*:\s*[^;:{}<>"]+\s*(;\s*[a-zA-Z-]+\s*:\s*[^;:{}<>"]+\s*)*;?\s*$`)

// handlerAttributes are the event handler content attributes the harness
// reads through their IDL attribute.
var handlerAttributes = map[string]bool{"onclick": true, "onload": true, "onerror": true, "onfocus": true, "onblur": true,
	"onmouseover": true, "oninput": true, "onchange": true, "onsubmit": true, "onkeydown": true}

// voidElements have no end tag.
var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true, "img": true,
	"input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

var tagName = regexp.MustCompile(`^[a-zA-Z][a-zA-Z0-9]*$`)

// attributeMarkup writes an element's attributes as the HTML parser would
// read them back in the same order, or says why it cannot: the tokenizer
// ends a name at whitespace, "/", "=" or ">", turns CR into LF, drops a
// second attribute of the same name (which then is the parse error
// duplicate says), and a NUL is not kept.
func attributeMarkup(attrs []corpus.Attribute, duplicate bool) (string, error) {
	var b strings.Builder
	seen := map[string]bool{}
	for _, a := range attrs {
		name := strings.ToLower(a[0])
		if name == "" || strings.ContainsAny(name, " \t\n\f\r/=>\x00\"'") {
			return "", fmt.Errorf("attribute name %q cannot be written in markup the parser reads back (nor set by script)", a[0])
		}
		if strings.ContainsAny(a[1], "\r\x00") {
			return "", fmt.Errorf("attribute %s's value holds a CR or a NUL, which the parser does not keep", a[0])
		}
		if seen[name] {
			return "", fmt.Errorf("attribute %s is listed twice: the parser keeps only the first", a[0])
		}
		seen[name] = true
		fmt.Fprintf(&b, " %s=\"%s\"", name, html.EscapeString(a[1]))
	}
	if duplicate {
		if len(attrs) == 0 {
			return "", fmt.Errorf("a duplicate-attribute parse error needs an attribute to repeat")
		}
		// The parser drops the repeat and records the parse error.
		fmt.Fprintf(&b, " %s=\"%s\"", strings.ToLower(attrs[0][0]), html.EscapeString(attrs[0][1]))
	}
	return b.String(), nil
}

// toCheckUnit says how the harness runs c (a check other than a request),
// or why it cannot.
func toCheckUnit(c corpus.Case) (*checkUnit, error) {
	if err := c.Validate(); err != nil {
		return nil, err
	}
	if r := corpus.RunModel(c, nil); r.Error != "" {
		return nil, fmt.Errorf("the model gives no verdict: %s", r.Error)
	}
	kind := "window"
	if c.Global != nil && c.Global.Kind != "" {
		kind = c.Global.Kind
	}
	if kind == "worklet" {
		return nil, fmt.Errorf("the harness runs no worklets (their global scopes have no way to report back that every engine offers)")
	}
	for _, p := range c.Policies {
		if p.Source != "meta" && strings.ContainsAny(p.Value, "\r\n\x00") {
			return nil, fmt.Errorf("policy %q cannot be sent as a header", p.Value)
		}
		if p.Source == "meta" && kind == "worker" {
			return nil, fmt.Errorf("a worker has no <meta> element to deliver a policy")
		}
	}
	switch c.CheckName() {
	case corpus.CheckInline:
		return inlineUnit(c)
	case corpus.CheckEval, corpus.CheckWasm:
		return compileUnit(c, kind)
	case corpus.CheckBase:
		return baseUnit(c)
	case corpus.CheckNavigationRequest:
		return navigationUnit(c)
	case corpus.CheckNavigationResponse:
		return framingUnit(c)
	case corpus.CheckSandbox:
		return sandboxUnit(c, kind)
	case corpus.CheckRTC:
		return nil, errRTC
	}
	return nil, fmt.Errorf("check %q has no unit", c.CheckName())
}

var errRTC = fmt.Errorf("webrtc: no engine here makes a WebRTC connection the harness can observe headless (see doc.go), so rtc cases are not run")

// docOrigin returns the origin a test document of c is served at, and the
// sandbox attribute of its iframe. A case of an opaque self-origin whose
// check matches no URL against the policies (inline, eval, wasm) runs in
// the document of a sandboxed iframe (scripts and forms allowed, so that
// the harness runs), served from https://example.com: its self-origin
// decides nothing there. A check that matches URLs (matchesURLs: a
// request, a base URL, a navigation) cannot run such a case. The
// self-origin, the origin 'self' stands for, is the origin of the URL the
// document was served from, sandboxed or not (#parse-response-csp step 4),
// so no document the harness serves has an opaque one; a sandbox directive
// among the case's policies sandboxes its document instead.
func docOrigin(c corpus.Case, matchesURLs bool) (string, *string, error) {
	o, err := model.ParseOrigin(c.SelfOrigin)
	switch {
	case err != nil:
		return "", nil, fmt.Errorf("self-origin: %v", err)
	case o.Opaque && matchesURLs:
		return "", nil, errOpaqueSelf
	case o.Opaque:
		sb := "allow-scripts allow-forms"
		return "https://example.com", &sb, nil
	case o.Scheme != "http" && o.Scheme != "https":
		return "", nil, fmt.Errorf("self-origin scheme %q: documents are served over http and https only", o.Scheme)
	}
	return o.String(), nil, nil
}

// errOpaqueSelf refuses a case that matches URLs under an opaque
// self-origin (docOrigin).
var errOpaqueSelf = errors.New("no document the harness serves has an opaque self-origin: a document's self-origin is the origin of " +
	"its URL, sandboxed or not (#parse-response-csp step 4); a sandbox directive among the policies sandboxes the document")

// documentSandbox returns the sandboxing flags the enforced sandbox
// directives of c's policies give its document, each adding its own (as
// the engines do, sandbox-flags-accumulate), and refuses a sandbox that
// keeps the harness's script from running or, with forms, the test
// document's form from being submitted.
func documentSandbox(c corpus.Case, forms bool) (model.SandboxingFlagSet, error) {
	deliveries, err := c.Deliveries()
	if err != nil {
		return 0, err
	}
	self, err := model.ParseOrigin(c.SelfOrigin)
	if err != nil {
		return 0, fmt.Errorf("self-origin: %v", err)
	}
	var flags model.SandboxingFlagSet
	for _, p := range model.NewCSPList(deliveries, self, nil).Policies {
		if d, ok := p.Directive("sandbox"); ok && p.Disposition == model.Enforce {
			flags |= model.ParseSandboxingDirective(strings.Join(d.Value, " "), nil)
		}
	}
	switch {
	case flags.Has(model.SandboxedScripts):
		return flags, fmt.Errorf("a sandbox without allow-scripts: %s", stopsTheHarness["sandbox"])
	case forms && flags.Has(model.SandboxedForms):
		return flags, fmt.Errorf("a sandbox without allow-forms keeps the form from being submitted before any CSP check")
	}
	return flags, nil
}

// casePolicies returns the case's deliveries, and checks that the harness
// can add its script's nonce to them.
func casePolicies(c corpus.Case) ([]policyDelivery, error) {
	var out []policyDelivery
	for _, p := range c.Policies {
		d := policyDelivery{Value: p.Value, ReportOnly: p.Disposition == "report", Meta: p.Source == "meta"}
		if !d.Meta {
			if _, err := withHarnessNonce(d.Value, "0"); err != nil {
				return nil, err
			}
		}
		out = append(out, d)
	}
	return out, nil
}

// enforcedDirectives returns the names of the directives of the case's
// enforced policies, as the model reads them.
func enforcedDirectives(c corpus.Case) map[string]bool {
	out := map[string]bool{}
	deliveries, err := c.Deliveries()
	if err != nil {
		return out
	}
	self, err := model.ParseOrigin(c.SelfOrigin)
	if err != nil {
		return out
	}
	for _, p := range model.NewCSPList(deliveries, self, nil).Policies {
		if p.Disposition != model.Enforce {
			continue
		}
		for _, d := range p.DirectiveSet {
			out[d.Name] = true
		}
	}
	return out
}

// refuseDirectives fails when an enforced policy of c holds one of the
// directives named, each with the reason the harness cannot run it.
func refuseDirectives(c corpus.Case, why map[string]string) error {
	ds := enforcedDirectives(c)
	for _, name := range slices.Sorted(mapKeys(why)) {
		if ds[name] {
			return fmt.Errorf("an enforced %s: %s", name, why[name])
		}
	}
	return nil
}

func mapKeys[V any](m map[string]V) func(func(string) bool) {
	return func(yield func(string) bool) {
		for k := range m {
			if !yield(k) {
				return
			}
		}
	}
}

// harnessStoppersBesidesSandbox is stopsTheHarness without the sandbox,
// for a unit that lets a sandbox through when it keeps scripts running
// (documentSandbox).
var harnessStoppersBesidesSandbox = func() map[string]string {
	m := maps.Clone(stopsTheHarness)
	delete(m, "sandbox")
	return m
}()

var stopsTheHarness = map[string]string{
	"sandbox":                 "a sandbox would keep the harness's script from running or reporting",
	"trusted-types":           "trusted-types could refuse the harness's Trusted Types policy",
	"block-all-mixed-content": "block-all-mixed-content adds a non-CSP block",
}

// docResource writes a test document: doc.js with cfg before any <meta>
// policy, then the <meta> policies, head, and body. Each header policy
// reports to the server too (report-uri, under probe), for an engine that
// fires no event for a violation but reports it.
func docResource(policies []policyDelivery, nonce string, cfg map[string]any, head, body string, probe string) (*resource, error) {
	h := http.Header{}
	metas, err := deliverPolicies(h, policies, nonce, probe)
	if err != nil {
		return nil, err
	}
	js, err := docScript(cfg)
	if err != nil {
		return nil, err
	}
	h.Set("Content-Type", "text/html; charset=utf-8")
	page := fmt.Sprintf("<!doctype html>\n<html><head><meta charset=\"utf-8\">\n<script nonce=\"%s\">%s</script>\n%s%s<title>test</title></head>\n<body>%s</body></html>\n",
		nonce, js, metas, head, body)
	return &resource{Header: h, Body: []byte(page)}, nil
}

// deliverPolicies delivers policies to a document or worker the harness
// serves: each header policy as a Content-Security-Policy (or -Report-Only)
// header added to h, with a nonce-source for the harness's own script when
// nonce is not empty and, when probe is not empty, a report-uri to the
// server under probe (for an engine that fires no event for a violation
// but reports it); each <meta> policy as an element, returned in order for
// the document's head, unchanged.
func deliverPolicies(h http.Header, policies []policyDelivery, nonce, probe string) (string, error) {
	var metas strings.Builder
	for _, d := range policies {
		name := "Content-Security-Policy"
		if d.ReportOnly {
			name += "-Report-Only"
		}
		if d.Meta {
			fmt.Fprintf(&metas, "<meta http-equiv=\"%s\" content=\"%s\">\n", name, html.EscapeString(d.Value))
			continue
		}
		v := d.Value
		if nonce != "" {
			var err error
			if v, err = withHarnessNonce(v, nonce); err != nil {
				return "", err
			}
		}
		if probe != "" {
			disp := "enforce"
			if d.ReportOnly {
				disp = "report"
			}
			v = withReportURI(v, pathReport+probe+"/"+disp)
		}
		h.Add(name, v)
	}
	return metas.String(), nil
}

// docScript is doc.js with its configuration in front.
func docScript(cfg map[string]any) (string, error) {
	if _, ok := cfg["settleMs"]; !ok {
		cfg["settleMs"] = docSettleMs
	}
	cfg["recorders"] = recorders
	j, err := json.Marshal(cfg) // escapes <, > and &, so it cannot end the script
	if err != nil {
		return "", err
	}
	return "const CFG = " + string(j) + ";\n" + docJS, nil
}

// workerResource is a worker script with policies as its response headers.
func workerResource(policies []policyDelivery, cfg map[string]any) (*resource, error) {
	h := http.Header{}
	if metas, err := deliverPolicies(h, policies, "", ""); err != nil {
		return nil, err
	} else if metas != "" {
		return nil, fmt.Errorf("a worker has no <meta> element to deliver a policy")
	}
	js, err := docScript(cfg)
	if err != nil {
		return nil, err
	}
	h.Set("Content-Type", "text/javascript; charset=utf-8")
	return &resource{Header: h, Body: []byte(js)}, nil
}

// twoSignals combines the effect of the behaviour under test and the
// violations of enforced policies that report it.
func twoSignals(effect bool, violations int, effectSays, noEffectSays string) observation {
	switch {
	case effect && violations == 0:
		return observation{Verdict: Allowed}
	case !effect && violations > 0:
		return observation{Verdict: Blocked}
	case effect:
		return observation{Verdict: Unknown, Reason: "conflict: " + effectSays + ", and an enforced policy reported a violation"}
	default:
		return observation{Verdict: NotSent, Reason: "no violation, and " + noEffectSays}
	}
}

// enforced counts the events of enforced policies whose effective
// directive is one of directives.
func enforced(events []seenViolation, directives ...string) int {
	n := 0
	for _, e := range events {
		if e.Disposition != "report" && slices.Contains(directives, e.EffectiveDirective) {
			n++
		}
	}
	return n
}

// violations counts the violations of enforced policies with one of the
// effective directives: the events the document saw, or, when it saw none,
// the report-uri reports the server received (an engine may report a
// violation without firing its event). It returns them all, reports
// after events.
func violations(r unitRun, directives ...string) (int, []seenViolation) {
	all := append([]seenViolation(nil), r.Report.Events...)
	n := enforced(all, directives...)
	var reports []seenViolation
	for _, rep := range r.Reports {
		reports = append(reports, rep.violation())
	}
	if n == 0 {
		n = enforced(reports, directives...)
	}
	return n, append(all, reports...)
}

// missing is the observation of a unit the top page did not report on.
func missing(r unitRun) (observation, bool) {
	switch {
	case r.Report == nil:
		return observation{Verdict: Unknown, Reason: "the page did not report this unit"}, true
	case r.Report.Problem != "":
		return observation{Verdict: Unknown, Reason: "the harness failed: " + r.Report.Problem}, true
	}
	return observation{}, false
}

// withDetails fills in what the page saw.
func withDetails(o observation, r unitRun, events []seenViolation) observation {
	o.Violations = events
	if r.Report != nil {
		o.Ms = r.Report.Ms
		if res := r.Report.Result; res != nil {
			o.Outcome, o.Detail = res.Outcome, res.Detail
		}
	}
	return o
}

func single(o observation) map[string]observation { return map[string]observation{"": o} }

// inlineUnit: an inline <script> or <style>, an event handler or a style
// attribute, in a test document of its own.
func inlineUnit(c corpus.Case) (*checkUnit, error) {
	in := c.Inline
	if err := refuseDirectives(c, stopsTheHarness); err != nil {
		return nil, err
	}
	el := corpus.ElementInput{}
	if in.Element != nil {
		el = *in.Element
	}
	local := el.LocalName
	if local == "" {
		local = in.Type // script or style
	}
	local = strings.ToLower(local)
	if !tagName.MatchString(local) {
		return nil, fmt.Errorf("element name %q is not one markup can write", local)
	}
	var handler string
	switch in.Type {
	case model.InlineScript:
		if local != "script" {
			return nil, fmt.Errorf("an inline script on a <%s> element", local)
		}
		for _, a := range el.Attributes {
			switch strings.ToLower(a[0]) {
			case "src":
				return nil, fmt.Errorf("a script with a src attribute is not inline: the engine fetches it, and checks the request, not its text")
			case "type":
				return nil, fmt.Errorf("a script with a type attribute: the harness runs classic scripts only")
			}
		}
		if strings.Contains(strings.ToLower(in.Source), "</script") || strings.Contains(in.Source, "<!--") {
			return nil, fmt.Errorf("the script's text would end the element (or open a comment) in markup")
		}
		if !showsItRan(in.Source) {
			return nil, fmt.Errorf("the script's text %q has no effect the harness can see (no call of a known function, no className, no error), so whether it ran cannot be told", in.Source)
		}
		if el.NotParserInserted && enforcedDirectives(c)["require-trusted-types-for"] {
			return nil, fmt.Errorf("inserting a script by script is a Trusted Types sink, which require-trusted-types-for guards")
		}
	case model.InlineStyle:
		if local != "style" {
			return nil, fmt.Errorf("an inline style on a <%s> element", local)
		}
		if strings.Contains(strings.ToLower(in.Source), "</style") {
			return nil, fmt.Errorf("the style's text would end the element in markup")
		}
	case model.InlineScriptAttribute:
		for _, a := range el.Attributes {
			if n := strings.ToLower(a[0]); strings.HasPrefix(n, "on") && a[1] == in.Source {
				handler = n
				break
			}
		}
		if handler == "" {
			return nil, fmt.Errorf("no event handler attribute of the element holds the checked text")
		}
		if !handlerAttributes[handler] {
			return nil, fmt.Errorf("event handler %s: the harness reads only common handlers through their IDL attribute", handler)
		}
	case model.InlineStyleAttribute:
		found := false
		for _, a := range el.Attributes {
			if strings.ToLower(a[0]) == "style" && a[1] == in.Source {
				found = true
			}
		}
		if !found {
			return nil, fmt.Errorf("no style attribute of the element holds the checked text")
		}
		if !styleDeclaration.MatchString(in.Source) {
			return nil, fmt.Errorf("the style attribute %q declares nothing, so the element's style cannot show whether it applied", in.Source)
		}
	}
	if strings.ContainsAny(in.Source, "\r\x00") {
		return nil, fmt.Errorf("the text holds a CR or a NUL, which the parser does not keep")
	}
	scripted := el.NotParserInserted && (in.Type == model.InlineScript || in.Type == model.InlineStyle)
	if scripted && el.DuplicateAttribute {
		return nil, fmt.Errorf("an element made by script has no duplicate-attribute parse error")
	}
	attrs, err := attributeMarkup(el.Attributes, el.DuplicateAttribute)
	if err != nil {
		return nil, err
	}
	origin, sandbox, err := docOrigin(c, false)
	if err != nil {
		return nil, err
	}
	policies, err := casePolicies(c)
	if err != nil {
		return nil, err
	}
	var markup string
	if !scripted {
		markup = "<" + local + attrs + ">"
		if !voidElements[local] {
			text := in.Source
			if in.Type != model.InlineScript && in.Type != model.InlineStyle {
				text = ""
			}
			// Raw text (script, style) is written as it is; the text of the
			// other elements is empty.
			markup += text + "</" + local + ">"
		}
	}
	u := &checkUnit{Check: c.CheckName(), Mode: "doc", TopOrigin: origin, Aspects: []string{""}}
	u.prepare = func(p *prep) (jsUnit, error) {
		attrs := el.Attributes
		if attrs == nil {
			attrs = []corpus.Attribute{}
		}
		cfg := map[string]any{"probe": p.probe, "check": "inline", "type": in.Type, "localName": local,
			"attrs": attrs, "text": in.Source, "scripted": scripted, "handler": handler}
		r, err := docResource(policies, newNonce(), cfg, "", "<div id=\"__csp_w\">"+markup+"</div>", p.probe)
		if err != nil {
			return jsUnit{}, err
		}
		return jsUnit{Probe: p.probe, Mode: "doc", URL: p.resourceURL(origin, "doc", r), Sandbox: sandbox, TimeoutMs: unitTimeout}, nil
	}
	directives := map[string][]string{
		model.InlineScript:          {"script-src-elem", "script-src"},
		model.InlineScriptAttribute: {"script-src-attr", "script-src"},
		model.InlineStyle:           {"style-src-elem", "style-src"},
		model.InlineStyleAttribute:  {"style-src-attr", "style-src"},
	}[in.Type]
	u.observe = func(r unitRun) map[string]observation {
		if o, ok := missing(r); ok {
			return single(o)
		}
		res := r.Report.Result
		if res == nil {
			return single(withDetails(observation{Verdict: Unknown, Reason: "the test document never reported"}, r, r.Report.Events))
		}
		ran := res.Ran != nil && *res.Ran
		what := map[string][2]string{
			model.InlineScript:          {"the script ran", "the script did not run"},
			model.InlineStyle:           {"the style sheet exists", "the style element has no style sheet"},
			model.InlineStyleAttribute:  {"the style attribute applied", "the style attribute did not apply"},
			model.InlineScriptAttribute: {"the event handler compiled", "the event handler is null"},
		}[in.Type]
		n, all := violations(r, directives...)
		o := twoSignals(ran, n, what[0], what[1])
		return single(withDetails(o, r, all))
	}
	return u, nil
}

// compileUnit: eval(), the Function constructor, a string timer, or
// compiling WebAssembly, in a test document or a dedicated worker.
func compileUnit(c corpus.Case, kind string) (*checkUnit, error) {
	if err := refuseDirectives(c, map[string]string{
		"sandbox":       stopsTheHarness["sandbox"],
		"trusted-types": stopsTheHarness["trusted-types"],
	}); err != nil {
		return nil, err
	}
	cfg := map[string]any{"check": c.CheckName()}
	trusted := false
	if e := c.Eval; e != nil {
		body := e.Code
		if e.Body != nil {
			body = *e.Body
		}
		if e.Type == model.CompileEval && body != e.Code {
			return nil, fmt.Errorf("eval's code string is its argument: a body other than the code cannot be given")
		}
		if e.Type == model.CompileFunction {
			if want := "function anonymous(" + strings.Join(e.Parameters, ",") + "\n) {\n" + body + "\n}"; e.Code != want {
				return nil, fmt.Errorf("the Function constructor assembles its own source text from the parameters and body, %q, not %q", want, e.Code)
			}
		}
		if e.Type == model.CompileTimer && !showsItRan(e.Code) {
			return nil, fmt.Errorf("a timer's code %q has no effect the harness can see, so whether it ran cannot be told", e.Code)
		}
		bodyTrusted := false
		if e.BodyArg != nil {
			if e.BodyArg.Data != nil && *e.BodyArg.Data != body {
				return nil, fmt.Errorf("a value whose data differs from the body it stands for cannot be passed")
			}
			bodyTrusted = e.BodyArg.TrustedScript
		}
		paramTrusted := make([]bool, len(e.Parameters))
		for i, a := range e.ParameterArgs {
			if a.Data != nil && *a.Data != e.Parameters[i] {
				return nil, fmt.Errorf("a value whose data differs from the parameter it stands for cannot be passed")
			}
			paramTrusted[i] = a.TrustedScript
		}
		trusted = bodyTrusted || slices.Contains(paramTrusted, true)
		params := e.Parameters
		if params == nil {
			params = []string{}
		}
		for k, v := range map[string]any{"type": e.Type, "code": e.Code, "body": body, "params": params,
			"bodyTrusted": bodyTrusted, "paramTrusted": paramTrusted, "trusted": trusted} {
			cfg[k] = v
		}
	}
	policies, err := casePolicies(c)
	if err != nil {
		return nil, err
	}
	var u *checkUnit
	if kind == "worker" {
		o, err := model.ParseOrigin(c.SelfOrigin)
		if err != nil || o.Opaque || (o.Scheme != "http" && o.Scheme != "https") {
			return nil, fmt.Errorf("a worker's self-origin must be an http(s) origin the harness can serve it at")
		}
		u = &checkUnit{Check: c.CheckName(), Mode: "worker", TopOrigin: o.String(), Aspects: []string{""}}
		u.prepare = func(p *prep) (jsUnit, error) {
			cfg["probe"] = p.probe
			r, err := workerResource(policies, cfg)
			if err != nil {
				return jsUnit{}, err
			}
			return jsUnit{Probe: p.probe, Mode: "worker", URL: p.resourceURL(o.String(), "worker.js", r), TimeoutMs: unitTimeout}, nil
		}
	} else {
		origin, sandbox, err := docOrigin(c, false)
		if err != nil {
			return nil, err
		}
		u = &checkUnit{Check: c.CheckName(), Mode: "doc", TopOrigin: origin, Aspects: []string{""}}
		u.prepare = func(p *prep) (jsUnit, error) {
			cfg["probe"] = p.probe
			r, err := docResource(policies, newNonce(), cfg, "", "", p.probe)
			if err != nil {
				return jsUnit{}, err
			}
			return jsUnit{Probe: p.probe, Mode: "doc", URL: p.resourceURL(origin, "doc", r), Sandbox: sandbox, TimeoutMs: unitTimeout}, nil
		}
	}
	wasm := c.CheckName() == corpus.CheckWasm
	timer := c.Eval != nil && c.Eval.Type == model.CompileTimer
	u.observe = func(r unitRun) map[string]observation {
		if o, ok := missing(r); ok {
			return single(o)
		}
		res := r.Report.Result
		if res == nil {
			why := "the test document never reported"
			if r.Report.WorkerError != "" {
				why = "the worker failed: " + r.Report.WorkerError
			}
			return single(withDetails(observation{Verdict: Unknown, Reason: why}, r, r.Report.Events))
		}
		if res.Outcome == "unsupported" {
			return single(withDetails(observation{Verdict: NotSent, Reason: "the engine cannot express the case: " + res.Detail}, r, r.Report.Events))
		}
		var o observation
		n, all := violations(r, "script-src", "require-trusted-types-for")
		switch {
		case wasm:
			o = twoSignals(res.Outcome == "ok", n, "the module compiled", "compiling did not succeed ("+res.Outcome+")")
			if res.Outcome != "ok" && res.Outcome != "compileerror" {
				o = observation{Verdict: Unknown, Reason: "compiling failed otherwise: " + res.Detail}
			}
		case timer:
			ran := res.Ran != nil && *res.Ran
			o = twoSignals(ran, n, "the timer's code ran", "the timer's code did not run ("+res.Outcome+" "+res.Detail+")")
		default:
			// Any outcome but an EvalError means the code was compiled:
			// a SyntaxError, or an error the code threw, comes after.
			o = twoSignals(res.Outcome != "evalerror", n, "the code compiled ("+res.Outcome+")", "an EvalError was thrown")
			if o.Verdict == NotSent {
				// WebKitGTK 2.50 throws an EvalError for eval() and the
				// Function constructor under a script-src without
				// 'unsafe-eval', and reports nothing: no event at the
				// document, the window or a worker's global, no
				// report-uri report, for direct and indirect eval alike
				// (a run that listened at all three saw none; its string
				// timers do report). The error's message names the
				// directive, but it is the same throw as the effect, not a
				// second signal, so such a case gives no verdict.
				o.Reason = "no violation (no event, no report-uri report), and an EvalError was thrown: one signal, not a verdict"
			}
		}
		return single(withDetails(o, r, all))
	}
	return u, nil
}

// baseUnit: a <base href> in a test document.
func baseUnit(c corpus.Case) (*checkUnit, error) {
	if err := refuseDirectives(c, harnessStoppersBesidesSandbox); err != nil {
		return nil, err
	}
	if _, err := documentSandbox(c, false); err != nil {
		return nil, err
	}
	b, err := model.ParseURL(c.BaseURL)
	if err != nil {
		return nil, err
	}
	if b.Scheme == "data" || b.Scheme == "javascript" {
		return nil, fmt.Errorf("HTML ignores a %s: base URL before any CSP check", b.Scheme)
	}
	origin, sandbox, err := docOrigin(c, true)
	if err != nil {
		return nil, err
	}
	policies, err := casePolicies(c)
	if err != nil {
		return nil, err
	}
	u := &checkUnit{Check: c.CheckName(), Mode: "doc", TopOrigin: origin, Aspects: []string{""}}
	u.prepare = func(p *prep) (jsUnit, error) {
		cfg := map[string]any{"probe": p.probe, "check": "base", "href": c.BaseURL}
		r, err := docResource(policies, newNonce(), cfg, "<base href=\""+html.EscapeString(c.BaseURL)+"\">\n", "", p.probe)
		if err != nil {
			return jsUnit{}, err
		}
		return jsUnit{Probe: p.probe, Mode: "doc", URL: p.resourceURL(origin, "doc", r), Sandbox: sandbox, TimeoutMs: unitTimeout}, nil
	}
	u.observe = func(r unitRun) map[string]observation {
		if o, ok := missing(r); ok {
			return single(o)
		}
		res := r.Report.Result
		if res == nil {
			return single(withDetails(observation{Verdict: Unknown, Reason: "the test document never reported"}, r, r.Report.Events))
		}
		n, all := violations(r, "base-uri")
		var o observation
		switch res.Outcome {
		case "base", "fallback":
			o = twoSignals(res.Outcome == "base", n, "the base URL is the <base>'s", "the base URL is the document's own")
		default:
			o = observation{Verdict: Unknown, Reason: "the base URL is neither the <base>'s nor the document's: " + res.Detail}
		}
		return single(withDetails(o, r, all))
	}
	return u, nil
}

// navigationUnit: a form submission or another navigation (a link) of the
// test document itself, to an http(s) URL the server redirects along the
// case's URL list, or to a javascript: URL.
func navigationUnit(c corpus.Case) (*checkUnit, error) {
	if _, err := documentSandbox(c, c.Navigation != nil && c.Navigation.Type == model.NavigationFormSubmission); err != nil {
		return nil, err
	}
	if err := refuseDirectives(c, map[string]string{
		"trusted-types":             stopsTheHarness["trusted-types"],
		"require-trusted-types-for": "Trusted Types' own check of javascript: URLs, which the model leaves out (docs/spec-mapping.md), could refuse the navigation",
		"upgrade-insecure-requests": "upgrade-insecure-requests rewrites a form's URL before CSP sees it, which the model leaves out",
		"block-all-mixed-content":   stopsTheHarness["block-all-mixed-content"],
	}); err != nil {
		return nil, err
	}
	n := c.Navigation
	origin, sandbox, err := docOrigin(c, true)
	if err != nil {
		return nil, err
	}
	policies, err := casePolicies(c)
	if err != nil {
		return nil, err
	}
	first, err := model.ParseURL(n.URLList[0])
	if err != nil {
		return nil, err
	}
	isJS := first.Scheme == "javascript"
	var code string
	if isJS {
		code, _ = url.PathUnescape(strings.TrimPrefix(n.URLList[0], first.Scheme+":"))
		if !showsItRan(code) {
			return nil, fmt.Errorf("the javascript: URL's code %q has no effect the harness can see, so whether it ran cannot be told", code)
		}
	} else {
		for _, s := range n.URLList {
			u, err := model.ParseURL(s)
			if err != nil {
				return nil, err
			}
			if strings.HasPrefix(origin, "https:") && u.Scheme == "http" {
				return nil, fmt.Errorf("an http: navigation from an https document is mixed content, blocked before or instead of CSP")
			}
			if u.Host.IsNull() || u.Host.Serialized == "" {
				return nil, fmt.Errorf("url %q has no host", s)
			}
		}
	}
	u := &checkUnit{Check: c.CheckName(), Mode: "doc", TopOrigin: origin, Aspects: []string{""}}
	u.prepare = func(p *prep) (jsUnit, error) {
		href := n.URLList[0]
		if !isJS {
			var err error
			if href, err = p.targetURL("", "navigation", n.URLList, nil); err != nil {
				return jsUnit{}, err
			}
		}
		var markup string
		if n.Type == model.NavigationFormSubmission {
			markup = "<form id=\"__csp_nav\" method=\"POST\" action=\"" + html.EscapeString(href) + "\"><input type=\"hidden\" name=\"x\" value=\"1\"></form>"
		} else {
			markup = "<a id=\"__csp_nav\" href=\"" + html.EscapeString(href) + "\">go</a>"
		}
		cfg := map[string]any{"probe": p.probe, "check": "navigation", "waitMs": navWaitMs}
		r, err := docResource(policies, newNonce(), cfg, "", markup, p.probe)
		if err != nil {
			return jsUnit{}, err
		}
		js := jsUnit{Probe: p.probe, Mode: "doc", URL: p.resourceURL(origin, "doc", r), Sandbox: sandbox, Nav: true, TimeoutMs: unitTimeout}
		if !isJS {
			js.Wait = &waitFor{Probe: p.probe, Hop: len(n.URLList) - 1}
		}
		return js, nil
	}
	last := len(n.URLList) - 1
	u.observe = func(r unitRun) map[string]observation {
		if o, ok := missing(r); ok {
			return single(o)
		}
		var o observation
		if isJS {
			res := r.Report.Result
			if res == nil {
				return single(withDetails(observation{Verdict: Unknown, Reason: "the test document never reported"}, r, r.Report.Events))
			}
			ran := res.Ran != nil && *res.Ran
			n, all := violations(r, "script-src-elem", "script-src", "script-src-attr", "form-action")
			o = twoSignals(ran, n, "the javascript: URL's code ran", "the javascript: URL's code did not run")
			o = withDetails(o, r, all)
		} else {
			arrived := false
			reached := 0
			for _, a := range r.Arrivals(r.Report.Probe) {
				reached = max(reached, a.Hop+1)
				arrived = arrived || a.Hop == last
			}
			n, all := violations(r, "form-action")
			o = withDetails(twoSignals(arrived, n, "the navigation reached the server", "the navigation never reached the server"), r, all)
			o.Reached = reached
		}
		return single(o)
	}
	return u, nil
}

// servedAt returns an ancestor's origin as a URL to serve its document
// at: its own, or, for an opaque one, https://example.com (http when
// insecure), where a sandbox makes it opaque.
func servedAt(ancestor string, insecure bool) (string, bool, error) {
	if ancestor == "null" {
		if insecure {
			return "http://example.com", true, nil
		}
		return "https://example.com", true, nil
	}
	o, err := model.ParseOrigin(ancestor)
	if err != nil {
		return "", false, err
	}
	if o.Opaque {
		return servedAt("null", insecure)
	}
	if o.Scheme != "http" && o.Scheme != "https" {
		return "", false, fmt.Errorf("ancestor %s: documents are served over http and https only", ancestor)
	}
	return o.String(), false, nil
}

// framingUnit: a response with frame-ancestors, framed by a chain of
// ancestors. The top page is the last ancestor; each ancestor's document
// frames the next, the first ancestor's (the parent's) frames the
// response. The navigating document, which carries the case's policies,
// is the ancestor of the case's self-origin: the parent frames the
// response by its src (or a form it submits into its frame), and an
// ancestor further up navigates the parent's frame by name (HTML lets a
// document navigate a frame of which it is an ancestor). The server
// redirects along the response's URL list and answers, at its end, with
// the response's policies and a document that holds one more (empty)
// frame. The top page sees whether that framed document rendered by
// counting its frames (a window's frame count crosses origins), and the
// server receives a report-uri report from each policy the response
// violates: frame-ancestors violations fire no event anywhere (the spec
// gives them no global object).
func framingUnit(c corpus.Case) (*checkUnit, error) {
	n := c.Navigation
	anc := n.Ancestors
	if len(anc) == 0 {
		return nil, fmt.Errorf("no ancestors: frame-ancestors never applies to a top-level document (the model allows every such case), and the harness frames every response")
	}
	// The navigating document. One without policies plays no part in the
	// check (its origin only resolves its own policies' 'self'), and the
	// parent stands in for it.
	nav := 0
	if len(c.Policies) > 0 {
		nav = -1
		so, err := model.ParseOrigin(c.SelfOrigin)
		for k, a := range anc {
			ao, err2 := model.ParseOrigin(a)
			if err == nil && err2 == nil && ((so.Opaque && ao.Opaque) || (!so.Opaque && !ao.Opaque && model.SameOrigin(so, ao))) {
				nav = k
				break
			}
		}
		if nav < 0 {
			return nil, fmt.Errorf("the navigating document (%s, with policies) is none of the frame's ancestors (%s): HTML lets a document navigate a frame only when it is same-origin with the frame or one of its ancestors", c.SelfOrigin, strings.Join(anc, ", "))
		}
	}
	if err := refuseDirectives(c, map[string]string{
		"sandbox":                   stopsTheHarness["sandbox"],
		"trusted-types":             stopsTheHarness["trusted-types"],
		"require-trusted-types-for": "Trusted Types could stop the harness's script",
		"upgrade-insecure-requests": "upgrade-insecure-requests rewrites the frame's URL before CSP sees it",
		"block-all-mixed-content":   stopsTheHarness["block-all-mixed-content"],
	}); err != nil {
		return nil, err
	}
	if n.Response != nil {
		for _, p := range n.Response.Policies {
			if strings.ContainsAny(p.Value, "\r\n\x00") {
				return nil, fmt.Errorf("response policy %q cannot be sent as a header", p.Value)
			}
			if strings.Contains(strings.ToLower(p.Value), "report-uri") || strings.Contains(strings.ToLower(p.Value), "report-to") {
				return nil, fmt.Errorf("the response's policies report already; the harness adds its own report-uri")
			}
		}
	}
	// The documents from the top down: each ancestor, then each URL of the
	// framed navigation. An http: document below an https: one is mixed
	// content.
	insecureBelow := func(from int) bool {
		for _, s := range n.URLList {
			if strings.HasPrefix(s, "http:") {
				return true
			}
		}
		for k := from - 1; k >= 0; k-- {
			if strings.HasPrefix(anc[k], "http:") {
				return true
			}
		}
		return false
	}
	served := make([]string, len(anc))
	opaque := make([]bool, len(anc))
	secureAbove := false
	for k := len(anc) - 1; k >= 0; k-- {
		var err error
		if served[k], opaque[k], err = servedAt(anc[k], insecureBelow(k)); err != nil {
			return nil, err
		}
		if strings.HasPrefix(served[k], "http:") && secureAbove {
			return nil, fmt.Errorf("an http: document framed by an https: one is mixed content, blocked before CSP")
		}
		secureAbove = secureAbove || strings.HasPrefix(served[k], "https:")
	}
	for i, s := range n.URLList {
		u, err := model.ParseURL(s)
		if err != nil {
			return nil, err
		}
		switch {
		case u.Scheme == "data" || u.Scheme == "blob" || u.Scheme == "about":
			return nil, fmt.Errorf("a %s: response has no headers to carry the response's policies, and its document is the URL's own, with nothing the harness can observe", u.Scheme)
		case u.Scheme != "http" && u.Scheme != "https":
			return nil, fmt.Errorf("url %d: a frame's %s: URL is no response", i, u.Scheme)
		case u.Scheme == "http" && secureAbove:
			return nil, fmt.Errorf("an http: frame inside an https: document is mixed content, blocked before CSP")
		case u.Host.IsNull() || u.Host.Serialized == "":
			return nil, fmt.Errorf("url %q has no host", s)
		}
	}
	policies, err := casePolicies(c)
	if err != nil {
		return nil, err
	}
	top := len(anc) - 1
	// The navigating document is framed by the ancestors above it; its own
	// frame-ancestors must let them, or it is not there to navigate.
	if nav < top {
		var own []corpus.PolicyInput
		for _, p := range c.Policies {
			if p.Source != "meta" {
				own = append(own, corpus.PolicyInput{Value: p.Value, Disposition: p.Disposition})
			}
		}
		if len(own) > 0 {
			check := corpus.Case{ID: c.ID, CheckType: corpus.CheckNavigationResponse, SelfOrigin: anc[nav+1],
				Navigation: &corpus.NavigationInput{Type: model.NavigationOther, URLList: []string{served[nav] + "/"},
					Response: &corpus.ResponseInput{Policies: own}, Ancestors: anc[nav+1:]}}
			if r := corpus.RunModel(check, nil); r.Verdict != corpus.VerdictAllowed {
				return nil, fmt.Errorf("the navigating document's own frame-ancestors refuses the ancestors above it, so it cannot be there to navigate")
			}
		}
	}
	form := n.Type == model.NavigationFormSubmission
	if form {
		// A form submission passes form-action first, which is the
		// navigation request's check, not this one: only cases that pass
		// it reach the response.
		req := c
		req.CheckType = corpus.CheckNavigationRequest
		req.Navigation = &corpus.NavigationInput{Type: n.Type, URLList: n.URLList}
		if r := corpus.RunModel(req, nil); r.Verdict != corpus.VerdictAllowed {
			return nil, fmt.Errorf("the form submission is blocked by the navigating document's form-action (a navigation-request check) before any response")
		}
	}
	hopOrigins := originsOf(n.URLList)
	// The navigator's policies: the case's, and, for the parent, the
	// frame-src that lets it frame the response (policies.go).
	navigatorPolicies := func() []policyDelivery {
		var out []policyDelivery
		for _, d := range policies {
			if !d.Meta && nav == 0 {
				d.Value = withFrameSources(d.Value, hopOrigins...)
			}
			out = append(out, d)
		}
		return out
	}
	// An opaque ancestor is sandboxed by a policy of its own, with scripts
	// and forms allowed for the harness.
	opaqueSandbox := policyDelivery{Value: "sandbox allow-scripts allow-forms"}
	u := &checkUnit{Check: c.CheckName(), Mode: "chain", TopOrigin: served[top], TopOpaque: opaque[top], Aspects: []string{""}}
	if nav == top {
		// The top page navigates, and asks the server when the response
		// arrived, which its policies must let it.
		for _, d := range navigatorPolicies() {
			if !d.Meta {
				d.Value = withSources(d.Value, "connect-src", []string{"default-src"}, []string{served[top]})
			}
			u.TopPolicies = append(u.TopPolicies, d)
		}
	}
	if opaque[top] {
		u.TopPolicies = append(u.TopPolicies, opaqueSandbox)
	}
	u.prepare = func(p *prep) (jsUnit, error) {
		finalHeader := http.Header{}
		if n.Response != nil {
			for _, d := range n.Response.Policies {
				name := "Content-Security-Policy"
				disp := "enforce"
				if d.Disposition == "report" {
					name += "-Report-Only"
					disp = "report"
				}
				finalHeader.Add(name, withReportURI(d.Value, pathReport+p.probe+"/"+disp))
			}
		}
		finalHeader.Set("Content-Type", "text/html; charset=utf-8")
		final := &resource{Header: finalHeader, Body: []byte("<!doctype html><title>framed</title><iframe></iframe>\n")}
		framed, err := p.targetURL("", "frame", n.URLList, final)
		if err != nil {
			return jsUnit{}, err
		}
		js := jsUnit{Probe: p.probe, Mode: "chain", Depth: top, TimeoutMs: unitTimeout, Wait: &waitFor{Probe: p.probe, Hop: len(n.URLList) - 1}}
		if top == 0 {
			// The top page is the parent.
			js.URL, js.Form = framed, form
			return js, nil
		}
		if nav == top {
			js.Navigate = &navigateTo{URL: framed, Form: form, Target: namedFrame}
		}
		nonce := newNonce()
		// The navigator's markup: a form or a link into the named frame,
		// and a script that uses it once everything has loaded.
		navigator := "<a id=\"__csp_go\" target=\"" + namedFrame + "\" href=\"" + html.EscapeString(framed) + "\">go</a>"
		if form {
			navigator = "<form method=\"POST\" action=\"" + html.EscapeString(framed) + "\" target=\"" + namedFrame + "\"><input type=\"hidden\" name=\"x\" value=\"1\"></form>"
		}
		navigator += "<script nonce=\"" + nonce + "\">addEventListener('load', function () { var f = document.forms[0]; if (f) f.submit(); else document.getElementById('__csp_go').click(); });</script>"
		next := ""
		for k := 0; k < top; k++ {
			var ps []policyDelivery
			var markup string
			switch {
			case k == 0 && nav == 0 && form:
				markup = "<iframe name=\"" + namedFrame + "\"></iframe>" + navigator
			case k == 0 && nav == 0:
				markup = "<iframe src=\"" + html.EscapeString(framed) + "\"></iframe>"
			case k == 0:
				markup = "<iframe name=\"" + namedFrame + "\"></iframe>"
			case k == nav:
				markup = "<iframe src=\"" + html.EscapeString(next) + "\"></iframe>" + navigator
			default:
				markup = "<iframe src=\"" + html.EscapeString(next) + "\"></iframe>"
			}
			if k == nav {
				ps = navigatorPolicies()
			}
			if opaque[k] {
				ps = append(ps, opaqueSandbox)
			}
			// Only the navigator runs a script of the harness's.
			scriptNonce := ""
			if k == nav {
				scriptNonce = nonce
			}
			h := http.Header{}
			metas, err := deliverPolicies(h, ps, scriptNonce, "")
			if err != nil {
				return jsUnit{}, err
			}
			h.Set("Content-Type", "text/html; charset=utf-8")
			body := "<!doctype html><html><head><meta charset=\"utf-8\"><title>ancestor</title>" + metas + "</head><body>" + markup + "</body></html>\n"
			next = p.resourceURL(served[k], fmt.Sprintf("a%d", k), &resource{Header: h, Body: []byte(body)})
		}
		js.URL = next
		return js, nil
	}
	last := len(n.URLList) - 1
	u.observe = func(r unitRun) map[string]observation {
		if o, ok := missing(r); ok {
			return single(o)
		}
		arrived := false
		reached := 0
		for _, a := range r.Arrivals(r.Report.Probe) {
			reached = max(reached, a.Hop+1)
			arrived = arrived || a.Hop == last
		}
		var events []seenViolation
		count := 0
		for _, rep := range r.Reports {
			events = append(events, rep.violation())
			if rep.Disposition == "enforce" {
				count++
			}
		}
		var o observation
		switch {
		case !arrived:
			o = observation{Verdict: NotSent, Reason: "the framed response was never requested"}
		case r.Report.Inspect == nil:
			o = observation{Verdict: Unknown, Reason: "the top page could not look at the framed document"}
		default:
			o = twoSignals(r.Report.Inspect.Frames > 0, count, "the framed document rendered", "the framed document did not render")
		}
		o.Reached = reached
		return single(withDetails(o, r, events))
	}
	return u, nil
}

// namedFrame is the name of the parent's frame, which an ancestor further
// up navigates.
const namedFrame = "__csp_t"

// The effects of a sandboxed window the harness observes, each a row of
// its own whose verdict is "blocked" when the CSP-derived sandboxing flags
// hold the flag and "allowed" when they do not.
const (
	aspectScripts = "scripts"
	aspectOrigin  = "origin"
	aspectForms   = "forms"
)

// sandboxAspects maps each aspect to its flag, by the HTML name the model
// gives it.
var sandboxAspects = map[string]string{
	aspectScripts: "sandboxed scripts browsing context flag",
	aspectOrigin:  "sandboxed origin browsing context flag",
	aspectForms:   "sandboxed forms browsing context flag",
}

// aspectVerdict is a sandbox result's verdict on one aspect.
func aspectVerdict(res corpus.Result, aspect string) corpus.Result {
	if aspect == "" || res.Error != "" || res.Unsupported != "" {
		return res
	}
	res.Verdict = corpus.VerdictAllowed
	if slices.Contains(res.SandboxFlags, sandboxAspects[aspect]) {
		res.Verdict = corpus.VerdictBlocked
	}
	return res
}

// sandboxUnit: a document under the case's policies, whose sandboxing
// effects are looked at, or a worker, which runs or does not.
func sandboxUnit(c corpus.Case, kind string) (*checkUnit, error) {
	if err := refuseDirectives(c, map[string]string{"trusted-types": stopsTheHarness["trusted-types"]}); err != nil {
		return nil, err
	}
	o, err := model.ParseOrigin(c.SelfOrigin)
	if err != nil || o.Opaque || (o.Scheme != "http" && o.Scheme != "https") {
		return nil, fmt.Errorf("a sandbox case's self-origin must be an http(s) origin, which the sandbox may then make opaque")
	}
	origin := o.String()
	policies, err := casePolicies(c)
	if err != nil {
		return nil, err
	}
	ds := enforcedDirectives(c)
	for _, d := range []string{"default-src", "connect-src", "img-src"} {
		if ds[d] {
			return nil, fmt.Errorf("an enforced %s could refuse the requests that show the document's origin or the worker's start", d)
		}
	}
	if kind == "worker" {
		u := &checkUnit{Check: c.CheckName(), Mode: "worker", TopOrigin: origin, Aspects: []string{""}}
		u.prepare = func(p *prep) (jsUnit, error) {
			started, err := p.targetURL("-w", "fetch", []string{origin + "/__csp/started"}, nil)
			if err != nil {
				return jsUnit{}, err
			}
			cfg := map[string]any{"probe": p.probe, "check": "request", "kind": "fetch", "url": started, "attemptMs": 2000}
			r, err := workerResource(policies, cfg)
			if err != nil {
				return jsUnit{}, err
			}
			return jsUnit{Probe: p.probe, Mode: "worker", URL: p.resourceURL(origin, "worker.js", r), TimeoutMs: sandboxWorkerTimeout}, nil
		}
		u.observe = func(r unitRun) map[string]observation {
			if o, ok := missing(r); ok {
				return single(o)
			}
			ran := r.Report.Result != nil
			started := len(r.Arrivals(r.Report.Probe+"-w")) > 0
			var o observation
			switch {
			case ran && started:
				o = observation{Verdict: Allowed}
			case !ran && !started:
				o = observation{Verdict: Blocked}
				if r.Report.WorkerError == "" {
					o.Reason = "the worker neither reported nor fetched, and no error event fired"
				}
			default:
				o = observation{Verdict: Unknown, Reason: fmt.Sprintf("the worker reported: %v, its fetch arrived: %v", ran, started)}
			}
			o = withDetails(o, r, r.Report.Events)
			o.Detail = r.Report.WorkerError
			return single(o)
		}
		return u, nil
	}
	u := &checkUnit{Check: c.CheckName(), Mode: "doc", TopOrigin: origin, Aspects: []string{aspectScripts, aspectOrigin, aspectForms}}
	// A cross-origin CORS request carries the document's origin, "null"
	// when it is opaque.
	other := "https://example.org"
	if o.Scheme == "http" {
		other = "http://example.org"
	}
	if o.Host.Serialized == "example.org" {
		other = strings.Replace(other, "example.org", "example.net", 1)
	}
	u.prepare = func(p *prep) (jsUnit, error) {
		img, err := p.targetURL("-o", "image", []string{other + "/__csp/origin"}, nil)
		if err != nil {
			return jsUnit{}, err
		}
		form, err := p.targetURL("-f", "navigation", []string{origin + "/__csp/form"}, nil)
		if err != nil {
			return jsUnit{}, err
		}
		markup := "<noscript><iframe></iframe></noscript><img crossorigin=\"anonymous\" src=\"" + html.EscapeString(img) + "\">" +
			"<form id=\"__csp_form\" method=\"POST\" action=\"" + html.EscapeString(form) + "\"><input type=\"hidden\" name=\"x\" value=\"1\"></form>"
		cfg := map[string]any{"probe": p.probe, "check": "sandbox", "form": true, "settleMs": 0}
		r, err := docResource(policies, newNonce(), cfg, "", markup, p.probe)
		if err != nil {
			return jsUnit{}, err
		}
		return jsUnit{Probe: p.probe, Mode: "doc", URL: p.resourceURL(origin, "doc", r), Inspect: true, Nav: true, TimeoutMs: unitTimeout,
			Wait: &waitFor{Probe: p.probe + "-f", Hop: 0}}, nil
	}
	u.observe = func(r unitRun) map[string]observation {
		out := map[string]observation{}
		if o, ok := missing(r); ok {
			for _, a := range u.Aspects {
				out[a] = o
			}
			return out
		}
		ran := r.Report.Result != nil
		in := r.Report.Inspect
		if in == nil {
			in = &inspection{Frames: -1}
		}
		// Scripts: the harness's script reported, and the <noscript>
		// content was parsed as markup (the parser's scripting flag is off
		// where scripts are sandboxed), which makes a frame.
		noscript := in.Frames == 1
		switch {
		case ran && !noscript:
			out[aspectScripts] = observation{Verdict: Allowed}
		case !ran && noscript:
			out[aspectScripts] = observation{Verdict: Blocked}
		default:
			out[aspectScripts] = observation{Verdict: Unknown, Reason: fmt.Sprintf("the document's script reported: %v; its <noscript> frame count: %d", ran, in.Frames)}
		}
		// Origin: the top page (same origin as the document's URL) can
		// reach the document, and the document's cross-origin CORS
		// request names its origin.
		var header string
		arrived := false
		for _, a := range r.Arrivals(r.Report.Probe + "-o") {
			header, arrived = a.Origin, true
		}
		switch {
		case !arrived:
			out[aspectOrigin] = observation{Verdict: NotSent, Reason: "the request that shows the document's origin never arrived"}
		case in.SameOrigin && header == origin:
			out[aspectOrigin] = observation{Verdict: Allowed}
		case !in.SameOrigin && header == "null":
			out[aspectOrigin] = observation{Verdict: Blocked}
		default:
			out[aspectOrigin] = observation{Verdict: Unknown, Reason: fmt.Sprintf("the top page reaches the document: %v; its request's Origin: %q", in.SameOrigin, header)}
		}
		// Forms: the document's frame loaded the form's response (the top
		// page sees its iframe load again), and the submission reached the
		// server. (The submit event is no signal: WebKit fires it before
		// it refuses a sandboxed submission.)
		arrivedForm := len(r.Arrivals(r.Report.Probe+"-f")) > 0
		navigated := r.Report.Loads >= 2
		switch {
		case !ran:
			out[aspectForms] = observation{Verdict: NotSent, Reason: "no script runs in the document to submit its form"}
		case r.Report.Submit == nil:
			out[aspectForms] = observation{Verdict: Unknown, Reason: "the document did not submit its form"}
		case navigated && arrivedForm:
			out[aspectForms] = observation{Verdict: Allowed}
		case !navigated && !arrivedForm:
			out[aspectForms] = observation{Verdict: Blocked}
		default:
			out[aspectForms] = observation{Verdict: Unknown, Reason: fmt.Sprintf("the frame loaded the form's response: %v; the submission arrived: %v", navigated, arrivedForm)}
		}
		for a, o := range out {
			out[a] = withDetails(o, r, r.Report.Events)
		}
		return out
	}
	return u, nil
}

// localUnit: a request the request pages cannot make: to a blob: or data:
// URL, from a document its own sandbox directive sandboxes, or from a
// document or worker whose URL is about:srcdoc, blob: or data:
// (global.url), which inherits its creator's policies. The test
// document is the creator: it carries the case's policies (and, for a
// child, the frame-src or worker-src that lets it make the child, see
// policies.go), and makes the request itself or through the child.
func localUnit(c corpus.Case) (*checkUnit, error) {
	r := c.Request
	if len(r.URLList) != 1 {
		return nil, fmt.Errorf("a redirect from or to a local URL is refused by Fetch before CSP")
	}
	kind := r.Kind
	if kind == "" && r.Destination != nil && *r.Destination == "image" && r.Initiator == "" && (r.Mode == "" || r.Mode == "no-cors") {
		kind = "image"
	}
	if !slices.Contains([]string{"fetch", "xhr", "image", "websocket", "eventsource", "beacon"}, kind) {
		return nil, fmt.Errorf("the harness makes fetch, xhr, image, websocket, eventsource and beacon requests from local documents and to local URLs")
	}
	sandboxFlags, err := documentSandbox(c, false)
	if err != nil {
		return nil, err
	}
	sandboxed := sandboxFlags != 0
	if err := refuseDirectives(c, map[string]string{
		"trusted-types":             stopsTheHarness["trusted-types"],
		"require-trusted-types-for": "Trusted Types could stop the harness's script from making its child",
		"upgrade-insecure-requests": "upgrade-insecure-requests rewrites URLs before CSP sees them, which the model leaves out",
		"block-all-mixed-content":   stopsTheHarness["block-all-mixed-content"],
	}); err != nil {
		return nil, err
	}
	self, err := model.ParseOrigin(c.SelfOrigin)
	if err == nil && self.Opaque {
		return nil, errOpaqueSelf
	}
	if err != nil || (self.Scheme != "http" && self.Scheme != "https") {
		return nil, fmt.Errorf("the creating document's origin must be an http(s) origin the harness serves it at")
	}
	origin := self.String()
	globalKind, childScheme := "window", ""
	if g := c.Global; g != nil {
		if g.Kind != "" {
			globalKind = g.Kind
		}
		if g.URL != nil && *g.URL != "" {
			gu, err := model.ParseURL(*g.URL)
			if err != nil {
				return nil, err
			}
			switch {
			case gu.Scheme == "about" && gu.Path == "srcdoc" && globalKind == "window":
				childScheme = "srcdoc"
			case gu.Scheme == "blob" || gu.Scheme == "data":
				childScheme = gu.Scheme
				if gu.Scheme == "blob" && !model.SameOrigin(model.URLOrigin(gu), self) {
					return nil, fmt.Errorf("a blob: document or worker has its creator's origin, not %s", model.URLOrigin(gu))
				}
			case gu.Scheme == "http" || gu.Scheme == "https":
			default:
				return nil, fmt.Errorf("global.url %s: the harness makes srcdoc (windows), blob: and data: documents and workers", *g.URL)
			}
		}
	}
	if sandboxed && (globalKind != "window" || childScheme != "") {
		// A document sandboxed by the case's own sandbox directive makes
		// the request itself.
		return nil, fmt.Errorf("a sandboxed document makes the request itself: no worker or child document")
	}
	if globalKind == "worklet" {
		return nil, fmt.Errorf("the harness runs no worklets")
	}
	if globalKind == "worker" && childScheme == "" {
		return nil, fmt.Errorf("a worker of the case's own origin would carry its own policies, which the request pages do not run")
	}
	if globalKind == "worker" && (kind == "image" || kind == "beacon") {
		return nil, fmt.Errorf("a worker has no %s API", kind)
	}
	for _, p := range c.Policies {
		if p.Source != "meta" && strings.ContainsAny(p.Value, "\r\n\x00") {
			return nil, fmt.Errorf("policy %q cannot be sent as a header", p.Value)
		}
	}
	target, err := model.ParseURL(r.URLList[0])
	if err != nil {
		return nil, err
	}
	local := target.Scheme == "blob" || target.Scheme == "data"
	var blob map[string]string
	switch {
	case target.Scheme == "blob":
		// The engine mints the blob: URL, with a path of its own choosing
		// (the model reads only its origin); the document that makes the
		// request mints it, so its origin must be that document's.
		want := self
		if childScheme == "data" {
			want = model.Origin{Opaque: true}
		}
		if got := model.URLOrigin(target); !(got.Opaque && want.Opaque) && !model.SameOrigin(got, want) {
			return nil, fmt.Errorf("a blob: URL of %s cannot be minted by a document of %s", got, want)
		}
		blob = map[string]string{"body": "ok", "type": "text/plain"}
		if kind == "image" {
			blob = map[string]string{"body": string(onePixelGIF), "type": "image/gif"}
		}
		if kind != "fetch" && kind != "xhr" && kind != "image" {
			return nil, fmt.Errorf("a %s request to a blob: URL fails before CSP", kind)
		}
	case target.Scheme == "data":
		if kind != "fetch" && kind != "xhr" && kind != "image" {
			return nil, fmt.Errorf("a %s request to a data: URL fails before CSP", kind)
		}
	case target.Scheme == "http" || target.Scheme == "https" || target.Scheme == "ws" || target.Scheme == "wss":
		if childScheme == "" && !sandboxed {
			return nil, fmt.Errorf("an http(s) request from the case's own document is a request page's")
		}
		if strings.HasPrefix(origin, "https:") && (target.Scheme == "http" || target.Scheme == "ws") {
			return nil, fmt.Errorf("an insecure URL from an https document is mixed content")
		}
		if target.Host.IsNull() || target.Host.Serialized == "" {
			return nil, fmt.Errorf("url %q has no host", r.URLList[0])
		}
	default:
		return nil, fmt.Errorf("url %q: the harness requests http(s), ws(s), blob: and data: URLs", r.URLList[0])
	}
	if kind == "image" && !local && strings.HasPrefix(origin, "https:") && target.Scheme == "http" {
		return nil, fmt.Errorf("an http image on an https page is upgraded before CSP")
	}
	if kind == "image" && target.Scheme == "data" && !decodesAsImage(r.URLList[0]) {
		return nil, fmt.Errorf("the data: URL holds no image an engine can decode, so it fails to load as one whether or not CSP allows it")
	}
	policies, err := casePolicies(c)
	if err != nil {
		return nil, err
	}
	directive := "connect-src"
	if kind == "image" {
		directive = "img-src"
	}
	u := &checkUnit{Check: corpus.CheckRequest, Mode: "doc", TopOrigin: origin, Aspects: []string{""}}
	if childScheme != "" {
		u.Note = "the creating document's policies also let it make the " + childScheme + " child"
	}
	if sandboxed {
		u.Note = "the document's own sandbox directive sandboxes it"
	}
	u.prepare = func(p *prep) (jsUnit, error) {
		requestURL := r.URLList[0]
		if !local {
			var err error
			if requestURL, err = p.targetURL("", kind, r.URLList, nil); err != nil {
				return jsUnit{}, err
			}
		}
		nonce := newNonce()
		cfg := map[string]any{"probe": p.probe, "check": "request", "kind": kind, "url": requestURL, "attemptMs": 2500}
		if blob != nil {
			cfg["blob"] = blob
		}
		ps := policies
		if childScheme != "" {
			child := map[string]any{"scheme": childScheme, "worker": globalKind == "worker"}
			js, err := docScript(cfg)
			if err != nil {
				return jsUnit{}, err
			}
			body := js
			mime := "text/javascript"
			if globalKind != "worker" {
				body = "<!doctype html><meta charset=\"utf-8\"><title>child</title><script nonce=\"" + nonce + "\">" + js + "</script>"
				mime = "text/html"
			}
			child["body"] = body
			if childScheme == "data" {
				child["url"] = "data:" + mime + ";base64," + base64.StdEncoding.EncodeToString([]byte(body))
			}
			cfg = map[string]any{"probe": p.probe, "check": "request", "child": child}
			ps = nil
			for _, d := range policies {
				if !d.Meta {
					if globalKind == "worker" {
						d.Value = withWorkerSources(d.Value, childScheme+":")
					} else if childScheme != "srcdoc" {
						d.Value = withFrameSources(d.Value, childScheme+":")
					}
				}
				ps = append(ps, d)
			}
		}
		res, err := docResource(ps, nonce, cfg, "", "", p.probe)
		if err != nil {
			return jsUnit{}, err
		}
		return jsUnit{Probe: p.probe, Mode: "doc", URL: p.resourceURL(origin, "doc", res), TimeoutMs: unitTimeout}, nil
	}
	u.observe = func(run unitRun) map[string]observation {
		if o, ok := missing(run); ok {
			return single(o)
		}
		res := run.Report.Result
		if res == nil {
			why := "the document that makes the request never reported"
			if run.Report.Child != nil {
				why += " (its creator saw: " + run.Report.Child.Error + ")"
			}
			return single(withDetails(observation{Verdict: Unknown, Reason: why}, run, run.Report.Events))
		}
		n, all := violations(run, directive)
		var o observation
		if local {
			o = twoSignals(res.Outcome == "load", n, "the request loaded", "the request failed ("+res.Outcome+" "+res.Detail+")")
		} else {
			arrived := len(run.Arrivals(run.Report.Probe)) > 0
			o = twoSignals(arrived, n, "the request reached the server", "the request never reached the server ("+res.Outcome+" "+res.Detail+")")
		}
		return single(withDetails(o, run, all))
	}
	return u, nil
}

// decodesAsImage reports whether a data: URL holds a GIF or PNG image.
func decodesAsImage(raw string) bool {
	_, rest, ok := strings.Cut(raw, ",")
	if !ok {
		return false
	}
	meta := strings.ToLower(raw[:len(raw)-len(rest)])
	var data []byte
	if strings.HasSuffix(meta, ";base64,") {
		b, err := base64.StdEncoding.DecodeString(rest)
		if err != nil {
			return false
		}
		data = b
	} else {
		s, err := url.PathUnescape(rest)
		if err != nil {
			return false
		}
		data = []byte(s)
	}
	_, _, err := image.Decode(bytes.NewReader(data))
	return err == nil
}

// needsUnit reports whether a request case is one for localUnit rather
// than a request page: a blob: or data: URL, a global object other than
// the case's own window, or a document its own enforced sandbox directive
// sandboxes.
func needsUnit(c corpus.Case) bool {
	if c.CheckName() != corpus.CheckRequest {
		return true
	}
	if enforcedDirectives(c)["sandbox"] {
		return true
	}
	for _, s := range c.Request.URLList {
		if strings.HasPrefix(strings.ToLower(s), "blob:") || strings.HasPrefix(strings.ToLower(s), "data:") {
			return true
		}
	}
	if g := c.Global; g != nil && g.URL != nil && *g.URL != "" {
		if u, err := model.ParseURL(*g.URL); err == nil && u.Scheme != "http" && u.Scheme != "https" {
			return true
		}
	}
	return false
}
