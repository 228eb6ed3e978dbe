package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestMain lets the test binary stand in for the command as go test's
// -exec wrapper, as the command itself does.
func TestMain(m *testing.M) {
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], limitFlag+"=") {
		runLimited(os.Args[1:])
	}
	os.Exit(m.Run())
}

// TestTinyModule runs the command on testdata/tinymod, whose tests kill
// some mutants, time out on two, miss one on purpose, and whose
// equivalent.txt lists one; one more mutant does not compile.
func TestTinyModule(t *testing.T) {
	dir := tinyModule(t)
	before := treeState(t, dir)
	var stdout, stderr bytes.Buffer
	args := []string{"-C", dir, "-pkg", ".", "-equivalent", "equivalent.txt", "-j", "2", "-timeout", "2s",
		"-exclude", "seeded", "-sharedcache", "-nice", "0", "-json", "-q"}
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("mutation %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	var rep Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("the -json report does not parse: %v\n%s", err, stdout.String())
	}
	want := map[string]string{
		"Max if-true":        StatusKilled,
		"Max if-false":       StatusKilled,
		"Max boundary":       StatusEquivalent,
		"IsX negate":         StatusSurvived,
		"Join arith":         StatusNotCompiling,
		"Spin negate":        StatusKilled,
		"Spin literal":       StatusKilled,
		"Spin arith":         StatusTimeout,
		"Spin remove-assign": StatusTimeout,
	}
	seen := map[string]bool{}
	for _, r := range rep.Results {
		key := r.Func + " " + r.Op
		seen[key] = true
		// On a loaded machine a test that fails may also overrun the
		// short timeout: a kill all the same.
		if r.Status != want[key] && !(want[key] == StatusKilled && r.Status == StatusTimeout) {
			t.Errorf("%s (%s): %s (%s), want %s", key, r.ID, r.Status, r.Detail, want[key])
		}
		if r.killed() && r.KilledBy != "example.com/tiny" {
			t.Errorf("%s killed by %q, want example.com/tiny", key, r.KilledBy)
		}
	}
	for key := range want {
		if !seen[key] {
			t.Errorf("no result for the mutant %s", key)
		}
	}
	total := rep.Summary[len(rep.Summary)-1]
	wantTotal := Row{Name: "total", Total: 9, NotCompiling: 1, Equivalent: 1, Killed: 6, Timeout: total.Timeout, Survived: 1, Score: 6.0 / 7}
	if total != wantTotal || total.Timeout < 2 {
		t.Errorf("summary = %+v\nwant      %+v", total, wantTotal)
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the run changed testdata/tinymod:\nbefore: %s\nafter:  %s", before, after)
	}

	// The text report names the survivor with its change.
	var text bytes.Buffer
	writeText(&text, &rep)
	for _, s := range []string{"85.7%", "1 survivors:", "tiny.go:15:11 IsX negate", `+     return s != "x"`} {
		if !strings.Contains(text.String(), s) {
			t.Errorf("the text report lacks %q:\n%s", s, text.String())
		}
	}
}

