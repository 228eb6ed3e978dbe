// Command campaign runs every fuzz target of the project (fuzz.Targets:
// those of package fuzz and spec's FuzzParseDocument) in turn for a given time
// each, with go test -fuzz, and prints, per target, the executions, the new
// corpus entries and whether it failed.
//
//	go run ./fuzz/campaign -fuzztime 12m
//
// A failing target leaves its input in <package>/testdata/fuzz/<target>/;
// the campaign names the file and exits with status 1 after running the
// rest. go run ./fuzz/tocase turns that file into a corpus case. A run
// that ends in "context deadline exceeded" without an input is Go's own
// race at the end of -fuzztime (deadlineRace), reported and not counted
// as a failure.
package main

import (
	"bufio"
	"flag"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/cspmodel/cspmodel/fuzz"
)

var (
	execsRE       = regexp.MustCompile(`execs: (\d+)`)
	interestingRE = regexp.MustCompile(`new interesting: (\d+) \(total: (\d+)\)`)
	failingRE     = regexp.MustCompile(`Failing input written to (\S+)`)
)

type result struct {
	target      string
	execs       string
	interesting string
	total       string
	failed      bool
	failing     string
	// raced: go test failed at the end of -fuzztime with "context
	// deadline exceeded" and wrote no input (deadlineRace).
	raced   bool
	elapsed time.Duration
}

// deadlineRace reports whether a failed run's output is the race in Go's
// fuzzing coordinator (golang/go#75804, fixed in Go 1.27): when -fuzztime
// runs out while a worker is mid-input, go test can fail with "context
// deadline exceeded" as the target's only message, and writes no input.
// None of the targets uses a context, and a finding always writes its
// input, so such a run found nothing.
func deadlineRace(failing string, tail []string) bool {
	if failing != "" {
		return false
	}
	for _, line := range tail {
		if strings.TrimSpace(line) == "context deadline exceeded" {
			return true
		}
	}
	return false
}

func main() {
	fuzztime := flag.Duration("fuzztime", 5*time.Minute, "how long to fuzz each target")
	parallel := flag.Int("parallel", 0, "fuzzing workers per target (0: GOMAXPROCS)")
	minimize := flag.Duration("fuzzminimizetime", 5*time.Second, "time to minimize each new input (long minimizations stall the workers)")
	only := flag.String("run", "", "run only the targets whose names contain this")
	verbose := flag.Bool("v", false, "stream go test's output")
	flag.Parse()

	root, err := fuzz.ModuleRoot()
	if err != nil {
		fmt.Fprintln(os.Stderr, "campaign:", err)
		os.Exit(2)
	}
	var results []result
	failed := false
	for _, t := range fuzz.Targets {
		if *only != "" && !strings.Contains(t.Name, *only) {
			continue
		}
		fmt.Printf("== %s for %s\n", t.Name, *fuzztime)
		r := runTarget(root, t, *fuzztime, *minimize, *parallel, *verbose)
		fmt.Printf("   %s: %s executions, %s new corpus entries (total %s), %s, %s\n",
			t.Name, r.execs, r.interesting, r.total, r.elapsed.Round(time.Second), r.status())
		results = append(results, r)
		failed = failed || r.failed
	}
	fmt.Printf("\n%-22s %14s %16s %10s %s\n", "target", "executions", "new (total)", "time", "result")
	for _, r := range results {
		fmt.Printf("%-22s %14s %16s %10s %s\n", r.target, r.execs, r.interesting+" ("+r.total+")", r.elapsed.Round(time.Second), r.status())
	}
	if failed {
		os.Exit(1)
	}
}

func (r result) status() string {
	if r.raced {
		return "ok (go test failed as -fuzztime ran out, with no input: Go's own race, golang/go#75804)"
	}
	if !r.failed {
		return "ok"
	}
	if r.failing != "" {
		return "FAIL: " + r.failing
	}
	return "FAIL"
}

func runTarget(root string, target fuzz.Target, fuzztime, minimize time.Duration, parallel int, verbose bool) result {
	args := []string{"test", "./" + target.Dir, "-run=^$", "-fuzz=^" + target.Name + "$",
		"-fuzztime=" + fuzztime.String(), "-fuzzminimizetime=" + minimize.String()}
	if parallel > 0 {
		args = append(args, fmt.Sprintf("-parallel=%d", parallel))
	}
	cmd := exec.Command("go", args...)
	cmd.Dir = root
	pr, pw := io.Pipe()
	cmd.Stdout, cmd.Stderr = pw, pw
	r := result{target: target.Name, execs: "?", interesting: "?", total: "?"}
	start := time.Now()
	if err := cmd.Start(); err != nil {
		r.failed = true
		r.failing = err.Error()
		return r
	}
	done := make(chan error, 1)
	go func() { done <- cmd.Wait(); pw.Close() }()
	sc := bufio.NewScanner(pr)
	sc.Buffer(nil, 1<<20)
	var tail []string
	for sc.Scan() {
		line := sc.Text()
		if verbose {
			fmt.Println(line)
		}
		if m := execsRE.FindStringSubmatch(line); m != nil {
			r.execs = m[1]
		}
		if m := interestingRE.FindStringSubmatch(line); m != nil {
			r.interesting, r.total = m[1], m[2]
		}
		if m := failingRE.FindStringSubmatch(line); m != nil {
			r.failing = filepath.Join(target.Dir, m[1])
		}
		tail = append(tail, line)
		if len(tail) > 40 {
			tail = tail[1:]
		}
	}
	if err := <-done; err != nil {
		if deadlineRace(r.failing, tail) {
			r.raced = true
		} else {
			r.failed = true
			if !verbose {
				fmt.Println(strings.Join(tail, "\n"))
			}
		}
	}
	r.elapsed = time.Since(start)
	return r
}
