package main

import (
	"slices"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
)

// Labelling a disagreement on a check other than a request (label.go does
// requests): the step of the check's algorithm that decided, followed into
// the directive's algorithm that concluded (#match-element-to-source-list
// step 5.2.2.5.3 for an inline script a hash allowed, #is-element-nonceable
// step 2.1 for a nonce on an element with dangling markup,
// #match-url-to-source-expression step 4 for a frame ancestor 'self' does
// not match).

// checkAlgorithms are the algorithms that decide each check, as the
// model's trace names them.
var checkAlgorithms = map[string]string{
	corpus.CheckInline:             "should-block-inline",
	corpus.CheckEval:               "can-compile-strings",
	corpus.CheckWasm:               "can-compile-wasm-bytes",
	corpus.CheckNavigationRequest:  "should-block-navigation-request",
	corpus.CheckNavigationResponse: "should-block-navigation-response",
	corpus.CheckBase:               "allow-base-for-document",
	corpus.CheckSandbox:            "run-global-object-csp-initialization",
	corpus.CheckRTC:                "should-block-rtc-connection",
}

// reportOnlySteps are the steps at which each check's algorithm blocks for
// an enforced policy only.
var reportOnlySteps = map[string]string{
	corpus.CheckInline: "3.1.8", corpus.CheckNavigationRequest: "3.1.5", corpus.CheckNavigationResponse: "2.1.5",
	corpus.CheckBase: "2.4.4", corpus.CheckRTC: "2.1.5", corpus.CheckEval: "5.3.8", corpus.CheckWasm: "3.3.4",
}

// trustedTypes is the Trusted Types algorithm #can-compile-strings runs
// first; it decides only when it refuses the string.
const trustedTypes = "trusted-types#get-trusted-type-compliant-string-algorithm"

// isDecider tells whether an algorithm the check's algorithm runs can
// decide its result: a directive's inline check, form-action's and
// frame-ancestors' checks, base-uri's URL matching, webrtc's pre-connect
// check, sandbox's initialization, and Trusted Types.
func isDecider(anchor string) bool {
	if strings.HasSuffix(anchor, "-inline") && anchor != "allow-all-inline" && anchor != "should-block-inline" {
		return true
	}
	switch anchor {
	case "form-action-pre-navigate", "frame-ancestors-navigation-response", "match-url-to-source-list",
		"webrtc-pre-connect", "sandbox-init", trustedTypes:
		return true
	}
	return false
}

// ruleOfCheck labels a verdict or sandbox-flag difference on a case of a
// check other than a request, from the model's trace of it.
func ruleOfCheck(c corpus.Case, roots []*node, res corpus.Result, kind string) string {
	ck := c.CheckName()
	if kind == "sandbox_flags" {
		label := "html#csp-derived-sandboxing-flags"
		walk(roots, func(n *node) {
			if n.Anchor == "html#csp-derived-sandboxing-flags" && n.Step != "" {
				label = n.label()
			}
		})
		return "#" + strings.TrimPrefix(label, "#")
	}
	anchor := checkAlgorithms[ck]
	if ck == corpus.CheckSandbox && (c.Global == nil || c.Global.Kind == "" || c.Global.Kind == "window") {
		return "#run-document-csp-initialization (a document's sandbox never blocks)"
	}
	blocked := func(n *node) bool { return strings.Contains(strings.ToLower(n.Note), "blocked") }
	// The run of the check's algorithm that decided: the first that
	// blocked, or the last (a navigation runs it once per URL).
	var top *node
	walk(roots, func(n *node) {
		if n.Anchor != anchor || len(n.children) == 0 || top != nil && (res.Verdict == corpus.VerdictBlocked || len(top.children) == 0) {
			return
		}
		if res.Verdict == corpus.VerdictBlocked && !returned(n, "locked") {
			return
		}
		top = n
	})
	if top == nil {
		return "#" + anchor
	}
	own := func(n *node) bool { return n.Anchor == top.Anchor && n.Step != "" }
	if res.Verdict == corpus.VerdictBlocked {
		// The first step of the check's own that blocked, and the deciding
		// algorithm just before it.
		for i, s := range top.children {
			if !own(s) || !blocked(s) {
				continue
			}
			for j := i - 1; j >= 0; j-- {
				p := top.children[j]
				if own(p) && blocked(p) {
					break
				}
				if isDecider(p.Anchor) && (p.Anchor != trustedTypes || strings.HasPrefix(s.Step, "2.")) {
					return deciderCause(p, c)
				}
			}
			return s.label()
		}
		return top.label()
	}
	// Allowed: the last deciding algorithm that ran; if it objected (a
	// violation followed it), only report-only policies objected, and the
	// step that lets them report without blocking decided.
	for i := len(top.children) - 1; i >= 0; i-- {
		p := top.children[i]
		if !isDecider(p.Anchor) || p.Anchor == trustedTypes {
			continue
		}
		for _, q := range top.children[i+1:] {
			if isDecider(q.Anchor) {
				break
			}
			if q.Anchor == "create-violation-for-global" {
				if step, ok := reportOnlySteps[ck]; ok {
					return "#" + anchor + " step " + step + " (report-only: no block)"
				}
			}
		}
		return deciderCause(p, c)
	}
	var steps []*node
	for _, s := range top.children {
		if own(s) {
			steps = append(steps, s)
		}
		if step, ok := reportOnlySteps[ck]; ok && s.Anchor == "create-violation-for-global" {
			return "#" + anchor + " step " + step + " (report-only: no block)"
		}
	}
	switch len(steps) {
	case 0:
		return top.label()
	case 1:
		return steps[0].label()
	}
	return steps[len(steps)-2].label()
}

