package main

import (
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestEquivalentsFile: the project's list parses, and every entry names a
// mutant of engine/ or model/ that exists now, with its change as written.
func TestEquivalentsFile(t *testing.T) {
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not available")
	}
	eqs, err := loadEquivalents("equivalent.txt")
	if err != nil {
		t.Fatal(err)
	}
	root, err := filepath.Abs("../..")
	if err != nil {
		t.Fatal(err)
	}
	mutants, err := collect(root, &options{pkgs: strings.Split(defaultPkgs, ","), skipCalls: regexp.MustCompile(defaultSkipCalls)})
	if err != nil {
		t.Fatal(err)
	}
	if len(mutants) < 1000 {
		t.Fatalf("only %d mutants of %s: the mutator lost its way", len(mutants), defaultPkgs)
	}
	ok, stale := checkEquivalents(eqs, mutants, "equivalent.txt")
	for _, s := range stale {
		t.Errorf("stale entry: %s", s)
	}
	if len(ok) != len(eqs) {
		t.Errorf("%d of %d entries match a mutant", len(ok), len(eqs))
	}
}

func TestParseEquivalents(t *testing.T) {
	good := "# comment\n\nmutant: a.go:f:not:1\nchange: !x → x\nreason: one\n  two\n\nmutant: a.go:f:not:2\nchange: !y → y\nreason: three\n"
	eqs, err := parseEquivalents("good", []byte(good))
	if err != nil {
		t.Fatal(err)
	}
	if len(eqs) != 2 || eqs[0].Reason != "one two" || eqs[1].ID != "a.go:f:not:2" || eqs[1].Line != 8 {
		t.Errorf("parseEquivalents = %+v", eqs)
	}
	for name, bad := range map[string]string{
		"no reason":    "mutant: a\nchange: x → y\n",
		"empty reason": "mutant: a\nchange: x → y\nreason:   \n",
		"no change":    "mutant: a\nreason: r\n",
		"no mutant":    "change: x → y\nreason: r\n",
		"unknown key":  "mutant: a\nchange: x → y\nreason: r\nnote: n\n",
		"no colon":     "mutant a\n",
		"two mutants":  "mutant: a\nmutant: b\nchange: x → y\nreason: r\n",
		"duplicate":    "mutant: a\nchange: x → y\nreason: r\n\nmutant: a\nchange: x → y\nreason: r\n",
		"stray indent": "  reason: r\n",
	} {
		if _, err := parseEquivalents(name, []byte(bad)); err == nil {
			t.Errorf("%s: parseEquivalents(%q) gave no error", name, bad)
		}
	}
}

// TestStaleEquivalents: an entry whose mutant is gone, or whose change
// reads differently, is reported.
func TestStaleEquivalents(t *testing.T) {
	src := []byte("package p\n\nfunc f(x bool) bool {\n\treturn !x\n}\n")
	ms, err := mutateFile("p/p.go", "p", src, map[string]bool{"not": true}, nil)
	if err != nil || len(ms) != 1 {
		t.Fatalf("mutateFile = %v, %v; want one mutant", ms, err)
	}
	id := ms[0].ID
	eqs := []Equivalent{
		{ID: id, Change: "return !x → return x", Reason: "r", Line: 1},
		{ID: "p/p.go:f:not:00000000", Change: "return !x → return x", Reason: "r", Line: 5},
		{ID: id, Change: "return !y → return y", Reason: "r", Line: 9},
	}
	ok, stale := checkEquivalents(eqs, ms, "eq.txt")
	if len(ok) != 1 || len(stale) != 2 {
		t.Fatalf("checkEquivalents: %d good, stale %q; want 1 good and 2 stale", len(ok), stale)
	}
	if !strings.Contains(stale[0], "eq.txt:5:") || !strings.Contains(stale[1], "eq.txt:9:") {
		t.Errorf("stale entries not located: %q", stale)
	}
}
