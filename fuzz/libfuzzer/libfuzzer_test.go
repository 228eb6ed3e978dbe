package libfuzzer

import (
	"archive/zip"
	"bufio"
	"context"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/cspmodel/cspmodel/fuzz"
)

// go118FuzzBuild is the go-118-fuzz-build version the check installs: the
// one OSS-Fuzz's base-builder-go image was built from when this was written.
const go118FuzzBuild = "v0.0.0-20250520111509-a70c2aa677fa"

const root = "../.."

// TestDockerfilePinsGoModToolchain holds the Go toolchain the ClusterFuzzLite
// image sets to the one go.mod asks for, so that they cannot drift apart.
func TestDockerfilePinsGoModToolchain(t *testing.T) {
	mod, err := os.ReadFile(filepath.Join(root, "go.mod"))
	if err != nil {
		t.Fatal(err)
	}
	m := regexp.MustCompile(`(?m)^go ([0-9.]+)$`).FindSubmatch(mod)
	if m == nil {
		t.Fatal("go.mod has no go line")
	}
	docker, err := os.ReadFile(filepath.Join(root, ".clusterfuzzlite", "Dockerfile"))
	if err != nil {
		t.Fatal(err)
	}
	pins := regexp.MustCompile(`(?m)^ENV GOTOOLCHAIN=(\S+)$`).FindAllSubmatch(docker, -1)
	if len(pins) != 1 || string(pins[0][1]) != "go"+string(m[1]) {
		t.Errorf(".clusterfuzzlite/Dockerfile pins %q; go.mod's go line is %s: want one line ENV GOTOOLCHAIN=go%s", pins, m[1], m[1])
	}
	if !regexp.MustCompile(`(?m)^FROM gcr\.io/oss-fuzz-base/base-builder-go$`).Match(docker) {
		t.Error(".clusterfuzzlite/Dockerfile does not start from gcr.io/oss-fuzz-base/base-builder-go")
	}
}

// buildLine is one compile_native_go_fuzzer line of build.sh.
var buildLine = regexp.MustCompile(`^compile_native_go_fuzzer (\S+) (\S+) (\S+)$`)

// TestBuildScriptBuildsEveryTarget holds build.sh to fuzz.Targets (which a
// test in package fuzz holds to the Fuzz functions in the tree): one
// compile_native_go_fuzzer line per target, with its package and binary
// name, and the steps before them.
func TestBuildScriptBuildsEveryTarget(t *testing.T) {
	script, err := os.ReadFile(filepath.Join(root, ".clusterfuzzlite", "build.sh"))
	if err != nil {
		t.Fatal(err)
	}
	var built, want []string
	for _, line := range strings.Split(string(script), "\n") {
		if m := buildLine.FindStringSubmatch(strings.TrimSpace(line)); m != nil {
			built = append(built, strings.Join(m[1:], " "))
		} else if strings.Contains(line, "compile_native_go_fuzzer") && !strings.HasPrefix(strings.TrimSpace(line), "#") {
			t.Errorf("build.sh: a compile_native_go_fuzzer line this test cannot read: %q", line)
		}
	}
	for _, tg := range fuzz.Targets {
		want = append(want, tg.Package()+" "+tg.Name+" "+tg.Binary)
	}
	slices.Sort(built)
	slices.Sort(want)
	if !slices.Equal(built, want) {
		t.Errorf("build.sh builds\n  %s\nfuzz.Targets are\n  %s", strings.Join(built, "\n  "), strings.Join(want, "\n  "))
	}
	for _, step := range []string{
		`go get "github.com/AdamKorcz/go-118-fuzz-build/testing@`,
		`go run ./fuzz/seedcorpus -o "$OUT"`,
		`export GOTOOLCHAIN="go$(sed -n`,
	} {
		if !strings.Contains(string(script), step) {
			t.Errorf("build.sh lacks %s", step)
		}
	}
}

// env is what the build and the runs need besides the test's environment.
type env struct {
	work, bin, out string
	cxx            string
	vars           []string
}

