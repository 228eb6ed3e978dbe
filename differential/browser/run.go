//go:build linux

package browser

import (
	"cmp"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"time"
)

// Verdicts an engine can be observed to give.
const (
	// Allowed: the request reached the server and no enforced policy
	// reported a violation.
	Allowed = "allowed"
	// Blocked: an enforced policy reported a violation and the request
	// never reached the server.
	Blocked = "blocked"
	// NotSent: neither signal. Something other than CSP stopped the request
	// (mixed content, an API that refused the URL), or a silent attempt's
	// event was lost. It is not a CSP verdict.
	NotSent = "not-sent"
	// Unknown: the signals contradict each other, or the page never
	// reported. Never counted as a verdict.
	Unknown = "unknown"
)

// observation is what one engine did with one case.
type observation struct {
	Verdict string `json:"verdict"`
	// Reason explains an unknown or not-sent verdict.
	Reason string `json:"reason,omitempty"`
	// Outcome and Detail are what the API itself reported (load, error,
	// throw, sent, timeout).
	Outcome string `json:"outcome,omitempty"`
	Detail  string `json:"detail,omitempty"`
	// Reached is how many URLs of the list reached the server.
	Reached    int             `json:"reached"`
	Ms         float64         `json:"ms,omitempty"`
	Violations []seenViolation `json:"violations,omitempty"`
	// Seen lists, for a unit of checks, every request of its targets that
	// reached the server.
	Seen []string `json:"seen,omitempty"`
}

// isVerdict reports whether the observation is a CSP verdict.
func (o observation) isVerdict() bool { return o.Verdict == Allowed || o.Verdict == Blocked }

// observe combines a page's report on one target with the server's record
// of what arrived.
func observe(t target, a *attemptResult, arrivals []arrival) observation {
	if a == nil {
		return observation{Verdict: Unknown, Reason: "the page did not report this attempt"}
	}
	o := observation{Outcome: a.Outcome, Detail: a.Detail, Violations: a.Violations, Ms: a.Ms}
	last := len(t.URLs) - 1
	arrived := false
	for _, ar := range arrivals {
		if ar.Hop+1 > o.Reached {
			o.Reached = ar.Hop + 1
		}
		if ar.Hop == last {
			arrived = true
		}
	}
	enforced := 0
	for _, v := range a.Violations {
		if v.Disposition != "report" {
			enforced++
		}
	}
	switch {
	case arrived && enforced == 0:
		o.Verdict = Allowed
	case !arrived && enforced > 0:
		o.Verdict = Blocked
	case arrived && enforced > 0:
		o.Verdict, o.Reason = Unknown, "conflict: the request arrived and an enforced policy reported a violation"
	default:
		o.Verdict, o.Reason = NotSent, fmt.Sprintf("no violation, and the request never reached the server (API: %s %s)", a.Outcome, a.Detail)
	}
	return o
}

// engineRun is what one engine made of a set of cases.
type engineRun struct {
	Engine   string                 `json:"engine"`
	Version  string                 `json:"version"`
	UA       string                 `json:"user_agent"`
	Pages    int                    `json:"pages"`
	Restarts int                    `json:"restarts"`
	Start    time.Duration          `json:"start"` // launch to first page request, first launch
	Elapsed  time.Duration          `json:"elapsed"`
	Obs      map[string]observation `json:"-"` // by case id
	// Profile is where the time went: by kind of page (requests, or the
	// checks of a page of units), the pages, rows and time spent on them.
	Profile map[string]*pageTime `json:"profile,omitempty"`
}

// pageTime is the time an engine spent on one kind of page.
type pageTime struct {
	Pages int           `json:"pages"`
	Rows  int           `json:"rows"`
	Time  time.Duration `json:"time"`
}

// pageKind names a page's kind for the profile: requests, or the checks of
// its units.
func pageKind(plan pagePlan) string {
	if !plan.checks {
		return "requests"
	}
	var ks []string
	for _, c := range plan.cases {
		if k := c.Case.CheckName(); !slices.Contains(ks, k) {
			ks = append(ks, k)
		}
	}
	sort.Strings(ks)
	return "units: " + strings.Join(ks, "+")
}

