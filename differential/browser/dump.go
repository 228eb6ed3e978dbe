//go:build linux

package browser

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// A dump (CSPMODEL_BROWSER_DUMP) holds a whole run: a first line with the
// configuration and each engine's run (version, user agent, pages and
// times), then one line per case with the model's result and every
// engine's observation. CSPMODEL_BROWSER_REPLAY reads one back instead of
// running the engines.

// dumpFile is a dump read back.
type dumpFile struct {
	Config dumpConfig
	Runs   map[string]*engineRun
	Rows   map[string]dumpRow
}

type dumpConfig struct {
	Seed      uint64   `json:"seed"`
	Generated int      `json:"generated"`
	HeldOut   int      `json:"held_out"`
	Engines   []string `json:"engines"` // the engines that ran, in order
}

type dumpHeader struct {
	Config dumpConfig            `json:"config"`
	Runs   map[string]*engineRun `json:"runs"`
}

type dumpRow struct {
	Case  corpus.Case            `json:"case"`
	Set   string                 `json:"set"`
	Model corpus.Result          `json:"model"`
	Obs   map[string]observation `json:"observations"`
}

// dumpRows writes a run to path.
func dumpRows(path string, cfg config, runs map[string]*engineRun, ran []string, rows []*row) error {
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	h := dumpHeader{Config: dumpConfig{Seed: cfg.seed, Generated: cfg.generated, HeldOut: cfg.heldOut, Engines: ran}, Runs: map[string]*engineRun{}}
	for _, e := range ran {
		h.Runs[e] = runs[e]
	}
	if err := enc.Encode(h); err != nil {
		return err
	}
	for _, r := range rows {
		if err := enc.Encode(dumpRow{r.Case.Case, r.Set, r.Model, r.Obs}); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b.Bytes(), 0o644)
}

// readDump reads a dump written by dumpRows.
func readDump(path string) (*dumpFile, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	sc.Buffer(nil, 64<<20)
	d := &dumpFile{Rows: map[string]dumpRow{}}
	for n := 1; sc.Scan(); n++ {
		if n == 1 {
			var h dumpHeader
			if err := json.Unmarshal(sc.Bytes(), &h); err != nil || len(h.Config.Engines) == 0 {
				return nil, fmt.Errorf("%s:1: not a dump's first line (configuration and runs): %v", path, err)
			}
			d.Config, d.Runs = h.Config, h.Runs
			continue
		}
		var r dumpRow
		if err := json.Unmarshal(sc.Bytes(), &r); err != nil {
			return nil, fmt.Errorf("%s:%d: %v", path, n, err)
		}
		d.Rows[r.Case.ID] = r
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	for _, e := range d.Config.Engines {
		if d.Runs[e] == nil {
			return nil, fmt.Errorf("%s: no run of %s", path, e)
		}
	}
	return d, nil
}

// replay gives every row the dump's observations, and returns the dump's
// runs and engines; a row the dump does not hold, or holds as another case,
// fails the test, since the dump then comes from another tree.
func (d *dumpFile) replay(t *testing.T, rows []*row) (map[string]*engineRun, []string) {
	t.Helper()
	runs := map[string]*engineRun{}
	for _, e := range d.Config.Engines {
		run := d.Runs[e]
		run.Engine, run.Obs = e, map[string]observation{}
		runs[e] = run
	}
	for _, r := range rows {
		dr, ok := d.Rows[r.Case.Case.ID]
		if !ok || caseHash(dr.Case) != caseHash(r.Case.Case) {
			t.Fatalf("the dump does not hold case %s as this tree makes it", r.Case.Case.ID)
		}
		for _, e := range d.Config.Engines {
			o, ok := dr.Obs[e]
			if !ok {
				o = observation{Verdict: Unknown, Reason: "not in the dump"}
			}
			r.Obs[e] = o
			runs[e].Obs[r.Case.Case.ID] = o
		}
	}
	return runs, d.Config.Engines
}
