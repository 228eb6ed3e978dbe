package corpus

import (
	"testing"

	"github.com/cspmodel/cspmodel/model"
)

// TestModelMeetsCorpus runs every corpus case through the model and checks
// the verdict and violations it states, and that a second run gives the same
// result (the model keeps no state between decisions).
func TestModelMeetsCorpus(t *testing.T) {
	cases, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	if len(cases) == 0 {
		t.Fatal("the corpus is empty")
	}
	failures := 0
	for _, c := range cases {
		got := RunModel(c, nil)
		if diff := c.Check(got); diff != "" {
			var tr model.Trace
			RunModel(c, &tr)
			t.Errorf("%s (%s):\n%s%s", c.ID, c.Source, diff, tr.String())
			if failures++; failures > 100 {
				t.Fatal("too many failures")
			}
		}
		if again := RunModel(c, nil); again.Verdict != got.Verdict || len(again.Violations) != len(got.Violations) {
			t.Errorf("%s: a second run gave %s with %d violations, the first %s with %d", c.ID, again.Verdict, len(again.Violations), got.Verdict, len(got.Violations))
		}
	}
	t.Logf("%d corpus cases", len(cases))
}

// TestEngineMeetsCorpus runs every corpus case through the compiled
// engine: it must meet what a request case states, and agree with the model
// field by field on every case of the other checks.
func TestEngineMeetsCorpus(t *testing.T) {
	cases, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	decided := map[string]int{}
	for _, c := range cases {
		res := RunEngine(c)
		switch c.CheckName() {
		case CheckRequest:
			if diff := c.Check(res); diff != "" {
				t.Errorf("%s:\n%s", c.ID, diff)
			}
		default:
			if diff := c.Check(res); diff != "" {
				t.Errorf("%s: the case's claims:\n%s", c.ID, diff)
			}
			if diffs := Compare(RunModel(c, nil), res, nil); len(diffs) > 0 {
				t.Errorf("%s (%s): engine and model differ: %v", c.ID, c.CheckName(), diffs)
			}
		}
		decided[c.CheckName()]++
	}
	for _, ck := range Checks {
		if decided[ck] == 0 {
			t.Errorf("the corpus has no %s case the engine decided", ck)
		}
	}
	t.Logf("cases the engine decided, by check: %v", decided)
}
