//go:build linux

package browser

import (
	"github.com/cspmodel/cspmodel/corpus"
)

// Case sets, as the report names them.
const (
	SetCorpus    = "corpus"
	SetFocus     = "focus"
	SetGenerated = "generated"
	// SetHeldOut is the generated set of a second seed, recorded once
	// with no rule of the dialects written from it.
	SetHeldOut = "held-out"
)

// caseSet is a named set of cases.
type caseSet struct {
	name  string
	cases []corpus.Case
}

// caseSets are the sets of a run, in order: the corpus, the focus cases,
// the generated requests and cases of each other check, and the held-out
// ones.
func caseSets(docs []corpus.Case, seed uint64, generated, checks, heldOut, heldOutChecks int) []caseSet {
	return []caseSet{
		{SetCorpus, docs},
		{SetFocus, focusCases()},
		{SetGenerated, append(Generate(seed, generated), GenerateChecks(seed, checks)...)},
		{SetHeldOut, append(Generate(heldOutSeed, heldOut), GenerateChecks(heldOutChecksSeed, heldOutChecks)...)},
	}
}

// row is one case: the model's result and what each engine did.
type row struct {
	Case  browserCase
	Set   string
	Model corpus.Result
	Obs   map[string]observation // by engine name

	dialect map[string]dialectVerdict // by engine, from dialectOf
}

// disagrees reports whether engine gave a verdict other than the model's.
func (r *row) disagrees(engine string) bool {
	o, ok := r.Obs[engine]
	return ok && o.isVerdict() && o.Verdict != r.Model.Verdict
}

// tally counts one engine's results: Agree and Disagree count the verdicts
// the model gives and does not give, Dialect those the engine's dialect
// gives.
type tally struct {
	Run, Verdicts, Agree, Disagree, Dialect, NotSent, Unknown int
	// Uncovered counts the verdicts on checks the dialect does not cover.
	Uncovered int
}

// covered is the number of verdicts on checks the dialect covers.
func (t tally) covered() int { return t.Verdicts - t.Uncovered }

// dialectShare is the share of the verdicts of the checks the dialect
// covers that it gives.
func (t tally) dialectShare() float64 {
	if t.covered() == 0 {
		return 0
	}
	return float64(t.Dialect) / float64(t.covered())
}

func (t tally) plus(u tally) tally {
	return tally{t.Run + u.Run, t.Verdicts + u.Verdicts, t.Agree + u.Agree, t.Disagree + u.Disagree,
		t.Dialect + u.Dialect, t.NotSent + u.NotSent, t.Unknown + u.Unknown, t.Uncovered + u.Uncovered}
}

// tallies counts each engine's results over rows, optionally of one set.
func tallies(rows []*row, engines []string, set string) map[string]tally {
	out := map[string]tally{}
	for _, e := range engines {
		var t tally
		for _, r := range rows {
			if set != "" && r.Set != set {
				continue
			}
			o, ok := r.Obs[e]
			if !ok {
				continue
			}
			t.Run++
			switch {
			case o.isVerdict():
				t.Verdicts++
				if o.Verdict == r.Model.Verdict {
					t.Agree++
				} else {
					t.Disagree++
				}
				if r.predicted(e) {
					t.Dialect++
				}
				if !r.covered(e) {
					t.Uncovered++
				}
			case o.Verdict == NotSent:
				t.NotSent++
			default:
				t.Unknown++
			}
		}
		out[e] = t
	}
	return out
}