// profileLine sums up a run's profile in one line, the most time first.
func (run *engineRun) profileLine() string {
	kinds := sortedKeys(run.Profile)
	sort.SliceStable(kinds, func(i, j int) bool { return run.Profile[kinds[i]].Time > run.Profile[kinds[j]].Time })
	parts := []string{fmt.Sprintf("launch %v", run.Start.Round(time.Millisecond))}
	for _, k := range kinds {
		p := run.Profile[k]
		parts = append(parts, fmt.Sprintf("%s: %d pages, %d rows, %v", k, p.Pages, p.Rows, p.Time.Round(100*time.Millisecond)))
	}
	return strings.Join(parts, "; ")
}

// runOptions tune an engine run.
type runOptions struct {
	Settings     pageSettings
	PageTargets  int           // most targets per page
	PageUnits    int           // most units per page of checks
	StartTimeout time.Duration // launch to first page request
	Deadline     time.Time     // pages not started by then are unknown
	MaxRestarts  int
	Logf         func(format string, args ...any)
}

var errEngineDead = errors.New("engine stopped responding")

// runEngine starts an engine, feeds it every case's page in turn, and
// collects an observation per case. A page that gets no report in time
// restarts the engine and is tried once more, then its cases are unknown;
// too many restarts, or the deadline, end the run with an error, and the
// cases not run are unknown.
func runEngine(srv *server, e engine, paths map[string]string, cases []browserCase, opt runOptions) (*engineRun, error) {
	if opt.Logf == nil {
		opt.Logf = func(string, ...any) {}
	}
	run := &engineRun{Engine: e.Name, Version: e.version(paths), Obs: map[string]observation{}, Profile: map[string]*pageTime{}}
	begin := time.Now()
	// Every case gets an observation, whatever ends the run.
	defer func() {
		for _, c := range cases {
			if _, ok := run.Obs[c.ID()]; !ok {
				run.Obs[c.ID()] = observation{Verdict: Unknown, Reason: "not run: the engine stopped before its page"}
			}
		}
		run.Elapsed = time.Since(begin)
	}()
	base, err := os.MkdirTemp("", "cspmodel-"+e.Name+"-")
	if err != nil {
		return run, err
	}
	defer os.RemoveAll(base)

	plans := planPages(cases, opt.PageTargets, opt.PageUnits)
	type sent struct {
		page  *pageSpec
		cases []browserCase
		units []sentUnit
	}
	var done []sent
	var procs []*process
	var sess *session
	stop := func() {
		for _, p := range procs {
			p.stop()
		}
		procs = nil
		if sess != nil {
			close(sess.done)
			sess = nil
		}
	}
	defer stop()
	alive := func() bool {
		for _, p := range procs {
			if p.exited() {
				return false
			}
		}
		return len(procs) > 0
	}
	launches := 0
	start := func() error {
		stop()
		if launches > opt.MaxRestarts {
			return fmt.Errorf("%s: %w after %d restarts", e.Name, errEngineDead, opt.MaxRestarts)
		}
		launches++
		token := fmt.Sprintf("%s%d", e.Name, launches)
		dir := filepath.Join(base, token)
		if err := os.MkdirAll(dir, 0o700); err != nil {
			return err
		}
		sess = srv.newSession(token)
		t0 := time.Now()
		ps, err := e.launch(launch{paths: paths, dir: dir, proxy: srv.addr, startURL: srv.startURL(sess), caPEM: srv.ca.PEM})
		if err != nil {
			return fmt.Errorf("%s: launch: %w", e.Name, err)
		}
		procs = ps
		select {
		case <-sess.contact:
			if launches == 1 {
				run.Start = time.Since(t0)
			}
			return nil
		case <-time.After(opt.StartTimeout):
			tail := ps[0].tail()
			stop()
			return fmt.Errorf("%s: no page request within %v of launch; its log ends:\n%s", e.Name, opt.StartTimeout, tail)
		}
	}
	// The first launch, too, is tried again: on a loaded machine an engine
	// can miss StartTimeout once.
	err = start()
	for err != nil && launches <= opt.MaxRestarts {
		opt.Logf("%v; launching it again", err)
		run.Restarts++
		err = start()
	}
	if err != nil {
		return run, err
	}
	results := map[string]*pageResult{}
	var fatal error
	for pi := 0; pi < len(plans) && fatal == nil; pi++ {
		plan := plans[pi]
		if !opt.Deadline.IsZero() && time.Now().After(opt.Deadline) {
			fatal = fmt.Errorf("%s: out of time after %d of %d pages", e.Name, pi, len(plans))
			break
		}
		// A page that gets no report is tried once more, in a new process.
		for try := 0; try < 2; try++ {
			if !alive() {
				run.Restarts++
				if fatal = start(); fatal != nil {
					break
				}
			}
			page := &pageSpec{
				ID:       fmt.Sprintf("%s.%d", sess.token, pi),
				Origin:   plan.origin,
				Policies: plan.policies,
				Settings: opt.Settings.forTargets(len(plan.cases)),
			}
			var units []sentUnit
			if plan.checks {
				units = prepareUnits(page, plan.cases, opt.Settings, fmt.Sprintf("%s-%d", sess.token, pi))
			} else {
				for ci, c := range plan.cases {
					page.Targets = append(page.Targets, target{Probe: fmt.Sprintf("%s-%d-%d", sess.token, pi, ci), Kind: c.Kind, URLs: c.URLs})
				}
			}
			srv.addPage(page)
			fed := time.Now()
			res, ok := feed(sess, page, procs)
			kind := pageKind(plan)
			if run.Profile[kind] == nil {
				run.Profile[kind] = &pageTime{}
			}
			run.Profile[kind].Time += time.Since(fed)
			if ok {
				run.Profile[kind].Pages++
				run.Profile[kind].Rows += len(plan.cases)
				run.Pages++
				if res.UA != "" {
					run.UA = res.UA
				}
				results[page.ID] = res
				done = append(done, sent{page, plan.cases, units})
				break
			}
			opt.Logf("%s: page %d (%d targets) got no report; restarting the engine", e.Name, pi, len(plan.cases))
			stop()
			if try == 1 {
				done = append(done, sent{page, plan.cases, units})
			}
		}
	}
	// Late beacons and pings still count: give them a moment before the
	// engine goes.
	time.Sleep(500 * time.Millisecond)
	stop()
	for _, s := range done {
		if s.units != nil {
			collectUnits(srv, s.page, s.units, results[s.page.ID], run.Obs)
			continue
		}
		collect(srv, s.page, s.cases, results[s.page.ID], run.Obs)
	}
	return run, fatal
}

