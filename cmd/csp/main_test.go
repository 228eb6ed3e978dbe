package main

import (
	"bufio"
	"bytes"
	"encoding/json"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
)

func runCLI(t *testing.T, stdin string, args ...string) (stdout, stderr string, code int) {
	t.Helper()
	var out, errOut bytes.Buffer
	code = run(args, strings.NewReader(stdin), &out, &errOut)
	return out.String(), errOut.String(), code
}

// TestReadmeExample runs the README's first command.
func TestReadmeExample(t *testing.T) {
	out, errOut, code := runCLI(t, "", "check", "--policy", "connect-src https://example.com/", "--self-origin", "https://example.com", "--kind", "fetch", "--url", "https://not-example.com/")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	for _, want := range []string{"verdict: blocked", "violated by connect-src", "blocked URI https://not-example.com/"} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q:\n%s", want, out)
		}
	}
}

func TestCheckJSONAndTrace(t *testing.T) {
	out, errOut, code := runCLI(t, "", "check", "--json", "--trace", "--report-only", "connect-src 'none'", "--policy", "default-src 'self'",
		"--self-origin", "https://example.com", "--destination", "", "--redirect-from", "https://example.com/r", "--url", "https://example.com/final")
	if code != exitOK {
		t.Fatalf("exit %d, stderr %s", code, errOut)
	}
	var res struct {
		corpus.Result
		Trace []struct{ Anchor, Step string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil {
		t.Fatalf("--json output is not JSON: %v\n%s", err, out)
	}
	if res.Verdict != "allowed" || len(res.Violations) != 3 {
		t.Errorf("got %s with %d violations, want allowed with 3 (report-only at hops 0 and 1, and at the response):\n%s", res.Verdict, len(res.Violations), out)
	}
	if len(res.Violations) == 3 && (res.Violations[1].RedirectCount != 1 || res.Violations[1].BlockedURI != "https://example.com/r" || res.Violations[2].Check != "response") {
		t.Errorf("violations = %+v", res.Violations)
	}
	if len(res.Trace) == 0 {
		t.Errorf("--trace with --json gave no trace")
	}
	text, _, _ := runCLI(t, "", "check", "--trace", "--policy", "connect-src 'none'", "--self-origin", "https://example.com", "--kind", "xhr", "--url", "https://example.com/")
	if !strings.Contains(text, "#match-url-to-source-list step 3") {
		t.Errorf("--trace does not show the deciding step:\n%s", text)
	}
}

func TestExitStatuses(t *testing.T) {
	base := []string{"check", "--policy", "connect-src 'none'", "--self-origin", "https://example.com"}
	tests := []struct {
		name string
		args []string
		want int
	}{
		{"no command", nil, exitUsage},
		{"unknown command", []string{"frobnicate"}, exitUsage},
		{"help", []string{"help"}, exitOK},
		{"check help", []string{"check", "-h"}, exitOK},
		{"allowed is not an error", append(base[:1:1], "--self-origin", "https://example.com", "--kind", "fetch", "--url", "https://example.com/"), exitOK},
		{"missing url", append(base, "--kind", "fetch"), exitUsage},
		{"missing self-origin", []string{"check", "--kind", "fetch", "--url", "https://a.example/"}, exitUsage},
		{"kind and destination", append(base, "--kind", "fetch", "--destination", "image", "--url", "https://a.example/"), exitUsage},
		{"neither kind nor destination", append(base, "--url", "https://a.example/"), exitUsage},
		{"unknown flag", append(base, "--frob"), exitUsage},
		{"stray argument", append(base, "--kind", "fetch", "--url", "https://a.example/", "extra"), exitUsage},
		{"bad URL", append(base, "--kind", "fetch", "--url", "not a url"), exitInput},
		{"bad origin", []string{"check", "--self-origin", "::", "--kind", "fetch", "--url", "https://a.example/"}, exitInput},
		{"unknown kind", append(base, "--kind", "telepathy", "--url", "https://a.example/"), exitUsage},
		{"unknown destination", append(base, "--destination", "img", "--url", "https://a.example/"), exitUsage},
		{"websocket redirect", append(base, "--kind", "websocket", "--redirect-from", "wss://a.example/", "--url", "wss://b.example/"), exitInput},
		{"vectors with policy", append(base, "--vectors", "-"), exitUsage},
		{"vectors file missing", []string{"check", "--vectors", "/nonexistent/cases.jsonl"}, exitInput},
		{"vectors without subcommand", []string{"vectors"}, exitUsage},
		{"vectors unknown subcommand", []string{"vectors", "frob"}, exitUsage},
	}
	for _, tt := range tests {
		if _, errOut, code := runCLI(t, "", tt.args...); code != tt.want {
			t.Errorf("%s: csp %q exited %d, want %d (stderr: %s)", tt.name, tt.args, code, tt.want, errOut)
		}
	}
}

// TestVectorsRoundTrip exports the corpus as JSON lines, runs it through
// csp check --vectors, and checks every result against its case: the
// documented cases pass through the public format as they do through the
// model directly.
func TestVectorsRoundTrip(t *testing.T) {
	exported, errOut, code := runCLI(t, "", "vectors", "export")
	if code != exitOK {
		t.Fatalf("vectors export: exit %d: %s", code, errOut)
	}
	var cases []corpus.Case
	sc := bufio.NewScanner(strings.NewReader(exported))
	sc.Buffer(nil, 1<<20)
	for sc.Scan() {
		c, err := corpus.DecodeCase(sc.Bytes())
		if err != nil {
			t.Fatalf("exported line does not decode: %v\n%s", err, sc.Text())
		}
		cases = append(cases, c)
	}
	want, _ := corpus.Load()
	if len(cases) != len(want) || len(cases) == 0 {
		t.Fatalf("exported %d cases, the corpus has %d", len(cases), len(want))
	}
	results, errOut, code := runCLI(t, exported+"\n\n", "check", "--vectors", "-")
	if code != exitOK {
		t.Fatalf("check --vectors: exit %d: %s", code, errOut)
	}
	lines := strings.Split(strings.TrimSpace(results), "\n")
	if len(lines) != len(cases) {
		t.Fatalf("%d results for %d cases", len(lines), len(cases))
	}
	for i, line := range lines {
		var r corpus.Result
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			t.Fatalf("result %d is not JSON: %v", i, err)
		}
		if r.ID != cases[i].ID {
			t.Errorf("result %d has id %q, want %q (order must be kept)", i, r.ID, cases[i].ID)
		}
		if diff := cases[i].Check(r); diff != "" {
			t.Errorf("%s:\n%s", cases[i].ID, diff)
		}
	}
	only, _, _ := runCLI(t, "", "vectors", "export", "--prefix", "documented/connect-src/")
	if n := strings.Count(only, "\n"); n == 0 || n >= len(cases) {
		t.Errorf("--prefix selected %d cases", n)
	}
}

// TestEngineFlag decides the whole corpus with --engine engine and expects
// the model's lines, byte for byte, and refuses what the engine cannot do.
func TestEngineFlag(t *testing.T) {
	exported, _, code := runCLI(t, "", "vectors", "export")
	if code != exitOK {
		t.Fatalf("export: exit %d", code)
	}
	byModel, _, code := runCLI(t, exported, "check", "--vectors", "-")
	if code != exitOK {
		t.Fatalf("model: exit %d", code)
	}
	byEngine, _, code := runCLI(t, exported, "check", "--engine", "engine", "--vectors", "-")
	if code != exitOK {
		t.Fatalf("engine: exit %d", code)
	}
	// The engine decides requests only: it answers the other checks
	// unsupported, and every request as the model does.
	modelLines, engineLines := strings.Split(byModel, "\n"), strings.Split(byEngine, "\n")
	requests := 0
	for i := range modelLines {
		if i >= len(engineLines) {
			t.Fatalf("%d engine lines for %d model lines", len(engineLines), len(modelLines))
		}
		if strings.Contains(engineLines[i], `"unsupported":"`+corpus.EngineUnsupported+`"`) {
			continue
		}
		requests++
		if modelLines[i] == engineLines[i] {
			continue
		}
		// Both may refuse a request, each with a message of its own.
		m, errM := corpus.DecodeResult([]byte(modelLines[i]))
		e, errE := corpus.DecodeResult([]byte(engineLines[i]))
		if errM != nil || errE != nil || m.ID != e.ID || len(corpus.Compare(m, e, nil)) > 0 || m.Error == "" {
			t.Errorf("engine line differs from the model's:\nmodel:  %s\nengine: %s", modelLines[i], engineLines[i])
		}
	}
	if requests < 50 {
		t.Errorf("only %d cases decided by the engine", requests)
	}

	args := []string{"check", "--policy", "connect-src https://example.com/", "--self-origin", "https://example.com", "--kind", "websocket", "--url", "wss://example.com/chat"}
	m, _, _ := runCLI(t, "", append(args, "--engine", "model")...)
	e, _, _ := runCLI(t, "", append(args, "--engine", "engine")...)
	if m != e || !strings.Contains(e, "verdict: allowed") {
		t.Errorf("single check: model %q, engine %q", m, e)
	}
	if _, errOut, code := runCLI(t, "", append(args, "--engine", "fast")...); code != exitUsage || !strings.Contains(errOut, "model or engine") {
		t.Errorf("--engine fast: exit %d, %q", code, errOut)
	}
	if _, errOut, code := runCLI(t, "", append(args, "--engine", "engine", "--trace")...); code != exitUsage || !strings.Contains(errOut, "--trace") {
		t.Errorf("--engine engine --trace: exit %d, %q", code, errOut)
	}
}
