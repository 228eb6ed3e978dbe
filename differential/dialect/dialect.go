package dialect

import (
	"fmt"
	"slices"
	"sort"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// Dialect is one engine's dialect: the rules that turn a case into the case
// that engine effectively decides.
type Dialect struct {
	// Name is the engine's short name: chromium, firefox or webkit.
	Name string
	// Engine names the browser engine, as a reader knows it.
	Engine string
	// FittedOn names the engine version the rules were fitted on, as the
	// browser reports it (chromium --version, firefox-esr --version, the
	// WebKitGTK package version).
	FittedOn string
	// Rules are the dialect's rules, in the order the documentation lists
	// them. The order does not change a decision: each rule acts at one
	// stage of the engine's own processing, and rules at the same stage
	// commute (see the package documentation).
	Rules []*Rule
	// Checks lists the checks other than requests the dialect covers
	// (corpus.CheckInline, …): those the engine was observed on and its
	// verdicts compared with the rules'. Decide answers every other check
	// as unsupported.
	Checks []string
}

// Covers reports whether the dialect covers check (a corpus check name):
// requests always, another check when Checks lists it.
func (d *Dialect) Covers(check string) bool {
	return check == corpus.CheckRequest || slices.Contains(d.Checks, check)
}

// Names returns the dialects' names, sorted.
func Names() []string {
	names := make([]string, 0, len(dialects))
	for _, d := range dialects {
		names = append(names, d.Name)
	}
	sort.Strings(names)
	return names
}

// Get returns the dialect named name.
func Get(name string) (*Dialect, bool) {
	for _, d := range dialects {
		if d.Name == name {
			return d, true
		}
	}
	return nil, false
}

// Rules returns every rule of any dialect, in the order of the package's
// documentation.
func Rules() []*Rule { return slices.Clone(allRules) }

// RuleByID returns the rule with id.
func RuleByID(id string) (*Rule, bool) {
	for _, r := range allRules {
		if r.ID == id {
			return r, true
		}
	}
	return nil, false
}

// Has reports whether the dialect holds the rule with id.
func (d *Dialect) Has(id string) bool {
	for _, r := range d.Rules {
		if r.ID == id {
			return true
		}
	}
	return false
}

// Without returns a copy of the dialect without the rules named, to see
// what each rule decides.
func (d *Dialect) Without(ids ...string) *Dialect {
	c := *d
	c.Rules = nil
	for _, r := range d.Rules {
		if !slices.Contains(ids, r.ID) {
			c.Rules = append(c.Rules, r)
		}
	}
	return &c
}

// WithRules returns a copy of the dialect with its rules in the order
// given (the same rules, or others), for tests of the order.
func (d *Dialect) WithRules(rules []*Rule) *Dialect {
	c := *d
	c.Rules = slices.Clone(rules)
	return &c
}

// Decide decides c as the dialect's engine does: it turns c into the case
// the engine effectively decides and lets the model decide that, recording
// in tr (which may be nil) the rules that changed the case and then the
// model's steps. It returns the result and the ids of the rules that
// changed the case, in the dialect's order.
//
// The verdict is the dialect's prediction of the engine's. The violations
// are the model's on the changed case, told the way the engine tells them:
// each names the policy delivery and policy text of the case as given, and
// the blocked URI as the page wrote it (an IP address, a WebSocket's ws: or
// wss: URL). A case the model refuses is refused here too, with the same
// error and no verdict.
func (d *Dialect) Decide(c corpus.Case, tr *model.Trace) (corpus.Result, []string) {
	if name := c.CheckName(); name != corpus.CheckRequest {
		if !d.Covers(name) {
			// What the engine does on this check was not compared with
			// the rules: the model's answer is not a theory of it.
			return corpus.Result{ID: c.ID, Unsupported: fmt.Sprintf("the %s dialect does not cover %s checks (it covers requests%s)",
				d.Name, name, strings.Join(append([]string{""}, d.Checks...), ", "))}, nil
		}
		return d.decideCheck(c, tr)
	}
	w, err := d.apply(c, tr != nil)
	if err != nil {
		return corpus.Result{ID: c.ID, Error: err.Error()}, nil
	}
	ids := w.ruleIDs(d)
	if tr != nil {
		end := tr.Enter("dialect:"+d.Name, "%s's dialect (fitted on %s): %d of its %d rules change this case", d.Engine, d.FittedOn, len(ids), len(d.Rules))
		for _, n := range w.notes {
			tr.Step("dialect:"+d.Name, "", "%s: %s", n.rule, n.text)
		}
		end()
		tr.Steps = append(tr.Steps, w.parse.Steps...)
	}
	dec, err := w.decide(tr)
	if err != nil {
		return corpus.Result{ID: c.ID, Error: err.Error()}, ids
	}
	res := corpus.FromDecision(c.ID, dec)
	for i := range res.Violations {
		res.Violations[i].BlockedURI = w.reportedURI(res.Violations[i].BlockedURI)
	}
	return res, ids
}

// decideCheck decides a case of a check other than requests: the rules
// with a check hook change the case as the engine effectively decides it,
// and the model decides the changed case. Such rules change different
// parts of a case, or the same part alike, so their order does not matter.
func (d *Dialect) decideCheck(c corpus.Case, tr *model.Trace) (corpus.Result, []string) {
	w := c
	w.Policies = slices.Clone(c.Policies)
	var ids []string
	for _, r := range d.Rules {
		if r.check != nil && r.check(&w) {
			ids = append(ids, r.ID)
		}
	}
	if tr != nil && len(ids) > 0 {
		end := tr.Enter("dialect:"+d.Name, "%s's dialect (fitted on %s): %d of its %d rules change this case", d.Engine, d.FittedOn, len(ids), len(d.Rules))
		for _, id := range ids {
			tr.Step("dialect:"+d.Name, "", "%s", id)
		}
		end()
	}
	res := corpus.RunModel(w, tr)
	res.ID = c.ID
	return res, ids
}

// Rewritten is a case as a dialect's engine effectively decides it: the
// request and the CSP list the model then decides, one for each URL of the
// request's URL list (they differ only where a rule makes a source match
// one URL of a redirect chain and not another), and the rules that changed
// them.
type Rewritten struct {
	Request model.Request
	Lists   []model.CSPList
	Rules   []string
	key     string
}

// Key writes the rewritten case in a form that two orders of the same
// rules agree on when they change the case alike: the page's origin, the
// request, and each directive's sources, sorted.
func (r *Rewritten) Key() string { return r.key }

// Rewrite returns the case the dialect's engine effectively decides, or
// the error the model gives on c.
func (d *Dialect) Rewrite(c corpus.Case) (*Rewritten, error) {
	w, err := d.apply(c, false)
	if err != nil {
		return nil, err
	}
	r := &Rewritten{Request: w.req, Rules: w.ruleIDs(d), key: w.canonical()}
	for hop := range w.req.URLList {
		r.Lists = append(r.Lists, w.cspList(hop))
	}
	return r, nil
}

// work is a case on its way through a dialect: the page's origin, the
// request, and every policy with its source expressions, each marked with
// where it came from.
type work struct {
	self model.Origin
	req  model.Request
	// websocket: the request is a WebSocket's (its kind, or mode).
	websocket bool
	// given is the URL list as the page gave it to the API.
	given    []model.URL
	policies []*policyWork
	// renamed maps each host name ip-hosts-match gave an IP address of a
	// URL to that address.
	renamed map[string]string
	// emptySegments: a source was read with a path that starts with //,
	// so the URLs' paths that do are given to the model the same way
	// (emptySegment).
	emptySegments bool
	// sandboxed: the case's policies sandbox its document into an opaque
	// origin (sandboxedByPolicy).
	sandboxed bool
	changed   map[string]bool
	// With tracing, notes say what each rule changed, and parse holds the
	// model's steps of parsing the policies, which the trace shows after
	// the dialect's.
	tracing bool
	notes   []note
	parse   model.Trace
}

type note struct{ rule, text string }

type policyWork struct {
	policy     model.Policy // its directive set is rebuilt from directives
	directives []*directiveWork
}

type directiveWork struct {
	name  string
	items []*item
}

// item is one source expression: written in the policy (perhaps as a rule
// read it), or added by rules.
type item struct {
	text    string
	written bool
	addedBy []string // the rules that add it
	dropped []string // the rules that make the engine ignore it
	// droppedAt holds, by index in the URL list, the rules under which it
	// does not match that URL.
	droppedAt map[int][]string
}

// wsScheme returns u with an http: scheme as ws: and https: as wss:, as the
// WebSocket constructor reads it.
func wsScheme(u model.URL) model.URL {
	switch u.Scheme {
	case "http":
		u.Scheme = "ws"
	case "https":
		u.Scheme = "wss"
	}
	return u
}

// live reports whether the engine reads the source at all.
func (it *item) live() bool { return len(it.dropped) == 0 }

// liveAt reports whether the source counts for the URL of index hop.
func (it *item) liveAt(hop int) bool { return it.live() && len(it.droppedAt[hop]) == 0 }

func (w *work) note(rule, format string, args ...any) {
	w.changed[rule] = true
	if w.tracing {
		w.notes = append(w.notes, note{rule, sprintf(format, args...)})
	}
}

// apply runs the dialect's rules on c, stage by stage: the deliveries, the
// request, how each source expression is read, and how the sources read
// match. With tracing, it keeps what each rule changed and the model's
// parsing steps.
func (d *Dialect) apply(c corpus.Case, tracing bool) (*work, error) {
	in, err := c.Build()
	if err != nil {
		return nil, err
	}
	w := &work{self: in.SelfOrigin, req: in.Request, changed: map[string]bool{}, renamed: map[string]string{}, tracing: tracing}
	w.websocket = c.Request.Kind == "websocket" || in.Request.Mode == "websocket"
	w.sandboxed = sandboxedByPolicy(c.Policies)
	w.given = in.Request.URLList
	if c.Request.Kind == "websocket" && len(c.Request.URLList) == 1 {
		if u, err := model.ParseURL(c.Request.URLList[0]); err == nil {
			w.given = []model.URL{wsScheme(u)}
		}
	}

	// Stage 1: deliveries into policies.
	deliveries := in.Deliveries
	from := make([]int, len(deliveries))
	for i := range from {
		from[i] = i
	}
	for _, r := range d.Rules {
		if r.deliveries == nil {
			continue
		}
		next, idx := r.deliveries(w, deliveries)
		if idx == nil {
			continue
		}
		composed := make([]int, len(idx))
		for i, j := range idx {
			composed[i] = from[j]
		}
		deliveries, from = next, composed
	}
	var parse *model.Trace
	if tracing {
		parse = &w.parse
	}
	list := model.NewCSPList(deliveries, w.self, parse)
	for _, p := range list.Policies {
		pw := &policyWork{policy: p}
		pw.policy.Delivery = from[p.Delivery]
		pw.policy.DirectiveSet = nil
		for _, dir := range p.DirectiveSet {
			dw := &directiveWork{name: dir.Name}
			for _, v := range dir.Value {
				dw.items = append(dw.items, &item{text: v, written: true})
			}
			pw.directives = append(pw.directives, dw)
		}
		w.policies = append(w.policies, pw)
	}

	// Stage 2: the request.
	for _, r := range d.Rules {
		if r.request != nil {
			r.request(w)
		}
	}

	// Stage 3: reading. Token rewrites, in the dialect's order, then the
	// URL rewrites, then the second readings of tokens and URLs (which
	// need the first ones done), then every rule that drops a token as
	// read.
	w.read(d, func(r *Rule) (func(*work, string) string, func(*work)) { return r.readToken, r.readURLs })
	w.read(d, func(r *Rule) (func(*work, string) string, func(*work)) { return r.rereadToken, r.rereadURLs })
	w.eachItem(func(dw *directiveWork, it *item) {
		for _, r := range d.Rules {
			if r.ignoreToken != nil && r.ignoreToken(w, dw, it.text) {
				it.dropped = append(it.dropped, r.ID)
				w.note(r.ID, "%s %s ignored", dw.name, it.text)
			}
		}
	})

	// Stage 4: matching. Every rule that adds a source for one the engine
	// read runs on every live source, those added included, until nothing
	// new comes; then the rules under which a written source does not match
	// a URL of the list, for each URL.
	w.eachDirective(func(dw *directiveWork) {
		for i := 0; i < len(dw.items) && i < maxItems; i++ {
			it := dw.items[i]
			if !it.live() {
				continue
			}
			for _, r := range d.Rules {
				if r.add == nil {
					continue
				}
				for _, t := range r.add(w, dw, it.text) {
					dw.addItem(w, r.ID, it.text, t)
				}
			}
		}
	})
	w.eachItem(func(dw *directiveWork, it *item) {
		if !it.written {
			return
		}
		for _, r := range d.Rules {
			if r.dropWritten == nil {
				continue
			}
			for hop, u := range w.req.URLList {
				if r.dropWritten(w, it.text, u) {
					if it.droppedAt == nil {
						it.droppedAt = map[int][]string{}
					}
					it.droppedAt[hop] = append(it.droppedAt[hop], r.ID)
					w.note(r.ID, "%s %s does not match %s", dw.name, it.text, u)
				}
			}
		}
	})
	return w, nil
}

// read runs one reading of stage 3: each rule's token hook on every live
// source, in the dialect's order, then each rule's URL hook (hooks picks
// them from a rule).
func (w *work) read(d *Dialect, hooks func(*Rule) (func(*work, string) string, func(*work))) {
	w.eachItem(func(dw *directiveWork, it *item) {
		for _, r := range d.Rules {
			readToken, _ := hooks(r)
			if readToken == nil {
				continue
			}
			if t := readToken(w, it.text); t != it.text {
				w.note(r.ID, "%s %s read as %s", dw.name, it.text, t)
				it.text = t
			}
		}
	})
	for _, r := range d.Rules {
		if _, readURLs := hooks(r); readURLs != nil {
			readURLs(w)
		}
	}
}

// decide lets the model decide the changed case: in one run when every URL
// of the list meets the same sources, and otherwise hop by hop, each URL
// checked against its own sources as Fetch's main fetch checks each
// redirect (the same steps model.Decide takes, which the tests hold it
// to).
func (w *work) decide(tr *model.Trace) (model.Decision, error) {
	if w.uniform() {
		return model.Decide(w.cspList(0), w.req, tr)
	}
	lists := make([]model.CSPList, len(w.req.URLList))
	for hop := range lists {
		lists[hop] = w.cspList(hop)
	}
	return decideHops(lists, w.req, tr)
}

// uniform reports whether every URL of the list meets the same sources.
func (w *work) uniform() bool {
	same := true
	w.eachItem(func(_ *directiveWork, it *item) {
		for hop := range w.req.URLList {
			if it.liveAt(hop) != it.liveAt(0) {
				same = false
			}
		}
	})
	return same
}

// decideHops decides request as model.Decide does, but checks the URL of
// index i (and, for the last, the response) against lists[i]. It takes a
// list per URL and a request model.Decide accepts that is no WebSocket's.
func decideHops(lists []model.CSPList, request model.Request, tr *model.Trace) (model.Decision, error) {
	all := request.URLList
	if len(all) == 0 || len(lists) != len(all) || request.Mode == "websocket" {
		return model.Decision{Verdict: model.Blocked}, fmt.Errorf("%w: no hop-by-hop decision for this request", model.ErrBadRequest)
	}
	global := &model.GlobalObject{}
	verdict := model.Allowed
	for hop := range all {
		r := request
		r.URLList = all[:hop+1]
		r.RedirectCount = hop
		r.PolicyContainer = &model.PolicyContainer{CSPList: lists[hop]}
		r.Client = global
		model.ReportForRequest(&r, tr)
		if model.ShouldBlockRequest(&r, tr) == model.Blocked {
			verdict = model.Blocked
			break
		}
	}
	if verdict == model.Allowed {
		r := request
		r.RedirectCount = len(all) - 1
		r.PolicyContainer = &model.PolicyContainer{CSPList: lists[len(all)-1]}
		r.Client = global
		if model.ShouldBlockResponse(&model.Response{URLList: all}, &r, tr) == model.Blocked {
			verdict = model.Blocked
		}
	}
	return model.Decision{Verdict: verdict, Violations: global.Reported}, nil
}

// maxItems bounds a directive's source list as rules add to it. The rules
// add a few sources for one (ws: and wss: for *, a port 80 or 443, a
// secure scheme), so a list grows by a small factor at most; the bound
// only keeps a rule that kept adding from running away.
const maxItems = 1 << 16

// addItem adds text to the directive for rule, unless a live source with
// that text is there already; a source another rule added names both.
func (dw *directiveWork) addItem(w *work, rule, from, text string) {
	for _, it := range dw.items {
		if it.text != text || !it.live() {
			continue
		}
		if !it.written && !slices.Contains(it.addedBy, rule) {
			it.addedBy = append(it.addedBy, rule)
			w.note(rule, "%s %s also matches as %s", dw.name, from, text)
		}
		return
	}
	if len(dw.items) >= maxItems {
		return
	}
	dw.items = append(dw.items, &item{text: text, addedBy: []string{rule}})
	w.note(rule, "%s %s also matches as %s", dw.name, from, text)
}

func (w *work) eachDirective(f func(*directiveWork)) {
	for _, p := range w.policies {
		for _, dw := range p.directives {
			f(dw)
		}
	}
}

func (w *work) eachItem(f func(*directiveWork, *item)) {
	w.eachDirective(func(dw *directiveWork) {
		for _, it := range dw.items {
			if it.live() {
				f(dw, it)
			}
		}
	})
}

// cspList builds the CSP list the model decides for the URL of index hop.
func (w *work) cspList(hop int) model.CSPList {
	list := model.CSPList{SelfOrigin: w.self}
	for _, pw := range w.policies {
		p := pw.policy
		p.DirectiveSet = nil
		for _, dw := range pw.directives {
			dir := model.Directive{Name: dw.name, Value: []string{}}
			for _, it := range dw.items {
				if it.liveAt(hop) {
					dir.Value = append(dir.Value, it.text)
				}
			}
			p.DirectiveSet = append(p.DirectiveSet, dir)
		}
		list.Policies = append(list.Policies, p)
	}
	return list
}

// ruleIDs lists the rules that changed the case, in the dialect's order.
func (w *work) ruleIDs(d *Dialect) []string {
	var ids []string
	for _, r := range d.Rules {
		if w.changed[r.ID] {
			ids = append(ids, r.ID)
		}
	}
	return ids
}

// canonical writes the changed case in a form that two orders of the same
// rules must agree on: the origin, the request and each directive's live
// sources, sorted, each with the URLs it does not match.
func (w *work) canonical() string {
	var b strings.Builder
	b.WriteString(w.self.String())
	b.WriteString("\n")
	b.WriteString(w.req.Destination + " " + w.req.Mode)
	for _, u := range w.req.URLList {
		b.WriteString(" " + u.String())
	}
	b.WriteString("\n")
	for _, pw := range w.policies {
		sprintfTo(&b, "%d %s %s:", pw.policy.Delivery, pw.policy.Disposition, pw.policy.Source)
		for _, dw := range pw.directives {
			var live []string
			for _, it := range dw.items {
				if it.live() {
					t := it.text
					for hop := range w.req.URLList {
						if !it.liveAt(hop) {
							t += sprintf("[not %d]", hop)
						}
					}
					live = append(live, t)
				}
			}
			sort.Strings(live)
			b.WriteString(" " + dw.name + " " + strings.Join(live, " ") + ";")
		}
		b.WriteString("\n")
	}
	return b.String()
}

// reportedURI turns a blocked URI the model reports on the changed case
// into the one the engine reports: that of the URL as the page gave it,
// with an IP address as written, a path as encoded, and a WebSocket's ws:
// or wss: URL whole, where the model strips a URL that is not HTTP(S) to
// its scheme.
func (w *work) reportedURI(uri string) string {
	for i, u := range w.req.URLList {
		if i >= len(w.given) || uri != model.StripURLForUseInReports(u) {
			continue
		}
		g := w.given[i]
		if g.Scheme == "ws" || g.Scheme == "wss" {
			g.Username, g.Password = "", ""
			g.Fragment, g.HasFragment = "", false
			return g.String()
		}
		return model.StripURLForUseInReports(g)
	}
	return uri
}
