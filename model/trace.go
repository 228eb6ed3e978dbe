package model

import (
	"fmt"
	"strings"
)

// Trace records the steps the model took, so that a reader can see why a
// request was allowed or blocked. A nil *Trace records nothing; every model
// function accepts one as its last argument.
type Trace struct {
	Steps []TraceStep
	depth int
}

// TraceStep is one recorded step: the algorithm's anchor, the step number as
// the spec numbers it ("3.2"), and what happened there.
//
// Anchors of the CSP3 specification are written bare ("match-hosts"); anchors
// of other standards carry the standard's short name ("fetch#main-fetch").
type TraceStep struct {
	Depth  int    `json:"depth"`
	Anchor string `json:"anchor"`
	Step   string `json:"step,omitempty"`
	Note   string `json:"note"`
}

// Enter records the start of an algorithm and returns the function that ends
// it. Use it as `defer tr.Enter("match-hosts", "pattern %q, host %q", p, h)()`.
func (t *Trace) Enter(anchor, format string, args ...any) func() {
	if t == nil {
		return func() {}
	}
	t.Steps = append(t.Steps, TraceStep{Depth: t.depth, Anchor: anchor, Note: fmt.Sprintf(format, args...)})
	t.depth++
	return func() { t.depth-- }
}

// Step records that step of the algorithm anchor ran, and its outcome.
func (t *Trace) Step(anchor, step, format string, args ...any) {
	if t == nil {
		return
	}
	t.Steps = append(t.Steps, TraceStep{Depth: t.depth, Anchor: anchor, Step: step, Note: fmt.Sprintf(format, args...)})
}

// Amend rewrites the note of the last recorded step that is step of anchor,
// for a caller that runs an algorithm on inputs of its own making and must
// say what that step's result means for it. It does nothing when no such
// step was recorded.
func (t *Trace) Amend(anchor, step, format string, args ...any) {
	if t == nil {
		return
	}
	for i := len(t.Steps) - 1; i >= 0; i-- {
		if s := &t.Steps[i]; s.Anchor == anchor && s.Step == step {
			s.Note = fmt.Sprintf(format, args...)
			return
		}
	}
}

// String renders the trace as an indented list, one step per line.
func (t *Trace) String() string {
	if t == nil {
		return ""
	}
	var b strings.Builder
	for _, s := range t.Steps {
		b.WriteString(strings.Repeat("  ", s.Depth))
		if s.Step == "" {
			fmt.Fprintf(&b, "#%s: %s\n", s.Anchor, s.Note)
		} else {
			fmt.Fprintf(&b, "#%s step %s: %s\n", s.Anchor, s.Step, s.Note)
		}
	}
	return b.String()
}
