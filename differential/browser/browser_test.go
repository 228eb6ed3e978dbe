//go:build linux

package browser

import (
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
	"github.com/cspmodel/cspmodel/differential/dialect"
	"github.com/cspmodel/cspmodel/model"
)

var update = flag.Bool("update", false, "rewrite testdata/verdicts.txt and docs/conformance.md from a full run of every engine")

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
	// envHeldOut sets how many cases of the held-out set (seed
	// heldOutSeed) run (default 0; -update heldOutCases).
	envHeldOut = "CSPMODEL_BROWSER_HELDOUT"
	// envIsolation=0 runs without the loopback-only namespaces.
	envIsolation = "CSPMODEL_BROWSER_ISOLATION"
	// envSerial=1 runs the engines one after another instead of together.
	envSerial = "CSPMODEL_BROWSER_SERIAL"
	// envDump names a file to write every case's model result and
	// observations to, one JSON object per line, for a closer look.
	envDump = "CSPMODEL_BROWSER_DUMP"
	// envChecks sets how many generated cases of each check other than
	// requests run (default defaultChecks).
	envChecks = "CSPMODEL_BROWSER_CHECKS"
	// envHeldOutChecks sets how many held-out cases of each such check
	// (seed heldOutSeed) run (default 0; -update heldOutCheckCases).
	envHeldOutChecks = "CSPMODEL_BROWSER_HELDOUT_CHECKS"
	// envFull=1 runs live everything -update records: the generated and
	// held-out sets at their recorded sizes (a plain run takes a sample,
	// and holds the rest of the record to the dialects offline).
	envFull = "CSPMODEL_BROWSER_FULL"
	// envReplay names such a file to read the engines' observations from
	// instead of running the engines, so that the record and the report
	// can be written again (-update) after a change to the dialects, the
	// open questions or the answers, without another run.
	envReplay = "CSPMODEL_BROWSER_REPLAY"
)

