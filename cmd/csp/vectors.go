package main

import (
	"encoding/json"
	"fmt"
	"io"
	"strings"

	"cspmodel/corpus"
)

const vectorsUsage = `usage: csp vectors export [--prefix PREFIX]

Writes every case of the corpus (corpus/**/*.txtar) as one JSON line in the
public vector format (docs/vectors.md), with its expectation, sorted by id.
Feed the output to "csp check --vectors -" or to another implementation.
`

func runVectors(args []string, stdout, stderr io.Writer) int {
	if len(args) == 0 || args[0] == "-h" || args[0] == "--help" || args[0] == "help" {
		fmt.Fprint(stderr, vectorsUsage)
		if len(args) == 0 {
			return exitUsage
		}
		return exitOK
	}
	switch args[0] {
	case "export":
		prefix := ""
		rest := args[1:]
		if len(rest) == 2 && (rest[0] == "--prefix" || rest[0] == "-prefix") {
			prefix, rest = rest[1], nil
		}
		if len(rest) != 0 {
			fmt.Fprint(stderr, vectorsUsage)
			return exitUsage
		}
		cases, err := corpus.Load()
		if err != nil {
			fmt.Fprintln(stderr, "csp vectors:", err)
			return exitInput
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		for _, c := range cases {
			if !strings.HasPrefix(c.ID, prefix) {
				continue
			}
			if err := enc.Encode(c); err != nil {
				fmt.Fprintln(stderr, "csp vectors:", err)
				return exitInput
			}
		}
		return exitOK
	}
	fmt.Fprintf(stderr, "csp vectors: unknown subcommand %q\n\n%s", args[0], vectorsUsage)
	return exitUsage
}
