// Command tocase turns a fuzzer's find into a named corpus case.
//
//	go run ./fuzz/tocase -target FuzzDecide -name short-name FILE
//
// FILE is a crash file from a libFuzzer binary (crash-<sha1>, also what
// ClusterFuzzLite and OSS-Fuzz offer for download) or a "go test fuzz v1"
// file from testdata/fuzz. The command decodes the target's arguments,
// turns them into the decision they stand for, and
//
//   - appends it to corpus/regressions/fuzz.txtar as the case "short-name",
//     with the model's current verdict and violations as its expectation, a
//     source: line naming the target and the file, and a note asking the
//     reader to confirm who is right;
//   - writes the exact input as <package>/testdata/fuzz/<target>/short-name,
//     so that go test replays it as it was found.
//
// -print writes the case to standard output and changes no file. The
// target may be left out when FILE sits in testdata/fuzz/<target>/.
// FuzzParseDocument's inputs are not decisions: for it only the testdata
// file is written.
package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/fuzz"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdout, os.Stderr))
}

func run(args []string, stdout, stderr io.Writer) int {
	fl := flag.NewFlagSet("tocase", flag.ContinueOnError)
	fl.SetOutput(stderr)
	targetName := fl.String("target", "", "the fuzz target that read FILE (FuzzDecide, …)")
	name := fl.String("name", "", "the case's name: lower-case words joined by dashes")
	print := fl.Bool("print", false, "print the case and change no file")
	root := fl.String("root", "", "the module's root directory (default: found from the working directory)")
	fl.Usage = func() {
		fmt.Fprintln(stderr, "usage: tocase [-target FuzzX] -name short-name [-print] FILE")
		fl.PrintDefaults()
	}
	if err := fl.Parse(args); err != nil {
		return 2
	}
	if fl.NArg() != 1 || *name == "" {
		fl.Usage()
		return 2
	}
	file := fl.Arg(0)
	if err := convert(file, *targetName, *name, *root, *print, stdout, stderr); err != nil {
		fmt.Fprintln(stderr, "tocase:", err)
		return 1
	}
	return 0
}

func convert(file, targetName, name, root string, print bool, stdout, stderr io.Writer) error {
	if targetName == "" {
		// testdata/fuzz/<target>/<file>
		targetName = filepath.Base(filepath.Dir(file))
		if filepath.Base(filepath.Dir(filepath.Dir(file))) != "fuzz" {
			return errors.New("-target is needed: FILE is not in a testdata/fuzz/<target>/ directory")
		}
	}
	t, ok := fuzz.TargetNamed(targetName)
	if !ok {
		var names []string
		for _, t := range fuzz.Targets {
			names = append(names, t.Name)
		}
		return fmt.Errorf("no fuzz target %q (the targets: %s)", targetName, strings.Join(names, ", "))
	}
	data, err := os.ReadFile(file)
	if err != nil {
		return err
	}
	var input []any
	if fuzz.IsGoFuzz(data) {
		input, err = fuzz.UnmarshalGoFuzz(t.Params, data)
	} else {
		input, err = fuzz.DecodeLibFuzzer(t.Params, data)
	}
	if err != nil {
		return fmt.Errorf("%s is not an input of %s: %w", file, t.Name, err)
	}
	if root == "" {
		if root, err = fuzz.ModuleRoot(); err != nil {
			return err
		}
	}
	testdata := filepath.Join(root, t.Dir, "testdata", "fuzz", t.Name, name)
	found, _ := filepath.Rel(root, testdata)
	found = filepath.ToSlash(found)

	var reg *fuzz.Regression
	if r, err := fuzz.NewRegression(t, input, name, found); err == nil {
		reg = &r
	} else if t.Name != "FuzzParseDocument" {
		return err
	}
	exact := fuzz.MarshalGoFuzz(input)
	regressions := filepath.Join(root, "corpus", "regressions", "fuzz.txtar")

	if print {
		if reg != nil {
			fmt.Fprint(stdout, reg.Entry)
		}
		fmt.Fprintf(stderr, "-print: would write %s", found)
		if reg != nil {
			fmt.Fprintf(stderr, " and append the case to %s", regressions)
		}
		fmt.Fprintln(stderr)
		report(reg, stderr)
		return nil
	}

	// Check everything before writing anything.
	if old, err := os.ReadFile(testdata); err == nil && !bytes.Equal(old, exact) {
		return fmt.Errorf("%s exists and holds another input: choose another -name", testdata)
	}
	var updated []byte
	if reg != nil {
		old, err := os.ReadFile(regressions)
		if err != nil {
			return err
		}
		if bytes.Contains(old, []byte("\n-- "+name+" --\n")) || bytes.HasPrefix(old, []byte("-- "+name+" --\n")) {
			return fmt.Errorf("%s already has a case named %s: choose another -name", regressions, name)
		}
		updated = append(bytes.TrimRight(old, "\n"), "\n\n"...)
		updated = append(updated, reg.Entry...)
		if _, err := corpus.ParseArchive("regressions/fuzz.txtar", updated); err != nil {
			return fmt.Errorf("%s would not read back: %w", regressions, err)
		}
	}
	if err := os.MkdirAll(filepath.Dir(testdata), 0o755); err != nil {
		return err
	}
	if err := os.WriteFile(testdata, exact, 0o644); err != nil {
		return err
	}
	fmt.Fprintf(stderr, "wrote %s\n", testdata)
	if reg != nil {
		if err := os.WriteFile(regressions, updated, 0o644); err != nil {
			return err
		}
		fmt.Fprintf(stderr, "appended %s to %s\n", name, regressions)
	}
	report(reg, stderr)
	return nil
}

// report says what the reader has to do next.
func report(reg *fuzz.Regression, w io.Writer) {
	if reg == nil {
		fmt.Fprintln(w, "the input is not a decision, so no corpus case was made: go test replays the testdata file")
		return
	}
	fmt.Fprintf(w, "the model says %s", reg.Case.Expect.Verdict)
	if reg.Disagreement != "" {
		fmt.Fprintf(w, "; the engine disagrees on the case as written:\n%s\n", reg.Disagreement)
	} else {
		fmt.Fprintln(w, "; model and engine agree on the case as written (the find may lie in a part of the target's check that a decision does not reach)")
	}
	fmt.Fprintln(w, "next: confirm the expectation against the spec (csp check --trace), fix the side that is wrong, edit the case's note,")
	fmt.Fprintln(w, "and regenerate the pinned vectors (see corpus/pinned.go), which hold every corpus case")
}
