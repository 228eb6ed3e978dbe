package main

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"syscall"
	"time"
)

// Statuses of a mutant.
const (
	StatusKilled       = "killed"        // a test failed
	StatusTimeout      = "timeout"       // a test hung: killed by the timeout
	StatusSurvived     = "survived"      // every test passed
	StatusNotCompiling = "not-compiling" // the mutated package (or a dependent) does not build
	StatusEquivalent   = "equivalent"    // listed as equivalent; not run
	StatusError        = "error"         // the tool could not run it
)

// A Result is what became of one mutant.
type Result struct {
	*Mutant
	Status   string  `json:"status"`
	KilledBy string  `json:"killed_by,omitempty"` // the package whose tests failed
	Detail   string  `json:"detail,omitempty"`    // the first failing test, or why not compiling
	Reason   string  `json:"reason,omitempty"`    // equivalent: why
	Seconds  float64 `json:"seconds"`
	// Fuzz is what fuzzing did to a survivor of the suite.
	Fuzz *FuzzResult `json:"fuzz,omitempty"`
	// Previous is set when this result was carried over from an earlier
	// run's results rather than run again (-survivors).
	Previous bool `json:"previous,omitempty"`
}

// A FuzzResult is what fuzzing did to one survivor.
type FuzzResult struct {
	Duration string   `json:"duration"` // per target
	Ran      []string `json:"ran"`      // the targets run, in order, up to the killer
	KilledBy string   `json:"killed_by,omitempty"`
	Input    string   `json:"input,omitempty"` // the killing input, as go test wrote it
	// Fails is set when the fuzzer's input fails the unmutated code too:
	// a real bug, not a kill.
	FailsUnmutated bool `json:"fails_unmutated,omitempty"`
}

// killed reports whether the suite (or a timeout) killed the mutant.
func (r *Result) killed() bool { return r.Status == StatusKilled || r.Status == StatusTimeout }

// runner runs mutants against the suite in scratch copies of the module.
type runner struct {
	root     string // the module's directory (never written)
	modPath  string
	mutated  map[string]bool     // the import paths of the packages mutated
	suite    []string            // test packages that link one of them, fastest first
	deps     map[string][]string // test package → the module packages its test binary links
	timeout  map[string]time.Duration
	exclude  []string
	memLimit uint64
	self     string // this executable, used as go test -exec to limit memory

	fuzzPkgs     []string          // import paths of the fuzz targets' packages
	fuzzPkgOf    map[string]string // the package of each fuzz target
	gocache      string            // go env GOCACHE: the fuzzer's cached corpus is under it
	fuzzTargets  []string
	fuzzTime     time.Duration
	fuzzParallel int
	fuzzFirst    []string // targets fuzzed first, in order

	log func(format string, args ...any)

	// cache is the private build cache (GOCACHE) of the run, "" to use
	// the shared one. Every mutant leaves its builds in it; after every
	// few mutants, everything the baseline did not put there is removed.
	cache     string
	cacheBase map[string]bool
	cacheMu   sync.RWMutex // held for reading while a mutant runs
	sinceTrim int

	mu        sync.Mutex
	pkgKills  map[string]int // kills per test package, to try the best first
	fuzzKills map[string]int
	scratch   []string // every scratch directory, removed at the end
}

// goCmd runs the go command in dir and returns its combined output. The
// command runs in a process group of its own, killed whole when ctx ends or
// timeout passes (0: no timeout).
func goCmd(ctx context.Context, dir string, timeout time.Duration, env []string, args ...string) (string, error) {
	if timeout > 0 {
		var cancel context.CancelFunc
		ctx, cancel = context.WithTimeout(ctx, timeout)
		defer cancel()
	}
	cmd := exec.CommandContext(ctx, "go", args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), env...)
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Cancel = func() error { return syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL) }
	cmd.WaitDelay = 10 * time.Second
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	err := cmd.Run()
	if err != nil && ctx.Err() != nil {
		if errors.Is(ctx.Err(), context.DeadlineExceeded) {
			return out.String(), fmt.Errorf("%w (after %v)", context.DeadlineExceeded, timeout)
		}
		return out.String(), ctx.Err()
	}
	return out.String(), err
}