const (
	reportPath  = "../../docs/conformance.md"
	defaultSeed = 1
	// heldOutCases held-out cases are recorded by -update.
	heldOutCases = 2400
	// defaultCases generated cases run live by a plain go test: a prefix of
	// the set -update records, which the generator draws scenario by
	// scenario at random, so a sample of every kind of case in it
	// (TestDefaultSampleSpread); the whole record is held to the dialects
	// offline by TestDialects. With the corpus, focus and defaultChecks
	// cases of each check, it keeps the run within about three minutes on
	// two cores; envFull runs the whole recorded set live.
	defaultCases = 600
	// updateCases is the least -update accepts: the report covers at
	// least that many generated cases in every engine.
	updateCases = 2400
	// shortCases run under -short.
	shortCases = 150
	// defaultChecks generated cases of each check other than requests run
	// by a plain go test (a prefix of the set -update records), shortChecks
	// under -short, updateChecks at least with -update, which also records
	// heldOutCheckCases held-out cases of each.
	defaultChecks = 12
	shortChecks   = 4
	updateChecks  = 50
	// heldOutCheckCases held-out cases of each check are recorded by
	// -update: enough that most checks give the 200 verdicts an engine
	// needs in a set to be held to the prediction floor check by check.
	heldOutCheckCases = 300
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

// loadConfig reads what the environment and flags ask of a run.
func loadConfig(t *testing.T) config {
	cfg := config{
		engines:   engines,
		require:   os.Getenv(envRequire) == "1",
		serial:    os.Getenv(envSerial) == "1",
		seed:      defaultSeed,
		generated: defaultCases,
		checks:    defaultChecks,
	}
	if testing.Short() {
		cfg.generated, cfg.checks = shortCases, shortChecks
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
	for _, v := range []struct {
		env string
		n   *int
	}{{envHeldOut, &cfg.heldOut}, {envChecks, &cfg.checks}, {envHeldOutChecks, &cfg.heldOutChecks}} {
		if s := os.Getenv(v.env); s != "" {
			n, err := strconv.Atoi(s)
			if err != nil || n < 0 {
				t.Fatalf("%s=%q: want a number of cases", v.env, s)
			}
			*v.n = n
		}
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
	if *update || os.Getenv(envFull) == "1" {
		cfg.generated = max(cfg.generated, updateCases)
		cfg.heldOut = max(cfg.heldOut, heldOutCases)
		cfg.checks = max(cfg.checks, updateChecks)
		cfg.heldOutChecks = max(cfg.heldOutChecks, heldOutCheckCases)
	}
	if *update {
		if cfg.seed != defaultSeed || len(cfg.engines) != len(engines) {
			t.Fatalf("-update records the default seed on every engine; unset %s and %s", envSeed, envEngines)
		}
		cfg.generated = max(cfg.generated, updateCases)
		cfg.heldOut = max(cfg.heldOut, heldOutCases)
		cfg.checks = max(cfg.checks, updateChecks)
		cfg.heldOutChecks = max(cfg.heldOutChecks, heldOutCheckCases)
		cfg.require = true
	}
	return cfg
}

// buildRows gathers the cases: the corpus cases a page can express, the
// focus cases, the generated ones and the held-out ones (requests, and
// each other check), each with the model's result. The corpus and the
// generated cases of the other checks hold cases the harness cannot run;
// they are skipped, with the reason.
func buildRows(t *testing.T, cfg config) (rows []*row, skipped []skippedCase, corpusCount int) {
	docs, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	sets := caseSets(docs, cfg.seed, cfg.generated, cfg.checks, cfg.heldOut, cfg.heldOutChecks)
	for _, s := range sets {
		rs, sk := makeRows(s.name, s.cases)
		rows = append(rows, rs...)
		for _, k := range sk {
			if s.name == SetFocus || (s.name != SetCorpus && k.Check == corpus.CheckRequest) {
				t.Errorf("%s case %s cannot run: %s", s.name, k.ID, k.Why)
			}
		}
		skipped = append(skipped, sk...)
	}
	return rows, skipped, len(docs)
}

// makeRows turns a set's cases into rows, with the model's result, and
// lists the cases the harness cannot run.
func makeRows(set string, cs []corpus.Case) (rows []*row, skipped []skippedCase) {
	for _, c := range cs {
		bcs, err := toBrowserCases(c)
		if err == nil && !Isolated() {
			for _, bc := range bcs {
				if bc.Unit == nil && !loopbackOnly(bc) {
					err = fmt.Errorf("it names an IP address off loopback, which only runs inside the loopback-only namespace")
				}
			}
		}
		if err != nil {
			skipped = append(skipped, skippedCase{ID: c.ID, Set: set, Check: c.CheckName(), Why: err.Error()})
			continue
		}
		model := corpus.RunModel(c, nil)
		for _, bc := range bcs {
			rows = append(rows, &row{Case: bc, Set: set, Model: aspectVerdict(model, bc.Aspect), Obs: map[string]observation{}})
		}
	}
	return rows, skipped
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

// TestBrowser runs every case in every installed engine and holds each
// engine's dialect to it: it fails on every verdict an engine gives that
// its dialect does not, naming the rules involved, unless the case is an
// open question, and on an open question the dialect now answers. Verdicts
// that changed since testdata/verdicts.txt was recorded are logged. With
// -update it rewrites that file and docs/conformance.md from a full run.
func TestBrowser(t *testing.T) {
	cfg := loadConfig(t)
	var replay *dumpFile
	if path := os.Getenv(envReplay); path != "" {
		var err error
		if replay, err = readDump(path); err != nil {
			t.Fatal(err)
		}
		cfg.seed, cfg.generated, cfg.heldOut = replay.Config.Seed, replay.Config.Generated, replay.Config.HeldOut
		cfg.checks, cfg.heldOutChecks = replay.Config.Checks, replay.Config.HeldOutChecks
	}
	rows, skipped, corpusCount := buildRows(t, cfg)
	t.Logf("%d rows (%d generated requests and %d cases of each other check, seed %d; %d held-out requests, seed %d, and %d cases of each other check, seed %d); %d cases skipped; isolated: %v",
		len(rows), cfg.generated, cfg.checks, cfg.seed, cfg.heldOut, heldOutSeed, cfg.heldOutChecks, heldOutChecksSeed, len(skipped), Isolated())
	var runs map[string]*engineRun
	var ran []string
	if replay != nil {
		runs, ran = replay.replay(t, rows)
		t.Logf("observations replayed from %s", os.Getenv(envReplay))
	} else {
		runs, ran = runEngines(t, cfg, rows)
	}
	if len(ran) == 0 {
		t.Skip("no engine ran")
	}

	if path := os.Getenv(envDump); path != "" {
		if err := dumpRows(path, cfg, runs, ran, rows); err != nil {
			t.Error(err)
		}
	}
	rec, err := loadRecord(recordPath)
	if err != nil {
		t.Fatal(err)
	}
	if *update {
		if t.Failed() || len(ran) != len(engines) {
			t.Fatalf("-update needs a clean run of every engine; ran %v", ran)
		}
		rec = newRecord(rows, runs, ran, map[string]seedSet{
			SetGenerated:            {cfg.seed, cfg.generated},
			SetHeldOut:              {heldOutSeed, cfg.heldOut},
			checksSet(SetGenerated): {cfg.seed, cfg.checks},
			checksSet(SetHeldOut):   {heldOutChecksSeed, cfg.heldOutChecks},
		})
		if err := os.WriteFile(recordPath, rec.marshal(), 0o644); err != nil {
			t.Fatal(err)
		}
		rep := &report{Rows: rows, Engines: ran, Runs: runs, Skipped: skipped, Seed: cfg.seed, Generated: cfg.generated,
			HeldOut: cfg.heldOut, Checks: cfg.checks, HeldOutChecks: cfg.heldOutChecks, Corpus: corpusCount, Isolated: Isolated()}
		if err := os.WriteFile(reportPath, []byte(rep.markdown()), 0o644); err != nil {
			t.Fatal(err)
		}
		t.Logf("wrote %s and %s", recordPath, reportPath)
	}
	if changes := recordChanges(rows, ran, rec); len(changes) > 0 {
		t.Logf("%d verdicts differ from %s (recorded with %v; go test -run Browser -update refreshes it):\n%s",
			len(changes), recordPath, rec.Versions, strings.Join(changes[:min(len(changes), 40)], "\n"))
	}
	title := "browser differential, live run:"
	if replay != nil {
		title = "browser differential, run replayed from " + os.Getenv(envReplay) + ":"
	}
	sum := summary(title, rows, ran, versionsOf(runs, ran))
	t.Log(sum)
	if err := writeSummary(sum); err != nil {
		t.Error(err)
	}
	failures := dialectFailures(rows, ran, openQuestions, rec)
	for i, f := range failures {
		if i == 50 {
			t.Errorf("… and %d more", len(failures)-50)
			break
		}
		t.Error(f)
	}
}

// recordChanges lists the verdicts of a run that differ from the record's
// verdicts for the same case (a verdict given and not recorded, or the
// reverse, is not counted: it says more about the run than the engine).
func recordChanges(rows []*row, engines []string, rec *record) []string {
	recorded := rec.byID()
	var out []string
	for _, r := range rows {
		rc := recorded[r.Case.ID()]
		if rc == nil || rc.Hash != r.Case.hash() {
			continue
		}
		for _, e := range engines {
			o := r.Obs[e]
			was := rc.Verdicts[e]
			if o.isVerdict() && (was == Allowed || was == Blocked) && o.Verdict != was {
				out = append(out, fmt.Sprintf("%s: %s gives %s, recorded %s", r.Case.ID(), e, o.Verdict, was))
			}
		}
	}
	return out
}

// withObs returns rows with one engine's observations, for its summary.
func withObs(rows []*row, engine string, run *engineRun) []*row {
	out := make([]*row, len(rows))
	for i, r := range rows {
		c := *r
		c.Obs = map[string]observation{engine: run.Obs[r.Case.ID()]}
		out[i] = &c
	}
	return out
}

// runEngines runs every case in every engine of the configuration, side by
// side, and returns each run and the engines that ran, with every row's
// observations filled in.
func runEngines(t *testing.T, cfg config, rows []*row) (map[string]*engineRun, []string) {
	cases := make([]browserCase, len(rows))
	for i, r := range rows {
		cases[i] = r.Case
	}
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
				PageUnits:    24,
				StartTimeout: 90 * time.Second,
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
			t.Logf("%s: %d cases in %d pages, %v (launch %v, %d restarts): %d verdicts, %d agree with the model, %d disagree, %d given by its dialect, %d not sent, %d unknown",
				run.Version, len(cases), run.Pages, run.Elapsed.Round(time.Second), run.Start.Round(time.Millisecond), run.Restarts,
				tl.Verdicts, tl.Agree, tl.Disagree, tl.Dialect, tl.NotSent, tl.Unknown)
			t.Logf("%s: where the time went: %s", e.Name, run.profileLine())
			if d, ok := dialect.Get(e.Name); ok && d.FittedOn != run.Version {
				t.Logf("%s is %s; its dialect was fitted on %s", e.Name, run.Version, d.FittedOn)
			}
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
				r.Obs[e.Name] = run.Obs[r.Case.ID()]
			}
		}
	}
	return runs, ran
}
