//go:build linux

package browser

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"net/netip"
	"os"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

var update = flag.Bool("update", false, "rewrite testdata/divergences.json and docs/conformance.md from a full run of every engine")

// Environment variables that steer TestBrowser.
const (
	// envRequire=1 turns a missing engine into a failure (CI sets it).
	envRequire = "CSPMODEL_REQUIRE_BROWSERS"
	// envEngines limits the run to some engines: "chromium,webkit".
	envEngines = "CSPMODEL_BROWSERS"
	// envCases sets how many generated cases run (default defaultCases).
	envCases = "CSPMODEL_BROWSER_CASES"
	// envSeed sets the generator's seed (default defaultSeed).
	envSeed = "CSPMODEL_BROWSER_SEED"
	// envIsolation=0 runs without the loopback-only namespaces.
	envIsolation = "CSPMODEL_BROWSER_ISOLATION"
	// envSerial=1 runs the engines one after another instead of together.
	envSerial = "CSPMODEL_BROWSER_SERIAL"
	// envDump names a file to write every case's model result and
	// observations to, one JSON object per line, for a closer look.
	envDump = "CSPMODEL_BROWSER_DUMP"
)

const (
	knownPath   = "testdata/divergences.json"
	reportPath  = "../../docs/conformance.md"
	defaultSeed = 1
	// defaultCases generated cases run by a plain go test: the whole set
	// -update records, which takes two to four minutes on two cores with
	// the three engines side by side.
	defaultCases = updateCases
	// updateCases is the least -update accepts: the report covers at
	// least that many generated cases in every engine.
	updateCases = 2400
	// shortCases run under -short.
	shortCases = 150
)

func TestMain(m *testing.M) {
	if os.Getenv(envIsolation) != "0" && !Isolated() {
		code, err := RunIsolated()
		if err == nil {
			os.Exit(code)
		}
		fmt.Fprintf(os.Stderr, "browser differential: %v; running without a loopback-only namespace\n", err)
	}
	if Isolated() {
		if err := EnterIsolation(); err != nil {
			fmt.Fprintf(os.Stderr, "browser differential: %v\n", err)
			os.Exit(1)
		}
	}
	os.Exit(m.Run())
}

// config is what the environment and flags ask of a run.
type config struct {
	engines   []engine
	require   bool
	serial    bool
	seed      uint64
	generated int
}

func loadConfig(t *testing.T) config {
	cfg := config{
		engines:   engines,
		require:   os.Getenv(envRequire) == "1",
		serial:    os.Getenv(envSerial) == "1",
		seed:      defaultSeed,
		generated: defaultCases,
	}
	if testing.Short() {
		cfg.generated = shortCases
	}
	if s := os.Getenv(envSeed); s != "" {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			t.Fatalf("%s=%q: %v", envSeed, s, err)
		}
		cfg.seed = n
	}
	if s := os.Getenv(envCases); s != "" {
		n, err := strconv.Atoi(s)
		if err != nil || n < 0 {
			t.Fatalf("%s=%q: want a number of cases", envCases, s)
		}
		cfg.generated = n
	}
	if s := os.Getenv(envEngines); s != "" {
		cfg.engines = nil
		for _, name := range strings.Split(s, ",") {
			e, ok := engineNamed(strings.TrimSpace(name))
			if !ok {
				t.Fatalf("%s=%q: no engine %q (chromium, firefox, webkit)", envEngines, s, name)
			}
			cfg.engines = append(cfg.engines, e)
		}
	}
	if *update {
		if cfg.seed != defaultSeed || len(cfg.engines) != len(engines) {
			t.Fatalf("-update records the default seed on every engine; unset %s and %s", envSeed, envEngines)
		}
		cfg.generated = max(cfg.generated, updateCases)
		cfg.require = true
	}
	return cfg
}

// buildRows gathers the cases: the corpus cases a page can express, the
// focus cases and the generated ones, each with the model's result.
func buildRows(t *testing.T, cfg config) (rows []*row, skipped []skippedCase, corpusCount int) {
	docs, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	add := func(set string, cs []corpus.Case) {
		for _, c := range cs {
			bc, err := toBrowserCase(c)
			if err == nil && !Isolated() && !loopbackOnly(bc) {
				err = fmt.Errorf("it names an IP address off loopback, which only runs inside the loopback-only namespace")
			}
			if err != nil {
				if set != SetCorpus {
					t.Errorf("%s case %s cannot run: %v", set, c.ID, err)
				}
				skipped = append(skipped, skippedCase{ID: c.ID, Why: err.Error()})
				continue
			}
			rows = append(rows, &row{Case: bc, Set: set, Model: corpus.RunModel(c, nil), Obs: map[string]observation{}})
		}
	}
	add(SetCorpus, docs)
	add(SetFocus, focusCases())
	add(SetGenerated, Generate(cfg.seed, cfg.generated))
	return rows, skipped, len(docs)
}

// loopbackOnly reports whether every IP address a case's URLs name is a
// loopback address.
func loopbackOnly(c browserCase) bool {
	for _, raw := range c.URLs {
		u, err := model.ParseURL(raw)
		if err != nil {
			continue
		}
		if a, err := netip.ParseAddr(strings.Trim(u.Host.Serialized, "[]")); err == nil && !a.IsLoopback() {
			return false
		}
	}
	return true
}

