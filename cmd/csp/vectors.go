package main

import (
	"bufio"
	"bytes"
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"sort"
	"strings"
	"time"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
	"github.com/cspmodel/cspmodel/model"
)

const vectorsUsage = `usage: csp vectors export [--prefix PREFIX]
       csp vectors generate [--count N] [--seed S] [--no-corpus]
       csp vectors run --impl COMMAND [--vectors FILE] [--verdict-only] [--dialect BROWSER] [--json]

export    writes every case of the corpus (corpus/**/*.txtar) as one JSON line
          in the public vector format (docs/vectors.md), with its expectation.
generate  writes the corpus cases, then N cases drawn from the property
          generators with seed S, each with the model's verdict and
          violations as its expectation (verdict "error" for a request the
          API or Fetch refuses). The same N and S give the same lines.
run       feeds vectors (by default the pinned set, corpus/vectors/) to
          COMMAND, run with sh -c, on its standard input, reads one JSON
          result per line from its standard output, and compares each with
          the model's. Every disagreement is minimized (policies, directives,
          sources and URLs are dropped while COMMAND still disagrees) and
          printed as a case; a summary counts them by the spec rule the model
          applied. The exit status is 0 when all agree, 1 otherwise. With
          --dialect chromium, firefox or webkit, the verdicts are compared
          with that browser's dialect instead of the model.
`

func runVectors(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, vectorsUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "export":
		return vectorsExport(args[1:], stdout, stderr)
	case "generate":
		return vectorsGenerate(args[1:], stdout, stderr)
	case "run":
		return vectorsRun(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "csp vectors: unknown subcommand %q\n\n%s", args[0], vectorsUsage)
	return exitUsage
}

func newVectorFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("vectors "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, vectorsUsage)
		fs.PrintDefaults()
	}
	return fs
}

func parseVectorFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	if code, ok := parseFlags(fs, args, exitUsage); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "csp %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return 0, true
}

func vectorsExport(args []string, stdout, stderr io.Writer) int {
	fs := newVectorFlags("export", stderr)
	prefix := fs.String("prefix", "", "export only the cases whose id starts with `PREFIX`")
	if code, ok := parseVectorFlags(fs, args, stderr); !ok {
		return code
	}
	cases, err := corpus.Load()
	if err != nil {
		fmt.Fprintln(stderr, "csp vectors:", err)
		return exitInput
	}
	enc := newEncoder(stdout)
	for _, c := range cases {
		if !strings.HasPrefix(c.ID, *prefix) {
			continue
		}
		if err := enc.Encode(c); err != nil {
			fmt.Fprintln(stderr, "csp vectors:", err)
			return exitInput
		}
	}
	return exitOK
}

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// Generate writes the corpus cases (unless noCorpus) and count generated
// cases from seed, each with the model's decision as its expectation.
func Generate(w io.Writer, count int, seed int64, noCorpus bool) error {
	var cases []corpus.Case
	if !noCorpus {
		var err error
		if cases, err = corpus.Load(); err != nil {
			return err
		}
	}
	for i, r := range differential.Generate(seed, count) {
		c := r.Build(fmt.Sprintf("generated/%d/%d", seed, i))
		c.Source = fmt.Sprintf("csp vectors generate --seed %d", seed)
		c.Expect = nil
		cases = append(cases, c)
	}
	enc := newEncoder(w)
	for _, c := range cases {
		if c.Expect == nil {
			c.Expect = corpus.RunModel(c, nil).Expectation()
		}
		if err := enc.Encode(c); err != nil {
			return err
		}
	}
	return nil
}

func vectorsGenerate(args []string, stdout, stderr io.Writer) int {
	fs := newVectorFlags("generate", stderr)
	count := fs.Int("count", 1000, "how many cases to generate")
	seed := fs.Int64("seed", 1, "the generators' `seed`")
	noCorpus := fs.Bool("no-corpus", false, "write only the generated cases")
	if code, ok := parseVectorFlags(fs, args, stderr); !ok {
		return code
	}
	if *count < 0 {
		fmt.Fprintln(stderr, "csp vectors generate: --count must not be negative")
		return exitUsage
	}
	bw := bufio.NewWriter(stdout)
	if err := Generate(bw, *count, *seed, *noCorpus); err != nil {
		fmt.Fprintln(stderr, "csp vectors generate:", err)
		return exitInput
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(stderr, "csp vectors generate:", err)
		return exitInput
	}
	return exitOK
}

// runReport is the outcome of csp vectors run, also its --json output.
type runReport struct {
	Implementation string         `json:"implementation"`
	Reference      string         `json:"reference,omitempty"` // what the implementation is compared with, when not the model
	Cases          int            `json:"cases"`
	Agree          int            `json:"agree"`
	Disagreements  []disagreement `json:"disagreements"`
	ByRule         []ruleCount    `json:"by_rule"`
	Stale          []string       `json:"stale_expectations,omitempty"`
}

