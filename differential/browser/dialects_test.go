//go:build linux

package browser

import (
	"fmt"
	"hash/fnv"
	"math/rand/v2"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential/dialect"
)

// recordedRows makes the record's cases again (the corpus cases a page can
// express, the focus cases, and the generated sets the record names) and
// gives each the verdicts the record holds for it. It returns the ids of
// the recorded cases it cannot make again as they were recorded: a changed
// corpus case, or a changed generator.
func recordedRows(t *testing.T, rec *record) (rows []*row, stale []string) {
	t.Helper()
	docs, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	made := map[string]*row{}
	add := func(set string, cs []corpus.Case) {
		for _, c := range cs {
			bcs, err := toBrowserCases(c)
			if err != nil {
				continue
			}
			for _, bc := range bcs {
				made[bc.ID()] = &row{Case: bc, Set: set, Obs: map[string]observation{}}
			}
		}
	}
	add(SetCorpus, docs)
	add(SetFocus, focusCases())
	for _, set := range []string{SetGenerated, SetHeldOut} {
		if s, ok := rec.Sets[set]; ok {
			add(set, Generate(s.Seed, s.Count))
		}
		if s, ok := rec.Sets[checksSet(set)]; ok {
			add(set, GenerateChecks(s.Seed, s.Count))
		}
	}
	for _, rc := range rec.Cases {
		r := made[rc.ID]
		if r == nil || r.Case.hash() != rc.Hash {
			stale = append(stale, rc.ID)
			continue
		}
		for e, v := range rc.Verdicts {
			r.Obs[e] = observation{Verdict: v}
		}
		r.Model = aspectVerdict(corpus.RunModel(r.Case.Case, nil), r.Case.Aspect)
		rows = append(rows, r)
	}
	return rows, stale
}

// recorded caches the record's rows for the tests that read them.
var recorded struct {
	once  sync.Once
	rec   *record
	rows  []*row
	stale []string
	err   error
}

func loadRecordedRows(t *testing.T) (*record, []*row) {
	t.Helper()
	recorded.once.Do(func() {
		recorded.rec, recorded.err = loadRecord(recordPath)
		if recorded.err == nil {
			recorded.rows, recorded.stale = recordedRows(t, recorded.rec)
		}
	})
	if recorded.err != nil {
		t.Fatal(recorded.err)
	}
	rec, rows, stale := recorded.rec, recorded.rows, recorded.stale
	if len(rows) == 0 {
		t.Fatalf("%s holds no case this tree can make again", recordPath)
	}
	if len(stale) > 0 {
		t.Logf("%d recorded cases are no longer the cases of their ids (a corpus case or the generator changed; -update records them again), e.g. %s",
			len(stale), stale[0])
	}
	if len(stale) > len(rec.Cases)/10 {
		t.Errorf("%d of %d recorded cases are stale: has the generator changed? go test ./differential/browser -run Browser -update records them again",
			len(stale), len(rec.Cases))
	}
	return rec, rows
}

// TestDialects holds each engine's dialect to every verdict the record
// keeps, without the browsers: every verdict must be the dialect's, but for
// the engine's open questions, which must stay below 0.5% of its verdicts;
// and the dialect must predict at least 99.5% of each generated set. It
// reports fit and prediction, and writes them to $CSPMODEL_BROWSER_SUMMARY.
func TestDialects(t *testing.T) {
	rec, rows := loadRecordedRows(t)
	var failures []string
	failures = append(failures, dialectFailures(rows, rec.Engines, openQuestions, nil)...)
	failures = append(failures, openLimitFailures(rows, rec.Engines, openQuestions)...)
	failures = append(failures, predictionFailures(rows, rec.Engines)...)
	for i, f := range failures {
		if i == 50 {
			t.Errorf("… and %d more", len(failures)-50)
			break
		}
		t.Error(f)
	}
	for e, ids := range openQuestions {
		for id, hyp := range ids {
			if strings.TrimSpace(hyp) == "" {
				t.Errorf("%s: open question %s has no hypothesis", e, id)
			}
			if !slices.Contains(rec.Engines, e) {
				t.Errorf("open questions for %s, which the record does not hold", e)
			}
		}
	}
	sum := summary(fmt.Sprintf("browser dialects against %s (%d cases):", recordPath, len(rows)), rows, rec.Engines, rec.Versions)
	t.Log(sum)
	if err := writeSummary(sum); err != nil {
		t.Error(err)
	}
}