// TestBrowser runs every case in every installed engine and holds the
// model to them: it fails when the model disagrees with all engines on a
// case that testdata/divergences.json does not list as a known, explained
// divergence, and when a listed divergence has disappeared. With -update
// it rewrites that file and docs/conformance.md from a full run.
func TestBrowser(t *testing.T) {
	cfg := loadConfig(t)
	rows, skipped, corpusCount := buildRows(t, cfg)
	cases := make([]browserCase, len(rows))
	for i, r := range rows {
		cases[i] = r.Case
	}
	t.Logf("%d cases (%d generated, seed %d); %d corpus cases skipped; isolated: %v", len(rows), cfg.generated, cfg.seed, len(skipped), Isolated())

	srv, err := startServer()
	if err != nil {
		t.Fatal(err)
	}
	defer srv.close()
	deadline := time.Now().Add(9 * time.Minute)
	if d, ok := t.Deadline(); ok {
		deadline = d.Add(-45 * time.Second)
	}
	// The engines run side by side in goroutines of their own (t.Parallel
	// would hold the third back on two cores); each then reports in a
	// subtest, which is where a missing engine is skipped.
	type outcome struct {
		run     *engineRun
		err     error
		missing error
	}
	outcomes := make([]outcome, len(cfg.engines))
	var wg sync.WaitGroup
	for i, e := range cfg.engines {
		paths, err := e.locate()
		if err != nil {
			outcomes[i].missing = err
			continue
		}
		wg.Add(1)
		go func() {
			defer wg.Done()
			run, err := runEngine(srv, e, paths, cases, runOptions{
				Settings:     defaultSettings,
				PageTargets:  40,
				StartTimeout: 45 * time.Second,
				Deadline:     deadline,
				MaxRestarts:  3,
				Logf:         t.Logf,
			})
			outcomes[i] = outcome{run: run, err: err}
		}()
		if cfg.serial {
			wg.Wait()
		}
	}
	wg.Wait()
	runs := map[string]*engineRun{}
	for i, e := range cfg.engines {
		o := outcomes[i]
		t.Run(e.Name, func(t *testing.T) {
			if o.missing != nil {
				if cfg.require {
					t.Fatalf("%v (%s=1)", o.missing, envRequire)
				}
				t.Skipf("%v; skipping this engine (%s=1 would fail instead)", o.missing, envRequire)
			}
			if o.err != nil {
				t.Error(o.err)
			}
			run := o.run
			tl := tallies(withObs(rows, e.Name, run), []string{e.Name}, "")[e.Name]
			t.Logf("%s: %d cases in %d pages, %v (launch %v, %d restarts): %d verdicts, %d agree with the model, %d disagree, %d not sent, %d unknown",
				run.Version, len(cases), run.Pages, run.Elapsed.Round(time.Second), run.Start.Round(time.Millisecond), run.Restarts,
				tl.Verdicts, tl.Agree, tl.Disagree, tl.NotSent, tl.Unknown)
			runs[e.Name] = run
		})
	}
	if left := leftovers(5 * time.Second); len(left) > 0 {
		t.Errorf("processes left after the engines stopped: %v", left)
	}
	if stray := srv.strayRequests(); len(stray) > 0 {
		t.Logf("%d requests were no test's (the engines' own background traffic, answered 404 on loopback), e.g. %s", len(stray), stray[0])
	}
	var ran []string
	for _, e := range cfg.engines {
		if run := runs[e.Name]; run != nil {
			ran = append(ran, e.Name)
			for _, r := range rows {
				r.Obs[e.Name] = run.Obs[r.Case.Case.ID]
			}
		}
	}
	if len(ran) == 0 {
		t.Skip("no engine ran")
	}

	if path := os.Getenv(envDump); path != "" {
		if err := dumpRows(path, rows); err != nil {
			t.Error(err)
		}
	}
	known, err := loadKnown(knownPath)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if t.Failed() || len(ran) != len(engines) {
			t.Fatalf("-update needs a clean run of every engine; ran %v", ran)
		}
		recordKnown(rows, runs, ran, known)
		if err := saveKnown(knownPath, known); err != nil {
			t.Fatal(err)
		}
		rep := &report{Rows: rows, Engines: ran, Runs: runs, Known: known, Skipped: skipped,
			Seed: cfg.seed, Generated: cfg.generated, Corpus: corpusCount, Isolated: Isolated()}
		if err := os.WriteFile(reportPath, []byte(rep.markdown()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s and %s", knownPath, reportPath)
	}
	failures, changes := checkKnown(rows, ran, known)
	if len(changes) > 0 {
		t.Logf("%d differences from %s (verdicts changed since it was recorded with %v; go test -run Browser -update refreshes it):\n%s",
			len(changes), knownPath, known.Recorded, strings.Join(changes[:min(len(changes), 40)], "\n"))
	}
	for i, f := range failures {
		if i == 50 {
			t.Errorf("… and %d more", len(failures)-50)
			break
		}
		t.Error(f)
	}
}

// dumpRows writes one JSON line per case.
func dumpRows(path string, rows []*row) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	for _, r := range rows {
		if err := enc.Encode(struct {
			Case  corpus.Case            `json:"case"`
			Set   string                 `json:"set"`
			Model corpus.Result          `json:"model"`
			Obs   map[string]observation `json:"observations"`
		}{r.Case.Case, r.Set, r.Model, r.Obs}); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// withObs returns rows with one engine's observations, for its summary.
func withObs(rows []*row, engine string, run *engineRun) []*row {
	out := make([]*row, len(rows))
	for i, r := range rows {
		c := *r
		c.Obs = map[string]observation{engine: run.Obs[r.Case.Case.ID]}
		c.explanations = nil
		out[i] = &c
	}
	return out
}
