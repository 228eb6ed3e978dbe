package main

import (
	"encoding/json"
	"os"
	"strings"
	"testing"

	"github.com/cspmodel/cspmodel/corpus"
	"github.com/cspmodel/cspmodel/differential/dialect"
)

// wsFetch is fetch() to an http URL under connect-src ws:, which the spec
// (and the model, and WebKit) allow and Chromium and Firefox block.
var wsFetch = []string{"check", "--policy", "connect-src ws:", "--self-origin", "http://example.com:8080", "--kind", "fetch", "--url", "http://example.org/"}

func TestCheckDialect(t *testing.T) {
	model, _, _ := runCLI(t, "", wsFetch...)
	if !strings.Contains(model, "verdict: allowed") {
		t.Fatalf("the model:\n%s", model)
	}
	for name, want := range map[string]string{"chromium": "blocked", "firefox": "blocked", "webkit": "allowed"} {
		out, errOut, code := runCLI(t, "", append(wsFetch, "--dialect", name)...)
		if code != exitOK {
			t.Fatalf("--dialect %s: exit %d, %s", name, code, errOut)
		}
		d, _ := dialect.Get(name)
		for _, line := range []string{"verdict: " + want, "dialect: " + name + " (" + d.Engine + ", fitted on " + d.FittedOn + ")"} {
			if !strings.Contains(out, line) {
				t.Errorf("--dialect %s: output lacks %q:\n%s", name, line, out)
			}
		}
		rule := "rule applied: ws-schemes-only-for-websockets: ws and wss scheme-parts match only ws: and wss: URLs (the verdict rests on it: without it, allowed)"
		if want == "blocked" && !strings.Contains(out, rule) {
			t.Errorf("--dialect %s: output lacks %q:\n%s", name, rule, out)
		}
		if want == "allowed" && !strings.Contains(out, "rules applied: none (WebKit decides this case as the spec does)") {
			t.Errorf("--dialect %s: output does not say no rule applied:\n%s", name, out)
		}
	}

	out, _, code := runCLI(t, "", append(wsFetch, "--dialect", "firefox", "--json", "--trace")...)
	var res struct {
		corpus.Result
		Dialect      string   `json:"dialect"`
		DialectRules []string `json:"dialect_rules"`
		Trace        []struct{ Anchor string }
	}
	if err := json.Unmarshal([]byte(out), &res); err != nil || code != exitOK {
		t.Fatalf("--json: exit %d, %v\n%s", code, err, out)
	}
	if res.Verdict != "blocked" || res.Dialect != "firefox" || len(res.DialectRules) != 1 || res.DialectRules[0] != "ws-schemes-only-for-websockets" {
		t.Errorf("--json: %+v", res)
	}
	if len(res.Trace) < 3 || res.Trace[0].Anchor != "dialect:firefox" || res.Trace[1].Anchor != "dialect:firefox" {
		t.Errorf("--trace: the dialect's rules do not come first: %+v", res.Trace)
	}

	text, _, _ := runCLI(t, "", append(wsFetch, "--dialect", "chromium", "--trace")...)
	rules, steps := strings.Index(text, "#dialect:chromium: ws-schemes-only-for-websockets: connect-src ws: ignored"), strings.Index(text, "#match-url-to-source-list")
	if rules < 0 || steps < rules {
		t.Errorf("--trace does not show the rule before the model's steps:\n%s", text)
	}
}

func TestCheckDialectUsage(t *testing.T) {
	for _, tc := range []struct {
		args []string
		want string
	}{
		{append(wsFetch, "--dialect", "chromium", "--engine", "engine"), "the compiled engine implements the spec only"},
		{append(wsFetch, "--dialect", "blink"), `--dialect is one of chromium, firefox, webkit, not "blink"`},
		{append(wsFetch, "--dialect", ""), `not ""`},
		{[]string{"check", "--vectors", "-", "--engine", "engine", "--dialect", "webkit"}, "--dialect needs --engine model"},
	} {
		if _, errOut, code := runCLI(t, "", tc.args...); code != exitUsage || !strings.Contains(errOut, tc.want) {
			t.Errorf("%v: exit %d, stderr %q, want %d and %q", tc.args, code, errOut, exitUsage, tc.want)
		}
	}
}

