package fuzz

import (
	"strconv"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
)

// The engine makes two promises beyond its decisions, which the targets
// compare with the model's. Deciding a request on parsed URLs allocates
// nothing once the Decision has room for the violations
// (requestAllocations). And the checks beyond requests have two doors, the
// methods of engine.CSP, which take the model's types, and those of
// engine.Checks, which take input prepared once (PrepareNavigation,
// PrepareURL, PrepareCompilation, PrepareAncestors, ParseInlineType) for a
// caller that decides many checks: the second decides as the first does
// and, deciding prepared input again, allocates nothing
// (preparedDifference).

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

// requestAllocations decides c, a request, on a compiled CSP until its
// Decision has room, and says how many allocations a further decision
// makes, or returns "" when it makes none, when c is not a request or the
// engine refuses it (RunEngine reports refusals), or in a libFuzzer build.
func requestAllocations(c corpus.Case) string {
	if libFuzzerBuild || c.CheckName() != corpus.CheckRequest {
		return ""
	}
	csp, req, err := corpus.CompileCase(c)
	if err != nil {
		return ""
	}
	var d engine.Decision
	if csp.Decide(&req, &d) != nil {
		return ""
	}
	if n := testing.AllocsPerRun(20, func() { _ = csp.Decide(&req, &d) }); n != 0 {
		return "the engine allocates when it decides a request again: " + strconv.FormatFloat(n, 'g', -1, 64) + " allocations per decision, want 0"
	}
	return ""
}
