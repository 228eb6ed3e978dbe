//go:build linux

package browser

import (
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
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
}

// runOptions tune an engine run.
type runOptions struct {
	Settings     pageSettings
	PageTargets  int           // most targets per page
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
	run := &engineRun{Engine: e.Name, Version: e.version(paths), Obs: map[string]observation{}}
	begin := time.Now()
	// Every case gets an observation, whatever ends the run.
	defer func() {
		for _, c := range cases {
			if _, ok := run.Obs[c.Case.ID]; !ok {
				run.Obs[c.Case.ID] = observation{Verdict: Unknown, Reason: "not run: the engine stopped before its page"}
			}
		}
		run.Elapsed = time.Since(begin)
	}()
	base, err := os.MkdirTemp("", "cspmodel-"+e.Name+"-")
	if err != nil {
		return run, err
	}
	defer os.RemoveAll(base)

	plans := planPages(cases, opt.PageTargets)
	type sent struct {
		page  *pageSpec
		cases []browserCase
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
			for ci, c := range plan.cases {
				page.Targets = append(page.Targets, target{Probe: fmt.Sprintf("%s-%d-%d", sess.token, pi, ci), Kind: c.Kind, URLs: c.URLs})
			}
			srv.addPage(page)
			if res, ok := feed(sess, page, procs); ok {
				run.Pages++
				if res.UA != "" {
					run.UA = res.UA
				}
				results[page.ID] = res
				done = append(done, sent{page, plan.cases})
				break
			}
			opt.Logf("%s: page %d (%d targets) got no report; restarting the engine", e.Name, pi, len(plan.cases))
			stop()
			if try == 1 {
				done = append(done, sent{page, plan.cases})
			}
		}
	}
	// Late beacons and pings still count: give them a moment before the
	// engine goes.
	time.Sleep(500 * time.Millisecond)
	stop()
	for _, s := range done {
		collect(srv, s.page, s.cases, results[s.page.ID], run.Obs)
	}
	return run, fatal
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
		id := cases[i].Case.ID
		if pageProblem != "" {
			obs[id] = observation{Verdict: Unknown, Reason: pageProblem}
			continue
		}
		obs[id] = observe(t, byProbe[t.Probe], srv.arrivalsOf(t.Probe))
	}
}

// pagePlan is one page's worth of cases: the same origin and policies.
type pagePlan struct {
	origin   string
	policies []policyDelivery
	cases    []browserCase
}

// planPages groups cases by origin and policies, in the order they come,
// at most max targets to a page.
func planPages(cases []browserCase, max int) []pagePlan {
	if max < 1 {
		max = 1
	}
	var plans []pagePlan
	open := map[string]int{}
	for _, c := range cases {
		key := c.pageKey()
		if i, ok := open[key]; ok && len(plans[i].cases) < max {
			plans[i].cases = append(plans[i].cases, c)
			continue
		}
		open[key] = len(plans)
		plans = append(plans, pagePlan{origin: c.Origin, policies: c.Policies, cases: []browserCase{c}})
	}
	return plans
}

// pageKey identifies the page a case can share.
func (c browserCase) pageKey() string {
	b, _ := json.Marshal(struct {
		O string
		P []policyDelivery
	}{c.Origin, c.Policies})
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
