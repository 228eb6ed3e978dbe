package engine

import (
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestEngineMeetsCorpus runs every corpus case through the engine.
func TestEngineMeetsCorpus(t *testing.T) {
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		if diff := c.Check(RunCase(c)); diff != "" {
			t.Errorf("%s:\n%s", c.ID, diff)
		}
	}
}
