package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"strings"

	"github.com/cspmodel/cspmodel/spec"
)

const specUsage = `usage: csp spec outline --spec FILE [--commit C] [-o FILE]
       csp spec steps --spec FILE [--anchor A]

outline  reads a CSP3 Bikeshed source (index.bs) and writes the outline of
         the algorithms the model transcribes (package spec's scope): anchors,
         titles, step numbers and fingerprints of each step's normalized
         text, never the spec's prose. Regenerate the pinned outline with
           csp spec outline --spec index.bs --commit <sha> -o spec/outline.json
         Without --commit, a PINNED.txt beside FILE with a "commit:" line
         names the revision.
steps    prints the in-scope steps of FILE with their numbers and normalized
         text (or only those of --anchor), to read beside model/ while
         citing. Nothing it prints is meant to be committed.
`

func runSpec(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, specUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "outline":
		return runSpecOutline(args[1:], stdout, stderr)
	case "steps":
		return runSpecSteps(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "csp spec: unknown subcommand %q\n\n%s", args[0], specUsage)
	return exitUsage
}

func runSpecOutline(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("spec outline", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, specUsage) }
	file := fs.String("spec", "", "the Bikeshed source to read")
	commit := fs.String("commit", "", "the w3c/webappsec-csp commit the file comes from")
	out := fs.String("o", "", "write the outline to this file instead of standard output")
	if code, ok := parseFlags(fs, args, exitUsage); !ok {
		return code
	}
	if *file == "" || fs.NArg() != 0 {
		fmt.Fprint(stderr, "csp spec outline: --spec FILE is required and takes no arguments\n\n", specUsage)
		return exitUsage
	}
	src, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(stderr, "csp spec outline:", err)
		return exitInput
	}
	o, err := spec.Parse(src)
	if err != nil {
		fmt.Fprintf(stderr, "csp spec outline: %s: %v\n", *file, err)
		return exitInput
	}
	o.Source.Commit = *commit
	if o.Source.Commit == "" {
		o.Source.Commit = pinnedCommitBeside(*file)
	}
	if o.Source.Commit == "" {
		fmt.Fprintln(stderr, "csp spec outline: warning: no --commit and no PINNED.txt beside the file: the outline names no commit")
	}
	data := o.Marshal()
	if *out == "" {
		_, err = stdout.Write(data)
	} else {
		err = os.WriteFile(*out, data, 0o644)
	}
	if err != nil {
		fmt.Fprintln(stderr, "csp spec outline:", err)
		return exitInput
	}
	return exitOK
}

// pinnedCommitBeside reads the "commit:" line of a PINNED.txt in the same
// directory as file, or returns "".
func pinnedCommitBeside(file string) string {
	f, err := os.Open(filepath.Join(filepath.Dir(file), "PINNED.txt"))
	if err != nil {
		return ""
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		if v, ok := strings.CutPrefix(strings.TrimSpace(sc.Text()), "commit:"); ok {
			return strings.TrimSpace(v)
		}
	}
	return ""
}

func runSpecSteps(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("spec steps", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, specUsage) }
	file := fs.String("spec", "", "the Bikeshed source to read")
	anchor := fs.String("anchor", "", "print only this algorithm")
	if code, ok := parseFlags(fs, args, exitUsage); !ok {
		return code
	}
	if *file == "" || fs.NArg() != 0 {
		fmt.Fprint(stderr, "csp spec steps: --spec FILE is required and takes no arguments\n\n", specUsage)
		return exitUsage
	}
	src, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(stderr, "csp spec steps:", err)
		return exitInput
	}
	doc, err := spec.ParseDocument(src)
	if err != nil {
		fmt.Fprintf(stderr, "csp spec steps: %s: %v\n", *file, err)
		return exitInput
	}
	anchors := spec.Scope()
	if *anchor != "" {
		anchors = []string{strings.TrimPrefix(*anchor, "#")}
	}
	w := bufio.NewWriter(stdout)
	defer w.Flush()
	for _, a := range anchors {
		s := doc.Section(a)
		if s == nil {
			fmt.Fprintf(stderr, "csp spec steps: %s has no #%s\n", *file, a)
			return exitInput
		}
		fmt.Fprintf(w, "#%s  %s  (%s:%d)\n", s.Anchor, s.Title, *file, s.Line)
		if s.Preamble != "" {
			fmt.Fprintf(w, "  preamble: %s\n", s.Preamble)
		}
		for _, st := range s.Steps {
			fmt.Fprintf(w, "  %-8s %s  %s\n", st.Number, st.Fingerprint, st.Text)
		}
		if spec.IsGrammar(s.Anchor) {
			for _, p := range s.Productions {
				fmt.Fprintf(w, "  %-22s %s  %s\n", p.Name, p.Fingerprint, p.Text)
			}
		}
		fmt.Fprintln(w)
	}
	return exitOK
}
