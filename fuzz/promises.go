package fuzz

import (
	"errors"
	"strconv"
	"strings"
	"sync"
	"testing"
	"unicode/utf8"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/engine"
	"github.com/cspmodel/cspmodel/model"
)

// The engine makes promises beyond the decisions the targets compare with
// the model's, and these helpers hold every case a target decides to them:
//   - a decision overwrites whatever the caller's Decision or CheckDecision
//     held before, and a refusal leaves it Blocked with no violation and no
//     sandboxing flag (fail-closed, whatever it held); a CheckDecision an
//     earlier decision lent a compiled list's violations gets the caller's
//     slice back (keepsLent); and a caller's append to a decision's
//     Violations never writes where another decision reads
//     (appendDifference);
//   - deciding a request on parsed URLs again allocates nothing once the
//     Decision has room for the violations (requestDifference);
//   - the checks beyond requests have two doors, the methods of engine.CSP,
//     which take the model's types, and those of engine.Checks, which take
//     input prepared once (PrepareNavigation, PrepareURL,
//     PrepareCompilation, PrepareAncestors, ParseInlineType) for a caller
//     that decides many checks: the second decides and refuses as the first
//     does and, deciding prepared input again, allocates nothing
//     (preparedDifference);
//   - what the vector format cannot write (a kind of global object outside
//     the three, a nil or unprepared input) is refused as the model
//     refuses it, or naming the missing input (goapi.go); no request, or
//     one of a Kind past the six APIs, or whose destination, initiator,
//     mode or parser metadata Fetch does not name, is refused
//     (requestDifference); a delivery whose disposition or source is none
//     of the named values makes the CSP refuse as the model refuses the
//     list (unnamed.go).
//
// Allocations are not counted in a libFuzzer build, whose instrumentation
// allocates.

// staleCSP is a report-only CSP list whose decisions leave a Decision or a
// CheckDecision Allowed with one violation: what a caller's reused
// decision may hold when it is handed to the next question.
var staleCSP = sync.OnceValue(func() *engine.CSP {
	self, err := engine.ParseOrigin("https://stale.example")
	if err != nil {
		panic(err)
	}
	return engine.Compile([]model.PolicyDelivery{{Value: "connect-src 'none'; script-src 'none'", Disposition: model.Report}}, self)
})

// staleElement is the element staleCheckDecision's violation is about.
var staleElement = model.Element{LocalName: "script"}

// staleDecision returns a Decision holding an Allowed verdict and a
// violation of staleCSP.
func staleDecision() engine.Decision {
	var d engine.Decision
	_ = staleCSP().Decide(&engine.Request{Kind: engine.KindFetch, URLs: []model.URL{warmUpURL}}, &d)
	return d
}

// staleCheckDecision returns a CheckDecision holding an Allowed verdict, a
// violation of staleCSP and every sandboxing flag.
func staleCheckDecision() engine.CheckDecision {
	var d engine.CheckDecision
	_ = staleCSP().Checks().DecideInline(model.WindowGlobal, &staleElement, engine.InlineScript, "stale()", &d)
	d.SandboxFlags = ^model.SandboxingFlagSet(0)
	return d
}

// staleLentCheckDecision returns a CheckDecision that was lent staleCSP's
// compiled WebAssembly violations (CheckDecision's documentation: the
// list's own, read-only), with an Allowed verdict (the policy is
// report-only) and every sandboxing flag, and the first of those
// violations, by which a later decision that keeps the list is known.
func staleLentCheckDecision() (engine.CheckDecision, *engine.CheckViolation) {
	var d engine.CheckDecision
	if err := staleCSP().Checks().DecideWasm(model.WindowGlobal, &d); err != nil || len(d.Violations) != 1 {
		panic("staleCSP's WebAssembly check lends no violation")
	}
	d.SandboxFlags = ^model.SandboxingFlagSet(0)
	return d, &d.Violations[0]
}

