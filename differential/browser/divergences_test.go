//go:build linux

package browser

import (
	"reflect"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestKnownFile: the record parses, every rule has its text and its
// rewrite, and each recorded divergence is still explained by the rules
// it names (so a change to explain.go cannot leave the record stale).
func TestKnownFile(t *testing.T) {
	k, err := loadKnown(knownPath)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range k.Rules {
		found := false
		for _, rw := range rewrites {
			found = found || rw.id == r.ID
		}
		if !found {
			t.Errorf("rule %s has no rewrite in explain.go", r.ID)
		}
	}
	for _, kc := range k.Cases {
		for e, v := range kc.Engines {
			if v.Verdict == kc.Model || !(v.Verdict == Allowed || v.Verdict == Blocked) {
				continue
			}
			if got := explain(kc.Case, v.Verdict); !reflect.DeepEqual(got, v.Rules) && !(got == nil && reflect.DeepEqual(v.Rules, []string{unexplained})) {
				t.Errorf("%s, %s: recorded rules %v, explain.go now gives %v", kc.Case.ID, e, v.Rules, got)
			}
		}
	}
}

func TestCheckKnown(t *testing.T) {
	engines := []string{"chromium", "firefox", "webkit"}
	mk := func(id string, model string, verdicts ...string) *row {
		c := focusCase(pageH, hdrs("connect-src ws:"), "fetch", "http://example.org/")
		c.ID = id
		r := &row{Case: browserCase{Case: c}, Model: corpus.Result{Verdict: model}, Obs: map[string]observation{}}
		for i, v := range verdicts {
			r.Obs[engines[i]] = observation{Verdict: v}
		}
		return r
	}
	all := mk("all", Allowed, Blocked, Blocked, Blocked)
	some := mk("some", Allowed, Blocked, Blocked, Allowed)
	agree := mk("agree", Allowed, Allowed, Allowed, Allowed)
	quiet := mk("quiet", Allowed, Blocked, NotSent, Unknown)
	rows := []*row{all, some, agree, quiet}

	empty := &knownFile{}
	failures, changes := checkKnown(rows, engines, empty)
	if len(failures) != 2 || !strings.Contains(failures[0], "case all") || !strings.Contains(failures[1], "case quiet") {
		t.Errorf("unlisted divergences: failures %q", failures)
	}
	if len(changes) != 2 {
		t.Errorf("unlisted engine-specific divergences: changes %q", changes)
	}

	k := &knownFile{}
	recordKnown(rows, map[string]*engineRun{}, engines, k)
	if len(k.Cases) != 3 {
		t.Fatalf("recorded %d cases, want 3 (all, quiet, some)", len(k.Cases))
	}
	if failures, changes := checkKnown(rows, engines, k); len(failures) != 0 || len(changes) != 0 {
		t.Errorf("against its own record: failures %q, changes %q", failures, changes)
	}

	// The model changes its mind on "all": the divergence disappears.
	all.Model.Verdict = Blocked
	if failures, _ := checkKnown(rows, engines, k); len(failures) != 1 || !strings.Contains(failures[0], "disappeared") {
		t.Errorf("a disappeared divergence: %q", failures)
	}
	all.Model.Verdict = Allowed

	// An unexplained divergence stays a failure once recorded.
	k.Cases[0].Engines["chromium"] = knownVerdict{Verdict: Blocked, Rules: []string{unexplained}}
	if failures, _ := checkKnown(rows, engines, k); len(failures) != 1 {
		t.Errorf("an unexplained recorded divergence: %q", failures)
	}
}
