package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"

	"github.com/cspmodel/cspmodel/spec"
)

const auditUsage = `usage: csp audit --spec NEW.bs [--json] [--outline FILE] [--model DIR]

Compares a CSP3 Bikeshed source (a newer or older w3c/webappsec-csp index.bs)
with the pinned outline (spec/outline.json, built in) and reports, for each
algorithm the model transcribes: unchanged, or which steps changed (with
their new text), moved, were added or removed, and the model lines citing
them; then the other algorithms that only one of the two revisions has and
that may touch request matching. NEW.bs may be newer or older than the pin.

  --spec FILE     the Bikeshed source to compare (required)
  --json          print the report as JSON
  --outline FILE  compare with this outline instead of the built-in one
  --model DIR     the model's sources, to find citations (default: model/
                  of the cspmodel module containing the current directory)

Exit status: 0 if nothing in scope changed, 1 if something did, 2 for bad
usage or unreadable input.
`

// Exit statuses of csp audit, which differ from the other commands': 1
// reports a change, so unreadable input is 2.
const (
	auditSame    = 0
	auditChanged = 1
	auditError   = 2
)

func runAudit(args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("audit", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() { fmt.Fprint(stderr, auditUsage) }
	file := fs.String("spec", "", "")
	asJSON := fs.Bool("json", false, "")
	outlineFile := fs.String("outline", "", "")
	modelDir := fs.String("model", "", "")
	if code, ok := parseFlags(fs, args, auditError); !ok {
		return code
	}
	if *file == "" || fs.NArg() != 0 {
		fmt.Fprint(stderr, "csp audit: --spec FILE is required and takes no arguments\n\n", auditUsage)
		return auditError
	}

	var o *spec.Outline
	var err error
	if *outlineFile == "" {
		o, err = spec.Pinned()
	} else {
		var data []byte
		if data, err = os.ReadFile(*outlineFile); err == nil {
			o, err = spec.ReadOutline(data)
		}
	}
	if err != nil {
		fmt.Fprintln(stderr, "csp audit:", err)
		return auditError
	}
	src, err := os.ReadFile(*file)
	if err != nil {
		fmt.Fprintln(stderr, "csp audit:", err)
		return auditError
	}

	ix, err := modelIndex(*modelDir)
	if err != nil {
		fmt.Fprintln(stderr, "csp audit:", err)
		return auditError
	}
	report, err := spec.Audit(o, src, *file, ix)
	if err != nil {
		fmt.Fprintln(stderr, "csp audit:", err)
		return auditError
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		enc.SetIndent("", "  ")
		err = enc.Encode(report)
	} else {
		err = report.WriteText(stdout)
	}
	if err != nil {
		fmt.Fprintln(stderr, "csp audit:", err)
		return auditError
	}
	if report.Changed {
		return auditChanged
	}
	return auditSame
}

// modelIndex reads the citations of the model: dir if given (an error if
// it cannot be read), else model/ of the cspmodel module around the current
// directory (nil, no error, if there is none: the report then says so).
func modelIndex(dir string) (*spec.CitationIndex, error) {
	if dir != "" {
		return spec.IndexCitations(dir, filepath.ToSlash(filepath.Clean(dir)))
	}
	wd, err := os.Getwd()
	if err != nil {
		return nil, nil
	}
	root, ok := spec.FindModule(wd)
	if !ok {
		return nil, nil
	}
	ix, err := spec.IndexCitations(filepath.Join(root, "model"), "model")
	if err != nil {
		return nil, nil
	}
	return ix, nil
}