// keepsLent reports whether d's Violations are still (or again) the list
// whose first violation is first, even with no violation in it: the next
// decision into a CheckDecision goes back to the caller's slice, and one
// that kept a compiled list's would let the caller's appends write into it.
func keepsLent(d *engine.CheckDecision, first *engine.CheckViolation) bool {
	return cap(d.Violations) > 0 && &d.Violations[:1][0] == first
}

// checkDifference holds c, a check that is not a request, to the promises
// of the checks' Go API (preparedDifference, goAPIDifference,
// unnamedDeliveryDifference) and
// describes the first it breaks, or returns "" (also for a request, and
// for a case the engine cannot compile, which RunEngine reports).
func checkDifference(c corpus.Case) string {
	if c.CheckName() == corpus.CheckRequest {
		return ""
	}
	ec, err := corpus.CompileCheck(c)
	if err != nil {
		return ""
	}
	if msg := preparedDifference(c, ec); msg != "" {
		return msg
	}
	if msg := appendDifference(ec); msg != "" {
		return msg
	}
	if msg := goAPIDifference(c, ec); msg != "" {
		return msg
	}
	return unnamedDeliveryDifference(c, ec, nil)
}

// appendDifference decides ec into two fresh CheckDecisions and has the
// caller append a violation of its own to each: the first's must still
// hold its own after the second's append. Violations lent by a compiled
// list (DecideWasm, DecideRTC, DecideEval) are read-only, but the list
// leaves no room past its end, so that a caller's append copies it
// instead of writing where every other decision of that CSP reads.
func appendDifference(ec *corpus.EngineCheck) string {
	var a, b engine.CheckDecision
	if ec.Decide(&a) != nil || ec.Decide(&b) != nil {
		return ""
	}
	a.Violations = append(a.Violations, engine.CheckViolation{RedirectCount: 1})
	b.Violations = append(b.Violations, engine.CheckViolation{RedirectCount: 2})
	if a.Violations[len(a.Violations)-1].RedirectCount != 1 {
		return "a caller's append to one decision's Violations was overwritten by its append to another's: the two share a compiled list with room past its end"
	}
	return ""
}