type disagreement struct {
	ID        string        `json:"id"`
	Rule      string        `json:"rule"`
	Case      corpus.Case   `json:"case"`
	Minimized corpus.Case   `json:"minimized"`
	Model     corpus.Result `json:"model"`
	Impl      corpus.Result `json:"implementation"`
}

type ruleCount struct {
	Rule  string `json:"rule"`
	Count int    `json:"count"`
}

func vectorsRun(args []string, stdout, stderr io.Writer) int {
	fs := newVectorFlags("run", stderr)
	impl := fs.String("impl", "", "the implementation's `COMMAND` (run with sh -c): JSON-lines cases on stdin, results on stdout")
	file := fs.String("vectors", "", "read the cases from `FILE` (- for standard input) instead of the pinned set")
	verdictOnly := fs.Bool("verdict-only", false, "compare verdicts only, not the violations reported")
	jsonOut := fs.Bool("json", false, "print the report as JSON")
	timeout := fs.Duration("timeout", 10*time.Minute, "give up on COMMAND after this long, per run")
	minimizeMax := fs.Int("minimize", 25, "minimize the first `N` disagreements (each takes a few runs of COMMAND)")
	dialectName := fs.String("dialect", "", dialectUsage+"; compares verdicts only")
	if code, ok := parseVectorFlags(fs, args, stderr); !ok {
		return code
	}
	if *impl == "" {
		fmt.Fprintln(stderr, "csp vectors run: --impl is required")
		return exitUsage
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
		return exitInput
	}
	cases, err := decodeCases(data)
	if err != nil {
		fmt.Fprintln(stderr, "csp vectors run:", err)
		return exitInput
	}
	r := &runner{command: *impl, timeout: *timeout, verdictOnly: *verdictOnly, minimizeMax: *minimizeMax}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	if d, ok := dialectFlag("vectors run", *dialectName, set["dialect"], "", stderr); !ok {
		return exitUsage
	} else if d != nil {
		r.useDialect(d)
	}
	rep, err := r.run(cases)
	if err != nil {
		fmt.Fprintln(stderr, "csp vectors run:", err)
		return exitInput
	}
	if *jsonOut {
		if err := newEncoder(stdout).Encode(rep); err != nil {
			fmt.Fprintln(stderr, "csp vectors run:", err)
			return exitInput
		}
	} else {
		printRunReport(stdout, rep)
	}
	if len(rep.Disagreements) > 0 {
		return exitInput
	}
	return exitOK
}

func decodeCases(data []byte) ([]corpus.Case, error) {
	var cases []corpus.Case
	seen := map[string]bool{}
	for i, line := range bytes.Split(data, []byte("\n")) {
		line = bytes.TrimSpace(line)
		if len(line) == 0 {
			continue
		}
		c, err := corpus.DecodeCase(line)
		if err != nil {
			return nil, fmt.Errorf("line %d: %w", i+1, err)
		}
		if c.ID == "" || seen[c.ID] {
			return nil, fmt.Errorf("line %d: the id %q is empty or not unique", i+1, c.ID)
		}
		seen[c.ID] = true
		cases = append(cases, c)
	}
	return cases, nil
}

// runner feeds cases to an implementation and compares with the model.
type runner struct {
	command     string
	timeout     time.Duration
	verdictOnly bool
	minimizeMax int // how many disagreements to minimize

	// reference decides what the implementation is compared with, and
	// label names the rule behind a disagreement; nil for the model and
	// ruleOf. referenceName says what it is.
	reference     corpus.Decider
	referenceName string
	label         func(corpus.Case) string
}

// decideReference decides c as the reference does.
func (r *runner) decideReference(c corpus.Case) corpus.Result {
	if r.reference != nil {
		return r.reference(c)
	}
	return corpus.RunModel(c, nil)
}

// decide runs the implementation once on cases and returns its results by
// id. A case it answers with no line, or with a line for an unknown id,
// makes the run fail: the protocol is one result per case.
func (r *runner) decide(cases []corpus.Case) (map[string]corpus.Result, error) {
	var in bytes.Buffer
	enc := newEncoder(&in)
	for _, c := range cases {
		c.Expect = nil // the implementation must not see the answer
		if err := enc.Encode(c); err != nil {
			return nil, err
		}
	}
	ctx, cancel := context.WithTimeout(context.Background(), r.timeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, "sh", "-c", r.command)
	cmd.Stdin = &in
	var out, errOut bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &errOut
	if err := cmd.Run(); err != nil {
		return nil, fmt.Errorf("%s: %v\n%s", r.command, err, tail(errOut.String(), 2000))
	}
	results := map[string]corpus.Result{}
	sc := bufio.NewScanner(&out)
	sc.Buffer(make([]byte, 0, 1<<16), 64<<20)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		var res corpus.Result
		if err := json.Unmarshal(line, &res); err != nil {
			return nil, fmt.Errorf("%s wrote a line that is not a result: %q: %v", r.command, tail(string(line), 200), err)
		}
		results[res.ID] = res
	}
	for _, c := range cases {
		if _, ok := results[c.ID]; !ok {
			return nil, fmt.Errorf("%s wrote no result for case %q (%d results for %d cases)", r.command, c.ID, len(results), len(cases))
		}
	}
	return results, nil
}

