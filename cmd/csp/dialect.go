package main

import (
	"fmt"
	"io"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential/dialect"
	"github.com/cspmodel/cspmodel/model"
)

// --dialect NAME decides as one browser engine does: with the engine's
// dialect (package differential/dialect), a fixed list of rules that turn
// a case into the case that engine effectively decides, which the model
// then decides. The compiled engine implements the spec only.

// dialectUsage describes the --dialect flag.
var dialectUsage = "decide as the `browser` does, with its dialect over the model: " + strings.Join(dialect.Names(), ", ") +
	" (verdicts as fitted on " + fittedOn() + ")"

func fittedOn() string {
	var vs []string
	for _, name := range dialect.Names() {
		d, _ := dialect.Get(name)
		vs = append(vs, d.FittedOn)
	}
	return strings.Join(vs, ", ")
}

// dialectFlag checks --dialect name for a command, given whether it was set
// and the --engine chosen ("" where there is none): it returns the dialect,
// nil when the flag was not set, and false after a usage message.
func dialectFlag(command, name string, set bool, engine string, stderr io.Writer) (*dialect.Dialect, bool) {
	if !set {
		return nil, true
	}
	if engine != "" && engine != "model" {
		fmt.Fprintf(stderr, "csp %s: --dialect needs --engine model: the compiled engine implements the spec only, and a dialect is a layer over the model\n", command)
		return nil, false
	}
	d, ok := dialect.Get(name)
	if !ok {
		fmt.Fprintf(stderr, "csp %s: --dialect is one of %s, not %q\n", command, strings.Join(dialect.Names(), ", "), name)
		return nil, false
	}
	return d, true
}

// tracedDecider decides a case with the model, or with a dialect when d is
// not nil, recording in tr (which may be nil); it also returns the dialect
// rules that changed the case.
func tracedDecider(d *dialect.Dialect) func(c corpus.Case, tr *model.Trace) (corpus.Result, []string) {
	if d == nil {
		return func(c corpus.Case, tr *model.Trace) (corpus.Result, []string) { return corpus.RunModel(c, tr), nil }
	}
	return d.Decide
}

// dialectDecider decides cases with a dialect.
func dialectDecider(d *dialect.Dialect) corpus.Decider {
	return func(c corpus.Case) corpus.Result {
		res, _ := d.Decide(c, nil)
		return res
	}
}

// printDialect says which dialect decided c as res, which of its rules
// changed the case, and which of those the verdict rests on (without them
// the dialect would decide otherwise).
func printDialect(w io.Writer, d *dialect.Dialect, c corpus.Case, res corpus.Result, rules []string) {
	fmt.Fprintf(w, "dialect: %s (%s, fitted on %s)\n", d.Name, d.Engine, d.FittedOn)
	if len(rules) == 0 {
		fmt.Fprintf(w, "rules applied: none (%s decides this case as the spec does)\n", d.Engine)
		return
	}
	for _, id := range rules {
		r, _ := dialect.RuleByID(id)
		decides := ""
		if without, _ := d.Without(id).Decide(c, nil); without.Verdict != res.Verdict {
			decides = fmt.Sprintf(" (the verdict rests on it: without it, %s)", without.Verdict)
		}
		fmt.Fprintf(w, "rule applied: %s: %s%s\n", id, r.Title, decides)
	}
}

// useDialect makes a dialect the reference csp vectors run compares
// an implementation with: verdicts only, since a dialect is fitted on the
// engines' verdicts and not their reports, each disagreement labelled with
// the dialect rules that change the case.
func (r *runner) useDialect(d *dialect.Dialect) {
	r.reference = dialectDecider(d)
	r.referenceName = fmt.Sprintf("the %s dialect (fitted on %s)", d.Name, d.FittedOn)
	r.fields = []string{"verdict"}
	r.label = func(c corpus.Case, kind string) string {
		_, rules := d.Decide(c, nil)
		if len(rules) == 0 {
			return "no " + d.Name + " rule: " + ruleOf(c, kind)
		}
		return d.Name + " " + strings.Join(rules, " + ")
	}
}
