package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"fmt"
	"os"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

// TestMain lets the test binary stand in for an implementation under test:
// with CSP_TEST_AS set, it runs as the csp command ("cli") or as a
// deliberately wrong implementation ("broken") instead of running tests.
func TestMain(m *testing.M) {
	switch os.Getenv("CSP_TEST_AS") {
	case "cli":
		os.Exit(run(os.Args[1:], os.Stdin, os.Stdout, os.Stderr))
	case "broken":
		os.Exit(brokenImplementation())
	case "nohash":
		os.Exit(noHashImplementation())
	case "":
	default:
		os.Exit(misbehave(os.Getenv("CSP_TEST_AS")))
	}
	os.Exit(m.Run())
}

// brokenImplementation decides with the engine, but allows every request
// whose URL has an explicit port 8080 (the kind of bug csp vectors run must
// find, minimize and attribute to port matching).
func brokenImplementation() int {
	_, err := corpus.RunLines(os.Stdin, os.Stdout, func(c corpus.Case) corpus.Result {
		res := corpus.RunEngine(c)
		for _, u := range c.Request.URLList {
			if strings.Contains(u, ":8080/") && res.Error == "" {
				res.Verdict, res.Violations = corpus.VerdictAllowed, []corpus.Violation{}
			}
		}
		return res
	})
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 1
	}
	return 0
}

// self is a shell command that runs this test binary as role.
func self(t *testing.T, role string, args ...string) string {
	t.Helper()
	exe, err := os.Executable()
	if err != nil {
		t.Fatal(err)
	}
	return fmt.Sprintf("CSP_TEST_AS=%s '%s' %s", role, exe, strings.Join(args, " "))
}

// TestPinnedVectorsReproducible regenerates the pinned vectors with the
// command corpus/pinned.go records and expects the committed file, byte for
// byte: the set is reproducible from its seed.
func TestPinnedVectorsReproducible(t *testing.T) {
	var out bytes.Buffer
	if err := Generate(&out, corpus.PinnedCount, corpus.PinnedSeed, false); err != nil {
		t.Fatal(err)
	}
	if err := GenerateChecks(&out, corpus.PinnedChecks, corpus.PinnedSeed); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(out.Bytes(), corpus.PinnedVectors) {
		got, want := strings.Split(out.String(), "\n"), strings.Split(string(corpus.PinnedVectors), "\n")
		for i := 0; i < len(got) && i < len(want); i++ {
			if got[i] != want[i] {
				t.Fatalf("line %d differs (rerun the command in corpus/pinned.go and review the diff if the change is meant):\n got %s\nwant %s", i+1, got[i], want[i])
			}
		}
		t.Fatalf("%d lines generated, %d pinned (rerun the command in corpus/pinned.go if the change is meant)", len(got), len(want))
	}
}

// TestVectorsRunEngine is the reference kit's first test: the engine, run as
// an outside command speaking the JSON-lines protocol, agrees with the model
// on every pinned vector.
func TestVectorsRunEngine(t *testing.T) {
	out, errOut, code := runCLI(t, "", "vectors", "run", "--impl", self(t, "cli", "check", "--engine", "engine", "--vectors", "-"))
	if code != exitOK {
		t.Fatalf("exit %d\n%s\n%s", code, errOut, out)
	}
	// The engine decides requests only: the other checks are counted apart.
	lines := bytes.Split(bytes.TrimSpace(corpus.PinnedVectors), []byte("\n"))
	others := 0
	for _, l := range lines {
		c, err := corpus.DecodeCase(l)
		if err != nil {
			t.Fatal(err)
		}
		if c.CheckName() != corpus.CheckRequest {
			others++
		}
	}
	if others == 0 {
		t.Fatalf("no pinned vector of a check other than request")
	}
	compared := len(lines) - others
	for _, want := range []string{
		fmt.Sprintf("cases: %d, agree: %d (100.00%% of %d compared), disagree: 0, unsupported: %d", len(lines), compared, compared, others),
		fmt.Sprintf("%5d  %s", others, corpus.EngineUnsupported),
	} {
		if !strings.Contains(out, want) {
			t.Errorf("report lacks %q:\n%s", want, out)
		}
	}
}

// TestVectorsRunFindsAndMinimizes runs a deliberately broken implementation
// and expects csp vectors run to fail, to shrink each disagreement to one
// policy and one URL with port 8080, and to attribute it to a matching step.
func TestVectorsRunFindsAndMinimizes(t *testing.T) {
	var in bytes.Buffer
	if err := Generate(&in, 300, 5, true); err != nil {
		t.Fatal(err)
	}
	extra := `{"id":"port","policies":[{"value":"img-src *; connect-src https://example.com https://a.example","disposition":"enforce"},{"value":"default-src *","disposition":"report"}],"self_origin":"https://example.com","request":{"kind":"fetch","url_list":["https://example.com/start?x=1","https://example.com:8080/api?q=2"]}}`
	in.WriteString(extra + "\n")
	file := t.TempDir() + "/cases.jsonl"
	if err := os.WriteFile(file, in.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "vectors", "run", "--json", "--vectors", file, "--impl", self(t, "broken"))
	if code != exitInput {
		t.Fatalf("exit %d, want %d\n%s\n%s", code, exitInput, errOut, out)
	}
	var rep runReport
	if err := json.NewDecoder(bufio.NewReader(strings.NewReader(out))).Decode(&rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Disagreements) == 0 || rep.Agree+len(rep.Disagreements) != rep.Cases {
		t.Fatalf("report: %d cases, %d agree, %d disagreements", rep.Cases, rep.Agree, len(rep.Disagreements))
	}
	found := false
	for _, d := range rep.Disagreements {
		if d.ID != "port" {
			continue
		}
		found = true
		// The smallest case the broken implementation still gets wrong: one
		// enforced connect-src with at most one source, and the one URL
		// with port 8080, without its query.
		m := d.Minimized
		if len(m.Policies) != 1 || len(m.Request.URLList) != 1 || m.Request.URLList[0] != "https://example.com:8080/api" ||
			strings.Count(strings.TrimSpace(m.Policies[0].Value), " ") > 1 || !strings.HasPrefix(m.Policies[0].Value, "connect-src") {
			t.Errorf("not minimal: %+v", m)
		}
		if !strings.HasPrefix(d.Rule, "#match-") {
			t.Errorf("rule %q, want a source-list matching step", d.Rule)
		}
		if d.Model.Verdict != corpus.VerdictBlocked || d.Impl.Verdict != corpus.VerdictAllowed {
			t.Errorf("model %+v, implementation %+v", d.Model, d.Impl)
		}
	}
	if !found {
		t.Errorf("the broken port case was not reported: %+v", rep.Disagreements)
	}
	if len(rep.ByRule) == 0 {
		t.Errorf("no summary by rule")
	}
}
