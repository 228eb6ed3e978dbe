package fuzz

import (
	"encoding/json"
	"errors"
	"flag"
	"strconv"
	"strings"
	"sync"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// The helpers the targets share live in non-test files because a libFuzzer
// build (go-118-fuzz-build, which OSS-Fuzz and ClusterFuzzLite use) compiles
// only the _test.go file that defines the target it builds: anything the
// target calls must be here. That build also swaps the target file's
// "testing" import for a stand-in package, while these files keep the real
// one, so no helper takes a testing type: they take a failer.

// failer is what the helpers need from a test or a fuzz target. The
// standard library's *testing.T and *testing.F satisfy it, and so do the
// stand-ins a libFuzzer build compiles a target against.
type failer interface {
	Helper()
	Fatal(args ...any)
	Fatalf(format string, args ...any)
}

// loadedCorpus reads the embedded corpus once per process: a libFuzzer build
// runs the whole FuzzX function, seeding included, for every input.
var loadedCorpus = sync.OnceValues(func() ([]corpus.Case, error) {
	cases, err := corpus.Load()
	if err == nil && len(cases) == 0 {
		err = errors.New("the corpus is empty")
	}
	return cases, err
})

// seedsOf returns a target's seed list, computed once per process, or stops
// the test. In a libFuzzer build it returns nothing: adding seeds there does
// nothing but cost time on every input (a loop of f.Add calls boxing every
// argument, thousands of allocations).
func seedsOf[S any](f failer, seeds func() ([]S, error)) []S {
	f.Helper()
	if libFuzzerBuild {
		return nil
	}
	s, err := seeds()
	if err != nil {
		f.Fatal(err)
	}
	return s
}

// seedRun reports whether this process only runs the targets' seeds (go
// test without -fuzz), rather than fuzzing (go test -fuzz, whose
// coordinator and workers both get the flag, or a libFuzzer build). It is
// read once, at the first input, after the test flags are parsed: every
// input asks.
var seedRun = sync.OnceValue(func() bool {
	if libFuzzerBuild {
		return false
	}
	f := flag.Lookup("test.fuzz")
	return f == nil || f.Value.String() == ""
})

// agreeCase runs a case through model and engine and reports any difference.
// Errors agree when both sides have one: their messages are each side's own.
func agreeCase(t failer, c corpus.Case) {
	t.Helper()
	if msg := disagreement(c); msg != "" {
		t.Fatalf("%s", msg)
	}
}

// disagreement describes how model and engine differ on c, with a command
// that replays it, or returns "" when they agree (and the model gives the
// same answer twice): on the verdict, the violations, and whether the case
// is refused, and for the checks beyond requests on the refusal's message;
// and the engine gives the same answer on a CSP that has served other
// questions first (warmUp); and the engine keeps its other promises
// (fuzz/promises.go): a decision into a caller's stale Decision or
// CheckDecision is a fresh one's, a refusal leaves only a Blocked verdict,
// the checks' prepared entry points decide as the CSP's do, deciding
// again allocates nothing, and what only the Go API can pass (a kind of
// global object outside the three, a nil or unprepared input) is refused
// in the right words; and model and engine agree under self-origins only
// the Go API builds (handBuiltDifference).
func disagreement(c corpus.Case) string {
	return disagreementOf(c, corpus.RunModel(c, nil), corpus.RunEngine(c))
}

// disagreementOf is disagreement for a caller that has decided c already:
// m is the model's result, e the engine's.
func disagreementOf(c corpus.Case, m, e corpus.Result) string {
	if (m.Error == "") != (e.Error == "") {
		return "model and engine disagree on whether the case can be decided:\nmodel error: " + quote(m.Error) + "\nengine error: " + quote(e.Error) + "\nreproduce: " + reproducer(c)
	}
	if msg := servedDifference(c, e); msg != "" {
		return msg + "\nreproduce: " + reproducer(c)
	}
	if m.Error != e.Error && c.CheckName() != corpus.CheckRequest {
		// The checks beyond requests refuse with the model's own words (a
		// caller comparing the two sees one refusal); a request's refusal
		// is the engine's shorter sentence, so there only the refusal
		// itself must agree.
		return "model and engine refuse the case with different messages:\nmodel error: " + quote(m.Error) + "\nengine error: " + quote(e.Error) + "\nreproduce: " + reproducer(c)
	}
	if msg := checkDifference(c) + requestDifference(c) + handBuiltDifference(c); msg != "" {
		return msg + "\nreproduce: " + reproducer(c)
	}
	if m.Error != "" {
		return ""
	}
	if diff := cmp.Diff(m, e); diff != "" {
		return "decision mismatch (-model +engine):\n" + diff + "\nreproduce: " + reproducer(c)
	}
	if again := corpus.RunModel(c, nil); !cmp.Equal(m, again) {
		return "the model gave a different answer the second time:\n" + cmp.Diff(m, again)
	}
	return ""
}

func quote(s string) string { return strconv.Quote(s) }

// servedDifference decides c on a compiled CSP that first served warmUp's
// questions and describes how that answer differs from fresh, the answer
// of a fresh CSP, or how warmUp's answers differ once c was decided, or
// returns "" when they are the same.
func servedDifference(c corpus.Case, fresh corpus.Result) string {
	var served *engine.CSP
	var before string
	after := corpus.RunEngineAfter(c, func(csp *engine.CSP) {
		warmUp(csp)
		served, before = csp, warmUpAnswers(csp)
	})
	if !cmp.Equal(fresh, after) {
		return "the engine answers differently once its CSP has served a resource hint, a check and a fetch (-fresh +served):\n" + cmp.Diff(fresh, after)
	}
	// The case's question laid out more of the CSP: what was laid out
	// before must still answer as it did.
	if served != nil {
		if again := warmUpAnswers(served); again != before {
			return "the engine answers a resource hint and a fetch differently once its CSP has decided the case:\nbefore: " + before + "\nafter: " + again
		}
	}
	return ""
}

// warmUpURL is the URL warmUp's requests fetch.
var warmUpURL = model.MustParseURL("https://warm-up.example/")

// warmUp asks c what a long-lived CSP may have been asked before a case's
// own question, each of which lays out part of it on first use: a resource
// hint (the hint lists), the checks' compiled list, and a fetch (the
// connect-src deciders). disagreement holds the case's answer after them
// to its answer on a fresh CSP, and their answers after the case to their
// answers before it.
func warmUp(c *engine.CSP) {
	hint, fetch := warmUpRequests()
	var d engine.Decision
	_ = c.Decide(&hint, &d)
	c.Checks()
	_ = c.Decide(&fetch, &d)
}

// warmUpRequests are warmUp's requests: a resource hint and a fetch.
func warmUpRequests() (hint, fetch engine.Request) {
	return engine.Request{Initiator: "prefetch", URLs: []model.URL{warmUpURL}}, engine.Request{Kind: engine.KindFetch, URLs: []model.URL{warmUpURL}}
}

// warmUpAnswers are warmUp's two requests decided again by c, each written
// as its verdict, its refusal and the directives of its violations.
func warmUpAnswers(c *engine.CSP) string {
	var b strings.Builder
	var d engine.Decision
	hint, fetch := warmUpRequests()
	for _, r := range []engine.Request{hint, fetch} {
		err := c.Decide(&r, &d)
		b.WriteString(d.Verdict.String())
		if err != nil {
			b.WriteString(" (" + err.Error() + ")")
		}
		for i := range d.Violations {
			v := &d.Violations[i]
			b.WriteString(" " + strconv.Itoa(v.Policy()) + ":" + v.Directive() + "/" + v.EffectiveDirective())
		}
		b.WriteString("; ")
	}
	return b.String()
}

// reproducer says how to replay c outside the fuzzer: as a csp check command
// with the model's trace, and as a vector line, which also carries what the
// command has no flag for (WebTransport hashes).
func reproducer(c corpus.Case) string {
	cmd := strings.Replace(c.CheckCommand(), "csp check", "csp check --trace", 1)
	line, err := json.Marshal(c)
	if err != nil {
		return cmd
	}
	return cmd + "\nor, as a vector: echo " + corpus.ShellQuote(string(line)) + " | csp check --vectors -"
}