// TestCheckVectorsDialect decides the corpus with each dialect and expects,
// line for line, the dialect's decision; and with --trace, the dialect's
// rules on standard error.
func TestCheckVectorsDialect(t *testing.T) {
	exported, _, code := runCLI(t, "", "vectors", "export")
	if code != exitOK {
		t.Fatalf("export: exit %d", code)
	}
	cases := strings.Split(strings.TrimSpace(exported), "\n")
	byModel, _, _ := runCLI(t, exported, "check", "--vectors", "-")
	for _, name := range dialect.Names() {
		d, _ := dialect.Get(name)
		out, errOut, code := runCLI(t, exported, "check", "--vectors", "-", "--dialect", name)
		if code != exitOK {
			t.Fatalf("%s: exit %d, %s", name, code, errOut)
		}
		lines := strings.Split(strings.TrimSpace(out), "\n")
		if len(lines) != len(cases) {
			t.Fatalf("%s: %d results for %d cases", name, len(lines), len(cases))
		}
		for i, line := range lines {
			c, err := corpus.DecodeCase([]byte(cases[i]))
			if err != nil {
				t.Fatal(err)
			}
			want, _ := d.Decide(c, nil)
			var got corpus.Result
			if err := json.Unmarshal([]byte(line), &got); err != nil {
				t.Fatalf("%s: %v: %s", name, err, line)
			}
			if got.ID != want.ID || got.Verdict != want.Verdict || got.Error != want.Error || len(got.Violations) != len(want.Violations) {
				t.Errorf("%s, %s: got %+v, want %+v", name, c.ID, got, want)
			}
		}
		if out == byModel {
			t.Errorf("%s decides the corpus as the model does, line for line", name)
		}
	}
	_, traced, code := runCLI(t, exported, "check", "--vectors", "-", "--dialect", "webkit", "--trace")
	if code != exitOK || !strings.Contains(traced, "#dialect:webkit: websocket-url-as-given: the WebSocket is checked as wss://") {
		t.Errorf("--vectors --trace --dialect: exit %d, stderr lacks the dialect's rules", code)
	}
}

// TestVectorsRunDialect compares implementations with a dialect: the CLI's
// own --dialect agrees with it, and the model does not, on the cases the
// dialect's rules decide, which the report labels with those rules.
func TestVectorsRunDialect(t *testing.T) {
	exported, _, _ := runCLI(t, "", "vectors", "export")
	file := t.TempDir() + "/corpus.jsonl"
	if err := os.WriteFile(file, []byte(exported), 0o644); err != nil {
		t.Fatal(err)
	}
	out, errOut, code := runCLI(t, "", "vectors", "run", "--vectors", file, "--dialect", "chromium",
		"--impl", self(t, "cli", "check", "--vectors", "-", "--dialect", "chromium"))
	if code != exitOK || !strings.Contains(out, "compared with: the chromium dialect (fitted on "+dialect.Chromium.FittedOn+"), verdicts only") ||
		!strings.Contains(out, "disagree: 0") {
		t.Errorf("the chromium dialect against itself: exit %d\n%s\n%s", code, out, errOut)
	}
	out, errOut, code = runCLI(t, "", "vectors", "run", "--json", "--minimize", "2", "--vectors", file, "--dialect", "chromium",
		"--impl", self(t, "cli", "check", "--vectors", "-"))
	if code != exitInput {
		t.Fatalf("the model against the chromium dialect: exit %d, want %d\n%s", code, exitInput, errOut)
	}
	var rep runReport
	if err := json.Unmarshal([]byte(out), &rep); err != nil {
		t.Fatal(err)
	}
	if len(rep.Disagreements) == 0 || !strings.Contains(rep.Reference, "chromium") {
		t.Fatalf("report: %+v", rep)
	}
	for _, d := range rep.Disagreements {
		if !strings.HasPrefix(d.Rule, "chromium ") || d.Model.Verdict == d.Impl.Verdict {
			t.Errorf("%s: rule %q, dialect %s, model %s", d.ID, d.Rule, d.Model.Verdict, d.Impl.Verdict)
		}
	}
	if _, errOut, code := runCLI(t, "", "vectors", "run", "--impl", "true", "--dialect", "gecko"); code != exitUsage || !strings.Contains(errOut, "--dialect is one of") {
		t.Errorf("--dialect gecko: exit %d, %q", code, errOut)
	}
}
