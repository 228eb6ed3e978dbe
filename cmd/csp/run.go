package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"syscall"
	"time"

	"github.com/cspmodel/cspmodel/corpus"
)

// csp vectors run: feed cases to an implementation under test, read its
// results as a stream, compare them with the model's field by field, shrink
// each disagreement while it keeps its kind, and label it with the spec step
// that decided it.

// Exit statuses of csp vectors run.
const (
	runAgree    = 0 // every compared case agrees
	runDisagree = 1 // some case disagrees
	runHarness  = 2 // the harness could not compare: bad usage, bad vectors, or an implementation that crashed, failed or wrote what is not a result
)

// runReport is the outcome of csp vectors run, also its --json output.
type runReport struct {
	Implementation string         `json:"implementation"`
	Reference      string         `json:"reference,omitempty"` // what the implementation is compared with, when not the model
	Fields         []string       `json:"fields"`
	Cases          int            `json:"cases"`
	Agree          int            `json:"agree"`
	Unsupported    []unsupported  `json:"unsupported"`
	Disagreements  []disagreement `json:"disagreements"`
	ByRule         []ruleCount    `json:"by_rule"`
	Stale          []string       `json:"stale_expectations,omitempty"`
}

type unsupported struct {
	ID     string `json:"id"`
	Reason string `json:"reason"`
}

type disagreement struct {
	ID          string              `json:"id"`
	Kind        string              `json:"kind"`
	Rule        string              `json:"rule"`
	Differences []corpus.Difference `json:"differences"`
	Case        corpus.Case         `json:"case"`
	Minimized   corpus.Case         `json:"minimized"`
	Model       corpus.Result       `json:"model"`
	Impl        corpus.Result       `json:"implementation"`
}