func tail(s string, n int) string {
	if len(s) > n {
		return "…" + s[len(s)-n:]
	}
	return s
}

// agree compares an implementation's result with the model's.
func (r *runner) agree(model, impl corpus.Result) bool {
	if model.Error != "" || impl.Error != "" {
		return (model.Error == "") == (impl.Error == "")
	}
	if model.Verdict != impl.Verdict {
		return false
	}
	if r.verdictOnly {
		return true
	}
	if len(model.Violations) != len(impl.Violations) {
		return false
	}
	for i := range model.Violations {
		if model.Violations[i] != impl.Violations[i] {
			return false
		}
	}
	return true
}

func (r *runner) run(cases []corpus.Case) (*runReport, error) {
	results, err := r.decide(cases)
	if err != nil {
		return nil, err
	}
	rep := &runReport{Implementation: r.command, Reference: r.referenceName, Cases: len(cases), Disagreements: []disagreement{}, ByRule: []ruleCount{}}
	rules := map[string]int{}
	for _, c := range cases {
		want := r.decideReference(c)
		if c.Expect != nil && r.reference == nil && c.Check(want) != "" {
			rep.Stale = append(rep.Stale, c.ID)
		}
		got := results[c.ID]
		if r.agree(want, got) {
			rep.Agree++
			continue
		}
		d := disagreement{ID: c.ID, Case: c, Minimized: c, Model: want, Impl: got}
		if len(rep.Disagreements) < r.minimizeMax {
			if d.Minimized, d.Model, d.Impl, err = r.minimize(c, want, got); err != nil {
				return nil, err
			}
		}
		if r.label != nil {
			d.Rule = r.label(d.Minimized)
		} else {
			d.Rule = ruleOf(d.Minimized)
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
// on from the first that still disagrees, until none does. It returns the
// smallest case with the model's and the implementation's results on it.
func (r *runner) minimize(c corpus.Case, model, impl corpus.Result) (corpus.Case, corpus.Result, corpus.Result, error) {
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
			if m := r.decideReference(cand); !r.agree(m, results[cand.ID]) {
				c, model, impl, found = cand, m, results[cand.ID], true
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
	return out
}

// splitDirectives splits a policy on ';' (and ',' for header lists) into its
// non-empty directives.
func splitDirectives(policy string) []string {
	var out []string
	for _, d := range strings.FieldsFunc(policy, func(r rune) bool { return r == ';' }) {
		if strings.TrimSpace(d) != "" {
			out = append(out, strings.TrimSpace(d))
		}
	}
	return out
}

// ruleOf names the spec rule the model applied last on a case: the deepest
// numbered step of a matching algorithm in its trace, or the refusal, or the
// last numbered step.
func ruleOf(c corpus.Case) string {
	var tr model.Trace
	res := corpus.RunModel(c, &tr)
	if res.Error != "" {
		if strings.Contains(res.Error, "the API throws") {
			return "the API refuses the URL"
		}
		return "the request cannot be made"
	}
	best, bestDepth := "", -1
	last := ""
	for _, s := range tr.Steps {
		if s.Step == "" {
			continue
		}
		name := "#" + s.Anchor + " step " + s.Step
		last = name
		if strings.HasPrefix(s.Anchor, "match-") && s.Depth > bestDepth {
			best, bestDepth = name, s.Depth
		}
	}
	if best != "" {
		return best
	}
	if last != "" {
		return last
	}
	return "no step recorded"
}

func printRunReport(w io.Writer, rep *runReport) {
	fmt.Fprintf(w, "implementation: %s\n", rep.Implementation)
	ref := "model"
	if rep.Reference != "" {
		fmt.Fprintf(w, "compared with: %s, verdicts only\n", rep.Reference)
		ref = "dialect"
	}
	fmt.Fprintf(w, "cases: %d, agree: %d (%.2f%%), disagree: %d\n", rep.Cases, rep.Agree, 100*float64(rep.Agree)/float64(max(rep.Cases, 1)), len(rep.Disagreements))
	if len(rep.Stale) > 0 {
		fmt.Fprintf(w, "note: %d cases carry an expectation the model no longer gives (regenerate them): %s\n", len(rep.Stale), strings.Join(firstN(rep.Stale, 5), ", "))
	}
	for _, d := range rep.Disagreements {
		fmt.Fprintf(w, "\n== %s (%s)\n", d.ID, d.Rule)
		b, _ := json.Marshal(d.Minimized)
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
}

func resultLine(r corpus.Result) string {
	if r.Error != "" {
		return "error: " + r.Error
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
