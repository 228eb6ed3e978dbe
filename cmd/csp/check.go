package main

import (
	"bufio"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// policyFlag collects --policy, --report-only, --meta and --meta-report-only
// in the order given, so that a violation's policy number is the position
// on the command line.
type policyFlag struct {
	list *[]corpus.PolicyInput
	in   corpus.PolicyInput
}

func (p policyFlag) String() string { return "" }
func (p policyFlag) Set(v string) error {
	in := p.in
	in.Value = v
	*p.list = append(*p.list, in)
	return nil
}

// onceFlag is a single-valued string flag that refuses to be given twice:
// `--url a --url b` is a mistake, not a request for b.
type onceFlag struct {
	value *string
	set   bool
}

func (o *onceFlag) String() string {
	if o.value == nil {
		return ""
	}
	return *o.value
}

func (o *onceFlag) Set(v string) error {
	if o.set {
		return errors.New("given twice")
	}
	*o.value, o.set = v, true
	return nil
}

func onceVar(fs *flag.FlagSet, p *string, name, usage string) {
	fs.Var(&onceFlag{value: p}, name, usage)
}

type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, " ") }
func (l *listFlag) Set(v string) error { *l = append(*l, v); return nil }

const checkUsage = `usage: csp check [flags]
       csp check --vectors FILE [--trace] [--report-body] [--dialect BROWSER]

Decides whether a request (or, with --check, an inline script or style,
eval, WebAssembly, a navigation or its response, a <base> URL, a sandbox or
WebRTC) is allowed under the given policies, with the CSP3 reference model
(or, with --engine engine, the compiled engine, which must agree with it
and decides every check too), and prints the verdict and the violations
reported. The exit status is 0 whatever the verdict; 1 for input that
cannot be read (an invalid URL or origin, a vector file that cannot be
opened); 2 for bad usage. With --dialect chromium, firefox or webkit it
answers what that browser does instead, and names the rules of its
dialect that applied.

Policies are numbered in the order given, from 0, whatever their flag.
` + checkChecksUsage + `
flags:
`

