//go:build linux

package browser

import (
	"bufio"
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"os"
	"slices"
	"strconv"
	"strings"

	"github.com/cspmodel/cspmodel/corpus"
)

// The record, testdata/verdicts.txt, keeps every engine's verdict on every
// case of the last full run (go test ./differential/browser -run Browser
// -update), so that the dialects can be held to all of them without the
// browsers. It is text, one line per case, so that a new recording shows as
// one changed line per changed verdict:
//
//	engine chromium Chromium 156.0.8078.114
//	set generated 1 2400
//	documented/connect-src/fetch-blocked 5f1c09a2 B B B
//
// An engine line names a column's engine and the version it reported; a
// set line gives a generated set's seed and size, from which its cases are
// made again; each case line gives the case's id, a hash of what decides
// it (its policies, origin and request, so that a case changed under the
// same id is not held to another case's verdicts), and one letter per
// engine: A allowed, B blocked, N not sent, U unknown, - not run.

// record is the content of testdata/verdicts.txt.
type record struct {
	Engines  []string          // the verdict columns, in order
	Versions map[string]string // each engine's version at the recording
	Sets     map[string]seedSet
	Cases    []recordedCase
}

// seedSet is a generated set: Generate(Seed, Count).
type seedSet struct {
	Seed  uint64
	Count int
}

// recordedCase is one case line.
type recordedCase struct {
	ID       string
	Hash     string
	Verdicts map[string]string // by engine; absent when not run
}

const recordPath = "testdata/verdicts.txt"

var verdictLetters = map[string]string{Allowed: "A", Blocked: "B", NotSent: "N", Unknown: "U"}

func letterVerdict(l string) (string, bool) {
	for v, x := range verdictLetters {
		if x == l {
			return v, true
		}
	}
	return "", l == "-"
}

// caseHash hashes what decides a case: its policies, self-origin and
// request.
func caseHash(c corpus.Case) string {
	j, _ := json.Marshal(struct {
		P []corpus.PolicyInput
		O string
		R corpus.RequestInput
	}{c.Policies, c.SelfOrigin, c.Request})
	sum := sha256.Sum256(j)
	return hex.EncodeToString(sum[:4])
}

const recordHeader = `# Every engine's verdict on every case of the last full run of
#   go test ./differential/browser -run Browser -update
# (differential/browser/record.go describes the format). Do not edit by hand.
`

func (rec *record) marshal() []byte {
	var b bytes.Buffer
	b.WriteString(recordHeader)
	for _, e := range rec.Engines {
		fmt.Fprintf(&b, "engine %s %s\n", e, rec.Versions[e])
	}
	for _, name := range sortedKeys(rec.Sets) {
		s := rec.Sets[name]
		fmt.Fprintf(&b, "set %s %d %d\n", name, s.Seed, s.Count)
	}
	for _, c := range rec.Cases {
		b.WriteString(c.ID + " " + c.Hash)
		for _, e := range rec.Engines {
			l := "-"
			if v, ok := c.Verdicts[e]; ok {
				l = verdictLetters[v]
			}
			b.WriteString(" " + l)
		}
		b.WriteByte('\n')
	}
	return b.Bytes()
}

func parseRecord(data []byte) (*record, error) {
	rec := &record{Versions: map[string]string{}, Sets: map[string]seedSet{}}
	seen := map[string]bool{}
	sc := bufio.NewScanner(bytes.NewReader(data))
	for n := 1; sc.Scan(); n++ {
		line := sc.Text()
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		f := strings.Fields(line)
		bad := func(why string) error { return fmt.Errorf("line %d: %s: %q", n, why, line) }
		switch f[0] {
		case "engine":
			if len(rec.Cases) > 0 || len(f) < 3 {
				return nil, bad("an engine line needs a name and a version, before the cases")
			}
			rec.Engines = append(rec.Engines, f[1])
			rec.Versions[f[1]] = strings.Join(f[2:], " ")
		case "set":
			if len(f) != 4 {
				return nil, bad("a set line is: set NAME SEED COUNT")
			}
			seed, err1 := strconv.ParseUint(f[2], 10, 64)
			count, err2 := strconv.Atoi(f[3])
			if err1 != nil || err2 != nil || count < 0 {
				return nil, bad("a seed and a count must be numbers")
			}
			rec.Sets[f[1]] = seedSet{seed, count}
		default:
			if len(f) != 2+len(rec.Engines) {
				return nil, bad(fmt.Sprintf("a case line is an id, a hash and %d verdicts", len(rec.Engines)))
			}
			if seen[f[0]] {
				return nil, bad("the case is listed twice")
			}
			seen[f[0]] = true
			c := recordedCase{ID: f[0], Hash: f[1], Verdicts: map[string]string{}}
			for i, e := range rec.Engines {
				v, ok := letterVerdict(f[2+i])
				if !ok {
					return nil, bad(fmt.Sprintf("%q is no verdict letter (A, B, N, U, -)", f[2+i]))
				}
				if v != "" {
					c.Verdicts[e] = v
				}
			}
			rec.Cases = append(rec.Cases, c)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	return rec, nil
}

func loadRecord(path string) (*record, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	rec, err := parseRecord(b)
	if err != nil {
		return nil, fmt.Errorf("%s: %w", path, err)
	}
	return rec, nil
}

// newRecord records a run: every row, with every engine's observation.
func newRecord(rows []*row, runs map[string]*engineRun, engines []string, sets map[string]seedSet) *record {
	rec := &record{Engines: slices.Clone(engines), Versions: map[string]string{}, Sets: sets}
	for _, e := range engines {
		if run := runs[e]; run != nil {
			rec.Versions[e] = run.Version
		}
	}
	for _, r := range rows {
		c := recordedCase{ID: r.Case.Case.ID, Hash: caseHash(r.Case.Case), Verdicts: map[string]string{}}
		for _, e := range engines {
			if o, ok := r.Obs[e]; ok {
				c.Verdicts[e] = o.Verdict
			}
		}
		rec.Cases = append(rec.Cases, c)
	}
	return rec
}

// byID returns the recorded cases by id.
func (rec *record) byID() map[string]*recordedCase {
	m := make(map[string]*recordedCase, len(rec.Cases))
	for i := range rec.Cases {
		m[rec.Cases[i].ID] = &rec.Cases[i]
	}
	return m
}