// sentUnit is a unit of a page of checks: its probe id, and its rows.
type sentUnit struct {
	probe string
	unit  *checkUnit
	rows  []browserCase
	err   error    // the unit could not be prepared
	tags  []string // the probe tags of its targets
}

// prepareUnits gives each unit of a page of checks its probe id, and adds
// what it prepared (its jsUnit, responses and targets) to the page.
func prepareUnits(page *pageSpec, rows []browserCase, settings pageSettings, prefix string) []sentUnit {
	var units []sentUnit
	index := map[*checkUnit]int{}
	for _, r := range rows {
		if i, ok := index[r.Unit]; ok {
			units[i].rows = append(units[i].rows, r)
			continue
		}
		index[r.Unit] = len(units)
		units = append(units, sentUnit{probe: fmt.Sprintf("%s-%d", prefix, len(units)), unit: r.Unit, rows: []browserCase{r}})
	}
	page.Resources = map[string]*resource{}
	for i := range units {
		su := &units[i]
		p := &prep{probe: su.probe, resources: page.Resources}
		js, err := su.unit.prepare(p)
		if err != nil {
			su.err = err
			continue
		}
		page.Units = append(page.Units, js)
		page.Targets = append(page.Targets, p.targets...)
		for _, t := range p.targets {
			su.tags = append(su.tags, t.Probe)
		}
	}
	page.Settings = settings.forUnits(page.Units)
	return units
}

// collectUnits turns a page of checks' report into observations.
func collectUnits(srv *server, page *pageSpec, units []sentUnit, res *pageResult, obs map[string]observation) {
	byProbe := map[string]*unitReport{}
	pageProblem := ""
	switch {
	case res == nil:
		pageProblem = "the page never reported"
	case res.Error != "":
		pageProblem = "the page failed: " + res.Error
	case res.Origin != page.Origin && !(res.Origin == "null" && units[0].unit.TopOpaque):
		pageProblem = fmt.Sprintf("the page ran at %s, not %s", res.Origin, page.Origin)
	default:
		for i := range res.Units {
			byProbe[res.Units[i].Probe] = &res.Units[i]
		}
	}
	for _, su := range units {
		var out map[string]observation
		switch {
		case su.err != nil:
			out = map[string]observation{}
			for _, r := range su.rows {
				out[r.Aspect] = observation{Verdict: Unknown, Reason: "the unit could not be prepared: " + su.err.Error()}
			}
		case pageProblem != "":
			out = map[string]observation{}
			for _, r := range su.rows {
				out[r.Aspect] = observation{Verdict: Unknown, Reason: pageProblem}
			}
		default:
			out = su.unit.observe(unitRun{Report: byProbe[su.probe], Arrivals: srv.arrivalsOf, Reports: srv.reportsOf(su.probe)})
			var seen []string
			for _, tag := range su.tags {
				for _, a := range srv.arrivalsOf(tag) {
					seen = append(seen, fmt.Sprintf("%s hop %d %s %s://%s:%s origin %q", strings.TrimPrefix(tag, su.probe), a.Hop, a.Method, a.Scheme, a.Host, a.Port, a.Origin))
				}
			}
			for a, o := range out {
				o.Seen = seen
				out[a] = o
			}
		}
		for _, r := range su.rows {
			o, ok := out[r.Aspect]
			if !ok {
				o = observation{Verdict: Unknown, Reason: "the unit said nothing of aspect " + r.Aspect}
			}
			obs[r.ID()] = o
		}
	}
}

