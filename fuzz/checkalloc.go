package fuzz

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
)

// The engine decides the checks beyond requests through two doors: the
// methods of engine.CSP, which take the model's types, and those of
// engine.Checks, which take input prepared once (PrepareNavigation,
// PrepareURL, PrepareCompilation, PrepareAncestors, ParseInlineType) for a
// caller that decides many checks. The targets compare the first with the
// model; preparedDifference holds the second to the first, and to its
// promise that deciding prepared input again allocates nothing.

// preparedDifference decides c, a check that is not a request, through
// both doors and describes how the decisions or refusals differ, or how
// many allocations a prepared decision made once its CheckDecision had
// room for the violations; it returns "" when there is nothing to say (a
// request, or a case the engine cannot compile, which RunEngine reports).
// The allocations are not counted in a libFuzzer build, whose
// instrumentation allocates.
func preparedDifference(c corpus.Case) string {
	if c.CheckName() == corpus.CheckRequest {
		return ""
	}
	ec, err := corpus.CompileCheck(c)
	if err != nil {
		return ""
	}
	decide := ec.Prepare()
	var plain, prepared engine.CheckDecision
	errPlain, errPrepared := ec.Decide(&plain), decide(&prepared)
	if (errPlain == nil) != (errPrepared == nil) || errPlain != nil && errPlain.Error() != errPrepared.Error() {
		return "the engine's prepared check refuses differently from its CSP's:\nCSP error: " + quoteErr(errPlain) + "\nprepared error: " + quoteErr(errPrepared)
	}
	if errPlain != nil {
		return ""
	}
	p, q := corpus.FromCheckDecision(c.ID, ec.Check, &plain), corpus.FromCheckDecision(c.ID, ec.Check, &prepared)
	if diff := cmp.Diff(p, q); diff != "" {
		return "the engine's prepared check decides differently from its CSP's (-CSP +prepared):\n" + diff
	}
	if libFuzzerBuild {
		return ""
	}
	if n := testing.AllocsPerRun(20, func() { _ = decide(&prepared) }); n != 0 {
		return "the engine's prepared check allocates when decided again: " + strconv.FormatFloat(n, 'g', -1, 64) + " allocations per decision, want 0"
	}
	return ""
}

// quoteErr quotes err's message, or says there is none.
func quoteErr(err error) string {
	if err == nil {
		return "none"
	}
	return quote(err.Error())
}