// preparedDifference decides c (compiled: ec) through both doors (the
// prepared one into a stale CheckDecision) and describes how the
// decisions or refusals differ, what a refusal left behind, or how many
// allocations a prepared decision made once its CheckDecision had room
// for the violations; it returns "" when there is nothing to say.
func preparedDifference(c corpus.Case, ec *corpus.EngineCheck) string {
	decide := ec.Prepare()
	// Decided into a decision lent another CSP's list, through both doors:
	// the list must not stay the decision's, refused or not.
	for _, door := range []struct {
		name   string
		decide func(*engine.CheckDecision) error
	}{{"CSP", ec.Decide}, {"prepared", decide}} {
		lent, first := staleLentCheckDecision()
		_ = door.decide(&lent)
		if keepsLent(&lent, first) {
			return "the engine's " + door.name + " door, deciding into a CheckDecision lent another CSP's compiled violations, leaves that list as the decision's Violations (the caller's appends would write into it)"
		}
	}
	var plain engine.CheckDecision
	prepared := staleCheckDecision()
	errPlain, errPrepared := ec.Decide(&plain), decide(&prepared)
	if (errPlain == nil) != (errPrepared == nil) || errPlain != nil && errPlain.Error() != errPrepared.Error() {
		return "the engine's prepared check refuses differently from its CSP's:\nCSP error: " + quoteErr(errPlain) + "\nprepared error: " + quoteErr(errPrepared)
	}
	if errPlain != nil {
		if !onlyBlocked(&plain) || !onlyBlocked(&prepared) {
			return "a refused check leaves more than a Blocked verdict: " + leftovers(plain.Verdict, len(plain.Violations), plain.SandboxFlags) +
				" (CSP), " + leftovers(prepared.Verdict, len(prepared.Violations), prepared.SandboxFlags) + " (prepared, in a stale CheckDecision)"
		}
		return ""
	}
	p, q := corpus.FromCheckDecision(c.ID, ec.Check, &plain), corpus.FromCheckDecision(c.ID, ec.Check, &prepared)
	if diff := cmp.Diff(p, q); diff != "" {
		return "the engine's prepared check, in a stale CheckDecision, decides differently from its CSP's (-CSP +prepared):\n" + diff
	}
	if plain.SandboxFlags != prepared.SandboxFlags {
		// Only a sandbox check's result lists the flags.
		return "the engine's prepared check, in a stale CheckDecision, leaves other sandboxing flags than its CSP's: " +
			leftovers(plain.Verdict, len(plain.Violations), plain.SandboxFlags) + " (CSP), " + leftovers(prepared.Verdict, len(prepared.Violations), prepared.SandboxFlags) + " (prepared)"
	}
	// The URLs the check matches, as the engine parsed them: a navigation's
	// list and a <base> URL (zero, and so no blob:, for other checks).
	if libFuzzerBuild || blobPathParsed(c.SelfOrigin, append(ec.URLs[:len(ec.URLs):len(ec.URLs)], ec.Base)) {
		return ""
	}
	if n := testing.AllocsPerRun(20, func() { _ = decide(&prepared) }); n != 0 {
		return "the engine's prepared check allocates when decided again: " + strconv.FormatFloat(n, 'g', -1, 64) + " allocations per decision, want 0"
	}
	// Into a fresh CheckDecision whose Violations has room, the first
	// decision allocates nothing either, but for the cleaned copy of an
	// inline text that is not valid UTF-8 (decide_checks.go), which the
	// CheckDecision keeps for the next.
	if c.Inline != nil && !utf8.ValidString(c.Inline.Source) {
		return ""
	}
	const runs = 21 // AllocsPerRun's 20 and its warm-up
	var fresh [runs]engine.CheckDecision
	for i := range fresh {
		fresh[i].Violations = make([]engine.CheckViolation, 0, len(prepared.Violations))
	}
	next := 0
	if n := testing.AllocsPerRun(runs-1, func() { _ = decide(&fresh[next%runs]); next++ }); n != 0 {
		return "the engine's prepared check allocates deciding into a fresh CheckDecision with room for its violations: " + strconv.FormatFloat(n, 'g', -1, 64) + " allocations per decision, want 0"
	}
	return ""
}