// feed sends the engine to a page and waits for its report. It gives up
// when the engine does not ask for the page, does not report in time, or
// exits.
func feed(sess *session, page *pageSpec, procs []*process) (*pageResult, bool) {
	exited := make(chan struct{})
	stopWatch := make(chan struct{})
	defer close(stopWatch)
	var once sync.Once
	for _, p := range procs {
		go func() {
			select {
			case <-p.done:
				once.Do(func() { close(exited) })
			case <-stopWatch:
			}
		}()
	}
	select {
	case sess.next <- page.url():
	case <-exited:
		return nil, false
	case <-time.After(30 * time.Second):
		return nil, false
	}
	select {
	case res := <-page.result:
		return &res, true
	case <-exited:
		return nil, false
	case <-time.After(time.Duration(page.Settings.Page)*time.Millisecond + 15*time.Second):
		return nil, false
	}
}

// collect turns one page's report into observations.
func collect(srv *server, page *pageSpec, cases []browserCase, res *pageResult, obs map[string]observation) {
	byProbe := map[string]*attemptResult{}
	pageProblem := ""
	switch {
	case res == nil:
		pageProblem = "the page never reported"
	case res.Error != "":
		pageProblem = "the page failed: " + res.Error
	case res.Origin != page.Origin:
		pageProblem = fmt.Sprintf("the page ran at %s, not %s", res.Origin, page.Origin)
	default:
		for i := range res.Attempts {
			byProbe[res.Attempts[i].Probe] = &res.Attempts[i]
		}
	}
	for i, t := range page.Targets {
		id := cases[i].ID()
		if pageProblem != "" {
			obs[id] = observation{Verdict: Unknown, Reason: pageProblem}
			continue
		}
		obs[id] = observe(t, byProbe[t.Probe], srv.arrivalsOf(t.Probe))
	}
}

// pagePlan is one page's worth of cases: the same origin and policies,
// and either requests or units of checks.
type pagePlan struct {
	origin   string
	policies []policyDelivery
	checks   bool
	cases    []browserCase
	units    int
}

// planPages groups cases by origin and policies, in the order they come,
// at most max targets (or maxUnits units of checks) to a page; the rows of
// one unit stay together.
func planPages(cases []browserCase, max, maxUnits int) []pagePlan {
	max, maxUnits = cmp.Or(max, 1), cmp.Or(maxUnits, 1)
	var plans []pagePlan
	open := map[string]int{}
	for i, c := range cases {
		key := c.pageKey()
		if c.Unit != nil && i > 0 && cases[i-1].Unit == c.Unit {
			p := &plans[open[key]]
			p.cases = append(p.cases, c)
			continue
		}
		if i, ok := open[key]; ok {
			p := &plans[i]
			if (!p.checks && len(p.cases) < max) || (p.checks && p.units < maxUnits) {
				p.cases = append(p.cases, c)
				p.units++
				continue
			}
		}
		open[key] = len(plans)
		plans = append(plans, pagePlan{origin: c.Origin, policies: c.Policies, checks: c.Unit != nil, cases: []browserCase{c}, units: 1})
	}
	return plans
}

// pageKey identifies the page a case can share.
func (c browserCase) pageKey() string {
	b, _ := json.Marshal(struct {
		C bool
		O string
		P []policyDelivery
	}{c.Unit != nil, c.Origin, c.Policies})
	return string(b)
}

// sortedKeys returns a map's keys in order.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