// copyModule copies the module's files (not .git) under from, the module
// root or a worker's copy, to a new scratch directory, where tests run and
// the fuzzer may write.
func (r *runner) copyModule(from string) (string, error) {
	dir, err := os.MkdirTemp("", "cspmodel-mutation-")
	if err != nil {
		return "", err
	}
	r.mu.Lock()
	r.scratch = append(r.scratch, dir)
	r.mu.Unlock()
	err = filepath.WalkDir(from, func(path string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(from, path)
		if d.IsDir() {
			if d.Name() == ".git" {
				return filepath.SkipDir
			}
			return os.MkdirAll(filepath.Join(dir, rel), 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(path)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(filepath.Join(dir, rel), data, info.Mode().Perm())
	})
	return dir, err
}

func (r *runner) cleanup() {
	r.mu.Lock()
	defer r.mu.Unlock()
	for _, d := range r.scratch {
		os.RemoveAll(d)
	}
	r.scratch = nil
}

// env is the environment of every go command: tests that read data from
// beside the checkout keep finding it from the scratch copy.
func (r *runner) env() []string {
	var env []string
	if r.cache != "" {
		env = append(env, "GOCACHE="+r.cache)
	}
	if os.Getenv("CSPMODEL_URL_TESTDATA") == "" {
		if d := filepath.Join(r.root, "..", "shared", "data"); isDir(d) {
			env = append(env, "CSPMODEL_URL_TESTDATA="+d)
		}
	}
	return env
}

// privateCache makes the run's build cache: dir if given (kept for the
// next run, which then starts without building everything), or a
// temporary directory removed with the scratch copies.
func (r *runner) privateCache(dir string) error {
	if dir != "" {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
		r.cache = dir
		// Remove what an interrupted run left beyond its baseline.
		if data, err := os.ReadFile(filepath.Join(dir, baseList)); err == nil {
			r.cacheBase = map[string]bool{}
			for _, p := range strings.Split(string(data), "\n") {
				r.cacheBase[p] = true
			}
			r.sinceTrim = trimEvery
			r.trimCache()
		}
		return nil
	}
	dir, err := os.MkdirTemp("", "cspmodel-mutation-gocache-")
	if err != nil {
		return err
	}
	r.mu.Lock()
	r.scratch = append(r.scratch, dir)
	r.mu.Unlock()
	r.cache = dir
	return nil
}

// baseList names the file of a kept cache that lists its baseline.
const baseList = "mutation-baseline.txt"

// snapshotCache records what the cache holds after the baseline: the
// unmutated builds, which every mutant reuses.
func (r *runner) snapshotCache() error {
	if r.cache == "" {
		return nil
	}
	r.cacheBase = cacheFiles(r.cache)
	list := filepath.Join(r.cache, baseList)
	r.cacheBase[list] = true
	var paths []string
	for p := range r.cacheBase {
		paths = append(paths, p)
	}
	sort.Strings(paths)
	return os.WriteFile(list, []byte(strings.Join(paths, "\n")), 0o644)
}

func cacheFiles(dir string) map[string]bool {
	set := map[string]bool{}
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			set[p] = true
		}
		return nil
	})
	return set
}

// trimCache removes the mutants' builds from the private cache after every
// trimEvery mutants, while no mutant runs.
const trimEvery = 10

func (r *runner) trimCache() {
	if r.cache == "" || r.cacheBase == nil {
		return
	}
	r.mu.Lock()
	r.sinceTrim++
	due := r.sinceTrim >= trimEvery
	if due {
		r.sinceTrim = 0
	}
	r.mu.Unlock()
	if !due {
		return
	}
	r.cacheMu.Lock()
	defer r.cacheMu.Unlock()
	for p := range cacheFiles(r.cache) {
		if !r.cacheBase[p] {
			os.Remove(p)
		}
	}
}

