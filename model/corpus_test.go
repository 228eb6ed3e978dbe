package model_test

import (
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/model"
)

// TestCorpus runs every corpus case through the model from here too, so that
// `go test -cover ./model` counts what the corpus exercises.
func TestCorpus(t *testing.T) {
	cases, err := corpus.Load()
	if err != nil {
		t.Fatal(err)
	}
	for _, c := range cases {
		var tr model.Trace
		if diff := c.Check(corpus.RunModel(c, &tr)); diff != "" {
			t.Errorf("%s:\n%s%s", c.ID, diff, tr.String())
		}
	}
}
