// Command csp decides Content Security Policy requests with the cspmodel
// reference model.
//
//	csp check --policy "connect-src https://example.com/" --self-origin https://example.com \
//	    --kind fetch --url https://not-example.com/
//	csp check --vectors cases.jsonl
//	csp vectors export
//
// Run "csp help" for the full usage.
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
)

func main() {
	os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
}

// Exit statuses.
const (
	exitOK    = 0
	exitInput = 1 // unparsable input: a URL, an origin, a vector file
	exitUsage = 2 // bad flags or arguments
)

const usage = `usage: csp <command> [flags]

commands:
  check     decide one request, or a file of JSON-lines cases (--vectors)
  vectors   export, generate or run JSON-lines test vectors (csp vectors export|generate|run)
  spec      outline a CSP3 Bikeshed source: csp spec outline --spec index.bs
  audit     compare a CSP3 source with the pinned outline: csp audit --spec new.bs
  help      show this text, or a command's flags (csp help check)

Run "csp check -h" for the flags of check.
`

func run(args []string, stdin io.Reader, stdout, stderr io.Writer) int {
	if len(args) == 0 {
		fmt.Fprint(stderr, usage)
		return exitUsage
	}
	switch args[0] {
	case "check":
		return runCheck(args[1:], stdin, stdout, stderr)
	case "vectors":
		return runVectors(args[1:], stdout, stderr)
	case "spec":
		return runSpec(args[1:], stdout, stderr)
	case "audit":
		return runAudit(args[1:], stdout, stderr)
	case "help", "-h", "-help", "--help":
		if len(args) > 1 {
			return run([]string{args[1], "-h"}, stdin, stdout, stderr)
		}
		fmt.Fprint(stdout, usage)
		return exitOK
	}
	fmt.Fprintf(stderr, "csp: unknown command %q\n\n%s", args[0], usage)
	return exitUsage
}

// parseFlags parses a command's flags and returns (exitOK, false) when help
// was asked for, (failCode, false) for bad flags (the flag package has
// printed why), and (0, true) otherwise.
func parseFlags(fs *flag.FlagSet, args []string, failCode int) (int, bool) {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return exitOK, false
		}
		return failCode, false
	}
	return 0, true
}