func runCheck(args []string, stdin io.Reader, stdout, stderr io.Writer) (code int) {
	fs := flag.NewFlagSet("check", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.Usage = func() {
		fmt.Fprint(stderr, checkUsage)
		fs.PrintDefaults()
	}
	var c corpus.Case
	fs.Var(policyFlag{&c.Policies, corpus.PolicyInput{Disposition: "enforce", Source: "header"}}, "policy", "an enforced `policy` (a Content-Security-Policy header value; repeatable)")
	fs.Var(policyFlag{&c.Policies, corpus.PolicyInput{Disposition: "report", Source: "header"}}, "report-only", "a report-only `policy` (a Content-Security-Policy-Report-Only header value; repeatable)")
	fs.Var(policyFlag{&c.Policies, corpus.PolicyInput{Disposition: "enforce", Source: "meta"}}, "meta", "a `policy` delivered by <meta http-equiv=\"Content-Security-Policy\"> (repeatable)")
	fs.Var(policyFlag{&c.Policies, corpus.PolicyInput{Disposition: "report", Source: "meta"}}, "meta-report-only", "a `policy` in <meta http-equiv=\"Content-Security-Policy-Report-Only\">, which HTML ignores: it only takes its place in the delivery order (repeatable)")
	onceVar(fs, &c.SelfOrigin, "self-origin", "the `origin` 'self' stands for: the document's, or a sandboxed document's URL's (a URL, or \"null\" for an opaque origin)")
	url := new(string)
	onceVar(fs, url, "url", "the request's current `URL`: the API's URL, or the last redirect target")
	var redirectFrom listFlag
	fs.Var(&redirectFrom, "redirect-from", "an earlier `URL` of the request's URL list, in order: the API's URL first (repeatable)")
	onceVar(fs, &c.Request.Kind, "kind", "the caller: "+strings.Join(model.KindNames(), ", "))
	destination := new(string)
	onceVar(fs, destination, "destination", "the request's Fetch `destination` (instead of --kind; \"\" is connect-src's)")
	onceVar(fs, &c.Request.Initiator, "initiator", "the request's `initiator` (with --destination), e.g. prefetch")
	onceVar(fs, &c.Request.Mode, "mode", "the request's `mode` (with --destination)")
	onceVar(fs, &c.Request.Nonce, "nonce", "the request's cryptographic nonce metadata")
	onceVar(fs, &c.Request.Integrity, "integrity", "the request's integrity metadata")
	onceVar(fs, &c.Request.ParserMetadata, "parser-metadata", "the request's parser metadata (parser-inserted or not-parser-inserted)")
	fs.Var((*listFlag)(&c.Request.WebTransportHashes), "webtransport-hash", "a `hash` of the request's WebTransport-hash list (repeatable)")
	jsonOut := fs.Bool("json", false, "print the result as one JSON line (the vector result format)")
	trace := fs.Bool("trace", false, "print the spec steps the model took")
	vectors := new(string)
	onceVar(fs, vectors, "vectors", "read JSON-lines cases from `FILE` (- for standard input) and write one result per line")
	impl := new(string)
	*impl = "model"
	onceVar(fs, impl, "engine", "the `implementation` that decides: model (the step-by-step reference) or engine (the compiled one)")
	dialectName := new(string)
	onceVar(fs, dialectName, "dialect", dialectUsage)
	cf := addCheckFlags(fs)
	if code, ok := parseFlags(fs, args, exitUsage); !ok {
		return code
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "csp check: unexpected argument %q\n", fs.Arg(0))
		return exitUsage
	}
	set := map[string]bool{}
	fs.Visit(func(f *flag.Flag) { set[f.Name] = true })
	decide, ok := deciders[*impl]
	if !ok {
		fmt.Fprintf(stderr, "csp check: --engine is model or engine, not %q\n", *impl)
		return exitUsage
	}
	if *trace && *impl != "model" {
		fmt.Fprintln(stderr, "csp check: --trace needs --engine model (the engine keeps no trace)")
		return exitUsage
	}
	if cf.reportBody && *impl != "model" {
		fmt.Fprintln(stderr, "csp check: --report-body needs --engine model (the engine builds no reports)")
		return exitUsage
	}
	dia, ok := dialectFlag("check", *dialectName, set["dialect"], *impl, stderr)
	if !ok {
		return exitUsage
	}
	if dia != nil && cf.reportBody {
		fmt.Fprintln(stderr, "csp check: --report-body does not go with --dialect (a dialect is fitted on verdicts, not reports)")
		return exitUsage
	}
	traced := tracedDecider(dia)
	switch {
	case dia != nil:
		decide = dialectDecider(dia)
	case cf.reportBody:
		decide = func(c corpus.Case) corpus.Result { return corpus.RunModelWithReportBodies(c, nil) }
		traced = func(c corpus.Case, tr *model.Trace) (corpus.Result, []string) {
			return corpus.RunModelWithReportBodies(c, tr), nil
		}
	}

	if set["vectors"] {
		for _, f := range append(caseFlags, "json") {
			if set[f] {
				fmt.Fprintf(stderr, "csp check: --%s does not go with --vectors (the cases carry their own)\n", f)
				return exitUsage
			}
		}
		return checkVectors(*vectors, decide, *trace, traced, stdin, stdout, stderr)
	}

	if !set["self-origin"] {
		fmt.Fprintln(stderr, "csp check: --self-origin is required")
		return exitUsage
	}
	c.ID = "check"
	urlList := append(append([]string(nil), redirectFrom...), *url)
	if err := cf.buildCheck(&c, set, urlList); err != nil {
		fmt.Fprintln(stderr, "csp check:", err)
		return exitUsage
	}
	if c.CheckName() == corpus.CheckRequest {
		if !set["url"] {
			fmt.Fprintln(stderr, "csp check: --url is required")
			return exitUsage
		}
		if set["kind"] == set["destination"] {
			fmt.Fprintln(stderr, "csp check: give --kind or --destination (exactly one)")
			return exitUsage
		}
		if set["destination"] {
			c.Request.Destination = destination
		}
		c.Request.URLList = urlList
		// Values Fetch does not know (a --mode of "corss", a --parser-metadata
		// of "parser inserted") are usage errors, not requests without them.
		if err := c.Request.Check(); err != nil {
			fmt.Fprintln(stderr, "csp check:", strings.TrimPrefix(err.Error(), corpus.ErrCase.Error()+": "))
			return exitUsage
		}
	}

	var tr *model.Trace
	if *trace {
		tr = &model.Trace{}
	}
	var res corpus.Result
	var rules []string
	if tr != nil || dia != nil {
		res, rules = tracedDecider(dia)(c, tr)
	} else {
		res = decide(c)
	}
	stdout = &errWriter{w: stdout}
	defer func() {
		// A write that failed (a full disk, a closed pipe) fails the command.
		if err := stdout.(*errWriter).err; err != nil && code == exitOK {
			fmt.Fprintln(stderr, "csp check:", err)
			code = exitInput
		}
	}()
	if *jsonOut {
		out := struct {
			corpus.Result
			Dialect      string            `json:"dialect,omitempty"`
			DialectRules []string          `json:"dialect_rules,omitempty"`
			Trace        []model.TraceStep `json:"trace,omitempty"`
		}{Result: res, Dialect: *dialectName, DialectRules: rules}
		if tr != nil {
			out.Trace = tr.Steps
		}
		enc := json.NewEncoder(stdout)
		enc.SetEscapeHTML(false)
		if err := enc.Encode(out); err != nil {
			fmt.Fprintln(stderr, "csp check:", err)
			return exitInput
		}
	}
	if res.Error != "" {
		fmt.Fprintln(stderr, "csp check:", res.Error)
		return exitInput
	}
	if res.Unsupported != "" {
		fmt.Fprintln(stderr, "csp check: unsupported:", res.Unsupported)
		return exitUsage
	}
	if *jsonOut {
		return exitOK
	}
	printResult(stdout, c, res)
	if dia != nil {
		printDialect(stdout, dia, c, res, rules)
	}
	if tr != nil {
		fmt.Fprintf(stdout, "\ntrace:\n%s", tr.String())
	}
	return exitOK
}