// requestDifference decides c, a request, on a compiled CSP into a stale
// Decision and describes how that differs from a decision into a fresh one
// (a refusal must leave it Blocked with no violation), or how many
// allocations a further decision makes, or how a nil request or one of a
// Kind past the six APIs escaped refusal, or how a nil or zero CSP or a
// nil Decision did, or how a CSP compiled from a delivery the API cannot
// name did (unnamedDeliveryDifference); it returns "" when there is
// nothing to say (not a request, or a case the engine cannot compile).
func requestDifference(c corpus.Case) string {
	if c.CheckName() != corpus.CheckRequest {
		return ""
	}
	csp, req, err := corpus.CompileCase(c)
	if err != nil {
		return ""
	}
	// What only the Go API can pass, no request or a Kind past the six
	// APIs, is refused, whatever the request holds besides.
	outside := req
	outside.Kind = engine.KindWebSocket + 1
	for name, r := range map[string]*engine.Request{"no request": nil, "a request of Kind(" + strconv.Itoa(int(outside.Kind)) + ")": &outside} {
		d := staleDecision()
		if err := csp.Decide(r, &d); !errors.Is(err, engine.ErrRequest) || d.Verdict != model.Blocked || len(d.Violations) != 0 {
			return "the engine does not refuse " + name + " fail-closed: error " + quoteErr(err) + ", " + leftovers(d.Verdict, len(d.Violations), 0) + " in a stale Decision"
		}
	}
	// A field that names nothing Fetch names is refused, whatever else
	// the request holds, before the CSP list is looked at.
	for _, typo := range fieldTypos {
		if req.Kind != engine.KindNone && !typo.anyKind {
			continue
		}
		r := req
		typo.set(&r)
		blame := fieldBlame(&r)
		for _, csp := range []*engine.CSP{csp, refusingCSP} {
			d := staleDecision()
			err := csp.Decide(&r, &d)
			if !errors.Is(err, engine.ErrRequest) || d.Verdict != model.Blocked || len(d.Violations) != 0 {
				return "the engine does not refuse a request whose " + typo.name + " fail-closed: error " + quoteErr(err) + ", " + leftovers(d.Verdict, len(d.Violations), 0) + " in a stale Decision"
			}
			if got := strings.TrimPrefix(err.Error(), engine.ErrRequest.Error()+": "); got != blame {
				return "the engine refuses a request whose " + typo.name + " for another fault than the model:\nmodel: " + quote(blame) + "\nengine: " + quote(got)
			}
		}
	}
	if msg := unnamedDeliveryDifference(c, nil, &req); msg != "" {
		return msg
	}
	var fresh engine.Decision
	stale := staleDecision()
	errFresh, errStale := csp.Decide(&req, &fresh), csp.Decide(&req, &stale)
	if (errFresh == nil) != (errStale == nil) {
		return "the engine refuses a request in a stale Decision differently from a fresh one:\nfresh error: " + quoteErr(errFresh) + "\nstale error: " + quoteErr(errStale)
	}
	// A CSP that Compile did not make refuses, after the request's own
	// refusals; a nil decision is refused.
	for name, missing := range map[string]*engine.CSP{"a nil CSP": nil, "a zero CSP": new(engine.CSP)} {
		d := staleDecision()
		err := missing.Decide(&req, &d)
		want := engine.ErrNotCompiled
		if errors.Is(errFresh, engine.ErrRequest) {
			want = engine.ErrRequest
		}
		if !errors.Is(err, want) || d.Verdict != model.Blocked || len(d.Violations) != 0 {
			return "the engine does not refuse a request on " + name + " fail-closed with " + quoteErr(want) + ": error " + quoteErr(err) + ", " + leftovers(d.Verdict, len(d.Violations), 0) + " in a stale Decision"
		}
	}
	if err := csp.Decide(&req, nil); !errors.Is(err, engine.ErrNoDecision) {
		return "the engine does not refuse a request into a nil Decision with engine.ErrNoDecision: " + quoteErr(err)
	}
	if errStale != nil {
		if stale.Verdict != model.Blocked || len(stale.Violations) != 0 {
			return "a refused request leaves more than a Blocked verdict in a stale Decision: " + leftovers(stale.Verdict, len(stale.Violations), 0)
		}
		return ""
	}
	if !sameViolations(fresh.Violations, stale.Violations) || fresh.Verdict != stale.Verdict {
		return "the engine decides a request differently in a stale Decision: " + leftovers(fresh.Verdict, len(fresh.Violations), 0) +
			" (fresh), " + leftovers(stale.Verdict, len(stale.Violations), 0) + " (stale)"
	}
	// A request of an API's Kind has that API's destination, initiator and
	// mode, whatever the fields say (Request's documentation): values Fetch
	// names that would change the decision of a request described by them
	// (a script, a prefetch, a WebTransport session) change nothing.
	if req.Kind != engine.KindNone {
		described := req
		described.Destination, described.Initiator, described.Mode = "script", "prefetch", "webtransport"
		var d engine.Decision
		if err := csp.Decide(&described, &d); err != nil || d.Verdict != fresh.Verdict || !sameViolations(d.Violations, fresh.Violations) {
			return "a request of an API's Kind is decided differently when its Destination, Initiator and Mode say script, prefetch and webtransport: error " +
				quoteErr(err) + ", " + leftovers(d.Verdict, len(d.Violations), 0) + ", want " + leftovers(fresh.Verdict, len(fresh.Violations), 0)
		}
	}
	if libFuzzerBuild || blobPathParsed(c.SelfOrigin, req.URLs) {
		return ""
	}
	if n := testing.AllocsPerRun(20, func() { _ = csp.Decide(&req, &stale) }); n != 0 {
		return "the engine allocates when it decides a request again: " + strconv.FormatFloat(n, 'g', -1, 64) + " allocations per decision, want 0"
	}
	return ""
}

