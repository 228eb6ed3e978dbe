// Command mutation measures how well the tests catch bugs: it plants
// mutants (small plausible bugs: a comparison off by one, a condition
// inverted, a constant changed, a statement or a switch case dropped) one at
// a time in a scratch copy of the module, runs the fast test suite against
// each, and reports the share it kills and every survivor.
//
//	go run ./differential/mutation                       # engine/ and model/
//	go run ./differential/mutation -pkg engine -run 'sources.go' -j 2
//	go run ./differential/mutation -list -pkg model      # the mutants, not run
//	go run ./differential/mutation -o results.json       # keep the results
//	go run ./differential/mutation -survivors results.json -fuzz 5m
//
// The working tree is never written: the module is copied to a temporary
// directory, each mutated file is put in place there with go build's
// -overlay, and every copy is removed at the end, also when interrupted.
//
// A mutant that does not compile is not counted. One listed in
// differential/mutation/equivalent.txt (no input can tell it from the
// original; each entry says why) is not run. Every other mutant runs
// against each test package whose test binary links the mutated package
// (the mutated package first, then those that killed most so far, the
// browser differential and the libFuzzer check left out: -exclude),
// stopping at the first failure; a test
// that hangs is killed by a timeout and counts as a kill. The score is
// killed / (mutants - not compiling - equivalent).
//
// With -fuzz D, each survivor of the suite also meets every fuzz target of
// ./fuzz for up to D each, starting from a copy of the fuzzer's cached
// corpus; a failing input counts as a kill only if the unmutated code
// passes it.
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"regexp"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// defaultSkipCalls are the calls the mutator leaves alone by default: the
// model's trace, which records the steps taken for a reader and decides
// nothing.
const defaultSkipCalls = `^tr\.(Step|Enter)$`

// defaultExclude are the test packages left out of the suite by default:
// the browser differential, which takes minutes and drives browsers, and
// the libFuzzer check, which builds the fuzz targets from a copy of the
// files on disk, where the overlay's mutant never is, so that it cannot
// kill one and costs a minute or more per survivor.
const defaultExclude = "differential/browser,fuzz/libfuzzer"

// defaultPkgs are the packages mutated by default.
const defaultPkgs = "engine,model"