// treeState lists a directory's files with their contents' sizes and
// times, to show that a run left it alone.
func treeState(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	err := filepath.Walk(dir, func(p string, info os.FileInfo, err error) error {
		if err != nil {
			return err
		}
		data := []byte{}
		if !info.IsDir() {
			data, _ = os.ReadFile(p)
		}
		b.WriteString(p + " " + info.ModTime().String() + " " + string(data) + "\n")
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return b.String()
}

// TestTinyModuleFuzz: the survivor of testdata/tinymod, which no test
// reaches, falls to fuzzing with FuzzIsX, and the input that killed it is
// not left in the module.
func TestTinyModuleFuzz(t *testing.T) {
	dir := tinyModule(t)
	before := treeState(t, dir)
	args := []string{"-C", dir, "-pkg", ".", "-run", "IsX", "-fuzz", "20s", "-fuzzpkg", ".",
		"-exclude", "seeded", "-sharedcache", "-nice", "0", "-json", "-q"}
	r, rep := runTinyFuzz(t, args)
	if r.Status != StatusSurvived || r.Fuzz == nil || r.Fuzz.KilledBy != "FuzzIsX" || r.Fuzz.FailsUnmutated {
		t.Errorf("IsX's mutant: status %s, fuzz %+v; want a survivor of the suite killed by FuzzIsX", r.Status, r.Fuzz)
	}
	if total := rep.Summary[len(rep.Summary)-1]; total.Score != 0 || total.FuzzScore != 1 {
		t.Errorf("scores %v and %v with fuzzing, want 0 and 1", total.Score, total.FuzzScore)
	}
	if after := treeState(t, dir); after != before {
		t.Errorf("the run changed testdata/tinymod:\nbefore: %s\nafter:  %s", before, after)
	}
}

// TestTinyModuleSeedKills: a fuzz target of a package the suite leaves
// out kills IsX's survivor with its seed, which go test -fuzz runs first
// and writes no input for; the seed is named as the killing input.
func TestTinyModuleSeedKills(t *testing.T) {
	dir := tinyModule(t)
	args := []string{"-C", dir, "-pkg", ".", "-run", "IsX", "-fuzz", "20s", "-fuzzpkg", "./seeded",
		"-exclude", "seeded", "-sharedcache", "-nice", "0", "-json", "-q"}
	r, _ := runTinyFuzz(t, args)
	if r.Status != StatusSurvived || r.Fuzz == nil || r.Fuzz.KilledBy != "FuzzSeeded" || r.Fuzz.Input != "(the seed FuzzSeeded/seed#0)" {
		t.Errorf("IsX's mutant: status %s, fuzz %+v; want a survivor of the suite killed by FuzzSeeded's seed#0", r.Status, r.Fuzz)
	}
}

// tinyModule marks t parallel and returns testdata/tinymod's absolute
// path, or skips t without the go command.
func tinyModule(t *testing.T) string {
	t.Helper()
	t.Parallel()
	if _, err := exec.LookPath("go"); err != nil {
		t.Skip("the go command is not available")
	}
	dir, err := filepath.Abs("testdata/tinymod")
	if err != nil {
		t.Fatal(err)
	}
	return dir
}

// runTinyFuzz runs the command with args, which pick IsX's one mutant, and
// returns its result and the report.
func runTinyFuzz(t *testing.T, args []string) (*Result, Report) {
	t.Helper()
	var stdout, stderr bytes.Buffer
	if code := run(context.Background(), args, &stdout, &stderr); code != 0 {
		t.Fatalf("mutation %s: exit %d\n%s", strings.Join(args, " "), code, stderr.String())
	}
	var rep Report
	if err := json.Unmarshal(stdout.Bytes(), &rep); err != nil {
		t.Fatalf("the -json report does not parse: %v\n%s", err, stdout.String())
	}
	if len(rep.Results) != 1 {
		t.Fatalf("%d results, want the one mutant of IsX", len(rep.Results))
	}
	return rep.Results[0], rep
}

func TestClassify(t *testing.T) {
	fail := errors.New("exit status 1")
	for _, c := range []struct {
		name, out           string
		err                 error
		pkgs                []string
		status, pkg, detail string
	}{
		{"one package", "--- FAIL: TestA (0.00s)\n    a_test.go:9: wrong\nFAIL\nFAIL\tm/a\t0.1s\n", fail, []string{"m/a"}, StatusKilled, "m/a", "TestA"},
		{"the second of three", "ok  \tm/a\t0.1s\n--- FAIL: TestB/sub (0.00s)\nFAIL\nFAIL\tm/b\t0.2s\nok  \tm/c\t0.1s\nFAIL\n", fail, []string{"m/a", "m/b", "m/c"}, StatusKilled, "m/b", "TestB/sub"},
		{"a hang", "panic: test timed out after 2s\n\trunning tests:\n\t\tTestSpin (2s)\nFAIL\tm/c\t2.0s\n", fail, []string{"m/a", "m/c"}, StatusTimeout, "m/c", ""},
		{"killed from outside", "", context.DeadlineExceeded, []string{"m/a"}, StatusTimeout, "m/a", ""},
		{"a dependent does not build", "# m/b\nb/b.go:3:2: constant 256 overflows byte\nFAIL\tm/b [build failed]\n", fail, []string{"m/a", "m/b"}, StatusNotCompiling, "", "b/b.go:3:2: constant 256 overflows byte"},
		{"a panic", "panic: runtime error: index out of range [3] with length 3\n\ngoroutine 7 [running]:\nFAIL\tm/a\t0.1s\n", fail, []string{"m/a"}, StatusKilled, "m/a", "panic: runtime error: index out of range [3] with length 3"},
	} {
		status, pkg, detail := classify(c.out, c.err, c.pkgs)
		if status != c.status || pkg != c.pkg || detail != c.detail {
			t.Errorf("%s: classify = %q, %q, %q; want %q, %q, %q", c.name, status, pkg, detail, c.status, c.pkg, c.detail)
		}
	}
}

// TestFuzzOrder: -fuzzfirst's targets come first in their order, then the
// rest by kills so far, ties in listed order; every target stays.
func TestFuzzOrder(t *testing.T) {
	targets := []string{"FuzzA", "FuzzB", "FuzzC", "FuzzD", "FuzzE"}
	kills := map[string]int{"FuzzB": 1, "FuzzD": 3}
	for _, tc := range []struct {
		first []string
		want  string
	}{
		{nil, "FuzzD FuzzB FuzzA FuzzC FuzzE"},
		{[]string{"FuzzE"}, "FuzzE FuzzD FuzzB FuzzA FuzzC"},
		{[]string{"FuzzC", "FuzzA"}, "FuzzC FuzzA FuzzD FuzzB FuzzE"},
	} {
		if got := strings.Join(fuzzOrder(targets, tc.first, kills), " "); got != tc.want {
			t.Errorf("first %v: %s, want %s", tc.first, got, tc.want)
		}
	}
}