// blobPathParsed reports whether a decision of urls may parse a blob:
// URL's path, as the documentation of (*engine.CSP).Decide and of the
// checks (engine/decide_checks.go) allows: the path,
// after leading C0 controls and spaces, starts with the self-origin's
// scheme (http or https; in any case) and ':', and is not a URL
// ParseURL's fast path takes (fastPathPromised).
func blobPathParsed(selfOrigin string, urls []model.URL) bool {
	self, err := model.ParseOrigin(selfOrigin)
	if err != nil || self.Opaque || self.Scheme != "http" && self.Scheme != "https" {
		return false
	}
	for _, u := range urls {
		if u.Scheme != "blob" {
			continue
		}
		path := strings.TrimLeftFunc(u.Path, func(r rune) bool { return r <= ' ' })
		if !strings.HasPrefix(strings.ToLower(path), self.Scheme+":") {
			continue
		}
		if inner, err := model.ParseURL(u.Path); err != nil || !fastPathPromised(u.Path, inner) {
			return true
		}
	}
	return false
}

// fieldTypos are the misspellings requestDifference gives a request's
// fields, none a value Fetch names (model.IsDestination, model.Initiators,
// model.Modes, model.ParserMetadatas): each of a request described by its
// destination, and the parser metadata of any request.
var fieldTypos = []struct {
	name    string
	anyKind bool
	set     func(*engine.Request)
}{
	{"destination is \"img\"", false, func(r *engine.Request) { r.Destination = "img" }},
	{"destination is in upper case", false, func(r *engine.Request) { r.Destination = strings.ToUpper(r.Destination) + "X" }},
	{"initiator is \"prefetch \"", false, func(r *engine.Request) { r.Initiator = "prefetch " }},
	{"mode is \"CORS\"", false, func(r *engine.Request) { r.Mode = "CORS" }},
	{"parser metadata is \"parser_inserted\"", true, func(r *engine.Request) { r.ParserMetadata = "parser_inserted" }},
}

// fieldBlame is the model's refusal of r's fields, without its
// model.ErrBadRequest prefix: the field it blames first and its value,
// which the engine's refusal must name in the same words after its own
// prefix. Only a request described by its destination has a destination,
// initiator and mode of its own; an API's request is given the model's
// values for no destination, all of which Fetch names.
func fieldBlame(r *engine.Request) string {
	m := model.Request{ParserMetadata: r.ParserMetadata}
	if r.Kind == engine.KindNone {
		m.Destination, m.Initiator, m.Mode = r.Destination, r.Initiator, r.Mode
	}
	_, err := model.DecideRequest(model.Environment{}, m, nil)
	if err == nil {
		return "(the model decides it)"
	}
	return strings.TrimPrefix(err.Error(), model.ErrBadRequest.Error()+": ")
}

// onlyBlocked reports whether d holds what a refusal must leave: a Blocked
// verdict, no violation, no sandboxing flag.
func onlyBlocked(d *engine.CheckDecision) bool {
	return d.Verdict == model.Blocked && len(d.Violations) == 0 && d.SandboxFlags == 0
}

// sameViolations reports whether a and b hold the same violations.
func sameViolations(a, b []engine.Violation) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if a[i] != b[i] {
			return false
		}
	}
	return true
}

// leftovers describes what a decision holds.
func leftovers(v model.Verdict, violations int, flags model.SandboxingFlagSet) string {
	s := "verdict " + v.String() + ", " + strconv.Itoa(violations) + " violations"
	if flags != 0 {
		s += ", sandboxing flags " + strconv.FormatUint(uint64(flags), 2)
	}
	return s
}

// quoteErr quotes err's message, or says there is none.
func quoteErr(err error) string {
	if err == nil {
		return "none"
	}
	return quote(err.Error())
}