func main() {
	if len(os.Args) > 1 && strings.HasPrefix(os.Args[1], limitFlag+"=") {
		runLimited(os.Args[1:])
		return
	}
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

type options struct {
	dir          string
	pkgs         []string
	run          *regexp.Regexp
	skipCalls    *regexp.Regexp
	ops          map[string]bool
	list         bool
	json         bool
	out          string
	survivors    string
	resume       string
	equivalent   string
	fuzz         time.Duration
	fuzzPkg      string
	fuzzParallel int
	fuzzFirst    []string
	jobs         int
	timeout      time.Duration
	exclude      []string
	nice         int
	memLimit     uint64
	verifyEquiv  bool
	quiet        bool
	sharedCache  bool
	cacheDir     string
	sample       int
	seed         uint64
}

func parseFlags(args []string, stderr io.Writer) (*options, error) {
	fs := flag.NewFlagSet("mutation", flag.ContinueOnError)
	fs.SetOutput(stderr)
	o := &options{}
	var pkgs, runRE, ops, exclude, skipCalls string
	var mem int64
	fs.StringVar(&o.dir, "C", ".", "run in `dir`: any directory inside the module")
	fs.StringVar(&pkgs, "pkg", defaultPkgs, "the package directories to mutate, comma-separated, relative to the module root")
	fs.StringVar(&runRE, "run", "", "mutate only where `regexp` matches \"file:function\" (for example 'sources.go' or 'MatchHosts$')")
	fs.StringVar(&ops, "ops", "", "the operators, comma-separated (default all but the extra ones; -list-ops names them)")
	fs.StringVar(&skipCalls, "skip-calls", defaultSkipCalls, "calls left alone, by callee (`regexp`): never removed, their arguments not mutated; the default is the model's trace, which records steps and decides nothing (\"\" for none)")
	fs.IntVar(&o.sample, "sample", 0, "run a sample of `n` mutants from each package, spread over its files in proportion to their mutants (0: all)")
	fs.Uint64Var(&o.seed, "seed", 1, "the seed of -sample: the same seed draws the same mutants")
	listOps := fs.Bool("list-ops", false, "print the operators and exit")
	fs.BoolVar(&o.list, "list", false, "print the mutants without running them")
	fs.BoolVar(&o.json, "json", false, "write the report as JSON on standard output")
	fs.StringVar(&o.out, "o", "", "also write the JSON report to `file` (the input of -survivors)")
	fs.StringVar(&o.survivors, "survivors", "", "run only the survivors of the JSON report in `file`; the other results carry over")
	fs.StringVar(&o.resume, "resume", "", "go on with the interrupted run whose -o report is `file`: run only the mutants it has no result for")
	fs.StringVar(&o.equivalent, "equivalent", "differential/mutation/equivalent.txt", "the equivalent mutants, relative to the module root (\"\" for none)")
	fs.BoolVar(&o.verifyEquiv, "verify-equivalent", false, "run the equivalent mutants too: one the suite kills is wrongly listed")
	fs.DurationVar(&o.fuzz, "fuzz", 0, "fuzz each survivor of the suite with every fuzz target for up to `duration` each")
	fs.StringVar(&o.fuzzPkg, "fuzzpkg", "./fuzz,./engine", "the `packages` of the fuzz targets (comma-separated): the fuzz package's, which hold the model to the engine, and the engine's own, which holds it to itself")
	fs.IntVar(&o.fuzzParallel, "fuzzparallel", 1, "fuzzing workers per fuzz run")
	var fuzzFirst string
	fs.StringVar(&fuzzFirst, "fuzzfirst", "", "fuzz with these `targets` first, in this order (comma-separated), then the others")
	fs.IntVar(&o.jobs, "j", 1, "mutants run at once, each in a scratch copy of its own")
	fs.DurationVar(&o.timeout, "timeout", 0, "per test package and mutant (default ten times its unmutated time, at least 1m)")
	fs.StringVar(&exclude, "exclude", defaultExclude, "test packages left out of the suite, comma-separated (dir or dir/...)")
	fs.IntVar(&o.nice, "nice", 10, "lower this command's priority (and its children's) by `n`")
	fs.Int64Var(&mem, "memlimit", 4<<30, "address-space limit of each test binary, in bytes (0: none)")
	fs.BoolVar(&o.quiet, "q", false, "no progress lines on standard error")
	fs.StringVar(&o.cacheDir, "cachedir", "", "keep the private build cache in `dir` for the next run (trimmed to the unmutated builds), instead of a temporary one")
	fs.BoolVar(&o.sharedCache, "sharedcache", false, "build in go env GOCACHE instead of a private cache (no start-up build, but each mutant's builds, about 10 MB, stay there)")
	if err := fs.Parse(args); err != nil {
		return nil, err
	}
	if *listOps {
		for _, op := range operators {
			extra := ""
			if op.extra {
				extra = " (extra: only with -ops)"
			}
			fmt.Fprintf(stderr, "%-14s %s%s\n", op.name, op.doc, extra)
		}
		return nil, flag.ErrHelp
	}
	if fs.NArg() > 0 {
		return nil, fmt.Errorf("unexpected arguments: %q", fs.Args())
	}
	for _, p := range strings.Split(pkgs, ",") {
		if p = strings.Trim(strings.TrimSpace(p), "/"); p != "" {
			o.pkgs = append(o.pkgs, strings.TrimPrefix(p, "./"))
		}
	}
	if len(o.pkgs) == 0 {
		return nil, errors.New("-pkg: no package given")
	}
	if runRE != "" {
		re, err := regexp.Compile(runRE)
		if err != nil {
			return nil, fmt.Errorf("-run: %v", err)
		}
		o.run = re
	}
	if skipCalls != "" {
		re, err := regexp.Compile(skipCalls)
		if err != nil {
			return nil, fmt.Errorf("-skip-calls: %v", err)
		}
		o.skipCalls = re
	}
	if ops != "" {
		o.ops = map[string]bool{}
		for _, op := range strings.Split(ops, ",") {
			op = strings.TrimSpace(op)
			if !knownOperator(op) {
				return nil, fmt.Errorf("-ops: unknown operator %q (-list-ops names them)", op)
			}
			o.ops[op] = true
		}
	}
	for _, x := range strings.Split(exclude, ",") {
		if x = strings.TrimSpace(x); x != "" {
			o.exclude = append(o.exclude, x)
		}
	}
	if o.survivors != "" && o.resume != "" {
		return nil, errors.New("-survivors and -resume do not go together")
	}
	if o.sharedCache && o.cacheDir != "" {
		return nil, errors.New("-sharedcache and -cachedir do not go together")
	}
	if o.cacheDir != "" {
		abs, err := filepath.Abs(o.cacheDir)
		if err != nil {
			return nil, err
		}
		o.cacheDir = abs // GOCACHE must be absolute
	}
	if o.sample < 0 {
		return nil, errors.New("-sample must not be negative")
	}
	if o.sample > 0 && o.survivors != "" {
		return nil, errors.New("-survivors keeps the sample of the earlier run: leave out -sample")
	}
	for _, t := range strings.Split(fuzzFirst, ",") {
		if t = strings.TrimSpace(t); t != "" {
			o.fuzzFirst = append(o.fuzzFirst, t)
		}
	}
	if len(o.fuzzFirst) > 0 && o.fuzz == 0 {
		return nil, errors.New("-fuzzfirst needs -fuzz")
	}
	if o.jobs < 1 || o.fuzzParallel < 1 {
		return nil, errors.New("-j and -fuzzparallel must be at least 1")
	}
	if mem < 0 {
		return nil, errors.New("-memlimit must not be negative")
	}
	o.memLimit = uint64(mem)
	return o, nil
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	o, err := parseFlags(args, stderr)
	if errors.Is(err, flag.ErrHelp) {
		return 0
	}
	if err != nil {
		fmt.Fprintf(stderr, "mutation: %v\n", err)
		return 2
	}
	if err := mutation(ctx, o, stdout, stderr); err != nil {
		fmt.Fprintf(stderr, "mutation: %v\n", err)
		return 1
	}
	return 0
}

// moduleRoot finds the directory of the go.mod that governs dir, and the
// module's path.
func moduleRoot(dir string) (string, string, error) {
	out, err := goCmd(context.Background(), dir, time.Minute, nil, "list", "-m", "-f", "{{.Dir}}\t{{.Path}}")
	if err != nil {
		return "", "", fmt.Errorf("finding the module of %s: %v\n%s", dir, err, out)
	}
	root, path, ok := strings.Cut(strings.TrimSpace(out), "\t")
	if !ok || strings.Contains(path, "\n") {
		return "", "", fmt.Errorf("finding the module of %s: unexpected go list output %q", dir, out)
	}
	return root, path, nil
}

// collect lists the mutants of the packages, in file and source order.
func collect(root string, o *options) ([]*Mutant, error) {
	var all []*Mutant
	for _, pkg := range o.pkgs {
		out, err := goCmd(context.Background(), root, time.Minute, nil, "list", "-f", "{{join .GoFiles \"\\n\"}}", "./"+pkg)
		if err != nil {
			return nil, fmt.Errorf("listing the files of %s: %v\n%s", pkg, err, out)
		}
		files := strings.Fields(out)
		sort.Strings(files)
		for _, f := range files {
			rel := pkg + "/" + f
			if pkg == "." {
				rel = f
			}
			src, err := os.ReadFile(filepath.Join(root, filepath.FromSlash(rel)))
			if err != nil {
				return nil, err
			}
			ms, err := mutateFile(rel, pkg, src, o.ops, o.skipCalls)
			if err != nil {
				return nil, err
			}
			for _, m := range ms {
				if o.run == nil || o.run.MatchString(m.File+":"+m.Func) {
					all = append(all, m)
				}
			}
		}
	}
	return all, nil
}

func mutation(ctx context.Context, o *options, stdout, stderr io.Writer) error {
	start := time.Now()
	root, modPath, err := moduleRoot(o.dir)
	if err != nil {
		return err
	}
	mutants, err := collect(root, o)
	if err != nil {
		return err
	}
	var equivalents map[string]Equivalent
	if o.equivalent != "" {
		path := filepath.Join(root, filepath.FromSlash(o.equivalent))
		eqs, err := loadEquivalents(path)
		switch {
		case errors.Is(err, os.ErrNotExist) && o.equivalent == "differential/mutation/equivalent.txt":
		case err != nil:
			return err
		default:
			var stale []string
			equivalents, stale = checkEquivalents(eqs, mutants, o.equivalent)
			// With -pkg or -run, entries for the mutants left out are
			// not stale.
			if o.run == nil && len(o.ops) == 0 {
				for _, s := range stale {
					if strings.Contains(s, "no such mutant") && !inPkgs(s, o.pkgs) {
						continue
					}
					fmt.Fprintf(stderr, "mutation: stale entry: %s\n", s)
				}
			}
		}
	}
	var sample *Sample
	if o.sample > 0 {
		mutants, sample = drawSample(mutants, o.sample, o.seed)
	}
	if o.list {
		writeList(stdout, mutants, equivalents)
		return nil
	}

	rep := &Report{Date: start.UTC().Format("2006-01-02"), Workers: o.jobs, Packages: o.pkgs, Sample: sample}
	rep.Commit, rep.Dirty = gitState(root)
	var previous map[string]*Result
	var earlier float64 // seconds an interrupted run already took
	if prevFile := o.survivors + o.resume; prevFile != "" {
		prev, err := readReport(prevFile)
		if err != nil {
			return err
		}
		rep.Survivors = o.survivors
		if o.resume != "" {
			earlier = prev.Seconds
		}
		previous = map[string]*Result{}
		for _, r := range prev.Results {
			previous[r.ID] = r
		}
		if o.survivors != "" && prev.Sample != nil {
			// The earlier run was a sample: keep to it, with its
			// population, so that the estimates stay comparable.
			rep.Sample = prev.Sample
			var kept []*Mutant
			for _, m := range mutants {
				if previous[m.ID] != nil {
					kept = append(kept, m)
				}
			}
			mutants = kept
		}
		// A resumed sample needs the same seed; another -sample is fine:
		// the draws of a file are nested (its first k by the seed's
		// order), so the earlier results are of the same sample.
		if o.resume != "" && ((prev.Sample == nil) != (sample == nil) ||
			prev.Sample != nil && sample != nil && prev.Sample.Seed != sample.Seed) {
			return fmt.Errorf("-resume %s: give -sample and the same -seed as the interrupted run", prevFile)
		}
	}

	// Decide what runs.
	var results []*Result
	var todo []*Result
	skippedNew := 0
	for _, m := range mutants {
		res := &Result{Mutant: m}
		results = append(results, res)
		if e, ok := equivalents[m.ID]; ok {
			res.Status, res.Reason = StatusEquivalent, e.Reason
			if !o.verifyEquiv {
				continue
			}
		}
		if previous != nil && o.resume != "" {
			// Keep every final result; run the rest.
			if p, ok := previous[m.ID]; ok && p.Status != "" && p.Status != StatusError && res.Status != StatusEquivalent {
				*res = *p
				res.Mutant = m
			}
			if res.Status == "" || o.verifyEquiv && res.Status == StatusEquivalent {
				todo = append(todo, res)
			}
			continue
		}
		if previous != nil {
			p, ok := previous[m.ID]
			switch {
			case !ok:
				skippedNew++
				res.Status, res.Detail = StatusError, "not in the earlier results: run it without -survivors"
				continue
			case p.Status != StatusSurvived && res.Status != StatusEquivalent:
				*res = *p
				res.Mutant, res.Previous = m, true
				continue
			case p.Status != StatusSurvived:
				continue
			}
		}
		todo = append(todo, res)
	}
	save := func() error { return nil }
	if o.out != "" {
		save = func() error {
			rep.Seconds = earlier + time.Since(start).Round(time.Second).Seconds()
			rep.Results = results
			rep.summarize(results, o.fuzz > 0)
			data, _ := json.MarshalIndent(rep, "", "  ")
			tmp := o.out + ".tmp"
			if err := os.WriteFile(tmp, append(data, '\n'), 0o644); err != nil {
				return err
			}
			return os.Rename(tmp, o.out)
		}
	}
	if skippedNew > 0 {
		fmt.Fprintf(stderr, "mutation: %d mutants are not in %s (new code): not run\n", skippedNew, o.survivors)
	}

	if o.nice > 0 {
		if err := syscall.Setpriority(syscall.PRIO_PROCESS, 0, o.nice); err != nil {
			fmt.Fprintf(stderr, "mutation: could not lower the priority: %v\n", err)
		}
	}
	logf := func(format string, args ...any) {
		if !o.quiet {
			fmt.Fprintf(stderr, format+"\n", args...)
		}
	}
	r := &runner{
		root: root, modPath: modPath, exclude: o.exclude, memLimit: o.memLimit,
		fuzzTime: o.fuzz, fuzzParallel: o.fuzzParallel, fuzzFirst: o.fuzzFirst, log: logf,
		pkgKills: map[string]int{}, fuzzKills: map[string]int{},
	}
	r.mutated = map[string]bool{}
	for _, p := range o.pkgs {
		if p == "." {
			r.mutated[modPath] = true
		} else {
			r.mutated[modPath+"/"+p] = true
		}
	}
	if o.memLimit > 0 {
		if self, err := os.Executable(); err == nil {
			r.self = self
		}
	}
	defer r.cleanup()
	// The scratch copies go on an interrupt as well: the deferred cleanup
	// runs once the workers see the context end.
	if !o.sharedCache {
		if err := r.privateCache(o.cacheDir); err != nil {
			return err
		}
	}
	first, err := r.newWorker(r.root)
	if err != nil {
		return err
	}
	if err := r.discover(ctx, first.dir); err != nil {
		return err
	}
	rep.Suite = r.suite
	if o.fuzz > 0 {
		for _, pkg := range strings.Split(o.fuzzPkg, ",") {
			path, err := importPath(ctx, first.dir, strings.TrimSpace(pkg))
			if err != nil {
				return err
			}
			r.fuzzPkgs = append(r.fuzzPkgs, path)
		}
		r.gocache, err = goEnv(ctx, o.dir, "GOCACHE")
		if err != nil {
			return err
		}
		rep.Fuzz = o.fuzz.String()
	}
	logf("%d mutants, %d to run; baseline run of the suite (%d packages)", len(mutants), len(todo), len(r.suite))
	if err := r.baseline(ctx, first.dir, o.timeout); err != nil {
		return err
	}
	if err := r.snapshotCache(); err != nil {
		return err
	}
	rep.Suite, rep.FuzzTargets = r.suite, r.fuzzTargets

	workers := []*worker{first}
	for len(workers) < min(o.jobs, max(1, len(todo))) {
		w, err := r.newWorker(first.dir)
		if err != nil {
			return err
		}
		workers = append(workers, w)
	}
	next := make(chan *Result)
	var wg sync.WaitGroup
	var done int
	var mu sync.Mutex
	for _, w := range workers {
		wg.Add(1)
		go func(w *worker) {
			defer wg.Done()
			for res := range next {
				out := w.run(ctx, res.Mutant)
				mu.Lock()
				equiv := res.Status == StatusEquivalent
				reason := res.Reason
				*res = *out
				if equiv && out.killed() {
					res.Detail = "listed as equivalent, but killed: " + res.Detail
					fmt.Fprintf(stderr, "mutation: %s is listed as equivalent but %s kills it (%s)\n", res.ID, res.KilledBy, res.Detail)
				} else if equiv && out.Status == StatusSurvived {
					res.Status, res.Reason = StatusEquivalent, reason
				}
				done++
				if err := save(); err != nil {
					fmt.Fprintf(stderr, "mutation: saving %s: %v\n", o.out, err)
				}
				logf("[%d/%d %s] %s %s %s", done, len(todo), fmtSeconds(time.Since(start).Seconds()), res.Status, res.ID, progressDetail(res))
				mu.Unlock()
			}
		}(w)
	}
feed:
	for _, res := range todo {
		select {
		case next <- res:
		case <-ctx.Done():
			break feed
		}
	}
	close(next)
	wg.Wait()
	if ctx.Err() != nil {
		if o.out != "" {
			return fmt.Errorf("interrupted; the scratch copies are removed, and -resume %s goes on", o.out)
		}
		return errors.New("interrupted; the scratch copies are removed")
	}

	if err := save(); err != nil {
		return err
	}
	rep.Seconds = earlier + time.Since(start).Round(time.Second).Seconds()
	rep.Results = results
	rep.summarize(results, o.fuzz > 0)
	if o.json {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(rep)
	}
	writeText(stdout, rep)
	return nil
}

// writeList prints each mutant: where, which operator, its ID and the lines
// it changes.
func writeList(w io.Writer, mutants []*Mutant, equivalents map[string]Equivalent) {
	for _, m := range mutants {
		mark := ""
		if _, ok := equivalents[m.ID]; ok {
			mark = " [equivalent]"
		}
		fmt.Fprintf(w, "%s:%d:%d %s %s%s\n  id: %s\n", m.File, m.Line, m.Col, m.Func, m.Op, mark, m.ID)
		writeDiff(w, m, "  ")
	}
	fmt.Fprintf(w, "%d mutants\n", len(mutants))
}

func progressDetail(res *Result) string {
	var s string
	switch res.Status {
	case StatusKilled, StatusTimeout:
		s = "by " + res.KilledBy + " " + res.Detail
	case StatusNotCompiling, StatusError:
		s = res.Detail
	}
	if f := res.Fuzz; f != nil {
		if f.KilledBy != "" {
			s += " (fuzzing killed it: " + f.KilledBy + ")"
		} else {
			s += " (fuzzing did not kill it)"
		}
	}
	return s
}

// inPkgs reports whether a stale-entry message names a file of one of pkgs.
func inPkgs(msg string, pkgs []string) bool {
	_, rest, _ := strings.Cut(msg, ": ")
	for _, p := range pkgs {
		if strings.HasPrefix(rest, p+"/") {
			return true
		}
	}
	return false
}

func importPath(ctx context.Context, dir, pkg string) (string, error) {
	out, err := goCmd(ctx, dir, time.Minute, nil, "list", "-f", "{{.ImportPath}}", pkg)
	if err != nil {
		return "", fmt.Errorf("go list %s: %v\n%s", pkg, err, out)
	}
	return strings.TrimSpace(out), nil
}

func goEnv(ctx context.Context, dir, name string) (string, error) {
	out, err := goCmd(ctx, dir, time.Minute, nil, "env", name)
	if err != nil {
		return "", fmt.Errorf("go env %s: %v\n%s", name, err, out)
	}
	return strings.TrimSpace(out), nil
}

// gitState is the commit checked out in root, and whether the tree differs
// from it; empty outside a git checkout.
func gitState(root string) (string, bool) {
	out, err := exec.Command("git", "-C", root, "rev-parse", "--short", "HEAD").Output()
	if err != nil {
		return "", false
	}
	st, err := exec.Command("git", "-C", root, "status", "--porcelain", "--untracked-files=no").Output()
	return strings.TrimSpace(string(out)), err == nil && len(strings.TrimSpace(string(st))) > 0
}
