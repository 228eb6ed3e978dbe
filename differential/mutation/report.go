package main

import (
	"encoding/json"
	"fmt"
	"io"
	"os"
	"sort"
	"strings"
)

// A Report is one run: what was mutated, against which suite, and every
// mutant's result. Written with -json or -o, it is also the input of
// -survivors.
type Report struct {
	Date        string    `json:"date"`
	Commit      string    `json:"commit,omitempty"`
	Dirty       bool      `json:"dirty,omitempty"` // the tree had uncommitted changes
	Seconds     float64   `json:"seconds"`
	Workers     int       `json:"workers"`
	Packages    []string  `json:"packages"` // the mutated packages
	Suite       []string  `json:"suite"`    // the test packages run
	Fuzz        string    `json:"fuzz,omitempty"`
	FuzzTargets []string  `json:"fuzz_targets,omitempty"`
	Survivors   string    `json:"survivors_of,omitempty"` // -survivors: the earlier results
	Sample      *Sample   `json:"sample,omitempty"`       // -sample: what was drawn
	Results     []*Result `json:"results"`
	Summary     []Row     `json:"summary"`
}

// A Row counts the results of one package, one file, or all.
type Row struct {
	Name         string  `json:"name"`
	Total        int     `json:"total"`
	NotCompiling int     `json:"not_compiling"`
	Equivalent   int     `json:"equivalent"`
	Killed       int     `json:"killed"` // by the suite, timeouts included
	Timeout      int     `json:"timeout"`
	Survived     int     `json:"survived"`
	Errors       int     `json:"errors,omitempty"`
	Pending      int     `json:"pending,omitempty"`     // not run yet (a report saved during the run)
	FuzzKilled   int     `json:"fuzz_killed,omitempty"` // survivors of the suite the fuzzer killed
	Score        float64 `json:"score"`                 // killed / (total - not compiling - equivalent - errors)
	FuzzScore    float64 `json:"fuzz_score,omitempty"`  // (killed + fuzz killed) / the same
	// With -sample, the estimated scores of the whole population (of the
	// package, the file, or all), with their intervals.
	Estimate     *Estimate `json:"estimate,omitempty"`
	FuzzEstimate *Estimate `json:"fuzz_estimate,omitempty"`
}

// summarize sets the report's summary, and with a sample the estimates.
func (rep *Report) summarize(results []*Result, fuzz bool) {
	rep.Summary = summarize(results, fuzz)
	if rep.Sample != nil {
		estimateRows(rep.Summary, results, rep.Sample, fuzz)
	}
}

// estimateRows adds to each row the estimate of its population's score
// from the sampled results, each file a stratum.
func estimateRows(rows []Row, results []*Result, s *Sample, fuzz bool) {
	type counts struct{ st, fz stratum }
	files := map[string]*counts{}
	var names []string
	for _, res := range results {
		c := files[res.File]
		if c == nil {
			c = &counts{}
			c.st.population = s.Population[res.File]
			c.fz.population = c.st.population
			files[res.File] = c
			names = append(names, res.File)
		}
		c.st.drawn++
		c.fz.drawn++
		switch {
		case res.killed():
			c.st.counted++
			c.st.killed++
			c.fz.counted++
			c.fz.killed++
		case res.Status == StatusSurvived:
			c.st.counted++
			c.fz.counted++
			if res.Fuzz != nil && res.Fuzz.KilledBy != "" {
				c.fz.killed++
			}
		case res.Status == "" || res.Status == StatusError:
			// Not run (yet): not drawn as far as the estimate knows.
			c.st.drawn--
			c.fz.drawn--
		}
	}
	for i := range rows {
		var st, fz []stratum
		for _, f := range names {
			if rows[i].Name == "total" || f == rows[i].Name || pkgOf(nil, f) == rows[i].Name {
				st = append(st, files[f].st)
				fz = append(fz, files[f].fz)
			}
		}
		e := estimate(st)
		rows[i].Estimate = &e
		if fuzz {
			fe := estimate(fz)
			rows[i].FuzzEstimate = &fe
		}
	}
}

