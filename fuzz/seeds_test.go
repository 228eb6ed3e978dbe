package fuzz

import (
	"strings"
	"testing"

	"github.com/google/go-cmp/cmp"

	"github.com/cspmodel/cspmodel/corpus"
)

// The fuzz targets take plain strings. A case travels as:
//   - policies: one delivery per line, its first byte saying which kind:
//     'e' an enforced header, 'r' a report-only header, 'm' a <meta>
//     element, anything else an enforced header with that byte kept;
//   - urls: the URL list, one per line;
//   - kind: a caller, or "" to use destination, initiator and mode;
//   - nonce, integrity, parser metadata as they are.

func encodePolicies(ps []corpus.PolicyInput) string {
	var lines []string
	for _, p := range ps {
		prefix := "e"
		switch {
		case p.Source == "meta":
			prefix = "m"
		case p.Disposition == "report":
			prefix = "r"
		}
		lines = append(lines, prefix+p.Value)
	}
	return strings.Join(lines, "\n")
}

func decodePolicies(s string) []corpus.PolicyInput {
	if s == "" {
		return nil
	}
	var ps []corpus.PolicyInput
	for _, line := range strings.Split(s, "\n") {
		p := corpus.PolicyInput{Value: line, Disposition: "enforce", Source: "header"}
		if line != "" {
			switch line[0] {
			case 'e':
				p.Value = line[1:]
			case 'r':
				p.Value, p.Disposition = line[1:], "report"
			case 'm':
				p.Value, p.Source = line[1:], "meta"
			}
		}
		ps = append(ps, p)
	}
	return ps
}

type decideArgs struct {
	policies, selfOrigin, urls, kind, destination, initiator, mode, nonce, integrity, parser string
}

func argsOf(c corpus.Case) decideArgs {
	a := decideArgs{
		policies: encodePolicies(c.Policies), selfOrigin: c.SelfOrigin, urls: strings.Join(c.Request.URLList, "\n"),
		kind: c.Request.Kind, initiator: c.Request.Initiator, mode: c.Request.Mode,
		nonce: c.Request.Nonce, integrity: c.Request.Integrity, parser: c.Request.ParserMetadata,
	}
	if c.Request.Destination != nil {
		a.destination = *c.Request.Destination
	}
	return a
}

func (a decideArgs) toCase() corpus.Case {
	c := corpus.Case{ID: "fuzz", Policies: decodePolicies(a.policies), SelfOrigin: a.selfOrigin}
	c.Request.URLList = strings.Split(a.urls, "\n")
	if a.kind != "" {
		c.Request.Kind = a.kind
	} else {
		d := a.destination
		c.Request.Destination = &d
		c.Request.Initiator, c.Request.Mode = a.initiator, a.mode
	}
	c.Request.Nonce, c.Request.Integrity, c.Request.ParserMetadata = a.nonce, a.integrity, a.parser
	return c
}

// agreeCase runs a case through model and engine and reports any difference.
// Errors agree when both sides have one: their messages are each side's own.
func agreeCase(t *testing.T, c corpus.Case) {
	t.Helper()
	m := corpus.RunModel(c, nil)
	e := corpus.RunEngine(c)
	if (m.Error == "") != (e.Error == "") {
		t.Fatalf("model and engine disagree on whether the case can be decided:\nmodel error: %q\nengine error: %q\nreproduce: %s", m.Error, e.Error, strings.Replace(c.CheckCommand(), "csp check", "csp check --trace", 1))
	}
	if m.Error != "" {
		return
	}
	if diff := cmp.Diff(m, e); diff != "" {
		t.Fatalf("decision mismatch (-model +engine):\n%s\nreproduce: %s", diff, strings.Replace(c.CheckCommand(), "csp check", "csp check --trace", 1))
	}
	if again := corpus.RunModel(c, nil); !cmp.Equal(m, again) {
		t.Fatalf("the model gave a different answer the second time:\n%s", cmp.Diff(m, again))
	}
}

func loadCorpus(f *testing.F) []corpus.Case {
	cases, err := corpus.Load()
	if err != nil {
		f.Fatal(err)
	}
	if len(cases) == 0 {
		f.Fatal("the corpus is empty")
	}
	return cases
}