// prepare finds clang and libFuzzer's runtime and installs go-118-fuzz-build,
// or skips the test (fails it under CSPMODEL_REQUIRE_LIBFUZZER=1).
func prepare(t *testing.T) env {
	t.Helper()
	require := os.Getenv("CSPMODEL_REQUIRE_LIBFUZZER") == "1"
	unavailable := func(format string, args ...any) {
		t.Helper()
		msg := fmt.Sprintf(format, args...)
		if require {
			t.Fatalf("%s (CSPMODEL_REQUIRE_LIBFUZZER=1 makes this a failure)", msg)
		}
		t.Skipf("%s; skipping the libFuzzer build (install clang-16 libclang-rt-16-dev, or set CSPMODEL_REQUIRE_LIBFUZZER=1 to fail instead)", msg)
	}
	if testing.Short() && !require {
		t.Skip("-short: the libFuzzer build takes a minute or two")
	}
	if _, err := exec.LookPath("bash"); err != nil {
		unavailable("no bash")
	}
	var e env
	var cc string
	for _, v := range []string{"16", ""} {
		suffix := ""
		if v != "" {
			suffix = "-" + v
		}
		c, err1 := exec.LookPath("clang" + suffix)
		cxx, err2 := exec.LookPath("clang++" + suffix)
		if err1 == nil && err2 == nil {
			cc, e.cxx = c, cxx
			break
		}
	}
	if cc == "" {
		unavailable("no clang-16 or clang (with clang++) on PATH")
	}
	e.work = t.TempDir()
	e.bin = filepath.Join(e.work, "bin")
	e.out = filepath.Join(e.work, "out")
	for _, d := range []string{e.bin, e.out} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	// libFuzzer's runtime: link the smallest fuzz target there is.
	probe := filepath.Join(e.work, "probe.c")
	if err := os.WriteFile(probe, []byte("int LLVMFuzzerTestOneInput(const unsigned char *d, unsigned long n) { return 0; }\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(cc, "-fsanitize=fuzzer,address", probe, "-o", filepath.Join(e.work, "probe")).CombinedOutput(); err != nil {
		unavailable("%s cannot link a libFuzzer target (libclang_rt.fuzzer missing?): %v\n%s", cc, err, out)
	}
	e.vars = []string{
		// auto keeps the Go running this test, which go.mod accepts, and
		// build.sh keeps auto: nothing is downloaded.
		"GOTOOLCHAIN=auto",
		"GO118FUZZBUILD_VERSION=" + go118FuzzBuild,
		"SANITIZER=address", "FUZZING_ENGINE=libfuzzer", "FUZZING_LANGUAGE=go", "ARCHITECTURE=x86_64",
		"OUT=" + e.out, "WORK=" + filepath.Join(e.work, "work"),
		"CC=" + cc, "CXX=" + e.cxx + " -lresolv",
		"CFLAGS=-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link",
		"CXXFLAGS=-O1 -fno-omit-frame-pointer -gline-tables-only -fsanitize=address -fsanitize-address-use-after-scope -fsanitize=fuzzer-no-link",
		"LIB_FUZZING_ENGINE=-fsanitize=fuzzer",
	}
	// go-118-fuzz-build and its testing package, from the module proxy (or
	// the module cache).
	install := exec.Command("go", "install", "github.com/AdamKorcz/go-118-fuzz-build@"+go118FuzzBuild)
	install.Env = append(os.Environ(), "GOBIN="+e.bin, "GOTOOLCHAIN=local")
	if out, err := install.CombinedOutput(); err != nil {
		unavailable("cannot install go-118-fuzz-build %s: %v\n%s", go118FuzzBuild, err, out)
	}
	scratch := filepath.Join(e.work, "scratch")
	if err := os.MkdirAll(scratch, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, args := range [][]string{{"mod", "init", "scratch"}, {"get", "github.com/AdamKorcz/go-118-fuzz-build/testing@" + go118FuzzBuild}} {
		cmd := exec.Command("go", args...)
		cmd.Dir, cmd.Env = scratch, append(os.Environ(), "GOTOOLCHAIN=local", "GOFLAGS=-mod=mod")
		if out, err := cmd.CombinedOutput(); err != nil {
			unavailable("cannot fetch go-118-fuzz-build's testing package: go %s: %v\n%s", strings.Join(args, " "), err, out)
		}
	}
	// compile_native_go_fuzzer's stand-in and go-118-fuzz-build come first.
	standin, err := filepath.Abs("testdata")
	if err != nil {
		t.Fatal(err)
	}
	e.vars = append(e.vars, "PATH="+standin+string(os.PathListSeparator)+e.bin+string(os.PathListSeparator)+os.Getenv("PATH"))
	return e
}

// copyTree copies the module at root to dst/cspmodel, which the build
// changes (go-118-fuzz-build rewrites the target's file in place, go get
// edits go.mod), and returns that directory.
func copyTree(t *testing.T, dst string) string {
	t.Helper()
	src, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	dst = filepath.Join(dst, "cspmodel")
	err = filepath.WalkDir(src, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(src, p)
		if d.Name() == ".git" || strings.HasSuffix(d.Name(), ".test") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		target := filepath.Join(dst, rel)
		if d.IsDir() {
			return os.MkdirAll(target, 0o755)
		}
		if !d.Type().IsRegular() {
			return nil
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return os.WriteFile(target, data, info.Mode().Perm())
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// run runs a command with the build environment and returns its combined
// output and exit code (-1 when it could not run or was killed).
func (e env) run(dir string, limit time.Duration, name string, args ...string) (string, int) {
	ctx, cancel := context.WithTimeout(context.Background(), limit)
	defer cancel()
	cmd := exec.CommandContext(ctx, name, args...)
	cmd.Dir = dir
	cmd.Env = append(os.Environ(), e.vars...)
	out, err := cmd.CombinedOutput()
	var exit *exec.ExitError
	switch {
	case err == nil:
		return string(out), 0
	case errors.As(err, &exit) && ctx.Err() == nil:
		return string(out), exit.ExitCode()
	}
	return string(out) + "\n" + err.Error(), -1
}

// unzip writes the entries of a seed corpus zip into dir.
func unzip(t *testing.T, zipFile, dir string) int {
	t.Helper()
	z, err := zip.OpenReader(zipFile)
	if err != nil {
		t.Fatal(err)
	}
	defer z.Close()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	for _, f := range z.File {
		r, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, err := io.ReadAll(r)
		r.Close()
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, filepath.Base(f.Name)), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return len(z.File)
}

func tail(s string, lines int) string {
	l := strings.Split(strings.TrimRight(s, "\n"), "\n")
	return strings.Join(l[max(len(l)-lines, 0):], "\n")
}

// libFuzzerLine is a line of libFuzzer's own progress output.
var libFuzzerLine = regexp.MustCompile(`^(#[0-9]+\s|INFO: |MS: |Loaded )`)

// failure picks the target's message out of a crashed run's output: go-118-
// fuzz-build's t.Fatalf prints the message, then panics, so the message is
// what comes between libFuzzer's last progress line and the Go panic; a few
// lines of the panic follow. Without a panic, the output's end.
func failure(output string) string {
	lines := strings.Split(output, "\n")
	p := slices.IndexFunc(lines, func(l string) bool { return strings.HasPrefix(l, "panic: ") })
	if p < 0 {
		return tail(output, 40)
	}
	from := p
	for from > 0 && p-from < 60 && !libFuzzerLine.MatchString(lines[from-1]) {
		from--
	}
	return strings.Join(lines[from:min(p+12, len(lines))], "\n")
}

// keepable writes a crash file, which lives in the test's temporary
// directory, as a "go test fuzz v1" file that outlives it, with the steps
// that replay and convert it.
func keepable(tg fuzz.Target, crash string) string {
	data, err := os.ReadFile(crash)
	if err != nil {
		return err.Error()
	}
	args, err := fuzz.DecodeLibFuzzer(tg.Params, data)
	if err != nil {
		return fmt.Sprintf("%s: %v (raw %q)", filepath.Base(crash), err, data)
	}
	return fmt.Sprintf("%s as a go test input: save the lines below as %s/testdata/fuzz/%s/<name>, replay it with go test ./%s -run '%s/<name>', and convert it with go run ./fuzz/tocase -name <name> that-file\n%s",
		filepath.Base(crash), tg.Dir, tg.Name, tg.Dir, tg.Name, fuzz.MarshalGoFuzz(args))
}

// stat reads one of libFuzzer's -print_final_stats lines.
func stat(output, name string) int {
	sc := bufio.NewScanner(strings.NewReader(output))
	for sc.Scan() {
		if v, ok := strings.CutPrefix(sc.Text(), "stat::"+name+":"); ok {
			n, _ := strconv.Atoi(strings.TrimSpace(v))
			return n
		}
	}
	return -1
}

// TestLibFuzzerBuild builds every target as OSS-Fuzz and ClusterFuzzLite do,
// runs each binary on its seed corpus, and checks that a planted
// disagreement comes out as a crash with a reproducer.
func TestLibFuzzerBuild(t *testing.T) {
	e := prepare(t)
	seconds := 6
	if s := os.Getenv("CSPMODEL_LIBFUZZER_SECONDS"); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 1 {
			t.Fatalf("CSPMODEL_LIBFUZZER_SECONDS=%q is not a number of seconds", s)
		}
		seconds = n
	}

	// Build: build.sh itself, in a copy of the tree.
	tree := copyTree(t, filepath.Join(e.work, "src"))
	e.vars = append(e.vars, "SRC="+filepath.Dir(tree))
	start := time.Now()
	out, code := e.run(tree, 8*time.Minute, "bash", filepath.Join(tree, ".clusterfuzzlite", "build.sh"))
	if code != 0 {
		t.Fatalf("build.sh exited %d:\n%s", code, tail(out, 60))
	}
	t.Logf("build.sh built the targets in %s", time.Since(start).Round(time.Second))
	missing := false
	for _, tg := range fuzz.Targets {
		for _, f := range []string{tg.Binary, tg.Binary + "_seed_corpus.zip"} {
			if _, err := os.Stat(filepath.Join(e.out, f)); err != nil {
				t.Errorf("%s: build.sh left no %s (compile_native_go_fuzzer exits 0 when it cannot find the function)", tg.Name, f)
				missing = true
			}
		}
	}
	if missing {
		t.Fatalf("build.sh output:\n%s", tail(out, 60))
	}

	// The seed corpora, read by the binaries' own decoder.
	if out, code := e.run(tree, 5*time.Minute, "go", "run", "./fuzz/libfuzzer/testdata/seedprobe", e.out); code != 0 {
		t.Errorf("the seed corpora do not decode to the seeds:\n%s", tail(out, 30))
	} else {
		t.Logf("%s", strings.TrimSpace(out))
	}

	// Run: each binary on its seed corpus; any crash fails.
	for _, tg := range fuzz.Targets {
		seeds := filepath.Join(e.work, "seeds", tg.Binary)
		n := unzip(t, filepath.Join(e.out, tg.Binary+"_seed_corpus.zip"), seeds)
		corpus := filepath.Join(e.work, "corpus", tg.Binary)
		artifacts := filepath.Join(e.work, "artifacts", tg.Binary) + string(filepath.Separator)
		for _, d := range []string{corpus, artifacts} {
			if err := os.MkdirAll(d, 0o755); err != nil {
				t.Fatal(err)
			}
		}
		out, code := e.run(e.work, time.Duration(seconds+90)*time.Second, filepath.Join(e.out, tg.Binary),
			fmt.Sprintf("-max_total_time=%d", seconds), "-timeout=25", "-rss_limit_mb=2048", "-print_final_stats=1",
			"-artifact_prefix="+artifacts, corpus, seeds)
		crashes, _ := filepath.Glob(artifacts + "*")
		if code != 0 || len(crashes) > 0 {
			msg := fmt.Sprintf("%s: exit %d\n%s", tg.Binary, code, failure(out))
			for _, c := range crashes {
				msg += "\n" + keepable(tg, c)
			}
			t.Errorf("%s", msg)
			continue
		}
		if !strings.Contains(out, "INITED") {
			t.Errorf("%s never finished reading its %d seeds:\n%s", tg.Binary, n, tail(out, 20))
		}
		t.Logf("%s: %d seeds, %d executions in %ds, no crash", tg.Binary, n, stat(out, "number_of_executed_units"), seconds)
	}

	plantedFailure(t, e)
}

// plantedFailure builds FuzzDecide from a copy whose model-engine comparison
// is inverted (every agreement is a failure), and requires libFuzzer to
// report a crash with a reproducer that replays, that the real binary
// passes, and that fuzz/tocase turns into a case.
func plantedFailure(t *testing.T, e env) {
	tree := copyTree(t, filepath.Join(e.work, "planted"))
	helpers := filepath.Join(tree, "fuzz", "helpers.go")
	src, err := os.ReadFile(helpers)
	if err != nil {
		t.Fatal(err)
	}
	const agree, planted = `if diff := cmp.Diff(m, e); diff != "" {`, `if diff := cmp.Diff(m, e); diff == "" {`
	if strings.Count(string(src), agree) != 1 {
		t.Fatalf("fuzz/helpers.go no longer holds %q once: update the planted failure", agree)
	}
	if err := os.WriteFile(helpers, []byte(strings.Replace(string(src), agree, planted, 1)), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(e.work, "planted-out")
	if err := os.MkdirAll(out, 0o755); err != nil {
		t.Fatal(err)
	}
	tg, _ := fuzz.TargetNamed("FuzzDecide")
	build := `go get "github.com/AdamKorcz/go-118-fuzz-build/testing@$GO118FUZZBUILD_VERSION" && OUT="$1" compile_native_go_fuzzer "$2" "$3" "$4"`
	if log, code := e.run(tree, 5*time.Minute, "bash", "-c", build, "bash", out, tg.Package(), tg.Name, tg.Binary); code != 0 {
		t.Fatalf("building the planted %s: exit %d\n%s", tg.Name, code, tail(log, 40))
	}
	binary := filepath.Join(out, tg.Binary)
	artifacts := filepath.Join(e.work, "planted-artifacts") + string(filepath.Separator)
	corpus := filepath.Join(e.work, "planted-corpus")
	for _, d := range []string{artifacts, corpus} {
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
	}
	log, code := e.run(e.work, 2*time.Minute, binary, "-max_total_time=60", "-artifact_prefix="+artifacts, corpus, filepath.Join(e.work, "seeds", tg.Binary))
	crashes, _ := filepath.Glob(artifacts + "crash-*")
	if code != 77 || !strings.Contains(log, "deadly signal") || !strings.Contains(log, "decision mismatch") || len(crashes) != 1 {
		t.Fatalf("the planted failure: exit %d (want 77), crash files %q (want one); want libFuzzer's \"deadly signal\" and the target's message:\n%s", code, crashes, tail(log, 40))
	}
	t.Logf("the planted failure crashed as it should: exit %d, %s", code, filepath.Base(crashes[0]))

	// The reproducer replays on the planted binary and passes the real one.
	if log, code := e.run(e.work, time.Minute, binary, crashes[0]); code != 77 || !strings.Contains(log, "decision mismatch") {
		t.Errorf("replaying %s on the planted binary: exit %d\n%s", crashes[0], code, tail(log, 20))
	}
	if log, code := e.run(e.work, time.Minute, filepath.Join(e.out, tg.Binary), crashes[0]); code != 0 {
		t.Errorf("replaying %s on the real binary: exit %d\n%s", crashes[0], code, tail(log, 20))
	}

	// And it becomes a corpus case.
	abs, err := filepath.Abs(root)
	if err != nil {
		t.Fatal(err)
	}
	log, code = e.run(abs, 2*time.Minute, "go", "run", "./fuzz/tocase", "-target", tg.Name, "-name", "planted-crash", "-print", crashes[0])
	if code != 0 || !strings.Contains(log, "-- planted-crash --") || !strings.Contains(log, "\nwant: ") {
		t.Errorf("fuzz/tocase on the crash file: exit %d\n%s", code, tail(log, 30))
	}
}

// TestFailureKeepsTheMessage checks that a crashed run's report keeps the
// target's own message, which go-118-fuzz-build prints before it panics.
func TestFailureKeepsTheMessage(t *testing.T) {
	out := "INFO: Seed: 1\n#2\tINITED cov: 5 ft: 5 corp: 1/1b exec/s: 0 rss: 30Mb\ndecision mismatch (-model +engine):\n  - verdict\nreproduce: csp check\npanic: fatal [recovered]\n\tpanic: fatal\n\ngoroutine 17 [running]:\n==1== ERROR: libFuzzer: deadly signal\n"
	got := failure(out)
	if !strings.HasPrefix(got, "decision mismatch") || !strings.Contains(got, "reproduce: csp check") || !strings.Contains(got, "panic: fatal") || strings.Contains(got, "INITED") {
		t.Errorf("failure(…) = %q", got)
	}
	if got := failure("no panic here\nlast line"); got != "no panic here\nlast line" {
		t.Errorf("without a panic: %q", got)
	}
}
