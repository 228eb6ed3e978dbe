package fuzz

import (
	"encoding/json"
	"fmt"
	"sync"

	"github.com/cspmodel/cspmodel/corpus"
)

// checkCaseSeeds are FuzzCheckCase's seeds: every corpus case as a vector
// line, built once.
var checkCaseSeeds = sync.OnceValues(func() ([][]byte, error) {
	cases, err := loadedCorpus()
	if err != nil {
		return nil, err
	}
	lines := make([][]byte, 0, len(cases))
	for _, c := range cases {
		line, err := json.Marshal(c)
		if err != nil {
			return nil, err
		}
		lines = append(lines, line)
	}
	return lines, nil
})

// checkCaseFailure is FuzzCheckCase's check on one line: "" when the line
// does not decode or every implementation answers it properly, else what
// went wrong.
func checkCaseFailure(line []byte) string {
	c, err := corpus.DecodeCase(line)
	if err != nil {
		return ""
	}
	_ = c.CheckCommand()
	// The other targets write their cases from encodings of their own,
	// which leave out some of what a vector line can hold (the global
	// object's URL, referrer and status, any byte in a policy): this one
	// holds model and engine to each other on all of it, as they do.
	m, e := corpus.RunModel(c, nil), corpus.RunEngine(c)
	if msg := disagreementOf(c, m, e); msg != "" {
		return msg + "\nfor " + string(line)
	}
	for _, side := range []struct {
		name string
		res  corpus.Result
	}{{"model", m}, {"reports", corpus.RunModelWithReportBodies(c, nil)}, {"engine", e}} {
		res := side.res
		kinds := 0
		for _, set := range []bool{res.Verdict != "", res.Error != "", res.Unsupported != ""} {
			if set {
				kinds++
			}
		}
		if kinds != 1 || res.Unsupported != "" && (side.name != "engine" || c.CheckName() == corpus.CheckRequest) {
			return fmt.Sprintf("%s: %+v for %s", side.name, res, line)
		}
		if res.Error != "" {
			continue
		}
		res.ID = "x"
		out, err := json.Marshal(res)
		if err != nil {
			return err.Error()
		}
		if _, err := corpus.DecodeResult(out); err != nil {
			return fmt.Sprintf("%s: its result does not read back: %v\n%s\nfor %s", side.name, err, out, line)
		}
	}
	return ""
}