func isDir(p string) bool {
	st, err := os.Stat(p)
	return err == nil && st.IsDir()
}

// discover finds the suite: every package with tests, less the excluded
// ones, and which module packages each test binary links.
func (r *runner) discover(ctx context.Context, dir string) error {
	out, err := goCmd(ctx, dir, 0, r.env(), "list", "-test", "-f", "{{.ImportPath}}\t{{join .Deps \" \"}}", "./...")
	if err != nil {
		return fmt.Errorf("go list -test ./...: %v\n%s", err, out)
	}
	r.deps = map[string][]string{}
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		path, deps, _ := strings.Cut(line, "\t")
		if !strings.HasSuffix(path, ".test") {
			continue
		}
		pkg := strings.TrimSuffix(path, ".test")
		if r.excluded(pkg) {
			continue
		}
		set := map[string]bool{}
		for _, d := range strings.Fields(deps) {
			if strings.HasPrefix(d, "[") { // the tail of "p [p.test]"
				continue
			}
			if d == r.modPath || strings.HasPrefix(d, r.modPath+"/") {
				set[d] = true
			}
		}
		links := false
		for d := range set {
			r.deps[pkg] = append(r.deps[pkg], d)
			links = links || r.mutated[d]
		}
		sort.Strings(r.deps[pkg])
		if links { // the others cannot kill a mutant
			r.suite = append(r.suite, pkg)
		}
	}
	if len(r.suite) == 0 {
		return errors.New("no test package links the mutated packages")
	}
	return nil
}

func (r *runner) excluded(pkg string) bool {
	for _, x := range r.exclude {
		x = strings.TrimPrefix(x, "./")
		if x == "" {
			continue
		}
		if pkg == r.modPath+"/"+x || strings.HasSuffix(x, "/...") && strings.HasPrefix(pkg+"/", r.modPath+"/"+strings.TrimSuffix(x, "...")) {
			return true
		}
	}
	return false
}

