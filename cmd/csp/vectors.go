package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential"
)

const vectorsUsage = `usage: csp vectors export [--prefix PREFIX]
       csp vectors generate [--count N] [--checks M] [--seed S] [--no-corpus]
       csp vectors run --impl COMMAND [--vectors FILE] [--fields LIST | --verdict-only] [--dialect BROWSER] [--json] [--timeout D]

export    writes every case of the corpus (corpus/**/*.txtar) as one JSON line
          in the public vector format (docs/vectors.md), with the model's
          full result as its expectation once the corpus's own expectation
          holds.
generate  writes the corpus cases (unless --no-corpus), then N request
          cases drawn from the property generators with seed S (N counts
          only these, at most 10,000,000), then M cases of each other check
          (inline, eval, wasm, navigation-request, navigation-response, base,
          sandbox, rtc, in that order; default 500, at most 1,000,000) from
          the same seed, each with the model's verdict and violations as its
          expectation (verdict "error" for a request the API or Fetch
          refuses). The same N, M and S give the same lines.
run       feeds vectors (by default the pinned set, corpus/vectors/) to
          COMMAND, run with sh -c, on its standard input, reads one JSON
          result per line from its standard output, and compares each with
          the model's, field by field. A result may say
          {"id": …, "unsupported": "reason"}: it is counted apart. Every
          disagreement is minimized (policies, directives, sources and URLs
          are dropped while COMMAND still disagrees the same way) and printed
          with the fields that differ; a summary counts them by the spec step
          that decided them. Exit status: 0 when all compared cases agree, 1
          when some disagree, 2 when the run could not compare (COMMAND
          crashed, exited non-zero, timed out, or wrote a line that is not a
          result, a result for an unknown case, or too few results). With
          --dialect chromium, firefox or webkit, the verdicts are compared
          with that browser's dialect instead of the model.
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
		return vectorsExport(args[1:], stdout, stderr)
	case "generate":
		return vectorsGenerate(args[1:], stdout, stderr)
	case "run":
		return vectorsRun(args[1:], stdout, stderr)
	}
	fmt.Fprintf(stderr, "csp vectors: unknown subcommand %q\n\n%s", args[0], vectorsUsage)
	return exitUsage
}

func newVectorFlags(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet("vectors "+name, flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, vectorsUsage)
		fs.PrintDefaults()
	}
	return fs
}

func parseVectorFlags(fs *flag.FlagSet, args []string, stderr io.Writer) (int, bool) {
	if code, ok := parseFlags(fs, args, exitUsage); !ok {
		return code, false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "csp %s: unexpected argument %q\n", fs.Name(), fs.Arg(0))
		return exitUsage, false
	}
	return 0, true
}

func vectorsExport(args []string, stdout, stderr io.Writer) int {
	fs := newVectorFlags("export", stderr)
	prefix := fs.String("prefix", "", "export only the cases whose id starts with `PREFIX`")
	if code, ok := parseVectorFlags(fs, args, stderr); !ok {
		return code
	}
	cases, err := corpus.Load()
	if err != nil {
		fmt.Fprintln(stderr, "csp vectors:", err)
		return exitInput
	}
	bw := bufio.NewWriter(stdout)
	enc := newEncoder(bw)
	for _, c := range cases {
		if !strings.HasPrefix(c.ID, *prefix) {
			continue
		}
		if err := completeExpectation(&c); err != nil {
			fmt.Fprintln(stderr, "csp vectors:", err)
			return exitInput
		}
		if err := enc.Encode(c); err != nil {
			fmt.Fprintln(stderr, "csp vectors:", err)
			return exitInput
		}
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(stderr, "csp vectors:", err)
		return exitInput
	}
	return exitOK
}

// completeExpectation replaces a corpus case's expectation, which may leave
// fields unsaid (a violation's original_policy, or the violations
// altogether), with the model's whole result, after checking that the
// result meets it: an exported or pinned case states everything an
// implementation is compared on.
func completeExpectation(c *corpus.Case) error {
	res := corpus.RunModel(*c, nil)
	if c.Expect != nil {
		if diff := c.Check(res); diff != "" {
			return fmt.Errorf("corpus case %s no longer holds:\n%s", c.ID, diff)
		}
	}
	c.Expect = res.Expectation()
	return nil
}

func jsonMarshal(v any) ([]byte, error) {
	var b bytes.Buffer
	err := newEncoder(&b).Encode(v)
	return bytes.TrimSuffix(b.Bytes(), []byte("\n")), err
}

func newEncoder(w io.Writer) *json.Encoder {
	enc := json.NewEncoder(w)
	enc.SetEscapeHTML(false)
	return enc
}

// maxGenerate bounds csp vectors generate --count: cases are generated and
// written one at a time, so memory does not grow with the count, but a
// count beyond this is a mistake rather than a wish.
const maxGenerate = 10_000_000

// Generate writes the corpus cases (unless noCorpus) and count generated
// cases from seed, each with the model's decision as its expectation. It
// writes each case as it is made.
func Generate(w io.Writer, count int, seed int64, noCorpus bool) error {
	enc := newEncoder(w)
	if !noCorpus {
		cases, err := corpus.Load()
		if err != nil {
			return err
		}
		for _, c := range cases {
			if err := completeExpectation(&c); err != nil {
				return err
			}
			if err := enc.Encode(c); err != nil {
				return err
			}
		}
	}
	return differential.Each(seed, count, func(i int, r differential.Recipe) error {
		c := r.Build(fmt.Sprintf("generated/%d/%d", seed, i))
		c.Source = fmt.Sprintf("csp vectors generate --seed %d", seed)
		c.Expect = corpus.RunModel(c, nil).Expectation()
		return enc.Encode(c)
	})
}

// maxGenerateChecks bounds csp vectors generate --checks, per check.
const maxGenerateChecks = 1_000_000

// GenerateChecks writes perCheck generated cases of each check other than
// request (differential.CheckGenerated, in order) from seed, each with the
// model's decision as its expectation; their ids are
// generated/CHECK/SEED/I.
func GenerateChecks(w io.Writer, perCheck int, seed int64) error {
	enc := newEncoder(w)
	for _, ck := range differential.CheckGenerated {
		err := differential.EachCheck(seed, ck, perCheck, func(i int, r differential.CheckRecipe) error {
			c := r.Build(fmt.Sprintf("generated/%s/%d/%d", ck, seed, i))
			c.Source = fmt.Sprintf("csp vectors generate --seed %d", seed)
			c.Expect = corpus.RunModel(c, nil).Expectation()
			return enc.Encode(c)
		})
		if err != nil {
			return err
		}
	}
	return nil
}

func vectorsGenerate(args []string, stdout, stderr io.Writer) int {
	fs := newVectorFlags("generate", stderr)
	count := fs.Int("count", 1000, "how many request cases to generate, besides the corpus cases written first")
	checks := fs.Int("checks", corpus.PinnedChecks, "how many cases of each other check to generate, after the request cases")
	seed := fs.Int64("seed", 1, "the generators' `seed`")
	noCorpus := fs.Bool("no-corpus", false, "write only the generated cases")
	if code, ok := parseVectorFlags(fs, args, stderr); !ok {
		return code
	}
	if *count < 0 || *count > maxGenerate {
		fmt.Fprintf(stderr, "csp vectors generate: --count must be between 0 and %d\n", maxGenerate)
		return exitUsage
	}
	if *checks < 0 || *checks > maxGenerateChecks {
		fmt.Fprintf(stderr, "csp vectors generate: --checks must be between 0 and %d\n", maxGenerateChecks)
		return exitUsage
	}
	bw := bufio.NewWriter(stdout)
	err := Generate(bw, *count, *seed, *noCorpus)
	if err == nil {
		err = GenerateChecks(bw, *checks, *seed)
	}
	if err != nil {
		fmt.Fprintln(stderr, "csp vectors generate:", err)
		return exitInput
	}
	if err := bw.Flush(); err != nil {
		fmt.Fprintln(stderr, "csp vectors generate:", err)
		return exitInput
	}
	return exitOK
}
