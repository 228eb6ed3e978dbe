package differential

import (
	"fmt"
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"
	"github.com/leanovate/gopter"
	"github.com/leanovate/gopter/gen"
	"github.com/leanovate/gopter/prop"

	"github.com/cspmodel/cspmodel/corpus"
)

// The properties below are consequences of the spec's algorithms that hold
// for every input; each one runs the model on a generated case and on a
// transformed copy, and compares. A failure shrinks to a small recipe and
// prints both cases.

// nonVacuous fails a property test whose interesting branch ran for less
// than a tenth of the generated cases: such a property would pass whatever
// the model did.
func nonVacuous(t *testing.T, name string, n int) {
	t.Helper()
	t.Logf("%s: %d of %d cases compared", name, n, *propCases)
	if n < *propCases/10 {
		t.Errorf("%s compared only %d of %d cases", name, n, *propCases)
	}
}

func isASCII(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			return false
		}
	}
	return true
}

func fail(format string, args ...any) *gopter.PropResult {
	return gopter.NewPropResult(false, fmt.Sprintf(format, args...))
}

var pass = gopter.NewPropResult(true, "")

// changesAlgorithm tells whether a source expression changes how a source
// list is read rather than adding to what it matches: 'strict-dynamic' makes
// script-src ignore its host- and scheme-sources.
func changesAlgorithm(s SourceRecipe) bool {
	return s.Kind%12 == 9 && pick(keywords, s.Scheme) == "'strict-dynamic'"
}

// TestAddingASourceNeverBlocksMore: #match-url-to-source-list matches when
// any expression matches, so one more expression can only turn Blocked into
// Allowed (keywords that change the algorithm aside, and non-ASCII tokens,
// which drop their whole directive: this property found that).
func TestAddingASourceNeverBlocksMore(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t))
	props.Property("adding a source never blocks more", prop.ForAll(func(r Recipe, extra SourceRecipe, where uint8) *gopter.PropResult {
		var slots [][2]int
		for i, p := range r.Policies {
			for j := range p.Directives {
				slots = append(slots, [2]int{i, j})
			}
		}
		if len(slots) == 0 || changesAlgorithm(extra) {
			return pass
		}
		before, ok := decide(r.Build("before"))
		if !ok || before.Verdict == corpus.VerdictBlocked {
			return pass
		}
		compared++
		wider := r.clone()
		s := slots[int(where)%len(slots)]
		d := &wider.Policies[s[0]].Directives[s[1]]
		d.Sources = append(d.Sources, extra)
		if !isASCII(wider.Build("after").Policies[s[0]].Value) {
			// Not a source expression at all: #parse-serialized-policy step
			// 2.2 skips a directive that is not ASCII whole, so its policy
			// falls back to default-src, which may block more.
			return pass
		}
		after, ok := decide(wider.Build("after"))
		if !ok || after.Verdict != corpus.VerdictAllowed {
			return fail("allowed:\n  %s\nbut with one more source:\n  %s\n  -> %+v", caseJSON(r.Build("before")), caseJSON(wider.Build("after")), after)
		}
		return pass
	}, GenRecipe(), genSource(), gen.UInt8()))
	props.TestingRun(t)
	nonVacuous(t, "allowed cases widened", compared)
}

// TestNoneBlocksEverything: a source list that is 'none' alone matches no URL
// (#match-url-to-source-list step 3), so an enforced connect-src 'none', or
// default-src 'none' without connect-src, blocks every connection the API
// lets the page attempt.
func TestNoneBlocksEverything(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t))
	props.Property("'none' alone blocks every connection", prop.ForAll(func(r Recipe, viaDefault bool) *gopter.PropResult {
		r.Kind %= 6 // the connection kinds
		name := uint8(0)
		if viaDefault {
			name = 1
		}
		r.Policies = []PolicyRecipe{{Directives: []DirectiveRecipe{{Name: name, Sources: []SourceRecipe{{Kind: 8}}}}}}
		c := r.Build("none")
		res, ok := decide(c)
		if ok {
			compared++
		}
		if ok && res.Verdict != corpus.VerdictBlocked {
			return fail("%s\n  -> %+v", caseJSON(c), res)
		}
		return pass
	}, GenRecipe(), gen.Bool()))
	props.TestingRun(t)
	nonVacuous(t, "connections decided", compared)
}

