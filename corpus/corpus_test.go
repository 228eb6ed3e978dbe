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

// TestEngineMeetsCorpus runs every request case of the corpus through the
// compiled engine, and expects it to answer every other check
// EngineUnsupported.
func TestEngineMeetsCorpus(t *testing.T) {
	cases, err := Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		res := RunEngine(c)
		if c.CheckName() != CheckRequest {
			if res.Unsupported != EngineUnsupported || res.Verdict != "" || res.Error != "" {
				t.Errorf("%s: a %s case: the engine answered %+v, want unsupported %q", c.ID, c.CheckName(), res, EngineUnsupported)
			}
			continue
		}
		if diff := c.Check(res); diff != "" {
			t.Errorf("%s:\n%s", c.ID, diff)
		}
	}
}
