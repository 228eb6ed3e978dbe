package main

import (
	"fmt"
	"slices"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// Labelling a disagreement: the spec step that decided what the
// implementation got wrong, read from the model's trace of the (minimized)
// case. A verdict difference is labelled by the step that made the model's
// deciding check say Blocked or Allowed; a violation-field difference by the
// algorithm that computes that field; a refusal by the refusal.

// node is one entry of a trace with the entries recorded inside it: an
// algorithm entered with Trace.Enter has children, a step has none.
type node struct {
	model.TraceStep
	children []*node
}

// traceTree turns a flat trace into its tree of algorithms and steps.
func traceTree(steps []model.TraceStep) []*node {
	var roots []*node
	var stack []*node
	for _, s := range steps {
		n := &node{TraceStep: s}
		for len(stack) > 0 && stack[len(stack)-1].Depth >= s.Depth {
			stack = stack[:len(stack)-1]
		}
		if len(stack) == 0 {
			roots = append(roots, n)
		} else {
			p := stack[len(stack)-1]
			p.children = append(p.children, n)
		}
		stack = append(stack, n)
	}
	return roots
}

func (n *node) label() string {
	if n.Step == "" {
		return "#" + n.Anchor
	}
	return "#" + n.Anchor + " step " + n.Step
}

// negative tells whether a step's note reports a failure to match or a block.
func negative(note string) bool {
	return strings.Contains(note, "Does Not Match") || strings.Contains(note, "Blocked") ||
		strings.Contains(note, "does not match") || strings.HasPrefix(note, "violates")
}

// cause follows an algorithm to the step that decided its result: its last
// numbered step of its own (the step that returned) and, when that result
// came from an algorithm it ran just before, that algorithm's cause. A
// negative result may also come from a sub-algorithm that records steps
// without entering (#match-hosts, #match-ports, …) just before it.
func cause(n *node) string {
	ret := -1
	for i := len(n.children) - 1; i >= 0; i-- {
		c := n.children[i]
		if c.Anchor == n.Anchor && c.Step != "" {
			ret = i
			break
		}
	}
	if ret < 0 {
		// No step of its own (#match-request-to-source-list is one call):
		// its last algorithm decided.
		for i := len(n.children) - 1; i >= 0; i-- {
			if len(n.children[i].children) > 0 {
				return cause(n.children[i])
			}
		}
		return n.label()
	}
	// An algorithm that hands over to another after its last step of its
	// own (default-src's step 3 runs the effective directive's check)
	// returns what that one returned.
	for i := len(n.children) - 1; i > ret; i-- {
		if len(n.children[i].children) > 0 {
			return cause(n.children[i])
		}
	}
	r := n.children[ret]
	if ret > 0 {
		prev := n.children[ret-1]
		switch {
		case len(prev.children) > 0:
			return cause(prev)
		case prev.Anchor != n.Anchor && prev.Step != "" && negative(r.Note):
			return prev.label()
		case prev.Anchor == n.Anchor && prev.Step != "" && negative(prev.Note) && negative(r.Note):
			// A step that concluded what the return step only repeats
			// (#match-url-to-source-expression step 4 for 'self', then 5).
			return prev.label()
		}
	}
	return r.label()
}

// walk calls f on every node of the forest, in order.
func walk(ns []*node, f func(*node)) {
	for _, n := range ns {
		f(n)
		walk(n.children, f)
	}
}

// ruleOf labels a disagreement on case c (minimized) of the given kind.
func ruleOf(c corpus.Case, kind string) string {
	var tr model.Trace
	res := corpus.RunModel(c, &tr)
	if res.Error != "" || kind == "error" {
		switch {
		case res.Error == "":
			return "the model decides what the implementation refuses"
		case strings.Contains(res.Error, "the API throws"):
			return "the API refuses the URL"
		case strings.Contains(res.Error, corpus.ErrCase.Error()):
			return "the case is invalid"
		}
		return "the request cannot be made"
	}
	roots := traceTree(tr.Steps)
	if ck := c.CheckName(); ck != corpus.CheckRequest {
		if kind != "" && kind != "sandbox_flags" && !slices.Contains(strings.Split(kind, "+"), "verdict") {
			var parts []string
			for _, f := range strings.Split(kind, "+") {
				if a := checkFieldAlgorithm(f, ck); a != "" {
					parts = append(parts, a)
				} else {
					parts = append(parts, fieldAlgorithm(f, roots))
				}
			}
			return "violation " + kind + ": " + strings.Join(parts, "; ")
		}
		return ruleOfCheck(c, roots, res, kind)
	}
	// Policy text the parser skipped decides before any check does when it
	// held a directive that would have stood in the request's fallback
	// list: a directive dropped for a non-ASCII token or a repeated name.
	in, _ := c.Build()
	fallback := model.DirectiveFallbackList(model.EffectiveDirectiveForRequest(&in.Request, nil))
	skipped := ""
	walk(roots, func(n *node) {
		if skipped != "" || n.Anchor != "parse-serialized-policy" || n.Step != "3.2" && n.Step != "3.5" {
			return
		}
		if name := skippedDirective(n.Note); slices.Contains(fallback, name) {
			skipped = n.label()
		}
	})
	if kind != "" && !slices.Contains(strings.Split(kind, "+"), "verdict") {
		return "violation " + kind + ": " + fieldAlgorithm(kind, roots)
	}
	if skipped != "" {
		return skipped
	}
	if res.Verdict == corpus.VerdictBlocked {
		return blockingCause(roots)
	}
	return allowingCause(roots)
}

// skippedDirective reads the directive name out of the note of
// #parse-serialized-policy step 3.2 (`token "…" is not ASCII: skipped`) or
// 3.5 (`duplicate directive "…" ignored`).
func skippedDirective(note string) string {
	_, rest, ok := strings.Cut(note, `"`)
	if !ok {
		return ""
	}
	name, _, _ := strings.Cut(rest, `"`)
	name, _, _ = strings.Cut(strings.TrimLeft(name, " \t"), " ")
	return strings.ToLower(name)
}

// blockingCause finds the check that blocked: in the first
// #should-block-request or #should-block-response that blocked, the first
// policy's violated directive.
func blockingCause(roots []*node) string {
	found := ""
	walk(roots, func(n *node) {
		if found != "" {
			return
		}
		switch n.Anchor {
		case "should-block-request":
			if !returned(n, "Blocked") {
				return
			}
			for _, c := range n.children {
				if c.Anchor == "does-request-violate-policy" && returned(c, "violates") {
					found = violatedCheck(c)
					return
				}
			}
		case "should-block-response":
			if !returned(n, "Blocked") {
				return
			}
			for i, c := range n.children {
				if c.Anchor == n.Anchor && c.Step == "3.1.1.2" {
					for j := i - 1; j >= 0; j-- {
						if p := n.children[j]; len(p.children) > 0 && p.Anchor != "create-violation-for-request" {
							found = cause(p)
							return
						}
					}
				}
			}
		}
	})
	if found == "" {
		return "no blocking step recorded"
	}
	return found
}

// violatedCheck returns the cause inside #does-request-violate-policy: the
// resource-hint algorithm, or the last directive check that said Blocked
// (the one step 3.2 recorded last).
func violatedCheck(n *node) string {
	for i := len(n.children) - 1; i >= 0; i-- {
		c := n.children[i]
		if c.Anchor == "does-resource-hint-violate-policy" && len(c.children) > 0 {
			return cause(c)
		}
		if c.Anchor == n.Anchor && c.Step == "3.2" {
			for j := i - 1; j >= 0; j-- {
				if len(n.children[j].children) > 0 {
					return cause(n.children[j])
				}
			}
		}
	}
	return cause(n)
}

// allowingCause finds why the model allowed: in the last
// #should-block-request (the last hop), the check of the first enforced
// policy whose deciding directive executed and allowed; failing that, the
// step that kept every directive out of the decision.
func allowingCause(roots []*node) string {
	var last *node
	walk(roots, func(n *node) {
		if n.Anchor == "should-block-request" && len(n.children) > 0 {
			last = n
		}
	})
	if last == nil {
		return "no policy applies"
	}
	fallback := ""
	for _, drvp := range last.children {
		if drvp.Anchor != "does-request-violate-policy" {
			continue
		}
		for _, c := range drvp.children {
			if len(c.children) == 0 {
				continue
			}
			if c.Anchor == "does-resource-hint-violate-policy" {
				return cause(c)
			}
			executed := false
			for _, s := range c.children {
				if s.Anchor == "should-directive-execute" && s.Step == "2.1" {
					executed = true
				}
			}
			if executed {
				return cause(c)
			}
			if fallback == "" {
				fallback = cause(c)
			}
		}
	}
	if fallback != "" {
		return fallback
	}
	return "no enforced policy applies"
}

// returned tells whether an algorithm's last step of its own says so.
func returned(n *node, word string) bool {
	for i := len(n.children) - 1; i >= 0; i-- {
		if c := n.children[i]; c.Anchor == n.Anchor && c.Step != "" {
			return strings.Contains(c.Note, word)
		}
	}
	return false
}

// fieldAlgorithm names the algorithm that computes a violation field, with
// the step the trace shows where there is one.
func fieldAlgorithm(kind string, roots []*node) string {
	var parts []string
	for _, f := range strings.Split(kind, "+") {
		switch f {
		case "blocked_uri":
			parts = append(parts, "#obtain-violation-blocked-uri (#strip-url-for-use-in-reports)")
		case "effective_directive":
			step := "#effective-directive-for-a-request"
			walk(roots, func(n *node) {
				if n.Anchor == "effective-directive-for-a-request" && n.Step != "" {
					step = n.label()
				}
			})
			parts = append(parts, step)
		case "directive":
			parts = append(parts, "#should-directive-execute")
		case "policy", "disposition":
			parts = append(parts, "#parse-response-csp")
		case "original_policy":
			parts = append(parts, "#parse-serialized-policy")
		case "check", "violations":
			parts = append(parts, "#report-for-request, #should-block-request, #should-block-response")
		case "redirect_count":
			parts = append(parts, "fetch#http-redirect-fetch")
		case "sample", "element", "response_policy", "report_body":
			parts = append(parts, checkFieldAlgorithm(f, corpus.CheckRequest))
		default:
			parts = append(parts, fmt.Sprintf("(field %s)", f))
		}
	}
	return strings.Join(parts, "; ")
}