func (r *Row) add(res *Result) {
	r.Total++
	switch res.Status {
	case StatusNotCompiling:
		r.NotCompiling++
	case StatusEquivalent:
		r.Equivalent++
	case StatusKilled:
		r.Killed++
	case StatusTimeout:
		r.Killed++
		r.Timeout++
	case "":
		r.Pending++
	case StatusSurvived:
		r.Survived++
		if res.Fuzz != nil && res.Fuzz.KilledBy != "" {
			r.FuzzKilled++
		}
	default:
		r.Errors++
	}
}

func (r *Row) finish(fuzz bool) {
	if d := r.Killed + r.Survived; d > 0 {
		r.Score = float64(r.Killed) / float64(d)
		if fuzz {
			r.FuzzScore = float64(r.Killed+r.FuzzKilled) / float64(d)
		}
	}
}

// summarize counts per package, per file and in all.
func summarize(results []*Result, fuzz bool) []Row {
	rows := map[string]*Row{}
	var names []string
	get := func(name string) *Row {
		if rows[name] == nil {
			rows[name] = &Row{Name: name}
			names = append(names, name)
		}
		return rows[name]
	}
	total := &Row{Name: "total"}
	for _, res := range results {
		get(res.Pkg).add(res)
		get(res.File).add(res)
		total.add(res)
	}
	// Each package, followed by its files.
	sort.Slice(names, func(i, j int) bool {
		pi, pj := pkgOf(rows, names[i]), pkgOf(rows, names[j])
		if pi != pj {
			return pi < pj
		}
		if (names[i] == pi) != (names[j] == pj) {
			return names[i] == pi
		}
		return names[i] < names[j]
	})
	var out []Row
	for _, n := range names {
		rows[n].finish(fuzz)
		out = append(out, *rows[n])
	}
	total.finish(fuzz)
	return append(out, *total)
}

func pkgOf(rows map[string]*Row, name string) string {
	if strings.HasSuffix(name, ".go") {
		if i := strings.LastIndexByte(name, '/'); i >= 0 {
			return name[:i]
		}
		return "."
	}
	return name
}

func pct(f float64) string { return fmt.Sprintf("%.1f%%", 100*f) }

