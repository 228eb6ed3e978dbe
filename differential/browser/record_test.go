//go:build linux

package browser

import (
	"os"
	"reflect"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

func TestRecordRoundTrip(t *testing.T) {
	a := focusCase(pageH, hdrs("connect-src ws:"), "fetch", "http://example.org/")
	a.ID = "a"
	b := focusCase(pageS, hdrs("connect-src 'self'"), "websocket", "wss://example.com:8443/")
	b.ID = "b"
	rows := []*row{
		{Case: browserCase{Case: a}, Obs: map[string]observation{"chromium": {Verdict: Blocked}, "webkit": {Verdict: Allowed}}},
		{Case: browserCase{Case: b}, Obs: map[string]observation{"chromium": {Verdict: NotSent}, "firefox": {Verdict: Unknown}, "webkit": {Verdict: Allowed}}},
	}
	runs := map[string]*engineRun{"chromium": {Version: "Chromium 1.2"}, "firefox": {Version: "Mozilla Firefox 3esr"}, "webkit": {Version: "WebKitGTK 4"}}
	rec := newRecord(rows, runs, []string{"chromium", "firefox", "webkit"}, map[string]seedSet{SetGenerated: {1, 2}})
	text := string(rec.marshal())
	for _, want := range []string{"engine firefox Mozilla Firefox 3esr\n", "set generated 1 2\n", "a " + caseHash(a) + " B - A\n", "b " + caseHash(b) + " N U A\n"} {
		if !strings.Contains(text, want) {
			t.Errorf("the record lacks %q:\n%s", want, text)
		}
	}
	back, err := parseRecord([]byte(text))
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(back, rec) {
		t.Errorf("parse(marshal(rec)) = %+v, want %+v", back, rec)
	}
	if caseHash(a) == caseHash(b) {
		t.Error("two cases hash alike")
	}
	c := a
	c.Note, c.Source, c.ID = "a note", "a source", "c"
	if caseHash(c) != caseHash(a) {
		t.Error("the hash depends on more than what decides the case")
	}
}

func TestRecordRejects(t *testing.T) {
	for _, bad := range []string{
		"engine chromium\n",
		"engine chromium Chromium 1\nx 1234 A\nengine firefox Firefox\n",
		"engine chromium Chromium 1\nx 1234\n",
		"engine chromium Chromium 1\nx 1234 Q\n",
		"engine chromium Chromium 1\nx 1234 A\nx 1234 B\n",
		"set generated one 2400\n",
		"set generated 1\n",
	} {
		if _, err := parseRecord([]byte(bad)); err == nil {
			t.Errorf("parseRecord(%q) = nil error", bad)
		}
	}
}

// TestDialectFailures: the checks fail on a verdict the dialect does not
// give, naming the rules and, when the engine changed since the record,
// saying so; not on an open question; and on an open question the dialect
// now answers.
func TestDialectFailures(t *testing.T) {
	mk := func(id, verdict string, c corpus.Case) *row {
		c.ID = id
		return &row{Case: browserCase{Case: c}, Model: corpus.RunModel(c, nil), Obs: map[string]observation{"chromium": {Verdict: verdict}}}
	}
	// Chromium blocks fetch() under ws: (ws-schemes-only-for-websockets).
	wsFetch := focusCase(pageH, hdrs("connect-src ws:"), "fetch", "http://example.org/")
	predicted := mk("predicted", Blocked, wsFetch)
	missed := mk("missed", Allowed, wsFetch)
	plain := mk("plain", Allowed, focusCase(pageH, hdrs("connect-src 'self'"), "fetch", "http://example.org/"))
	notSent := mk("not-sent", NotSent, wsFetch)
	rows := []*row{predicted, missed, plain, notSent}
	engines := []string{"chromium"}

	rec := newRecord(rows, map[string]*engineRun{"chromium": {Version: "Chromium 1"}}, engines, nil)
	rec.Cases[1].Verdicts["chromium"] = Blocked // "missed" was blocked at the recording
	failures := dialectFailures(rows, engines, nil, rec)
	if len(failures) != 2 {
		t.Fatalf("failures = %q, want two (missed, plain)", failures)
	}
	for _, want := range []string{"missed", "its dialect blocked", "ws-schemes-only-for-websockets", "recorded blocked with Chromium 1, so the engine changed"} {
		if !strings.Contains(failures[0], want) {
			t.Errorf("failure %q does not say %q", failures[0], want)
		}
	}
	if !strings.Contains(failures[1], "no rule of the dialect changes this case") {
		t.Errorf("failure %q does not say that no rule applies", failures[1])
	}

	open := map[string]map[string]string{"chromium": {"missed": "a hypothesis", "plain": "another", "predicted": "a third"}}
	failures = dialectFailures(rows, engines, open, nil)
	if len(failures) != 1 || !strings.Contains(failures[0], "open question predicted is answered") {
		t.Errorf("with open questions: %q, want one failure for the answered question", failures)
	}
	if f := openLimitFailures(rows, engines, open); len(f) != 1 {
		t.Errorf("three open questions for three verdicts: %q", f)
	}
	if f := openLimitFailures(rows, engines, nil); len(f) != 0 {
		t.Errorf("no open questions: %q", f)
	}
}

// TestPredictionFailures: a generated set of at least minPredictionSet
// verdicts must be predicted at minPrediction or better.
func TestPredictionFailures(t *testing.T) {
	c := focusCase(pageH, hdrs("connect-src ws:"), "fetch", "http://example.org/")
	var rows []*row
	for i := range minPredictionSet {
		verdict := Blocked
		if i < 2 {
			verdict = Allowed // two the dialect misses
		}
		rows = append(rows, &row{Case: browserCase{Case: c}, Set: SetHeldOut, Obs: map[string]observation{"firefox": {Verdict: verdict}}})
	}
	if f := predictionFailures(rows, []string{"firefox"}); len(f) != 1 || !strings.Contains(f[0], "198 of 200 verdicts of the held-out set") {
		t.Errorf("198 of 200: %q", f)
	}
	rows[0].Obs["firefox"] = observation{Verdict: Blocked}
	if f := predictionFailures(rows, []string{"firefox"}); len(f) != 0 {
		t.Errorf("199 of 200 (99.5%%): %q", f)
	}
}

// TestDumpReplay: a dump read back gives every row the observations and
// every engine the run it was written with, and refuses rows it does not
// hold.
func TestDumpReplay(t *testing.T) {
	a := focusCase(pageH, hdrs("connect-src ws:"), "fetch", "http://example.org/")
	a.ID = "a"
	rows := []*row{{Case: browserCase{Case: a}, Set: SetFocus, Model: corpus.RunModel(a, nil),
		Obs: map[string]observation{"chromium": {Verdict: Blocked, Outcome: "error"}, "webkit": {Verdict: Allowed}}}}
	runs := map[string]*engineRun{"chromium": {Version: "Chromium 1", UA: "ua1", Pages: 3, Elapsed: 5e9}, "webkit": {Version: "WebKitGTK 2"}}
	path := t.TempDir() + "/dump.jsonl"
	cfg := config{seed: 4, generated: 7, heldOut: 2}
	if err := dumpRows(path, cfg, runs, []string{"chromium", "webkit"}, rows); err != nil {
		t.Fatal(err)
	}
	d, err := readDump(path)
	if err != nil {
		t.Fatal(err)
	}
	if d.Config.Seed != 4 || d.Config.Generated != 7 || d.Config.HeldOut != 2 {
		t.Errorf("config %+v", d.Config)
	}
	fresh := []*row{{Case: browserCase{Case: a}, Obs: map[string]observation{}}}
	got, ran := d.replay(t, fresh)
	if !reflect.DeepEqual(ran, []string{"chromium", "webkit"}) || got["chromium"].UA != "ua1" || got["chromium"].Elapsed != 5e9 {
		t.Errorf("runs %v %+v", ran, got["chromium"])
	}
	if !reflect.DeepEqual(fresh[0].Obs, rows[0].Obs) || got["webkit"].Obs["a"].Verdict != Allowed {
		t.Errorf("replayed %+v, want %+v", fresh[0].Obs, rows[0].Obs)
	}
	if err := os.WriteFile(path, []byte("{}\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	if _, err := readDump(path); err == nil {
		t.Error("a dump without a first line read back")
	}
}