// baseline runs the suite once unmutated: it must pass, and its times set
// each package's timeout.
func (r *runner) baseline(ctx context.Context, dir string, timeoutFlag time.Duration) error {
	r.timeout = map[string]time.Duration{}
	took := map[string]time.Duration{}
	// Build everything first, so that the times below are the tests'.
	build := append([]string{"test", "-count=1", "-run=^$", "-vet=off"}, r.suite...)
	if out, err := goCmd(ctx, dir, time.Hour, r.env(), build...); err != nil {
		return fmt.Errorf("building the suite: %v\n%s", err, tail(out, 40))
	}
	for _, pkg := range r.suite {
		start := time.Now()
		out, err := goCmd(ctx, dir, 30*time.Minute, r.env(), r.testArgs([]string{pkg}, "", 10*time.Minute)...)
		if err != nil {
			return fmt.Errorf("the suite fails before any mutant is planted (%s): %v\n%s", pkg, err, tail(out, 40))
		}
		took[pkg] = time.Since(start)
		t := timeoutFlag
		if t == 0 {
			t = max(60*time.Second, 10*took[pkg])
		}
		r.timeout[pkg] = t
		r.log("baseline: %-50s %6.1fs (timeout %v)", pkg, took[pkg].Seconds(), t)
	}
	sort.SliceStable(r.suite, func(i, j int) bool { return took[r.suite[i]] < took[r.suite[j]] })
	if r.fuzzTime > 0 {
		r.fuzzPkgOf = map[string]string{}
		var firsts []string // each package's first target
		for _, pkg := range r.fuzzPkgs {
			out, err := goCmd(ctx, dir, 10*time.Minute, r.env(), "test", "-list", "^Fuzz", pkg)
			if err != nil {
				return fmt.Errorf("listing the fuzz targets of %s: %v\n%s", pkg, err, out)
			}
			for _, l := range strings.Split(out, "\n") {
				if t := strings.TrimSpace(l); strings.HasPrefix(t, "Fuzz") {
					if other, ok := r.fuzzPkgOf[t]; ok {
						return fmt.Errorf("two fuzz targets named %s, in %s and %s", t, other, pkg)
					}
					if len(firsts) == 0 || r.fuzzPkgOf[firsts[len(firsts)-1]] != pkg {
						firsts = append(firsts, t)
					}
					r.fuzzTargets = append(r.fuzzTargets, t)
					r.fuzzPkgOf[t] = pkg
				}
			}
		}
		if len(r.fuzzTargets) == 0 {
			return fmt.Errorf("no fuzz targets in %s", strings.Join(r.fuzzPkgs, ", "))
		}
		for _, f := range r.fuzzFirst {
			if !slices.Contains(r.fuzzTargets, f) {
				return fmt.Errorf("-fuzzfirst: %s is not a fuzz target of %s (%s)", f, strings.Join(r.fuzzPkgs, ", "), strings.Join(r.fuzzTargets, ", "))
			}
		}
		r.log("fuzz targets: %s", strings.Join(fuzzOrder(r.fuzzTargets, r.fuzzFirst, nil), ", "))
		// One execution per package builds the fuzzer's instrumented
		// packages into the cache, and shows that fuzzing works here.
		cache, err := os.MkdirTemp("", "cspmodel-mutation-fuzzcache-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(cache)
		for _, t := range firsts {
			out, err := goCmd(ctx, dir, 30*time.Minute, r.env(), "test", "-run=^$", "-fuzz=^"+t+"$", "-fuzztime=1x",
				"-parallel=1", "-vet=off", r.fuzzPkgOf[t], "-args", "-test.fuzzcachedir="+cache)
			if err != nil {
				return fmt.Errorf("fuzzing %s once, unmutated: %v\n%s", t, err, tail(out, 40))
			}
		}
	}
	return nil
}

func (r *runner) testArgs(pkgs []string, overlay string, timeout time.Duration) []string {
	args := []string{"test", "-count=1", "-failfast", "-vet=off", "-timeout=" + timeout.String()}
	if overlay != "" {
		args = append(args, "-overlay="+overlay)
	}
	if r.self != "" && r.memLimit > 0 {
		args = append(args, "-exec="+r.self+" "+limitFlag+"="+fmt.Sprint(r.memLimit))
	}
	return append(args, pkgs...)
}

// order is the suite for a mutant of pkg: only the packages whose tests
// link pkg, pkg's own first, then those that killed most so far, then the
// fastest.
func (r *runner) order(pkg string) []string {
	r.mu.Lock()
	defer r.mu.Unlock()
	var out []string
	for _, p := range r.suite {
		for _, d := range r.deps[p] {
			if d == pkg {
				out = append(out, p)
				break
			}
		}
	}
	sort.SliceStable(out, func(i, j int) bool {
		a, b := out[i], out[j]
		if (a == pkg) != (b == pkg) {
			return a == pkg
		}
		return r.pkgKills[a] > r.pkgKills[b]
	})
	return out
}

// worker runs mutants in one scratch copy of the module.
type worker struct {
	r       *runner
	dir     string // the scratch copy
	tmp     string // the mutated file and the overlay
	overlay string
}

// newWorker makes a worker with a scratch copy of from: the module root for
// the first, the first worker's copy for the others, so that every worker
// runs the code as the run found it, whatever happens to the working tree
// meanwhile.
func (r *runner) newWorker(from string) (*worker, error) {
	dir, err := r.copyModule(from)
	if err != nil {
		return nil, err
	}
	tmp, err := os.MkdirTemp("", "cspmodel-mutant-")
	if err != nil {
		return nil, err
	}
	r.mu.Lock()
	r.scratch = append(r.scratch, tmp)
	r.mu.Unlock()
	return &worker{r: r, dir: dir, tmp: tmp, overlay: filepath.Join(tmp, "overlay.json")}, nil
}

// plant writes the mutated file and the overlay that puts it in place. The
// file is read from the worker's scratch copy, not from the working tree, so
// that an edit of the tree during a run cannot meet a mutant whose offsets
// were found in the file as it was.
func (w *worker) plant(m *Mutant) error {
	orig, err := os.ReadFile(filepath.Join(w.dir, m.File))
	if err != nil {
		return err
	}
	mutated := filepath.Join(w.tmp, filepath.Base(m.File))
	if err := os.WriteFile(mutated, m.Source(orig), 0o644); err != nil {
		return err
	}
	ov, _ := json.Marshal(map[string]map[string]string{"Replace": {filepath.Join(w.dir, m.File): mutated}})
	return os.WriteFile(w.overlay, ov, 0o644)
}

// singly is how many test packages, the likeliest killers, run one at a
// time before the rest run together.
const singly = 2

var (
	failedPkg   = regexp.MustCompile(`(?m)^FAIL\t(\S+)`)
	failedTest  = regexp.MustCompile(`(?m)^\s*--- FAIL: (\S+)`)
	buildFailed = regexp.MustCompile(`\[(build|setup) failed\]|^# `)
)

// run plants m and runs the suite against it.
func (w *worker) run(ctx context.Context, m *Mutant) *Result {
	defer w.r.trimCache()
	w.r.cacheMu.RLock()
	defer w.r.cacheMu.RUnlock()
	res := &Result{Mutant: m}
	start := time.Now()
	defer func() { res.Seconds = time.Since(start).Round(time.Millisecond).Seconds() }()
	if err := w.plant(m); err != nil {
		res.Status, res.Detail = StatusError, err.Error()
		return res
	}
	pkg := w.r.modPath
	if m.Pkg != "." {
		pkg += "/" + m.Pkg
	}
	if out, err := goCmd(ctx, w.dir, 10*time.Minute, w.r.env(), "build", "-overlay="+w.overlay, "./"+m.Pkg); err != nil {
		if ctx.Err() != nil {
			res.Status, res.Detail = StatusError, "interrupted"
			return res
		}
		res.Status, res.Detail = StatusNotCompiling, firstLine(w.readable(out, m))
		return res
	}
	// The packages most likely to kill run one by one, to stop at the
	// first failure; the rest, which rarely kill, in one go test, which
	// loads the module once and builds and runs them side by side.
	order := w.r.order(pkg)
	var steps [][]string
	for i, p := range order {
		if i < singly {
			steps = append(steps, []string{p})
		} else if i == singly {
			steps = append(steps, order[i:])
		}
	}
	for _, pkgs := range steps {
		t := time.Duration(0)
		for _, p := range pkgs {
			t = max(t, w.r.timeout[p])
		}
		out, err := goCmd(ctx, w.dir, time.Duration(len(pkgs))*t+10*time.Minute, w.r.env(), w.r.testArgs(pkgs, w.overlay, t)...)
		if ctx.Err() != nil {
			res.Status, res.Detail = StatusError, "interrupted"
			return res
		}
		if err == nil {
			continue
		}
		var p string
		res.Status, p, res.Detail = classify(out, err, pkgs)
		if res.Status == StatusNotCompiling {
			res.Detail = firstLine(w.readable(out, m))
			return res
		}
		res.KilledBy = p
		if res.Status == StatusTimeout {
			res.Detail = "test timed out after " + w.r.timeout[p].String()
		}
		w.r.mu.Lock()
		w.r.pkgKills[p]++
		w.r.mu.Unlock()
		return res
	}
	res.Status = StatusSurvived
	if w.r.fuzzTime > 0 {
		res.Fuzz = w.fuzz(ctx, m)
	}
	return res
}

// classify reads a failed go test of pkgs: a kill (in which package, by
// which test), a timeout, or a build failure.
func classify(out string, err error, pkgs []string) (status, pkg, detail string) {
	pkg = pkgs[0]
	if len(pkgs) > 1 {
		if f := failedPkg.FindStringSubmatch(out); f != nil {
			pkg = f[1]
		}
	}
	switch {
	case errors.Is(err, context.DeadlineExceeded) || strings.Contains(out, "panic: test timed out"):
		return StatusTimeout, pkg, ""
	case !strings.Contains(out, "--- FAIL") && buildFailed.MatchString(out):
		return StatusNotCompiling, "", firstLine(out)
	}
	if f := failedTest.FindStringSubmatch(out); f != nil {
		return StatusKilled, pkg, f[1]
	}
	return StatusKilled, pkg, firstLine(out)
}

// readable names the mutated file by its place in the module, not by the
// temporary file the overlay put there.
func (w *worker) readable(out string, m *Mutant) string {
	mutated := filepath.Join(w.tmp, filepath.Base(m.File))
	for _, p := range []string{mutated, filepath.Join("..", filepath.Base(w.tmp), filepath.Base(m.File))} {
		out = strings.ReplaceAll(out, p, m.File+" (mutated)")
	}
	return out
}

// fuzz runs each fuzz target against a survivor until one fails.
func (w *worker) fuzz(ctx context.Context, m *Mutant) *FuzzResult {
	fr := &FuzzResult{Duration: w.r.fuzzTime.String()}
	w.r.mu.Lock()
	targets := fuzzOrder(w.r.fuzzTargets, w.r.fuzzFirst, w.r.fuzzKills)
	w.r.mu.Unlock()
	for _, t := range targets {
		if ctx.Err() != nil {
			return fr
		}
		pkg := w.r.fuzzPkgOf[t]
		pkgDir := filepath.Join(w.dir, strings.TrimPrefix(strings.TrimPrefix(pkg, w.r.modPath), "/"))
		fr.Ran = append(fr.Ran, t)
		corpus := filepath.Join(pkgDir, "testdata", "fuzz", t)
		before := listDir(corpus)
		cache, err := w.fuzzCache(t)
		if err != nil {
			w.r.log("fuzz cache for %s: %v", t, err)
			continue
		}
		out, err := goCmd(ctx, w.dir, w.r.fuzzTime+10*time.Minute, w.r.env(), "test", "-overlay="+w.overlay,
			"-run=^$", "-fuzz=^"+t+"$", "-fuzztime="+w.r.fuzzTime.String(), "-fuzzminimizetime=10s",
			fmt.Sprintf("-parallel=%d", w.r.fuzzParallel), "-vet=off", pkg, "-args", "-test.fuzzcachedir="+cache)
		os.RemoveAll(cache)
		var found []string
		for name := range listDir(corpus) {
			if !before[name] {
				found = append(found, name)
			}
		}
		sort.Strings(found)
		if err == nil && len(found) == 0 {
			continue
		}
		if ctx.Err() != nil {
			return fr
		}
		// The input that failed: a new file of the corpus, or a seed
		// (which go test -fuzz runs first, and writes no file for). A seed
		// of a target in the suite fails the suite first; one of a package
		// the suite leaves out (-exclude) fails here.
		name := ""
		seed := seedFailure.FindStringSubmatch(out)
		switch {
		case len(found) > 0:
			data, _ := os.ReadFile(filepath.Join(corpus, found[0]))
			fr.Input, name = string(data), found[0]
		case seed != nil && replayable(corpus, seed[1]):
			name = seed[1]
			fr.Input = "(the seed " + t + "/" + name + ")"
		case errors.Is(err, context.DeadlineExceeded):
			// The fuzzer's own machinery timed out: the mutant hung.
			fr.KilledBy, fr.Input = t, "(the fuzzer hung)"
			return fr
		default:
			// The build, or the fuzzer's own machinery.
			w.r.log("fuzzing %s with %s failed without an input: %s", m.ID, t, tail(out, 10))
			continue
		}
		// The input must pass on the unmutated code, or it is a bug the
		// fuzzer found in the project, not a kill.
		replay, rerr := goCmd(ctx, w.dir, 10*time.Minute, w.r.env(), "test", "-count=1", "-vet=off",
			"-run=^"+t+"/"+regexp.QuoteMeta(name)+"$", pkg)
		for _, f := range found {
			os.Remove(filepath.Join(corpus, f))
		}
		if rerr != nil {
			fr.FailsUnmutated = true
			w.r.log("fuzzing with %s found an input that fails the unmutated code too:\n%s\n%s", t, fr.Input, tail(replay, 20))
			continue
		}
		fr.KilledBy = t
		w.r.mu.Lock()
		w.r.fuzzKills[t]++
		w.r.mu.Unlock()
		break
	}
	return fr
}

// seedFailure is how go test -fuzz names a seed that failed, and addedSeed
// the name it gives a seed f.Add gave.
var (
	seedFailure = regexp.MustCompile(`failure while testing seed corpus entry: Fuzz\w+/(\S+)`)
	addedSeed   = regexp.MustCompile(`^seed#[0-9]+$`)
)

// replayable reports whether go test -run can run the seed called name
// again: one f.Add gave (seed#N) or one of testdata, corpus. An entry of
// the fuzzer's cache, a copy deleted after the run, cannot be.
func replayable(corpus, name string) bool {
	if addedSeed.MatchString(name) {
		return true
	}
	_, err := os.Stat(filepath.Join(corpus, name))
	return err == nil
}

// fuzzOrder is the order in which a survivor is fuzzed: the targets named
// by -fuzzfirst in their order, then the others, those that killed most
// mutants so far first. Every target runs unless one kills the mutant, so
// the order changes how long a kill takes, not whether one is found.
func fuzzOrder(targets, first []string, kills map[string]int) []string {
	rank := func(t string) int {
		for i, f := range first {
			if f == t {
				return i
			}
		}
		return len(first)
	}
	out := append([]string(nil), targets...)
	sort.SliceStable(out, func(i, j int) bool {
		if ri, rj := rank(out[i]), rank(out[j]); ri != rj {
			return ri < rj
		}
		return kills[out[i]] > kills[out[j]]
	})
	return out
}

// fuzzCache is a fresh copy of the fuzzer's cached corpus of target t, so
// that the run starts from what earlier fuzzing found without adding a
// mutant's inputs to it.
func (w *worker) fuzzCache(t string) (string, error) {
	src := filepath.Join(w.r.gocache, "fuzz", w.r.fuzzPkgOf[t], t)
	dst := filepath.Join(w.tmp, "fuzzcache", t)
	os.RemoveAll(dst)
	if err := os.MkdirAll(dst, 0o755); err != nil {
		return "", err
	}
	for name := range listDir(src) {
		data, err := os.ReadFile(filepath.Join(src, name))
		if err != nil {
			continue
		}
		if err := os.WriteFile(filepath.Join(dst, name), data, 0o644); err != nil {
			return "", err
		}
	}
	return dst, nil
}

func listDir(dir string) map[string]bool {
	set := map[string]bool{}
	ents, _ := os.ReadDir(dir)
	for _, e := range ents {
		if e.Type().IsRegular() {
			set[e.Name()] = true
		}
	}
	return set
}

func firstLine(s string) string {
	for _, l := range strings.Split(s, "\n") {
		l = strings.TrimSpace(l)
		if l != "" && !strings.HasPrefix(l, "#") {
			return l
		}
	}
	return strings.TrimSpace(s)
}

func tail(s string, n int) string {
	lines := strings.Split(strings.TrimRight(s, "\n"), "\n")
	if len(lines) > n {
		lines = lines[len(lines)-n:]
	}
	return strings.Join(lines, "\n")
}