// writeText prints the report for a person: the table, then every survivor.
func writeText(w io.Writer, rep *Report) {
	fuzz := rep.Fuzz != ""
	fmt.Fprintf(w, "mutation testing of %s", strings.Join(rep.Packages, ", "))
	if rep.Commit != "" {
		fmt.Fprintf(w, " at %s", rep.Commit)
		if rep.Dirty {
			fmt.Fprint(w, " (with uncommitted changes)")
		}
	}
	fmt.Fprintf(w, ", %s, %s with %d worker(s)\n", rep.Date, fmtSeconds(rep.Seconds), rep.Workers)
	fmt.Fprintf(w, "suite: %s\n", strings.Join(rep.Suite, " "))
	if fuzz {
		fmt.Fprintf(w, "fuzzing each survivor: up to %s per target (%s), until one fails\n", rep.Fuzz, strings.Join(rep.FuzzTargets, ", "))
	}
	if s := rep.Sample; s != nil {
		pop := 0
		for _, n := range s.Population {
			pop += n
		}
		fmt.Fprintf(w, "a sample of %d mutants per package (seed %d) of %d, spread over the files; the estimates are of the whole population, with 95%% intervals\n", s.N, s.Seed, pop)
	}
	if rep.Survivors != "" {
		fmt.Fprintf(w, "rerun of the survivors of %s (the other results are carried over)\n", rep.Survivors)
	}
	fmt.Fprintln(w)
	hdr := fmt.Sprintf("%-34s %7s %8s %6s %7s %8s %8s", "", "mutants", "no-build", "equiv", "killed", "survived", "score")
	if fuzz {
		hdr += fmt.Sprintf(" %10s %8s", "fuzz-kills", "+fuzz")
	}
	fmt.Fprintln(w, strings.TrimRight(hdr, " "))
	for _, r := range rep.Summary {
		name := r.Name
		if strings.HasSuffix(name, ".go") {
			name = "  " + name
		}
		line := fmt.Sprintf("%-34s %7d %8d %6d %7d %8d %8s", name, r.Total, r.NotCompiling, r.Equivalent, r.Killed, r.Survived, pct(r.Score))
		if fuzz {
			line += fmt.Sprintf(" %10d %8s", r.FuzzKilled, pct(r.FuzzScore))
		}
		if e := r.Estimate; e != nil && e.Counted == 0 {
			line += fmt.Sprintf("  of %d: nothing counted yet", e.Population)
		} else if e != nil {
			line += fmt.Sprintf("  of %d: %s", e.Population, e)
			if fe := r.FuzzEstimate; fe != nil {
				line += fmt.Sprintf(", +fuzz %s", fe)
			}
		}
		if r.Errors > 0 {
			line += fmt.Sprintf("  (%d errors)", r.Errors)
		}
		if r.Pending > 0 {
			line += fmt.Sprintf("  (%d not run yet)", r.Pending)
		}
		fmt.Fprintln(w, line)
	}
	var surv, errs []*Result
	for _, res := range rep.Results {
		switch res.Status {
		case StatusSurvived:
			surv = append(surv, res)
		case StatusError:
			errs = append(errs, res)
		}
	}
	if len(surv) > 0 {
		fmt.Fprintf(w, "\n%d survivors:\n", len(surv))
	}
	for _, res := range surv {
		fmt.Fprintf(w, "\n%s:%d:%d %s %s", res.File, res.Line, res.Col, res.Func, res.Op)
		if f := res.Fuzz; f != nil {
			switch {
			case f.KilledBy != "":
				fmt.Fprintf(w, " [killed by fuzzing: %s]", f.KilledBy)
			case f.FailsUnmutated:
				fmt.Fprintf(w, " [fuzzing found an input that fails the unmutated code too]")
			default:
				fmt.Fprintf(w, " [fuzzing did not kill it: %s, %s each]", strings.Join(f.Ran, ", "), f.Duration)
			}
		}
		fmt.Fprintf(w, "\n  id: %s\n", res.ID)
		writeDiff(w, res.Mutant, "  ")
	}
	if len(errs) > 0 {
		fmt.Fprintf(w, "\n%d mutants could not be run:\n", len(errs))
		for _, res := range errs {
			fmt.Fprintf(w, "  %s: %s\n", res.ID, res.Detail)
		}
	}
}

// writeDiff prints the lines a mutant changes, "-" before and "+" after,
// at most a few of each.
func writeDiff(w io.Writer, m *Mutant, indent string) {
	const most = 6
	for _, side := range []struct{ sign, text string }{{"-", m.Orig}, {"+", m.Mutated}} {
		if side.text == "" {
			continue
		}
		lines := strings.Split(side.text, "\n")
		for i, l := range lines {
			if i == most {
				fmt.Fprintf(w, "%s%s (%d more lines)\n", indent, side.sign, len(lines)-most)
				break
			}
			fmt.Fprintf(w, "%s%s %s\n", indent, side.sign, strings.ReplaceAll(l, "\t", "    "))
		}
	}
}

func fmtSeconds(s float64) string {
	d := int(s + 0.5)
	switch {
	case d >= 3600:
		return fmt.Sprintf("%dh%02dm", d/3600, d%3600/60)
	case d >= 60:
		return fmt.Sprintf("%dm%02ds", d/60, d%60)
	}
	return fmt.Sprintf("%ds", d)
}

func readReport(path string) (*Report, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rep Report
	if err := json.Unmarshal(data, &rep); err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	if len(rep.Results) == 0 {
		return nil, fmt.Errorf("%s: no results in it", path)
	}
	return &rep, nil
}