// TestReportOnlyNeverBlocks: report-only policies only report (main fetch
// step 4 runs #report-for-request, which never blocks).
func TestReportOnlyNeverBlocks(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t))
	props.Property("report-only never blocks", prop.ForAll(func(r Recipe) *gopter.PropResult {
		c := r.Build("report-only")
		for i := range c.Policies {
			c.Policies[i].Disposition = "report"
		}
		res, ok := decide(c)
		if !ok {
			return pass
		}
		compared++
		if res.Verdict != corpus.VerdictAllowed {
			return fail("%s\n  -> %+v", caseJSON(c), res)
		}
		for _, v := range res.Violations {
			if v.Disposition != "report" {
				return fail("%s\n  -> an enforced violation %+v", caseJSON(c), v)
			}
		}
		return pass
	}, GenRecipe()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestEnforcedPoliciesCompose: #should-block-request blocks when any
// enforced policy's directive says Blocked, so a case is blocked exactly
// when one of its enforced policies, alone, blocks it.
func TestEnforcedPoliciesCompose(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t))
	props.Property("several enforced policies block iff one does", prop.ForAll(func(r Recipe) *gopter.PropResult {
		c := r.Build("all")
		all, ok := decide(c)
		if !ok {
			return pass
		}
		compared++
		anyAlone := false
		for i, p := range c.Policies {
			if p.Disposition == "report" {
				continue
			}
			alone := c
			alone.Policies = []corpus.PolicyInput{c.Policies[i]}
			res, ok := decide(alone)
			if !ok {
				return fail("%s decided, but not with policy %d alone: %s", caseJSON(c), i, res.Error)
			}
			anyAlone = anyAlone || res.Verdict == corpus.VerdictBlocked
		}
		if (all.Verdict == corpus.VerdictBlocked) != anyAlone {
			return fail("%s\n  -> %s, but blocked by one policy alone: %v", caseJSON(c), all.Verdict, anyAlone)
		}
		return pass
	}, GenRecipe()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestDefaultSrcStandsInForConnectSrc: for connection requests, whose
// effective directive is connect-src, #directive-fallback-list falls back to
// default-src, so renaming connect-src to default-src in a policy without
// default-src changes no verdict, and only the violated directive's name in
// the reports.
func TestDefaultSrcStandsInForConnectSrc(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t))
	props.Property("default-src X acts as connect-src X for connections", prop.ForAll(func(r Recipe) *gopter.PropResult {
		r.Kind %= 6
		renamed := r.clone()
		for i, p := range renamed.Policies {
			hasDefault := false
			for _, d := range p.Directives {
				hasDefault = hasDefault || pick(directives, d.Name) == "default-src"
			}
			if hasDefault {
				continue
			}
			for j, d := range p.Directives {
				if pick(directives, d.Name) == "connect-src" {
					renamed.Policies[i].Directives[j].Name = 1
				}
			}
		}
		return sameDecision(r.Build("connect-src"), renamed.Build("default-src"), true, &compared)
	}, GenRecipe()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestCaseChangesNothing: schemes, hosts, keywords and directive names are
// compared ASCII case-insensitively (#parse-serialized-policy, #match-schemes,
// #match-hosts, the keyword grammar) and URL parsing lowercases schemes and
// hosts, so mixing their case changes no verdict and no report but the
// policy text.
func TestCaseChangesNothing(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t))
	props.Property("case changes in schemes, hosts and keywords change nothing", prop.ForAll(func(r Recipe) *gopter.PropResult {
		r.MixCase = false
		mixed := r.clone()
		mixed.MixCase = true
		return sameDecision(r.Build("lower"), mixed.Build("mixed"), false, &compared)
	}, GenRecipe()))
	props.TestingRun(t)
	nonVacuous(t, "cases decided", compared)
}

// TestRedirectNeverStricter: after a redirect, #match-paths is skipped
// (#match-url-to-source-expression, the path-part step only applies with
// redirect count 0), so a URL allowed as the first URL of a request is still
// allowed when reached by a redirect from an allowed URL.
func TestRedirectNeverStricter(t *testing.T) {
	compared := 0
	props := gopter.NewProperties(parameters(t))
	props.Property("a redirect never makes a path-restricted source stricter", prop.ForAll(func(r Recipe, from, to URLRecipe) *gopter.PropResult {
		if pick(kinds, r.Kind) == "websocket" {
			r.Kind = 0 // a WebSocket cannot be redirected
		}
		r.URLs = []URLRecipe{from}
		first, ok1 := decide(r.Build("first"))
		r.URLs = []URLRecipe{to}
		target, ok2 := decide(r.Build("target"))
		if !ok1 || !ok2 || first.Verdict != corpus.VerdictAllowed || target.Verdict != corpus.VerdictAllowed {
			return pass
		}
		compared++
		r.URLs = []URLRecipe{from, to}
		c := r.Build("redirected")
		res, ok := decide(c)
		if !ok {
			return pass // e.g. a non-HTTP(S) URL cannot redirect
		}
		if res.Verdict != corpus.VerdictAllowed {
			return fail("both URLs are allowed alone, but not the redirect:\n%s\n  -> %+v", caseJSON(c), res)
		}
		return pass
	}, GenRecipe(), genURL(), genURL()))
	props.TestingRun(t)
	nonVacuous(t, "pairs of allowed URLs redirected", compared)
}

// sameDecision decides a and b, which must both be decided or both be
// refused, and when decided must have the same shape (see shape); it counts
// the decided pairs in compared.
func sameDecision(a, b corpus.Case, renamed bool, compared *int) *gopter.PropResult {
	ra, oka := decide(a)
	rb, okb := decide(b)
	if oka != okb {
		return fail("%s\n%s\nonly one could be decided: %q %q", caseJSON(a), caseJSON(b), ra.Error, rb.Error)
	}
	if !oka {
		return pass
	}
	*compared++
	if d := cmp.Diff(shape(ra, renamed), shape(rb, renamed)); d != "" {
		return fail("%s\n%s\n(-%s +%s):\n%s", caseJSON(a), caseJSON(b), a.ID, b.ID, d)
	}
	return pass
}

// shape is what a result says about a request, without the policy text
// (which case changes alter). With renamed, connect-src and default-src are
// the same directive name.
func shape(r corpus.Result, renamed bool) []string {
	out := []string{r.Verdict}
	for _, v := range r.Violations {
		d := v.Directive
		if renamed && d == "connect-src" {
			d = "default-src"
		}
		out = append(out, strings.Join([]string{fmt.Sprint(v.Policy), d, v.EffectiveDirective, v.Disposition, v.BlockedURI, v.Check, fmt.Sprint(v.RedirectCount)}, " "))
	}
	return out
}
