package spec

import (
	"go/parser"
	"go/token"
	"reflect"
	"strings"
	"testing"
)

func TestCitationsInLine(t *testing.T) {
	type cite struct {
		ranges    string
		qualifier string
		inline    bool
		col       int
	}
	for _, tc := range []struct {
		line string
		want []cite
	}{
		{"Step 3.2: the host.", []cite{{"3.2", "", false, 0}}},
		{"Step 4.1", []cite{{"4.1", "", false, 0}}},
		{"Step 1 (assert): not null.", []cite{{"1", "assert", false, 0}}},
		{"Steps 3.4-3.5: the port.", []cite{{"3.4-3.5", "", false, 0}}},
		{"Steps 3.7–3.8 (no effect)", []cite{{"3.7-3.8", "no effect", false, 0}}},
		{"Steps 1, 3 and 5-6: several.", []cite{{"1, 3, 5-6", "", false, 0}}},
		{"Step 3: a task. Steps 3.1-3.2 (no effect) pick it; step 3.3 fires.", []cite{{"3", "", false, 0}, {"3.1-3.2", "no effect", true, 16}}},
		{"the wildcard (Step 2.2) matches", []cite{{"2.2", "", true, 14}}},
		{"Stepping stones 3", nil},
		{"Main fetch step 7: not ours.", nil},
		{"see step 3.2 and Steps", nil},
		{"Step: no number", nil},
	} {
		var got []cite
		for _, c := range CitationsInLine(tc.line, 100) {
			got = append(got, cite{c.String(), c.Qualifier, c.Inline, int(c.Pos) - 100})
		}
		if !reflect.DeepEqual(got, tc.want) {
			t.Errorf("CitationsInLine(%q) = %+v, want %+v", tc.line, got, tc.want)
		}
	}
}

func TestOwnReferences(t *testing.T) {
	for line, want := range map[string][]string{
		"only ASCII tokens survive (step 3.2), so":      {"3.2"},
		"so that step 3.5 stays a set lookup":           {"3.5"},
		"steps 3.1-3.2 do nothing":                      {"3.1", "3.2"},
		"Main fetch step 7: a network error":            {"7"}, // write "#main-fetch step 7" or "Fetch step 7" instead
		"HTTP-redirect fetch step 6":                    {"6"}, // a lowercase word before: read as ours
		"send() step 6: cors":                           nil,
		"(#does-resource-hint-violate-policy step 3.1)": nil,
		"Serializer step 1":                             nil,
	} {
		var got []string
		for _, r := range ownReferences(line, 0) {
			got = append(got, r.Step)
		}
		if !reflect.DeepEqual(got, want) {
			t.Errorf("ownReferences(%q) = %q, want %q", line, got, want)
		}
	}
}

const citeSource = `package p

// resourceHints are the directives of #does-resource-hint-violate-policy step 3.1.
var resourceHints = 1

// F transcribes an algorithm.
//
// Spec: #match-ports
func F(tr *T) {
	const anchor = "match-ports"
	// Step 1 (assert): a check; see https://example.org/#other step 9.
	tr.Step(anchor, "1", "x")
	/* Step 2: a block comment. */
	tr.Step("match-ports", "2", "y")
}

// G cites another standard.
//
// Spec: https://fetch.spec.whatwg.org/#main-fetch
func G() {
	// Step 12: not read.
}

// (T).M has no Spec line.
func (t *T) M() {
	// Step 1: cited without a Spec line.
}
`

func TestFuncs(t *testing.T) {
	fset := token.NewFileSet()
	f, err := parser.ParseFile(fset, "p.go", citeSource, parser.ParseComments)
	if err != nil {
		t.Fatal(err)
	}
	funcs := Funcs(f)
	if len(funcs) != 3 {
		t.Fatalf("%d funcs, want 3", len(funcs))
	}
	fn := funcs[0]
	if fn.Name != "F" || fn.Anchor != "match-ports" || fn.External || fset.Position(fn.SpecPos).Line != 8 {
		t.Errorf("F = %+v", fn)
	}
	var cites []string
	for _, c := range fn.Citations {
		cites = append(cites, c.String()+"@"+strings.TrimPrefix(fset.Position(c.Pos).String(), "p.go:"))
	}
	if want := []string{"1@11:5", "2@13:5"}; !reflect.DeepEqual(cites, want) {
		t.Errorf("F citations = %q, want %q", cites, want)
	}
	if len(fn.Traces) != 2 || fn.Traces[0] != (TraceCall{"match-ports", "1", fn.Traces[0].Pos}) || fn.Traces[1].Anchor != "match-ports" || fn.Traces[1].Step != "2" {
		t.Errorf("F traces = %+v", fn.Traces)
	}
	if g := funcs[1]; g.Name != "G" || !g.External || len(g.Citations) != 0 {
		t.Errorf("G = %+v", g)
	}
	if m := funcs[2]; m.Name != "T.M" || m.Spec != "" || len(m.Citations) != 1 {
		t.Errorf("T.M = %+v", m)
	}
	refs := CrossReferences(f)
	if len(refs) != 1 || refs[0].Anchor != "does-resource-hint-violate-policy" || refs[0].Step != "3.1" {
		t.Errorf("CrossReferences = %+v", refs)
	}
}

func TestResolve(t *testing.T) {
	a := &Algorithm{Anchor: "a"}
	for _, n := range []string{"1", "2", "2.1", "2.2", "2.2.1", "3", "3.1"} {
		a.Steps = append(a.Steps, Step{Number: n})
	}
	for _, tc := range []struct {
		c                Citation
		covered, unknown string
	}{
		{Citation{Ranges: []StepRange{{"2", "2"}}}, "2", ""},
		{Citation{Ranges: []StepRange{{"2", "3"}}}, "2 2.1 2.2 2.2.1 3", ""},
		{Citation{Ranges: []StepRange{{"2.1", "2.2"}}, Qualifier: "no effect"}, "2.1 2.2 2.2.1", ""},
		{Citation{Ranges: []StepRange{{"3", "3"}}, Qualifier: "not modelled"}, "3 3.1", ""},
		{Citation{Ranges: []StepRange{{"2.2", "2.2"}}, Qualifier: "assert"}, "2.2", ""},
		{Citation{Ranges: []StepRange{{"4", "4"}, {"1", "1"}}}, "1", "4"},
		{Citation{Ranges: []StepRange{{"3", "2"}}}, "", ""},
		{Citation{Ranges: []StepRange{{"1", "9"}}}, "", "9"},
	} {
		covered, unknown := a.Resolve(tc.c)
		if strings.Join(covered, " ") != tc.covered || strings.Join(unknown, " ") != tc.unknown {
			t.Errorf("Resolve(%s %q) = %q, %q; want %q, %q", tc.c, tc.c.Qualifier, covered, unknown, tc.covered, tc.unknown)
		}
	}
}
