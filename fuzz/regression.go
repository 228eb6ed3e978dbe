package fuzz

import (
	"fmt"
	"reflect"
	"regexp"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
)

// A fuzzer's find becomes a named case of corpus/regressions/fuzz.txtar:
// the decision its input stands for, with the model's current verdict and
// violations as the expectation until someone confirms them against the
// spec. Regression builds that entry.

// caseName is what a regression's name may be: a corpus id part.
var caseName = regexp.MustCompile(`^[a-z0-9][a-z0-9.-]*$`)

// Regression is a find turned into a corpus case.
type Regression struct {
	Case  corpus.Case
	Entry string // the txtar entry, "-- name --" line included
	// Disagreement says how model and engine differ on the case as
	// written, or is "" when they agree on it (the find may be in a part
	// of the target's check that the decision does not reach, such as the
	// URL parser's fields or a policy's serialization).
	Disagreement string
}

// NewRegression turns one input of target t into a corpus case named name;
// found says where the input comes from (a file name), for the case's
// source line. It fails when the model refuses the case (a corpus case must
// be decidable) or when the case cannot be written as txtar lines without
// changing it (a value with a line break or surrounding spaces).
func NewRegression(t Target, args []any, name, found string) (Regression, error) {
	var r Regression
	if !caseName.MatchString(name) {
		return r, fmt.Errorf("case name %q: use lower-case letters, digits, dots and dashes", name)
	}
	c, err := t.Case(args)
	if err != nil {
		return r, err
	}
	c.ID = "regressions/fuzz/" + name
	c.Source = fmt.Sprintf("fuzz: %s found this input (%s)", t.Name, found)
	c.Note = "the expectation is the model's decision when the find was converted: confirm it against the spec (csp check --trace) before trusting it, and say here who was wrong"
	m := corpus.RunModel(c, nil)
	if m.Error != "" {
		return r, fmt.Errorf("the model refuses this input (%s), and a corpus case must be decidable: keep the input in testdata/fuzz only", m.Error)
	}
	c.Expect = m.Expectation()

	var b strings.Builder
	line := func(key, value string) {
		if value == "" {
			fmt.Fprintf(&b, "%s:\n", key)
		} else {
			fmt.Fprintf(&b, "%s: %s\n", key, value)
		}
	}
	fmt.Fprintf(&b, "-- %s --\n", name)
	line("source", c.Source)
	line("note", c.Note)
	for _, p := range c.Policies {
		switch {
		case p.Source == "meta" && p.Disposition == "report":
			line("meta-report-only", p.Value)
		case p.Source == "meta":
			line("meta", p.Value)
		case p.Disposition == "report":
			line("report-only", p.Value)
		default:
			line("policy", p.Value)
		}
	}
	line("self-origin", c.SelfOrigin)
	rq := c.Request
	if rq.Kind != "" {
		line("kind", rq.Kind)
	} else if rq.Destination != nil {
		line("destination", *rq.Destination)
	}
	for _, f := range []struct{ key, value string }{
		{"initiator", rq.Initiator}, {"mode", rq.Mode}, {"nonce", rq.Nonce},
		{"integrity", rq.Integrity}, {"parser-metadata", rq.ParserMetadata},
	} {
		if f.value != "" {
			line(f.key, f.value)
		}
	}
	for _, h := range rq.WebTransportHashes {
		line("webtransport-hash", h)
	}
	for _, u := range rq.URLList {
		line("url", u)
	}
	line("want", c.Expect.Verdict)
	for _, v := range c.Expect.Violations {
		line("violation", v.String())
	}
	r.Entry = b.String()

	// The entry must read back as the same case with the same expectation.
	back, err := corpus.ParseArchive("regressions/fuzz.txtar", []byte(r.Entry))
	if err != nil {
		return r, fmt.Errorf("the case does not read back: %v", err)
	}
	got := back[0]
	if !reflect.DeepEqual(got.Policies, c.Policies) || got.SelfOrigin != c.SelfOrigin || !reflect.DeepEqual(got.Request, c.Request) {
		return r, fmt.Errorf("this input cannot be written as txtar lines without changing it (a value with a line break, a leading or trailing space, or an empty policy); keep it in testdata/fuzz:\n%s", r.Entry)
	}
	if diff := got.Check(m); diff != "" {
		return r, fmt.Errorf("the written expectation does not hold: %s", diff)
	}
	r.Case = got
	r.Disagreement = disagreement(c)
	return r, nil
}