// deciderCause follows a deciding algorithm to the step that concluded it.
func deciderCause(n *node, c corpus.Case) string {
	if len(n.children) == 0 {
		return n.label()
	}
	if n.Anchor == "sandbox-init" || n.Anchor == trustedTypes {
		for i := len(n.children) - 1; i >= 0; i-- {
			if s := n.children[i]; s.Anchor == n.Anchor && s.Step != "" {
				return s.label()
			}
		}
	}
	for _, ch := range n.children {
		if ch.Anchor == "match-element-to-source-list" && len(ch.children) > 0 {
			return elementCause(ch, c)
		}
		if strings.HasSuffix(n.Anchor, "-inline") && strings.HasSuffix(ch.Anchor, "-inline") && len(ch.children) > 0 {
			// default-src's inline check runs the effective directive's.
			return deciderCause(ch, c)
		}
	}
	return cause(n)
}

// elementCause is the step of #match-element-to-source-list that decided:
// the step that matched; or, for Does Not Match, the step that kept a nonce
// from counting (an element that is not nonceable for its attributes or a
// duplicate attribute), the nonce or hash that overrode 'unsafe-inline', or
// else step 6 (nothing in the list matches).
func elementCause(n *node, c corpus.Case) string {
	var last *node
	for _, s := range n.children {
		if s.Anchor == n.Anchor && s.Step != "" {
			last = s
		}
	}
	if last == nil {
		return n.label()
	}
	if last.Step != "6" {
		return last.label()
	}
	for _, s := range n.children {
		if s.Anchor == "is-element-nonceable" && slices.Contains([]string{"2.1", "2.2", "3"}, s.Step) {
			return s.label()
		}
	}
	unsafeInline := false
	for _, p := range c.Policies {
		unsafeInline = unsafeInline || strings.Contains(strings.ToLower(p.Value), "'unsafe-inline'")
	}
	for _, s := range n.children {
		if unsafeInline && s.Anchor == "allow-all-inline" && (s.Step == "2.1" || s.Step == "2.2") {
			return s.label()
		}
	}
	return last.label()
}

// checkFieldAlgorithm names the algorithm that computes a violation field
// of a check other than a request, or "" for a field label.go names.
func checkFieldAlgorithm(field, check string) string {
	switch field {
	case "sample":
		if check == corpus.CheckEval {
			return "#can-compile-strings step 5.3.6 (trusted-types#should-block-sink-type-mismatch for Trusted Types)"
		}
		return "#should-block-inline step 3.1.6"
	case "element":
		return "#should-block-inline step 3.1.5"
	case "response_policy":
		return "#should-block-navigation-response step 2.1.2"
	case "report_body":
		return "#deprecated-serialize-violation"
	case "blocked_uri":
		return "#obtain-violation-blocked-uri (the resource the check's algorithm sets)"
	case "effective_directive":
		switch check {
		case corpus.CheckInline, corpus.CheckNavigationRequest:
			return "#effective-directive-for-inline-check"
		}
		return "#" + checkAlgorithms[check]
	case "check", "violations", "directive", "redirect_count":
		return "#" + checkAlgorithms[check]
	}
	return ""
}