type ruleCount struct {
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

// errHarness is wrapped by every error that means the implementation could
// not be compared at all.
var errHarness = errors.New("cannot compare")

func vectorsRun(args []string, stdout, stderr io.Writer) int {
	fs := newVectorFlags("run", stderr)
	impl := fs.String("impl", "", "the implementation's `COMMAND` (run with sh -c): JSON-lines cases on stdin, results on stdout")
	file := fs.String("vectors", "", "read the cases from `FILE` (- for standard input) instead of the pinned set")
	verdictOnly := fs.Bool("verdict-only", false, "compare verdicts only (the same as --fields verdict)")
	fieldList := fs.String("fields", "", "compare only these `FIELDS`, comma-separated: verdict, and the violation fields policy, original_policy, directive, effective_directive, disposition, blocked_uri, check, redirect_count (or violations for all of them); default all")
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	timeout := fs.Duration("timeout", 10*time.Minute, "kill COMMAND (its whole process group) after this long, per run")
	minimizeMax := fs.Int("minimize", 25, "minimize the first `N` disagreements (each takes a few runs of COMMAND)")
	dialectName := fs.String("dialect", "", dialectUsage+"; compares verdicts only")
	if code, ok := parseVectorFlags(fs, args, stderr); !ok {
		return code
	}
	if *impl == "" {
		fmt.Fprintln(stderr, "csp vectors run: --impl is required")
		return exitUsage
	}
	var fields []string
	switch {
	case *verdictOnly && *fieldList != "":
		fmt.Fprintln(stderr, "csp vectors run: --verdict-only and --fields do not go together")
		return exitUsage
	case *verdictOnly:
		fields = []string{"verdict"}
	case *fieldList != "":
		var err error
		if fields, err = corpus.ParseFields(*fieldList); err != nil {
			fmt.Fprintln(stderr, "csp vectors run: --fields:", err)
			return exitUsage
		}
	default:
		fields = corpus.Fields
	}
	var data []byte
	var err error
	switch *file {
	case "":
		data = corpus.PinnedVectors
	case "-":
		data, err = io.ReadAll(os.Stdin)
	default:
		data, err = os.ReadFile(*file)
	}
	if err != nil {
		fmt.Fprintln(stderr, "csp vectors run:", err)
		return runHarness
	}
	cases, err := decodeCases(data)
	if err != nil {
		fmt.Fprintln(stderr, "csp vectors run:", err)
		return runHarness
	}
	r := &runner{command: *impl, timeout: *timeout, fields: fields, minimizeMax: *minimizeMax}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if d, ok := dialectFlag("vectors run", *dialectName, set["dialect"], "", stderr); !ok {
		return exitUsage
	} else if d != nil {
		if set["fields"] {
			fmt.Fprintln(stderr, "csp vectors run: --dialect compares verdicts only and does not go with --fields")
			return exitUsage
		}
		r.useDialect(d)
	}
	rep, err := r.run(cases)
	if err != nil {
		fmt.Fprintln(stderr, "csp vectors run:", err)
		return runHarness
	}
	out := &errWriter{w: stdout}
	if *jsonOut {
		_ = newEncoder(out).Encode(rep)
	} else {
		printRunReport(out, rep)
	}
	if out.err != nil {
		fmt.Fprintln(stderr, "csp vectors run:", out.err)
		return runHarness
	}
	if len(rep.Disagreements) > 0 {
		return runDisagree
	}
	return runAgree
}

func decodeCases(data []byte) ([]corpus.Case, error) {
	var cases []corpus.Case
	seen := map[string]bool{}
	lr := corpus.NewLineReader(bytes.NewReader(data), corpus.MaxLine)
	for {
		line, n, err := lr.Next()
		if err == io.EOF {
			return cases, nil
		}
		if err != nil {
			return nil, err
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		c, err := corpus.DecodeCase(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", n, err)
		}
		if c.ID == "" || seen[c.ID] {
			return nil, fmt.Errorf("line %d: the id %q is empty or not unique", n, c.ID)
		}
		seen[c.ID] = true
		cases = append(cases, c)
	}
}

// runner feeds cases to an implementation and compares with the model.
type runner struct {
	command     string
	timeout     time.Duration
	fields      []string
	minimizeMax int // how many disagreements to minimize

	// reference decides what the implementation is compared with, and
	// label names the rule behind a disagreement of a kind; nil for the
	// model and ruleOf. referenceName says what it is.
	reference     corpus.Decider
	referenceName string
	label         func(c corpus.Case, kind string) string
}

// decideReference decides c as the reference does.
func (r *runner) decideReference(c corpus.Case) corpus.Result {
	if r.reference != nil {
		return r.reference(c)
	}
	return corpus.RunModel(c, nil)
}

// decide runs the implementation once on cases and returns its results by
// id. It reads the implementation's output as it comes, one bounded line at
// a time, and stops it (its whole process group) at the first line that is
// not a result, a result for no case or for a case already answered, more
// lines than cases, or when the timeout passes; every such failure, a
// non-zero exit and a case left unanswered is an error wrapping errHarness
// that says which.
func (r *runner) decide(cases []corpus.Case) (map[string]corpus.Result, error) {
	var in bytes.Buffer
	enc := newEncoder(&in)
	wanted := map[string]bool{}
	for _, c := range cases {
		c.Expect = nil // the implementation must not see the answer
		if err := enc.Encode(c); err != nil {
			return nil, err
		}
		wanted[c.ID] = true
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", r.command)
	// The implementation and everything it starts share a process group of
	// their own, so that stopping it stops them all.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 2 * time.Second
	cmd.Stdin = &in
	errTail := &tailBuffer{max: 4000}
	cmd.Stderr = errTail
	pr, pw := io.Pipe()
	cmd.Stdout = pw
	if err := cmd.Start(); err != nil {
		return nil, fmt.Errorf("%w: %s: %v", errHarness, r.command, err)
	}
	type outcome struct {
		results map[string]corpus.Result
		err     error
	}
	done := make(chan outcome, 1)
	go func() {
		results := map[string]corpus.Result{}
		err := r.readResults(pr, wanted, results)
		if err != nil {
			cancel() // stop the implementation: its output cannot be trusted
		}
		pr.CloseWithError(errors.New("not read")) // let the copy to pw end
		done <- outcome{results, err}
	}()
	waitErr := cmd.Wait()
	pw.Close()
	o := <-done
	stderrTail := ""
	if s := strings.TrimSpace(errTail.String()); s != "" {
		stderrTail = "\nits standard error ends with:\n" + s
	}
	switch {
	case ctx.Err() == context.DeadlineExceeded:
		return nil, fmt.Errorf("%w: %s: killed after --timeout %s (%d of %d results read)%s", errHarness, r.command, r.timeout, len(o.results), len(cases), stderrTail)
	case o.err != nil:
		return nil, fmt.Errorf("%w: %s: %v%s", errHarness, r.command, o.err, stderrTail)
	case waitErr != nil:
		return nil, fmt.Errorf("%w: %s: %v (the protocol asks for exit status 0)%s", errHarness, r.command, waitErr, stderrTail)
	}
	for _, c := range cases {
		if _, ok := o.results[c.ID]; !ok {
			return nil, fmt.Errorf("%w: %s: too few lines: no result for case %q (%d results for %d cases)%s", errHarness, r.command, c.ID, len(o.results), len(cases), stderrTail)
		}
	}
	return o.results, nil
}

// readResults reads result lines into results until the end of the stream,
// and fails on the first line that breaks the protocol.
func (r *runner) readResults(out io.Reader, wanted map[string]bool, results map[string]corpus.Result) error {
	lr := corpus.NewLineReader(out, corpus.MaxLine)
	lr.StopAtLongLine = true
	for {
		line, n, err := lr.Next()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return fmt.Errorf("output %w", err)
		}
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		res, err := corpus.DecodeResult(line)
		if err != nil {
			return fmt.Errorf("output line %d is not a result (%v): %q", n, err, tail(string(line), 200))
		}
		switch {
		case !wanted[res.ID]:
			return fmt.Errorf("output line %d answers case %q, which it was not given", n, res.ID)
		case results[res.ID].ID != "":
			return fmt.Errorf("output line %d answers case %q a second time", n, res.ID)
		}
		results[res.ID] = res
	}
}

// tailBuffer keeps the last max bytes written to it.
type tailBuffer struct {
	max int
	buf []byte
}

func (t *tailBuffer) Write(p []byte) (int, error) {
	t.buf = append(t.buf, p...)
	if len(t.buf) > t.max {
		t.buf = append(t.buf[:0], t.buf[len(t.buf)-t.max:]...)
	}
	return len(p), nil
}

func (t *tailBuffer) String() string { return string(t.buf) }

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

func (r *runner) run(cases []corpus.Case) (*runReport, error) {
	results, err := r.decide(cases)
	if err != nil {
		return nil, err
	}
	rep := &runReport{Implementation: r.command, Reference: r.referenceName, Fields: r.fields, Cases: len(cases), Unsupported: []unsupported{}, Disagreements: []disagreement{}, ByRule: []ruleCount{}}
	rules := map[string]int{}
	for _, c := range cases {
		want := r.decideReference(c)
		if c.Expect != nil && r.reference == nil && c.Check(want) != "" {
			rep.Stale = append(rep.Stale, c.ID)
		}
		got := results[c.ID]
		switch {
		case got.Unsupported != "":
			rep.Unsupported = append(rep.Unsupported, unsupported{c.ID, got.Unsupported})
			continue
		case want.Unsupported != "":
			// The reference (a dialect) has no answer of its own here.
			rep.Unsupported = append(rep.Unsupported, unsupported{c.ID, "reference: " + want.Unsupported})
			continue
		}
		diffs := corpus.Compare(want, got, r.fields)
		if len(diffs) == 0 {
			rep.Agree++
			continue
		}
		d := disagreement{ID: c.ID, Kind: corpus.Kind(diffs), Differences: diffs, Case: c, Minimized: c, Model: want, Impl: got}
		if len(rep.Disagreements) < r.minimizeMax {
			if d.Minimized, d.Model, d.Impl, err = r.minimize(c, d.Kind, want, got); err != nil {
				return nil, err
			}
			d.Differences = corpus.Compare(d.Model, d.Impl, r.fields)
		}
		if r.label != nil {
			d.Rule = r.label(d.Minimized, d.Kind)
		} else {
			d.Rule = ruleOf(d.Minimized, d.Kind)
		}
		rules[d.Rule]++
		rep.Disagreements = append(rep.Disagreements, d)
	}
	for rule, n := range rules {
		rep.ByRule = append(rep.ByRule, ruleCount{rule, n})
	}
	sort.Slice(rep.ByRule, func(i, j int) bool {
		if rep.ByRule[i].Count != rep.ByRule[j].Count {
			return rep.ByRule[i].Count > rep.ByRule[j].Count
		}
		return rep.ByRule[i].Rule < rep.ByRule[j].Rule
	})
	return rep, nil
}

// minimize shrinks a case on which the implementation disagrees with the
// model: in rounds, it tries every case one simplification away (a policy,
// a directive, a source expression or an earlier URL dropped; a query or
// fragment removed), runs the implementation once on all of them, and goes
// on from the first that still disagrees in the same way (a difference of
// the same kind: a violation field that differs must not shrink into a
// verdict that differs), until none does. It returns the smallest case with
// the model's and the implementation's results on it.
func (r *runner) minimize(c corpus.Case, kind string, model, impl corpus.Result) (corpus.Case, corpus.Result, corpus.Result, error) {
	for round := 0; round < 64; round++ {
		candidates := simplifications(c)
		if len(candidates) == 0 {
			break
		}
		results, err := r.decide(candidates)
		if err != nil {
			return c, model, impl, err
		}
		found := false
		for _, cand := range candidates {
			got := results[cand.ID]
			m := r.decideReference(cand)
			if got.Unsupported != "" || m.Unsupported != "" {
				continue
			}
			if corpus.Kind(corpus.Compare(m, got, r.fields)) == kind {
				c, model, impl, found = cand, m, got, true
				break
			}
		}
		if !found {
			break
		}
	}
	return c, model, impl, nil
}

// simplifications lists the cases one step simpler than c, each with an id
// of its own.
func simplifications(c corpus.Case) []corpus.Case {
	var out []corpus.Case
	add := func(mod func(*corpus.Case)) {
		d := c
		d.Policies = append([]corpus.PolicyInput(nil), c.Policies...)
		d.Request.URLList = append([]string(nil), c.Request.URLList...)
		d.Expect = nil
		mod(&d)
		d.ID = fmt.Sprintf("%s~%d", c.ID, len(out))
		out = append(out, d)
	}
	for i := range c.Policies {
		add(func(d *corpus.Case) { d.Policies = append(d.Policies[:i], d.Policies[i+1:]...) })
	}
	for i, p := range c.Policies {
		directives := splitDirectives(p.Value)
		if len(directives) > 1 {
			for j := range directives {
				add(func(d *corpus.Case) {
					d.Policies[i].Value = strings.Join(append(append([]string(nil), directives[:j]...), directives[j+1:]...), "; ")
				})
			}
		}
		for j, dir := range directives {
			words := strings.Fields(dir)
			for k := 1; k < len(words); k++ {
				add(func(d *corpus.Case) {
					w := append(append([]string(nil), words[:k]...), words[k+1:]...)
					ds := append([]string(nil), directives...)
					ds[j] = strings.Join(w, " ")
					d.Policies[i].Value = strings.Join(ds, "; ")
				})
			}
		}
		if p.Disposition == "report" {
			add(func(d *corpus.Case) { d.Policies[i].Disposition = "enforce" })
		}
		if p.Source == "meta" {
			add(func(d *corpus.Case) { d.Policies[i].Source = "header" })
		}
	}
	urls := c.Request.URLList
	for i := 0; i+1 < len(urls); i++ {
		add(func(d *corpus.Case) { d.Request.URLList = append(d.Request.URLList[:i], d.Request.URLList[i+1:]...) })
	}
	for i, u := range urls {
		if k := strings.IndexAny(u, "?#"); k >= 0 && !strings.HasPrefix(u, "data:") {
			add(func(d *corpus.Case) { d.Request.URLList[i] = u[:k] })
		}
	}
	return append(out, checkSimplifications(c, len(out))...)
}

// splitDirectives splits a policy on ';' into its non-empty directives.
func splitDirectives(policy string) []string {
	var out []string
	for _, d := range strings.FieldsFunc(policy, func(r rune) bool { return r == ';' }) {
		if strings.TrimSpace(d) != "" {
			out = append(out, strings.TrimSpace(d))
		}
	}
	return out
}

func printRunReport(w io.Writer, rep *runReport) {
	fmt.Fprintf(w, "implementation: %s\n", rep.Implementation)
	ref := "model"
	if rep.Reference != "" {
		fmt.Fprintf(w, "compared with: %s, verdicts only\n", rep.Reference)
		ref = "dialect"
	} else if len(rep.Fields) < len(corpus.Fields) {
		fmt.Fprintf(w, "fields compared: %s\n", strings.Join(rep.Fields, ", "))
	}
	compared := rep.Cases - len(rep.Unsupported)
	fmt.Fprintf(w, "cases: %d, agree: %d (%.2f%% of %d compared), disagree: %d, unsupported: %d\n",
		rep.Cases, rep.Agree, 100*float64(rep.Agree)/float64(max(compared, 1)), compared, len(rep.Disagreements), len(rep.Unsupported))
	if len(rep.Stale) > 0 {
		fmt.Fprintf(w, "note: %d cases carry an expectation the model no longer gives (regenerate them): %s\n", len(rep.Stale), strings.Join(firstN(rep.Stale, 5), ", "))
	}
	for _, d := range rep.Disagreements {
		fmt.Fprintf(w, "\n== %s (%s)\n", d.ID, d.Rule)
		for _, diff := range d.Differences {
			fmt.Fprintf(w, "differs: %s\n", diff)
		}
		m := d.Minimized
		m.Expect = nil
		b, _ := jsonMarshal(m)
		fmt.Fprintf(w, "minimized case: %s\n", b)
		fmt.Fprintf(w, "  %-16s%s\n", ref+":", resultLine(d.Model))
		fmt.Fprintf(w, "  implementation: %s\n", resultLine(d.Impl))
	}
	if len(rep.ByRule) > 0 {
		fmt.Fprintf(w, "\ndisagreements by %s rule:\n", map[string]string{"model": "spec", "dialect": "dialect"}[ref])
		for _, rc := range rep.ByRule {
			fmt.Fprintf(w, "  %5d  %s\n", rc.Count, rc.Rule)
		}
	}
	if len(rep.Unsupported) > 0 {
		reasons := map[string]int{}
		for _, u := range rep.Unsupported {
			reasons[u.Reason]++
		}
		fmt.Fprintln(w, "\nunsupported, by reason:")
		for _, reason := range sortedByCount(reasons) {
			fmt.Fprintf(w, "  %5d  %s\n", reasons[reason], reason)
		}
	}
}

func sortedByCount(m map[string]int) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if m[keys[i]] != m[keys[j]] {
			return m[keys[i]] > m[keys[j]]
		}
		return keys[i] < keys[j]
	})
	return keys
}

func resultLine(r corpus.Result) string {
	switch {
	case r.Error != "":
		return "error: " + r.Error
	case r.Unsupported != "":
		return "unsupported: " + r.Unsupported
	}
	var parts []string
	for _, v := range r.Violations {
		parts = append(parts, v.String())
	}
	if len(parts) == 0 {
		return r.Verdict
	}
	return r.Verdict + "; " + strings.Join(parts, "; ")
}

func firstN(s []string, n int) []string {
	if len(s) > n {
		return append(s[:n:n], "…")
	}
	return s
}

// errWriter remembers the first error of the writes through it, so that a
// command can print freely and report a failed write (a full disk, a closed
// pipe) once, as a non-zero exit status.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) Write(p []byte) (int, error) {
	if e.err != nil {
		return 0, e.err
	}
	n, err := e.w.Write(p)
	e.err = err
	return n, err
}