func printResult(w io.Writer, c corpus.Case, res corpus.Result) {
	fmt.Fprintf(w, "verdict: %s\n", res.Verdict)
	printCheckResult(w, res)
	if len(res.Violations) == 0 {
		fmt.Fprintln(w, "violations: none")
		return
	}
	for _, v := range res.Violations {
		fmt.Fprintf(w, "violation: policy %d (%s, %q) violated by %s; effective directive %s; blocked URI %s (%s check, redirect count %d)%s\n",
			v.Policy, v.Disposition, v.OriginalPolicy, v.Directive, v.EffectiveDirective, v.BlockedURI, v.Check, v.RedirectCount, violationDetails(v))
		printReportBody(w, v)
	}
}

// deciders are the implementations --engine names.
var deciders = map[string]corpus.Decider{
	"model":  func(c corpus.Case) corpus.Result { return corpus.RunModel(c, nil) },
	"engine": corpus.RunEngine,
}

// checkVectors runs a JSON-lines file through decide (with trace, through
// traced instead, whose steps go to stderr).
func checkVectors(path string, decide corpus.Decider, trace bool, traced func(corpus.Case, *model.Trace) (corpus.Result, []string), stdin io.Reader, stdout, stderr io.Writer) int {
	in := stdin
	if path != "-" {
		f, err := os.Open(path)
		if err != nil {
			fmt.Fprintln(stderr, "csp check:", err)
			return exitInput
		}
		defer f.Close()
		in = f
	}
	if trace {
		decide = func(c corpus.Case) corpus.Result {
			var tr model.Trace
			r, _ := traced(c, &tr)
			fmt.Fprintf(stderr, "== %s\n%s", c.ID, tr.String())
			return r
		}
	}
	bw := bufio.NewWriterSize(stdout, 1<<16)
	_, err := corpus.RunLines(in, bw, decide)
	if ferr := bw.Flush(); err == nil {
		err = ferr
	}
	if err != nil {
		fmt.Fprintln(stderr, "csp check:", err)
		return exitInput
	}
	return exitOK
}