// TestDialectsFittedOnRecord: each dialect names the engine version of the
// record it is held to, so that a new recording with another version makes
// whoever refits the rules state it.
func TestDialectsFittedOnRecord(t *testing.T) {
	rec, err := loadRecord(recordPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range engines {
		d, ok := dialect.Get(e.Name)
		if !ok {
			t.Errorf("no dialect for %s", e.Name)
			continue
		}
		if got := rec.Versions[e.Name]; got != d.FittedOn {
			t.Errorf("%s's dialect says it was fitted on %q; the record was made with %q", e.Name, d.FittedOn, got)
		}
	}
}

// TestDialectRuleOrder: the order of a dialect's rules changes no recorded
// case as the dialect rewrites it, nor the rules that change it. Every pair
// of rules is swapped on every corpus and focus case two rules or more
// change, and each generated case some rule changes is rewritten under a
// random order of all the rules of its own (seeded by its id), thousands
// of orders in all. Where no rule changes a case, no rule's condition holds
// on it, in any order.
func TestDialectRuleOrder(t *testing.T) {
	_, rows := loadRecordedRows(t)
	for _, name := range dialect.Names() {
		d, _ := dialect.Get(name)
		swapped, shuffled, errs := 0, 0, 0
		check := func(r *row, base *dialect.Rewritten, rules []*dialect.Rule, how string) {
			got, err := d.WithRules(rules).Rewrite(r.Case.Case)
			if err != nil {
				t.Fatalf("%s: %s: %v", name, r.Case.ID(), err)
			}
			if got.Key() != base.Key() || !sameSet(got.Rules, base.Rules) {
				errs++
				if errs <= 10 {
					t.Errorf("%s, %s: %s changes the case:\n%s\nrules %v\nagainst\n%s\nrules %v",
						name, r.Case.ID(), how, got.Key(), got.Rules, base.Key(), base.Rules)
				}
			}
		}
		for _, r := range rows {
			if r.Case.Case.CheckName() != corpus.CheckRequest {
				// Rewrite is the request rules' stages; a check's rules
				// change parts of the case of their own (decideCheck).
				continue
			}
			base, err := d.Rewrite(r.Case.Case)
			if err != nil || len(base.Rules) == 0 {
				continue
			}
			if r.Set == SetCorpus || r.Set == SetFocus {
				if len(base.Rules) < 2 {
					continue
				}
				swapped++
				for i := range d.Rules {
					for j := i + 1; j < len(d.Rules); j++ {
						rules := slices.Clone(d.Rules)
						rules[i], rules[j] = rules[j], rules[i]
						check(r, base, rules, fmt.Sprintf("swapping %s and %s", d.Rules[i].ID, d.Rules[j].ID))
					}
				}
				continue
			}
			shuffled++
			h := fnv.New64a()
			h.Write([]byte(r.Case.ID()))
			rnd := rand.New(rand.NewPCG(h.Sum64(), 0))
			rules := slices.Clone(d.Rules)
			rnd.Shuffle(len(rules), func(i, j int) { rules[i], rules[j] = rules[j], rules[i] })
			var ids []string
			for _, rule := range rules {
				ids = append(ids, rule.ID)
			}
			check(r, base, rules, "the order "+strings.Join(ids, ", "))
		}
		t.Logf("%s: every pair of its %d rules swapped on %d corpus and focus cases, a random order of them on each of %d generated cases",
			name, len(d.Rules), swapped, shuffled)
	}
}

func sameSet(a, b []string) bool {
	a, b = slices.Clone(a), slices.Clone(b)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// TestQuestionsNameRules: every rule id an answer names is a rule of
// package dialect.
func TestQuestionsNameRules(t *testing.T) {
	// A rule id is a word of three hyphenated parts or more, not a code span
	// or a quoted keyword ('wasm-unsafe-eval', `allow-same-origin`).
	id := regexp.MustCompile("(^|[^#a-z0-9'`-])([a-z0-9]+(?:-[a-z0-9]+){2,})")
	named := map[string]bool{}
	for _, q := range questions {
		for _, m := range id.FindAllStringSubmatch(q.Answer, -1) {
			if _, ok := dialect.RuleByID(m[2]); !ok {
				t.Errorf("question %s names %q, which is no rule of package dialect", q.ID, m[2])
			}
			named[m[2]] = true
		}
	}
	if len(named) < 8 {
		t.Errorf("the answers name %d rules: %v", len(named), named)
	}
}

// TestPredictionFloor: a set of another check's verdicts is held to the
// prediction floor once an engine gives minPredictionSet of them, and the
// checks other than requests are held to it together, so that checks too
// small to be held one by one still are.
func TestPredictionFloor(t *testing.T) {
	rowsOf := func(check string, n, misses int) []*row {
		var rows []*row
		for i := range n {
			dv := Allowed
			if i < misses {
				dv = Blocked
			}
			rows = append(rows, &row{
				Case:    browserCase{Case: corpus.Case{ID: fmt.Sprintf("gen/%s/4/%04d", check, i), CheckType: check}},
				Set:     SetHeldOut,
				Model:   corpus.Result{Verdict: Allowed},
				Obs:     map[string]observation{"chromium": {Verdict: Allowed}},
				dialect: map[string]dialectVerdict{"chromium": {Verdict: dv}},
			})
		}
		return rows
	}
	for _, c := range []struct {
		name string
		rows []*row
		want int
	}{
		{"two small checks, all predicted", append(rowsOf(corpus.CheckEval, 150, 0), rowsOf(corpus.CheckBase, 150, 0)...), 0},
		{"two small checks, 4 of 300 missed together", append(rowsOf(corpus.CheckEval, 150, 2), rowsOf(corpus.CheckBase, 150, 2)...), 1},
		{"one large check, 2 of 250 missed", rowsOf(corpus.CheckInline, 250, 2), 2},
		{"one large check, 1 of 250 missed", rowsOf(corpus.CheckInline, 250, 1), 0},
		{"one small check, 2 of 150 missed", rowsOf(corpus.CheckWasm, 150, 2), 0},
	} {
		got := predictionFailures(c.rows, []string{"chromium"})
		if len(got) != c.want {
			t.Errorf("%s: %d failures, want %d: %q", c.name, len(got), c.want, got)
		}
	}
}
