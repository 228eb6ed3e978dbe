package main

import (
	"bytes"
	"flag"
	"go/parser"
	"go/token"
	"os"
	"regexp"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite testdata/mutate/sample.golden")

func sampleMutants(t *testing.T, src []byte) []*Mutant {
	t.Helper()
	all := map[string]bool{}
	for _, o := range operators {
		all[o.name] = true
	}
	ms, err := mutateFile("sample/sample.go", "sample", src, all, regexp.MustCompile(`^tr\.Step$`))
	if err != nil {
		t.Fatal(err)
	}
	return ms
}

// TestSampleMutants holds the mutator to the mutants written out in
// testdata/mutate/sample.golden, one construct of each kind (go test -run
// TestSampleMutants -update rewrites it, to be read before committing).
func TestSampleMutants(t *testing.T) {
	src, err := os.ReadFile("testdata/mutate/sample.go")
	if err != nil {
		t.Fatal(err)
	}
	var got bytes.Buffer
	writeList(&got, sampleMutants(t, src), nil)
	if *update {
		if err := os.WriteFile("testdata/mutate/sample.golden", got.Bytes(), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile("testdata/mutate/sample.golden")
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got.Bytes(), want) {
		gl, wl := strings.Split(got.String(), "\n"), strings.Split(string(want), "\n")
		for i := 0; i < max(len(gl), len(wl)); i++ {
			var g, w string
			if i < len(gl) {
				g = gl[i]
			}
			if i < len(wl) {
				w = wl[i]
			}
			if g != w {
				t.Fatalf("mutants differ from testdata/mutate/sample.golden at line %d:\ngot:  %q\nwant: %q", i+1, g, w)
			}
		}
	}
}

// TestDefaultOperators: the default set leaves out the extra operators
// and only them.
func TestDefaultOperators(t *testing.T) {
	src, err := os.ReadFile("testdata/mutate/sample.go")
	if err != nil {
		t.Fatal(err)
	}
	def, err := mutateFile("sample/sample.go", "sample", src, nil, regexp.MustCompile(`^tr\.Step$`))
	if err != nil {
		t.Fatal(err)
	}
	inDefault := map[string]bool{}
	for _, m := range def {
		inDefault[m.ID] = true
	}
	ops := map[string]int{}
	for _, m := range sampleMutants(t, src) {
		extra := m.Op == "negate-order" || m.Op == "char"
		if inDefault[m.ID] == extra {
			t.Errorf("%s: in the default set %v, extra %v", m.ID, inDefault[m.ID], extra)
		}
		ops[m.Op]++
	}
	for _, o := range operators {
		if ops[o.name] == 0 {
			t.Errorf("the sample has no mutant of operator %s", o.name)
		}
	}
}

// TestSampleMutantsAreValid: every mutant is a real change that still
// parses, and IDs are unique.
func TestSampleMutantsAreValid(t *testing.T) {
	src, err := os.ReadFile("testdata/mutate/sample.go")
	if err != nil {
		t.Fatal(err)
	}
	ids := map[string]bool{}
	for _, m := range sampleMutants(t, src) {
		if ids[m.ID] {
			t.Errorf("duplicate ID %s", m.ID)
		}
		ids[m.ID] = true
		out := m.Source(src)
		if bytes.Equal(out, src) {
			t.Errorf("%s changes nothing", m.ID)
		}
		if _, err := parser.ParseFile(token.NewFileSet(), "x.go", out, 0); err != nil {
			t.Errorf("%s does not parse: %v\n%s", m.ID, err, out)
		}
		if m.Orig == m.Mutated {
			t.Errorf("%s: the lines shown do not change: %q", m.ID, m.Orig)
		}
	}
}

// TestIDsSurviveUnrelatedEdits: a function added above, and another
// function changed, leave the other mutants' IDs as they were.
func TestIDsSurviveUnrelatedEdits(t *testing.T) {
	src, err := os.ReadFile("testdata/mutate/sample.go")
	if err != nil {
		t.Fatal(err)
	}
	edited := strings.Replace(string(src), "type trace struct", "func added(a, b int) bool {\n\treturn a < b && b > 0\n}\n\ntype trace struct", 1)
	edited = strings.Replace(edited, "return l.n >= limit", "x := l.n - 1\n\treturn x+1 >= limit", 1)
	if edited == string(src) {
		t.Fatal("the edits did not apply")
	}
	before, after := map[string]bool{}, map[string]bool{}
	for _, m := range sampleMutants(t, src) {
		before[m.ID] = true
	}
	for _, m := range sampleMutants(t, []byte(edited)) {
		after[m.ID] = true
	}
	kept, changed := 0, 0
	for id := range before {
		inFull := strings.Contains(id, ":(*list).full:")
		switch {
		case after[id]:
			kept++
		case inFull:
			changed++
		default:
			t.Errorf("%s is gone after an unrelated edit", id)
		}
	}
	if kept < 30 {
		t.Errorf("only %d IDs kept: the sample is too small to show anything", kept)
	}
	if changed == 0 {
		t.Errorf("no ID of the edited function changed: IDs do not depend on the code")
	}
}

// TestTwinNamesDoNotMove: when one of two identical changes in a function
// goes, the name of the one removed does not pass to the one left, as it
// would if identical changes were named by their order alone (a listed
// equivalent would then name a mutant nobody read).
func TestTwinNamesDoNotMove(t *testing.T) {
	src := "package p\n\nfunc f(a, b bool) bool {\n\tif a {\n\t\treturn false\n\t}\n\tif b {\n\t\treturn false\n\t}\n\treturn true\n}\n"
	edited := strings.Replace(src, "\tif a {\n\t\treturn false\n\t}\n", "", 1)
	ops := map[string]bool{"bool": true}
	byLine := func(s string) map[string]string { // "a" or "b" → ID
		ms, err := mutateFile("p/p.go", "p", []byte(s), ops, nil)
		if err != nil {
			t.Fatal(err)
		}
		out := map[string]string{}
		lines := strings.Split(s, "\n")
		for _, m := range ms {
			if strings.TrimSpace(m.Orig) == "return false" {
				out[strings.TrimSpace(lines[m.Line-2])] = m.ID
			}
		}
		return out
	}
	before, after := byLine(src), byLine(edited)
	if len(before) != 2 || len(after) != 1 {
		t.Fatalf("before %v, after %v: want two mutants of return false, then one", before, after)
	}
	if after["if b {"] == before["if a {"] {
		t.Errorf("the mutant under if b took the name %s of the one removed under if a", before["if a {"])
	}
}

// TestTwinsListedTogether: identical changes under the same statements are
// told apart only by their order, so an equivalents entry for one of them
// stands only when the other is listed too.
func TestTwinsListedTogether(t *testing.T) {
	src := []byte("package p\n\nfunc f(s string) (n int) {\n\tfor i := 0; i < len(s); i++ {\n\t\tn++\n\t}\n\tfor i := 0; i < len(s); i++ {\n\t\tn++\n\t}\n\treturn n\n}\n")
	ms, err := mutateFile("p/p.go", "p", src, map[string]bool{"boundary": true}, nil)
	if err != nil || len(ms) != 2 || ms[0].ID == ms[1].ID {
		t.Fatalf("mutateFile = %v, %v; want two boundary mutants with their own IDs", ms, err)
	}
	entry := func(m *Mutant) Equivalent { return Equivalent{ID: m.ID, Change: changeLine(m), Reason: "r"} }
	if ok, stale := checkEquivalents([]Equivalent{entry(ms[0])}, ms, "eq.txt"); len(ok) != 0 || len(stale) != 1 || !strings.Contains(stale[0], ms[1].ID) {
		t.Errorf("one twin listed: %d good, stale %q; want it refused, naming the other", len(ok), stale)
	}
	if ok, stale := checkEquivalents([]Equivalent{entry(ms[0]), entry(ms[1])}, ms, "eq.txt"); len(ok) != 2 || len(stale) != 0 {
		t.Errorf("both twins listed: %d good, stale %q; want both good", len(ok), stale)
	}
}
